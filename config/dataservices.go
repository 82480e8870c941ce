package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// DataServices configures Workflow 7: the CloudNativePG, Redis (Spotahome) and Strimzi operators
// and the database, cache and Kafka instances the platform runs for microservices. Every instance
// runs in its owning namespace, which receives its credentials as Secrets.
type DataServices struct {
	// Namespaces are the application namespaces that may own instances or be their clients.
	// An instance or client namespace not listed here is an error.
	Namespaces []string `yaml:"namespaces"`
	// Budget caps the requests of the whole workflow (operators and instances); the capacity
	// check fails synth when the declared footprints exceed it.
	Budget DataBudget `yaml:"budget"`
	// Backups of PostgreSQL to the stack's S3 bucket.
	Backups DataBackups `yaml:"backups"`

	Postgres []Postgres `yaml:"postgres"`
	Redis    []Redis    `yaml:"redis"`
	Kafka    []Kafka    `yaml:"kafka"`
}

// DataBudget is the requests budget of the data-services workflow.
type DataBudget struct {
	CPURequest    string `yaml:"cpuRequest"`
	MemoryRequest string `yaml:"memoryRequest"`
}

// DataBackups sets how long PostgreSQL backups are kept.
type DataBackups struct {
	// RetentionDays is Barman's recovery window: base backups and WAL needed to restore to any
	// point in the last RetentionDays days are kept, older ones deleted by the plugin.
	RetentionDays int `yaml:"retentionDays"`
	// Schedule is the ScheduledBackup cron expression (six fields, seconds first).
	Schedule string `yaml:"schedule"`
	// BucketExpirationDays is the S3 lifecycle backstop that deletes objects older than this
	// (0: never). It must exceed RetentionDays, or S3 would delete what Barman still needs.
	BucketExpirationDays int `yaml:"bucketExpirationDays"`
	// NoncurrentExpirationDays removes overwritten or deleted object versions after this many days.
	NoncurrentExpirationDays int `yaml:"noncurrentExpirationDays"`
}

// Instance sizes; the stack maps each to requests and limits per engine (stacks/dataservices_sizes.go).
const (
	SizeSmall  = "small"
	SizeMedium = "medium"
	SizeLarge  = "large"
)

// DataSizes are the allowed instance sizes.
var DataSizes = []string{SizeSmall, SizeMedium, SizeLarge}

// Postgres is one CloudNativePG Cluster.
type Postgres struct {
	Name      string `yaml:"name"`
	Namespace string `yaml:"namespace"`
	Size      string `yaml:"size"`
	// Storage is the PVC size of each instance, e.g. 5Gi.
	Storage string `yaml:"storage"`
	// Version is the PostgreSQL major.minor, e.g. "18.6" (image ghcr.io/cloudnative-pg/postgresql).
	Version string `yaml:"version"`
	// Instances is the primary plus streaming replicas.
	Instances int `yaml:"instances"`
	// Database and Owner of the application database (default: the cluster name and "app").
	Database string `yaml:"database"`
	Owner    string `yaml:"owner"`
	// Pooler is the number of PgBouncer pods in front of the primary; 0 means no pooler.
	Pooler int `yaml:"pooler"`
	// Clients are other namespaces (besides Namespace) allowed to connect.
	Clients []string `yaml:"clients"`
	// Restore bootstraps this (new) cluster from another cluster's backups in the same
	// namespace instead of an empty database: point-in-time recovery through configuration.
	// Empty From: a new, empty database.
	Restore PostgresRestore `yaml:"restore"`
}

// PostgresRestore names the backups a new cluster is recovered from.
type PostgresRestore struct {
	// From is the origin cluster's name (its backups under <namespace>/<from>/ in the bucket).
	From string `yaml:"from"`
	// TargetTime is the RFC 3339 instant to recover to; empty: the end of the WAL archive.
	TargetTime string `yaml:"targetTime"`
}

// Redis is one RedisFailover: Redis with replicas and Sentinels for automatic failover.
type Redis struct {
	Name      string `yaml:"name"`
	Namespace string `yaml:"namespace"`
	Size      string `yaml:"size"`
	Storage   string `yaml:"storage"`
	// Version is the Redis image tag without the -alpine suffix, e.g. "7.2.5".
	Version string `yaml:"version"`
	// Instances is the number of Redis pods (one master, the rest replicas).
	Instances int `yaml:"instances"`
	// Sentinels is the number of Sentinel pods: odd, so that a majority can elect a master.
	Sentinels int      `yaml:"sentinels"`
	Clients   []string `yaml:"clients"`
}

