package render_test

// Render tests of the security stack's charts (Workflow 5): internal-ca, openbao-tls,
// openbao-bootstrap, secret-stores, gatekeeper-templates, gatekeeper-constraints. Mirrors of
// the custom resources follow their upstream Go API types:
//
//   - templates.gatekeeper.sh/v1 ConstraintTemplate: open-policy-agent/frameworks
//     constraint/pkg/apis/templates/v1 (CRD names, validation.openAPIV3Schema, targets[].code[]
//     with engine Rego and source {version, rego, libs}).
//   - constraints.gatekeeper.sh/v1beta1 constraints: Gatekeeper's generated constraint CRDs
//     (spec.enforcementAction, spec.match.kinds/excludedNamespaces, spec.parameters).
//   - external-secrets.io/v1 ClusterSecretStore: external-secrets helm-chart-2.9.0
//     apis/externalsecrets/v1 secretstore_vault_types.go (VaultProvider, VaultKubernetesAuth,
//     CAProvider) and secretstore_aws_types.go (AWSProvider).
//   - monitoring.coreos.com/v1 PodMonitor: prometheus-operator podmonitor_types.go.
//
// Built-in kinds (ServiceAccount, ConfigMap, Job, CronJob, ClusterRole, ClusterRoleBinding)
// decode into k8s.io/api types.

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/policy"
	"github.com/platformeng/eks-platform/charts/render"
	"github.com/platformeng/eks-platform/config"
)

// Built-in kinds, wrapped so that they satisfy mirror (ConfigMap and ServiceAccount come from
// observability_test.go).
type (
	jobM                struct{ batchv1.Job }
	cronJobM            struct{ batchv1.CronJob }
	clusterRoleM        struct{ rbacv1.ClusterRole }
	clusterRoleBindingM struct{ rbacv1.ClusterRoleBinding }
)

func (m *jobM) objectLabels() map[string]string                { return m.Labels }
func (m *cronJobM) objectLabels() map[string]string            { return m.Labels }
func (m *clusterRoleM) objectLabels() map[string]string        { return m.Labels }
func (m *clusterRoleBindingM) objectLabels() map[string]string { return m.Labels }

func (m *jobM) validate() error { return validatePodSpec("Job "+m.Name, &m.Spec.Template.Spec) }
func (m *cronJobM) validate() error {
	return validatePodSpec("CronJob "+m.Name, &m.Spec.JobTemplate.Spec.Template.Spec)
}

// validatePodSpec checks what the platform asks of every pod its own charts run: resources
// set, non-root, read-only root filesystems, images pinned by tag.
func validatePodSpec(what string, p *corev1.PodSpec) error {
	for _, c := range append(slices.Clone(p.InitContainers), p.Containers...) {
		r := c.Resources
		if r.Requests.Cpu().IsZero() || r.Requests.Memory().IsZero() || r.Limits.Cpu().IsZero() || r.Limits.Memory().IsZero() {
			return fmt.Errorf("%s: container %s lacks requests or limits", what, c.Name)
		}
		sc := c.SecurityContext
		if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			return fmt.Errorf("%s: container %s must have a read-only root filesystem and no privilege escalation", what, c.Name)
		}
		if !strings.Contains(c.Image[strings.LastIndex(c.Image, "/")+1:], ":") || strings.HasSuffix(c.Image, ":latest") {
			return fmt.Errorf("%s: container %s image %q is not pinned", what, c.Name, c.Image)
		}
	}
	if p.SecurityContext == nil || p.SecurityContext.RunAsNonRoot == nil || !*p.SecurityContext.RunAsNonRoot {
		return fmt.Errorf("%s: pod must run as non-root", what)
	}
	return nil
}

type constraintTemplateM struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		CRD struct {
			Spec struct {
				Names struct {
					Kind string `json:"kind"`
				} `json:"names"`
				Validation *struct {
					OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
				} `json:"validation,omitempty"`
			} `json:"spec"`
		} `json:"crd"`
		Targets []struct {
			Target string `json:"target"`
			Code   []struct {
				Engine string `json:"engine"`
				Source struct {
					Version string   `json:"version"`
					Rego    string   `json:"rego"`
					Libs    []string `json:"libs"`
				} `json:"source"`
			} `json:"code"`
		} `json:"targets"`
	} `json:"spec"`
}

