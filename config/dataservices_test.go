package config

import (
	"errors"
	"strings"
	"testing"
)

// dataDoc is a valid dataServices section with one instance of each kind; test rows replace one
// piece of it.
const dataDoc = `
dataServices:
  namespaces: [orders, billing]
  budget:
    cpuRequest: "1"
    memoryRequest: 3Gi
  backups:
    retentionDays: 7
    schedule: "0 0 3 * * *"
    bucketExpirationDays: 30
    noncurrentExpirationDays: 7
  postgres:
    - name: orders-db
      namespace: orders
      size: small
      storage: 5Gi
      version: "18.6"
      instances: 2
      pooler: 2
      clients: [billing]
  redis:
    - name: orders-cache
      namespace: orders
      size: small
      storage: 1Gi
      version: "7.2.5"
      instances: 2
      sentinels: 3
  kafka:
    - name: events
      namespace: orders
      size: small
      storage: 10Gi
      version: "4.3.1"
      topology: dedicated
      brokers: 3
      controllers: 3
      replicationFactor: 3
      minInsyncReplicas: 2
      authentication: scram-sha-512
      users:
        - name: orders-app
          prefix: orders.
      topics:
        - name: orders.created
          partitions: 6
`

func dataConfig(t *testing.T, env, from, to string) (*Config, error) {
	t.Helper()
	if from != "" && !strings.Contains(dataDoc, from) {
		t.Fatalf("test row replaces %q, which the base document does not contain", from)
	}
	y := strings.Replace(dataDoc, from, to, 1)
	// Gatekeeper at deny (staging and prod) refuses the operators' pods in application
	// namespaces (validateDataUnderGatekeeper, tested in secrets_test.go): exempt the ones here.
	y += "security:\n  gatekeeper:\n    exemptNamespaces: [kube-system, orders, billing]\n"
	return LoadFromBytes("environments/"+env+".yaml", []byte(doc("environment: "+env+"\n"+y)), env)
}

func TestDataServicesValid(t *testing.T) {
	for _, env := range Environments {
		c, err := dataConfig(t, env, "", "")
		if err != nil {
			t.Fatalf("%s: %v", env, err)
		}
		d := c.DataServices
		if len(d.Postgres) != 1 || d.Postgres[0].Pooler != 2 || d.Kafka[0].Topics[0].Partitions != 6 || d.Redis[0].Sentinels != 3 {
			t.Errorf("%s: decoded %+v", env, d)
		}
	}
	// dev may run single-instance, combined topologies.
	dev := strings.NewReplacer("instances: 2\n      pooler", "instances: 1\n      pooler",
		"topology: dedicated\n      brokers: 3\n      controllers: 3\n      replicationFactor: 3\n      minInsyncReplicas: 2",
		"topology: combined\n      brokers: 1\n      controllers: 0\n      replicationFactor: 1\n      minInsyncReplicas: 1").Replace(dataDoc)
	if _, err := LoadFromBytes("environments/dev.yaml", []byte(doc(dev)), "dev"); err != nil {
		t.Errorf("dev single-instance topology: %v", err)
	}
}

func TestDataServicesDefaults(t *testing.T) {
	for env, want := range map[string]DataBudget{"dev": {"1", "3Gi"}, "staging": {"1500m", "4Gi"}, "prod": {"2", "6Gi"}} {
		d := Defaults(env).DataServices
		if d.Budget != want {
			t.Errorf("%s budget = %+v, want %+v", env, d.Budget, want)
		}
		if d.Backups.BucketExpirationDays <= d.Backups.RetentionDays {
			t.Errorf("%s default lifecycle %d days does not outlive retention %d", env, d.Backups.BucketExpirationDays, d.Backups.RetentionDays)
		}
		if len(d.Postgres)+len(d.Redis)+len(d.Kafka) != 0 {
			t.Errorf("%s defaults declare instances: %+v", env, d)
		}
	}
}

