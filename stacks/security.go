package stacks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmsalias"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecret"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"gopkg.in/yaml.v3"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/constructs/helmaddon"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/objectstore"
	"github.com/platformeng/eks-platform/constructs/podidentity"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

// Names the security stack gives to later stacks and to microservices.
const (
	OpenBaoNamespace         = "openbao"
	OpenBaoRelease           = "openbao"
	OpenBaoTLSSecret         = "openbao-server-tls"
	OpenBaoKVMount           = "secret"
	OpenBaoESORole           = "external-secrets"
	ExternalSecretsNamespace = "external-secrets"
	GatekeeperNamespace      = "gatekeeper-system"
	FalcoNamespace           = "falco"
	// InternalCAIssuer is a ClusterIssuer of a private CA for in-cluster TLS (not Let's Encrypt).
	InternalCAIssuer = "internal-ca"

	openBaoServiceAccount   = "openbao"
	openBaoBootstrapAccount = "openbao-bootstrap"
	openBaoSnapshotAccount  = "openbao-snapshot"
	esoServiceAccount       = "external-secrets"
)

// RequiredLabels are the labels every workload pod carries (Gatekeeper constraint).
var RequiredLabels = []string{"app.kubernetes.io/name", "team"}

// Security is Workflow 5: OpenBao (KMS auto-unseal, Raft, snapshots to S3) with External
// Secrets, OPA Gatekeeper with the platform's policies, and Falco.
type Security struct {
	*Base
	UnsealKey  kmskey.KmsKey
	InitKey    kmskey.KmsKey
	InitSecret secretsmanagersecret.SecretsmanagerSecret
	Snapshots  *objectstore.Store
	OpenBao    *helmaddon.Addon
	Stores     *helmaddon.Addon
	Templates  *helmaddon.Addon
	// Constraints are released after Templates: their CRDs exist only then.
	Constraints *helmaddon.Addon
	Falco       *helmaddon.Addon

	ids awsIDs
	obs ObservabilityOutputs
}

// NewSecurity builds stack 5 on the foundation, using cert-manager from the ingress stack for
// the internal CA and the observability stack's Loki and Alertmanager for Falco's events.
func NewSecurity(scope constructs.Construct, cfg *config.Config, ledger *capacity.Ledger, f *Foundation, in *Ingress, obs ObservabilityOutputs) *Security {
	w, _ := WorkflowByID("security")
	s := &Security{Base: newBase(scope, cfg, w, ledger), obs: obs}
	s.AddDependency(f.TerraformStack)
	s.AddDependency(in.TerraformStack)
	if obs.Stack != nil {
		s.AddDependency(obs.Stack)
	}
	s.Helm = newHelmProvider(s.TerraformStack, f.Access())
	s.overrideBudget(cfg.Security.BudgetOverride.CPU, cfg.Security.BudgetOverride.Memory, cfg.Security.BudgetOverride.Reason)

	account := dataawscalleridentity.NewDataAwsCallerIdentity(s.TerraformStack, jsii.String("account"), &dataawscalleridentity.DataAwsCallerIdentityConfig{})
	partition := dataawspartition.NewDataAwsPartition(s.TerraformStack, jsii.String("partition"), &dataawspartition.DataAwsPartitionConfig{})
	s.ids = awsIDs{Partition: *partition.Partition(), Account: *account.AccountId(), Region: cfg.Region}

	s.secretsInfrastructure(f)
	caIssuer := s.localRelease("internal-ca", charts.InternalCA, helmaddon.Config{
		Namespace: CertManagerNamespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"issuerName": InternalCAIssuer,
			"commonName": s.Names.Name("internal-ca"),
		},
		NoWorkloads: true,
	})
	s.OpenBao = s.openBao(f, caIssuer)
	bootstrap := s.openBaoBootstrap(f, s.OpenBao)
	eso := s.externalSecrets(f)
	s.Stores = s.localRelease("secret-stores", charts.SecretStores, helmaddon.Config{
		Namespace: ExternalSecretsNamespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"openbao": map[string]any{
				"name":   DefaultSecurityOutputs(nil).OpenBaoStore,
				"server": s.openBaoAddr(),
				"path":   OpenBaoKVMount,
				"role":   OpenBaoESORole,
				"caSecret": map[string]any{
					"name": OpenBaoTLSSecret, "namespace": OpenBaoNamespace, "key": "ca.crt",
				},
				"serviceAccount": map[string]any{"name": esoServiceAccount, "namespace": ExternalSecretsNamespace},
			},
			"secretsManager": map[string]any{
				"name":   DefaultSecurityOutputs(nil).SecretsManagerStore,
				"region": cfg.Region,
			},
		},
		NoWorkloads: true,
		// The stores' CRDs come with External Secrets; OpenBao's role comes from the bootstrap Job.
		DependsOn: []cdktf.ITerraformDependable{eso.Release, bootstrap.Release},
	})
	s.gatekeeper()
	s.Falco = s.falco()
	s.alerts()
	s.outputs()
	return s
}

