package stacks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecrlifecyclepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecrrepository"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecrrepositorypolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmsalias"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/constructs/helmaddon"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/podidentity"
	"github.com/platformeng/eks-platform/constructs/tagging"
	"github.com/platformeng/eks-platform/constructs/tfexpr"
)

// Names the gitops stack gives to microservice teams and later stacks.
const (
	ArgoCDNamespace         = "argocd"
	ArgoCDRelease           = "argocd"
	TektonOperatorNamespace = "tekton-operator"
	TektonNamespace         = "tekton-pipelines"
	// CINamespace runs the reference pipeline and its EventListener.
	CINamespace = "tekton-ci"
	// BuilderServiceAccount is the only identity that may push to the platform's ECR repositories.
	BuilderServiceAccount  = "tekton-builder"
	runnerServiceAccount   = "tekton-runner"
	triggersServiceAccount = "tekton-triggers"
	// Kubernetes Secrets that External Secrets writes from AWS Secrets Manager.
	repoCredsSecret     = "gitops-repo-creds"
	oidcSecret          = "argocd-oidc"
	notificationsSecret = "argocd-notifications-secret"
	webhookSecret       = "github-webhook"
	deployKeySecret     = "gitops-deploy-key"
	// ArgoCDHost and WebhookHost are the first labels of the names served through Emissary.
	ArgoCDHost  = "argocd"
	WebhookHost = "tekton-hooks"
	// eventListenerService is the Service Tekton Triggers makes for the EventListener "github".
	eventListenerService = "el-github"
)

// githubKnownHosts are GitHub's published SSH host keys
// (https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/githubs-ssh-key-fingerprints),
// so the pipeline's pushes verify the host instead of trusting on first use.
const githubKnownHosts = `github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
github.com ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=
github.com ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCj7ndNxQowgcQnjshcLrqPEiiphnt+VTTvDP6mHBL9j1aNUkY4Ue1gvwnGLVlOhGeYrnZaMgRK6+PKCUXaDbC7qtbW8gIkhL7aGCsOr/C56SJMy/BCZfxd1nWzAOxSDPgVsmerOBYfNqltV9/hWCqBywINIR+5dIg6JTJ72pcEpEjcYgXkE2YEFXV1JHnsKgbLWNlhScqb2UmyRkQyytRLtL+38TGxkxCflmO+5Z8CSSNY7GidjMIZ7Q4zMjA2n1nGrlTDkzwDCsw+wqFPGQA179cnfGWOWRVruj16z6XyvxvjJwbz0wQZ75XK5tKSb7FNyeIEs4TT4jk+S4dhPeAUC5y+bDYirYgM4GC7uEnztnZyaVWQ7B381AK4Qdrwt51ZqExKbQpTUNn+EjqoTwvqNj4kqx5QUCI0ThS/YkOxJCXmPUWZbhjpCg56i+2aB6CmK2JGhn57K5mj0MNdBXA4/WnwH6XoPWJzK5Nyu2zB3nAZp+S5hpQs+p1vN1/wsjk=
`

// GitOps is Workflow 4: Argo CD, the Tekton Operator (Pipelines, Triggers, Dashboard), one ECR
// repository per service, the platform's Argo CD projects and ApplicationSets, and the
// reference build pipeline.
type GitOps struct {
	*Base
	sec SecurityOutputs
	// Repositories are the ECR repositories by service name.
	Repositories map[string]ecrrepository.EcrRepository
	// Registry is <account>.dkr.ecr.<region>.amazonaws.com.
	Registry *string
	// Builder is the pipeline's push identity.
	Builder *podidentity.Identity
	ArgoCD  *helmaddon.Addon
	Tekton  *helmaddon.Addon

	account   dataawscalleridentity.DataAwsCallerIdentity
	partition dataawspartition.DataAwsPartition
	sizing    gitopsSizing
}

