package stacks

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
)

func security(t *testing.T, env string) tf { return synthPlatform(t, env, "", nil)["security"] }

func TestSecurityWiring(t *testing.T) {
	d := security(t, "dev")
	rs := d.data("terraform_remote_state")
	if _, ok := rs["cross-stack-reference-input-foundation"]; !ok {
		t.Fatalf("no remote state of foundation: %v", rs)
	}
	k := at(t, d, "provider", "helm", 0, "kubernetes").(map[string]any)
	if !strings.Contains(k["host"].(string), "cross-stack-reference-input-foundation") {
		t.Errorf("helm provider host = %v, want the foundation's endpoint", k["host"])
	}
	app := synthPlatformApp(t, "dev")
	var deps []string
	for _, s := range *app.Security.Dependencies() {
		deps = append(deps, *s.Node().Id())
	}
	slices.Sort(deps)
	eq(t, "dependencies", deps, []string{"foundation", "ingress", "observability"})
	eq(t, "outputs", app.Security.Outputs().OpenBaoStore+","+app.Security.Outputs().SecretsManagerStore, "openbao,aws-secrets-manager")

	// The releases come in dependency order.
	order := []struct{ release, after string }{
		{"openbao-tls", "internal-ca"},
		{"openbao", "openbao-tls"},
		{"openbao-bootstrap", "openbao"},
		{"secret-stores", "external-secrets"},
		{"secret-stores", "openbao-bootstrap"},
		{"gatekeeper-templates", "gatekeeper"},
		{"gatekeeper-constraints", "gatekeeper-templates"},
	}
	for _, o := range order {
		r, _ := d.release(t, o.release)
		if !dependsOnRelease(d, r, o.after) {
			t.Errorf("%s does not depend on %s: %v", o.release, o.after, r["depends_on"])
		}
	}
	// The pods' identities exist before the pods that use them.
	r, _ := d.release(t, "openbao")
	if !strings.Contains(strings.Join(toStrings(r["depends_on"]), " "), "aws_eks_pod_identity_association.openbao-identity") {
		t.Errorf("openbao does not wait for its pod identity: %v", r["depends_on"])
	}
}

// dependsOnRelease reports whether r's depends_on names the helm_release called name.
func dependsOnRelease(d tf, r map[string]any, name string) bool {
	for id, other := range d.resources("helm_release") {
		if other["name"] != name {
			continue
		}
		for _, dep := range toStrings(r["depends_on"]) {
			if dep == "helm_release."+id {
				return true
			}
		}
	}
	return false
}

