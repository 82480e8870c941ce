package stacks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/constructs/helmaddon"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/objectstore"
	"github.com/platformeng/eks-platform/constructs/podidentity"
)

// Namespaces and names of the data-services operators.
const (
	CNPGNamespace    = "cnpg-system"
	RedisNamespace   = "redis-operator"
	StrimziNamespace = "strimzi"
	// BarmanPlugin is the CNPG-I plugin name Clusters and Backups refer to.
	BarmanPlugin = "barman-cloud.cloudnative-pg.io"
	// PostgresImage is the CloudNativePG operand image; the configured version is its tag prefix.
	PostgresImage = "ghcr.io/cloudnative-pg/postgresql"
	// postgresImageFlavour: the standard image (extensions, locales) on Debian trixie. Backups
	// run in the plugin's sidecar, so the image needs no Barman.
	postgresImageFlavour = "-standard-trixie"
	RedisImage           = "redis"
	RedisExporterImage   = "quay.io/oliver006/redis_exporter:v1.43.0"
)

// DataServices is Workflow 7: CloudNativePG with Barman Cloud backups to S3, the Spotahome Redis
// operator and Strimzi Kafka, plus the instances listed in configuration, each in its owning
// namespace with a NetworkPolicy, metrics and alerts.
type DataServices struct {
	*Base
	// Backups is the PostgreSQL backup bucket.
	Backups *objectstore.Store
	// BackupRoles are the IRSA roles of the PostgreSQL clusters, by cluster name.
	BackupRoles map[string]*podidentity.Identity
	CNPG        *helmaddon.Addon
	Redis       *helmaddon.Addon
	Strimzi     *helmaddon.Addon
}

// NewDataServices builds stack 7. It reads the cluster from the foundation, needs cert-manager
// from the ingress stack (for the Barman Cloud plugin's certificates), and takes the security and
// observability contracts: their stacks become dependencies, their names configure the NetworkPolicies.
func NewDataServices(scope constructs.Construct, cfg *config.Config, ledger *capacity.Ledger, f *Foundation, in *Ingress,
	sec SecurityOutputs, obs ObservabilityOutputs) *DataServices {
	w, _ := WorkflowByID("data-services")
	d := &DataServices{Base: newBase(scope, cfg, w, ledger), BackupRoles: map[string]*podidentity.Identity{}}
	d.AddDependency(f.TerraformStack)
	d.AddDependency(in.TerraformStack)
	for _, s := range []cdktf.TerraformStack{sec.Stack, obs.Stack} {
		if s != nil {
			d.AddDependency(s)
		}
	}
	d.Helm = newHelmProvider(d.TerraformStack, f.Access())
	ds := cfg.DataServices
	d.overrideBudget(ds.Budget.CPURequest, ds.Budget.MemoryRequest, "dataServices.budget (the brief gives data services none)")

	d.Backups = objectstore.New(d.TerraformStack, "pg-backups", objectstore.Config{
		Names: d.Names, Component: "pg-backups", KMSKeyARN: f.Key.KMS.Arn(),
		ExpirationDays: ds.Backups.BucketExpirationDays, NoncurrentExpirationDays: ds.Backups.NoncurrentExpirationDays,
		Versioning: true,
	})

	// Namespaces gitops or the mesh already create (stacks/namespaces.go) are theirs.
	namespaces := d.localRelease("data-namespaces", charts.DataNamespaces, helmaddon.Config{
		Namespace: CNPGNamespace, Values: map[string]any{"namespaces": dsList(without(ds.Namespaces, teamNamespaces(cfg), meshedNamespaces(cfg)))}, NoWorkloads: true,
	})
	d.CNPG = d.cnpg(namespaces)
	plugin := d.barmanPlugin(d.CNPG)
	d.Redis = d.redisOperator(namespaces)
	d.Strimzi = d.strimzi(namespaces)
	d.localRelease("data-monitoring", charts.DataMonitoring, helmaddon.Config{
		Namespace: CNPGNamespace, CreateNamespace: jsii.Bool(false),
		Values:      map[string]any{"label": obs.DashboardLabel, "strimziNamespace": StrimziNamespace},
		NoWorkloads: true,
		DependsOn:   []cdktf.ITerraformDependable{d.CNPG.Release, d.Strimzi.Release},
	})

	net := func(owner string, clients []string) map[string]any {
		return map[string]any{"clientNamespaces": dsList(append([]string{owner}, clients...))}
	}
	for _, pg := range ds.Postgres {
		d.postgres(pg, f, net(pg.Namespace, pg.Clients), obs, plugin)
	}
	for _, r := range ds.Redis {
		d.redis(r, net(r.Namespace, r.Clients), obs)
	}
	for _, k := range ds.Kafka {
		d.kafka(k, net(k.Namespace, k.Clients))
	}
	d.alerts(obs)
	d.outputs()
	return d
}

