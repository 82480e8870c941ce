# Every pod carries the labels that tie it to an application and an owning team
# (parameters.labels, e.g. app.kubernetes.io/name and team). Empty values count as missing.
package k8splatformrequiredlabels

import data.lib.workload

violation contains {"msg": msg, "details": {"missing": missing}} if {
	labels := object.get(workload.pod, ["metadata", "labels"], {})
	provided := {k | some k, v in labels; v != ""}
	missing := sort({l | some l in input.parameters.labels} - provided)
	count(missing) > 0
	msg := sprintf("%s: pod labels %v are required and missing", [workload.name, missing])
}
