package config

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Repository credential kinds: how Argo CD authenticates to the GitOps repository.
const (
	CredentialsGitHubApp = "githubApp" // https URL; secret keys githubAppID, githubAppInstallationID, githubAppPrivateKey
	CredentialsSSHKey    = "sshKey"    // ssh URL (git@github.com:org/repo.git); secret key sshPrivateKey
)

// PlatformNamespaces belong to the platform's own components (stacks 1-7 and Kubernetes
// itself). No team may deploy into them through Argo CD.
var PlatformNamespaces = []string{
	"default", "kube-system", "kube-public", "kube-node-lease",
	"emissary", "emissary-system", "cert-manager", "external-dns",
	"monitoring", "argocd", "tekton-operator", "tekton-pipelines", "tekton-ci",
	"openbao", "external-secrets", "gatekeeper-system", "falco",
	"istio-system", "cnpg-system", "redis-operator", "strimzi", "kafka",
}

// GitOps configures Workflow 4: Argo CD, Tekton, ECR and the GitOps repository wiring. Only
// names of secrets appear here; their values stay in AWS Secrets Manager and reach the cluster
// through External Secrets, never through Terraform.
type GitOps struct {
	// Repository is the GitOps repository Argo CD watches and the pipeline writes image tags to.
	Repository string `yaml:"repository"`
	// Path is the folder of the repository holding <path>/<env>/<service> directories.
	Path string `yaml:"path"`
	// Branch of the repository this environment follows.
	Branch string `yaml:"branch"`
	// Credentials is how Argo CD reads the repository.
	Credentials RepoCredentials `yaml:"credentials"`
	// Pipeline configures the reference Tekton pipeline.
	Pipeline Pipeline `yaml:"pipeline"`
	// ImageRetention is how many images each ECR repository keeps (older ones expire).
	ImageRetention int `yaml:"imageRetention"`
	// Teams own namespaces and source repositories; each becomes an Argo CD AppProject.
	Teams []Team `yaml:"teams"`
	// Services each get an ECR repository, an Application per environment and a webhook trigger.
	Services      []Service     `yaml:"services"`
	SSO           SSO           `yaml:"sso"`
	Notifications Notifications `yaml:"notifications"`
	Replicas      ArgoReplicas  `yaml:"replicas"`
	// RedisHA runs Argo CD's cache as redis-ha (3 Redis with Sentinel behind HAProxy).
	RedisHA bool `yaml:"redisHA"`
	// Budget overrides the brief's 500m / 1024Mi request budget of this workflow; empty keeps
	// the brief's figure. HA environments need it; the capacity report shows the override.
	Budget BudgetOverride `yaml:"budgetOverride"`
}

// RepoCredentials name the AWS Secrets Manager secret (a JSON object) with the repository
// credentials, and their kind.
type RepoCredentials struct {
	Type       string `yaml:"type"`
	SecretName string `yaml:"secretName"`
}

// Pipeline configures the reference pipeline's secrets (names only).
type Pipeline struct {
	// WebhookSecretName holds the GitHub webhook shared secret (key "secret").
	WebhookSecretName string `yaml:"webhookSecretName"`
	// GitWriteSecretName holds an SSH deploy key with write access to the GitOps repository
	// (key "sshPrivateKey"), used only to commit new image tags.
	GitWriteSecretName string `yaml:"gitWriteSecretName"`
}

// Team is a tenant of the platform.
type Team struct {
	Name        string   `yaml:"name"`
	Namespaces  []string `yaml:"namespaces"`
	SourceRepos []string `yaml:"sourceRepos"`
}

// Service is one deployable of a team.
type Service struct {
	Name string `yaml:"name"`
	Team string `yaml:"team"`
	// Namespace is where Argo CD deploys it; defaults to the team's first namespace.
	Namespace string `yaml:"namespace"`
	// SourceRepository is the GitHub repository whose pushes the pipeline builds.
	SourceRepository string `yaml:"sourceRepository"`
	// ECR creates an ECR repository for the service's image.
	ECR bool `yaml:"ecr"`
}

