package render_test

// Render tests of the gitops stack's charts: argocd-platform, gitops-secrets, tekton-config,
// tekton-pipeline (and the shared ui-route with the gitops routes). Typed mirrors declare only
// the fields the charts set, with the JSON names of the upstream Go types:
//
//   - argoproj.io/v1alpha1 AppProject, ApplicationSet: argoproj/argo-cd v3.4
//     pkg/apis/application/v1alpha1/types.go (AppProjectSpec, ApplicationDestination,
//     ClusterResourceRestrictionItem, OrphanedResourcesMonitorSettings, ApplicationSpec,
//     ApplicationSource, SyncPolicy, SyncPolicyAutomated, RetryStrategy, Backoff) and
//     applicationset_types.go (ApplicationSetSpec, GitGenerator, GitDirectoryGeneratorItem,
//     ApplicationSetSyncPolicy); CRDs in argo-helm argo-cd-10.1.1 templates/crds.
//   - external-secrets.io/v1 ExternalSecret: external-secrets apis/externalsecrets/v1
//     externalsecret_types.go (ExternalSecretSpec, SecretStoreRef, ExternalSecretTarget,
//     ExternalSecretTemplate, ExternalSecretDataFromRemoteRef, ExternalSecretFind extract).
//   - operator.tekton.dev/v1alpha1 TektonConfig: tektoncd/operator v0.81.1
//     pkg/apis/operator/v1alpha1/tektonconfig_types.go and docs/TektonConfig.md (options).
//   - tekton.dev/v1 Task, Pipeline: tektoncd/pipeline pkg/apis/pipeline/v1 (TaskSpec, Step,
//     PipelineSpec, PipelineTask, WorkspaceDeclaration).
//   - triggers.tekton.dev/v1beta1 TriggerBinding, TriggerTemplate, EventListener:
//     tektoncd/triggers pkg/apis/triggers/v1beta1 (EventListenerTrigger, TriggerInterceptor,
//     InterceptorRef, InterceptorParams, EventListenerBinding, KubernetesResource).

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
)

// ---- core and RBAC kinds, wrapped so they satisfy mirror ----

// ---- argoproj.io/v1alpha1 ----

type groupKind struct {
	Group string `json:"group"`
	Kind  string `json:"kind"`
	Name  string `json:"name,omitempty"`
}

type appProject struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Description  string   `json:"description,omitempty"`
		SourceRepos  []string `json:"sourceRepos"`
		Destinations []struct {
			Server    string `json:"server"`
			Namespace string `json:"namespace"`
		} `json:"destinations"`
		ClusterResourceWhitelist   []groupKind `json:"clusterResourceWhitelist"`
		NamespaceResourceBlacklist []groupKind `json:"namespaceResourceBlacklist,omitempty"`
		OrphanedResources          *struct {
			Warn bool `json:"warn"`
		} `json:"orphanedResources,omitempty"`
	} `json:"spec"`
}

func (p *appProject) objectLabels() map[string]string { return p.Labels }

func (p *appProject) validate() error {
	if len(p.Spec.SourceRepos) == 0 || len(p.Spec.Destinations) == 0 {
		return fmt.Errorf("AppProject %s needs sourceRepos and destinations", p.Name)
	}
	if p.Spec.ClusterResourceWhitelist == nil {
		return fmt.Errorf("AppProject %s: clusterResourceWhitelist must be set (empty denies all)", p.Name)
	}
	for _, r := range p.Spec.SourceRepos {
		if r == "*" {
			return fmt.Errorf("AppProject %s allows every repository", p.Name)
		}
	}
	return nil
}

type backoff struct {
	Duration    string `json:"duration"`
	Factor      int    `json:"factor"`
	MaxDuration string `json:"maxDuration"`
}