// NewGitOps builds stack 4 on the foundation (cluster, Pod Identity) and ingress (the wildcard
// Host that serves argocd.<domain> and tekton-hooks.<domain>). Its secrets come from AWS Secrets
// Manager through the security stack's ClusterSecretStore named by sec, so it depends on the
// security stack too and deploys after it (docs/adr/0012).
func NewGitOps(scope constructs.Construct, cfg *config.Config, ledger *capacity.Ledger, f *Foundation, in *Ingress, sec SecurityOutputs) *GitOps {
	w, _ := WorkflowByID("gitops")
	g := &GitOps{Base: newBase(scope, cfg, w, ledger), Repositories: map[string]ecrrepository.EcrRepository{}, sec: sec}
	g.AddDependency(f.TerraformStack)
	g.AddDependency(in.TerraformStack)
	g.AddDependency(sec.Stack)
	g.Helm = newHelmProvider(g.TerraformStack, f.Access())
	g.sizing = sizingFor(g.ha()).withReplicas(cfg.GitOps.Replicas)
	g.overrideBudget(cfg.GitOps.Budget.CPU, cfg.GitOps.Budget.Memory, cfg.GitOps.Budget.Reason)

	g.account = dataawscalleridentity.NewDataAwsCallerIdentity(g.TerraformStack, jsii.String("account"), &dataawscalleridentity.DataAwsCallerIdentityConfig{})
	g.partition = dataawspartition.NewDataAwsPartition(g.TerraformStack, jsii.String("partition"), &dataawspartition.DataAwsPartitionConfig{})
	g.Registry = jsii.String(fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com", *g.account.AccountId(), cfg.Region))
	g.ecr()
	g.Builder = podidentity.New(g.TerraformStack, "builder-identity", podidentity.Config{
		Names: g.Names, Component: "tekton-builder", Mode: podidentity.PodIdentity,
		ClusterName: f.Cluster.EKS.Name(), Namespace: CINamespace, ServiceAccount: BuilderServiceAccount,
		Policy: g.pushPolicy(),
	})

	g.ArgoCD = g.argoCD()
	operator := g.tektonOperator()
	g.Tekton = g.localRelease("tekton-config", charts.TektonConfig, helmaddon.Config{
		Namespace: TektonOperatorNamespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"targetNamespace": TektonNamespace,
			"deployments":     g.sizing.tektonDeployments(),
			"pruner":          map[string]any{"keep": 10, "schedule": "0 3 * * *"},
			"serviceMonitor":  map[string]any{"enabled": true, "interval": "30s"},
			// Helm waits for this hook Job: the release completes once Tekton is installed.
			"waitForReady": map[string]any{"enabled": true, "image": KubectlImage, "timeoutSeconds": 540,
				"resources": g.sizing.waitJob.ResourceValues()},
		},
		Footprints: g.sizing.tektonFootprints(),
		DependsOn:  []cdktf.ITerraformDependable{operator.Release},
	})

	deps := []cdktf.ITerraformDependable{g.ArgoCD.Release, g.Tekton.Release}
	if cfg.GitOps.Wired() {
		platform := g.localRelease("argocd-platform", charts.ArgoCDPlatform, helmaddon.Config{
			Namespace: ArgoCDNamespace, CreateNamespace: jsii.Bool(false),
			Values:      g.platformValues(),
			NoWorkloads: true,
			DependsOn:   []cdktf.ITerraformDependable{g.ArgoCD.Release},
		})
		pipeline := g.localRelease("tekton-pipeline", charts.TektonPipeline, helmaddon.Config{
			Namespace:  CINamespace,
			Values:     g.pipelineValues(),
			Footprints: []capacity.Footprint{g.sizing.eventListener},
			DependsOn:  []cdktf.ITerraformDependable{g.Tekton.Release, g.Builder.Association},
		})
		// The ExternalSecrets go into argocd and tekton-ci, which the two releases above create.
		g.localRelease("gitops-secrets", charts.GitOpsSecrets, helmaddon.Config{
			Namespace: ArgoCDNamespace, CreateNamespace: jsii.Bool(false),
			Values: map[string]any{
				"store":           map[string]any{"kind": "ClusterSecretStore", "name": g.sec.SecretsManagerStore},
				"refreshInterval": "1h",
				"secrets":         g.externalSecrets(),
			},
			NoWorkloads: true,
			DependsOn:   []cdktf.ITerraformDependable{g.ArgoCD.Release, pipeline.Release},
		})
		deps = append(deps, platform.Release, pipeline.Release)
		g.route("tekton-hooks-route", Route{Host: WebhookHost, Namespace: CINamespace, Service: eventListenerService, Port: 8080, TimeoutMs: 30000}, pipeline.Release)
	}
	// Argo CD serves plain HTTP (server.insecure) behind Emissary, which terminates TLS with the
	// wildcard certificate; the CLI uses gRPC-web over the same HTTPS route (--grpc-web).
	g.route("argocd-route", Route{Host: ArgoCDHost, Namespace: ArgoCDNamespace, Service: ArgoCDRelease + "-server", Port: 80, TimeoutMs: 60000}, g.ArgoCD.Release)
	g.alertRules("gitops-rules", ArgoCDNamespace, gitopsAlerts(), deps...)
	g.outputs()
	return g
}