// SSO is Argo CD's OIDC login. The client secret comes from AWS Secrets Manager by name.
type SSO struct {
	Enabled          bool     `yaml:"enabled"`
	Issuer           string   `yaml:"issuer"`
	ClientID         string   `yaml:"clientId"`
	ClientSecretName string   `yaml:"clientSecretName"`
	AdminGroups      []string `yaml:"adminGroups"`
}

// Notifications is the optional Slack receiver of the Argo CD notifications controller.
type Notifications struct {
	SlackTokenSecretName string `yaml:"slackTokenSecretName"`
	SlackChannel         string `yaml:"slackChannel"`
}

// ArgoReplicas are the replica counts of Argo CD's components.
type ArgoReplicas struct {
	Controller     int `yaml:"controller"`
	Server         int `yaml:"server"`
	RepoServer     int `yaml:"repoServer"`
	ApplicationSet int `yaml:"applicationSet"`
}

// ServiceNamespace is the namespace a service deploys into.
func (g GitOps) ServiceNamespace(s Service) string {
	if s.Namespace != "" {
		return s.Namespace
	}
	for _, t := range g.Teams {
		if t.Name == s.Team && len(t.Namespaces) > 0 {
			return t.Namespaces[0]
		}
	}
	return ""
}

// gitOpsDefaults are the per-environment defaults: non-HA in dev, HA in staging and prod.
func gitOpsDefaults(env string) GitOps {
	g := GitOps{
		Path:           "apps",
		Branch:         "main",
		Credentials:    RepoCredentials{Type: CredentialsGitHubApp},
		ImageRetention: 30,
		Replicas:       ArgoReplicas{Controller: 1, Server: 1, RepoServer: 1, ApplicationSet: 1},
	}
	if env == "staging" || env == "prod" {
		g.Replicas = ArgoReplicas{Controller: 1, Server: 2, RepoServer: 2, ApplicationSet: 2}
		g.RedisHA = true
		g.ImageRetention = 100
	}
	return g
}

