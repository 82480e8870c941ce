package stacks

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/charts/render"
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
)

func dataServices(t *testing.T, env string) tf {
	return synthPlatform(t, env, "", nil)["data-services"]
}

// prodData gives prod instances with the production topology: two PostgreSQL instances with
// a pooler, Redis 2 + 3 Sentinels, Kafka with three brokers and three controllers.
func prodData(c *config.Config) {
	d := &c.DataServices
	d.Namespaces = []string{"orders", "billing"}
	d.Postgres = []config.Postgres{{Name: "orders-db", Namespace: "orders", Size: "medium", Storage: "20Gi", Version: "18.6",
		Instances: 2, Pooler: 2, Clients: []string{"billing"}},
		{Name: "orders-db-restore", Namespace: "orders", Size: "small", Storage: "20Gi", Version: "18.6", Instances: 2,
			Restore: config.PostgresRestore{From: "orders-db", TargetTime: "2026-11-29T09:30:00Z"}}}
	d.Redis = []config.Redis{{Name: "orders-cache", Namespace: "orders", Size: "small", Storage: "2Gi", Version: "7.2.5", Instances: 2, Sentinels: 3}}
	d.Kafka = []config.Kafka{{Name: "events", Namespace: "orders", Size: "small", Storage: "50Gi", Version: "4.3.1",
		Topology: config.KafkaDedicated, Brokers: 3, Controllers: 3, ReplicationFactor: 3, MinInsyncReplicas: 2,
		Authentication: config.KafkaTLS, Users: []config.KafkaUser{{Name: "orders-app", Prefix: "orders."}},
		Topics: []config.KafkaTopic{{Name: "orders.created", Partitions: 6}}, Clients: []string{"billing"}}}
	d.Budget = config.DataBudget{CPURequest: "4", MemoryRequest: "16Gi"}
	// At enforcement deny the operators' pods need their namespace exempt (config validation).
	c.Security.Gatekeeper.ExemptNamespaces = append(c.Security.Gatekeeper.ExemptNamespaces, "orders")
}

func TestDataServicesWiring(t *testing.T) {
	d := dataServices(t, "dev")
	if _, ok := d.data("terraform_remote_state")["cross-stack-reference-input-foundation"]; !ok {
		t.Fatal("data-services does not read the foundation's state")
	}
	host := at(t, d, "provider", "helm", 0, "kubernetes", "host").(string)
	if !strings.Contains(host, "cross-stack-reference-input-foundation") {
		t.Errorf("helm provider host = %s, want the foundation's cluster endpoint", host)
	}
	p := synthPlatformApp(t, "dev")
	var deps []string
	for _, s := range *p.DataServices.Dependencies() {
		deps = append(deps, *s.Node().Id())
	}
	eq(t, "dependencies", deps, []string{"foundation", "ingress", "security", "observability"})
	eq(t, "stack order", p.Stacks[len(p.Stacks)-1].Workflow.ID, "data-services")

	// With real contracts the security and observability stacks become dependencies too.
	app := cdktf.Testing_App(nil)
	cfg := loadEnv(t, "dev")
	ledger := &capacity.Ledger{}
	f, err := NewFoundation(app, cfg, ledger)
	if err != nil {
		t.Fatal(err)
	}
	in := NewIngress(app, cfg, ledger, f)
	sec := cdktf.NewTerraformStack(app, jsii.String("security"))
	obs := cdktf.NewTerraformStack(app, jsii.String("observability"))
	ds := NewDataServices(app, cfg, ledger, f, in, DefaultSecurityOutputs(sec), DefaultObservabilityOutputs(obs))
	deps = nil
	for _, s := range *ds.Dependencies() {
		deps = append(deps, *s.Node().Id())
	}
	eq(t, "dependencies with contracts", deps, []string{"foundation", "ingress", "security", "observability"})
}