type applicationSet struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		GoTemplate        bool     `json:"goTemplate"`
		GoTemplateOptions []string `json:"goTemplateOptions,omitempty"`
		Generators        []struct {
			Git *struct {
				RepoURL     string `json:"repoURL"`
				Revision    string `json:"revision"`
				Directories []struct {
					Path    string `json:"path"`
					Exclude bool   `json:"exclude,omitempty"`
				} `json:"directories"`
			} `json:"git,omitempty"`
		} `json:"generators"`
		SyncPolicy *struct {
			PreserveResourcesOnDeletion bool `json:"preserveResourcesOnDeletion"`
		} `json:"syncPolicy,omitempty"`
		Template struct {
			Metadata struct {
				Name        string            `json:"name"`
				Labels      map[string]string `json:"labels,omitempty"`
				Annotations map[string]string `json:"annotations,omitempty"`
			} `json:"metadata"`
			Spec struct {
				Project string `json:"project"`
				Source  struct {
					RepoURL        string `json:"repoURL"`
					TargetRevision string `json:"targetRevision"`
					Path           string `json:"path"`
				} `json:"source"`
				Destination struct {
					Server    string `json:"server"`
					Namespace string `json:"namespace"`
				} `json:"destination"`
				SyncPolicy struct {
					Automated struct {
						Prune    bool `json:"prune"`
						SelfHeal bool `json:"selfHeal"`
					} `json:"automated"`
					SyncOptions []string `json:"syncOptions"`
					Retry       struct {
						Limit   int     `json:"limit"`
						Backoff backoff `json:"backoff"`
					} `json:"retry"`
				} `json:"syncPolicy"`
			} `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
}

func (a *applicationSet) objectLabels() map[string]string { return a.Labels }

func (a *applicationSet) validate() error {
	if len(a.Spec.Generators) == 0 {
		return fmt.Errorf("ApplicationSet %s has no generator", a.Name)
	}
	for _, g := range a.Spec.Generators {
		if g.Git == nil || len(g.Git.Directories) == 0 {
			return fmt.Errorf("ApplicationSet %s: want a git directory generator", a.Name)
		}
	}
	return nil
}

// ---- external-secrets.io/v1 ----

type gitopsExternalSecret struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		RefreshInterval string `json:"refreshInterval"`
		SecretStoreRef  struct {
			Kind string `json:"kind"`
			Name string `json:"name"`
		} `json:"secretStoreRef"`
		Target struct {
			Name           string `json:"name"`
			CreationPolicy string `json:"creationPolicy"`
			Template       struct {
				EngineVersion string `json:"engineVersion"`
				Type          string `json:"type"`
				Metadata      *struct {
					Labels map[string]string `json:"labels"`
				} `json:"metadata,omitempty"`
				Data map[string]string `json:"data"`
			} `json:"template"`
		} `json:"target"`
		DataFrom []struct {
			Extract struct {
				Key string `json:"key"`
			} `json:"extract"`
		} `json:"dataFrom"`
	} `json:"spec"`
}

func (e *gitopsExternalSecret) objectLabels() map[string]string { return e.Labels }

func (e *gitopsExternalSecret) validate() error {
	if !slices.Contains([]string{"Owner", "Orphan", "Merge", "None"}, e.Spec.Target.CreationPolicy) {
		return fmt.Errorf("ExternalSecret %s: creationPolicy %q", e.Name, e.Spec.Target.CreationPolicy)
	}
	if len(e.Spec.DataFrom) == 0 || e.Spec.DataFrom[0].Extract.Key == "" {
		return fmt.Errorf("ExternalSecret %s reads no secret", e.Name)
	}
	return nil
}

// ---- operator.tekton.dev/v1alpha1 ----

type resourceList struct {
	CPU    string `json:"cpu"`
	Memory string `json:"memory"`
}

type tektonOptions struct {
	Disabled    bool `json:"disabled"`
	Deployments map[string]struct {
		Spec struct {
			Replicas int `json:"replicas"`
			Template struct {
				Spec struct {
					Containers []struct {
						Name      string `json:"name"`
						Resources struct {
							Requests resourceList `json:"requests"`
							Limits   resourceList `json:"limits"`
						} `json:"resources"`
					} `json:"containers"`
				} `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	} `json:"deployments"`
}

type tektonConfig struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		TargetNamespace string `json:"targetNamespace"`
		Profile         string `json:"profile"`
		Pipeline        struct {
			EnableAPIFields       string        `json:"enable-api-fields"`
			SetSecurityContext    bool          `json:"set-security-context"`
			DisableCredsInit      bool          `json:"disable-creds-init"`
			EnableGitResolver     bool          `json:"enable-git-resolver"`
			EnableHubResolver     bool          `json:"enable-hub-resolver"`
			EnableBundlesResolver bool          `json:"enable-bundles-resolver"`
			EnableClusterResolver bool          `json:"enable-cluster-resolver"`
			Options               tektonOptions `json:"options"`
		} `json:"pipeline"`
		Trigger struct {
			Options tektonOptions `json:"options"`
		} `json:"trigger"`
		Dashboard struct {
			Readonly bool          `json:"readonly"`
			Options  tektonOptions `json:"options"`
		} `json:"dashboard"`
		Chain struct {
			Disabled bool `json:"disabled"`
		} `json:"chain"`
		Result struct {
			Disabled bool `json:"disabled"`
		} `json:"result"`
		Pruner struct {
			Disabled  bool     `json:"disabled"`
			Schedule  string   `json:"schedule"`
			Keep      int      `json:"keep"`
			Resources []string `json:"resources"`
		} `json:"pruner"`
	} `json:"spec"`
}

func (c *tektonConfig) objectLabels() map[string]string { return c.Labels }

func (c *tektonConfig) validate() error {
	if c.Name != "config" {
		return fmt.Errorf("TektonConfig must be named config (the operator reconciles no other), got %q", c.Name)
	}
	if !slices.Contains([]string{"lite", "basic", "all"}, c.Spec.Profile) {
		return fmt.Errorf("TektonConfig profile %q", c.Spec.Profile)
	}
	return nil
}

// ---- tekton.dev/v1 ----