func TestSecurityOpenBao(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			d := security(t, env)
			cfg := loadEnv(t, env)
			n := cfg.Security.OpenBao.Replicas
			r, v := d.release(t, "openbao")
			eq(t, "chart", r["chart"], "openbao")
			eq(t, "repository", r["repository"], OpenBaoChart.Repository)
			eq(t, "version", r["version"], "0.29.2")
			eq(t, "namespace", r["namespace"], "openbao")
			eq(t, "tls on", at(t, v, "global", "tlsDisable"), false)
			eq(t, "no injector", at(t, v, "injector", "enabled"), false)
			eq(t, "no UI service", at(t, v, "ui", "enabled"), false)
			eq(t, "image", at(t, v, "server", "image", "tag"), "2.6.2")
			eq(t, "ha", at(t, v, "server", "ha", "enabled"), true)
			eq(t, "replicas", at(t, v, "server", "ha", "replicas"), n)
			eq(t, "raft", at(t, v, "server", "ha", "raft", "enabled"), true)
			eq(t, "pdb only with a quorum", at(t, v, "server", "ha", "disruptionBudget", "enabled"), n > 1)
			eq(t, "zone spread", at(t, v, "server", "topologySpreadConstraints", 0, "topologyKey"), "topology.kubernetes.io/zone")
			eq(t, "storage", at(t, v, "server", "dataStorage", "size"), cfg.Security.OpenBao.StorageSize)
			eq(t, "storage class", at(t, v, "server", "dataStorage", "storageClass"), "gp3")
			eq(t, "requests", at(t, v, "server", "resources", "requests"), map[string]any{"cpu": "20m", "memory": "96Mi"})
			eq(t, "tls mount", at(t, v, "server", "volumeMounts", 0, "mountPath"), "/openbao/tls")
			eq(t, "tls secret", at(t, v, "server", "volumes", 0, "secret", "secretName"), OpenBaoTLSSecret)
			eq(t, "readiness while uninitialized", at(t, v, "server", "readinessProbe", "path"),
				"/v1/sys/health?standbyok=true&perfstandbyok=true&uninitcode=204")
			eq(t, "service monitor", at(t, v, "serverTelemetry", "serviceMonitor", "enabled"), true)

			hcl := at(t, v, "server", "ha", "raft", "config").(string)
			for _, want := range []string{
				`seal "awskms"`,
				`kms_key_id = "${aws_kms_key.openbao-unseal.arn}"`,
				`region     = "` + cfg.Region + `"`,
				`tls_cert_file   = "/openbao/tls/tls.crt"`,
				`storage "raft"`,
				`audit "file" "stdout"`,
				`file_path = "stdout"`,
				`unauthenticated_metrics_access = true`,
				`service_registration "kubernetes" {}`,
			} {
				if !strings.Contains(hcl, want) {
					t.Errorf("server config lacks %q:\n%s", want, hcl)
				}
			}
			if strings.Contains(hcl, "tls_disable") {
				t.Error("server config disables TLS")
			}
			if got := strings.Count(hcl, "retry_join"); got != n {
				t.Errorf("retry_join blocks = %d, want one per replica (%d)", got, n)
			}
			if n > 1 && !strings.Contains(hcl, fmt.Sprintf("openbao-%d.openbao-internal:8200", n-1)) {
				t.Errorf("last peer missing from retry_join:\n%s", hcl)
			}

			// The listener certificate comes from the internal CA, not Let's Encrypt.
			_, tls := d.release(t, "openbao-tls")
			eq(t, "issuer", tls["issuer"], InternalCAIssuer)
			names := toStrings(tls["dnsNames"])
			for _, want := range []string{"openbao-active.openbao.svc", "*.openbao-internal"} {
				if !slices.Contains(names, want) {
					t.Errorf("certificate names %v lack %s", names, want)
				}
			}
			ca, cav := d.release(t, "internal-ca")
			eq(t, "CA namespace", ca["namespace"], CertManagerNamespace)
			eq(t, "CA issuer", cav["issuerName"], InternalCAIssuer)
		})
	}
}

