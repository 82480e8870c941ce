package stacks

import (
	"fmt"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
)

func gitops(t *testing.T, env string) tf { return synthPlatform(t, env, "", nil)["gitops"] }

func TestGitOpsWiring(t *testing.T) {
	d := gitops(t, "dev")
	rs := d.data("terraform_remote_state")
	if _, ok := rs["cross-stack-reference-input-foundation"]; !ok {
		t.Fatalf("no remote state of foundation: %v", rs)
	}
	k := at(t, d, "provider", "helm", 0, "kubernetes").(map[string]any)
	if !strings.Contains(k["host"].(string), "cross-stack-reference-input-foundation") {
		t.Errorf("helm provider host = %v, want the foundation's cluster endpoint", k["host"])
	}
	assoc := d.one(t, "aws_eks_pod_identity_association", "builder-identity")
	if !strings.Contains(assoc["cluster_name"].(string), "cross-stack-reference-input-foundation") {
		t.Errorf("association cluster = %v, want the foundation's cluster", assoc["cluster_name"])
	}

	app := synthPlatformApp(t, "dev")
	var deps []string
	for _, s := range *app.GitOps.Dependencies() {
		deps = append(deps, *s.Node().Id())
	}
	// Security comes first: its External Secrets Operator serves the stores gitops reads.
	eq(t, "dependencies", deps, []string{"foundation", "ingress", "security"})
}

// release values of the gitops stack's Argo CD per environment.
func TestGitOpsArgoCD(t *testing.T) {
	for _, env := range []string{"dev", "staging", "prod"} {
		t.Run(env, func(t *testing.T) {
			d := gitops(t, env)
			cfg := loadEnv(t, env)
			s := sizingFor(env != "dev").withReplicas(cfg.GitOps.Replicas)
			r, v := d.release(t, "argocd")
			eq(t, "chart", r["chart"], "argo-cd")
			eq(t, "version", r["version"], "10.1.1")
			eq(t, "repository", r["repository"], "https://argoproj.github.io/argo-helm")
			eq(t, "namespace", r["namespace"], "argocd")
			eq(t, "domain", at(t, v, "global", "domain"), "argocd."+cfg.Ingress.Domain)
			eq(t, "url", at(t, v, "configs", "cm", "url"), "https://argocd."+cfg.Ingress.Domain)
			eq(t, "insecure behind Emissary", at(t, v, "configs", "params", "server.insecure"), true)
			eq(t, "tracking", at(t, v, "configs", "cm", "application.resourceTrackingMethod"), "annotation")
			eq(t, "read-only default", at(t, v, "configs", "rbac", "policy.default"), "role:readonly")
			eq(t, "admin login without SSO", at(t, v, "configs", "cm", "admin.enabled"), true)
			eq(t, "no exec", at(t, v, "configs", "cm", "exec.enabled"), false)
			eq(t, "kustomize inflates helm charts", at(t, v, "configs", "cm", "kustomize.buildOptions"), "--enable-helm")
			eq(t, "dex off", at(t, v, "dex", "enabled"), false)
			eq(t, "notifications", at(t, v, "notifications", "enabled"), true)
			if _, set := get(v, "configs", "secret", "argocdServerAdminPassword"); set {
				t.Error("an admin password is set: Argo CD must generate it")
			}

			for key, fp := range map[string]capacity.Footprint{
				"controller": s.controller, "server": s.server, "repoServer": s.repoServer, "applicationSet": s.applicationSet,
			} {
				eq(t, key+" replicas", at(t, v, key, "replicas"), fp.Replicas)
				eq(t, key+" resources", at(t, v, key, "resources"), fp.ResourceValues())
				eq(t, key+" service monitor", at(t, v, key, "metrics", "serviceMonitor", "enabled"), true)
				_, pdb := get(v, key, "pdb", "enabled")
				eq(t, key+" pdb when replicated", pdb, fp.Replicas > 1)
			}
			eq(t, "notifications resources", at(t, v, "notifications", "resources"), s.notifications.ResourceValues())
			eq(t, "notifications monitor", at(t, v, "notifications", "metrics", "serviceMonitor", "enabled"), true)

			ha := env != "dev"
			eq(t, "redis-ha", val(v, "redis-ha", "enabled") == true, ha)
			eq(t, "single redis", at(t, v, "redis", "enabled"), !ha)
			if ha {
				eq(t, "server replicas", at(t, v, "server", "replicas"), 2)
				eq(t, "repo-server replicas", at(t, v, "repoServer", "replicas"), 2)
				eq(t, "redis-ha replicas", at(t, v, "redis-ha", "replicas"), 3)
				eq(t, "redis-ha pdb", at(t, v, "redis-ha", "podDisruptionBudget", "maxUnavailable"), 1)
				eq(t, "haproxy pdb", at(t, v, "redis-ha", "haproxy", "podDisruptionBudget", "maxUnavailable"), 1)
				eq(t, "redis-ha monitor", at(t, v, "redis-ha", "exporter", "serviceMonitor", "enabled"), true)
				eq(t, "haproxy monitor", at(t, v, "redis-ha", "haproxy", "metrics", "serviceMonitor", "enabled"), true)
				eq(t, "zone spread", at(t, v, "global", "topologySpreadConstraints", 0, "topologyKey"), "topology.kubernetes.io/zone")
				eq(t, "redis resources", at(t, v, "redis-ha", "redis", "resources"), s.redisContainers[0].ResourceValues())
			} else {
				eq(t, "server replicas", at(t, v, "server", "replicas"), 1)
				eq(t, "redis monitor", at(t, v, "redis", "metrics", "serviceMonitor", "enabled"), true)
				eq(t, "redis exporter", at(t, v, "redis", "exporter", "enabled"), true)
				if _, spread := get(v, "global", "topologySpreadConstraints"); spread {
					t.Error("zone spread in a single-replica environment")
				}
			}
		})
	}
}