func (m *constraintTemplateM) objectLabels() map[string]string { return m.Labels }

func (m *constraintTemplateM) validate() error {
	kind := m.Spec.CRD.Spec.Names.Kind
	if m.Name != strings.ToLower(kind) {
		return fmt.Errorf("ConstraintTemplate %s: name must be the lower-case kind %s", m.Name, kind)
	}
	if len(m.Spec.Targets) != 1 || m.Spec.Targets[0].Target != "admission.k8s.gatekeeper.sh" || len(m.Spec.Targets[0].Code) != 1 {
		return fmt.Errorf("ConstraintTemplate %s: want one admission target with one code entry", m.Name)
	}
	c := m.Spec.Targets[0].Code[0]
	if c.Engine != "Rego" || c.Source.Version != "v1" || c.Source.Rego == "" || len(c.Source.Libs) != 1 {
		return fmt.Errorf("ConstraintTemplate %s: want Rego v1 with the workload library", m.Name)
	}
	return nil
}

type constraintM struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		EnforcementAction string `json:"enforcementAction"`
		Match             struct {
			Kinds []struct {
				APIGroups []string `json:"apiGroups"`
				Kinds     []string `json:"kinds"`
			} `json:"kinds"`
			ExcludedNamespaces []string `json:"excludedNamespaces,omitempty"`
		} `json:"match"`
		Parameters map[string]any `json:"parameters,omitempty"`
	} `json:"spec"`
}

func (m *constraintM) objectLabels() map[string]string { return m.Labels }

func (m *constraintM) validate() error {
	if !slices.Contains(config.EnforcementActions, m.Spec.EnforcementAction) {
		return fmt.Errorf("%s %s: enforcementAction %q", m.Kind, m.Name, m.Spec.EnforcementAction)
	}
	if len(m.Spec.Match.Kinds) == 0 {
		return fmt.Errorf("%s %s matches no kinds", m.Kind, m.Name)
	}
	return nil
}

type podMonitorM struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Selector          metav1.LabelSelector `json:"selector"`
		NamespaceSelector struct {
			MatchNames []string `json:"matchNames"`
		} `json:"namespaceSelector"`
		PodMetricsEndpoints []struct {
			Port     string `json:"port"`
			Interval string `json:"interval,omitempty"`
		} `json:"podMetricsEndpoints"`
	} `json:"spec"`
}

func (m *podMonitorM) objectLabels() map[string]string { return m.Labels }

type clusterSecretStoreM struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Provider struct {
			Vault *struct {
				Server     string `json:"server"`
				Path       string `json:"path"`
				Version    string `json:"version"`
				CAProvider struct {
					Type      string `json:"type"`
					Name      string `json:"name"`
					Namespace string `json:"namespace"`
					Key       string `json:"key"`
				} `json:"caProvider"`
				Auth struct {
					Kubernetes struct {
						MountPath         string `json:"mountPath"`
						Role              string `json:"role"`
						ServiceAccountRef struct {
							Name      string `json:"name"`
							Namespace string `json:"namespace"`
						} `json:"serviceAccountRef"`
					} `json:"kubernetes"`
				} `json:"auth"`
			} `json:"vault,omitempty"`
			AWS *struct {
				Service string `json:"service"`
				Region  string `json:"region"`
			} `json:"aws,omitempty"`
		} `json:"provider"`
	} `json:"spec"`
}

func (m *clusterSecretStoreM) objectLabels() map[string]string { return m.Labels }