func TestDataServicesInvalid(t *testing.T) {
	tests := []struct {
		name     string
		env      string
		from, to string
		path     string
		msg      string
	}{
		// Namespaces.
		{"unknown instance namespace", "dev", "namespace: orders\n      size: small\n      storage: 5Gi", "namespace: shop\n      size: small\n      storage: 5Gi",
			"dataServices.postgres[0].namespace", `"shop" is not a known namespace; allowed: the namespaces listed in dataServices.namespaces (orders, billing)`},
		{"unknown client namespace", "dev", "clients: [billing]", "clients: [payments]", "dataServices.postgres[0].clients[0]", `"payments" is not a known namespace`},
		{"owner listed as client", "dev", "clients: [billing]", "clients: [orders]", "dataServices.postgres[0].clients[0]", "is the owning namespace"},
		{"platform namespace", "dev", "namespaces: [orders, billing]", "namespaces: [orders, billing, monitoring]", "dataServices.namespaces[2]", "is a platform namespace"},
		{"namespace twice", "dev", "namespaces: [orders, billing]", "namespaces: [orders, billing, orders]", "dataServices.namespaces[2]", "is listed twice"},
		{"missing namespace", "dev", "      namespace: orders\n      size: small\n      storage: 1Gi", "      size: small\n      storage: 1Gi", "dataServices.redis[0].namespace", "is required"},

		// Names.
		{"duplicate postgres", "dev", "  redis:\n", "    - {name: orders-db, namespace: billing, size: small, storage: 5Gi, version: \"18.6\", instances: 1}\n  redis:\n",
			"dataServices.postgres[1].name", `"orders-db" is already used by entry 0`},
		{"name not a label", "dev", "name: orders-cache", "name: Orders_Cache", "dataServices.redis[0].name", "is not a valid instance name"},
		{"name too long", "dev", "name: events", "name: " + strings.Repeat("e", 31), "dataServices.kafka[0].name", "at most 30 characters"},

		// Sizes and storage.
		{"unknown size", "dev", "size: small\n      storage: 5Gi", "size: huge\n      storage: 5Gi", "dataServices.postgres[0].size", `"huge" is not a size; allowed: small, medium, large`},
		{"storage in Mi", "dev", "storage: 5Gi", "storage: 512Mi", "dataServices.postgres[0].storage", "is not a volume size"},
		{"storage zero", "dev", "storage: 1Gi", "storage: 0Gi", "dataServices.redis[0].storage", "is out of range"},
		{"storage above gp3", "dev", "storage: 10Gi", "storage: 17Ti", "dataServices.kafka[0].storage", "is out of range; use a size in Gi or Ti from 1Gi to 16Ti"},

		{"restore from itself", "dev", "clients: [billing]", "clients: [billing]\n      restore: {from: orders-db}", "dataServices.postgres[0].restore.from", "is not another cluster's name"},
		{"restore time", "dev", "clients: [billing]", "clients: [billing]\n      restore: {from: old-db, targetTime: yesterday}", "dataServices.postgres[0].restore.targetTime", "is not an RFC 3339 time"},

		// Instance counts for the topology.
		{"postgres zero instances", "dev", "instances: 2\n      pooler", "instances: 0\n      pooler", "dataServices.postgres[0].instances", "0 is out of range; use 1 to 9"},
		{"postgres single in prod", "prod", "instances: 2\n      pooler", "instances: 1\n      pooler", "dataServices.postgres[0].instances", "gives no failover in prod"},
		{"pooler too large", "dev", "pooler: 2", "pooler: 6", "dataServices.postgres[0].pooler", "use 0 (no pooler) to 5"},
		{"even sentinels", "dev", "sentinels: 3", "sentinels: 2", "dataServices.redis[0].sentinels", "use an odd number from 1 to 7"},
		{"one sentinel in prod", "prod", "sentinels: 3", "sentinels: 1", "dataServices.redis[0].sentinels", "cannot survive its own loss in prod"},
		{"single redis in prod", "prod", "instances: 2\n      sentinels", "instances: 1\n      sentinels", "dataServices.redis[0].instances", "nothing to fail over to in prod"},
		{"even controllers", "dev", "controllers: 3", "controllers: 2", "dataServices.kafka[0].controllers", "is not a KRaft quorum size"},
		{"combined with controllers", "dev", "topology: dedicated", "topology: combined", "dataServices.kafka[0].controllers", "combined nodes are their own controllers"},
		{"combined in prod", "prod", "topology: dedicated\n      brokers: 3\n      controllers: 3", "topology: combined\n      brokers: 3\n      controllers: 0", "dataServices.kafka[0].topology", "use dedicated"},
		{"two brokers in prod", "prod", "brokers: 3", "brokers: 2", "dataServices.kafka[0].brokers", "use 3 or more"},
		{"unknown topology", "dev", "topology: dedicated", "topology: zookeeper", "dataServices.kafka[0].topology", `"zookeeper" is not a topology`},

		// Kafka replication.
		{"replication above brokers", "dev", "replicationFactor: 3", "replicationFactor: 4", "dataServices.kafka[0].replicationFactor", "4 is above the number of brokers (3)"},
		{"min insync above replication", "dev", "minInsyncReplicas: 2", "minInsyncReplicas: 4", "dataServices.kafka[0].minInsyncReplicas", "use 1 to replicationFactor (3)"},
		{"topic replicas above brokers", "dev", "partitions: 6", "partitions: 6\n          replicas: 5", "dataServices.kafka[0].topics[0].replicas", "above the number of brokers (3)"},
		{"topic uppercase", "dev", "name: orders.created", "name: Orders.Created", "dataServices.kafka[0].topics[0].name", "is not a topic name"},
		{"zero partitions", "dev", "partitions: 6", "partitions: 0", "dataServices.kafka[0].topics[0].partitions", "use 1 to 1000"},
		{"user twice", "dev", "          prefix: orders.\n", "          prefix: orders.\n        - {name: orders-app, prefix: x.}\n", "dataServices.kafka[0].users[1].name", "is listed twice"},
		{"auth", "dev", "authentication: scram-sha-512", "authentication: plain", "dataServices.kafka[0].authentication", `"plain" is not supported; allowed: scram-sha-512, tls`},

		// Versions.
		{"kafka version", "dev", `version: "4.3.1"`, `version: "3.9.0"`, "dataServices.kafka[0].version", "is not a Kafka version Strimzi 1.2.0 supports"},
		{"postgres major", "dev", `version: "18.6"`, `version: "12.1"`, "dataServices.postgres[0].version", "is not a supported PostgreSQL version"},
		{"redis version", "dev", `version: "7.2.5"`, `version: latest`, "dataServices.redis[0].version", "is not a supported Redis version"},

		// Budget and backups.
		{"budget cpu", "dev", `cpuRequest: "1"`, `cpuRequest: lots`, "dataServices.budget.cpuRequest", "is not a positive CPU quantity"},
		{"budget memory zero", "dev", "memoryRequest: 3Gi", "memoryRequest: 0Gi", "dataServices.budget.memoryRequest", "is not a positive memory quantity"},
		{"lifecycle shorter than retention", "dev", "bucketExpirationDays: 30", "bucketExpirationDays: 7", "dataServices.backups.bucketExpirationDays", "would let S3 delete backups Barman still needs"},
		{"five-field cron", "dev", `schedule: "0 0 3 * * *"`, `schedule: "0 3 * * *"`, "dataServices.backups.schedule", "is not a six-field cron expression"},
		{"retention zero", "dev", "retentionDays: 7", "retentionDays: 0", "dataServices.backups.retentionDays", "use 1 to 3650"},

		// Shape (strict decoding).
		{"unknown instance key", "dev", "sentinels: 3", "sentinels: 3\n      replicas: 2", "dataServices.redis[0].replicas", "unknown field; allowed here: name, namespace, size"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dataConfig(t, tc.env, tc.from, tc.to)
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("err = %v, want *ValidationError", err)
			}
			p, ok := verr.ProblemAt(tc.path)
			if !ok {
				t.Fatalf("no problem at %q:\n%v", tc.path, err)
			}
			if !strings.Contains(p.Message, tc.msg) {
				t.Errorf("message at %s = %q, want it to contain %q", tc.path, p.Message, tc.msg)
			}
			file := "environments/" + tc.env + ".yaml"
			if !strings.Contains(err.Error(), file+": "+tc.path+": "+p.Message) {
				t.Errorf("Error() does not name file and field:\n%v", err)
			}
		})
	}
}