type param struct {
	Name        string `json:"name"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
	Default     any    `json:"default,omitempty"`
}

type step struct {
	Name             string          `json:"name"`
	Image            string          `json:"image"`
	Script           string          `json:"script,omitempty"`
	Args             []string        `json:"args,omitempty"`
	WorkingDir       string          `json:"workingDir,omitempty"`
	Env              []corev1.EnvVar `json:"env,omitempty"`
	ComputeResources struct {
		Requests resourceList `json:"requests"`
		Limits   resourceList `json:"limits"`
	} `json:"computeResources"`
	SecurityContext *corev1.SecurityContext `json:"securityContext,omitempty"`
}

type task struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Description string  `json:"description,omitempty"`
		Params      []param `json:"params,omitempty"`
		Workspaces  []struct {
			Name     string `json:"name"`
			ReadOnly bool   `json:"readOnly,omitempty"`
		} `json:"workspaces,omitempty"`
		Results []struct {
			Name        string `json:"name"`
			Description string `json:"description,omitempty"`
		} `json:"results,omitempty"`
		Volumes      []corev1.Volume `json:"volumes,omitempty"`
		StepTemplate *struct {
			Env          []corev1.EnvVar      `json:"env,omitempty"`
			VolumeMounts []corev1.VolumeMount `json:"volumeMounts,omitempty"`
			WorkingDir   string               `json:"workingDir,omitempty"`
		} `json:"stepTemplate,omitempty"`
		Steps []step `json:"steps"`
	} `json:"spec"`
}

func (t *task) objectLabels() map[string]string { return t.Labels }

func (t *task) validate() error {
	for _, s := range t.Spec.Steps {
		if s.ComputeResources.Requests.CPU == "" || s.ComputeResources.Limits.Memory == "" {
			return fmt.Errorf("Task %s step %s has no resources", t.Name, s.Name)
		}
		if s.SecurityContext != nil && s.SecurityContext.Privileged != nil && *s.SecurityContext.Privileged {
			return fmt.Errorf("Task %s step %s is privileged", t.Name, s.Name)
		}
	}
	return nil
}

type pipelineTask struct {
	Name     string   `json:"name"`
	RunAfter []string `json:"runAfter,omitempty"`
	TaskRef  struct {
		Name string `json:"name"`
	} `json:"taskRef"`
	Params []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"params,omitempty"`
	Workspaces []struct {
		Name      string `json:"name"`
		Workspace string `json:"workspace"`
	} `json:"workspaces,omitempty"`
}

type pipeline struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Description string  `json:"description,omitempty"`
		Params      []param `json:"params"`
		Workspaces  []struct {
			Name string `json:"name"`
		} `json:"workspaces"`
		Tasks []pipelineTask `json:"tasks"`
	} `json:"spec"`
}

func (p *pipeline) objectLabels() map[string]string { return p.Labels }

// ---- triggers.tekton.dev/v1beta1 ----

type triggerParam struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type triggerBinding struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Params []triggerParam `json:"params"`
	} `json:"spec"`
}

func (b *triggerBinding) objectLabels() map[string]string { return b.Labels }

type triggerTemplate struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Params []struct {
			Name string `json:"name"`
		} `json:"params"`
		ResourceTemplates []apiextensionsv1.JSON `json:"resourcetemplates"`
	} `json:"spec"`
}

func (t *triggerTemplate) objectLabels() map[string]string { return t.Labels }

// pipelineRun mirrors the PipelineRun inside the TriggerTemplate (tekton.dev/v1 PipelineRunSpec).
type pipelineRun struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		GenerateName string            `json:"generateName"`
		Labels       map[string]string `json:"labels"`
	} `json:"metadata"`
	Spec struct {
		PipelineRef struct {
			Name string `json:"name"`
		} `json:"pipelineRef"`
		Params   []triggerParam `json:"params"`
		Timeouts struct {
			Pipeline string `json:"pipeline"`
		} `json:"timeouts"`
		TaskRunTemplate struct {
			ServiceAccountName string `json:"serviceAccountName"`
		} `json:"taskRunTemplate"`
		TaskRunSpecs []struct {
			PipelineTaskName   string `json:"pipelineTaskName"`
			ServiceAccountName string `json:"serviceAccountName"`
		} `json:"taskRunSpecs"`
		Workspaces []struct {
			Name                string                        `json:"name"`
			VolumeClaimTemplate *corev1.PersistentVolumeClaim `json:"volumeClaimTemplate,omitempty"`
			Secret              *corev1.SecretVolumeSource    `json:"secret,omitempty"`
		} `json:"workspaces"`
	} `json:"spec"`
}

type interceptor struct {
	Ref struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
	} `json:"ref"`
	Params []struct {
		Name  string               `json:"name"`
		Value apiextensionsv1.JSON `json:"value"`
	} `json:"params"`
}