func TestGitOpsSSOAndSlack(t *testing.T) {
	d := synthPlatform(t, "dev", "sso-slack", func(c *config.Config) {
		c.GitOps.SSO = config.SSO{Enabled: true, Issuer: "https://login.example.com/realms/platform", ClientID: "argocd",
			ClientSecretName: "eks-platform-dev/argocd-oidc", AdminGroups: []string{"platform-admins"}}
		c.GitOps.Notifications = config.Notifications{SlackTokenSecretName: "eks-platform-dev/slack", SlackChannel: "deploys"}
	})["gitops"]
	_, v := d.release(t, "argocd")
	oidc := at(t, v, "configs", "cm", "oidc.config").(string)
	for _, want := range []string{"issuer: https://login.example.com/realms/platform", "clientID: argocd", "clientSecret: $argocd-oidc:clientSecret"} {
		if !strings.Contains(oidc, want) {
			t.Errorf("oidc.config lacks %q:\n%s", want, oidc)
		}
	}
	eq(t, "admin login off with SSO", at(t, v, "configs", "cm", "admin.enabled"), false)
	eq(t, "admin group", at(t, v, "configs", "rbac", "policy.csv"), "g, platform-admins, role:admin")
	eq(t, "notifications secret from External Secrets", at(t, v, "notifications", "secret", "create"), false)
	eq(t, "slack", at(t, v, "notifications", "notifiers", "service.slack"), "token: $slack-token\n")

	_, sv := d.release(t, "gitops-secrets")
	byName := map[string]map[string]any{}
	for _, s := range at(t, sv, "secrets").([]any) {
		m := s.(map[string]any)
		byName[m["name"].(string)] = m
	}
	eq(t, "oidc secret name", byName["argocd-oidc"]["awsSecretName"], "eks-platform-dev/argocd-oidc")
	eq(t, "oidc label", at(t, byName["argocd-oidc"], "labels", "app.kubernetes.io/part-of"), "argocd")
	eq(t, "slack secret name", byName["argocd-notifications-secret"]["awsSecretName"], "eks-platform-dev/slack")

	_, pv := d.release(t, "argocd-platform")
	eq(t, "slack channel", pv["slackChannel"], "deploys")
}