func TestDataServicesOperators(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			d := dataServices(t, env)
			cfg := loadEnv(t, env)
			for name, want := range map[string]Chart{
				"cloudnative-pg": CNPGChart, "plugin-barman-cloud": BarmanCloudChart,
				"redis-operator": RedisOperatorChart, "strimzi-kafka-operator": StrimziChart,
			} {
				r, _ := d.release(t, name)
				eq(t, name+" chart", r["chart"], want.Name)
				eq(t, name+" repository", r["repository"], want.Repository)
				eq(t, name+" version", r["version"], want.Version)
			}

			cnpg, v := d.release(t, "cloudnative-pg")
			eq(t, "cnpg namespace", cnpg["namespace"], "cnpg-system")
			eq(t, "cnpg crds", at(t, v, "crds", "create"), true)
			eq(t, "cnpg pod monitor", at(t, v, "monitoring", "podMonitorEnabled"), true)
			eq(t, "cnpg dashboard", at(t, v, "monitoring", "grafanaDashboard", "create"), true)
			eq(t, "cnpg dashboard label", at(t, v, "monitoring", "grafanaDashboard", "sidecarLabel"), "grafana_dashboard")
			eq(t, "cnpg resources", at(t, v, "resources"), map[string]any{
				"requests": map[string]any{"cpu": "50m", "memory": "100Mi"}, "limits": map[string]any{"cpu": "500m", "memory": "512Mi"}})

			plugin, pv := d.release(t, "plugin-barman-cloud")
			eq(t, "plugin next to the operator", plugin["namespace"], "cnpg-system")
			if !slices.ContainsFunc(toStrings(plugin["depends_on"]), func(s string) bool { return strings.Contains(s, "cloudnative-pg") }) {
				t.Errorf("plugin does not wait for the operator: %v", plugin["depends_on"])
			}
			eq(t, "plugin resources", at(t, pv, "resources", "requests"), map[string]any{"cpu": "20m", "memory": "64Mi"})

			redis, rv := d.release(t, "redis-operator")
			eq(t, "redis namespace", redis["namespace"], "redis-operator")
			eq(t, "redis operator image", at(t, rv, "image", "tag"), "v1.2.4")
			eq(t, "redis operator service monitor", at(t, rv, "monitoring", "serviceMonitor"), true)

			strimzi, sv := d.release(t, "strimzi-kafka-operator")
			eq(t, "strimzi namespace", strimzi["namespace"], "strimzi")
			var watch []any
			for _, k := range cfg.DataServices.Kafka {
				watch = append(watch, k.Namespace)
			}
			eq(t, "strimzi watches the Kafka namespaces", sv["watchNamespaces"], watch)
			eq(t, "strimzi dashboards", at(t, sv, "dashboards", "enabled"), true)
			replicas := map[string]int{"dev": 1, "staging": 2, "prod": 2}[env]
			eq(t, "strimzi replicas", sv["replicas"], replicas)
			eq(t, "strimzi pdb only with two", at(t, sv, "podDisruptionBudget", "enabled"), replicas > 1)
			eq(t, "strimzi spread", at(t, sv, "topologySpreadConstraints", 0, "topologyKey"), "topology.kubernetes.io/zone")
		})
	}
}

func TestDataServicesBackupBucket(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			d := dataServices(t, env)
			cfg := loadEnv(t, env).DataServices.Backups
			b := d.one(t, "aws_s3_bucket", "pg-backups_bucket")
			if !strings.Contains(toJSON(t, b["bucket"]), "eks-platform-"+env+"-pg-backups") {
				t.Errorf("bucket name = %v", b["bucket"])
			}
			eq(t, "force destroy", b["force_destroy"], false)
			enc := d.one(t, "aws_s3_bucket_server_side_encryption_configuration", "pg-backups")
			key := at(t, enc, "rule", 0, "apply_server_side_encryption_by_default", "kms_master_key_id").(string)
			if !strings.Contains(key, "cross-stack-reference-input-foundation") {
				t.Errorf("backups are not encrypted with the platform key: %s", key)
			}
			lc := d.one(t, "aws_s3_bucket_lifecycle_configuration", "pg-backups")
			eq(t, "expiry", at(t, lc, "rule", 0, "expiration", 0, "days"), cfg.BucketExpirationDays)
			eq(t, "noncurrent expiry", at(t, lc, "rule", 0, "noncurrent_version_expiration", 0, "noncurrent_days"), cfg.NoncurrentExpirationDays)
			eq(t, "versioning", at(t, d.one(t, "aws_s3_bucket_versioning", "pg-backups"), "versioning_configuration", "status"), "Enabled")
			d.one(t, "aws_s3_bucket_policy", "pg-backups_tls-only")
			d.one(t, "aws_s3_bucket_public_access_block", "pg-backups")
		})
	}
}