func (d *DataServices) cnpg(deps ...*helmaddon.Addon) *helmaddon.Addon {
	op := dsFootprint("cloudnative-pg", 1, cnpgOperator)
	return d.release("cloudnative-pg", CNPGChart, helmaddon.Config{
		Namespace: CNPGNamespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"replicaCount": op.Replicas,
			"resources":    op.ResourceValues(),
			"crds":         map[string]any{"create": true},
			"config":       map[string]any{"clusterWide": true},
			"monitoring": map[string]any{
				"podMonitorEnabled": true,
				// The upstream CloudNativePG dashboard, as a ConfigMap Grafana's sidecar loads.
				"grafanaDashboard": map[string]any{"create": true, "sidecarLabel": GrafanaDashboardLabel, "sidecarLabelValue": "1"},
			},
		},
		Footprints: []capacity.Footprint{op},
		DependsOn:  dsReleases(deps),
	})
}

// barmanPlugin installs the Barman Cloud plugin next to the operator; its certificates come
// from cert-manager (ingress stack).
func (d *DataServices) barmanPlugin(cnpg *helmaddon.Addon) *helmaddon.Addon {
	p := dsFootprint("plugin-barman-cloud", 1, barmanPlugin)
	return d.release("plugin-barman-cloud", BarmanCloudChart, helmaddon.Config{
		Namespace: CNPGNamespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"replicaCount": p.Replicas,
			"resources":    p.ResourceValues(),
			"crds":         map[string]any{"create": true},
		},
		Footprints: []capacity.Footprint{p},
		DependsOn:  []cdktf.ITerraformDependable{cnpg.Release},
	})
}

func (d *DataServices) redisOperator(deps ...*helmaddon.Addon) *helmaddon.Addon {
	op := dsFootprint("redis-operator", 1, redisOperator)
	return d.release("redis-operator", RedisOperatorChart, helmaddon.Config{
		Namespace: RedisNamespace,
		Values: map[string]any{
			"replicas":  op.Replicas,
			"resources": op.ResourceValues(),
			"image":     map[string]any{"tag": RedisOperatorImageTag},
			// The operator's own metrics (failover counts, checks) through a ServiceMonitor.
			"monitoring": map[string]any{"enabled": true, "serviceMonitor": true, "prometheus": map[string]any{"name": "platform"}},
		},
		Footprints: []capacity.Footprint{op},
		DependsOn:  dsReleases(deps),
	})
}

func (d *DataServices) strimzi(deps ...*helmaddon.Addon) *helmaddon.Addon {
	op := dsFootprint("strimzi-cluster-operator", d.replicas(2), strimziOperatr)
	var watch []string
	for _, k := range d.Cfg.DataServices.Kafka {
		if !slices.Contains(watch, k.Namespace) {
			watch = append(watch, k.Namespace)
		}
	}
	selector := map[string]any{"matchLabels": map[string]any{"name": "strimzi-cluster-operator"}}
	return d.release("strimzi-kafka-operator", StrimziChart, helmaddon.Config{
		Namespace: StrimziNamespace,
		Values: map[string]any{
			"replicas":        op.Replicas,
			"resources":       op.ResourceValues(),
			"watchNamespaces": dsList(watch),
			"leaderElection":  map[string]any{"enable": true},
			"podDisruptionBudget": map[string]any{
				"enabled": op.Replicas > 1, "minAvailable": nil, "maxUnavailable": 1,
			},
			"topologySpreadConstraints": []any{map[string]any{
				"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": selector,
			}},
			// Strimzi's Kafka, KRaft, exporter and operator dashboards as ConfigMaps.
			"dashboards": map[string]any{"enabled": true, "label": GrafanaDashboardLabel, "labelValue": "1"},
		},
		Footprints: []capacity.Footprint{op},
		DependsOn:  dsReleases(deps),
	})
}