// Outputs are the names later stacks use (data services read secrets through the stores).
func (s *Security) Outputs() SecurityOutputs { return DefaultSecurityOutputs(s.TerraformStack) }

// openBaoInitSecretName is outside config.SecretsPrefix on purpose: External Secrets never sees it.
func openBaoInitSecretName(n naming.Namer) string { return n.Must(naming.Secret, "openbao") + "/init" }

// secretsInfrastructure creates the AWS side of OpenBao: the unseal key, the init secret and
// its key, and the snapshot bucket.
func (s *Security) secretsInfrastructure(f *Foundation) {
	s.UnsealKey = s.key("openbao-unseal", "OpenBao auto-unseal (awskms seal) of "+s.Names.Prefix())
	s.InitKey = s.key("openbao-init", "OpenBao recovery keys and initial root token in Secrets Manager, "+s.Names.Prefix())
	s.InitSecret = secretsmanagersecret.NewSecretsmanagerSecret(s.TerraformStack, jsii.String("openbao-init-secret"), &secretsmanagersecret.SecretsmanagerSecretConfig{
		Name:        jsii.String(openBaoInitSecretName(s.Names)),
		Description: jsii.String("OpenBao init output (recovery keys, initial root token, revoked after bootstrap); written once by the bootstrap Job"),
		KmsKeyId:    s.InitKey.Arn(),
		// The recovery keys are the only way to generate a new root token: a delete (or a
		// destroy) leaves them recoverable for 30 days.
		RecoveryWindowInDays: jsii.Number(30),
		Tags:                 tagging.ComponentTags("openbao"),
	})
	s.Snapshots = objectstore.New(s.TerraformStack, "openbao-snapshots", objectstore.Config{
		Names: s.Names, Component: "openbao-snapshots",
		KMSKeyARN:      f.Key.KMS.Arn(),
		AccountID:      jsii.String(s.ids.Account),
		ExpirationDays: s.Cfg.Security.OpenBao.SnapshotRetentionDays,
		Versioning:     true, NoncurrentExpirationDays: 7,
	})
}

func (s *Security) key(component, description string) kmskey.KmsKey {
	k := kmskey.NewKmsKey(s.TerraformStack, jsii.String(component), &kmskey.KmsKeyConfig{
		Description:          jsii.String(description),
		EnableKeyRotation:    jsii.Bool(true),
		DeletionWindowInDays: jsii.Number(30),
		Policy:               keyPolicy(s.ids).Expr(),
		Tags:                 tagging.ComponentTags(component),
	})
	kmsalias.NewKmsAlias(s.TerraformStack, jsii.String(component+"-alias"), &kmsalias.KmsAliasConfig{
		Name:        jsii.String("alias/" + s.Names.Must(naming.KMSAlias, component)),
		TargetKeyId: k.KeyId(),
	})
	return k
}

func (s *Security) identity(f *Foundation, component, namespace, sa string, policy iampolicy.Document) *podidentity.Identity {
	return podidentity.New(s.TerraformStack, component+"-identity", podidentity.Config{
		Names: s.Names, Component: component, Mode: podidentity.PodIdentity,
		ClusterName: f.Cluster.EKS.Name(), Namespace: namespace, ServiceAccount: sa,
		Policy: policy,
	})
}

