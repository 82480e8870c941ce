package config

import (
	"fmt"
	"net/netip"
	"slices"
)

// API endpoint access (docs/adr/0005-api-endpoint-access.md). The private endpoint is always on.
// Two deployable shapes:
//
//   - public endpoint limited to cluster.publicAccessCidrs: the office/VPN egress CIDRs of the
//     operators and the egress of the CI runner that applies the stacks;
//   - private endpoint only: the CI runner and operators sit inside the VPC or a network routed
//     to it, listed in cluster.privateAccessCidrs (HTTPS to the control plane is opened to them).
//
// In every environment an enabled public endpoint needs its CIDRs (there is no world-open
// default); staging and prod refuse anything as wide as 0.0.0.0/0, and prod needs a break-glass
// admin principal.

// minPublicPrefix is the widest public allow-list entry staging and prod accept: a /0 to /7 is
// the internet, not an office or VPN.
const minPublicPrefix = 8

// strictEnvironments are the environments whose API allow-list must be narrow.
var strictEnvironments = []string{"staging", "prod"}

// validateAPIAccess checks the environment-dependent access rules; Cluster.validate checks the
// CIDR syntax and the public list against endpointPublicAccess.
func (c *Config) validateAPIAccess(ps *problems) {
	cl := c.Cluster
	if slices.Contains(strictEnvironments, c.Environment) {
		for i, s := range cl.PublicAccessCIDRs {
			if p, err := netip.ParsePrefix(s); err == nil && p.Bits() < minPublicPrefix {
				ps.add(fmt.Sprintf("cluster.publicAccessCidrs[%d]", i), "%q opens the API to the internet, which %s does not allow; list your office/VPN and CI runner egress CIDRs (at most /%d wide), or use a private endpoint with cluster.privateAccessCidrs",
					s, c.Environment, minPublicPrefix)
			}
		}
	}
	if c.Environment == "prod" && len(cl.AdminPrincipalARNs) == 0 {
		ps.add("cluster.adminPrincipalArns", "is empty; prod needs at least one break-glass admin principal (an IAM role that people can assume when CI cannot), e.g. arn:aws:iam::123456789012:role/platform-break-glass")
	}

	if !cl.EndpointPublicAccess && len(cl.PrivateAccessCIDRs) == 0 {
		ps.add("cluster.privateAccessCidrs", "is empty but cluster.endpointPublicAccess is false, so nothing outside the nodes could reach the API; list the CIDRs of the CI runner and operators inside the VPC or routed to it (VPN, peering), or enable the public endpoint with publicAccessCidrs")
	}
	seen := map[string]bool{}
	for i, s := range cl.PrivateAccessCIDRs {
		path := fmt.Sprintf("cluster.privateAccessCidrs[%d]", i)
		p, err := netip.ParsePrefix(s)
		switch {
		case err != nil || !p.Addr().Is4():
			ps.add(path, "%q is not an IPv4 CIDR; use a private block like 10.0.0.0/19", s)
		case p.Masked() != p:
			ps.add(path, "%q has host bits set; use the network address %s", s, p.Masked())
		case !slices.ContainsFunc(rfc1918, func(r netip.Prefix) bool { return r.Contains(p.Addr()) && r.Bits() <= p.Bits() }):
			ps.add(path, "%q is not a private range; the private endpoint is reached from RFC 1918 networks (the VPC, a VPN, a peered VPC)", s)
		case seen[s]:
			ps.add(path, "%q is listed twice; list each CIDR once", s)
		}
		seen[s] = true
	}
}