type eventListener struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		ServiceAccountName string `json:"serviceAccountName"`
		Resources          struct {
			KubernetesResource struct {
				Replicas int `json:"replicas"`
				Spec     struct {
					Template struct {
						Spec struct {
							Containers []struct {
								Resources corev1.ResourceRequirements `json:"resources"`
							} `json:"containers"`
						} `json:"spec"`
					} `json:"template"`
				} `json:"spec"`
			} `json:"kubernetesResource"`
		} `json:"resources"`
		Triggers []struct {
			Name         string        `json:"name"`
			Interceptors []interceptor `json:"interceptors"`
			Bindings     []struct {
				Ref   string `json:"ref,omitempty"`
				Name  string `json:"name,omitempty"`
				Value string `json:"value,omitempty"`
			} `json:"bindings"`
			Template struct {
				Ref string `json:"ref"`
			} `json:"template"`
		} `json:"triggers"`
	} `json:"spec"`
}

func (e *eventListener) objectLabels() map[string]string { return e.Labels }

func (e *eventListener) validate() error {
	for _, tr := range e.Spec.Triggers {
		if len(tr.Interceptors) == 0 || tr.Interceptors[0].Ref.Name != "github" {
			return fmt.Errorf("EventListener %s trigger %s: the github interceptor must come first", e.Name, tr.Name)
		}
	}
	return nil
}

// gitopsPlatformValues are the argocd-platform values the gitops stack gives for dev.
func gitopsPlatformValues() map[string]any {
	return map[string]any{
		"environment": "dev",
		"repository":  map[string]any{"url": "https://github.com/example-org/platform-gitops.git", "branch": "main", "path": "apps"},
		"teams": []any{
			map[string]any{"name": "shop", "namespaces": []any{"shop", "shop-jobs"}, "sourceRepos": []any{"https://github.com/example-org/platform-gitops.git"}},
			map[string]any{"name": "data", "namespaces": []any{"data"}, "sourceRepos": []any{"https://github.com/example-org/*"}},
		},
		"services": []any{
			map[string]any{"name": "cart", "team": "shop", "namespace": "shop"},
			map[string]any{"name": "checkout", "team": "shop", "namespace": "shop"},
			map[string]any{"name": "reports", "team": "shop", "namespace": "shop-jobs"},
		},
		"slackChannel": "deploys",
	}
}

func tektonPipelineValues() map[string]any {
	return map[string]any{
		"registry": "123456789012.dkr.ecr.us-east-1.amazonaws.com",
		"gitops":   map[string]any{"sshURL": "git@github.com:example-org/platform-gitops.git", "branch": "main", "path": "apps", "environment": "dev"},
		"services": []any{
			map[string]any{"name": "cart", "sourceRepository": "https://github.com/example-org/cart.git", "branch": "main", "repository": "eks-platform-dev/cart"},
			map[string]any{"name": "checkout", "sourceRepository": "https://github.com/example-org/checkout", "repository": "eks-platform-dev/checkout"},
		},
	}
}

