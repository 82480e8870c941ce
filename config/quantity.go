package config

import (
	"fmt"
	"math/big"
	"regexp"
)

// The Kubernetes quantity subset the platform writes: decimals with an optional suffix. Exponent
// forms (1e3) are valid Kubernetes but not accepted here, to keep the files plain.
var (
	cpuRe    = regexp.MustCompile(`^(\d+(?:\.\d+)?|\.\d+)(m?)$`)
	memoryRe = regexp.MustCompile(`^(\d+(?:\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?$`)
)

var memoryUnits = map[string]int64{
	"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
	"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40,
}

// maxQuantityLen keeps absurd inputs from becoming big-number work; real quantities are short.
const maxQuantityLen = 32

// ParseCPU parses a Kubernetes CPU quantity (100m, 1, 0.5) into millicores. Like Kubernetes, it
// rounds a fraction of a millicore up.
func ParseCPU(s string) (millicores int64, err error) {
	m := cpuRe.FindStringSubmatch(s)
	if m == nil || len(s) > maxQuantityLen {
		return 0, fmt.Errorf("invalid CPU quantity %q: use millicores like 100m or cores like 0.5 or 2", s)
	}
	scale := int64(1000)
	if m[2] == "m" {
		scale = 1
	}
	return scaleUp(s, m[1], scale)
}

// ParseMemory parses a Kubernetes memory quantity (256Mi, 1Gi, 500M, 1.5Gi, 1048576) into bytes,
// rounding a fraction of a byte up like Kubernetes does.
func ParseMemory(s string) (bytes int64, err error) {
	m := memoryRe.FindStringSubmatch(s)
	if m == nil || len(s) > maxQuantityLen {
		return 0, fmt.Errorf("invalid memory quantity %q: use a number with an optional suffix Ki, Mi, Gi, Ti, k, M, G or T, like 256Mi", s)
	}
	return scaleUp(s, m[1], memoryUnits[m[2]])
}

// scaleUp returns ceil(num × mult) for a decimal string num, or an error when it overflows int64.
func scaleUp(s, num string, mult int64) (int64, error) {
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return 0, fmt.Errorf("invalid quantity %q", s)
	}
	r.Mul(r, new(big.Rat).SetInt64(mult))
	q, rem := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if rem.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() {
		return 0, fmt.Errorf("quantity %q is too large", s)
	}
	return q.Int64(), nil
}

// Rules that close quantity errors.
const (
	cpuRule = "use millicores like 100m or cores like 0.5 or 1"
	memRule = "use a size like 256Mi or 1Gi (Ki, Mi, Gi, Ti, k, M, G, T or plain bytes)"
)

// validateRequestLimit checks a CPU and a memory request/limit pair at prefix (e.g.
// "services.": services.cpuRequest, services.cpuLimit, ...): each a positive quantity, and no
// request above its limit.
func validateRequestLimit(ps *problems, prefix, cpuReq, cpuLim, memReq, memLim string) {
	quantity := func(path, v string, parse func(string) (int64, error), rule string) (int64, bool) {
		n, err := parse(v)
		switch {
		case err != nil:
			ps.add(path, "%q is not a quantity; %s", v, rule)
		case n <= 0:
			ps.add(path, "%q is zero; %s", v, rule)
		default:
			return n, true
		}
		return 0, false
	}
	pair := func(name, req, lim string, parse func(string) (int64, error), rule string) {
		reqPath, limPath := prefix+name+"Request", prefix+name+"Limit"
		r, rOK := quantity(reqPath, req, parse, rule)
		l, lOK := quantity(limPath, lim, parse, rule)
		if rOK && lOK && r > l {
			ps.add(reqPath, "%s is greater than %s %s; the request must not exceed the limit", req, limPath, lim)
		}
	}
	pair("cpu", cpuReq, cpuLim, ParseCPU, cpuRule)
	pair("memory", memReq, memLim, ParseMemory, memRule)
}
