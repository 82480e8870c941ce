# No privileged containers: a privileged container is root on its node.
package k8splatformnoprivileged

import data.lib.workload

violation contains {"msg": msg} if {
	some c in workload.all_containers
	c.securityContext.privileged == true
	msg := sprintf("%s: container %s is privileged", [workload.name, c.name])
}
