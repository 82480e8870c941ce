// Package tfexpr builds Terraform expressions that CDKTF renders correctly in both the JSON and
// the HCL output.
package tfexpr

import (
	"regexp"
	"sort"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// JSONEncode is jsonencode(v) for a JSON-shaped value (maps, lists, strings) that may hold
// Terraform references. A JSON string with interpolations inside would break CDKTF's HCL
// output (it leaves the quotes unescaped); jsonencode() stays valid, readable HCL.
func JSONEncode(v any) *string { return cdktf.Fn_Jsonencode(TokenKeys(v)) }

// TokenKeys makes maps whose keys hold Terraform references (an IRSA condition on
// "<issuer>:sub", a Cloudflare zone resource) safe to encode: CDKTF cannot resolve a token in
// an object key, so such a map becomes zipmap(keys, values), whose lists it can resolve.
func TokenKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		tokens := false
		for k := range x {
			keys = append(keys, k)
			tokens = tokens || *cdktf.Token_IsUnresolved(k)
		}
		sort.Strings(keys)
		if !tokens {
			out := make(map[string]any, len(x))
			for k, e := range x {
				out[k] = TokenKeys(e)
			}
			return out
		}
		names := make([]*string, len(keys))
		values := make([]any, len(keys))
		for i, k := range keys {
			names[i] = concat(k)
			values[i] = TokenKeys(x[k])
		}
		return cdktf.Fn_Zipmap(&names, &values)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = TokenKeys(e)
		}
		return out
	}
	return v
}

// tokenMarker is how CDKTF encodes a reference inside a Go string.
var tokenMarker = regexp.MustCompile(`\$\{TfToken\[[^\]]+\]\}`)

// concat turns a string that mixes literal text and references ("<issuer>:sub") into
// join("", [<issuer>, ":sub"]). Handing CDKTF a function argument with a reference embedded in
// text works, but it warns on every synth that such escape sequences may render incorrectly.
func concat(s string) *string {
	if !*cdktf.Token_IsUnresolved(s) {
		return jsii.String(s)
	}
	var parts []*string
	last := 0
	for _, m := range tokenMarker.FindAllStringIndex(s, -1) {
		if m[0] > last {
			parts = append(parts, jsii.String(s[last:m[0]]))
		}
		parts = append(parts, jsii.String(s[m[0]:m[1]]))
		last = m[1]
	}
	if last < len(s) {
		parts = append(parts, jsii.String(s[last:]))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return cdktf.Fn_Join(jsii.String(""), &parts)
}
