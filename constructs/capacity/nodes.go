package capacity

import (
	"fmt"
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

// Reservation constants of the EKS AL2023 AMI (nodeadm): kube-reserved memory is
// 255Mi + 11Mi per pod the kubelet may run, and the hard eviction threshold is 100Mi.
const (
	KubeReservedBaseMiB   = 255
	KubeReservedPerPodMiB = 11
	evictionHardMiB       = 100
)

// KubeReservedMemMiB is the memory the kubelet reserves for itself at maxPods. The node group
// sets it explicitly (nodegroup.NodeConfig), because nodeadm would otherwise derive it from the
// instance type's address-based default (35 on t3.large), not from the configured maxPods.
func KubeReservedMemMiB(maxPods int) int64 {
	return KubeReservedBaseMiB + KubeReservedPerPodMiB*int64(maxPods)
}

// allocatable applies the EKS AMI reservation formulas: kube-reserved CPU is 6% of the first
// core, 1% of the second, 0.5% of cores 3-4 and 0.25% above; kube-reserved memory is
// 255Mi + 11Mi per pod (maxPods, the kubelet's limit); the hard eviction threshold is 100Mi;
// and about 6% of a node's memory never reaches the kubelet (kernel and hypervisor), as
// t3.large nodes report ~7.6Gi of 8Gi.
func allocatable(name string, i config.InstanceSpec, maxPods int) Allocatable {
	reserved := int64(0)
	for core := int64(1); core <= i.VCPU; core++ {
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
	mem := i.MemMiB*94/100 - KubeReservedMemMiB(maxPods) - evictionHardMiB
	return Allocatable{InstanceType: name, CPUMilli: i.VCPU*1000 - reserved, MemMiB: mem, Pods: maxPods}
}

// AllocatableOf returns the allocatable capacity of one instance type whose kubelet runs at
// most maxPods pods.
func AllocatableOf(instanceType string, maxPods int) (Allocatable, error) {
	i, ok := config.Instance(instanceType)
	if !ok {
		return Allocatable{}, fmt.Errorf("capacity: no allocatable data for instance type %q (nodes.instanceTypes); known: %s; add it to config/pods.go",
			instanceType, strings.Join(config.KnownInstanceTypes(), ", "))
	}
	if maxPods < 1 {
		return Allocatable{}, fmt.Errorf("capacity: nodes.maxPods is %d; the kubelet's pod limit must be positive", maxPods)
	}
	return allocatable(instanceType, i, maxPods), nil
}

// smallest returns the most constrained allocatable of a mixed node group, dimension by
// dimension: the check must hold whichever type the Spot market hands out.
func smallest(types []string, maxPods int) (Allocatable, error) {
	if len(types) == 0 {
		return Allocatable{}, fmt.Errorf("capacity: no instance types")
	}
	var out Allocatable
	for i, t := range types {
		a, err := AllocatableOf(t, maxPods)
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
