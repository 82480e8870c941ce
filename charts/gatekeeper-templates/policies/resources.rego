# Every container, init containers included, declares CPU and memory requests and limits, so
# the scheduler can place it and a runaway container cannot starve its node.
package k8splatformcontainerresources

import data.lib.workload

violation contains {"msg": msg} if {
	some c in workload.all_containers
	some field in ["requests", "limits"]
	some resource in ["cpu", "memory"]
	not c.resources[field][resource]
	msg := sprintf("%s: container %s has no %s.%s", [workload.name, c.name, field, resource])
}