// openBaoAddr is the in-cluster address of the active OpenBao server.
func (s *Security) openBaoAddr() string {
	return fmt.Sprintf("https://%s-active.%s.svc:8200", OpenBaoRelease, OpenBaoNamespace)
}

// openBaoDNSNames are the names the server certificate covers: the services, every pod of the
// headless service (Raft peers talk pod to pod), and localhost for the CLI inside a pod.
func openBaoDNSNames() []any {
	var out []any
	for _, svc := range []string{OpenBaoRelease, OpenBaoRelease + "-active", OpenBaoRelease + "-standby", OpenBaoRelease + "-internal"} {
		out = append(out, svc, svc+"."+OpenBaoNamespace, svc+"."+OpenBaoNamespace+".svc", svc+"."+OpenBaoNamespace+".svc.cluster.local")
	}
	internal := OpenBaoRelease + "-internal"
	return append(out, "*."+internal, "*."+internal+"."+OpenBaoNamespace+".svc", "*."+internal+"."+OpenBaoNamespace+".svc.cluster.local", "localhost")
}

// openBaoConfig is the server configuration: TLS listener with metrics for Prometheus, Raft
// storage joining its peers over TLS, the awskms seal, Kubernetes service registration, and
// the audit log to stdout (collected by Loki with every other container log).
func (s *Security) openBaoConfig() string {
	var joins strings.Builder
	for i := range s.Cfg.Security.OpenBao.Replicas {
		fmt.Fprintf(&joins, `
  retry_join {
    leader_api_addr     = "https://%s-%d.%s-internal:8200"
    leader_ca_cert_file = "/openbao/tls/ca.crt"
  }`, OpenBaoRelease, i, OpenBaoRelease)
	}
	return fmt.Sprintf(`ui = true
cluster_name = %q
disable_mlock = true

listener "tcp" {
  address         = "[::]:8200"
  cluster_address = "[::]:8201"
  tls_cert_file   = "/openbao/tls/tls.crt"
  tls_key_file    = "/openbao/tls/tls.key"
  tls_min_version = "tls12"
  telemetry {
    unauthenticated_metrics_access = true
  }
}

storage "raft" {
  path = "/openbao/data"%s
}

seal "awskms" {
  region     = %q
  kms_key_id = %q
}

service_registration "kubernetes" {}

telemetry {
  prometheus_retention_time = "30s"
  disable_hostname          = true
}

audit "file" "stdout" {
  description = "Audit log to standard output, collected by Loki"
  options {
    file_path = "stdout"
  }
}
`, s.Names.Prefix(), joins.String(), s.Cfg.Region, *s.UnsealKey.Arn())
}

