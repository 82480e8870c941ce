package config

import (
	"fmt"
	"slices"
	"sort"
)

// Pods per node. Cilium's ENI IPAM hands out VPC addresses exactly like the AWS VPC CNI, so a
// node's pod limit comes from its ENIs: without prefix delegation every secondary address is one
// pod; with prefix delegation every secondary slot is a /28 (16 pods). EKS recommends at most 110
// pods on instances with fewer than 30 vCPUs and 250 above, whatever the addresses allow
// (docs/adr/0004-pods-per-node.md).
const (
	addressesPerPrefix = 16  // a /28
	hostNetworkPods    = 2   // the +2 of the EKS max-pods formula: host-network pods need no address
	maxPodsSmall       = 110 // EKS recommendation below 30 vCPUs
	maxPodsLarge       = 250 // EKS recommendation from 30 vCPUs
	largeVCPUs         = 30
	minMaxPods         = 10 // below this the DaemonSets alone fill a node
	// prefixHeadroom is how much larger than strictly needed a private subnet must be with
	// prefix delegation: /28 prefixes need aligned free blocks, and single node addresses
	// scattered through the subnet fragment it.
	prefixHeadroom = 2
	// reservedPerSubnet are the addresses AWS keeps in every subnet.
	reservedPerSubnet = 5
)

// InstanceSpec is what the platform needs to know about an EC2 instance type: its size and its
// network interfaces (EC2 User Guide, "Maximum IP addresses per network interface"). Every type
// listed is Nitro-based, which ENI prefix delegation requires.
type InstanceSpec struct {
	VCPU       int64
	MemMiB     int64
	ENIs       int // network interfaces
	IPv4PerENI int // IPv4 addresses per interface, the primary one included
}

var instanceSpecs = map[string]InstanceSpec{
	"t3.medium":  {2, 4096, 3, 6},
	"t3a.medium": {2, 4096, 3, 6},
	"t3.large":   {2, 8192, 3, 12},
	"t3a.large":  {2, 8192, 3, 12},
	"t3.xlarge":  {4, 16384, 4, 15},
	"t3a.xlarge": {4, 16384, 4, 15},
	"m5.large":   {2, 8192, 3, 10},
	"m5a.large":  {2, 8192, 3, 10},
	"m6i.large":  {2, 8192, 3, 10},
	"m6a.large":  {2, 8192, 3, 10},
	"m7i.large":  {2, 8192, 3, 10},
	"m5.xlarge":  {4, 16384, 4, 15},
	"m6i.xlarge": {4, 16384, 4, 15},
	"c5.large":   {2, 4096, 3, 10},
	"c6i.large":  {2, 4096, 3, 10},
	"r5.large":   {2, 16384, 3, 10},
	"r6i.large":  {2, 16384, 3, 10},
}

// Instance returns the facts about an instance type, and whether the platform knows it.
func Instance(name string) (InstanceSpec, bool) {
	s, ok := instanceSpecs[name]
	return s, ok
}

