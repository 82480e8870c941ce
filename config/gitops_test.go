package config

import (
	"errors"
	"strings"
	"testing"
)

// baseGitOps holds the gitops values without defaults (repository, secret names), so that a test
// document without a gitops section is valid apart from what the test breaks.
const baseGitOps = `
gitops:
  repository: https://github.com/example-org/platform-gitops.git
  credentials:
    secretName: eks-platform-dev/gitops/repo-credentials
  pipeline:
    webhookSecretName: eks-platform-dev/gitops/github-webhook
    gitWriteSecretName: eks-platform-dev/gitops/deploy-key
`

// gitopsDoc is baseGitOps with teams and services appended (indented under gitops:).
func gitopsDoc(extra string) string {
	return baseGitOps + extra
}

const teamsAndServices = `  teams:
    - name: shop
      namespaces: [shop, shop-jobs]
      sourceRepos: ["https://github.com/example-org/*"]
  services:
    - name: cart
      team: shop
      sourceRepository: https://github.com/example-org/cart.git
      ecr: true
`

func TestGitOpsValid(t *testing.T) {
	for name, extra := range map[string]string{
		"no teams":          "",
		"teams and service": teamsAndServices,
		"ssh credentials": strings.Replace(teamsAndServices, "  teams:", `  credentials:
    type: sshKey
    secretName: eks-platform-dev/deploy
  teams:`, 1),
		"service namespace": teamsAndServices + "      namespace: shop-jobs\n",
		"sso": `  sso:
    enabled: true
    issuer: https://login.example.com/realms/platform
    clientId: argocd
    clientSecretName: eks-platform-dev/argocd-oidc
    adminGroups: [platform-admins]
`,
		"slack":  "  notifications:\n    slackTokenSecretName: eks-platform-dev/slack\n    slackChannel: deploys\n",
		"budget": "  budgetOverride:\n    cpu: 900m\n    memory: 2Gi\n    reason: HA\n",
	} {
		t.Run(name, func(t *testing.T) {
			data := gitopsDoc(extra)
			if name == "ssh credentials" {
				data = strings.Replace(data, "repository: https://github.com/example-org/platform-gitops.git", "repository: git@github.com:example-org/platform-gitops.git", 1)
				data = strings.Replace(data, "  credentials:\n    secretName: eks-platform-dev/gitops/repo-credentials\n", "", 1)
			}
			c, err := LoadFromBytes("dev.yaml", []byte(doc(data)), "dev")
			if err != nil {
				t.Fatalf("unexpected error:\n%v", err)
			}
			for _, s := range c.GitOps.Services {
				if c.GitOps.ServiceNamespace(s) == "" {
					t.Errorf("service %s has no namespace", s.Name)
				}
			}
		})
	}
}

func TestGitOpsDefaults(t *testing.T) {
	dev, prod := Defaults("dev").GitOps, Defaults("prod").GitOps
	if dev.RedisHA || dev.Replicas.Server != 1 || dev.Replicas.RepoServer != 1 {
		t.Errorf("dev defaults are HA: %+v", dev)
	}
	if !prod.RedisHA || prod.Replicas.Server < 2 || prod.Replicas.RepoServer < 2 || prod.Replicas.ApplicationSet < 2 {
		t.Errorf("prod defaults are not HA: %+v", prod)
	}
	if dev.Path != "apps" || dev.Branch != "main" || dev.Credentials.Type != CredentialsGitHubApp {
		t.Errorf("dev defaults = %+v", dev)
	}
}

func TestGitOpsServiceNamespace(t *testing.T) {
	g := GitOps{Teams: []Team{{Name: "a", Namespaces: []string{"a1", "a2"}}}}
	if ns := g.ServiceNamespace(Service{Team: "a"}); ns != "a1" {
		t.Errorf("default namespace = %q, want a1", ns)
	}
	if ns := g.ServiceNamespace(Service{Team: "a", Namespace: "a2"}); ns != "a2" {
		t.Errorf("explicit namespace = %q, want a2", ns)
	}
}