func (s *Security) openBao(f *Foundation, caIssuer *helmaddon.Addon) *helmaddon.Addon {
	oc := s.Cfg.Security.OpenBao
	id := s.identity(f, "openbao", OpenBaoNamespace, openBaoServiceAccount, openBaoUnsealPolicy(*s.UnsealKey.Arn()))
	tls := s.localRelease("openbao-tls", charts.OpenBaoTLS, helmaddon.Config{
		Namespace: OpenBaoNamespace,
		Values: map[string]any{
			"issuer":     InternalCAIssuer,
			"secretName": OpenBaoTLSSecret,
			"dnsNames":   openBaoDNSNames(),
		},
		NoWorkloads: true,
		DependsOn:   []cdktf.ITerraformDependable{caIssuer.Release},
	})
	fp := capacity.Footprint{Component: "openbao", Replicas: oc.Replicas,
		Requests: capacity.Resources{CPU: "20m", Memory: "96Mi"}, Limits: capacity.Resources{CPU: "500m", Memory: "512Mi"}}
	selector := map[string]any{"matchLabels": map[string]any{
		"app.kubernetes.io/name": OpenBaoRelease, "app.kubernetes.io/instance": OpenBaoRelease, "component": "server",
	}}
	ha := oc.Replicas > 1
	return s.release(OpenBaoRelease, OpenBaoChart, helmaddon.Config{
		Namespace: OpenBaoNamespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"global":   map[string]any{"tlsDisable": false},
			"injector": map[string]any{"enabled": false},
			"csi":      map[string]any{"enabled": false},
			// No UI Service and no route: operators use the CLI or a port-forward.
			"ui": map[string]any{"enabled": false},
			"server": map[string]any{
				"image":     map[string]any{"registry": "quay.io", "repository": "openbao/openbao", "tag": imageTag(OpenBaoImage)},
				"resources": fp.ResourceValues(),
				"dataStorage": map[string]any{
					"enabled": true, "size": oc.StorageSize, "storageClass": "gp3",
				},
				"auditStorage": map[string]any{"enabled": false},
				"extraEnvironmentVars": map[string]any{
					"BAO_CACERT": "/openbao/tls/ca.crt",
					"AWS_REGION": s.Cfg.Region,
				},
				"volumes":      []any{map[string]any{"name": "tls", "secret": map[string]any{"secretName": OpenBaoTLSSecret}}},
				"volumeMounts": []any{map[string]any{"name": "tls", "mountPath": "/openbao/tls", "readOnly": true}},
				// Ready while uninitialized, so that helm's wait lets the bootstrap Job run;
				// sealed servers answer 503 and drop out of the Services.
				"readinessProbe": map[string]any{
					"enabled": true,
					"path":    "/v1/sys/health?standbyok=true&perfstandbyok=true&uninitcode=204",
				},
				"serviceAccount": map[string]any{"create": true, "name": openBaoServiceAccount},
				"ha": map[string]any{
					"enabled":  true,
					"replicas": oc.Replicas,
					"raft":     map[string]any{"enabled": true, "setNodeId": true, "config": s.openBaoConfig()},
					// A one-replica budget would block every node drain in dev.
					"disruptionBudget": map[string]any{"enabled": ha, "maxUnavailable": 1},
				},
				"topologySpreadConstraints": []any{
					map[string]any{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule", "labelSelector": selector},
				},
			},
			"serverTelemetry": map[string]any{"serviceMonitor": map[string]any{
				"enabled": true,
				// The chart's default selector label is for a differently named Prometheus.
				"selectors": map[string]any{"app.kubernetes.io/part-of": "eks-platform"},
				"tlsConfig": map[string]any{
					"ca":         map[string]any{"secret": map[string]any{"name": OpenBaoTLSSecret, "key": "ca.crt"}},
					"serverName": OpenBaoRelease + "-active." + OpenBaoNamespace + ".svc",
				},
			}},
		},
		Footprints: []capacity.Footprint{fp},
		DependsOn:  []cdktf.ITerraformDependable{tls.Release, id.Association},
	})
}

// openBaoBootstrap installs the bootstrap Job (a Helm hook on every install and upgrade) and
// the snapshot CronJob, each with its own pod identity.
func (s *Security) openBaoBootstrap(f *Foundation, openBao *helmaddon.Addon) *helmaddon.Addon {
	oc := s.Cfg.Security.OpenBao
	boot := s.identity(f, "openbao-bootstrap", OpenBaoNamespace, openBaoBootstrapAccount,
		openBaoBootstrapPolicy(s.ids, *s.InitSecret.Arn(), *s.InitKey.Arn()))
	snap := s.identity(f, "openbao-snapshot", OpenBaoNamespace, openBaoSnapshotAccount,
		openBaoSnapshotPolicy(*s.Snapshots.ARN(), *s.Snapshots.KMSKeyARN))
	// Run-to-completion pods: declared with their resources, not counted in the steady state.
	job := capacity.Footprint{Component: "openbao-bootstrap (hook Job)", Replicas: 0,
		Requests: capacity.Resources{CPU: "10m", Memory: "32Mi"}, Limits: capacity.Resources{CPU: "200m", Memory: "128Mi"}}
	snapshot := capacity.Footprint{Component: "openbao-snapshot (CronJob)", Replicas: 0,
		Requests: capacity.Resources{CPU: "10m", Memory: "64Mi"}, Limits: capacity.Resources{CPU: "200m", Memory: "256Mi"}}
	return s.localRelease("openbao-bootstrap", charts.OpenBaoBootstrap, helmaddon.Config{
		Namespace: OpenBaoNamespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"images":  map[string]any{"openbao": OpenBaoImage, "awsCli": AWSCLIImage},
			"address": s.openBaoAddr(),
			"region":  s.Cfg.Region,
			"tls":     map[string]any{"secretName": OpenBaoTLSSecret},
			"init": map[string]any{
				"secretId":          *s.InitSecret.Arn(),
				"recoveryShares":    5,
				"recoveryThreshold": 3,
				"serviceAccount":    openBaoBootstrapAccount,
				"resources":         job.ResourceValues(),
			},
			"kubernetesAuth": map[string]any{
				"externalSecrets": map[string]any{
					"role": OpenBaoESORole, "serviceAccount": esoServiceAccount, "namespace": ExternalSecretsNamespace,
				},
			},
			"kv": map[string]any{"path": OpenBaoKVMount},
			"snapshot": map[string]any{
				"enabled":        true,
				"schedule":       oc.SnapshotSchedule,
				"bucket":         *s.Snapshots.Name(),
				"prefix":         "snapshots/",
				"serviceAccount": openBaoSnapshotAccount,
				"resources":      snapshot.ResourceValues(),
			},
		},
		Footprints: []capacity.Footprint{job, snapshot},
		// helm waits for the hook Job: the release is done when OpenBao is initialized and configured.
		Timeout:   900,
		DependsOn: []cdktf.ITerraformDependable{openBao.Release, boot.Association, snap.Association},
	})
}