// Kafka topologies.
const (
	// KafkaCombined runs nodes that are both controller and broker (dev).
	KafkaCombined = "combined"
	// KafkaDedicated runs separate controller and broker node pools (prod).
	KafkaDedicated = "dedicated"
)

// Kafka authentication of users.
const (
	KafkaSCRAM = "scram-sha-512"
	KafkaTLS   = "tls"
)

// KafkaVersions are the Kafka versions Strimzi 1.2.0 supports (kafka-versions.yaml at tag 1.2.0).
var KafkaVersions = []string{"4.2.0", "4.2.1", "4.3.0", "4.3.1"}

// Kafka is one Strimzi Kafka cluster in KRaft mode with KafkaNodePools.
type Kafka struct {
	Name      string `yaml:"name"`
	Namespace string `yaml:"namespace"`
	Size      string `yaml:"size"`
	Storage   string `yaml:"storage"`
	Version   string `yaml:"version"`
	// Topology is combined (Brokers nodes with both roles) or dedicated (Brokers + Controllers).
	Topology    string `yaml:"topology"`
	Brokers     int    `yaml:"brokers"`
	Controllers int    `yaml:"controllers"`
	// ReplicationFactor is the default for topics and internal topics; MinInsyncReplicas the
	// number of replicas that must acknowledge a write with acks=all.
	ReplicationFactor int `yaml:"replicationFactor"`
	MinInsyncReplicas int `yaml:"minInsyncReplicas"`
	// Authentication of the TLS listener and of every KafkaUser: scram-sha-512 or tls.
	Authentication string       `yaml:"authentication"`
	Users          []KafkaUser  `yaml:"users"`
	Topics         []KafkaTopic `yaml:"topics"`
	Clients        []string     `yaml:"clients"`
}

// KafkaUser is a user the entity operator creates; its Secret lands in the cluster's namespace.
// It may read and write the topics and consumer groups whose names start with its Prefix.
type KafkaUser struct {
	Name   string `yaml:"name"`
	Prefix string `yaml:"prefix"`
}

// KafkaTopic is a topic the entity operator creates.
type KafkaTopic struct {
	Name       string `yaml:"name"`
	Partitions int    `yaml:"partitions"`
	// Replicas defaults (0) to the cluster's ReplicationFactor.
	Replicas int `yaml:"replicas"`
}

// Namespaces the data-services stack itself uses; instances may not live there.
var dataReservedNamespaces = []string{
	"default", "kube-system", "kube-public", "kube-node-lease", "monitoring",
	"cnpg-system", "redis-operator", "strimzi", "cert-manager", "emissary", "emissary-system",
	"external-dns", "istio-system", "argocd", "tekton-pipelines", "openbao", "external-secrets",
	"gatekeeper-system", "falco",
}

var (
	pgVersionRe    = regexp.MustCompile(`^(\d+)\.(\d+)$`)
	redisVersionRe = regexp.MustCompile(`^7\.[0-4]\.\d+$`)
	cronRe         = regexp.MustCompile(`^\S+( \S+){5}$`)
	topicRe        = regexp.MustCompile(`^[a-zA-Z0-9._-]{1,200}$`)
	pgIdentRe      = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)
)

// maxInstanceName keeps generated names (rfr-<name>, <name>-pooler-rw, IAM role <project>-<env>-pg-<name>) within limits.
const maxInstanceName = 30

// PostgresMajors are the PostgreSQL majors CloudNativePG 1.30 supports.
var PostgresMajors = []string{"14", "15", "16", "17", "18"}