// ecrName is the ECR repository of a service: <project>-<env>/<service>.
func (g *GitOps) ecrName(service string) string { return g.Names.Prefix() + "/" + service }

// ecr creates one repository per service that asks for one: immutable tags, scan on push, a
// platform KMS key of its own, a lifecycle keeping the last N images, and a repository policy
// that grants nothing outside the account.
func (g *GitOps) ecr() {
	var services []config.Service
	for _, s := range g.Cfg.GitOps.Services {
		if s.ECR {
			services = append(services, s)
		}
	}
	if len(services) == 0 {
		return
	}
	key := kmskey.NewKmsKey(g.TerraformStack, jsii.String("ecr-key"), &kmskey.KmsKeyConfig{
		Description:          jsii.String("ECR image encryption for " + g.Names.Prefix()),
		EnableKeyRotation:    jsii.Bool(true),
		DeletionWindowInDays: jsii.Number(30),
		Tags:                 tagging.ComponentTags("ecr"),
	})
	kmsalias.NewKmsAlias(g.TerraformStack, jsii.String("ecr-key-alias"), &kmsalias.KmsAliasConfig{
		Name:        jsii.String("alias/" + g.Names.Must(naming.KMSAlias, "ecr")),
		TargetKeyId: key.KeyId(),
	})
	root := fmt.Sprintf("arn:%s:iam::%s:root", *g.partition.Partition(), *g.account.AccountId())
	for _, s := range services {
		repo := ecrrepository.NewEcrRepository(g.TerraformStack, jsii.String("ecr-"+s.Name), &ecrrepository.EcrRepositoryConfig{
			Name:               jsii.String(g.ecrName(s.Name)),
			ImageTagMutability: jsii.String("IMMUTABLE"),
			ImageScanningConfiguration: &ecrrepository.EcrRepositoryImageScanningConfiguration{
				ScanOnPush: jsii.Bool(true),
			},
			EncryptionConfiguration: &[]*ecrrepository.EcrRepositoryEncryptionConfiguration{{
				EncryptionType: jsii.String("KMS"),
				KmsKey:         key.Arn(),
			}},
			// Images are build outputs that the pipeline can rebuild; prod keeps them on destroy.
			ForceDelete: jsii.Bool(g.Cfg.Environment != "prod"),
			Tags:        &map[string]*string{tagging.Component: jsii.String("ecr"), "Service": jsii.String(s.Name), "Team": jsii.String(s.Team)},
		})
		ecrlifecyclepolicy.NewEcrLifecyclePolicy(g.TerraformStack, jsii.String("ecr-"+s.Name+"-lifecycle"), &ecrlifecyclepolicy.EcrLifecyclePolicyConfig{
			Repository: repo.Name(),
			Policy:     lifecyclePolicy(g.Cfg.GitOps.ImageRetention),
		})
		ecrrepositorypolicy.NewEcrRepositoryPolicy(g.TerraformStack, jsii.String("ecr-"+s.Name+"-policy"), &ecrrepositorypolicy.EcrRepositoryPolicyConfig{
			Repository: repo.Name(),
			Policy:     repositoryPolicy(root).Expr(),
		})
		g.Repositories[s.Name] = repo
	}
}