func TestGitOpsTekton(t *testing.T) {
	d := gitops(t, "dev")
	s := sizingFor(false)
	r, v := d.release(t, "tekton-operator")
	eq(t, "chart", r["chart"], "tekton-operator")
	eq(t, "oci repository", r["repository"], "oci://ghcr.io/tektoncd/operator/charts")
	eq(t, "version", r["version"], "0.81.1")
	eq(t, "CRDs", v["installCRDs"], true)
	eq(t, "our TektonConfig only", at(t, v, "operator", "autoInstallComponents"), false)
	eq(t, "target", at(t, v, "operator", "defaultTargetNamespace"), "tekton-pipelines")
	eq(t, "operator resources", at(t, v, "operator", "resources"), s.operatorContainer.ResourceValues())
	eq(t, "webhook resources", at(t, v, "webhook", "resources"), s.operatorWebhook.ResourceValues())
	eq(t, "operator monitor", at(t, v, "service", "createServiceMonitor"), true)

	cr, cv := d.release(t, "tekton-config")
	if deps := strings.Join(toStrings(cr["depends_on"]), " "); !strings.Contains(deps, "helm_release.tekton-operator") {
		t.Errorf("tekton-config does not wait for the operator: %s", deps)
	}
	deployments := at(t, cv, "deployments").(map[string]any)
	eq(t, "deployments", len(deployments), len(s.tekton))
	for _, dep := range s.tekton {
		eq(t, dep.Name+" requests", at(t, deployments, dep.Name, "requests"), dep.Footprint.Requests.Values())
		eq(t, dep.Name+" limits", at(t, deployments, dep.Name, "limits"), dep.Footprint.Limits.Values())
	}
	eq(t, "dashboard is a dashboard component", at(t, deployments, "tekton-dashboard", "component"), "dashboard")
	eq(t, "waits for Tekton", at(t, cv, "waitForReady", "enabled"), true)
	eq(t, "kubectl pinned", at(t, cv, "waitForReady", "image"), KubectlImage)
	pr, _ := d.release(t, "tekton-pipeline")
	if deps := strings.Join(toStrings(pr["depends_on"]), " "); !strings.Contains(deps, "helm_release.tekton-config") {
		t.Errorf("tekton-pipeline does not wait for tekton-config (the tekton.dev CRDs): %s", deps)
	}

	_, pv := d.release(t, "tekton-pipeline")
	eq(t, "registry", pv["registry"], "${data.aws_caller_identity.account.account_id}.dkr.ecr.us-east-1.amazonaws.com")
	eq(t, "gitops ssh URL", at(t, pv, "gitops", "sshURL"), "git@github.com:example-org/platform-gitops.git")
	eq(t, "kaniko pinned", at(t, pv, "images", "kaniko"), "gcr.io/kaniko-project/executor:v1.23.2")
	eq(t, "first service", at(t, pv, "services", 0, "repository"), "eks-platform-dev/api-gateway")
	eq(t, "el resources", at(t, pv, "eventListener", "resources"), s.eventListener.ResourceValues())
}

func TestGitOpsECR(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			d := gitops(t, env)
			cfg := loadEnv(t, env)
			repos := d.resources("aws_ecr_repository")
			eq(t, "repositories", len(repos), len(cfg.GitOps.Services))
			for _, s := range cfg.GitOps.Services {
				r := repos["ecr-"+s.Name]
				if r == nil {
					t.Fatalf("no repository for %s", s.Name)
				}
				eq(t, "name", r["name"], "eks-platform-"+env+"/"+s.Name)
				eq(t, "immutable", r["image_tag_mutability"], "IMMUTABLE")
				eq(t, "scan on push", at(t, r, "image_scanning_configuration", "scan_on_push"), true)
				eq(t, "kms", at(t, r, "encryption_configuration", "encryption_type"), "KMS")
				eq(t, "kms key", at(t, r, "encryption_configuration", "kms_key"), "${aws_kms_key.ecr-key.arn}")
				eq(t, "force delete", r["force_delete"], env != "prod")
				eq(t, "service tag", at(t, r, "tags", "Service"), s.Name)

				lc := d.resources("aws_ecr_lifecycle_policy")["ecr-"+s.Name+"-lifecycle"]
				pol, err := decodeJSONEncode(lc["policy"].(string))
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "keep last N", at(t, pol, "rules", 0, "selection", "countNumber"), float64(cfg.GitOps.ImageRetention))
				eq(t, "count type", at(t, pol, "rules", 0, "selection", "countType"), "imageCountMoreThan")
				eq(t, "expire", at(t, pol, "rules", 0, "action", "type"), "expire")

				rp := d.resources("aws_ecr_repository_policy")["ecr-"+s.Name+"-policy"]
				doc, err := decodeJSONEncode(rp["policy"].(string))
				if err != nil {
					t.Fatal(err)
				}
				sts := at(t, doc, "Statement").([]any)
				eq(t, "statements", len(sts), 1)
				eq(t, "only the account", at(t, sts[0], "Principal", "AWS"),
					"arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.account.account_id}:root")
				eq(t, "pull only", at(t, sts[0], "Action"), []any{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"})
			}
			key := d.resources("aws_kms_key")["ecr-key"]
			eq(t, "rotation", key["enable_key_rotation"], true)
		})
	}
}