// KnownInstanceTypes lists the instance types Instance knows, sorted.
func KnownInstanceTypes() []string {
	out := make([]string, 0, len(instanceSpecs))
	for k := range instanceSpecs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ENIMaxPods is the most pods the node's addresses allow: ENIs x (IPv4 per ENI - 1) + 2, with
// every secondary slot counting 16 under prefix delegation.
func (s InstanceSpec) ENIMaxPods(prefixDelegation bool) int {
	slots := s.ENIs * (s.IPv4PerENI - 1)
	if prefixDelegation {
		slots *= addressesPerPrefix
	}
	return slots + hostNetworkPods
}

// MaxPodsLimit is the highest maxPods the platform accepts for the type: the address limit,
// capped by the EKS recommendation for its vCPU count.
func (s InstanceSpec) MaxPodsLimit(prefixDelegation bool) int {
	limit := maxPodsSmall
	if s.VCPU >= largeVCPUs {
		limit = maxPodsLarge
	}
	return min(limit, s.ENIMaxPods(prefixDelegation))
}

// PrefixesPerNode is how many /28 prefixes a node with maxPods pods needs.
func PrefixesPerNode(maxPods int) int {
	pods := max(maxPods-hostNetworkPods, 0)
	return (pods + addressesPerPrefix - 1) / addressesPerPrefix
}

// validatePods checks that nodes.maxPods fits the instance types' addresses and that the
// private subnets can hold the node group's pod addresses.
func (c *Config) validatePods(ps *problems) {
	n, ng := c.Network, c.Nodes
	if ng.MaxPods < minMaxPods || ng.MaxPods > maxPodsLarge {
		ps.add("nodes.maxPods", "%d is out of range; use %d to %d (EKS recommends at most %d below %d vCPUs)",
			ng.MaxPods, minMaxPods, maxPodsLarge, maxPodsSmall, largeVCPUs)
		return
	}
	for _, t := range slices.Compact(slices.Sorted(slices.Values(ng.InstanceTypes))) {
		s, ok := Instance(t)
		if !ok {
			continue // the capacity check names unknown types with the list of known ones
		}
		if limit := s.MaxPodsLimit(n.PrefixDelegation); ng.MaxPods > limit {
			ps.add("nodes.maxPods", "%d is more than %s takes with network.prefixDelegation %t (%s); use at most %d%s",
				ng.MaxPods, t, n.PrefixDelegation, s.explain(n.PrefixDelegation), limit, enablePD(n.PrefixDelegation, s))
		}
	}
	if n.PrivateSubnetPrefix < 1 || n.PrivateSubnetPrefix > maxSubnetPrefix {
		return // reported by Network.validate
	}
	// Every node may land in one AZ: its subnet must hold maxSize nodes' pod addresses and their
	// interfaces' primary addresses; /28 prefixes also need room for fragmentation.
	enis := 0
	for _, t := range ng.InstanceTypes {
		if s, ok := Instance(t); ok {
			enis = max(enis, s.ENIs)
		}
	}
	podAddrs, headroom := ng.MaxPods-hostNetworkPods, 1
	how := fmt.Sprintf("%d pod addresses", podAddrs)
	if n.PrefixDelegation {
		podAddrs, headroom = PrefixesPerNode(ng.MaxPods)*addressesPerPrefix, prefixHeadroom
		how = fmt.Sprintf("%d /28 prefixes", PrefixesPerNode(ng.MaxPods))
	}
	need := headroom * ng.MaxSize * (podAddrs + enis)
	have := (1 << (32 - n.PrivateSubnetPrefix)) - reservedPerSubnet
	if have < need {
		ps.add("network.privateSubnetPrefix", "/%d holds %d addresses, but with network.prefixDelegation %t, nodes.maxSize %d and nodes.maxPods %d one AZ may need %d (%d nodes x (%s + %d interface addresses) x %d); use a shorter prefix or fewer pods",
			n.PrivateSubnetPrefix, have, n.PrefixDelegation, ng.MaxSize, ng.MaxPods, need, ng.MaxSize, how, enis, headroom)
	}
}

func (s InstanceSpec) explain(pd bool) string {
	unit := "addresses"
	if pd {
		unit = "/28 prefixes of 16"
	}
	limit := "EKS recommends at most 110 below 30 vCPUs"
	if s.VCPU >= largeVCPUs {
		limit = "EKS recommends at most 250"
	}
	return fmt.Sprintf("%d ENIs x %d %s + 2 = %d; %s", s.ENIs, s.IPv4PerENI-1, unit, s.ENIMaxPods(pd), limit)
}

func enablePD(pd bool, s InstanceSpec) string {
	if pd {
		return ""
	}
	return fmt.Sprintf(", or set network.prefixDelegation: true for up to %d", s.MaxPodsLimit(true))
}
