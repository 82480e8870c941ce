# Images come only from the account's ECR registry or an allow-listed prefix
# (parameters.registries, each ending with "/" so that a prefix cannot match a look-alike host).
package k8splatformallowedregistries

import data.lib.workload

allowed(image) if {
	some prefix in input.parameters.registries
	startswith(image, prefix)
}

violation contains {"msg": msg} if {
	some c in workload.all_containers
	not allowed(c.image)
	msg := sprintf("%s: container %s image %s is not from an allowed registry %v", [workload.name, c.name, c.image, input.parameters.registries])
}