func TestSecurityKMSKeysAndIdentities(t *testing.T) {
	d := security(t, "prod")
	keys := d.resources("aws_kms_key")
	if len(keys) != 2 {
		t.Fatalf("kms keys = %d, want unseal and init", len(keys))
	}
	for name, k := range keys {
		eq(t, name+" rotation", k["enable_key_rotation"], true)
		doc := policyOf(t, k["policy"])
		if len(doc.Statement) != 1 || doc.Statement[0].Sid != "AccountAdministers" {
			t.Errorf("%s key policy = %+v, want only the account's administration statement", name, doc.Statement)
		}
	}

	// Who may use which key: every role policy in the stack, by the resources it names.
	policies := map[string]iampolicy.Document{}
	for name, p := range d.resources("aws_iam_role_policy") {
		doc := policyOf(t, p["policy"])
		if err := doc.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		policies[name[:strings.Index(name, "-identity")]] = doc
	}
	eq(t, "identities", len(policies), 4)
	unseal := "${aws_kms_key.openbao-unseal.arn}"
	for id, doc := range policies {
		for _, st := range doc.Statement {
			if slices.Contains(st.Resource, unseal) && id != "openbao" {
				t.Errorf("%s may use the unseal key", id)
			}
		}
	}
	eq(t, "unseal policy", policies["openbao"].Statement, []iampolicy.Statement{
		iampolicy.Allow("AutoUnseal", []string{"kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"}, unseal)})

	// The bootstrap Job may touch its one secret and the init key, through Secrets Manager only.
	boot := policies["openbao-bootstrap"]
	eq(t, "bootstrap statements", len(boot.Statement), 2)
	eq(t, "bootstrap secret", boot.Statement[0].Resource, []string{"${aws_secretsmanager_secret.openbao-init-secret.arn}"})
	eq(t, "bootstrap secret actions", boot.Statement[0].Action, []string{"secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"})
	eq(t, "bootstrap key", boot.Statement[1].Resource, []string{"${aws_kms_key.openbao-init.arn}"})
	eq(t, "bootstrap key via", boot.Statement[1].Condition, map[string]any{"StringEquals": map[string]any{"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}})
	for id, doc := range policies {
		for _, st := range doc.Statement {
			for _, a := range st.Action {
				if a == "secretsmanager:PutSecretValue" && id != "openbao-bootstrap" {
					t.Errorf("%s may write secrets", id)
				}
			}
		}
	}

	// External Secrets reads the platform prefix only, and never the init secret.
	eso := policies["external-secrets"]
	eq(t, "eso read", eso.Statement[0].Resource, []string{"arn:${data.aws_partition.partition.partition}:secretsmanager:us-east-1:${data.aws_caller_identity.account.account_id}:secret:eks-platform-prod/*"})
	for _, a := range eso.Statement[0].Action {
		if !strings.HasPrefix(a, "secretsmanager:Get") && !strings.HasPrefix(a, "secretsmanager:Describe") && !strings.HasPrefix(a, "secretsmanager:List") {
			t.Errorf("eso may %s", a)
		}
	}
	deny := eso.Statement[2]
	eq(t, "eso deny", deny.Effect+" "+strings.Join(deny.Resource, ","), "Deny ${aws_secretsmanager_secret.openbao-init-secret.arn}")
	secret := d.resources("aws_secretsmanager_secret")["openbao-init-secret"]
	eq(t, "init secret name", secret["name"], "eks-platform-prod-openbao/init")
	eq(t, "init secret key", secret["kms_key_id"], "${aws_kms_key.openbao-init.arn}")
	if strings.HasPrefix(secret["name"].(string), synthPlatformApp(t, "prod").Config.SecretsPrefix()) {
		t.Error("the init secret is inside the prefix External Secrets reads")
	}

	// Pod Identity, one service account each.
	want := map[string]string{
		"openbao": "openbao/openbao", "openbao-bootstrap": "openbao/openbao-bootstrap",
		"openbao-snapshot": "openbao/openbao-snapshot", "external-secrets": "external-secrets/external-secrets",
	}
	for name, a := range d.resources("aws_eks_pod_identity_association") {
		id := name[:strings.Index(name, "-identity")]
		eq(t, id+" association", fmt.Sprint(a["namespace"], "/", a["service_account"]), want[id])
	}
}

func TestSecuritySnapshots(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			d := security(t, env)
			cfg := loadEnv(t, env)
			b := d.one(t, "aws_s3_bucket", "openbao-snapshots")
			if !strings.Contains(b["bucket"].(string), "eks-platform-"+env+"-openbao-snapshots") {
				t.Errorf("bucket = %v", b["bucket"])
			}
			enc := d.one(t, "aws_s3_bucket_server_side_encryption_configuration", "openbao-snapshots")
			if key := at(t, enc, "rule", 0, "apply_server_side_encryption_by_default", "kms_master_key_id").(string); !strings.Contains(key, "cross-stack-reference-input-foundation") {
				t.Errorf("snapshots encrypted with %s, want the platform key", key)
			}
			lc := d.one(t, "aws_s3_bucket_lifecycle_configuration", "openbao-snapshots")
			eq(t, "retention", at(t, lc, "rule", 0, "expiration", 0, "days"), cfg.Security.OpenBao.SnapshotRetentionDays)
			_ = d.one(t, "aws_s3_bucket_policy", "openbao-snapshots_tls-only")

			snap := policyOf(t, d.one(t, "aws_iam_role_policy", "openbao-snapshot-identity")["policy"])
			eq(t, "snapshot put", snap.Statement[0].Action, []string{"s3:PutObject"})
			if r := snap.Statement[0].Resource[0]; !strings.HasSuffix(r, "/snapshots/*") {
				t.Errorf("snapshot writes to %s, want the snapshots/ prefix only", r)
			}

			_, v := d.release(t, "openbao-bootstrap")
			eq(t, "schedule", at(t, v, "snapshot", "schedule"), cfg.Security.OpenBao.SnapshotSchedule)
			eq(t, "bucket", at(t, v, "snapshot", "bucket"), "${aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.bucket}")
			eq(t, "init secret", at(t, v, "init", "secretId"), "${aws_secretsmanager_secret.openbao-init-secret.arn}")
			eq(t, "images", at(t, v, "images", "openbao"), OpenBaoImage)
			eq(t, "active address", v["address"], "https://openbao-active.openbao.svc:8200")
		})
	}
}

