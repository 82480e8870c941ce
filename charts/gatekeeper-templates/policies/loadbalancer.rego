# Services of type LoadBalancer (a public or internal NLB each) only in the namespaces listed in
# parameters.allowedNamespaces, i.e. the ingress namespace: everything else goes through Emissary.
package k8splatformloadbalancer

import data.lib.workload

violation contains {"msg": msg} if {
	workload.kind == "Service"
	input.review.object.spec.type == "LoadBalancer"
	not workload.namespace in {ns | some ns in input.parameters.allowedNamespaces}
	msg := sprintf("%s: type LoadBalancer is allowed only in %v; expose it through the ingress (an Emissary Mapping)", [workload.name, input.parameters.allowedNamespaces])
}