// validate checks the section; env decides which topologies are acceptable (prod needs HA).
func (d DataServices) validate(ps *problems, env string) {
	const p = "dataServices"
	known := map[string]bool{}
	for i, ns := range d.Namespaces {
		path := fmt.Sprintf("%s.namespaces[%d]", p, i)
		switch {
		case !dnsLabelRe.MatchString(ns):
			ps.add(path, "%q is not a namespace name; use a DNS label (lowercase letters, digits, hyphens)", ns)
		case slices.Contains(dataReservedNamespaces, ns):
			ps.add(path, "%q is a platform namespace; data services run only in application namespaces", ns)
		case known[ns]:
			ps.add(path, "%q is listed twice; list each namespace once", ns)
		}
		known[ns] = true
	}
	d.Budget.validate(ps)
	d.Backups.validate(ps)

	nsRule := "allowed: the namespaces listed in dataServices.namespaces (" + strings.Join(d.Namespaces, ", ") + ")"
	checkNS := func(path, ns string, required bool) {
		if ns == "" {
			if required {
				ps.add(path, "is required; %s", nsRule)
			}
			return
		}
		if !known[ns] {
			ps.add(path, "%q is not a known namespace; %s", ns, nsRule)
		}
	}
	common := func(path, name, ns, size, storage string, clients []string, seen map[string]int, idx int) {
		switch {
		case name == "":
			ps.add(path+".name", "is required; use a DNS label of at most %d characters", maxInstanceName)
		case !dnsLabelRe.MatchString(name) || len(name) > maxInstanceName:
			ps.add(path+".name", "%q is not a valid instance name; use a DNS label of at most %d characters", name, maxInstanceName)
		default:
			if first, dup := seen[name]; dup {
				ps.add(path+".name", "%q is already used by entry %d; names must be unique per kind", name, first)
			}
			seen[name] = idx
		}
		checkNS(path+".namespace", ns, true)
		if !slices.Contains(DataSizes, size) {
			ps.add(path+".size", "%q is not a size; allowed: %s", size, strings.Join(DataSizes, ", "))
		}
		checkStorage(ps, path+".storage", storage)
		for j, c := range clients {
			cp := fmt.Sprintf("%s.clients[%d]", path, j)
			checkNS(cp, c, true)
			if c == ns && ns != "" {
				ps.add(cp, "%q is the owning namespace, which always has access; remove it", c)
			}
		}
	}
	ha := env == "prod"

	seen := map[string]int{}
	for i, pg := range d.Postgres {
		path := fmt.Sprintf("%s.postgres[%d]", p, i)
		common(path, pg.Name, pg.Namespace, pg.Size, pg.Storage, pg.Clients, seen, i)
		if m := pgVersionRe.FindStringSubmatch(pg.Version); m == nil || !slices.Contains(PostgresMajors, m[1]) {
			ps.add(path+".version", "%q is not a supported PostgreSQL version; use major.minor with major %s, e.g. \"18.6\"", pg.Version, strings.Join(PostgresMajors, ", "))
		}
		switch {
		case pg.Instances < 1 || pg.Instances > 9:
			ps.add(path+".instances", "%d is out of range; use 1 to 9 (a primary plus replicas)", pg.Instances)
		case ha && pg.Instances < 2:
			ps.add(path+".instances", "%d gives no failover in prod; use 2 or more (a primary and a replica in another zone)", pg.Instances)
		}
		if pg.Pooler < 0 || pg.Pooler > 5 {
			ps.add(path+".pooler", "%d is out of range; use 0 (no pooler) to 5 PgBouncer pods", pg.Pooler)
		}
		if r := pg.Restore; r != (PostgresRestore{}) {
			if !dnsLabelRe.MatchString(r.From) || r.From == pg.Name {
				ps.add(path+".restore.from", "%q is not another cluster's name; name the origin cluster in the same namespace, whose backups are restored", r.From)
			}
			if r.TargetTime != "" {
				if _, err := time.Parse(time.RFC3339, r.TargetTime); err != nil {
					ps.add(path+".restore.targetTime", "%q is not an RFC 3339 time; use e.g. 2026-11-29T09:30:00Z, or leave it empty to replay all WAL", r.TargetTime)
				}
			}
		}
		for _, f := range []struct{ field, v string }{{"database", pg.Database}, {"owner", pg.Owner}} {
			if f.v != "" && !pgIdentRe.MatchString(f.v) {
				ps.add(path+"."+f.field, "%q is not a PostgreSQL identifier; use lowercase letters, digits and _ (at most 63), or leave it empty", f.v)
			}
		}
	}

	seen = map[string]int{}
	for i, r := range d.Redis {
		path := fmt.Sprintf("%s.redis[%d]", p, i)
		common(path, r.Name, r.Namespace, r.Size, r.Storage, r.Clients, seen, i)
		if !redisVersionRe.MatchString(r.Version) {
			ps.add(path+".version", "%q is not a supported Redis version; use 7.0.x to 7.4.x, e.g. \"7.2.5\" (redis-operator v1.2.4 is tested with Redis 6 and 7)", r.Version)
		}
		switch {
		case r.Instances < 1 || r.Instances > 9:
			ps.add(path+".instances", "%d is out of range; use 1 to 9 Redis pods", r.Instances)
		case ha && r.Instances < 2:
			ps.add(path+".instances", "%d leaves nothing to fail over to in prod; use 2 or more", r.Instances)
		}
		switch {
		case r.Sentinels < 1 || r.Sentinels > 7 || r.Sentinels%2 == 0:
			ps.add(path+".sentinels", "%d is not a valid Sentinel count; use an odd number from 1 to 7 so that a majority can elect a master", r.Sentinels)
		case ha && r.Sentinels < 3:
			ps.add(path+".sentinels", "%d Sentinel cannot survive its own loss in prod; use 3 or more", r.Sentinels)
		}
	}

	seen = map[string]int{}
	for i, k := range d.Kafka {
		path := fmt.Sprintf("%s.kafka[%d]", p, i)
		common(path, k.Name, k.Namespace, k.Size, k.Storage, k.Clients, seen, i)
		k.validate(ps, path, ha)
	}
}

