# Images are pinned: a digest, or a tag other than latest. An untagged image means latest.
package k8splatformimagetag

import data.lib.workload

# tag is the image's tag; undefined for digests and untagged images. The tag follows the
# last "/", so a registry port (registry:5000/app) is not mistaken for one.
tag(image) := t if {
	not contains(image, "@")
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	t := split(last, ":")[1]
}

violation contains {"msg": msg} if {
	some c in workload.all_containers
	not contains(c.image, "@")
	not tag(c.image)
	msg := sprintf("%s: container %s image %s has no tag; pin a version or a digest", [workload.name, c.name, c.image])
}

violation contains {"msg": msg} if {
	some c in workload.all_containers
	tag(c.image) == "latest"
	msg := sprintf("%s: container %s image %s uses :latest; pin a version or a digest", [workload.name, c.name, c.image])
}