// postgres installs one CloudNativePG cluster with its IRSA backup role, scoped to the
// cluster's own prefix of the backup bucket.
func (d *DataServices) postgres(pg config.Postgres, f *Foundation, network map[string]any, obs ObservabilityOutputs, plugin *helmaddon.Addon) {
	prefix := pg.Namespace + "/" + pg.Name
	identity := podidentity.New(d.TerraformStack, "pg-"+pg.Name+"-backup-identity", podidentity.Config{
		Names: d.Names, Component: "pg-" + pg.Name, Mode: podidentity.IRSA,
		ClusterName: f.Cluster.EKS.Name(),
		// CloudNativePG runs every instance under a service account named like the cluster.
		Namespace: pg.Namespace, ServiceAccount: pg.Name,
		OIDC:   podidentity.OIDC{ProviderARN: f.Cluster.OIDC.Arn(), IssuerHost: f.Cluster.IssuerHost},
		Policy: backupPolicy(d.Backups, prefix, pg.Restore.From),
	})
	d.BackupRoles[pg.Name] = identity

	size := pgSizes[pg.Size]
	instance := dsPod("postgres-"+pg.Name, pg.Instances, size, barmanSidecar)
	fps := []capacity.Footprint{instance}
	if pg.Pooler > 0 {
		fps = append(fps, dsFootprint("pgbouncer-"+pg.Name, pg.Pooler, pgbouncer))
	}
	database, owner := pg.Database, pg.Owner
	if database == "" {
		database = "app"
	}
	if owner == "" {
		owner = "app"
	}
	network["monitoringNamespace"] = obs.PrometheusNamespace
	network["operatorNamespace"] = CNPGNamespace
	d.localRelease("pg-"+pg.Name, charts.PostgresCluster, helmaddon.Config{
		Name: "pg-" + pg.Name, Namespace: pg.Namespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"name":      pg.Name,
			"instances": pg.Instances,
			"imageName": PostgresImage + ":" + pg.Version + postgresImageFlavour,
			"database":  database,
			"owner":     owner,
			"storage":   map[string]any{"size": pg.Storage, "storageClass": "gp3"},
			"resources": dsResources(size),
			"roleArn":   *identity.Role.Arn(),
			"backup": map[string]any{
				"destinationPath":  "s3://" + *d.Backups.Name() + "/" + pg.Namespace + "/",
				"retentionPolicy":  fmt.Sprintf("%dd", d.Cfg.DataServices.Backups.RetentionDays),
				"schedule":         d.Cfg.DataServices.Backups.Schedule,
				"sidecarResources": dsResources(barmanSidecar),
			},
			"restore": map[string]any{"from": pg.Restore.From, "targetTime": pg.Restore.TargetTime},
			"pooler":  map[string]any{"instances": pg.Pooler, "resources": dsResources(pgbouncer)},
			"network": network,
		},
		Footprints: fps,
		// Operator and plugin CRDs and webhooks, and the role, before the first pod starts.
		DependsOn: []cdktf.ITerraformDependable{plugin.Release, identity.Role},
	})
}

// backupPolicy lets one cluster list the bucket and read, write and delete only under its own
// prefix <namespace>/<cluster>/ (barman-cloud's serverName folder), with the bucket's key. A
// cluster restored from another may also read that one's prefix.
func backupPolicy(store *objectstore.Store, prefix, restoreFrom string) iampolicy.Document {
	stmts := store.ReadWrite()
	for i := range stmts {
		for j, r := range stmts[i].Resource {
			if r == *store.ARN()+"/*" {
				stmts[i].Resource[j] = *store.ARN() + "/" + prefix + "/*"
			}
		}
	}
	if restoreFrom != "" {
		ns, _, _ := strings.Cut(prefix, "/")
		stmts = append(stmts, iampolicy.Allow("RestoreRead", []string{"s3:GetObject"}, *store.ARN()+"/"+ns+"/"+restoreFrom+"/*"))
	}
	return iampolicy.New(stmts...)
}

func (d *DataServices) redis(r config.Redis, network map[string]any, obs ObservabilityOutputs) {
	size := redisSizes[r.Size]
	redisPod := dsPod("redis-"+r.Name, r.Instances, size, redisExporter)
	sentinels := dsFootprint("redis-sentinel-"+r.Name, r.Sentinels, sentinel)
	network["monitoringNamespace"] = obs.PrometheusNamespace
	network["operatorNamespace"] = RedisNamespace
	image := RedisImage + ":" + r.Version + "-alpine"
	d.localRelease("redis-"+r.Name, charts.RedisFailover, helmaddon.Config{
		Name: "redis-" + r.Name, Namespace: r.Namespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"name": r.Name,
			"redis": map[string]any{
				"replicas": r.Instances, "image": image, "resources": dsResources(size),
				"storage":  map[string]any{"size": r.Storage, "storageClass": "gp3"},
				"exporter": map[string]any{"image": RedisExporterImage, "resources": dsResources(redisExporter)},
			},
			"sentinel": map[string]any{"replicas": r.Sentinels, "image": image, "resources": dsResources(sentinel)},
			"auth":     map[string]any{"secretName": RedisSecretName(r.Name)},
			"network":  network,
		},
		Footprints: []capacity.Footprint{redisPod, sentinels},
		DependsOn:  []cdktf.ITerraformDependable{d.Redis.Release},
	})
}

