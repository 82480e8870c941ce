# No host network, PID or IPC namespace and no hostPath volume: each one is a way out of the
# container onto the node.
package k8splatformnohostaccess

import data.lib.workload

violation contains {"msg": msg} if {
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	workload.pod.spec[field] == true
	msg := sprintf("%s: %s is not allowed", [workload.name, field])
}

violation contains {"msg": msg} if {
	some v in workload.pod.spec.volumes
	v.hostPath
	msg := sprintf("%s: volume %s mounts the host path %s", [workload.name, v.name, v.hostPath.path])
}