func init() {
	registerMirror("argoproj.io/v1alpha1 AppProject", func() mirror { return &appProject{} })
	registerMirror("argoproj.io/v1alpha1 ApplicationSet", func() mirror { return &applicationSet{} })
	registerMirror("external-secrets.io/v1 ExternalSecret", func() mirror { return &gitopsExternalSecret{} })
	registerMirror("operator.tekton.dev/v1alpha1 TektonConfig", func() mirror { return &tektonConfig{} })
	registerMirror("tekton.dev/v1 Task", func() mirror { return &task{} })
	registerMirror("tekton.dev/v1 Pipeline", func() mirror { return &pipeline{} })
	registerMirror("triggers.tekton.dev/v1beta1 TriggerBinding", func() mirror { return &triggerBinding{} })
	registerMirror("triggers.tekton.dev/v1beta1 TriggerTemplate", func() mirror { return &triggerTemplate{} })
	registerMirror("triggers.tekton.dev/v1beta1 EventListener", func() mirror { return &eventListener{} })

	registerCases(
		renderCase{
			name: "argocd-platform teams and services", chart: charts.ArgoCDPlatform, namespace: "argocd",
			values: gitopsPlatformValues(),
			kinds:  map[string]int{"Namespace": 3, "AppProject": 2, "ApplicationSet": 2},
			check:  checkArgoCDPlatform,
		},
		renderCase{
			name: "gitops-secrets", chart: charts.GitOpsSecrets, namespace: "argocd",
			values: map[string]any{"secrets": []any{
				map[string]any{"name": "gitops-repo-creds", "namespace": "argocd", "awsSecretName": "eks-platform-dev/gitops/repo-credentials",
					"keys":   []any{map[string]any{"secretKey": "githubAppID", "property": "githubAppID"}, map[string]any{"secretKey": "githubAppPrivateKey", "property": "githubAppPrivateKey"}},
					"static": map[string]any{"type": "git", "url": "https://github.com/example-org/platform-gitops.git"},
					"labels": map[string]any{"argocd.argoproj.io/secret-type": "repo-creds"}},
				map[string]any{"name": "github-webhook", "namespace": "tekton-ci", "awsSecretName": "eks-platform-dev/gitops/github-webhook",
					"keys": []any{map[string]any{"secretKey": "secret", "property": "secret"}}},
			}},
			kinds: map[string]int{"ExternalSecret": 2},
			check: checkGitOpsSecrets,
		},
		renderCase{
			name: "tekton-config", chart: charts.TektonConfig, namespace: "tekton-operator",
			values: map[string]any{"deployments": map[string]any{
				"tekton-pipelines-controller": map[string]any{"container": "tekton-pipelines-controller", "component": "pipeline",
					"requests": map[string]any{"cpu": "20m", "memory": "64Mi"}, "limits": map[string]any{"cpu": "500m", "memory": "512Mi"}},
				"tekton-triggers-webhook": map[string]any{"container": "webhook", "component": "trigger",
					"requests": map[string]any{"cpu": "10m", "memory": "24Mi"}, "limits": map[string]any{"cpu": "200m", "memory": "128Mi"}},
				"tekton-dashboard": map[string]any{"container": "tekton-dashboard", "component": "dashboard",
					"requests": map[string]any{"cpu": "10m", "memory": "24Mi"}, "limits": map[string]any{"cpu": "100m", "memory": "128Mi"}},
			}},
			kinds: map[string]int{"TektonConfig": 1, "ServiceMonitor": 2, "ServiceAccount": 1, "ClusterRole": 1, "ClusterRoleBinding": 1, "Job": 1},
			check: checkTektonConfig,
		},
		renderCase{
			name: "tekton-pipeline", chart: charts.TektonPipeline, namespace: "tekton-ci",
			values: tektonPipelineValues(),
			kinds: map[string]int{"ServiceAccount": 3, "RoleBinding": 1, "ClusterRoleBinding": 1, "Task": 4, "Pipeline": 1,
				"TriggerBinding": 1, "TriggerTemplate": 1, "EventListener": 1, "ServiceMonitor": 1},
			check: checkTektonPipeline,
		},
		renderCase{
			name: "ui-route argocd with gRPC-web", chart: charts.UIRoute, namespace: "argocd",
			values: map[string]any{"name": "argocd", "hostname": "argocd.dev.example.com", "service": "argocd-server", "port": 80, "timeoutMs": 60000},
			kinds:  map[string]int{"Mapping": 1},
			check: func(t *testing.T, d *decoded) {
				m := get[*mapping](t, d, "Mapping", "argocd")
				assertEq(t, "hostname", m.Spec.Hostname, "argocd.dev.example.com")
				// Plain HTTP to argocd-server (server.insecure): Emissary terminates TLS; gRPC-web is HTTP/1.1.
				assertEq(t, "service", m.Spec.Service, "argocd-server.argocd:80")
				assertEq(t, "timeout", m.Spec.TimeoutMs, 60000)
			},
		},
		renderCase{
			name: "ui-route tekton-hooks", chart: charts.UIRoute, namespace: "tekton-ci",
			values: map[string]any{"name": "tekton-hooks", "hostname": "tekton-hooks.dev.example.com", "service": "el-github", "port": 8080},
			kinds:  map[string]int{"Mapping": 1},
			check: func(t *testing.T, d *decoded) {
				m := get[*mapping](t, d, "Mapping", "tekton-hooks")
				assertEq(t, "hostname", m.Spec.Hostname, "tekton-hooks.dev.example.com")
				assertEq(t, "service", m.Spec.Service, "el-github.tekton-ci:8080")
			},
		},
	)
}

func checkArgoCDPlatform(t *testing.T, d *decoded) {
	for _, ns := range []string{"shop", "shop-jobs", "data"} {
		n := get[*k8sNamespace](t, d, "Namespace", ns)
		assertEq(t, ns+" pod security", n.Labels["pod-security.kubernetes.io/enforce"], "baseline")
	}
	assertEq(t, "team label", get[*k8sNamespace](t, d, "Namespace", "data").Labels["eks-platform/team"], "data")

	shop := get[*appProject](t, d, "AppProject", "shop")
	assertEq(t, "namespace", shop.Namespace, "argocd")
	assertEq(t, "source repos", shop.Spec.SourceRepos, []string{"https://github.com/example-org/platform-gitops.git"})
	var dests []string
	for _, dst := range shop.Spec.Destinations {
		assertEq(t, "destination server", dst.Server, "https://kubernetes.default.svc")
		dests = append(dests, dst.Namespace)
	}
	assertEq(t, "destinations", dests, []string{"shop", "shop-jobs"})
	assertEq(t, "no cluster-scoped resources", len(shop.Spec.ClusterResourceWhitelist), 0)
	assertEq(t, "quotas are the platform's", shop.Spec.NamespaceResourceBlacklist, []groupKind{{Kind: "ResourceQuota"}, {Kind: "LimitRange"}})
	assertEq(t, "data repos", get[*appProject](t, d, "AppProject", "data").Spec.SourceRepos, []string{"https://github.com/example-org/*"})

	// One ApplicationSet per (team, namespace) that has services; data has none.
	if _, ok := d.other["ApplicationSet/data-data"]; ok {
		t.Error("ApplicationSet for a namespace without services")
	}
	as := get[*applicationSet](t, d, "ApplicationSet", "shop-shop")
	git := as.Spec.Generators[0].Git
	assertEq(t, "repo", git.RepoURL, "https://github.com/example-org/platform-gitops.git")
	assertEq(t, "revision", git.Revision, "main")
	var paths []string
	for _, dir := range git.Directories {
		paths = append(paths, dir.Path)
	}
	assertEq(t, "generator paths", paths, []string{"apps/dev/cart", "apps/dev/checkout"})
	assertEq(t, "go template", as.Spec.GoTemplate, true)
	assertEq(t, "missing keys fail", as.Spec.GoTemplateOptions, []string{"missingkey=error"})
	assertEq(t, "keeps workloads when deleted", as.Spec.SyncPolicy.PreserveResourcesOnDeletion, true)
	tpl := as.Spec.Template
	assertEq(t, "app name", tpl.Metadata.Name, "{{ .path.basename }}")
	assertEq(t, "app source path", tpl.Spec.Source.Path, "{{ .path.path }}")
	assertEq(t, "project", tpl.Spec.Project, "shop")
	assertEq(t, "destination", tpl.Spec.Destination.Namespace, "shop")
	sp := tpl.Spec.SyncPolicy
	assertEq(t, "prune", sp.Automated.Prune, true)
	assertEq(t, "self heal", sp.Automated.SelfHeal, true)
	assertEq(t, "sync options", sp.SyncOptions, []string{"CreateNamespace=true", "PruneLast=true"})
	assertEq(t, "retry", sp.Retry.Limit, 5)
	assertEq(t, "backoff", sp.Retry.Backoff, backoff{Duration: "10s", Factor: 2, MaxDuration: "3m"})
	assertEq(t, "slack subscription", tpl.Metadata.Annotations["notifications.argoproj.io/subscribe.on-sync-failed.slack"], "deploys")

	jobs := get[*applicationSet](t, d, "ApplicationSet", "shop-shop-jobs")
	assertEq(t, "jobs paths", jobs.Spec.Generators[0].Git.Directories[0].Path, "apps/dev/reports")
	assertEq(t, "jobs destination", jobs.Spec.Template.Spec.Destination.Namespace, "shop-jobs")
}