func (s *Security) externalSecrets(f *Foundation) *helmaddon.Addon {
	id := s.identity(f, "external-secrets", ExternalSecretsNamespace, esoServiceAccount,
		externalSecretsPolicy(s.ids, s.Cfg.SecretsPrefix(), *s.InitSecret.Arn()))
	controller := capacity.Footprint{Component: "external-secrets", Replicas: s.replicas(2),
		Requests: capacity.Resources{CPU: "10m", Memory: "48Mi"}, Limits: capacity.Resources{CPU: "200m", Memory: "256Mi"}}
	webhook := capacity.Footprint{Component: "external-secrets-webhook", Replicas: s.replicas(2),
		Requests: capacity.Resources{CPU: "5m", Memory: "24Mi"}, Limits: capacity.Resources{CPU: "100m", Memory: "128Mi"}}
	certController := capacity.Footprint{Component: "external-secrets-cert-controller", Replicas: 1,
		Requests: capacity.Resources{CPU: "5m", Memory: "24Mi"}, Limits: capacity.Resources{CPU: "100m", Memory: "128Mi"}}
	pdb := map[string]any{"enabled": s.ha(), "minAvailable": 1}
	spread := func(name string) []any {
		return []any{map[string]any{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway",
			"labelSelector": map[string]any{"matchLabels": map[string]any{"app.kubernetes.io/name": name}}}}
	}
	return s.release("external-secrets", ExternalSecretsChart, helmaddon.Config{
		Namespace: ExternalSecretsNamespace,
		Values: map[string]any{
			"installCRDs": true,
			// Uninstalling must not delete the CRDs: that would delete every ExternalSecret and,
			// through owner references, the Secrets workloads run on.
			"crds":                map[string]any{"annotations": map[string]any{"helm.sh/resource-policy": "keep"}},
			"replicaCount":        controller.Replicas,
			"leaderElect":         controller.Replicas > 1,
			"resources":           controller.ResourceValues(),
			"podDisruptionBudget": pdb,
			// Pod Identity for the aws-secrets-manager store: the controller's own credentials.
			"serviceAccount":            map[string]any{"create": true, "name": esoServiceAccount},
			"serviceMonitor":            map[string]any{"enabled": true, "additionalLabels": map[string]any{"app.kubernetes.io/part-of": "eks-platform"}},
			"topologySpreadConstraints": spread("external-secrets"),
			"webhook": map[string]any{
				"replicaCount": webhook.Replicas, "resources": webhook.ResourceValues(),
				"podDisruptionBudget":       pdb,
				"topologySpreadConstraints": spread("external-secrets-webhook"),
			},
			"certController": map[string]any{
				"replicaCount": certController.Replicas, "resources": certController.ResourceValues(),
			},
		},
		Footprints: []capacity.Footprint{controller, webhook, certController},
		DependsOn:  []cdktf.ITerraformDependable{id.Association},
	})
}