func (m *clusterSecretStoreM) validate() error {
	p := m.Spec.Provider
	switch {
	case (p.Vault == nil) == (p.AWS == nil):
		return fmt.Errorf("ClusterSecretStore %s: want exactly one provider", m.Name)
	case p.Vault != nil && (p.Vault.Version != "v2" || !strings.HasPrefix(p.Vault.Server, "https://") || p.Vault.CAProvider.Type != "Secret"):
		return fmt.Errorf("ClusterSecretStore %s: vault must be KV v2 over https with a CA from a Secret", m.Name)
	case p.AWS != nil && p.AWS.Service != "SecretsManager":
		return fmt.Errorf("ClusterSecretStore %s: aws service %q", m.Name, p.AWS.Service)
	}
	return nil
}

// constraintKinds are the constraint kinds of the gatekeeper-templates chart.
var constraintKinds = []string{
	"K8sPlatformRequiredLabels", "K8sPlatformContainerResources", "K8sPlatformNoPrivileged",
	"K8sPlatformNoHostAccess", "K8sPlatformRunAsNonRoot", "K8sPlatformReadOnlyRootFS",
	"K8sPlatformAllowedRegistries", "K8sPlatformImageTag", "K8sPlatformProbes", "K8sPlatformLoadBalancer",
}

const ecr = "111122223333.dkr.ecr.us-east-1.amazonaws.com/"

func constraintsValues(action string) map[string]any {
	return map[string]any{
		"enforcementAction":      action,
		"excludedNamespaces":     toAnySlice(config.Defaults("prod").Security.Gatekeeper.ExemptNamespaces),
		"allowedRegistries":      []any{ecr, "public.ecr.aws/acme/"},
		"loadBalancerNamespaces": []any{"emissary"},
	}
}

func bootstrapValues() map[string]any {
	res := map[string]any{"requests": map[string]any{"cpu": "10m", "memory": "32Mi"}, "limits": map[string]any{"cpu": "200m", "memory": "128Mi"}}
	return map[string]any{
		"images":  map[string]any{"openbao": "quay.io/openbao/openbao:2.6.2", "awsCli": "public.ecr.aws/aws-cli/aws-cli:2.38.4"},
		"address": "https://openbao-active.openbao.svc:8200",
		"region":  "us-east-1",
		"init":    map[string]any{"secretId": "arn:aws:secretsmanager:us-east-1:111122223333:secret:eks-platform-dev-openbao/init-AbCdEf", "resources": res},
		"snapshot": map[string]any{
			"schedule": "0 3 * * *", "bucket": "eks-platform-dev-openbao-snapshots-111122223333", "resources": res,
		},
	}
}

func templatesValues() map[string]any {
	return map[string]any{"crdWait": map[string]any{
		"image":     "registry.k8s.io/kubectl:v1.35.0",
		"resources": map[string]any{"requests": map[string]any{"cpu": "10m", "memory": "32Mi"}, "limits": map[string]any{"cpu": "100m", "memory": "64Mi"}},
	}}
}

func storesValues() map[string]any {
	return map[string]any{
		"openbao":        map[string]any{"server": "https://openbao-active.openbao.svc:8200"},
		"secretsManager": map[string]any{"region": "us-east-1"},
	}
}