func checkGitOpsSecrets(t *testing.T, d *decoded) {
	es := get[*gitopsExternalSecret](t, d, "ExternalSecret", "gitops-repo-creds")
	assertEq(t, "store", es.Spec.SecretStoreRef.Kind+"/"+es.Spec.SecretStoreRef.Name, "ClusterSecretStore/aws-secrets-manager")
	assertEq(t, "aws secret", es.Spec.DataFrom[0].Extract.Key, "eks-platform-dev/gitops/repo-credentials")
	assertEq(t, "target", es.Spec.Target.Name, "gitops-repo-creds")
	assertEq(t, "argo label", es.Spec.Target.Template.Metadata.Labels, map[string]string{"argocd.argoproj.io/secret-type": "repo-creds"})
	assertEq(t, "template data", es.Spec.Target.Template.Data, map[string]string{
		"type": "git", "url": "https://github.com/example-org/platform-gitops.git",
		"githubAppID": "{{ .githubAppID }}", "githubAppPrivateKey": "{{ .githubAppPrivateKey }}",
	})
	hook := get[*gitopsExternalSecret](t, d, "ExternalSecret", "github-webhook")
	assertEq(t, "webhook namespace", hook.Namespace, "tekton-ci")
	assertEq(t, "webhook data", hook.Spec.Target.Template.Data, map[string]string{"secret": "{{ .secret }}"})
	if hook.Spec.Target.Template.Metadata != nil {
		t.Error("labels on a secret that needs none")
	}
}