func TestSecurityExternalSecrets(t *testing.T) {
	d := security(t, "staging")
	r, v := d.release(t, "external-secrets")
	eq(t, "version", r["version"], ExternalSecretsChart.Version)
	eq(t, "service account", at(t, v, "serviceAccount", "name"), "external-secrets")
	eq(t, "service monitor", at(t, v, "serviceMonitor", "enabled"), true)
	eq(t, "CRDs kept on uninstall", at(t, v, "crds", "annotations", "helm.sh/resource-policy"), "keep")
	eq(t, "replicas", v["replicaCount"], 2)
	eq(t, "leader election", v["leaderElect"], true)
	eq(t, "pdb", at(t, v, "podDisruptionBudget", "enabled"), true)
	_, s := d.release(t, "secret-stores")
	eq(t, "openbao store", at(t, s, "openbao", "name"), "openbao")
	eq(t, "openbao role", at(t, s, "openbao", "role"), OpenBaoESORole)
	eq(t, "openbao server", at(t, s, "openbao", "server"), "https://openbao-active.openbao.svc:8200")
	eq(t, "ca", at(t, s, "openbao", "caSecret", "name"), OpenBaoTLSSecret)
	eq(t, "sm store", at(t, s, "secretsManager", "name"), "aws-secrets-manager")
	eq(t, "sm region", at(t, s, "secretsManager", "region"), "us-east-1")
	_, b := d.release(t, "openbao-bootstrap")
	eq(t, "role the stores use", at(t, b, "kubernetesAuth", "externalSecrets", "role"), at(t, s, "openbao", "role"))
	eq(t, "service account the role binds", at(t, b, "kubernetesAuth", "externalSecrets", "serviceAccount"), at(t, v, "serviceAccount", "name"))
}

