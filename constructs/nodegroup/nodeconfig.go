package nodegroup

import (
	"encoding/base64"
	"fmt"

	"github.com/platformeng/eks-platform/constructs/capacity"
)

// mimeBoundary separates the parts of the user data; EKS appends its own NodeConfig part (the
// cluster's endpoint, CA and node labels) to a managed node group's user data.
const mimeBoundary = "//"

// NodeConfig is the nodeadm configuration (node.eks.aws/v1alpha1) the launch template passes to
// AL2023 nodes: the kubelet's pod limit and the memory it reserves at that limit.
//
//   - maxPods is set both in the kubelet configuration and as the --max-pods flag. nodeadm merges
//     NodeConfig parts in order, the last one winning, and the managed node group's own part
//     (appended after ours) carries the max pods EKS derives from the instance's addresses (35 on
//     a t3.large, as EKS does not know Cilium's prefix delegation). A kubelet flag takes
//     precedence over the configuration file, so the flag holds whatever the order.
//   - kubeReserved.memory is 255Mi + 11Mi x maxPods, the formula nodeadm applies to its own
//     default max pods; without it a node running 110 pods would reserve memory for 35.
//
// docs/adr/0004-pods-per-node.md has the numbers.
func NodeConfig(maxPods int) string {
	return fmt.Sprintf(`MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="%[1]s"

--%[1]s
Content-Type: application/node.eks.aws

---
apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      maxPods: %[2]d
      kubeReserved:
        memory: %[3]dMi
    flags:
      - --max-pods=%[2]d

--%[1]s--
`, mimeBoundary, maxPods, capacity.KubeReservedMemMiB(maxPods))
}

// UserData is NodeConfig base64-encoded, as launch templates take it.
func UserData(maxPods int) string {
	return base64.StdEncoding.EncodeToString([]byte(NodeConfig(maxPods)))
}