func (s *Security) gatekeeper() {
	gc := s.Cfg.Security.Gatekeeper
	controller := capacity.Footprint{Component: "gatekeeper-controller-manager", Replicas: s.replicas(3),
		Requests: capacity.Resources{CPU: "25m", Memory: "96Mi"}, Limits: capacity.Resources{CPU: "500m", Memory: "512Mi"}}
	audit := capacity.Footprint{Component: "gatekeeper-audit", Replicas: 1,
		Requests: capacity.Resources{CPU: "15m", Memory: "80Mi"}, Limits: capacity.Resources{CPU: "500m", Memory: "512Mi"}}
	minAvailable := 0
	if s.ha() {
		minAvailable = 1
	}
	gk := s.release("gatekeeper", GatekeeperChart, helmaddon.Config{
		Namespace: GatekeeperNamespace,
		Values: map[string]any{
			"replicas":      controller.Replicas,
			"auditInterval": 60,
			"logDenies":     true,
			"controllerManager": map[string]any{
				"resources": controller.ResourceValues(),
				"topologySpreadConstraints": []any{map[string]any{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway",
					"labelSelector": map[string]any{"matchLabels": map[string]any{"gatekeeper.sh/operation": "webhook"}}}},
			},
			"audit": map[string]any{"resources": audit.ResourceValues()},
			// With one replica in dev, a budget of one would block every node drain.
			"pdb": map[string]any{"controllerManager": map[string]any{"minAvailable": minAvailable}},
		},
		Footprints: []capacity.Footprint{controller, audit},
	})
	wait := capacity.Footprint{Component: "gatekeeper-crd-wait (hook Job)", Replicas: 0,
		Requests: capacity.Resources{CPU: "10m", Memory: "32Mi"}, Limits: capacity.Resources{CPU: "100m", Memory: "64Mi"}}
	s.Templates = s.localRelease("gatekeeper-templates", charts.GatekeeperTemplates, helmaddon.Config{
		Namespace: GatekeeperNamespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			// A post-install hook waits until Gatekeeper has made every constraint CRD, so the
			// constraints release cannot race its CRDs (REFERENCE.md §4).
			"crdWait": map[string]any{"image": KubectlImage, "timeoutSeconds": 180, "resources": wait.ResourceValues()},
		},
		Footprints: []capacity.Footprint{wait},
		DependsOn:  []cdktf.ITerraformDependable{gk.Release},
	})
	s.Constraints = s.localRelease("gatekeeper-constraints", charts.GatekeeperConstraints, helmaddon.Config{
		Namespace: GatekeeperNamespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"enforcementAction":      gc.Enforcement,
			"excludedNamespaces":     toAny(gc.ExemptNamespaces),
			"requiredLabels":         toAny(RequiredLabels),
			"allowedRegistries":      toAny(append([]string{s.ecrRegistry()}, gc.AllowedRegistries...)),
			"loadBalancerNamespaces": toAny(gc.LoadBalancerNamespaces),
			"podMonitor":             map[string]any{"enabled": true, "interval": "30s"},
		},
		NoWorkloads: true,
		DependsOn:   []cdktf.ITerraformDependable{s.Templates.Release},
	})
}

// ecrRegistry is the account's own ECR registry prefix.
func (s *Security) ecrRegistry() string {
	return fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/", s.ids.Account, s.ids.Region)
}