// lifecyclePolicy expires all but the newest n images of a repository.
func lifecyclePolicy(n int) *string {
	return tfexpr.JSONEncode(map[string]any{"rules": []any{map[string]any{
		"rulePriority": 1,
		"description":  fmt.Sprintf("keep the last %d images", n),
		"selection":    map[string]any{"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": n},
		"action":       map[string]any{"type": "expire"},
	}}})
}

// repositoryPolicy lets only the account's own principals (subject to their IAM policies) read
// the repository; it grants no other account anything.
func repositoryPolicy(accountRoot string) iampolicy.Document {
	return iampolicy.New(iampolicy.Statement{
		Sid:       "AccountPull",
		Effect:    "Allow",
		Principal: map[string]any{"AWS": accountRoot},
		Action:    []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
	})
}

// pushPolicy lets the pipeline's build task push to the platform's repositories only.
// GetAuthorizationToken has no resource-level permissions, so it is the only "*".
func (g *GitOps) pushPolicy() iampolicy.Document {
	names := make([]string, 0, len(g.Repositories))
	for n := range g.Repositories {
		names = append(names, n)
	}
	sort.Strings(names)
	arns := make([]string, 0, len(names))
	for _, n := range names {
		arns = append(arns, *g.Repositories[n].Arn())
	}
	st := []iampolicy.Statement{iampolicy.Allow("ECRLogin", []string{"ecr:GetAuthorizationToken"}, "*")}
	if len(arns) > 0 {
		st = append(st, iampolicy.Allow("PushPlatformRepositories", []string{
			"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
			"ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
		}, arns...))
	}
	return iampolicy.New(st...)
}

