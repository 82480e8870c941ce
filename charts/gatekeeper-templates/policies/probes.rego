# Long-running containers declare liveness and readiness probes, so that Kubernetes restarts a
# hung process and sends traffic only to ready pods. Jobs and their pods run to completion and
# are not checked.
package k8splatformprobes

import data.lib.workload

violation contains {"msg": msg} if {
	not workload.run_to_completion
	some c in workload.containers
	some probe in ["livenessProbe", "readinessProbe"]
	not c[probe]
	msg := sprintf("%s: container %s has no %s", [workload.name, c.name, probe])
}