func (s *Security) falco() *helmaddon.Addon {
	fc := s.Cfg.Security.Falco
	agent := capacity.Footprint{Component: "falco", DaemonSet: true,
		Requests: capacity.Resources{CPU: "10m", Memory: "56Mi"}, Limits: capacity.Resources{CPU: "500m", Memory: "512Mi"}}
	sidekick := capacity.Footprint{Component: "falcosidekick", Replicas: s.replicas(2),
		Requests: capacity.Resources{CPU: "5m", Memory: "16Mi"}, Limits: capacity.Resources{CPU: "100m", Memory: "64Mi"}}
	sidekickConfig := map[string]any{}
	if fc.Outputs.Loki {
		host, path := splitURL(s.obs.LokiPushURL)
		sidekickConfig["loki"] = map[string]any{"hostport": host, "endpoint": path, "minimumpriority": fc.MinimumPriority, "format": "json"}
	}
	if fc.Outputs.Alertmanager {
		// Alertmanager 0.27 removed the v1 API that is the chart's default endpoint.
		sidekickConfig["alertmanager"] = map[string]any{"hostport": s.obs.AlertmanagerURL, "endpoint": "/api/v2/alerts", "minimumpriority": fc.MinimumPriority}
	}
	return s.release("falco", FalcoChart, helmaddon.Config{
		Namespace: FalcoNamespace,
		Values: map[string]any{
			"driver":    map[string]any{"kind": "modern_ebpf"},
			"resources": agent.ResourceValues(),
			// Every node, before workloads: a node without Falco is a blind spot.
			"podPriorityClassName": "system-node-critical",
			// Rules and the container plugin come pinned in the falco image (0.44.1 ships
			// falco-rules-5.1.0): nothing is downloaded at run time.
			"falcoctl": map[string]any{"artifact": map[string]any{
				"install": map[string]any{"enabled": false},
				"follow":  map[string]any{"enabled": false},
			}},
			"customRules":    map[string]any{"platform-exceptions.yaml": falcoExceptions(fc.Exceptions)},
			"metrics":        map[string]any{"enabled": true},
			"serviceMonitor": map[string]any{"create": true, "labels": map[string]any{"app.kubernetes.io/part-of": "eks-platform"}},
			"falcosidekick": map[string]any{
				"enabled":        true,
				"replicaCount":   sidekick.Replicas,
				"resources":      sidekick.ResourceValues(),
				"config":         sidekickConfig,
				"serviceMonitor": map[string]any{"enabled": true},
				"webui":          map[string]any{"enabled": false},
			},
		},
		Footprints: []capacity.Footprint{agent, sidekick},
	})
}