// argoCD installs the official chart: non-HA in dev, HA (replicas, redis-ha, PDBs, zone spread)
// elsewhere; SSO and notifications from configuration; metrics for every component.
func (g *GitOps) argoCD() *helmaddon.Addon {
	c := g.Cfg.GitOps
	s := g.sizing
	host := ArgoCDHost + "." + g.Cfg.Ingress.Domain
	sso := c.SSO.Enabled
	slack := c.Notifications.SlackTokenSecretName != ""

	metrics := map[string]any{"enabled": true, "serviceMonitor": map[string]any{"enabled": true}}
	component := func(fp capacity.Footprint) map[string]any {
		v := map[string]any{"replicas": fp.Replicas, "resources": fp.ResourceValues(), "metrics": metrics}
		if fp.Replicas > 1 {
			v["pdb"] = map[string]any{"enabled": true, "minAvailable": 1}
		}
		return v
	}
	controller := component(s.controller)
	server := component(s.server)
	repoServer := component(s.repoServer)
	appSet := component(s.applicationSet)

	cm := map[string]any{
		"url":                                "https://" + host,
		"admin.enabled":                      !sso, // with SSO on, nobody logs in with a shared password
		"exec.enabled":                       false,
		"application.resourceTrackingMethod": "annotation",
		"statusbadge.enabled":                false,
		// Service directories inflate the golden-path chart with kustomize's helmCharts
		// (examples/ecotrack/apps/<env>/<service>/kustomization.yaml).
		"kustomize.buildOptions": "--enable-helm",
	}
	rbac := map[string]any{"policy.default": "role:readonly", "scopes": "[groups]", "policy.matchMode": "glob"}
	if sso {
		cm["oidc.config"] = helmaddon.MarshalValues(map[string]any{
			"name":     "SSO",
			"issuer":   c.SSO.Issuer,
			"clientID": c.SSO.ClientID,
			// Argo CD resolves $<secret>:<key> from a Secret labelled part-of argocd at run time.
			"clientSecret":    "$" + oidcSecret + ":clientSecret",
			"requestedScopes": []any{"openid", "profile", "email", "groups"},
		})
		var lines []string
		for _, grp := range c.SSO.AdminGroups {
			lines = append(lines, "g, "+grp+", role:admin")
		}
		rbac["policy.csv"] = strings.Join(lines, "\n")
	}

	notifications := map[string]any{
		"enabled":   true,
		"resources": s.notifications.ResourceValues(),
		"metrics":   metrics,
		// With a Slack receiver the secret comes from External Secrets instead.
		"secret": map[string]any{"create": !slack},
		"templates": map[string]any{
			"template.app-sync-failed":     "message: \"{{.app.metadata.name}} failed to sync: {{.app.status.operationState.message}}\"\n",
			"template.app-health-degraded": "message: \"{{.app.metadata.name}} is {{.app.status.health.status}}\"\n",
		},
		"triggers": map[string]any{
			"trigger.on-sync-failed":     "- when: app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']\n  send: [app-sync-failed]\n",
			"trigger.on-health-degraded": "- when: app.status.health.status == 'Degraded'\n  send: [app-health-degraded]\n",
		},
	}
	if slack {
		notifications["notifiers"] = map[string]any{"service.slack": "token: $slack-token\n"}
	}

	values := map[string]any{
		"crds": map[string]any{"install": true, "keep": false},
		"global": map[string]any{
			"domain":  host,
			"logging": map[string]any{"format": "json", "level": "info"},
		},
		"configs": map[string]any{
			"cm":     cm,
			"params": map[string]any{"server.insecure": true},
			"rbac":   rbac,
			// Argo CD generates the admin password into argocd-initial-admin-secret; it is never
			// copied anywhere (docs/workflows/04-gitops.md says how to read and delete it).
			"secret": map[string]any{"createSecret": true},
		},
		"dex":             map[string]any{"enabled": false},
		"commitServer":    map[string]any{"enabled": false},
		"controller":      controller,
		"server":          server,
		"repoServer":      repoServer,
		"applicationSet":  appSet,
		"notifications":   notifications,
		"redisSecretInit": map[string]any{"resources": s.redisInit.ResourceValues()},
	}
	if c.RedisHA {
		values["redis"] = map[string]any{"enabled": false}
		values["redis-ha"] = map[string]any{
			"enabled":             true,
			"replicas":            s.redisHA.Replicas,
			"redis":               map[string]any{"resources": s.redisContainers[0].ResourceValues()},
			"sentinel":            map[string]any{"resources": s.redisContainers[1].ResourceValues()},
			"splitBrainDetection": map[string]any{"resources": s.redisContainers[2].ResourceValues()},
			"init":                map[string]any{"resources": s.redisInit.ResourceValues()},
			"exporter": map[string]any{"enabled": true, "resources": s.redisContainers[3].ResourceValues(),
				"serviceMonitor": map[string]any{"enabled": true}},
			"podDisruptionBudget":       map[string]any{"maxUnavailable": 1},
			"topologySpreadConstraints": map[string]any{"enabled": true, "whenUnsatisfiable": "ScheduleAnyway"},
			"haproxy": map[string]any{
				"replicas":            s.haproxy.Replicas,
				"resources":           s.haproxy.ResourceValues(),
				"init":                map[string]any{"resources": s.redisInit.ResourceValues()},
				"podDisruptionBudget": map[string]any{"maxUnavailable": 1},
				"metrics":             map[string]any{"enabled": true, "serviceMonitor": map[string]any{"enabled": true}},
			},
		}
	} else {
		values["redis"] = map[string]any{
			"enabled":   true,
			"resources": s.redisContainers[0].ResourceValues(),
			"exporter":  map[string]any{"enabled": true, "resources": s.redisContainers[3].ResourceValues()},
			"metrics":   metrics,
		}
	}
	if g.ha() {
		values["global"].(map[string]any)["topologySpreadConstraints"] = []any{
			map[string]any{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway"},
		}
	}
	return g.release(ArgoCDRelease, ArgoCDChart, helmaddon.Config{
		Namespace:  ArgoCDNamespace,
		Values:     values,
		Footprints: s.argoFootprints(c.RedisHA),
	})
}

// tektonOperator installs the Tekton Operator chart with its CRDs; the TektonConfig (local chart
// tekton-config) is ours, so the operator's auto-install is off.
func (g *GitOps) tektonOperator() *helmaddon.Addon {
	s := g.sizing
	return g.release("tekton-operator", TektonOperatorChart, helmaddon.Config{
		Namespace: TektonOperatorNamespace,
		Values: map[string]any{
			"installCRDs": true,
			"operator": map[string]any{
				"replicas":               1,
				"autoInstallComponents":  false,
				"defaultTargetNamespace": TektonNamespace,
				// Applied to each of the operator pod's two containers.
				"resources": s.operatorContainer.ResourceValues(),
			},
			"webhook": map[string]any{"replicas": 1, "resources": s.operatorWebhook.ResourceValues()},
			"service": map[string]any{"createServiceMonitor": true},
		},
		Footprints: []capacity.Footprint{s.operatorPod(), s.operatorWebhook, s.proxyWebhook},
	})
}

// platformValues are the argocd-platform chart's values: teams, services and the repository.
func (g *GitOps) platformValues() map[string]any {
	c := g.Cfg.GitOps
	teams := make([]any, 0, len(c.Teams))
	for _, t := range c.Teams {
		teams = append(teams, map[string]any{"name": t.Name, "namespaces": toAny(t.Namespaces), "sourceRepos": toAny(t.SourceRepos)})
	}
	services := make([]any, 0, len(c.Services))
	for _, s := range c.Services {
		services = append(services, map[string]any{"name": s.Name, "team": s.Team, "namespace": c.ServiceNamespace(s)})
	}
	return map[string]any{
		"environment": g.Cfg.Environment,
		"repository":  map[string]any{"url": c.Repository, "branch": c.Branch, "path": c.Path},
		"teams":       teams,
		"services":    services,
		"retry": map[string]any{"limit": 5, "backoff": map[string]any{
			"duration": "10s", "factor": 2, "maxDuration": "3m"}},
		"slackChannel": c.Notifications.SlackChannel,
		"podSecurity":  "baseline",
		// Team namespaces that are meshed get the injection label here: this release owns them.
		"meshNamespaces": toAny(shared(teamNamespaces(g.Cfg), meshedNamespaces(g.Cfg))),
		"injectionLabel": InjectionLabel,
	}
}

// pipelineValues are the tekton-pipeline chart's values.
func (g *GitOps) pipelineValues() map[string]any {
	c := g.Cfg.GitOps
	services := []any{}
	for _, s := range c.Services {
		if _, ok := g.Repositories[s.Name]; !ok {
			continue // no image to build
		}
		services = append(services, map[string]any{
			"name": s.Name, "sourceRepository": s.SourceRepository, "branch": "main", "repository": g.ecrName(s.Name),
		})
	}
	return map[string]any{
		"images":   PipelineImages,
		"registry": *g.Registry,
		"gitops": map[string]any{
			"sshURL": SSHURL(c.Repository), "branch": c.Branch, "path": c.Path, "environment": g.Cfg.Environment,
		},
		"secrets": map[string]any{
			"webhook":   map[string]any{"name": webhookSecret, "key": "secret"},
			"deployKey": map[string]any{"name": deployKeySecret},
		},
		"services": services,
		"serviceAccounts": map[string]any{
			"builder": BuilderServiceAccount, "runner": runnerServiceAccount, "triggers": triggersServiceAccount,
		},
		"workspace":      map[string]any{"storageClass": "gp3", "size": "1Gi"},
		"stepResources":  g.sizing.step.ResourceValues(),
		"eventListener":  map[string]any{"resources": g.sizing.eventListener.ResourceValues()},
		"serviceMonitor": map[string]any{"enabled": true, "interval": "30s"},
	}
}

// externalSecrets are the gitops-secrets chart's entries: AWS Secrets Manager secret names in,
// Kubernetes Secrets out. No value ever passes through Terraform.
func (g *GitOps) externalSecrets() []any {
	c := g.Cfg.GitOps
	key := func(secretKey, property string) any {
		return map[string]any{"secretKey": secretKey, "property": property}
	}
	creds := []any{key("sshPrivateKey", "sshPrivateKey")}
	if c.Credentials.Type == config.CredentialsGitHubApp {
		creds = []any{key("githubAppID", "githubAppID"), key("githubAppInstallationID", "githubAppInstallationID"), key("githubAppPrivateKey", "githubAppPrivateKey")}
	}
	out := []any{
		map[string]any{
			"name": repoCredsSecret, "namespace": ArgoCDNamespace, "awsSecretName": c.Credentials.SecretName,
			"keys":   creds,
			"static": map[string]any{"type": "git", "url": c.Repository},
			// A credential template: Argo CD uses it for every repository under this URL.
			"labels": map[string]any{"argocd.argoproj.io/secret-type": "repo-creds"},
		},
		map[string]any{
			"name": webhookSecret, "namespace": CINamespace, "awsSecretName": c.Pipeline.WebhookSecretName,
			"keys": []any{key("secret", "secret")},
		},
		map[string]any{
			"name": deployKeySecret, "namespace": CINamespace, "awsSecretName": c.Pipeline.GitWriteSecretName,
			"keys":   []any{key("ssh-privatekey", "sshPrivateKey")},
			"static": map[string]any{"known_hosts": githubKnownHosts},
		},
	}
	if c.SSO.Enabled {
		out = append(out, map[string]any{
			"name": oidcSecret, "namespace": ArgoCDNamespace, "awsSecretName": c.SSO.ClientSecretName,
			"keys":   []any{key("clientSecret", "clientSecret")},
			"labels": map[string]any{"app.kubernetes.io/part-of": "argocd"},
		})
	}
	if c.Notifications.SlackTokenSecretName != "" {
		out = append(out, map[string]any{
			"name": notificationsSecret, "namespace": ArgoCDNamespace, "awsSecretName": c.Notifications.SlackTokenSecretName,
			"keys":   []any{key("slack-token", "token")},
			"labels": map[string]any{"app.kubernetes.io/part-of": "argocd"},
		})
	}
	return out
}

// SSHURL turns a GitHub https URL into its SSH form (the pipeline pushes with a deploy key).
func SSHURL(repo string) string {
	if rest, ok := strings.CutPrefix(repo, "https://github.com/"); ok {
		return "git@github.com:" + rest
	}
	return repo
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func (g *GitOps) outputs() {
	g.output("argocd_url", "Argo CD UI and API (argocd login <host> --grpc-web --sso)", "https://"+ArgoCDHost+"."+g.Cfg.Ingress.Domain)
	g.output("argocd_namespace", "Namespace of Argo CD (AppProjects and ApplicationSets live here)", ArgoCDNamespace)
	g.output("tekton_namespace", "Namespace of Tekton Pipelines, Triggers and the Dashboard", TektonNamespace)
	g.output("ci_namespace", "Namespace of the reference pipeline and its EventListener", CINamespace)
	if g.Cfg.GitOps.Wired() {
		g.output("webhook_url", "GitHub webhook URL (push events, content type application/json)", "https://"+WebhookHost+"."+g.Cfg.Ingress.Domain)
	}
	g.output("ecr_registry", "ECR registry host", g.Registry)
	repos := map[string]any{}
	for name, r := range g.Repositories {
		repos[name] = r.RepositoryUrl()
	}
	g.output("ecr_repositories", "ECR repository URL by service", repos)
	g.output("builder_role_arn", "IAM role of the pipeline's build task (ECR push to the platform's repositories)", g.Builder.Role.Arn())
}