func checkTektonConfig(t *testing.T, d *decoded) {
	c := get[*tektonConfig](t, d, "TektonConfig", "config")
	assertEq(t, "cluster-scoped", c.Namespace, "")
	assertEq(t, "target namespace", c.Spec.TargetNamespace, "tekton-pipelines")
	assertEq(t, "profile (pipelines, triggers, dashboard)", c.Spec.Profile, "all")
	assertEq(t, "dashboard read-only", c.Spec.Dashboard.Readonly, true)
	assertEq(t, "chains off", c.Spec.Chain.Disabled, true)
	assertEq(t, "results off", c.Spec.Result.Disabled, true)
	assertEq(t, "no hub or git resolver", c.Spec.Pipeline.EnableHubResolver || c.Spec.Pipeline.EnableGitResolver || c.Spec.Pipeline.EnableBundlesResolver, false)
	ctl := c.Spec.Pipeline.Options.Deployments["tekton-pipelines-controller"].Spec
	assertEq(t, "controller replicas", ctl.Replicas, 1)
	assertEq(t, "controller container", ctl.Template.Spec.Containers[0].Name, "tekton-pipelines-controller")
	assertEq(t, "controller requests", ctl.Template.Spec.Containers[0].Resources.Requests, resourceList{CPU: "20m", Memory: "64Mi"})
	assertEq(t, "pipeline deployments", slices.Sorted(maps.Keys(c.Spec.Pipeline.Options.Deployments)), []string{"tekton-pipelines-controller"})
	assertEq(t, "trigger deployments", slices.Sorted(maps.Keys(c.Spec.Trigger.Options.Deployments)), []string{"tekton-triggers-webhook"})
	assertEq(t, "dashboard deployments", slices.Sorted(maps.Keys(c.Spec.Dashboard.Options.Deployments)), []string{"tekton-dashboard"})
	assertEq(t, "pruner keep", c.Spec.Pruner.Keep, 10)
	sm := d.serviceMonitors["tekton-pipelines"]
	if sm == nil {
		t.Fatal("no ServiceMonitor tekton-pipelines")
	}
	assertEq(t, "sm namespace", sm.Namespace, "tekton-operator")
	assertEq(t, "sm selects namespace", sm.Spec.NamespaceSelector.MatchNames, []string{"tekton-pipelines"})
	assertEq(t, "sm port", sm.Spec.Endpoints[0].Port, "http-metrics")

	// The release completes only when the operator reports the TektonConfig Ready.
	job := get[*k8sJob](t, d, "Job", "tekton-config-wait")
	assertEq(t, "hook", job.Annotations["helm.sh/hook"], "post-install,post-upgrade")
	c0 := job.Spec.Template.Spec.Containers[0]
	assertEq(t, "wait args", c0.Args, []string{"wait", "--for=condition=Ready", "tektonconfig/config", "--timeout=540s"})
	assertEq(t, "kubectl pinned", c0.Image, "registry.k8s.io/kubectl:v1.35.0")
	assertEq(t, "job requests", c0.Resources.Requests.Memory().String(), "32Mi")
	role := get[*k8sClusterRole](t, d, "ClusterRole", "tekton-config-wait")
	assertEq(t, "read one TektonConfig", role.Rules[0].ResourceNames, []string{"config"})
	assertEq(t, "read only", role.Rules[0].Verbs, []string{"get", "list", "watch"})
}

func checkTektonPipeline(t *testing.T, d *decoded) {
	p := get[*pipeline](t, d, "Pipeline", "build-and-deploy")
	// The order: every task runs after the one before it.
	var order []string
	after := map[string][]string{}
	for _, pt := range p.Spec.Tasks {
		order = append(order, pt.Name+"="+pt.TaskRef.Name)
		after[pt.Name] = pt.RunAfter
	}
	assertEq(t, "tasks", order, []string{"clone=git-clone", "test=run-tests", "build-push=kaniko-build", "update-gitops=update-gitops"})
	assertEq(t, "test after clone", after["test"], []string{"clone"})
	assertEq(t, "build after test", after["build-push"], []string{"test"})
	assertEq(t, "gitops after build", after["update-gitops"], []string{"build-push"})
	for _, prm := range p.Spec.Tasks[2].Params {
		if prm.Name == "tag" {
			assertEq(t, "image tag is the commit", prm.Value, "$(tasks.clone.results.commit)")
		}
	}

	for _, name := range []string{"git-clone", "run-tests", "kaniko-build", "update-gitops"} {
		tk := get[*task](t, d, "Task", name)
		for _, s := range tk.Spec.Steps {
			if strings.HasPrefix(s.Image, "$(") {
				continue // the service's own test image, a pipeline parameter with a pinned default
			}
			if !strings.Contains(s.Image, ":") || strings.HasSuffix(s.Image, ":latest") {
				t.Errorf("task %s step %s image %q is not pinned", name, s.Name, s.Image)
			}
		}
	}
	kaniko := get[*task](t, d, "Task", "kaniko-build").Spec.Steps[0]
	assertEq(t, "kaniko image", kaniko.Image, "gcr.io/kaniko-project/executor:v1.23.2")
	assertEq(t, "not privileged", *kaniko.SecurityContext.Privileged, false)
	assertEq(t, "no escalation", *kaniko.SecurityContext.AllowPrivilegeEscalation, false)
	if !slices.Contains(kaniko.Args, "--destination=$(params.image):$(params.tag)") {
		t.Errorf("kaniko args %v", kaniko.Args)
	}
	upd := get[*task](t, d, "Task", "update-gitops")
	var file string
	for _, e := range upd.Spec.StepTemplate.Env {
		if e.Name == "FILE" {
			file = e.Value
		}
	}
	assertEq(t, "kustomization written", file, "apps/dev/$(params.service)/kustomization.yaml")
	if !strings.Contains(upd.Spec.Steps[0].Script, "--branch \"main\" \"git@github.com:example-org/platform-gitops.git\"") {
		t.Errorf("update-gitops clone script:\n%s", upd.Spec.Steps[0].Script)
	}

	el := get[*eventListener](t, d, "EventListener", "github")
	assertEq(t, "el service account", el.Spec.ServiceAccountName, "tekton-triggers")
	assertEq(t, "el requests", el.Spec.Resources.KubernetesResource.Spec.Template.Spec.Containers[0].Resources.Requests.Cpu().String(), "10m")
	assertEq(t, "triggers", len(el.Spec.Triggers), 2)
	tr := el.Spec.Triggers[1]
	assertEq(t, "trigger name", tr.Name, "checkout")
	gh := tr.Interceptors[0]
	assertEq(t, "github interceptor", gh.Ref.Kind+"/"+gh.Ref.Name, "ClusterInterceptor/github")
	params := map[string]string{}
	for _, prm := range gh.Params {
		params[prm.Name] = string(prm.Value.Raw)
	}
	assertEq(t, "shared secret", params["secretRef"], `{"secretKey":"secret","secretName":"github-webhook"}`)
	assertEq(t, "push only", params["eventTypes"], `["push"]`)
	cel := tr.Interceptors[1]
	assertEq(t, "cel", cel.Ref.Name, "cel")
	// The URL without .git gets it, as GitHub's clone_url has it.
	assertEq(t, "filter", string(cel.Params[0].Value.Raw),
		`"body.ref == 'refs/heads/main' \u0026\u0026 body.repository.clone_url == 'https://github.com/example-org/checkout.git'"`)
	var image string
	for _, b := range tr.Bindings {
		if b.Name == "image" {
			image = b.Value
		}
	}
	assertEq(t, "image binding", image, "123456789012.dkr.ecr.us-east-1.amazonaws.com/eks-platform-dev/checkout")

	tt := get[*triggerTemplate](t, d, "TriggerTemplate", "build-and-deploy")
	var run pipelineRun
	if err := render.DecodeStrict(tt.Spec.ResourceTemplates[0].Raw, &run); err != nil {
		t.Fatalf("PipelineRun template: %v", err)
	}
	assertEq(t, "pipeline", run.Spec.PipelineRef.Name, "build-and-deploy")
	assertEq(t, "default SA has no AWS access", run.Spec.TaskRunTemplate.ServiceAccountName, "tekton-runner")
	assertEq(t, "only build-push may push", len(run.Spec.TaskRunSpecs), 1)
	assertEq(t, "builder", run.Spec.TaskRunSpecs[0].PipelineTaskName+"="+run.Spec.TaskRunSpecs[0].ServiceAccountName, "build-push=tekton-builder")
	assertEq(t, "deploy key", run.Spec.Workspaces[1].Secret.SecretName, "gitops-deploy-key")

	rb := get[*k8sRoleBinding](t, d, "RoleBinding", "tekton-triggers-eventlistener")
	assertEq(t, "el role", rb.RoleRef.Name, "tekton-triggers-eventlistener-roles")
	builder := get[*k8sServiceAccount](t, d, "ServiceAccount", "tekton-builder")
	assertEq(t, "builder token not mounted", *builder.AutomountServiceAccountToken, false)
}

