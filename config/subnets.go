package config

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"net/netip"
)

// maxSubnetPrefix is the smallest subnet AWS allows (/28, 16 addresses).
const maxSubnetPrefix = 28

// maxAZs bounds AZCount for Subnets; no AWS region has more than six zones.
const maxAZs = 6

type tier struct {
	name   string // YAML name stem: private, public, intra
	prefix int
}

func (n Network) tiers() []tier {
	return []tier{{"private", n.PrivateSubnetPrefix}, {"public", n.PublicSubnetPrefix}, {"intra", n.IntraSubnetPrefix}}
}

// Subnets carves the subnet plan out of VPCCIDR: AZCount private subnets, then AZCount public
// ones, then AZCount intra ones, each placed right after the previous subnet and aligned to its
// own size. The order and the alignment are a contract: changing them, or AZCount or a prefix,
// moves subnets of a live VPC, which replaces them.
func (n Network) Subnets() (SubnetPlan, error) {
	vpc, err := netip.ParsePrefix(n.VPCCIDR)
	if err != nil || !vpc.Addr().Is4() || vpc.Masked() != vpc {
		return SubnetPlan{}, fmt.Errorf("network.vpcCidr %q is not an IPv4 network address in CIDR notation", n.VPCCIDR)
	}
	if n.AZCount < 1 || n.AZCount > maxAZs {
		return SubnetPlan{}, fmt.Errorf("network.azCount %d is not between 1 and %d", n.AZCount, maxAZs)
	}
	for _, t := range n.tiers() {
		if t.prefix <= vpc.Bits() || t.prefix > maxSubnetPrefix {
			return SubnetPlan{}, fmt.Errorf("network.%sSubnetPrefix /%d is not between /%d and /%d", t.name, t.prefix, vpc.Bits()+1, maxSubnetPrefix)
		}
	}
	plan, need, ok := n.carve(vpc)
	if !ok {
		return SubnetPlan{}, fmt.Errorf("network.vpcCidr: %s", n.noFit(vpc, need))
	}
	return plan, nil
}

// carve lays the subnets out in vpc. It reports whether they fit and, either way, the longest
// VPC prefix that would hold them. The caller has checked the prefixes and AZCount.
func (n Network) carve(vpc netip.Prefix) (plan SubnetPlan, need int, ok bool) {
	a := vpc.Addr().As4()
	base := uint64(binary.BigEndian.Uint32(a[:]))
	end := base + 1<<(32-vpc.Bits())
	outs := []*[]string{&plan.Private, &plan.Public, &plan.Intra}
	next := base
	for i, t := range n.tiers() {
		size := uint64(1) << (32 - t.prefix)
		for range n.AZCount {
			next = (next + size - 1) &^ (size - 1) // align to the subnet's own size
			if next+size <= end {
				var ip [4]byte
				binary.BigEndian.PutUint32(ip[:], uint32(next))
				*outs[i] = append(*outs[i], netip.PrefixFrom(netip.AddrFrom4(ip), t.prefix).String())
			}
			next += size
		}
	}
	// base is aligned to the VPC size, so the span from base is what any VPC would need.
	span := next - base
	return plan, 32 - bits.Len64(span-1), next <= end
}

func (n Network) noFit(vpc netip.Prefix, need int) string {
	return fmt.Sprintf("%s is too small for %d private /%d, %d public /%d and %d intra /%d subnets; they need a /%d or larger VPC, or use smaller subnets",
		vpc, n.AZCount, n.PrivateSubnetPrefix, n.AZCount, n.PublicSubnetPrefix, n.AZCount, n.IntraSubnetPrefix, need)
}
