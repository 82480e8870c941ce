package policy_test

import (
	"strings"
	"sync"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/policy"
	"github.com/platformeng/eks-platform/charts/render"
)

var (
	templatesOnce sync.Once
	templates     map[string]*policy.Template
	templatesErr  error
)

// compiled renders the gatekeeper-templates chart and compiles every template.
func compiled(t *testing.T) map[string]*policy.Template {
	t.Helper()
	templatesOnce.Do(func() {
		objs, err := render.Render(charts.Path(charts.GatekeeperTemplates),
			map[string]any{"crdWait": map[string]any{"image": "registry.k8s.io/kubectl:v1.35.0"}}, "gatekeeper-system")
		if err != nil {
			templatesErr = err
			return
		}
		set, err := policy.Load(objs)
		if err != nil {
			templatesErr = err
			return
		}
		templates = set.Templates
	})
	if templatesErr != nil {
		t.Fatal(templatesErr)
	}
	return templates
}

func obj(t *testing.T, y string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(y), &m); err != nil {
		t.Fatalf("test object: %v\n%s", err, y)
	}
	return m
}

// goodPod passes every policy under the parameters below.
const goodPod = `
apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: shop
  labels: {app.kubernetes.io/name: api, team: payments}
spec:
  securityContext: {runAsNonRoot: true}
  containers:
    - name: api
      image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/shop/api:1.4.2
      resources:
        requests: {cpu: 100m, memory: 256Mi}
        limits: {cpu: 300m, memory: 512Mi}
      securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
      livenessProbe: {httpGet: {path: /healthz, port: 8080}}
      readinessProbe: {httpGet: {path: /ready, port: 8080}}
`

var params = map[string]map[string]any{
	"K8sPlatformRequiredLabels":    {"labels": []any{"app.kubernetes.io/name", "team"}},
	"K8sPlatformAllowedRegistries": {"registries": []any{"111122223333.dkr.ecr.us-east-1.amazonaws.com/", "public.ecr.aws/acme/"}},
	"K8sPlatformLoadBalancer":      {"allowedNamespaces": []any{"emissary"}},
}