// TestDataServicesBackupIdentity: one IRSA role per PostgreSQL cluster, trusted by exactly its
// service account, allowed to touch only its own prefix of the bucket.
func TestDataServicesBackupIdentity(t *testing.T) {
	d := synthPlatform(t, "prod", "data", prodData)["data-services"]
	if len(d.resources("aws_eks_pod_identity_association")) != 0 {
		t.Error("the Barman Cloud plugin documents IRSA only; no Pod Identity association expected")
	}
	role := d.one(t, "aws_iam_role", "pg-orders-db-backup-identity_role")
	eq(t, "role name", role["name"], "eks-platform-prod-pg-orders-db")
	trust := policyOf(t, role["assume_role_policy"])
	st := trust.Statement[0]
	eq(t, "trust action", st.Action, []string{"sts:AssumeRoleWithWebIdentity"})
	if !strings.Contains(toJSON(t, st.Principal), "cross-stack-reference-input-foundation") {
		t.Errorf("trust principal is not the foundation's OIDC provider: %v", st.Principal)
	}
	var sub, aud any
	for k, v := range st.Condition["StringEquals"].(map[string]any) {
		switch {
		case strings.HasSuffix(k, ":sub"):
			sub = v
		case strings.HasSuffix(k, ":aud"):
			aud = v
		}
	}
	eq(t, "sub", sub, "system:serviceaccount:orders:orders-db")
	eq(t, "aud", aud, "sts.amazonaws.com")

	policy := policyOf(t, d.one(t, "aws_iam_role_policy", "pg-orders-db-backup-identity_policy")["policy"])
	if err := policy.Validate(); err != nil {
		t.Fatal(err)
	}
	bucket := "${aws_s3_bucket.pg-backups_bucket"
	for _, s := range policy.Statement {
		eq(t, s.Sid+" effect", s.Effect, "Allow")
		for _, r := range s.Resource {
			switch {
			case slices.Contains(s.Action, "s3:GetObject"):
				if !strings.HasPrefix(r, bucket) || !strings.HasSuffix(r, "/orders/orders-db/*") {
					t.Errorf("object access beyond the cluster's prefix: %s", r)
				}
			case slices.Contains(s.Action, "s3:ListBucket"):
				if !strings.Contains(r, "aws_s3_bucket.pg-backups_bucket") || strings.Contains(r, "/") {
					t.Errorf("list on %s, want the backup bucket only", r)
				}
			case slices.Contains(s.Action, "kms:Decrypt"):
				if !strings.Contains(r, "cross-stack-reference-input-foundation") {
					t.Errorf("kms on %s, want the platform key", r)
				}
			default:
				t.Errorf("unexpected statement %+v", s)
			}
		}
	}

	_, v := d.release(t, "pg-orders-db")
	if !strings.Contains(v["roleArn"].(string), "aws_iam_role.pg-orders-db-backup-identity_role") {
		t.Errorf("cluster service account not annotated with its role: %v", v["roleArn"])
	}
	if !strings.HasPrefix(at(t, v, "backup", "destinationPath").(string), "s3://${aws_s3_bucket.pg-backups_bucket") ||
		!strings.HasSuffix(at(t, v, "backup", "destinationPath").(string), "/orders/") {
		t.Errorf("destinationPath = %v", at(t, v, "backup", "destinationPath"))
	}
}