// falcoExceptions renders the configured exceptions as a Falco rules file that appends one
// exception per rule (Falco exceptions syntax: fields, comps and value tuples).
func falcoExceptions(exs []config.FalcoException) string {
	byRule := map[string][]any{}
	for _, e := range exs {
		byRule[e.Rule] = append(byRule[e.Rule], []any{e.Namespace, e.ImagePrefix})
	}
	rules := make([]string, 0, len(byRule))
	for r := range byRule {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	var doc []any
	for _, r := range rules {
		doc = append(doc, map[string]any{
			"rule": r,
			"exceptions": []any{map[string]any{
				"name":   "platform_components",
				"fields": []any{"k8s.ns.name", "container.image.repository"},
				"comps":  []any{"=", "startswith"},
				"values": byRule[r],
			}},
			"override": map[string]any{"exceptions": "append"},
		})
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return string(out)
}

// splitURL splits http://host:port/path into "http://host:port" and "/path".
func splitURL(u string) (string, string) {
	scheme, rest, _ := strings.Cut(u, "://")
	host, path, _ := strings.Cut(rest, "/")
	return scheme + "://" + host, "/" + path
}

// imageTag is the tag of a pinned image reference.
func imageTag(image string) string { return image[strings.LastIndex(image, ":")+1:] }

func (s *Security) alerts() {
	s.alertRules("security-rules", s.obs.Namespace, []AlertGroup{
		{Name: "openbao", Rules: []Alert{
			{Name: "OpenBaoSealed", Expr: `max by (pod) (vault_core_unsealed{namespace="openbao"}) == 0`, For: "5m", Severity: "critical",
				Summary: "OpenBao {{ $labels.pod }} is sealed", Description: "A sealed server serves no secrets; auto-unseal through AWS KMS failed.",
				Runbook: "security#openbao-sealed"},
			{Name: "OpenBaoDown", Expr: `absent(up{namespace="openbao", job=~"openbao.*"} == 1)`, For: "10m", Severity: "critical",
				Summary: "No OpenBao server is scraped", Description: "External Secrets cannot refresh secrets from OpenBao.",
				Runbook: "security#openbao-sealed"},
			{Name: "OpenBaoBootstrapFailed", Expr: `kube_job_status_failed{namespace="openbao", job_name=~"openbao-bootstrap.*"} > 0`, Severity: "critical",
				Summary: "The OpenBao bootstrap Job failed", Description: "Initialization or configuration of OpenBao did not complete.",
				Runbook: "security#openbao-init-failed"},
			{Name: "OpenBaoSnapshotMissing", Expr: `time() - max(kube_cronjob_status_last_successful_time{namespace="openbao", cronjob="openbao-snapshot"}) > 2 * 86400`, Severity: "warning",
				Summary: "No successful OpenBao snapshot for two days", Description: "Raft snapshots to S3 are failing.",
				Runbook: "security#openbao-snapshot-missing"},
		}},
		{Name: "external-secrets", Rules: []Alert{
			{Name: "ExternalSecretNotSynced", Expr: `max by (namespace, name) (externalsecret_status_condition{condition="Ready", status="False"}) == 1`, For: "15m", Severity: "warning",
				Summary: "ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} is not syncing", Description: "The workload keeps the last synced value, or has no Secret at all.",
				Runbook: "security#externalsecret-not-syncing"},
			{Name: "SecretStoreNotReady", Expr: `max by (name) (clustersecretstore_status_condition{condition="Ready", status="False"}) == 1`, For: "10m", Severity: "critical",
				Summary: "ClusterSecretStore {{ $labels.name }} is not ready", Description: "No ExternalSecret using this store can sync.",
				Runbook: "security#externalsecret-not-syncing"},
		}},
		{Name: "gatekeeper", Rules: []Alert{
			{Name: "GatekeeperViolations", Expr: `sum by (enforcement_action) (gatekeeper_violations) > 0`, For: "1h", Severity: "warning",
				Summary: "{{ $value }} objects violate platform policies ({{ $labels.enforcement_action }})", Description: "Gatekeeper's audit found existing objects that break a constraint.",
				Runbook: "security#admission-denied"},
			{Name: "GatekeeperWebhookDown", Expr: `absent(up{namespace="gatekeeper-system"} == 1)`, For: "10m", Severity: "critical",
				Summary: "Gatekeeper is not running", Description: "Admission policies are not enforced (the webhook fails open).",
				Runbook: "security#admission-denied"},
		}},
		{Name: "falco", Rules: []Alert{
			{Name: "FalcoNotOnEveryNode", Expr: `kube_daemonset_status_number_ready{namespace="falco", daemonset="falco"} < kube_daemonset_status_desired_number_scheduled{namespace="falco", daemonset="falco"}`, For: "15m", Severity: "warning",
				Summary: "Falco is not running on every node", Description: "Nodes without Falco have no runtime detection.",
				Runbook: "security#falco-alert-triage"},
			{Name: "FalcoEventsDropped", Expr: `increase(falcosecurity_scap_n_drops_total[10m]) > 0`, For: "30m", Severity: "warning",
				Summary: "Falco drops kernel events ({{ $labels.pod }})", Description: "Detection has gaps; the node is busier than Falco's buffers.",
				Runbook: "security#falco-alert-triage"},
		}},
	})
}

func (s *Security) outputs() {
	o := s.Outputs()
	s.output("openbao_address", "In-cluster address of the active OpenBao server", s.openBaoAddr())
	s.output("openbao_unseal_key_arn", "KMS key that auto-unseals OpenBao", s.UnsealKey.Arn())
	s.output("openbao_init_secret", "Secrets Manager secret with OpenBao's recovery keys (the name, never the value)", s.InitSecret.Name())
	s.output("openbao_snapshot_bucket", "S3 bucket of OpenBao Raft snapshots", s.Snapshots.Name())
	s.output("cluster_secret_stores", "ClusterSecretStores of External Secrets", []string{o.OpenBaoStore, o.SecretsManagerStore})
	s.output("secrets_manager_prefix", "Secrets Manager name prefix the aws-secrets-manager store may read", s.Cfg.SecretsPrefix())
	s.output("gatekeeper_enforcement", "enforcementAction of the platform constraints", s.Cfg.Security.Gatekeeper.Enforcement)
	s.output("internal_ca_issuer", "ClusterIssuer of the platform's private CA", InternalCAIssuer)
}