var (
	httpsRepoRe = regexp.MustCompile(`^https://[a-z0-9.-]+(:\d+)?/[\w.-]+/[\w.-]+?(\.git)?$`)
	sshRepoRe   = regexp.MustCompile(`^(git@[a-z0-9.-]+:|ssh://git@[a-z0-9.-]+(:\d+)?/)[\w.-]+/[\w.-]+?(\.git)?$`)
	// A repository pattern of an AppProject: a URL that may end in a glob.
	repoPatternRe = regexp.MustCompile(`^(https://[a-z0-9.-]+(:\d+)?/|git@[a-z0-9.-]+:|ssh://git@[a-z0-9.-]+(:\d+)?/)[\w.*-]+(/[\w.*-]+)?$`)
	pathRe        = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$`)
	branchRe      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$`)
	slackRe       = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,79}$`)
	groupRe       = regexp.MustCompile(`^[^\s,:]{1,128}$`)
)

// ServiceNameMax keeps <service> short enough for Kubernetes names derived from it
// (<service>-build-<suffix> PipelineRuns, Trigger names).
const ServiceNameMax = 40

// Wired reports whether a GitOps repository is configured. Without one the stack installs Argo
// CD, Tekton and the ECR repositories only (a bootstrap state); teams, services and the
// reference pipeline need the repository.
func (g GitOps) Wired() bool { return g.Repository != "" }

func (g GitOps) validate(ps *problems) {
	const repoRule = "use https://github.com/<org>/<repo>.git for githubApp credentials or git@github.com:<org>/<repo>.git for sshKey"
	switch g.Credentials.Type {
	case CredentialsGitHubApp:
		if g.Wired() && !httpsRepoRe.MatchString(g.Repository) {
			ps.add("gitops.repository", "%q is not an https repository URL (githubApp credentials need one); %s", g.Repository, repoRule)
		}
	case CredentialsSSHKey:
		if g.Wired() && !sshRepoRe.MatchString(g.Repository) {
			ps.add("gitops.repository", "%q is not an ssh repository URL (sshKey credentials need one); %s", g.Repository, repoRule)
		}
	default:
		ps.add("gitops.credentials.type", "%q is not a credential kind; allowed: %s, %s", g.Credentials.Type, CredentialsGitHubApp, CredentialsSSHKey)
	}
	if !g.Wired() && (len(g.Teams) > 0 || len(g.Services) > 0) {
		ps.add("gitops.repository", "is empty but teams or services are configured; name the GitOps repository they deploy from, e.g. https://github.com/<org>/<repo>.git")
	}
	secretName(ps, "gitops.credentials.secretName", g.Credentials.SecretName, g.Wired())
	secretName(ps, "gitops.pipeline.webhookSecretName", g.Pipeline.WebhookSecretName, g.Wired())
	secretName(ps, "gitops.pipeline.gitWriteSecretName", g.Pipeline.GitWriteSecretName, g.Wired())

	if !pathRe.MatchString(g.Path) || path.Clean(g.Path) != g.Path || slices.Contains(strings.Split(g.Path, "/"), "..") {
		ps.add("gitops.path", "%q is not a relative folder; use lowercase names separated by / like apps or deploy/k8s (no leading /, no ..)", g.Path)
	}
	if !branchRe.MatchString(g.Branch) || strings.Contains(g.Branch, "..") || strings.HasSuffix(g.Branch, "/") || strings.HasSuffix(g.Branch, ".lock") {
		ps.add("gitops.branch", "%q is not a Git branch name; use a name like main or release/prod", g.Branch)
	}
	if g.ImageRetention < 1 || g.ImageRetention > 1000 {
		ps.add("gitops.imageRetention", "%d is out of range; keep 1 to 1000 images per repository", g.ImageRetention)
	}

	teams := g.validateTeams(ps)
	g.validateServices(ps, teams)
	g.SSO.validate(ps)
	g.Notifications.validate(ps)

	for _, r := range []struct {
		name string
		n    int
	}{{"controller", g.Replicas.Controller}, {"server", g.Replicas.Server}, {"repoServer", g.Replicas.RepoServer}, {"applicationSet", g.Replicas.ApplicationSet}} {
		if r.n < 1 || r.n > 5 {
			ps.add("gitops.replicas."+r.name, "%d is out of range; use 1 to 5", r.n)
		}
	}
	g.Budget.validate(ps, "gitops.budgetOverride", "500m / 1024Mi")
}

func secretName(ps *problems, path, name string, required bool) {
	switch {
	case name == "" && required:
		ps.add(path, "is required; name the AWS Secrets Manager secret (the name, never the value)")
	case name != "" && !secretNameRe.MatchString(name):
		ps.add(path, "%q is not a Secrets Manager secret name; use 1-512 letters, digits and / _ + = . @ -", name)
	}
}

// validateTeams returns the valid teams by name.
func (g GitOps) validateTeams(ps *problems) map[string]Team {
	teams := map[string]Team{}
	owner := map[string]string{} // namespace -> team
	for i, t := range g.Teams {
		p := fmt.Sprintf("gitops.teams[%d]", i)
		switch {
		case !dnsLabelRe.MatchString(t.Name) || len(t.Name) > 40:
			ps.add(p+".name", "%q is not a team name; use a DNS label of at most 40 lowercase letters, digits and hyphens", t.Name)
			continue
		case teams[t.Name].Name != "":
			ps.add(p+".name", "%q is listed twice; list each team once", t.Name)
			continue
		}
		if len(t.Namespaces) == 0 {
			ps.add(p+".namespaces", "is empty; list at least one namespace the team deploys into")
		}
		for j, ns := range t.Namespaces {
			np := fmt.Sprintf("%s.namespaces[%d]", p, j)
			switch {
			case !dnsLabelRe.MatchString(ns):
				ps.add(np, "%q is not a namespace name; use a DNS label of lowercase letters, digits and hyphens", ns)
			case slices.Contains(PlatformNamespaces, ns) || strings.HasPrefix(ns, "kube-"):
				ps.add(np, "%q belongs to the platform; teams may not deploy there, choose another namespace", ns)
			case owner[ns] != "":
				ps.add(np, "%q already belongs to team %q; a namespace has one owner", ns, owner[ns])
			default:
				owner[ns] = t.Name
			}
		}
		if len(t.SourceRepos) == 0 {
			ps.add(p+".sourceRepos", "is empty; list the repositories (URLs, globs allowed in the last part) Argo CD may deploy from for this team")
		}
		for j, r := range t.SourceRepos {
			if r == "*" || !repoPatternRe.MatchString(r) {
				ps.add(fmt.Sprintf("%s.sourceRepos[%d]", p, j), "%q is not a repository URL; use https://github.com/<org>/<repo>.git or a pattern like https://github.com/<org>/* (not *)", r)
			}
		}
		teams[t.Name] = t
	}
	return teams
}

func (g GitOps) validateServices(ps *problems, teams map[string]Team) {
	seen := map[string]bool{}
	for i, s := range g.Services {
		p := fmt.Sprintf("gitops.services[%d]", i)
		switch {
		case !dnsLabelRe.MatchString(s.Name) || len(s.Name) > ServiceNameMax:
			ps.add(p+".name", "%q is not a service name; use a DNS label of at most %d lowercase letters, digits and hyphens", s.Name, ServiceNameMax)
		case seen[s.Name]:
			ps.add(p+".name", "%q is listed twice; service names are unique across teams", s.Name)
		}
		seen[s.Name] = true
		t, ok := teams[s.Team]
		listed := slices.ContainsFunc(g.Teams, func(t Team) bool { return t.Name == s.Team })
		if !ok && !listed {
			names := make([]string, 0, len(teams))
			for _, t := range g.Teams {
				names = append(names, t.Name)
			}
			ps.add(p+".team", "%q is not a team in gitops.teams; allowed: %s", s.Team, strings.Join(names, ", "))
		} else if s.Namespace != "" && !slices.Contains(t.Namespaces, s.Namespace) {
			ps.add(p+".namespace", "%q is not a namespace of team %q; allowed: %s", s.Namespace, s.Team, strings.Join(t.Namespaces, ", "))
		}
		if !httpsRepoRe.MatchString(s.SourceRepository) || !strings.HasPrefix(s.SourceRepository, "https://github.com/") {
			ps.add(p+".sourceRepository", "%q is not a GitHub repository URL; use https://github.com/<org>/<repo>.git (the pipeline's webhook is GitHub's)", s.SourceRepository)
		}
	}
}

func (s SSO) validate(ps *problems) {
	if !s.Enabled {
		if s.Issuer != "" || s.ClientID != "" || s.ClientSecretName != "" || len(s.AdminGroups) > 0 {
			ps.add("gitops.sso.enabled", "is false but other sso fields are set; set enabled: true or remove them")
		}
		return
	}
	if !strings.HasPrefix(s.Issuer, "https://") || dnsNameProblem(strings.SplitN(strings.TrimPrefix(s.Issuer, "https://"), "/", 2)[0]) != "" {
		ps.add("gitops.sso.issuer", "%q is not an https issuer URL; use the OIDC issuer, e.g. https://login.example.com/realms/platform", s.Issuer)
	}
	if strings.TrimSpace(s.ClientID) == "" || strings.ContainsAny(s.ClientID, " \t\n") {
		ps.add("gitops.sso.clientId", "%q is not a client ID; use the OIDC client ID registered for Argo CD", s.ClientID)
	}
	secretName(ps, "gitops.sso.clientSecretName", s.ClientSecretName, true)
	for i, g := range s.AdminGroups {
		if !groupRe.MatchString(g) {
			ps.add(fmt.Sprintf("gitops.sso.adminGroups[%d]", i), "%q is not a group name; use the group claim value without spaces, commas or colons", g)
		}
	}
}

func (n Notifications) validate(ps *problems) {
	secretName(ps, "gitops.notifications.slackTokenSecretName", n.SlackTokenSecretName, false)
	switch {
	case n.SlackTokenSecretName != "" && !slackRe.MatchString(n.SlackChannel):
		ps.add("gitops.notifications.slackChannel", "%q is not a Slack channel name; use lowercase letters, digits, - and _ without #", n.SlackChannel)
	case n.SlackTokenSecretName == "" && n.SlackChannel != "":
		ps.add("gitops.notifications.slackChannel", "is set but gitops.notifications.slackTokenSecretName is empty; name the token's secret or remove the channel")
	}
}