// TestDataServicesRestoreIdentity: a cluster restored from another reads the origin's prefix and
// writes only its own.
func TestDataServicesRestoreIdentity(t *testing.T) {
	d := synthPlatform(t, "prod", "data", prodData)["data-services"]
	policy := policyOf(t, d.one(t, "aws_iam_role_policy", "pg-orders-db-restore-backup-identity_policy")["policy"])
	byAction := map[string][]string{}
	for _, s := range policy.Statement {
		for _, a := range s.Action {
			for _, r := range s.Resource {
				if strings.HasPrefix(r, "${aws_s3_bucket.pg-backups_bucket") {
					byAction[a] = append(byAction[a], strings.SplitN(r, "}", 2)[1])
				}
			}
		}
	}
	eq(t, "reads", byAction["s3:GetObject"], []string{"/orders/orders-db-restore/*", "/orders/orders-db/*"})
	eq(t, "writes", byAction["s3:PutObject"], []string{"/orders/orders-db-restore/*"})
	eq(t, "deletes", byAction["s3:DeleteObject"], []string{"/orders/orders-db-restore/*"})
	_, v := d.release(t, "pg-orders-db-restore")
	eq(t, "restore values", v["restore"], map[string]any{"from": "orders-db", "targetTime": "2026-11-29T09:30:00Z"})
	// The origin's own policy gains nothing.
	origin := policyOf(t, d.one(t, "aws_iam_role_policy", "pg-orders-db-backup-identity_policy")["policy"])
	eq(t, "origin statements", len(origin.Statement), 3)
}

func TestDataServicesDevInstances(t *testing.T) {
	d := dataServices(t, "dev")
	pg, v := d.release(t, "pg-demo-pg")
	eq(t, "pg namespace", pg["namespace"], "demo")
	eq(t, "pg namespace from data-namespaces", pg["create_namespace"], false)
	eq(t, "pg instances", v["instances"], 1)
	eq(t, "pg image", v["imageName"], "ghcr.io/cloudnative-pg/postgresql:18.6-standard-trixie")
	eq(t, "pg resources", at(t, v, "resources", "requests"), map[string]any{"cpu": "100m", "memory": "256Mi"})
	eq(t, "pg retention", at(t, v, "backup", "retentionPolicy"), "7d")
	eq(t, "pg clients", at(t, v, "network", "clientNamespaces"), []any{"demo"})
	eq(t, "pg prometheus", at(t, v, "network", "monitoringNamespace"), "monitoring")
	eq(t, "no pooler in dev", at(t, v, "pooler", "instances"), 0)

	_, rv := d.release(t, "redis-demo-cache")
	eq(t, "redis", []any{at(t, rv, "redis", "replicas"), at(t, rv, "sentinel", "replicas")}, []any{2, 3})
	eq(t, "redis image", at(t, rv, "redis", "image"), "redis:7.2.5-alpine")
	eq(t, "redis secret", at(t, rv, "auth", "secretName"), "redis-demo-cache-auth")

	_, kv := d.release(t, "kafka-demo-kafka")
	pools := at(t, kv, "nodePools").([]any)
	eq(t, "one combined node in dev", len(pools), 1)
	eq(t, "combined roles", at(t, pools[0], "roles"), []any{"controller", "broker"})
	eq(t, "combined replicas", at(t, pools[0], "replicas"), 1)
	eq(t, "kafka auth", kv["authentication"], "scram-sha-512")
	eq(t, "kafka user", at(t, kv, "users", 0, "name"), "demo-app")

	_, ns := d.release(t, "data-namespaces")
	eq(t, "namespaces", ns["namespaces"], []any{"demo"})

	_, rules := d.release(t, "data-services-rules")
	var alerts []string
	for _, g := range rules["groups"].([]any) {
		for _, r := range at(t, g, "rules").([]any) {
			alerts = append(alerts, at(t, r, "alert").(string))
			url := at(t, r, "annotations", "runbook_url").(string)
			if !strings.Contains(url, "/data-services.md#") {
				t.Errorf("alert %v runbook %s", at(t, r, "alert"), url)
			}
		}
	}
	for _, want := range []string{"PostgresBackupFailed", "PostgresBackupTooOld", "PostgresReplicationLag", "PostgresFailoverHappened",
		"RedisFailoverHappened", "KafkaUnderReplicatedPartitions", "KafkaConsumerLag"} {
		if !slices.Contains(alerts, want) {
			t.Errorf("no alert %s in %v", want, alerts)
		}
	}
}