// TestGitOpsPushIdentity: the build task's identity may push only to the platform's repositories.
func TestGitOpsPushIdentity(t *testing.T) {
	d := gitops(t, "dev")
	assoc := d.one(t, "aws_eks_pod_identity_association", "builder-identity")
	eq(t, "namespace", assoc["namespace"], "tekton-ci")
	eq(t, "service account", assoc["service_account"], "tekton-builder")
	role := d.one(t, "aws_iam_role", "builder-identity")
	trust, err := decodeJSONEncode(role["assume_role_policy"].(string))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "trust", at(t, trust, "Statement", 0, "Principal", "Service"), "pods.eks.amazonaws.com")

	pol := d.one(t, "aws_iam_role_policy", "builder-identity")
	doc, err := decodeJSONEncode(pol["policy"].(string))
	if err != nil {
		t.Fatal(err)
	}
	sts := at(t, doc, "Statement").([]any)
	eq(t, "statements", len(sts), 2)
	eq(t, "login action", at(t, sts[0], "Action"), []any{"ecr:GetAuthorizationToken"})
	eq(t, "login resource", at(t, sts[0], "Resource"), []any{"*"})
	var wantARNs []any
	for _, s := range loadEnv(t, "dev").GitOps.Services {
		wantARNs = append(wantARNs, fmt.Sprintf("${aws_ecr_repository.ecr-%s.arn}", s.Name))
	}
	eq(t, "push resources: the platform's repositories only", at(t, sts[1], "Resource"), wantARNs)
	for _, a := range at(t, sts[1], "Action").([]any) {
		if !strings.HasPrefix(a.(string), "ecr:") || strings.Contains(a.(string), "*") || strings.Contains(a.(string), "Delete") {
			t.Errorf("push statement allows %v", a)
		}
	}
}

// TestGitOpsSecretsAreNames: secrets reach the cluster through External Secrets by name; no value
// is read into Terraform (no Secrets Manager data source), passed to helm, or output.
func TestGitOpsSecretsAreNames(t *testing.T) {
	d := gitops(t, "dev")
	cfg := loadEnv(t, "dev")
	if n := len(d.data("aws_secretsmanager_secret_version")); n != 0 {
		t.Errorf("%d Secrets Manager values read into state", n)
	}
	for name, r := range d.resources("helm_release") {
		if _, ok := r["set_sensitive"]; ok {
			t.Errorf("release %s passes a sensitive value", name)
		}
	}
	_, v := d.release(t, "gitops-secrets")
	eq(t, "store", at(t, v, "store", "name"), "aws-secrets-manager")
	got := map[string]string{}
	for _, s := range at(t, v, "secrets").([]any) {
		m := s.(map[string]any)
		got[m["namespace"].(string)+"/"+m["name"].(string)] = m["awsSecretName"].(string)
	}
	eq(t, "secrets", got, map[string]string{
		"argocd/gitops-repo-creds":    cfg.GitOps.Credentials.SecretName,
		"tekton-ci/github-webhook":    cfg.GitOps.Pipeline.WebhookSecretName,
		"tekton-ci/gitops-deploy-key": cfg.GitOps.Pipeline.GitWriteSecretName,
	})
	for name, o := range d["output"].(map[string]any) {
		if s := toJSON(t, o); strings.Contains(s, "secretsmanager") || strings.Contains(s, "PRIVATE KEY") {
			t.Errorf("output %s exposes a secret: %s", name, s)
		}
	}
}

func TestGitOpsRoutesAndAlerts(t *testing.T) {
	d := gitops(t, "dev")
	cfg := loadEnv(t, "dev")
	hosts := map[string]map[string]any{}
	for _, r := range d.resources("helm_release") {
		if r["description"] == "local chart ui-route" {
			_, v := d.release(t, r["name"].(string))
			hosts[v["hostname"].(string)] = v
		}
	}
	argo := hosts["argocd."+cfg.Ingress.Domain]
	hooks := hosts["tekton-hooks."+cfg.Ingress.Domain]
	if argo == nil || hooks == nil {
		t.Fatalf("routes = %v", hosts)
	}
	eq(t, "argocd backend", argo["service"], "argocd-server")
	eq(t, "argocd port (plain HTTP behind Emissary)", argo["port"], 80)
	eq(t, "hooks backend", hooks["service"], "el-github")
	eq(t, "hooks port", hooks["port"], 8080)
	eq(t, "no dashboard route", len(hosts), 2)

	_, rv := d.release(t, "gitops-rules")
	var alerts []string
	for _, g := range at(t, rv, "groups").([]any) {
		for _, r := range at(t, g, "rules").([]any) {
			alerts = append(alerts, r.(map[string]any)["alert"].(string))
			if !strings.Contains(at(t, r, "annotations", "runbook_url").(string), "/gitops.md#") {
				t.Errorf("alert %v: runbook %v", r.(map[string]any)["alert"], at(t, r, "annotations", "runbook_url"))
			}
		}
	}
	eq(t, "alerts", alerts, []string{"ArgoCDSyncFailed", "ArgoCDAppOutOfSync", "ArgoCDAppDegraded",
		"TektonPipelineRunFailed", "TektonImageBuildFailed", "TektonControllerDown"})
}