func TestSecurityGatekeeper(t *testing.T) {
	tests := []struct {
		env      string
		action   string
		replicas int
		pdbMin   int
	}{
		{"dev", "warn", 1, 0},
		{"staging", "deny", 3, 1},
		{"prod", "deny", 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			d := security(t, tt.env)
			cfg := loadEnv(t, tt.env)
			r, v := d.release(t, "gatekeeper")
			eq(t, "version", r["version"], "3.23.0")
			eq(t, "namespace", r["namespace"], "gatekeeper-system")
			eq(t, "replicas", v["replicas"], tt.replicas)
			eq(t, "pdb", at(t, v, "pdb", "controllerManager", "minAvailable"), tt.pdbMin)
			eq(t, "audit requests", at(t, v, "audit", "resources", "requests"), map[string]any{"cpu": "15m", "memory": "80Mi"})
			_, c := d.release(t, "gatekeeper-constraints")
			eq(t, "enforcement", c["enforcementAction"], tt.action)
			eq(t, "exempt", toStrings(c["excludedNamespaces"]), cfg.Security.Gatekeeper.ExemptNamespaces)
			eq(t, "labels", toStrings(c["requiredLabels"]), RequiredLabels)
			eq(t, "own ECR first", toStrings(c["allowedRegistries"])[0], "${data.aws_caller_identity.account.account_id}.dkr.ecr.us-east-1.amazonaws.com/")
			eq(t, "load balancers", toStrings(c["loadBalancerNamespaces"]), []string{IngressNamespace})
			eq(t, "audit scraped", at(t, c, "podMonitor", "enabled"), true)
			_, tv := d.release(t, "gatekeeper-templates")
			eq(t, "crd wait image", at(t, tv, "crdWait", "image"), KubectlImage)
		})
	}
}

func TestSecurityFalco(t *testing.T) {
	d := security(t, "dev")
	cfg := loadEnv(t, "dev")
	r, v := d.release(t, "falco")
	eq(t, "version", r["version"], "9.1.0")
	eq(t, "driver", at(t, v, "driver", "kind"), "modern_ebpf")
	eq(t, "no rule download", at(t, v, "falcoctl", "artifact", "install", "enabled"), false)
	eq(t, "no rule follow", at(t, v, "falcoctl", "artifact", "follow", "enabled"), false)
	eq(t, "requests per node", at(t, v, "resources", "requests"), map[string]any{"cpu": "10m", "memory": "56Mi"})
	eq(t, "metrics", at(t, v, "metrics", "enabled"), true)
	eq(t, "sidekick", at(t, v, "falcosidekick", "enabled"), true)
	eq(t, "loki host", at(t, v, "falcosidekick", "config", "loki", "hostport"), "http://loki.monitoring.svc.cluster.local:3100")
	eq(t, "loki path", at(t, v, "falcosidekick", "config", "loki", "endpoint"), "/loki/api/v1/push")
	eq(t, "alertmanager", at(t, v, "falcosidekick", "config", "alertmanager", "hostport"), "http://alertmanager-operated.monitoring.svc.cluster.local:9093")
	eq(t, "alertmanager v2 API", at(t, v, "falcosidekick", "config", "alertmanager", "endpoint"), "/api/v2/alerts")
	eq(t, "minimum priority", at(t, v, "falcosidekick", "config", "loki", "minimumpriority"), cfg.Security.Falco.MinimumPriority)

	var rules []struct {
		Rule       string `yaml:"rule"`
		Exceptions []struct {
			Name   string     `yaml:"name"`
			Fields []string   `yaml:"fields"`
			Comps  []string   `yaml:"comps"`
			Values [][]string `yaml:"values"`
		} `yaml:"exceptions"`
		Override map[string]string `yaml:"override"`
	}
	if err := yaml.Unmarshal([]byte(at(t, v, "customRules", "platform-exceptions.yaml").(string)), &rules); err != nil {
		t.Fatal(err)
	}
	var cilium bool
	for _, r := range rules {
		eq(t, r.Rule+" override", r.Override["exceptions"], "append")
		e := r.Exceptions[0]
		eq(t, r.Rule+" fields", e.Fields, []string{"k8s.ns.name", "container.image.repository"})
		eq(t, r.Rule+" comps", e.Comps, []string{"=", "startswith"})
		if r.Rule == "Packet socket created in container" && slices.ContainsFunc(e.Values, func(v []string) bool { return v[0] == "kube-system" && v[1] == "quay.io/cilium/" }) {
			cilium = true
		}
	}
	if !cilium {
		t.Errorf("Cilium's packet sockets are not excepted: %+v", rules)
	}

	// Without the outputs configured, falcosidekick sends nowhere.
	quiet := synthPlatform(t, "dev", "falco-quiet", func(c *config.Config) {
		c.Security.Falco.Outputs = config.FalcoOutputs{}
	})["security"]
	_, qv := quiet.release(t, "falco")
	if cfg, _ := get(qv, "falcosidekick", "config"); len(cfg.(map[string]any)) != 0 {
		t.Errorf("outputs without configuration: %v", cfg)
	}
}