func TestDataServicesProdTopology(t *testing.T) {
	d := synthPlatform(t, "prod", "data", prodData)["data-services"]
	_, kv := d.release(t, "kafka-events")
	pools := map[string]any{}
	for _, p := range at(t, kv, "nodePools").([]any) {
		pools[at(t, p, "name").(string)] = p
	}
	eq(t, "controllers", []any{at(t, pools["controllers"], "roles"), at(t, pools["controllers"], "replicas")}, []any{[]any{"controller"}, 3})
	eq(t, "brokers", []any{at(t, pools["brokers"], "roles"), at(t, pools["brokers"], "replicas")}, []any{[]any{"broker"}, 3})
	eq(t, "tls users", kv["authentication"], "tls")
	eq(t, "clients", at(t, kv, "network", "clientNamespaces"), []any{"orders", "billing"})
	_, sv := d.release(t, "strimzi-kafka-operator")
	eq(t, "watch", sv["watchNamespaces"], []any{"orders"})
	_, pv := d.release(t, "pg-orders-db")
	eq(t, "pooler", at(t, pv, "pooler", "instances"), 2)
	eq(t, "medium", at(t, pv, "resources", "limits"), map[string]any{"cpu": "2", "memory": "2Gi"})
	eq(t, "prod retention", at(t, pv, "backup", "retentionPolicy"), "30d")
}

// TestDataServicesChartsRenderWithStackValues renders every local chart release of the stack
// with the values the stack synthesized, so a values mistake fails here, not at apply.
func TestDataServicesChartsRenderWithStackValues(t *testing.T) {
	for _, tc := range []struct{ env, key string }{{"dev", ""}, {"prod", "data"}} {
		var mut func(*config.Config)
		if tc.key != "" {
			mut = prodData
		}
		d := synthPlatform(t, tc.env, tc.key, mut)["data-services"]
		for _, r := range d.resources("helm_release") {
			desc, _ := r["description"].(string)
			chart, ok := strings.CutPrefix(desc, "local chart ")
			if !ok {
				continue
			}
			t.Run(tc.env+"/"+r["name"].(string), func(t *testing.T) {
				_, vals := d.release(t, r["name"].(string))
				objs, err := render.Render(filepath.Join("..", "charts", chart), vals, r["namespace"].(string))
				if err != nil {
					t.Fatal(err)
				}
				if len(objs) == 0 && chart != "data-namespaces" {
					t.Fatal("renders nothing")
				}
				// Every workload-bearing custom resource carries requests.
				for _, o := range objs {
					if o.Kind == "Cluster" || o.Kind == "RedisFailover" || o.Kind == "KafkaNodePool" {
						if !strings.Contains(string(o.Raw), "requests:") {
							t.Errorf("%s %s has no requests", o.Kind, o.Name)
						}
					}
				}
			})
		}
	}
}

// TestDataServicesCapacity: every instance pod is declared, dev stays within its configured
// budget, and a budget below the footprints fails the capacity check.
func TestDataServicesCapacity(t *testing.T) {
	p := synthPlatformApp(t, "dev")
	r, err := p.Capacity()
	if err != nil {
		t.Fatal(err)
	}
	u := r.ByWorkflow["data-services"]
	eq(t, "dev data-services requests", []int64{u.CPUReqMilli, u.MemReqMiB}, []int64{810, 2644})
	// Operators 4, PostgreSQL 1, Redis 2 + 3 Sentinels, Kafka node + entity operator + exporter.
	eq(t, "dev data-services pods", u.Pods, 13)
	eq(t, "budget", r.Overrides["data-services"].Budget, capacity.Budget{CPUMilli: 1000, MemMiB: 3072})

	synthPlatform(t, "dev", "tight", func(c *config.Config) { c.DataServices.Budget.CPURequest = "500m" })
	synthMu.Lock()
	tight := synthCache["dev/tight"].platform
	synthMu.Unlock()
	if _, err := tight.Capacity(); err == nil || !strings.Contains(err.Error(), "workflow data-services requests 810m CPU") {
		t.Errorf("budget of 500m not enforced: %v", err)
	}
}