func TestGitOpsCapacity(t *testing.T) {
	dev := synthPlatformApp(t, "dev")
	r, err := dev.Capacity()
	if err != nil {
		t.Fatal(err)
	}
	u := r.ByWorkflow["gitops"]
	b := capacity.BriefBudgets["gitops"]
	if u.CPUReqMilli > b.CPUMilli || u.MemReqMiB > b.MemMiB {
		t.Errorf("dev gitops requests %dm / %dMi exceed the brief's %dm / %dMi", u.CPUReqMilli, u.MemReqMiB, b.CPUMilli, b.MemMiB)
	}
	if _, over := r.Overrides["gitops"]; over {
		t.Error("dev overrides the gitops budget")
	}
	prod := synthPlatformApp(t, "prod")
	pr, err := prod.Capacity()
	if err != nil {
		t.Fatal(err)
	}
	o, ok := pr.Overrides["gitops"]
	if !ok || o.Reason == "" || o.Reason != prod.Config.GitOps.Budget.Reason {
		t.Errorf("prod override = %+v", o)
	}
	if pr.ByWorkflow["gitops"].CPUReqMilli <= u.CPUReqMilli {
		t.Error("prod (HA) requests no more than dev")
	}
}

// TestGitOpsUnwired: without a GitOps repository only Argo CD, Tekton and the routes to Argo CD
// are installed.
func TestGitOpsUnwired(t *testing.T) {
	d := synthPlatform(t, "dev", "unwired", func(c *config.Config) {
		c.GitOps.Repository, c.GitOps.Teams, c.GitOps.Services = "", nil, nil
	})["gitops"]
	var names []string
	for _, r := range d.resources("helm_release") {
		names = append(names, r["name"].(string))
	}
	for _, n := range names {
		if n == "argocd-platform" || n == "tekton-pipeline" || n == "gitops-secrets" || n == "tekton-hooks-route" {
			t.Errorf("release %s installed without a GitOps repository", n)
		}
	}
	if len(d.resources("aws_ecr_repository")) != 0 {
		t.Error("ECR repositories without services")
	}
	eq(t, "push policy has only the login", len(at(t, mustJSON(t, d.one(t, "aws_iam_role_policy", "builder-identity")["policy"]), "Statement").([]any)), 1)
}

// TestGitOpsLocalChartsRenderWithStackValues renders every local chart release of the gitops
// stack with the values the stack synthesized.
func TestGitOpsLocalChartsRenderWithStackValues(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		d := gitops(t, env)
		for _, r := range d.resources("helm_release") {
			dir, local := strings.CutPrefix(fmt.Sprint(r["description"]), "local chart ")
			if !local {
				continue
			}
			name := r["name"].(string)
			t.Run(env+"/"+name, func(t *testing.T) {
				_, v := d.release(t, name)
				objs, err := render.Render(charts.Path(dir), v, r["namespace"].(string))
				if err != nil {
					t.Fatalf("render %s: %v", dir, err)
				}
				if len(objs) == 0 {
					t.Error("no objects")
				}
			})
		}
	}
}

func mustJSON(t *testing.T, v any) any {
	t.Helper()
	doc, err := decodeJSONEncode(v.(string))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestGitOpsUsesTheSecurityContract: the ExternalSecrets name the store the security contract
// gives, and the stack depends on the contract's stack.
func TestGitOpsUsesTheSecurityContract(t *testing.T) {
	p := synthPlatformApp(t, "dev")
	var deps []string
	for _, s := range *p.GitOps.Dependencies() {
		deps = append(deps, *s.Node().Id())
	}
	eq(t, "dependencies", deps, []string{"foundation", "ingress", "security"})
	_, v := gitops(t, "dev").release(t, "gitops-secrets")
	eq(t, "store", at(t, v, "store", "name"), p.Security.Outputs().SecretsManagerStore)
}

func TestSSHURL(t *testing.T) {
	eq(t, "https", SSHURL("https://github.com/org/repo.git"), "git@github.com:org/repo.git")
	eq(t, "ssh stays", SSHURL("git@github.com:org/repo.git"), "git@github.com:org/repo.git")
}