// TestGitOpsChartsRefuseBadValues: the charts fail loudly on values the stack must never give.
func TestGitOpsChartsRefuseBadValues(t *testing.T) {
	with := func(base map[string]any, key string, v any) map[string]any {
		m := maps.Clone(base)
		m[key] = v
		return m
	}
	pv := tektonPipelineValues()
	cases := []struct {
		name, chart string
		values      map[string]any
		want        string
	}{
		{"no repository", charts.ArgoCDPlatform, with(gitopsPlatformValues(), "repository", map[string]any{"url": ""}), "repository.url is required"},
		{"http repository", charts.ArgoCDPlatform, with(gitopsPlatformValues(), "repository", map[string]any{"url": "http://x/y.git"}), "must be an https or ssh Git URL"},
		{"no environment", charts.ArgoCDPlatform, with(gitopsPlatformValues(), "environment", ""), "environment is required"},
		{"privileged pod security", charts.ArgoCDPlatform, with(gitopsPlatformValues(), "podSecurity", "privileged"), "podSecurity must be baseline or restricted"},
		{"team without repos", charts.ArgoCDPlatform, with(gitopsPlatformValues(), "teams", []any{map[string]any{"name": "x", "namespaces": []any{"x"}}}), "team x has no sourceRepos"},
		{"latest image", charts.TektonPipeline, with(pv, "images", map[string]any{"kaniko": "gcr.io/kaniko-project/executor:latest"}), "images.kaniko"},
		{"untagged image", charts.TektonPipeline, with(pv, "images", map[string]any{"git": "alpine/git"}), "must be pinned"},
		{"no registry", charts.TektonPipeline, with(pv, "registry", ""), "registry is required"},
		{"no ssh URL", charts.TektonPipeline, with(pv, "gitops", map[string]any{"sshURL": "", "environment": "dev"}), "gitops.sshURL is required"},
		{"unpinned kubectl", charts.TektonConfig, map[string]any{"waitForReady": map[string]any{"image": "registry.k8s.io/kubectl"}}, "must be pinned"},
		{"bad component", charts.TektonConfig, map[string]any{"deployments": map[string]any{"x": map[string]any{"container": "x", "component": "chains"}}}, "must be pipeline, trigger or dashboard"},
		{"secret without keys", charts.GitOpsSecrets, map[string]any{"secrets": []any{map[string]any{"name": "a", "namespace": "b", "awsSecretName": "c"}}}, "lists no keys"},
		{"bad store kind", charts.GitOpsSecrets, map[string]any{"store": map[string]any{"kind": "Vault"}}, "store.kind must be"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := render.Render(charts.Path(tc.chart), tc.values, "test")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
