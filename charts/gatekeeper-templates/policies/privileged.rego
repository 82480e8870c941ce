# No privileged containers: a privileged container is root on its node.
package k8splatformnoprivileged

import data.lib.workload

violation contains {"msg": msg} if {
	some c in workload.all_containers
	c.securityContext.privileged == true
	msg := sprintf("%s: container %s is privileged", [workload.name, c.name])
}

# No privilege escalation: a setuid binary must not gain more than the container started with
# (the Pod Security "restricted" profile requires it set to false; unset means allowed).
violation contains {"msg": msg} if {
	some c in workload.all_containers
	not c.securityContext.allowPrivilegeEscalation == false
	msg := sprintf("%s: container %s must set securityContext.allowPrivilegeEscalation: false", [workload.name, c.name])
}
