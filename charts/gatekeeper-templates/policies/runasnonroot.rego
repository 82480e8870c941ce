# Containers run as a non-root user: runAsNonRoot true on the container, or on the pod and not
# overridden by the container, and never an explicit runAsUser 0.
package k8splatformrunasnonroot

import data.lib.workload

pod_context := object.get(workload.pod, ["spec", "securityContext"], {})

# setting is the container's value of key, or else the pod's, or else null.
setting(c, key) := object.get(c, ["securityContext", key], object.get(pod_context, key, null))

violation contains {"msg": msg} if {
	some c in workload.all_containers
	setting(c, "runAsNonRoot") != true
	msg := sprintf("%s: container %s must set securityContext.runAsNonRoot: true (or inherit it from the pod)", [workload.name, c.name])
}

violation contains {"msg": msg} if {
	some c in workload.all_containers
	setting(c, "runAsUser") == 0
	msg := sprintf("%s: container %s runs as user 0 (root)", [workload.name, c.name])
}
