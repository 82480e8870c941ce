# Shared helpers: the pod template of whatever object is under review, so that every policy
# checks a Deployment (and its ReplicaSets and Pods) the same way. Rego v1, as the
# ConstraintTemplates declare (source.version: v1); Gatekeeper imports it as data.lib.workload.
package lib.workload

kind := input.review.object.kind

# name is "<Kind> <namespace>/<name>" for messages; generateName stands in for a pod's name.
name := sprintf("%s %s/%s", [kind, namespace, object.get(input.review.object.metadata, "name", object.get(input.review.object.metadata, "generateName", ""))])

# namespace comes from the object, or from the admission request when the object leaves it out.
namespace := object.get(input.review.object.metadata, "namespace", object.get(input.review, "namespace", ""))

controllers := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

pod := input.review.object if kind == "Pod"

pod := input.review.object.spec.template if kind in controllers

pod := input.review.object.spec.jobTemplate.spec.template if kind == "CronJob"

# containers are the long-running containers; all_containers adds init containers.
containers contains c if some c in pod.spec.containers

all_containers contains c if some c in pod.spec.containers

all_containers contains c if some c in pod.spec.initContainers

# run_to_completion is true for Jobs, CronJobs and the Pods a Job creates.
run_to_completion if kind in {"Job", "CronJob"}

run_to_completion if {
	kind == "Pod"
	some owner in input.review.object.metadata.ownerReferences
	owner.kind == "Job"
}