func TestDataServicesOutputs(t *testing.T) {
	d := dataServices(t, "dev")
	out := d["output"].(map[string]any)
	for _, k := range []string{"backup_bucket", "operator_namespaces", "postgres", "redis", "kafka"} {
		if _, ok := out[k]; !ok {
			t.Errorf("no output %s", k)
		}
	}
	eq(t, "postgres secret", at(t, out, "postgres", "value", "demo-pg", "secret"), "demo-pg-app")
	eq(t, "kafka bootstrap", at(t, out, "kafka", "value", "demo-kafka", "bootstrap"), "demo-kafka-kafka-bootstrap.demo.svc:9093")
	// Outputs carry Secret names, never credentials: nothing sensitive is read into this stack.
	for k, o := range out {
		if strings.Contains(toJSON(t, at(t, o, "value")), "password") || val(o, "sensitive") == true {
			t.Errorf("output %s carries a credential or is sensitive: %v", k, o)
		}
	}
}

// TestDataServicesFootprintsAreDeployed: the ledger's numbers for an instance are the sums of the
// resources the stack hands its chart, container by container.
func TestDataServicesFootprintsAreDeployed(t *testing.T) {
	d := dataServices(t, "dev")
	p := synthPlatformApp(t, "dev")
	ledger := map[string]capacity.Footprint{}
	for _, f := range p.Ledger.Entries() {
		if f.Workflow == "data-services" {
			ledger[f.Component] = f
		}
	}
	req := func(v any, path ...any) (int64, int64) {
		r := at(t, v, append(path, "requests")...).(map[string]any)
		return capacity.MustCPU(r["cpu"].(string)), capacity.MustMemMiB(r["memory"].(string))
	}
	check := func(component string, replicas int, parts ...[2]int64) {
		t.Helper()
		f, ok := ledger[component]
		if !ok {
			t.Fatalf("no footprint %s in %v", component, ledger)
		}
		var cpu, mem int64
		for _, p := range parts {
			cpu, mem = cpu+p[0], mem+p[1]
		}
		eq(t, component+" replicas", f.Replicas, replicas)
		eq(t, component+" requests", []int64{capacity.MustCPU(f.Requests.CPU), capacity.MustMemMiB(f.Requests.Memory)}, []int64{cpu, mem})
	}
	pair := func(a, b int64) [2]int64 { return [2]int64{a, b} }

	_, pg := d.release(t, "pg-demo-pg")
	check("postgres-demo-pg", 1, pair(req(pg, "resources")), pair(req(pg, "backup", "sidecarResources")))
	_, r := d.release(t, "redis-demo-cache")
	check("redis-demo-cache", 2, pair(req(r, "redis", "resources")), pair(req(r, "redis", "exporter", "resources")))
	check("redis-sentinel-demo-cache", 3, pair(req(r, "sentinel", "resources")))
	_, k := d.release(t, "kafka-demo-kafka")
	check("kafka-demo-kafka-combined", 1, pair(req(k, "nodePools", 0, "resources")))
	check("kafka-demo-kafka-entity-operator", 1, pair(req(k, "entityOperator", "topicOperator", "resources")), pair(req(k, "entityOperator", "userOperator", "resources")))
	check("kafka-demo-kafka-exporter", 1, pair(req(k, "kafkaExporter", "resources")))
	_, s := d.release(t, "strimzi-kafka-operator")
	check("strimzi-cluster-operator", 1, pair(req(s, "resources")))
}
