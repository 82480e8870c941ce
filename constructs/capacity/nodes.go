package capacity

import (
	"fmt"
	"sort"
	"strings"

	"github.com/platformeng/eks-platform/config"
)

// Allocatable is what the kubelet offers to pods on one node.
type Allocatable struct {
	InstanceType string
	CPUMilli     int64
	MemMiB       int64
	Pods         int
}

// instance is an EC2 type's size and its ENI-based pod limit (Cilium ENI mode allocates pod IPs
// from ENIs exactly like the VPC CNI, so the EKS max-pods table applies).
type instance struct {
	vcpu    int64
	memMiB  int64
	maxPods int
}

var instances = map[string]instance{
	"t3.medium":  {2, 4096, 17},
	"t3a.medium": {2, 4096, 17},
	"t3.large":   {2, 8192, 35},
	"t3a.large":  {2, 8192, 35},
	"t3.xlarge":  {4, 16384, 58},
	"t3a.xlarge": {4, 16384, 58},
	"m5.large":   {2, 8192, 29},
	"m5a.large":  {2, 8192, 29},
	"m6i.large":  {2, 8192, 29},
	"m6a.large":  {2, 8192, 29},
	"m7i.large":  {2, 8192, 29},
	"m5.xlarge":  {4, 16384, 58},
	"m6i.xlarge": {4, 16384, 58},
	"c5.large":   {2, 4096, 29},
	"c6i.large":  {2, 4096, 29},
	"r5.large":   {2, 16384, 29},
	"r6i.large":  {2, 16384, 29},
}

// allocatable applies the EKS AMI reservation formulas: kube-reserved CPU is 6% of the first
// core, 1% of the second, 0.5% of cores 3-4 and 0.25% above; kube-reserved memory is
// 255Mi + 11Mi per pod; the hard eviction threshold is 100Mi; and about 6% of a node's memory
// never reaches the kubelet (kernel and hypervisor), as t3.large nodes report ~7.6Gi of 8Gi.
func (i instance) allocatable(name string) Allocatable {
	reserved := int64(0)
	for core := int64(1); core <= i.vcpu; core++ {
		switch {
		case core == 1:
			reserved += 60
		case core == 2:
			reserved += 10
		case core <= 4:
			reserved += 5
		default:
			reserved += 2 // 0.25% rounded down
		}
	}
	mem := i.memMiB*94/100 - (255 + 11*int64(i.maxPods)) - 100
	return Allocatable{InstanceType: name, CPUMilli: i.vcpu*1000 - reserved, MemMiB: mem, Pods: i.maxPods}
}

// AllocatableOf returns the allocatable capacity of one instance type.
func AllocatableOf(instanceType string) (Allocatable, error) {
	i, ok := instances[instanceType]
	if !ok {
		known := make([]string, 0, len(instances))
		for k := range instances {
			known = append(known, k)
		}
		sort.Strings(known)
		return Allocatable{}, fmt.Errorf("capacity: no allocatable data for instance type %q (nodes.instanceTypes); known: %s; add it to constructs/capacity/nodes.go",
			instanceType, strings.Join(known, ", "))
	}
	return i.allocatable(instanceType), nil
}

// smallest returns the most constrained allocatable of a mixed node group, dimension by
// dimension: the check must hold whichever type the Spot market hands out.
func smallest(types []string) (Allocatable, error) {
	if len(types) == 0 {
		return Allocatable{}, fmt.Errorf("capacity: no instance types")
	}
	var out Allocatable
	for i, t := range types {
		a, err := AllocatableOf(t)
		if err != nil {
			return Allocatable{}, err
		}
		if i == 0 {
			out = a
			continue
		}
		out.InstanceType += "|" + t
		out.CPUMilli = min(out.CPUMilli, a.CPUMilli)
		out.MemMiB = min(out.MemMiB, a.MemMiB)
		out.Pods = min(out.Pods, a.Pods)
	}
	return out, nil
}

func parseCPU(s string) (int64, error) { return config.ParseCPU(s) }

func parseMemMiB(s string) (int64, error) {
	b, err := config.ParseMemory(s)
	return b / (1 << 20), err
}
