# Containers have a read-only root filesystem; writable paths are explicit volumes (emptyDir).
package k8splatformreadonlyrootfs

import data.lib.workload

violation contains {"msg": msg} if {
	some c in workload.all_containers
	object.get(c, ["securityContext", "readOnlyRootFilesystem"], false) != true
	msg := sprintf("%s: container %s must set securityContext.readOnlyRootFilesystem: true", [workload.name, c.name])
}