func (k Kafka) validate(ps *problems, path string, ha bool) {
	if !slices.Contains(KafkaVersions, k.Version) {
		ps.add(path+".version", "%q is not a Kafka version Strimzi 1.2.0 supports; allowed: %s", k.Version, strings.Join(KafkaVersions, ", "))
	}
	switch k.Topology {
	case KafkaCombined:
		if k.Controllers != 0 {
			ps.add(path+".controllers", "%d with topology combined; combined nodes are their own controllers, set 0 (or use topology dedicated)", k.Controllers)
		}
		switch {
		case k.Brokers != 1 && k.Brokers != 3 && k.Brokers != 5:
			ps.add(path+".brokers", "%d combined nodes cannot form a KRaft quorum well; use 1, 3 or 5", k.Brokers)
		case ha:
			ps.add(path+".topology", "combined in prod; use dedicated so that controllers and brokers fail independently")
		}
	case KafkaDedicated:
		if k.Brokers < 1 || k.Brokers > 9 {
			ps.add(path+".brokers", "%d is out of range; use 1 to 9 brokers", k.Brokers)
		} else if ha && k.Brokers < 3 {
			ps.add(path+".brokers", "%d brokers in prod; use 3 or more so that replication factor 3 is possible", k.Brokers)
		}
		if k.Controllers != 1 && k.Controllers != 3 && k.Controllers != 5 {
			ps.add(path+".controllers", "%d is not a KRaft quorum size; use 1, 3 or 5 (odd, a majority must survive)", k.Controllers)
		} else if ha && k.Controllers < 3 {
			ps.add(path+".controllers", "%d controller in prod; use 3 or 5", k.Controllers)
		}
	default:
		ps.add(path+".topology", "%q is not a topology; allowed: %s, %s", k.Topology, KafkaCombined, KafkaDedicated)
	}
	switch {
	case k.ReplicationFactor < 1:
		ps.add(path+".replicationFactor", "%d is out of range; use 1 to the number of brokers (%d)", k.ReplicationFactor, k.Brokers)
	case k.Brokers >= 1 && k.ReplicationFactor > k.Brokers:
		ps.add(path+".replicationFactor", "%d is above the number of brokers (%d); a partition cannot have more replicas than brokers", k.ReplicationFactor, k.Brokers)
	}
	if k.MinInsyncReplicas < 1 || k.MinInsyncReplicas > k.ReplicationFactor {
		ps.add(path+".minInsyncReplicas", "%d is out of range; use 1 to replicationFactor (%d)", k.MinInsyncReplicas, k.ReplicationFactor)
	}
	if k.Authentication != KafkaSCRAM && k.Authentication != KafkaTLS {
		ps.add(path+".authentication", "%q is not supported; allowed: %s, %s", k.Authentication, KafkaSCRAM, KafkaTLS)
	}
	users := map[string]bool{}
	for j, u := range k.Users {
		up := fmt.Sprintf("%s.users[%d]", path, j)
		switch {
		case !dnsLabelRe.MatchString(u.Name):
			ps.add(up+".name", "%q is not a user name; use a DNS label", u.Name)
		case users[u.Name]:
			ps.add(up+".name", "%q is listed twice; users must be unique per cluster", u.Name)
		}
		users[u.Name] = true
		if !topicRe.MatchString(u.Prefix) {
			ps.add(up+".prefix", "%q is not a topic prefix; use letters, digits, '.', '_' or '-' (the user may use topics and groups starting with it)", u.Prefix)
		}
	}
	topics := map[string]bool{}
	for j, t := range k.Topics {
		tp := fmt.Sprintf("%s.topics[%d]", path, j)
		switch {
		case !topicRe.MatchString(t.Name) || t.Name != strings.ToLower(t.Name) || strings.Contains(t.Name, "_"):
			// KafkaTopic names are Kubernetes names too: lowercase, '.', '-'.
			ps.add(tp+".name", "%q is not a topic name; use lowercase letters, digits, '.' and '-' (it is also the KafkaTopic resource name)", t.Name)
		case topics[t.Name]:
			ps.add(tp+".name", "%q is listed twice; topics must be unique per cluster", t.Name)
		}
		topics[t.Name] = true
		if t.Partitions < 1 || t.Partitions > 1000 {
			ps.add(tp+".partitions", "%d is out of range; use 1 to 1000", t.Partitions)
		}
		if t.Replicas < 0 || (k.Brokers >= 1 && t.Replicas > k.Brokers) {
			ps.add(tp+".replicas", "%d is above the number of brokers (%d) or negative; use 0 (the cluster's replicationFactor) to %d", t.Replicas, k.Brokers, k.Brokers)
		}
	}
}