func toAnySlice(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func init() {
	// Core kinds may be registered by another stack's test file too.
	for kind, m := range map[string]func() mirror{
		"v1 ServiceAccount": func() mirror { return &k8sServiceAccount{} },
		"v1 ConfigMap":      func() mirror { return &k8sConfigMap{} },
		"batch/v1 Job":      func() mirror { return &jobM{} },
		"batch/v1 CronJob":  func() mirror { return &cronJobM{} },
		"rbac.authorization.k8s.io/v1 ClusterRole":        func() mirror { return &clusterRoleM{} },
		"rbac.authorization.k8s.io/v1 ClusterRoleBinding": func() mirror { return &clusterRoleBindingM{} },
	} {
		registerMirror(kind, m)
	}
	for kind, m := range map[string]func() mirror{
		"templates.gatekeeper.sh/v1 ConstraintTemplate": func() mirror { return &constraintTemplateM{} },
		"monitoring.coreos.com/v1 PodMonitor":           func() mirror { return &podMonitorM{} },
		"external-secrets.io/v1 ClusterSecretStore":     func() mirror { return &clusterSecretStoreM{} },
	} {
		registerMirror(kind, m)
	}
	for _, k := range constraintKinds {
		registerMirror("constraints.gatekeeper.sh/v1beta1 "+k, func() mirror { return &constraintM{} })
	}

	registerCases(
		renderCase{
			name: "internal-ca", chart: charts.InternalCA, namespace: "cert-manager",
			values: map[string]any{"commonName": "eks-platform-dev-internal-ca"},
			kinds:  map[string]int{"ClusterIssuer": 2, "Certificate": 1},
			check: func(t *testing.T, d *decoded) {
				assertEq(t, "bootstrap issuer", d.clusterIssuers["internal-ca-bootstrap"].Spec.SelfSigned != nil, true)
				assertEq(t, "CA issuer secret", d.clusterIssuers["internal-ca"].Spec.CA.SecretName, "internal-ca-root")
				root := d.certificates["internal-ca-root"]
				assertEq(t, "root is a CA", root.Spec.IsCA, true)
				assertEq(t, "root namespace", root.Namespace, "cert-manager")
				assertEq(t, "root issuer", root.Spec.IssuerRef.Name, "internal-ca-bootstrap")
				assertEq(t, "root key", *root.Spec.PrivateKey, certificatePrivateKey{Algorithm: "ECDSA", Size: 384})
			},
		},
		renderCase{
			name: "openbao-tls", chart: charts.OpenBaoTLS, namespace: "openbao",
			values: map[string]any{"dnsNames": []any{"openbao", "openbao-active.openbao.svc", "*.openbao-internal"}},
			kinds:  map[string]int{"Certificate": 1},
			check: func(t *testing.T, d *decoded) {
				c := d.certificates["openbao-server"]
				assertEq(t, "secret", c.Spec.SecretName, "openbao-server-tls")
				assertEq(t, "issuer", c.Spec.IssuerRef.Name+"/"+c.Spec.IssuerRef.Kind, "internal-ca/ClusterIssuer")
				assertEq(t, "names", c.Spec.DNSNames, []string{"openbao", "openbao-active.openbao.svc", "*.openbao-internal"})
				assertEq(t, "localhost for the CLI", c.Spec.IPAddresses, []string{"127.0.0.1"})
				assertEq(t, "key rotated", c.Spec.PrivateKey.RotationPolicy, "Always")
			},
		},
		renderCase{
			name: "secret-stores", chart: charts.SecretStores, namespace: "external-secrets",
			values: storesValues(),
			kinds:  map[string]int{"ClusterSecretStore": 2},
			check: func(t *testing.T, d *decoded) {
				o := get[*clusterSecretStoreM](t, d, "ClusterSecretStore", "openbao").Spec.Provider.Vault
				assertEq(t, "path", o.Path, "secret")
				assertEq(t, "ca", o.CAProvider.Name+"/"+o.CAProvider.Namespace+"/"+o.CAProvider.Key, "openbao-server-tls/openbao/ca.crt")
				k := o.Auth.Kubernetes
				assertEq(t, "role", k.Role, "external-secrets")
				assertEq(t, "service account", k.ServiceAccountRef.Namespace+"/"+k.ServiceAccountRef.Name, "external-secrets/external-secrets")
				a := get[*clusterSecretStoreM](t, d, "ClusterSecretStore", "aws-secrets-manager").Spec.Provider.AWS
				assertEq(t, "aws region", a.Region, "us-east-1")
			},
		},
		renderCase{
			name: "openbao-bootstrap", chart: charts.OpenBaoBootstrap, namespace: "openbao",
			values: bootstrapValues(),
			kinds:  map[string]int{"ConfigMap": 2, "ServiceAccount": 2, "Job": 1, "CronJob": 1},
			check: func(t *testing.T, d *decoded) {
				job := get[*jobM](t, d, "Job", "openbao-bootstrap")
				assertEq(t, "hook", job.Annotations["helm.sh/hook"], "post-install,post-upgrade")
				p := job.Spec.Template.Spec
				assertEq(t, "service account", p.ServiceAccountName, "openbao-bootstrap")
				assertEq(t, "steps", []string{p.InitContainers[0].Name, p.InitContainers[1].Name, p.Containers[0].Name}, []string{"init", "store", "configure"})
				assertEq(t, "aws cli step", p.InitContainers[1].Image, "public.ecr.aws/aws-cli/aws-cli:2.38.4")
				assertEq(t, "first server", envOf(p.InitContainers[0], "INIT_ADDR"), "https://openbao-0.openbao-internal.openbao.svc:8200")
				assertEq(t, "secret id", envOf(p.InitContainers[1], "INIT_SECRET_ID"), "arn:aws:secretsmanager:us-east-1:111122223333:secret:eks-platform-dev-openbao/init-AbCdEf")
				for _, v := range p.Volumes {
					if v.Name == "work" && (v.EmptyDir == nil || v.EmptyDir.Medium != corev1.StorageMediumMemory) {
						t.Error("the init output must only ever sit in memory")
					}
				}
				cj := get[*cronJobM](t, d, "CronJob", "openbao-snapshot")
				assertEq(t, "schedule", cj.Spec.Schedule, "0 3 * * *")
				assertEq(t, "no overlap", cj.Spec.ConcurrencyPolicy, batchv1.ForbidConcurrent)
				up := cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0]
				assertEq(t, "bucket", envOf(up, "SNAPSHOT_BUCKET"), "eks-platform-dev-openbao-snapshots-111122223333")
				scripts := get[*k8sConfigMap](t, d, "ConfigMap", "openbao-bootstrap-scripts").Data
				for _, f := range []string{"init.sh", "store.sh", "configure.sh", "snapshot.sh", "upload.sh"} {
					if !strings.HasPrefix(scripts[f], "#!/bin/sh") {
						t.Errorf("script %s missing from the ConfigMap", f)
					}
				}
				if !strings.Contains(scripts["configure.sh"], "bao token revoke -self") {
					t.Error("configure.sh does not revoke the root token")
				}
				pol := get[*k8sConfigMap](t, d, "ConfigMap", "openbao-bootstrap-policies").Data
				assertEq(t, "eso policy path", strings.Contains(pol["external-secrets.hcl"], `path "secret/data/*"`), true)
				if strings.Contains(pol["external-secrets.hcl"], "update") || strings.Contains(pol["external-secrets.hcl"], "KV_PATH") {
					t.Errorf("external-secrets policy must be read-only on the KV mount:\n%s", pol["external-secrets.hcl"])
				}
				if strings.Contains(pol["openbao-bootstrap.hcl"], "sys/policies/acl/openbao-bootstrap") {
					t.Error("the bootstrap role may rewrite its own policy")
				}
			},
		},
		renderCase{
			name: "gatekeeper-templates", chart: charts.GatekeeperTemplates, namespace: "gatekeeper-system",
			values: templatesValues(),
			kinds:  map[string]int{"ConstraintTemplate": len(constraintKinds), "ServiceAccount": 1, "ClusterRole": 1, "ClusterRoleBinding": 1, "Job": 1},
			check: func(t *testing.T, d *decoded) {
				for _, k := range constraintKinds {
					ct := get[*constraintTemplateM](t, d, "ConstraintTemplate", strings.ToLower(k))
					assertEq(t, k+" kind", ct.Spec.CRD.Spec.Names.Kind, k)
				}
				job := get[*jobM](t, d, "Job", "gatekeeper-crd-wait")
				args := job.Spec.Template.Spec.Containers[0].Command
				assertEq(t, "waits for every CRD", len(args), 4+len(constraintKinds))
				assertEq(t, "hook", job.Annotations["helm.sh/hook"], "post-install,post-upgrade")
				role := get[*clusterRoleM](t, d, "ClusterRole", "gatekeeper-crd-wait")
				assertEq(t, "read-only on CRDs", role.Rules[0].Verbs, []string{"get", "list", "watch"})
			},
		},
		renderCase{
			name: "gatekeeper-constraints", chart: charts.GatekeeperConstraints, namespace: "gatekeeper-system",
			values: constraintsValues("warn"),
			kinds:  constraintCounts(),
			check: func(t *testing.T, d *decoded) {
				c := get[*constraintM](t, d, "K8sPlatformAllowedRegistries", "allowed-registries")
				assertEq(t, "action", c.Spec.EnforcementAction, "warn")
				assertEq(t, "registries", c.Spec.Parameters["registries"], any([]any{ecr, "public.ecr.aws/acme/"}))
				if !slices.Contains(c.Spec.Match.ExcludedNamespaces, "kube-system") {
					t.Errorf("kube-system not exempt: %v", c.Spec.Match.ExcludedNamespaces)
				}
				lb := get[*constraintM](t, d, "K8sPlatformLoadBalancer", "load-balancer-namespaces")
				assertEq(t, "lb everywhere", len(lb.Spec.Match.ExcludedNamespaces), 0)
				pm := get[*podMonitorM](t, d, "PodMonitor", "gatekeeper")
				assertEq(t, "metrics port", pm.Spec.PodMetricsEndpoints[0].Port, "metrics")
				assertEq(t, "selector", pm.Spec.Selector.MatchLabels, map[string]string{"gatekeeper.sh/system": "yes"})
			},
		},
	)
}