// Dev fits the brief's security budget, Falco's DaemonSet on every minimum node included.
func TestSecurityCapacity(t *testing.T) {
	p := synthPlatformApp(t, "dev")
	r, err := p.Capacity()
	if err != nil {
		t.Fatal(err)
	}
	u := r.ByWorkflow["security"]
	if u.CPUReqMilli > 200 || u.MemReqMiB > 600 {
		t.Errorf("security requests %dm / %dMi, budget 200m / 600Mi", u.CPUReqMilli, u.MemReqMiB)
	}
	eq(t, "falco counted per node", u.Pods, 3+1+1+1+1+1+1+1) // falco x3, sidekick, openbao, eso x3, gatekeeper x2
	if !strings.Contains(r.String(), "security") {
		t.Errorf("report has no security line:\n%s", r)
	}
	if _, overridden := r.Overrides["security"]; overridden {
		t.Error("dev overrides the brief's security budget")
	}

	// Prod runs the HA replicas over the brief's budget, under its configured override.
	pr, err := synthPlatformApp(t, "prod").Capacity()
	if err != nil {
		t.Fatal(err)
	}
	o, ok := pr.Overrides["security"]
	if !ok {
		t.Fatal("prod has no security budget override")
	}
	pu := pr.ByWorkflow["security"]
	eq(t, "prod override", fmt.Sprint(o.Budget.CPUMilli, "m/", o.Budget.MemMiB, "Mi"), "300m/1200Mi")
	if pu.CPUReqMilli <= 200 || pu.CPUReqMilli > o.Budget.CPUMilli || pu.MemReqMiB > o.Budget.MemMiB {
		t.Errorf("prod security requests %dm / %dMi: want above the brief and within the override", pu.CPUReqMilli, pu.MemReqMiB)
	}
}

func TestSecurityAlertsAndOutputs(t *testing.T) {
	d := security(t, "prod")
	r, v := d.release(t, "security-rules")
	eq(t, "namespace", r["namespace"], "monitoring")
	var alerts []string
	for _, g := range v["groups"].([]any) {
		for _, a := range at(t, g, "rules").([]any) {
			alerts = append(alerts, at(t, a, "alert").(string))
			if url := at(t, a, "annotations", "runbook_url").(string); !strings.Contains(url, "/docs/runbooks/security.md#") {
				t.Errorf("%v runbook %s", at(t, a, "alert"), url)
			}
		}
	}
	for _, want := range []string{"OpenBaoSealed", "OpenBaoBootstrapFailed", "ExternalSecretNotSynced", "GatekeeperViolations", "FalcoNotOnEveryNode"} {
		if !slices.Contains(alerts, want) {
			t.Errorf("no alert %s among %v", want, alerts)
		}
	}
	eq(t, "stores output", at(t, d, "output", "cluster_secret_stores", "value"), []any{"openbao", "aws-secrets-manager"})
	eq(t, "prefix output", at(t, d, "output", "secrets_manager_prefix", "value"), "eks-platform-prod/")
	eq(t, "enforcement output", at(t, d, "output", "gatekeeper_enforcement", "value"), "deny")
	for name, o := range d["output"].(map[string]any) {
		if s := toJSON(t, o); strings.Contains(s, "secret_string") || strings.Contains(s, "root_token") {
			t.Errorf("output %s exposes a secret value: %s", name, s)
		}
	}
}