// TestGitOpsInvalid: one row per rule, each naming the exact field and a distinctive part of
// the message.
func TestGitOpsInvalid(t *testing.T) {
	replace := func(old, new string) string { return strings.Replace(gitopsDoc(teamsAndServices), old, new, 1) }
	tests := []struct {
		name, yaml, path, msg string
	}{
		{"repository missing with services", replace("  repository: https://github.com/example-org/platform-gitops.git\n", ""),
			"gitops.repository", "is empty but teams or services are configured"},
		{"repository not a URL", replace("repository: https://github.com/example-org/platform-gitops.git", "repository: github.com/example-org/gitops"),
			"gitops.repository", "is not an https repository URL"},
		{"http repository", replace("repository: https://github.com/example-org/platform-gitops.git", "repository: http://github.com/example-org/gitops.git"),
			"gitops.repository", "is not an https repository URL"},
		{"ssh URL with githubApp", replace("repository: https://github.com/example-org/platform-gitops.git", "repository: git@github.com:example-org/gitops.git"),
			"gitops.repository", "githubApp credentials need one"},
		{"https URL with sshKey", replace("  credentials:\n", "  credentials:\n    type: sshKey\n"),
			"gitops.repository", "sshKey credentials need one"},
		{"credential kind", replace("  credentials:\n", "  credentials:\n    type: token\n"),
			"gitops.credentials.type", "allowed: githubApp, sshKey"},
		{"credentials secret missing", replace("    secretName: eks-platform-dev/gitops/repo-credentials\n", ""),
			"gitops.credentials.secretName", "is required; name the AWS Secrets Manager secret"},
		{"secret name with space", replace("webhookSecretName: eks-platform-dev/gitops/github-webhook", "webhookSecretName: \"github webhook\""),
			"gitops.pipeline.webhookSecretName", "is not a Secrets Manager secret name"},
		{"write key missing", replace("    gitWriteSecretName: eks-platform-dev/gitops/deploy-key\n", ""),
			"gitops.pipeline.gitWriteSecretName", "is required"},
		{"absolute path", gitopsDoc("  path: /apps\n"), "gitops.path", "is not a relative folder"},
		{"path escapes", gitopsDoc("  path: apps/../secrets\n"), "gitops.path", "is not a relative folder"},
		{"branch", gitopsDoc("  branch: \"main..dev\"\n"), "gitops.branch", "is not a Git branch name"},
		{"retention zero", gitopsDoc("  imageRetention: 0\n"), "gitops.imageRetention", "keep 1 to 1000 images"},
		{"team name", strings.ReplaceAll(gitopsDoc(teamsAndServices), "shop\n", "Shop\n"), "gitops.teams[0].name", "is not a team name"},
		{"duplicate team", replace("  services:\n", "    - name: shop\n      namespaces: [other]\n      sourceRepos: [\"https://github.com/example-org/x.git\"]\n  services:\n"),
			"gitops.teams[1].name", `"shop" is listed twice`},
		{"platform namespace", replace("namespaces: [shop, shop-jobs]", "namespaces: [shop, monitoring]"),
			"gitops.teams[0].namespaces[1]", `"monitoring" belongs to the platform`},
		{"kube- namespace", replace("namespaces: [shop, shop-jobs]", "namespaces: [kube-custom]"),
			"gitops.teams[0].namespaces[0]", "belongs to the platform"},
		{"namespace of two teams", replace("  services:\n", "    - name: other\n      namespaces: [shop]\n      sourceRepos: [\"https://github.com/example-org/x.git\"]\n  services:\n"),
			"gitops.teams[1].namespaces[0]", `already belongs to team "shop"`},
		{"no namespaces", replace("namespaces: [shop, shop-jobs]", "namespaces: []"), "gitops.teams[0].namespaces", "list at least one namespace"},
		{"any source repo", replace(`sourceRepos: ["https://github.com/example-org/*"]`, `sourceRepos: ["*"]`),
			"gitops.teams[0].sourceRepos[0]", "(not *)"},
		{"no source repos", replace(`sourceRepos: ["https://github.com/example-org/*"]`, `sourceRepos: []`), "gitops.teams[0].sourceRepos", "is empty"},
		{"unknown team", replace("team: shop\n", "team: payments\n"), "gitops.services[0].team", `"payments" is not a team in gitops.teams; allowed: shop`},
		{"duplicate service", gitopsDoc(teamsAndServices + "    - name: cart\n      team: shop\n      sourceRepository: https://github.com/example-org/cart2.git\n"),
			"gitops.services[1].name", `"cart" is listed twice`},
		{"service name", replace("name: cart\n", "name: Cart_Service\n"), "gitops.services[0].name", "is not a service name"},
		{"foreign namespace", gitopsDoc(teamsAndServices + "      namespace: payments\n"),
			"gitops.services[0].namespace", `"payments" is not a namespace of team "shop"; allowed: shop, shop-jobs`},
		{"source not GitHub", replace("sourceRepository: https://github.com/example-org/cart.git", "sourceRepository: https://gitlab.com/example-org/cart.git"),
			"gitops.services[0].sourceRepository", "is not a GitHub repository URL"},
		{"sso without issuer", gitopsDoc("  sso:\n    enabled: true\n    clientId: argocd\n    clientSecretName: eks-platform-dev/oidc\n"),
			"gitops.sso.issuer", "is not an https issuer URL"},
		{"sso without secret", gitopsDoc("  sso:\n    enabled: true\n    issuer: https://login.example.com\n    clientId: argocd\n"),
			"gitops.sso.clientSecretName", "is required"},
		{"sso fields while disabled", gitopsDoc("  sso:\n    clientId: argocd\n"), "gitops.sso.enabled", "is false but other sso fields are set"},
		{"sso group", gitopsDoc("  sso:\n    enabled: true\n    issuer: https://login.example.com\n    clientId: argocd\n    clientSecretName: eks-platform-dev/oidc\n    adminGroups: [\"platform admins\"]\n"),
			"gitops.sso.adminGroups[0]", "is not a group name"},
		{"slack channel with #", gitopsDoc("  notifications:\n    slackTokenSecretName: eks-platform-dev/slack\n    slackChannel: \"#deploys\"\n"),
			"gitops.notifications.slackChannel", "is not a Slack channel name"},
		{"slack channel without token", gitopsDoc("  notifications:\n    slackChannel: deploys\n"),
			"gitops.notifications.slackChannel", "slackTokenSecretName is empty"},
		{"replicas", gitopsDoc("  replicas:\n    server: 0\n"), "gitops.replicas.server", "use 1 to 5"},
		{"budget half set", gitopsDoc("  budgetOverride:\n    cpu: 900m\n    reason: HA\n"), "gitops.budgetOverride.memory", "is not a memory quantity"},
		{"budget syntax", gitopsDoc("  budgetOverride:\n    cpu: lots\n    memory: 2Gi\n    reason: HA\n"), "gitops.budgetOverride.cpu", "is not a CPU quantity"},
		{"budget without reason", gitopsDoc("  budgetOverride:\n    cpu: 900m\n    memory: 2Gi\n"), "gitops.budgetOverride.reason", "more than the brief's 500m / 1024Mi"},
		{"unknown key", gitopsDoc("  argocdVersion: 3.4\n"), "gitops.argocdVersion", "unknown field; allowed here: repository, path, branch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := "environments/dev.yaml"
			c, err := LoadFromBytes(file, []byte(doc(tc.yaml)), "dev")
			if err == nil {
				t.Fatalf("no error; gitops %+v", c.GitOps)
			}
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("err = %T %v, want *ValidationError", err, err)
			}
			p, ok := verr.ProblemAt(tc.path)
			if !ok {
				t.Fatalf("no problem at %q:\n%v", tc.path, err)
			}
			if !strings.Contains(p.Message, tc.msg) {
				t.Errorf("message at %s = %q, want it to contain %q", tc.path, p.Message, tc.msg)
			}
			if !strings.Contains(err.Error(), file+": "+tc.path+": ") {
				t.Errorf("Error() does not name file and field:\n%v", err)
			}
			if len(verr.Problems) != 1 {
				t.Errorf("want exactly one problem, got %d:\n%v", len(verr.Problems), err)
			}
		})
	}
}

// TestGitOpsSecretsAreNames: the committed environment files name secrets, they never hold them.
func TestGitOpsSecretsAreNames(t *testing.T) {
	for _, env := range Environments {
		c, err := Load("environments", env)
		if err != nil {
			t.Fatal(err)
		}
		g := c.GitOps
		for path, name := range map[string]string{
			"credentials.secretName":      g.Credentials.SecretName,
			"pipeline.webhookSecretName":  g.Pipeline.WebhookSecretName,
			"pipeline.gitWriteSecretName": g.Pipeline.GitWriteSecretName,
		} {
			if !strings.HasPrefix(name, c.SecretsPrefix()) {
				t.Errorf("%s: gitops.%s = %q, want a secret name under %s", env, path, name, c.SecretsPrefix())
			}
		}
		if len(g.Services) == 0 || len(g.Teams) == 0 {
			t.Errorf("%s: no teams or services configured", env)
		}
	}
}