// RedisSecretName is the Secret (key password) of a RedisFailover's password.
func RedisSecretName(name string) string { return "redis-" + name + "-auth" }

func (d *DataServices) kafka(k config.Kafka, network map[string]any) {
	size := kafkaSizes[k.Size]
	var pools []any
	var fps []capacity.Footprint
	pool := func(name string, roles []string, replicas int, rl [2]capacity.Resources, heap string) {
		pools = append(pools, map[string]any{
			"name": name, "roles": dsList(roles), "replicas": replicas, "storage": k.Storage,
			"resources": dsResources(rl), "heap": heap,
		})
		fps = append(fps, dsFootprint("kafka-"+k.Name+"-"+name, replicas, rl))
	}
	if k.Topology == config.KafkaCombined {
		pool("combined", []string{"controller", "broker"}, k.Brokers, size.broker, size.brokerHeap)
	} else {
		pool("controllers", []string{"controller"}, k.Controllers, size.controller, size.controlHeap)
		pool("brokers", []string{"broker"}, k.Brokers, size.broker, size.brokerHeap)
	}
	fps = append(fps,
		dsPod("kafka-"+k.Name+"-entity-operator", 1, topicOperator, userOperator),
		dsFootprint("kafka-"+k.Name+"-exporter", 1, kafkaExporter))
	var users, topics []any
	for _, u := range k.Users {
		users = append(users, map[string]any{"name": u.Name, "prefix": u.Prefix})
	}
	for _, t := range k.Topics {
		topics = append(topics, map[string]any{"name": t.Name, "partitions": t.Partitions, "replicas": t.Replicas})
	}
	d.localRelease("kafka-"+k.Name, charts.KafkaCluster, helmaddon.Config{
		Name: "kafka-" + k.Name, Namespace: k.Namespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"name": k.Name, "version": k.Version, "nodePools": pools, "storageClass": "gp3",
			"replicationFactor": k.ReplicationFactor, "minInsyncReplicas": k.MinInsyncReplicas,
			"authentication": k.Authentication, "users": users, "topics": topics,
			"entityOperator": map[string]any{
				"topicOperator": map[string]any{"resources": dsResources(topicOperator)},
				"userOperator":  map[string]any{"resources": dsResources(userOperator)},
			},
			"kafkaExporter": map[string]any{"resources": dsResources(kafkaExporter)},
			"network":       network,
		},
		Footprints: fps,
		// Kafka becomes Ready only after the brokers roll; allow for image pulls on Spot nodes.
		Timeout:   900,
		DependsOn: []cdktf.ITerraformDependable{d.Strimzi.Release},
	})
}

func (d *DataServices) outputs() {
	ds := d.Cfg.DataServices
	d.output("backup_bucket", "S3 bucket of PostgreSQL base backups and WAL (<namespace>/<cluster>/)", d.Backups.Name())
	d.output("operator_namespaces", "Namespaces of the CloudNativePG, Redis and Strimzi operators",
		map[string]string{"cloudnative-pg": CNPGNamespace, "redis": RedisNamespace, "strimzi": StrimziNamespace})
	pg := map[string]any{}
	for _, p := range ds.Postgres {
		pg[p.Name] = map[string]any{
			"namespace": p.Namespace, "primary": p.Name + "-rw." + p.Namespace + ".svc:5432",
			"secret": p.Name + "-app", "backup_role": d.BackupRoles[p.Name].Role.Arn(),
		}
	}
	redis := map[string]any{}
	for _, r := range ds.Redis {
		redis[r.Name] = map[string]any{
			"namespace": r.Namespace, "sentinel": "rfs-" + r.Name + "." + r.Namespace + ".svc:26379",
			"master_name": "mymaster", "secret": RedisSecretName(r.Name),
		}
	}
	kafka := map[string]any{}
	for _, k := range ds.Kafka {
		kafka[k.Name] = map[string]any{
			"namespace": k.Namespace, "bootstrap": k.Name + "-kafka-bootstrap." + k.Namespace + ".svc:9093",
			"ca_secret": k.Name + "-cluster-ca-cert", "authentication": k.Authentication,
		}
	}
	d.output("postgres", "PostgreSQL clusters: primary Service, application Secret (in the namespace), backup role", pg)
	d.output("redis", "Redis failovers: Sentinel Service, master name, password Secret", redis)
	d.output("kafka", "Kafka clusters: TLS bootstrap, cluster CA Secret, user authentication", kafka)
}

func dsList(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func dsReleases(as []*helmaddon.Addon) []cdktf.ITerraformDependable {
	out := make([]cdktf.ITerraformDependable, len(as))
	for i, a := range as {
		out[i] = a.Release
	}
	return out
}