func constraintCounts() map[string]int {
	m := map[string]int{"PodMonitor": 1}
	for _, k := range constraintKinds {
		m[k] = 1
	}
	return m
}

func envOf(c corev1.Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func TestSecurityChartsRefuseBadValues(t *testing.T) {
	with := func(base map[string]any, path string, v any) map[string]any {
		out := map[string]any{}
		b, _ := yaml.Marshal(base)
		_ = yaml.Unmarshal(b, &out)
		keys := strings.Split(path, ".")
		m := out
		for _, k := range keys[:len(keys)-1] {
			m = m[k].(map[string]any)
		}
		m[keys[len(keys)-1]] = v
		return out
	}
	tests := []struct {
		name, chart string
		values      map[string]any
		want        string
	}{
		{"constraints without registries", charts.GatekeeperConstraints, with(constraintsValues("deny"), "allowedRegistries", []any{}), "allowedRegistries is required"},
		{"registry without slash", charts.GatekeeperConstraints, with(constraintsValues("deny"), "allowedRegistries", []any{"docker.io"}), "must end with /"},
		{"unknown action", charts.GatekeeperConstraints, constraintsValues("block"), "enforcementAction must be deny, warn or dryrun"},
		{"latest image", charts.OpenBaoBootstrap, with(bootstrapValues(), "images.openbao", "quay.io/openbao/openbao:latest"), "must not use :latest"},
		{"untagged image", charts.OpenBaoBootstrap, with(bootstrapValues(), "images.awsCli", "public.ecr.aws/aws-cli/aws-cli"), "pinned by tag"},
		{"plain http address", charts.OpenBaoBootstrap, with(bootstrapValues(), "address", "http://openbao:8200"), "https address"},
		{"threshold above shares", charts.OpenBaoBootstrap, with(bootstrapValues(), "init.recoveryThreshold", 6), "must not exceed"},
		{"no snapshot bucket", charts.OpenBaoBootstrap, with(bootstrapValues(), "snapshot.bucket", ""), "snapshot.bucket is required"},
		{"no kubectl image", charts.GatekeeperTemplates, map[string]any{}, "crdWait.image is required"},
		{"store over http", charts.SecretStores, with(storesValues(), "openbao.server", "http://openbao:8200"), "https://"},
		{"no CA name", charts.InternalCA, map[string]any{}, "commonName is required"},
		{"no dns names", charts.OpenBaoTLS, map[string]any{}, "dnsNames is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := render.Render(charts.Path(tt.chart), tt.values, "x")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// securityCharts are this stack's charts: their pods must pass every policy on their merits.
var securityCharts = map[string]bool{
	charts.InternalCA: true, charts.OpenBaoTLS: true, charts.OpenBaoBootstrap: true, charts.SecretStores: true,
	charts.GatekeeperTemplates: true, charts.GatekeeperConstraints: true,
}

// TestPlatformObjectsPassPolicies renders every local chart of the seven stacks (every registered
// render case; it fails for a chart without one) and reviews each object against the platform's
// constraints at deny, as
// Gatekeeper would admit it into its namespace: none may be refused (exempt or passing). The
// security stack's own pods must also pass every policy on their merits, exemption aside,
// except the registry allow-list (their images come from public registries); for other stacks'
// pods the test logs what their exemption covers. The render cases' namespaces are examples;
// stacks.TestLocalReleasesPassGatekeeper repeats the review with each stack's synthesized
// values in the namespace its release really installs into.
func TestPlatformObjectsPassPolicies(t *testing.T) {
	tmpl, err := render.Render(charts.Path(charts.GatekeeperTemplates), templatesValues(), "gatekeeper-system")
	if err != nil {
		t.Fatal(err)
	}
	cons, err := render.Render(charts.Path(charts.GatekeeperConstraints), constraintsValues("deny"), "gatekeeper-system")
	if err != nil {
		t.Fatal(err)
	}
	set, err := policy.Load(tmpl, cons)
	if err != nil {
		t.Fatal(err)
	}
	unexempt, err := render.Render(charts.Path(charts.GatekeeperConstraints),
		map[string]any{"enforcementAction": "deny", "allowedRegistries": []any{ecr}, "loadBalancerNamespaces": []any{"emissary"}}, "gatekeeper-system")
	if err != nil {
		t.Fatal(err)
	}
	strict, err := policy.Load(tmpl, unexempt)
	if err != nil {
		t.Fatal(err)
	}

	reviewed, workloads := 0, 0
	charted := map[string]bool{}
	for _, tc := range renderCases() {
		objs, err := render.Render(charts.Path(tc.chart), tc.values, tc.namespace)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		charted[tc.chart] = true
		for _, o := range objs {
			var obj map[string]any
			if err := yaml.Unmarshal(o.Raw, &obj); err != nil {
				t.Fatal(err)
			}
			ns := o.Namespace
			if ns == "" {
				ns = tc.namespace
			}
			vs, err := set.Review(obj, ns)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				t.Errorf("%s: %s %s/%s refused: %s", tc.name, o.Kind, ns, o.Name, v)
			}
			reviewed++
			switch o.Kind {
			case "Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob":
				workloads++
				vs, err := strict.Review(obj, ns)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range vs {
					if strings.HasPrefix(v.Constraint, "K8sPlatformAllowedRegistries/") {
						continue
					}
					if securityCharts[tc.chart] {
						t.Errorf("%s: %s %s would be refused outside an exempt namespace: %s", tc.name, o.Kind, o.Name, v.Msg)
					} else {
						// Other stacks' charts only need their exemption; say what it covers.
						t.Logf("%s: %s %s relies on its namespace's exemption: %s", tc.name, o.Kind, o.Name, v.Msg)
					}
				}
			}
		}
	}
	for _, name := range charts.Names() {
		if !charted[name] {
			t.Errorf("chart %s was not reviewed", name)
		}
	}
	if workloads < 3 {
		t.Errorf("reviewed %d workloads; the security charts alone have three", workloads)
	}
	t.Logf("reviewed %d objects (%d workloads) of %d charts", reviewed, workloads, len(charted))

	// The review is real: an unsafe pod in a workload namespace is refused.
	bad := map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{"name": "x"},
		"spec": map[string]any{"containers": []any{map[string]any{"name": "c", "image": "nginx"}}}}
	vs, err := set.Review(bad, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) < 6 {
		t.Errorf("an unsafe pod got only %d violations: %v", len(vs), vs)
	}
	vs, _ = set.Review(bad, "kube-system")
	if len(vs) != 0 {
		t.Errorf("kube-system is exempt, got %v", vs)
	}
}