// patch applies a transformation to a copy of goodPod.
func patch(t *testing.T, f func(p map[string]any)) string {
	t.Helper()
	p := obj(t, goodPod)
	f(p)
	out, err := yaml.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func container(p map[string]any) map[string]any {
	return p["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)
}

func TestPolicies(t *testing.T) {
	tmpl := compiled(t)
	type row struct {
		name   string
		object string
		want   string // "" means allowed; otherwise a substring of the only violation
	}
	deployment := `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app.kubernetes.io/name: web}}
    spec:
      containers:
        - name: web
          image: nginx
`
	tests := map[string][]row{
		"K8sPlatformRequiredLabels": {
			{"all labels", goodPod, ""},
			{"missing team", patch(t, func(p map[string]any) { delete(p["metadata"].(map[string]any)["labels"].(map[string]any), "team") }),
				`Pod shop/api: pod labels ["team"] are required and missing`},
			{"empty value counts as missing", patch(t, func(p map[string]any) { p["metadata"].(map[string]any)["labels"].(map[string]any)["team"] = "" }),
				`pod labels ["team"] are required`},
			{"deployment template checked", deployment, `Deployment shop/web: pod labels ["team"] are required and missing`},
		},
		"K8sPlatformContainerResources": {
			{"requests and limits", goodPod, ""},
			{"no memory limit", patch(t, func(p map[string]any) {
				delete(container(p)["resources"].(map[string]any)["limits"].(map[string]any), "memory")
			}), "Pod shop/api: container api has no limits.memory"},
			{"init container checked", patch(t, func(p map[string]any) {
				p["spec"].(map[string]any)["initContainers"] = []any{map[string]any{"name": "migrate", "image": "x:1",
					"resources": map[string]any{"requests": map[string]any{"cpu": "10m", "memory": "10Mi"}, "limits": map[string]any{"memory": "10Mi"}}}}
			}), "container migrate has no limits.cpu"},
		},
		"K8sPlatformNoPrivileged": {
			{"unprivileged", goodPod, ""},
			{"privileged", patch(t, func(p map[string]any) { container(p)["securityContext"].(map[string]any)["privileged"] = true }),
				"Pod shop/api: container api is privileged"},
			{"privilege escalation allowed", patch(t, func(p map[string]any) {
				container(p)["securityContext"].(map[string]any)["allowPrivilegeEscalation"] = true
			}), "Pod shop/api: container api must set securityContext.allowPrivilegeEscalation: false"},
			{"privilege escalation left unset", patch(t, func(p map[string]any) {
				delete(container(p)["securityContext"].(map[string]any), "allowPrivilegeEscalation")
			}), "container api must set securityContext.allowPrivilegeEscalation: false"},
		},
		"K8sPlatformNoHostAccess": {
			{"no host access", goodPod, ""},
			{"host network", patch(t, func(p map[string]any) { p["spec"].(map[string]any)["hostNetwork"] = true }),
				"Pod shop/api: hostNetwork is not allowed"},
			{"host PID", patch(t, func(p map[string]any) { p["spec"].(map[string]any)["hostPID"] = true }), "hostPID is not allowed"},
			{"hostPath", patch(t, func(p map[string]any) {
				p["spec"].(map[string]any)["volumes"] = []any{map[string]any{"name": "docker", "hostPath": map[string]any{"path": "/var/run/docker.sock"}}}
			}), "volume docker mounts the host path /var/run/docker.sock"},
		},
		"K8sPlatformRunAsNonRoot": {
			{"pod level non-root", goodPod, ""},
			{"container level non-root", patch(t, func(p map[string]any) {
				delete(p["spec"].(map[string]any), "securityContext")
				container(p)["securityContext"].(map[string]any)["runAsNonRoot"] = true
			}), ""},
			{"not set", patch(t, func(p map[string]any) { delete(p["spec"].(map[string]any), "securityContext") }),
				"container api must set securityContext.runAsNonRoot: true"},
			{"container overrides pod", patch(t, func(p map[string]any) { container(p)["securityContext"].(map[string]any)["runAsNonRoot"] = false }),
				"container api must set securityContext.runAsNonRoot: true"},
			{"explicit root user", patch(t, func(p map[string]any) { container(p)["securityContext"].(map[string]any)["runAsUser"] = 0 }),
				"container api runs as user 0 (root)"},
		},
		"K8sPlatformReadOnlyRootFS": {
			{"read-only", goodPod, ""},
			{"writable", patch(t, func(p map[string]any) {
				delete(container(p)["securityContext"].(map[string]any), "readOnlyRootFilesystem")
			}),
				"container api must set securityContext.readOnlyRootFilesystem: true"},
		},
		"K8sPlatformAllowedRegistries": {
			{"own ECR", goodPod, ""},
			{"allow-listed prefix", patch(t, func(p map[string]any) { container(p)["image"] = "public.ecr.aws/acme/tool:2.0" }), ""},
			{"Docker Hub", patch(t, func(p map[string]any) { container(p)["image"] = "nginx:1.27" }),
				"container api image nginx:1.27 is not from an allowed registry"},
			{"look-alike host", patch(t, func(p map[string]any) {
				container(p)["image"] = "111122223333.dkr.ecr.us-east-1.amazonaws.com.evil.io/api:1"
			}), "is not from an allowed registry"},
		},
		"K8sPlatformImageTag": {
			{"version tag", goodPod, ""},
			{"digest", patch(t, func(p map[string]any) { container(p)["image"] = "repo/api@sha256:" + strings.Repeat("a", 64) }), ""},
			{"registry port, tagged", patch(t, func(p map[string]any) { container(p)["image"] = "registry:5000/api:1.0" }), ""},
			{"latest", patch(t, func(p map[string]any) { container(p)["image"] = "repo/api:latest" }),
				"container api image repo/api:latest uses :latest"},
			{"untagged", patch(t, func(p map[string]any) { container(p)["image"] = "registry:5000/api" }),
				"container api image registry:5000/api has no tag"},
		},
		"K8sPlatformProbes": {
			{"both probes", goodPod, ""},
			{"no readiness", patch(t, func(p map[string]any) { delete(container(p), "readinessProbe") }),
				"Pod shop/api: container api has no readinessProbe"},
			{"job pod needs none", patch(t, func(p map[string]any) {
				c := container(p)
				delete(c, "readinessProbe")
				delete(c, "livenessProbe")
				p["metadata"].(map[string]any)["ownerReferences"] = []any{map[string]any{"kind": "Job", "name": "migrate", "apiVersion": "batch/v1", "uid": "1"}}
			}), ""},
		},
		"K8sPlatformLoadBalancer": {
			{"ClusterIP anywhere", "apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec: {type: ClusterIP}\n", ""},
			{"LoadBalancer in ingress", "apiVersion: v1\nkind: Service\nmetadata: {name: edge, namespace: emissary}\nspec: {type: LoadBalancer}\n", ""},
			{"LoadBalancer elsewhere", "apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec: {type: LoadBalancer}\n",
				`Service shop/api: type LoadBalancer is allowed only in ["emissary"]`},
		},
	}
	if len(tests) != len(tmpl) {
		t.Errorf("tests cover %d templates, the chart has %d", len(tests), len(tmpl))
	}
	for kind, rows := range tests {
		tpl := tmpl[kind]
		if tpl == nil {
			t.Errorf("no template %s", kind)
			continue
		}
		allowed, refused := 0, 0
		for _, r := range rows {
			t.Run(kind+"/"+r.name, func(t *testing.T) {
				msgs, err := tpl.Eval(obj(t, r.object), "shop", params[kind])
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case r.want == "" && len(msgs) > 0:
					t.Errorf("refused: %v", msgs)
				case r.want != "" && len(msgs) != 1:
					t.Errorf("violations = %v, want exactly one containing %q", msgs, r.want)
				case r.want != "" && !strings.Contains(msgs[0], r.want):
					t.Errorf("message = %q, want it to contain %q", msgs[0], r.want)
				}
			})
			if r.want == "" {
				allowed++
			} else {
				refused++
			}
		}
		if allowed == 0 || refused == 0 {
			t.Errorf("%s: %d allowed and %d refused rows; want at least one of each", kind, allowed, refused)
		}
	}
}

// Other kinds of workloads reach the same pod template.
func TestWorkloadKinds(t *testing.T) {
	tpl := compiled(t)["K8sPlatformNoPrivileged"]
	spec := "containers: [{name: c, image: x:1, securityContext: {privileged: true, allowPrivilegeEscalation: false}}]"
	for kind, y := range map[string]string{
		"StatefulSet": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  template:\n    spec: {" + spec + "}\n",
		"DaemonSet":   "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: s}\nspec:\n  template:\n    spec: {" + spec + "}\n",
		"Job":         "apiVersion: batch/v1\nkind: Job\nmetadata: {name: s}\nspec:\n  template:\n    spec: {" + spec + "}\n",
		"CronJob":     "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: s}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec: {" + spec + "}\n",
	} {
		msgs, err := tpl.Eval(obj(t, y), "shop", nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := kind + " shop/s: container c is privileged"; len(msgs) != 1 || msgs[0] != want {
			t.Errorf("%s: %v, want [%s]", kind, msgs, want)
		}
	}
	// Objects that are not workloads have no pod template and pass.
	msgs, err := tpl.Eval(obj(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"), "shop", nil)
	if err != nil || len(msgs) != 0 {
		t.Errorf("ConfigMap: %v %v", msgs, err)
	}
}

func TestCompileRefusesBrokenTemplates(t *testing.T) {
	for name, rego := range map[string]string{
		"syntax error":         "package x\nviolation contains {\"msg\": m} if {",
		"no violation":         "package x\ndeny contains 1 if { true }",
		"lib outside data.lib": "", // replaced below
	} {
		libs := ""
		if name == "lib outside data.lib" {
			rego = "package x\nviolation contains {\"msg\": \"m\"} if { true }"
			libs = "\n          libs:\n            - |\n              package helpers\n              x := 1"
		}
		raw := "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata: {name: x}\nspec:\n  crd: {spec: {names: {kind: X}}}\n  targets:\n    - target: admission.k8s.gatekeeper.sh\n      code:\n      - engine: Rego\n        source:\n          version: v1\n          rego: |\n" +
			indent(rego, "            ") + libs + "\n"
		if _, err := policy.Compile([]byte(raw)); err == nil {
			t.Errorf("%s: compiled", name)
		}
	}
}

func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = prefix + lines[i]
	}
	return strings.Join(lines, "\n")
}
