package render_test

// Mirrors of the Kubernetes kinds the local charts render, shared by every stack's render test:
// the upstream Go types, wrapped to satisfy the mirror interface. Strict decoding into them
// proves a chart sets no unknown field.

import (
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
)

type (
	k8sNamespace      struct{ corev1.Namespace }
	k8sConfigMap      struct{ corev1.ConfigMap }
	k8sService        struct{ corev1.Service }
	k8sServiceAccount struct{ corev1.ServiceAccount }
	k8sDeployment     struct{ appsv1.Deployment }
	k8sStatefulSet    struct{ appsv1.StatefulSet }
	k8sJob            struct{ batchv1.Job }
	k8sHPA            struct {
		autoscalingv2.HorizontalPodAutoscaler
	}
	k8sPDB                struct{ policyv1.PodDisruptionBudget }
	k8sNetworkPolicy      struct{ networkingv1.NetworkPolicy }
	k8sRoleBinding        struct{ rbacv1.RoleBinding }
	k8sClusterRole        struct{ rbacv1.ClusterRole }
	k8sClusterRoleBinding struct{ rbacv1.ClusterRoleBinding }
)

func (o *k8sNamespace) objectLabels() map[string]string          { return o.Labels }
func (o *k8sConfigMap) objectLabels() map[string]string          { return o.Labels }
func (o *k8sService) objectLabels() map[string]string            { return o.Labels }
func (o *k8sServiceAccount) objectLabels() map[string]string     { return o.Labels }
func (o *k8sDeployment) objectLabels() map[string]string         { return o.Labels }
func (o *k8sStatefulSet) objectLabels() map[string]string        { return o.Labels }
func (o *k8sJob) objectLabels() map[string]string                { return o.Labels }
func (o *k8sHPA) objectLabels() map[string]string                { return o.Labels }
func (o *k8sPDB) objectLabels() map[string]string                { return o.Labels }
func (o *k8sNetworkPolicy) objectLabels() map[string]string      { return o.Labels }
func (o *k8sRoleBinding) objectLabels() map[string]string        { return o.Labels }
func (o *k8sClusterRole) objectLabels() map[string]string        { return o.Labels }
func (o *k8sClusterRoleBinding) objectLabels() map[string]string { return o.Labels }

func init() {
	for kind, m := range map[string]func() mirror{
		"v1 Namespace":                                    func() mirror { return &k8sNamespace{} },
		"v1 ConfigMap":                                    func() mirror { return &k8sConfigMap{} },
		"v1 Service":                                      func() mirror { return &k8sService{} },
		"v1 ServiceAccount":                               func() mirror { return &k8sServiceAccount{} },
		"apps/v1 Deployment":                              func() mirror { return &k8sDeployment{} },
		"apps/v1 StatefulSet":                             func() mirror { return &k8sStatefulSet{} },
		"batch/v1 Job":                                    func() mirror { return &k8sJob{} },
		"autoscaling/v2 HorizontalPodAutoscaler":          func() mirror { return &k8sHPA{} },
		"policy/v1 PodDisruptionBudget":                   func() mirror { return &k8sPDB{} },
		"networking.k8s.io/v1 NetworkPolicy":              func() mirror { return &k8sNetworkPolicy{} },
		"rbac.authorization.k8s.io/v1 RoleBinding":        func() mirror { return &k8sRoleBinding{} },
		"rbac.authorization.k8s.io/v1 ClusterRole":        func() mirror { return &k8sClusterRole{} },
		"rbac.authorization.k8s.io/v1 ClusterRoleBinding": func() mirror { return &k8sClusterRoleBinding{} },
	} {
		registerMirror(kind, m)
	}
}