func (b DataBudget) validate(ps *problems) {
	if n, err := ParseCPU(b.CPURequest); err != nil || n <= 0 {
		ps.add("dataServices.budget.cpuRequest", "%q is not a positive CPU quantity; use millicores like 1500m or cores like 1.5", b.CPURequest)
	}
	if n, err := ParseMemory(b.MemoryRequest); err != nil || n <= 0 {
		ps.add("dataServices.budget.memoryRequest", "%q is not a positive memory quantity; use a size like 3Gi or 3072Mi", b.MemoryRequest)
	}
}

func (b DataBackups) validate(ps *problems) {
	const p = "dataServices.backups"
	if b.RetentionDays < 1 || b.RetentionDays > 3650 {
		ps.add(p+".retentionDays", "%d is out of range; use 1 to 3650 days", b.RetentionDays)
	}
	if !cronRe.MatchString(b.Schedule) {
		ps.add(p+".schedule", "%q is not a six-field cron expression; CloudNativePG's schedule starts with seconds, e.g. \"0 0 3 * * *\"", b.Schedule)
	}
	if b.BucketExpirationDays < 0 || (b.BucketExpirationDays > 0 && b.BucketExpirationDays <= b.RetentionDays) {
		ps.add(p+".bucketExpirationDays", "%d would let S3 delete backups Barman still needs; use 0 (never) or more than retentionDays (%d)", b.BucketExpirationDays, b.RetentionDays)
	}
	if b.NoncurrentExpirationDays < 1 || b.NoncurrentExpirationDays > 3650 {
		ps.add(p+".noncurrentExpirationDays", "%d is out of range; use 1 to 3650 days", b.NoncurrentExpirationDays)
	}
}

// checkStorage accepts a PVC size from 1Gi to 16Ti (the gp3 maximum) in binary units.
func checkStorage(ps *problems, path, s string) {
	const rule = "use a size in Gi or Ti from 1Gi to 16Ti, e.g. 10Gi"
	if !strings.HasSuffix(s, "Gi") && !strings.HasSuffix(s, "Ti") {
		ps.add(path, "%q is not a volume size; %s", s, rule)
		return
	}
	n, err := ParseMemory(s)
	if err != nil || n < 1<<30 || n > 16<<40 {
		ps.add(path, "%q is out of range; %s", s, rule)
	}
}

// dataServicesDefaults are the per-environment defaults: no instances, a budget that fits dev's
// three t3.large nodes next to the other six workflows, and longer retention in prod.
func dataServicesDefaults(env string) DataServices {
	d := DataServices{
		Budget:  DataBudget{CPURequest: "1", MemoryRequest: "3Gi"},
		Backups: DataBackups{RetentionDays: 7, Schedule: "0 0 3 * * *", BucketExpirationDays: 30, NoncurrentExpirationDays: 7},
	}
	if env == "prod" {
		d.Budget = DataBudget{CPURequest: "2", MemoryRequest: "6Gi"}
		d.Backups = DataBackups{RetentionDays: 30, Schedule: "0 0 2 * * *", BucketExpirationDays: 90, NoncurrentExpirationDays: 30}
	} else if env == "staging" {
		d.Budget = DataBudget{CPURequest: "1500m", MemoryRequest: "4Gi"}
		d.Backups.RetentionDays = 14
		d.Backups.BucketExpirationDays = 45
	}
	return d
}