// verifiedKeys are the values paths of each upstream chart that were read in that chart's
// values.yaml (or template) at the pinned tag; docs/versions.md lists the same. A leaf below a
// listed path is free-form for the chart (resources, HCL, rule files, selectors). A new key fails
// here until it is checked upstream and added to both lists.
var verifiedKeys = map[string][]string{
	"openbao": {
		"global.tlsDisable", "injector.enabled", "csi.enabled", "ui.enabled",
		"server.image.registry", "server.image.repository", "server.image.tag", "server.resources",
		"server.dataStorage.enabled", "server.dataStorage.size", "server.dataStorage.storageClass",
		"server.auditStorage.enabled", "server.extraEnvironmentVars", "server.volumes", "server.volumeMounts",
		"server.readinessProbe.enabled", "server.readinessProbe.path",
		"server.serviceAccount.create", "server.serviceAccount.name",
		"server.ha.enabled", "server.ha.replicas", "server.ha.raft.enabled", "server.ha.raft.setNodeId", "server.ha.raft.config",
		"server.ha.disruptionBudget.enabled", "server.ha.disruptionBudget.maxUnavailable", "server.topologySpreadConstraints",
		"serverTelemetry.serviceMonitor.enabled", "serverTelemetry.serviceMonitor.selectors", "serverTelemetry.serviceMonitor.tlsConfig",
	},
	"external-secrets": {
		"installCRDs", "crds.annotations", "replicaCount", "leaderElect", "resources", "podDisruptionBudget.enabled", "podDisruptionBudget.minAvailable",
		"serviceAccount.create", "serviceAccount.name", "serviceMonitor.enabled", "serviceMonitor.additionalLabels",
		"topologySpreadConstraints", "webhook.replicaCount", "webhook.resources", "webhook.podDisruptionBudget.enabled",
		"webhook.podDisruptionBudget.minAvailable", "webhook.topologySpreadConstraints",
		"certController.replicaCount", "certController.resources",
	},
	"gatekeeper": {
		"replicas", "auditInterval", "logDenies", "controllerManager.resources", "controllerManager.topologySpreadConstraints",
		"audit.resources", "pdb.controllerManager.minAvailable",
	},
	"falco": {
		"driver.kind", "resources", "podPriorityClassName", "falcoctl.artifact.install.enabled", "falcoctl.artifact.follow.enabled",
		"customRules", "metrics.enabled", "serviceMonitor.create", "serviceMonitor.labels",
		"falcosidekick.enabled", "falcosidekick.replicaCount", "falcosidekick.resources",
		"falcosidekick.config.loki.hostport", "falcosidekick.config.loki.endpoint", "falcosidekick.config.loki.minimumpriority",
		"falcosidekick.config.loki.format", "falcosidekick.config.alertmanager.hostport", "falcosidekick.config.alertmanager.endpoint",
		"falcosidekick.config.alertmanager.minimumpriority", "falcosidekick.serviceMonitor.enabled", "falcosidekick.webui.enabled",
	},
}

func TestSecurityValuesKeysVerified(t *testing.T) {
	for _, env := range config.Environments {
		d := security(t, env)
		for chart, keys := range verifiedKeys {
			_, v := d.release(t, chart)
			for _, leaf := range leafPaths(v, "") {
				if !slices.ContainsFunc(keys, func(k string) bool { return leaf == k || strings.HasPrefix(leaf, k+".") }) {
					t.Errorf("%s/%s sets %s, which was not checked against the chart's values.yaml", env, chart, leaf)
				}
			}
		}
	}
}

// leafPaths flattens nested maps into dotted paths; lists are leaves.
func leafPaths(v any, prefix string) []string {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return []string{prefix}
	}
	var out []string
	for k, sub := range m {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		out = append(out, leafPaths(sub, p)...)
	}
	return out
}
