package render_test

// Render tests of the data-services charts (Workflow 7): postgres-cluster, redis-failover, kafka-cluster,
// data-namespaces and data-monitoring. The CloudNativePG Go API module is not served by the
// module proxy (403 for github.com/cloudnative-pg/cloudnative-pg), so the custom resources are
// decoded strictly into mirrors of our own that follow the upstream API types:
//   - postgresql.cnpg.io/v1: cloudnative-pg api/v1 cluster_types.go, pooler_types.go,
//     scheduledbackup_types.go (operator 1.30)
//   - barmancloud.cnpg.io/v1: plugin-barman-cloud v0.13.0 api/v1/objectstore_types.go and
//     config/crd/bases/barmancloud.cnpg.io_objectstores.yaml
//   - databases.spotahome.com/v1: redis-operator v1.2.4 api/redisfailover/v1/types.go
//   - kafka.strimzi.io/v1: strimzi-kafka-operator 1.2.0 api/ (KafkaSpec, KafkaClusterSpec,
//     KafkaNodePoolSpec, GenericKafkaListener, KafkaUserSpec, AclRule, KafkaTopicSpec)
// Fields the charts do not set are left out of the mirrors on purpose: a key the chart sets that
// the mirror lacks fails the strict decode.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
)

// Kubernetes kinds, wrapped to satisfy the mirror interface.
type ()

// dsPodMonitor mirrors prometheus-operator pkg/apis/monitoring/v1 PodMonitorSpec (the fields used).
type dsPodMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		NamespaceSelector *struct {
			MatchNames []string `json:"matchNames"`
		} `json:"namespaceSelector,omitempty"`
		Selector            metav1.LabelSelector `json:"selector"`
		PodMetricsEndpoints []struct {
			Port        string `json:"port"`
			Path        string `json:"path,omitempty"`
			Interval    string `json:"interval,omitempty"`
			Relabelings []struct {
				Action string `json:"action,omitempty"`
				Regex  string `json:"regex,omitempty"`
			} `json:"relabelings,omitempty"`
		} `json:"podMetricsEndpoints"`
	} `json:"spec"`
}

func (m *dsPodMonitor) objectLabels() map[string]string { return m.Labels }
func (m *dsPodMonitor) validate() error {
	if len(m.Spec.Selector.MatchLabels) == 0 || len(m.Spec.PodMetricsEndpoints) == 0 || m.Spec.PodMetricsEndpoints[0].Port == "" {
		return fmt.Errorf("PodMonitor %s needs a selector and a named port", m.Name)
	}
	return nil
}

// CloudNativePG.
type cnpgCluster struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Instances             int      `json:"instances"`
		ImageName             string   `json:"imageName"`
		PrimaryUpdateStrategy string   `json:"primaryUpdateStrategy"`
		InheritedMetadata     *podMeta `json:"inheritedMetadata,omitempty"`
		EnablePDB             *bool    `json:"enablePDB"`
		Storage               struct {
			Size         string `json:"size"`
			StorageClass string `json:"storageClass"`
		} `json:"storage"`
		Resources corev1.ResourceRequirements `json:"resources"`
		Affinity  struct {
			EnablePodAntiAffinity *bool  `json:"enablePodAntiAffinity"`
			PodAntiAffinityType   string `json:"podAntiAffinityType"`
			TopologyKey           string `json:"topologyKey"`
		} `json:"affinity"`
		Bootstrap struct {
			InitDB *struct {
				Database string `json:"database"`
				Owner    string `json:"owner"`
			} `json:"initdb,omitempty"`
			Recovery *struct {
				Source         string `json:"source"`
				Database       string `json:"database"`
				Owner          string `json:"owner"`
				RecoveryTarget *struct {
					TargetTime string `json:"targetTime"`
				} `json:"recoveryTarget,omitempty"`
			} `json:"recovery,omitempty"`
		} `json:"bootstrap"`
		ExternalClusters []struct {
			Name   string `json:"name"`
			Plugin struct {
				Name       string            `json:"name"`
				Parameters map[string]string `json:"parameters"`
			} `json:"plugin"`
		} `json:"externalClusters,omitempty"`
		ServiceAccountTemplate *struct {
			Metadata struct {
				Annotations map[string]string `json:"annotations"`
			} `json:"metadata"`
		} `json:"serviceAccountTemplate,omitempty"`
		Plugins []struct {
			Name          string            `json:"name"`
			IsWALArchiver *bool             `json:"isWALArchiver"`
			Parameters    map[string]string `json:"parameters"`
		} `json:"plugins"`
	} `json:"spec"`
}

func (c *cnpgCluster) objectLabels() map[string]string { return c.Labels }
func (c *cnpgCluster) validate() error {
	if c.Spec.Instances < 1 || c.Spec.ImageName == "" || c.Spec.Resources.Requests == nil || c.Spec.Resources.Limits == nil {
		return fmt.Errorf("Cluster %s needs instances, an image, requests and limits", c.Name)
	}
	return nil
}

type objectStore struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		RetentionPolicy string `json:"retentionPolicy"`
		Configuration   struct {
			DestinationPath string `json:"destinationPath"`
			S3Credentials   struct {
				InheritFromIAMRole bool `json:"inheritFromIAMRole"`
			} `json:"s3Credentials"`
			WAL struct {
				Compression string `json:"compression"`
			} `json:"wal"`
			Data struct {
				Compression string `json:"compression"`
			} `json:"data"`
		} `json:"configuration"`
		InstanceSidecarConfiguration struct {
			Resources corev1.ResourceRequirements `json:"resources"`
		} `json:"instanceSidecarConfiguration"`
	} `json:"spec"`
}

func (o *objectStore) objectLabels() map[string]string { return o.Labels }

type scheduledBackup struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Schedule             string `json:"schedule"`
		Immediate            *bool  `json:"immediate"`
		BackupOwnerReference string `json:"backupOwnerReference"`
		Cluster              struct {
			Name string `json:"name"`
		} `json:"cluster"`
		Method              string `json:"method"`
		PluginConfiguration struct {
			Name string `json:"name"`
		} `json:"pluginConfiguration"`
	} `json:"spec"`
}

func (s *scheduledBackup) objectLabels() map[string]string { return s.Labels }

type pooler struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Cluster struct {
			Name string `json:"name"`
		} `json:"cluster"`
		Instances int    `json:"instances"`
		Type      string `json:"type"`
		PgBouncer struct {
			PoolMode   string            `json:"poolMode"`
			Parameters map[string]string `json:"parameters"`
		} `json:"pgbouncer"`
		Template corev1.PodTemplateSpec `json:"template"`
	} `json:"spec"`
}

func (p *pooler) objectLabels() map[string]string { return p.Labels }

// Spotahome redis-operator.
type redisFailover struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Auth struct {
			SecretPath string `json:"secretPath"`
		} `json:"auth"`
		Redis struct {
			Replicas       int32                       `json:"replicas"`
			Image          string                      `json:"image"`
			PodAnnotations map[string]string           `json:"podAnnotations"`
			Resources      corev1.ResourceRequirements `json:"resources"`
			Storage        struct {
				KeepAfterDeletion     bool `json:"keepAfterDeletion"`
				PersistentVolumeClaim struct {
					Metadata struct {
						Name string `json:"name"`
					} `json:"metadata"`
					Spec corev1.PersistentVolumeClaimSpec `json:"spec"`
				} `json:"persistentVolumeClaim"`
			} `json:"storage"`
			Exporter struct {
				Enabled   bool                         `json:"enabled"`
				Image     string                       `json:"image"`
				Resources *corev1.ResourceRequirements `json:"resources"`
			} `json:"exporter"`
			TopologySpreadConstraints []corev1.TopologySpreadConstraint `json:"topologySpreadConstraints"`
		} `json:"redis"`
		Sentinel struct {
			Replicas                  int32                             `json:"replicas"`
			Image                     string                            `json:"image"`
			PodAnnotations            map[string]string                 `json:"podAnnotations"`
			Resources                 corev1.ResourceRequirements       `json:"resources"`
			TopologySpreadConstraints []corev1.TopologySpreadConstraint `json:"topologySpreadConstraints"`
		} `json:"sentinel"`
	} `json:"spec"`
}

func (r *redisFailover) objectLabels() map[string]string { return r.Labels }

// Strimzi kafka.strimzi.io/v1.
type kafkaCR struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Kafka struct {
			Version   string `json:"version"`
			Listeners []struct {
				Name           string `json:"name"`
				Port           int    `json:"port"`
				Type           string `json:"type"`
				TLS            bool   `json:"tls"`
				Authentication struct {
					Type string `json:"type"`
				} `json:"authentication"`
				NetworkPolicyPeers []networkingv1.NetworkPolicyPeer `json:"networkPolicyPeers"`
			} `json:"listeners"`
			Authorization struct {
				Type string `json:"type"`
			} `json:"authorization"`
			Config        map[string]any `json:"config"`
			MetricsConfig struct {
				Type string `json:"type"`
			} `json:"metricsConfig"`
		} `json:"kafka"`
		EntityOperator struct {
			Template      strimziPodTemplate `json:"template"`
			TopicOperator struct {
				Resources corev1.ResourceRequirements `json:"resources"`
			} `json:"topicOperator"`
			UserOperator struct {
				Resources corev1.ResourceRequirements `json:"resources"`
			} `json:"userOperator"`
		} `json:"entityOperator"`
		KafkaExporter struct {
			Template   strimziPodTemplate          `json:"template"`
			TopicRegex string                      `json:"topicRegex"`
			GroupRegex string                      `json:"groupRegex"`
			Resources  corev1.ResourceRequirements `json:"resources"`
		} `json:"kafkaExporter"`
	} `json:"spec"`
}

// podMeta is the labels and annotations an operator copies onto the pods it creates
// (CloudNativePG inheritedMetadata, Strimzi template.pod.metadata).
type podMeta struct {
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// strimziPodTemplate is Strimzi's template of a component's pod, the part the chart sets.
type strimziPodTemplate struct {
	Pod struct {
		Metadata podMeta `json:"metadata"`
	} `json:"pod"`
}

func (k *kafkaCR) objectLabels() map[string]string { return k.Labels }

type kafkaNodePool struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Replicas int      `json:"replicas"`
		Roles    []string `json:"roles"`
		Storage  struct {
			Type    string `json:"type"`
			Volumes []struct {
				ID            int    `json:"id"`
				Type          string `json:"type"`
				Size          string `json:"size"`
				Class         string `json:"class"`
				DeleteClaim   bool   `json:"deleteClaim"`
				KRaftMetadata string `json:"kraftMetadata"`
			} `json:"volumes"`
		} `json:"storage"`
		Resources  corev1.ResourceRequirements `json:"resources"`
		JVMOptions map[string]string           `json:"jvmOptions"`
		Template   struct {
			Pod struct {
				Metadata                  podMeta                           `json:"metadata"`
				TopologySpreadConstraints []corev1.TopologySpreadConstraint `json:"topologySpreadConstraints"`
			} `json:"pod"`
		} `json:"template"`
	} `json:"spec"`
}

func (k *kafkaNodePool) objectLabels() map[string]string { return k.Labels }

type kafkaUser struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Authentication struct {
			Type string `json:"type"`
		} `json:"authentication"`
		Authorization struct {
			Type string `json:"type"`
			ACLs []struct {
				Resource struct {
					Type        string `json:"type"`
					Name        string `json:"name"`
					PatternType string `json:"patternType"`
				} `json:"resource"`
				Operations []string `json:"operations"`
			} `json:"acls"`
		} `json:"authorization"`
	} `json:"spec"`
}

func (k *kafkaUser) objectLabels() map[string]string { return k.Labels }

type kafkaTopic struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Partitions int `json:"partitions"`
		Replicas   int `json:"replicas"`
	} `json:"spec"`
}

func (k *kafkaTopic) objectLabels() map[string]string { return k.Labels }

func dsRes(cpu, mem string) map[string]any {
	return map[string]any{"cpu": cpu, "memory": mem}
}

func dsRL(reqCPU, reqMem, limCPU, limMem string) map[string]any {
	return map[string]any{"requests": dsRes(reqCPU, reqMem), "limits": dsRes(limCPU, limMem)}
}

func dsPGValues(pool int) map[string]any {
	return map[string]any{
		"name": "orders-db", "instances": 3, "imageName": "ghcr.io/cloudnative-pg/postgresql:18.6-standard-trixie",
		"database": "orders", "owner": "orders",
		"storage":   map[string]any{"size": "20Gi", "storageClass": "gp3"},
		"resources": dsRL("250m", "1Gi", "2", "2Gi"),
		"roleArn":   "arn:aws:iam::111122223333:role/eks-platform-prod-pg-orders-db",
		"backup": map[string]any{
			"destinationPath": "s3://eks-platform-prod-pg-backups-111122223333/orders/", "retentionPolicy": "30d",
			"schedule": "0 0 2 * * *", "sidecarResources": dsRL("20m", "64Mi", "500m", "256Mi"),
		},
		"pooler":  map[string]any{"instances": pool, "resources": dsRL("20m", "32Mi", "200m", "128Mi")},
		"network": map[string]any{"clientNamespaces": []any{"orders", "billing"}},
	}
}

func dsRedisValues() map[string]any {
	return map[string]any{
		"name": "cache",
		"redis": map[string]any{
			"replicas": 2, "image": "redis:7.2.5-alpine", "resources": dsRL("50m", "64Mi", "300m", "256Mi"),
			"storage":  map[string]any{"size": "1Gi", "storageClass": "gp3"},
			"exporter": map[string]any{"image": "quay.io/oliver006/redis_exporter:v1.43.0", "resources": dsRL("10m", "32Mi", "50m", "64Mi")},
		},
		"sentinel": map[string]any{"replicas": 3, "image": "redis:7.2.5-alpine", "resources": dsRL("20m", "32Mi", "100m", "64Mi")},
		"auth":     map[string]any{"secretName": "redis-cache-auth"},
		"network":  map[string]any{"clientNamespaces": []any{"orders"}},
	}
}

func dsKafkaValues(dedicated bool) map[string]any {
	broker := dsRL("200m", "1Gi", "1", "1Gi")
	pools := []any{map[string]any{"name": "combined", "roles": []any{"controller", "broker"}, "replicas": 1, "storage": "5Gi", "resources": broker, "heap": "512m"}}
	rf := 1
	if dedicated {
		pools = []any{
			map[string]any{"name": "controllers", "roles": []any{"controller"}, "replicas": 3, "storage": "5Gi", "resources": dsRL("100m", "512Mi", "500m", "512Mi"), "heap": "256m"},
			map[string]any{"name": "brokers", "roles": []any{"broker"}, "replicas": 3, "storage": "50Gi", "resources": broker, "heap": "512m"},
		}
		rf = 3
	}
	return map[string]any{
		"name": "events", "version": "4.3.1", "nodePools": pools, "storageClass": "gp3",
		"replicationFactor": rf, "minInsyncReplicas": max(1, rf-1), "authentication": "scram-sha-512",
		"users":  []any{map[string]any{"name": "orders-app", "prefix": "orders."}},
		"topics": []any{map[string]any{"name": "orders.created", "partitions": 6, "replicas": 0}},
		"entityOperator": map[string]any{
			"topicOperator": map[string]any{"resources": dsRL("50m", "192Mi", "500m", "256Mi")},
			"userOperator":  map[string]any{"resources": dsRL("50m", "192Mi", "500m", "256Mi")},
		},
		"kafkaExporter": map[string]any{"resources": dsRL("20m", "32Mi", "200m", "128Mi")},
		"network":       map[string]any{"clientNamespaces": []any{"orders"}},
	}
}

// fromNamespaces returns the namespaces a NetworkPolicy rule admits through a
// kubernetes.io/metadata.name selector (In or matchLabels).
func dsFromNamespaces(peers []networkingv1.NetworkPolicyPeer) []string {
	var out []string
	for _, p := range peers {
		if p.NamespaceSelector == nil {
			continue
		}
		if n, ok := p.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]; ok {
			out = append(out, n)
		}
		for _, e := range p.NamespaceSelector.MatchExpressions {
			if e.Key == "kubernetes.io/metadata.name" && e.Operator == metav1.LabelSelectorOpIn {
				out = append(out, e.Values...)
			}
		}
	}
	return out
}

func dsPorts(ps []networkingv1.NetworkPolicyPort) []int {
	var out []int
	for _, p := range ps {
		out = append(out, p.Port.IntValue())
	}
	return out
}

// spaced joins values with spaces, like fmt.Sprintln without the newline.
func dsSpaced(a ...any) string { return strings.TrimSuffix(fmt.Sprintln(a...), "\n") }

func dsQuantity(t *testing.T, r corev1.ResourceRequirements) string {
	t.Helper()
	return fmt.Sprintf("%s/%s %s/%s", r.Requests.Cpu(), r.Requests.Memory(), r.Limits.Cpu(), r.Limits.Memory())
}

func init() {
	registerMirror("monitoring.coreos.com/v1 PodMonitor", func() mirror { return &dsPodMonitor{} })
	registerMirror("postgresql.cnpg.io/v1 Cluster", func() mirror { return &cnpgCluster{} })
	registerMirror("postgresql.cnpg.io/v1 ScheduledBackup", func() mirror { return &scheduledBackup{} })
	registerMirror("postgresql.cnpg.io/v1 Pooler", func() mirror { return &pooler{} })
	registerMirror("barmancloud.cnpg.io/v1 ObjectStore", func() mirror { return &objectStore{} })
	registerMirror("databases.spotahome.com/v1 RedisFailover", func() mirror { return &redisFailover{} })
	registerMirror("kafka.strimzi.io/v1 Kafka", func() mirror { return &kafkaCR{} })
	registerMirror("kafka.strimzi.io/v1 KafkaNodePool", func() mirror { return &kafkaNodePool{} })
	registerMirror("kafka.strimzi.io/v1 KafkaUser", func() mirror { return &kafkaUser{} })
	registerMirror("kafka.strimzi.io/v1 KafkaTopic", func() mirror { return &kafkaTopic{} })

	registerCases(
		renderCase{
			name: "postgres-cluster with pooler", chart: charts.PostgresCluster, namespace: "orders",
			values: dsPGValues(2),
			kinds:  map[string]int{"Cluster": 1, "ObjectStore": 1, "ScheduledBackup": 1, "Pooler": 1, "PodDisruptionBudget": 1, "PodMonitor": 2, "NetworkPolicy": 2},
			check: func(t *testing.T, d *decoded) {
				c := get[*cnpgCluster](t, d, "Cluster", "orders-db")
				assertEq(t, "instances", c.Spec.Instances, 3)
				assertEq(t, "resources", dsQuantity(t, c.Spec.Resources), "250m/1Gi 2/2Gi")
				assertEq(t, "storage", c.Spec.Storage.Size+" "+c.Spec.Storage.StorageClass, "20Gi gp3")
				assertEq(t, "zone anti-affinity", c.Spec.Affinity.TopologyKey, "topology.kubernetes.io/zone")
				assertEq(t, "initdb", c.Spec.Bootstrap.InitDB.Database+"/"+c.Spec.Bootstrap.InitDB.Owner, "orders/orders")
				assertEq(t, "no origin", len(c.Spec.ExternalClusters), 0)
				assertEq(t, "IRSA annotation", c.Spec.ServiceAccountTemplate.Metadata.Annotations["eks.amazonaws.com/role-arn"], "arn:aws:iam::111122223333:role/eks-platform-prod-pg-orders-db")
				assertEq(t, "plugin", c.Spec.Plugins[0].Name, "barman-cloud.cloudnative-pg.io")
				assertEq(t, "WAL archiver", *c.Spec.Plugins[0].IsWALArchiver, true)
				assertEq(t, "object store", c.Spec.Plugins[0].Parameters, map[string]string{"barmanObjectName": "orders-db-backup"})

				o := get[*objectStore](t, d, "ObjectStore", "orders-db-backup")
				assertEq(t, "destination", o.Spec.Configuration.DestinationPath, "s3://eks-platform-prod-pg-backups-111122223333/orders/")
				assertEq(t, "IAM role credentials", o.Spec.Configuration.S3Credentials.InheritFromIAMRole, true)
				assertEq(t, "retention", o.Spec.RetentionPolicy, "30d")
				assertEq(t, "sidecar", dsQuantity(t, o.Spec.InstanceSidecarConfiguration.Resources), "20m/64Mi 500m/256Mi")

				s := get[*scheduledBackup](t, d, "ScheduledBackup", "orders-db-scheduled")
				assertEq(t, "schedule", s.Spec.Schedule, "0 0 2 * * *")
				assertEq(t, "method", s.Spec.Method+" "+s.Spec.PluginConfiguration.Name, "plugin barman-cloud.cloudnative-pg.io")
				assertEq(t, "backup of", s.Spec.Cluster.Name, "orders-db")

				p := get[*pooler](t, d, "Pooler", "orders-db-pooler-rw")
				assertEq(t, "pooler", dsSpaced(p.Spec.Instances, p.Spec.Type, p.Spec.PgBouncer.PoolMode), "2 rw transaction")
				assertEq(t, "pgbouncer resources", dsQuantity(t, p.Spec.Template.Spec.Containers[0].Resources), "20m/32Mi 200m/128Mi")
				assertEq(t, "pooler spread", p.Spec.Template.Spec.TopologySpreadConstraints[0].TopologyKey, "topology.kubernetes.io/zone")
				pdb := get[*k8sPDB](t, d, "PodDisruptionBudget", "orders-db-pooler-rw")
				assertEq(t, "pdb", pdb.Spec.MaxUnavailable.IntValue(), 1)

				np := get[*k8sNetworkPolicy](t, d, "NetworkPolicy", "orders-db")
				assertEq(t, "selects the cluster", np.Spec.PodSelector.MatchLabels, map[string]string{"cnpg.io/cluster": "orders-db"})
				in := np.Spec.Ingress
				assertEq(t, "clients", dsFromNamespaces(in[0].From), []string{"orders", "billing"})
				assertEq(t, "client ports", dsPorts(in[0].Ports), []int{5432, 8000})
				assertEq(t, "operator", dsFromNamespaces(in[1].From), []string{"cnpg-system"})
				assertEq(t, "prometheus", dsFromNamespaces(in[2].From), []string{"monitoring"})
				assertEq(t, "metrics only", dsPorts(in[2].Ports), []int{9187})
				assertEq(t, "rules", len(in), 3)

				pm := get[*dsPodMonitor](t, d, "PodMonitor", "orders-db")
				assertEq(t, "pod monitor", pm.Spec.Selector.MatchLabels, map[string]string{"cnpg.io/cluster": "orders-db", "cnpg.io/podRole": "instance"})
				assertEq(t, "metrics port", pm.Spec.PodMetricsEndpoints[0].Port, "metrics")
			},
		},
		renderCase{
			name: "postgres-cluster single, no pooler", chart: charts.PostgresCluster, namespace: "demo",
			values: func() map[string]any { v := dsPGValues(0); v["instances"] = 1; return v }(),
			kinds:  map[string]int{"Cluster": 1, "ObjectStore": 1, "ScheduledBackup": 1, "PodMonitor": 1, "NetworkPolicy": 1},
			check: func(t *testing.T, d *decoded) {
				assertEq(t, "instances", get[*cnpgCluster](t, d, "Cluster", "orders-db").Spec.Instances, 1)
			},
		},
		renderCase{
			name: "postgres-cluster restored to a point in time", chart: charts.PostgresCluster, namespace: "orders",
			values: func() map[string]any {
				v := dsPGValues(0)
				v["name"] = "orders-db-restore"
				v["restore"] = map[string]any{"from": "orders-db", "targetTime": "2026-11-29T09:30:00Z"}
				return v
			}(),
			kinds: map[string]int{"Cluster": 1, "ObjectStore": 2, "ScheduledBackup": 1, "PodMonitor": 1, "NetworkPolicy": 1},
			check: func(t *testing.T, d *decoded) {
				c := get[*cnpgCluster](t, d, "Cluster", "orders-db-restore")
				if c.Spec.Bootstrap.InitDB != nil || c.Spec.Bootstrap.Recovery == nil {
					t.Fatalf("bootstrap = %+v, want recovery only", c.Spec.Bootstrap)
				}
				r := c.Spec.Bootstrap.Recovery
				assertEq(t, "recovery", dsSpaced(r.Source, r.Database, r.Owner, r.RecoveryTarget.TargetTime), "origin orders orders 2026-11-29T09:30:00Z")
				e := c.Spec.ExternalClusters[0]
				assertEq(t, "origin", dsSpaced(e.Name, e.Plugin.Name), "origin barman-cloud.cloudnative-pg.io")
				assertEq(t, "origin store", e.Plugin.Parameters, map[string]string{"barmanObjectName": "orders-db-restore-origin", "serverName": "orders-db"})
				// The restored cluster archives to its own store.
				assertEq(t, "archiver", c.Spec.Plugins[0].Parameters["barmanObjectName"], "orders-db-restore-backup")
				o := get[*objectStore](t, d, "ObjectStore", "orders-db-restore-origin")
				assertEq(t, "origin path", o.Spec.Configuration.DestinationPath, "s3://eks-platform-prod-pg-backups-111122223333/orders/")
			},
		},
		renderCase{
			name: "redis-failover", chart: charts.RedisFailover, namespace: "orders",
			values: dsRedisValues(),
			kinds:  map[string]int{"Secret": 1, "RedisFailover": 1, "PodMonitor": 1, "NetworkPolicy": 1},
			check: func(t *testing.T, d *decoded) {
				s := d.secrets["redis-cache-auth"]
				if s == nil || len(s.Data["password"]) != 32 {
					t.Fatalf("password Secret missing or not 32 characters: %v", s)
				}
				assertEq(t, "kept on delete", s.Annotations["helm.sh/resource-policy"], "keep")
				r := get[*redisFailover](t, d, "RedisFailover", "cache")
				assertEq(t, "auth", r.Spec.Auth.SecretPath, "redis-cache-auth")
				assertEq(t, "replicas", dsSpaced(r.Spec.Redis.Replicas, r.Spec.Sentinel.Replicas), "2 3")
				assertEq(t, "redis resources", dsQuantity(t, r.Spec.Redis.Resources), "50m/64Mi 300m/256Mi")
				assertEq(t, "sentinel resources", dsQuantity(t, r.Spec.Sentinel.Resources), "20m/32Mi 100m/64Mi")
				assertEq(t, "exporter", r.Spec.Redis.Exporter.Enabled, true)
				assertEq(t, "exporter resources", dsQuantity(t, *r.Spec.Redis.Exporter.Resources), "10m/32Mi 50m/64Mi")
				assertEq(t, "storage", r.Spec.Redis.Storage.PersistentVolumeClaim.Spec.Resources.Requests.Storage().String(), "1Gi")
				assertEq(t, "storage kept", r.Spec.Redis.Storage.KeepAfterDeletion, true)
				assertEq(t, "zone spread", r.Spec.Sentinel.TopologySpreadConstraints[0].TopologyKey, "topology.kubernetes.io/zone")
				np := get[*k8sNetworkPolicy](t, d, "NetworkPolicy", "redis-cache")
				assertEq(t, "clients and operator", dsFromNamespaces(np.Spec.Ingress[0].From), []string{"orders", "redis-operator"})
				assertEq(t, "redis and sentinel ports", dsPorts(np.Spec.Ingress[0].Ports), []int{6379, 26379})
				assertEq(t, "prometheus", dsFromNamespaces(np.Spec.Ingress[1].From), []string{"monitoring"})
				assertEq(t, "exporter port", dsPorts(np.Spec.Ingress[1].Ports), []int{9121})
				pm := get[*dsPodMonitor](t, d, "PodMonitor", "redis-cache")
				assertEq(t, "redis pods", pm.Spec.Selector.MatchLabels["app.kubernetes.io/component"], "redis")
			},
		},
		renderCase{
			name: "kafka-cluster combined (dev)", chart: charts.KafkaCluster, namespace: "demo",
			values: dsKafkaValues(false),
			kinds:  map[string]int{"Kafka": 1, "KafkaNodePool": 1, "KafkaUser": 1, "KafkaTopic": 1, "PodMonitor": 1},
			check: func(t *testing.T, d *decoded) {
				p := get[*kafkaNodePool](t, d, "KafkaNodePool", "combined")
				assertEq(t, "roles", p.Spec.Roles, []string{"controller", "broker"})
				assertEq(t, "replicas", p.Spec.Replicas, 1)
				assertEq(t, "cluster label", p.Labels["strimzi.io/cluster"], "events")
				k := get[*kafkaCR](t, d, "Kafka", "events")
				assertEq(t, "replication", dsSpaced(k.Spec.Kafka.Config["default.replication.factor"], k.Spec.Kafka.Config["min.insync.replicas"]), "1 1")
				assertEq(t, "topic replicas default to the cluster's", get[*kafkaTopic](t, d, "KafkaTopic", "orders.created").Spec.Replicas, 1)
			},
		},
		renderCase{
			name: "kafka-cluster dedicated (prod)", chart: charts.KafkaCluster, namespace: "orders",
			values: dsKafkaValues(true),
			kinds:  map[string]int{"Kafka": 1, "KafkaNodePool": 2, "KafkaUser": 1, "KafkaTopic": 1, "PodMonitor": 1},
			check: func(t *testing.T, d *decoded) {
				c := get[*kafkaNodePool](t, d, "KafkaNodePool", "controllers")
				b := get[*kafkaNodePool](t, d, "KafkaNodePool", "brokers")
				assertEq(t, "controllers", dsSpaced(c.Spec.Roles, c.Spec.Replicas), "[controller] 3")
				assertEq(t, "brokers", dsSpaced(b.Spec.Roles, b.Spec.Replicas), "[broker] 3")
				assertEq(t, "broker resources", dsQuantity(t, b.Spec.Resources), "200m/1Gi 1/1Gi")
				assertEq(t, "heap", b.Spec.JVMOptions, map[string]string{"-Xms": "512m", "-Xmx": "512m"})
				v := b.Spec.Storage.Volumes[0]
				assertEq(t, "volume", dsSpaced(v.Type, v.Size, v.Class, v.DeleteClaim, v.KRaftMetadata), "persistent-claim 50Gi gp3 false shared")
				assertEq(t, "spread", b.Spec.Template.Pod.TopologySpreadConstraints[0].TopologyKey, "topology.kubernetes.io/zone")

				k := get[*kafkaCR](t, d, "Kafka", "events")
				l := k.Spec.Kafka.Listeners
				assertEq(t, "one TLS listener", dsSpaced(len(l), l[0].Port, l[0].TLS, l[0].Authentication.Type), "1 9093 true scram-sha-512")
				assertEq(t, "listener peers", dsFromNamespaces(l[0].NetworkPolicyPeers), []string{"orders"})
				assertEq(t, "authorization", k.Spec.Kafka.Authorization.Type, "simple")
				assertEq(t, "rf", dsSpaced(k.Spec.Kafka.Config["default.replication.factor"], k.Spec.Kafka.Config["offsets.topic.replication.factor"], k.Spec.Kafka.Config["min.insync.replicas"]), "3 3 2")
				assertEq(t, "no auto-created topics", k.Spec.Kafka.Config["auto.create.topics.enable"], any(false))
				assertEq(t, "metrics", k.Spec.Kafka.MetricsConfig.Type, "strimziMetricsReporter")
				assertEq(t, "exporter", dsQuantity(t, k.Spec.KafkaExporter.Resources), "20m/32Mi 200m/128Mi")
				assertEq(t, "user operator", dsQuantity(t, k.Spec.EntityOperator.UserOperator.Resources), "50m/192Mi 500m/256Mi")

				u := get[*kafkaUser](t, d, "KafkaUser", "orders-app")
				assertEq(t, "user auth", u.Spec.Authentication.Type, "scram-sha-512")
				acl := u.Spec.Authorization.ACLs
				assertEq(t, "topic acl", dsSpaced(acl[0].Resource.Type, acl[0].Resource.Name, acl[0].Resource.PatternType, acl[0].Operations), "topic orders. prefix [Describe Read Write Create]")
				assertEq(t, "group acl", dsSpaced(acl[1].Resource.Type, acl[1].Resource.Name, acl[1].Operations), "group orders. [Describe Read]")
				assertEq(t, "topic", get[*kafkaTopic](t, d, "KafkaTopic", "orders.created").Spec.Replicas, 3)
				pm := get[*dsPodMonitor](t, d, "PodMonitor", "kafka-events")
				assertEq(t, "kafka metrics port", pm.Spec.PodMetricsEndpoints[0].Port, "tcp-prometheus")
			},
		},
		renderCase{
			name: "data-namespaces", chart: charts.DataNamespaces, namespace: "cnpg-system",
			values: map[string]any{"namespaces": []any{"orders", "billing"}},
			kinds:  map[string]int{"Namespace": 2},
			check: func(t *testing.T, d *decoded) {
				ns := get[*k8sNamespace](t, d, "Namespace", "billing")
				assertEq(t, "kept", ns.Annotations["helm.sh/resource-policy"], "keep")
			},
		},
		renderCase{
			name: "data-monitoring", chart: charts.DataMonitoring, namespace: "cnpg-system",
			values: map[string]any{"label": "grafana_dashboard", "strimziNamespace": "strimzi"},
			kinds:  map[string]int{"ConfigMap": 1, "PodMonitor": 1},
			check: func(t *testing.T, d *decoded) {
				op := get[*dsPodMonitor](t, d, "PodMonitor", "strimzi-cluster-operator")
				assertEq(t, "operator pods", op.Spec.Selector.MatchLabels, map[string]string{"strimzi.io/kind": "cluster-operator"})
				assertEq(t, "operator port", op.Spec.PodMetricsEndpoints[0].Port, "http")
				cm := get[*k8sConfigMap](t, d, "ConfigMap", "redis-failover-dashboard")
				assertEq(t, "sidecar label", cm.Labels["grafana_dashboard"], "1")
				var dash struct {
					Title  string `json:"title"`
					UID    string `json:"uid"`
					Panels []struct {
						Title   string `json:"title"`
						Targets []struct {
							Expr string `json:"expr"`
						} `json:"targets"`
					} `json:"panels"`
				}
				if err := json.Unmarshal([]byte(cm.Data["redis-failover.json"]), &dash); err != nil {
					t.Fatalf("dashboard JSON: %v", err)
				}
				if dash.UID == "" || len(dash.Panels) < 5 {
					t.Fatalf("dashboard %q has uid %q and %d panels", dash.Title, dash.UID, len(dash.Panels))
				}
				for _, p := range dash.Panels {
					if len(p.Targets) == 0 || !strings.Contains(p.Targets[0].Expr, "redis_") {
						t.Errorf("panel %q does not query redis_exporter metrics", p.Title)
					}
				}
			},
		},
	)
}

// TestDataChartsRefuseBadValues: the charts fail the render, naming the value, rather than
// install a broken instance.
func TestDataChartsRefuseBadValues(t *testing.T) {
	with := func(v map[string]any, key string, val any) map[string]any {
		v[key] = val
		return v
	}
	cases := []struct {
		name, chart string
		values      map[string]any
		want        string
	}{
		{"pg without name", charts.PostgresCluster, with(dsPGValues(0), "name", ""), "name is required"},
		{"pg bad name", charts.PostgresCluster, with(dsPGValues(0), "name", "Orders_DB"), "must be a DNS label"},
		{"pg without image", charts.PostgresCluster, with(dsPGValues(0), "imageName", ""), "imageName is required"},
		{"pg without resources", charts.PostgresCluster, with(dsPGValues(0), "resources", map[string]any{}), "resources.requests is required"},
		{"pg destination not s3", charts.PostgresCluster, with(dsPGValues(0), "backup", map[string]any{"destinationPath": "https://x"}), "must start with s3://"},
		{"pg no clients", charts.PostgresCluster, with(dsPGValues(0), "network", map[string]any{"clientNamespaces": []any{}}), "network.clientNamespaces is required"},
		{"redis even sentinels", charts.RedisFailover, func() map[string]any {
			v := dsRedisValues()
			v["sentinel"].(map[string]any)["replicas"] = 2
			return v
		}(), "sentinel.replicas must be odd"},
		{"redis without secret", charts.RedisFailover, with(dsRedisValues(), "auth", map[string]any{"secretName": ""}), "auth.secretName is required"},
		{"kafka rf above brokers", charts.KafkaCluster, with(dsKafkaValues(false), "replicationFactor", 3), "replicationFactor 3 is above the number of brokers (1)"},
		{"kafka no controller", charts.KafkaCluster, with(dsKafkaValues(false), "nodePools",
			[]any{map[string]any{"name": "b", "roles": []any{"broker"}, "replicas": 3, "storage": "5Gi", "resources": dsRL("1", "1Gi", "1", "1Gi"), "heap": "512m"}}),
			"at least one broker and one controller"},
		{"kafka plain auth", charts.KafkaCluster, with(dsKafkaValues(false), "authentication", "plain"), "authentication must be scram-sha-512 or tls"},
		{"namespace not a label", charts.DataNamespaces, map[string]any{"namespaces": []any{"Orders"}}, "is not a DNS label"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := render.Render(charts.Path(tc.chart), tc.values, "test")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestPoolerPDBNeedsTwoPods: a PodDisruptionBudget over a single pooler pod would block every
// node drain, so the chart adds one only from two pods on.
func TestPoolerPDBNeedsTwoPods(t *testing.T) {
	for pods, want := range map[int]bool{1: false, 2: true} {
		objs, err := render.Render(charts.Path(charts.PostgresCluster), dsPGValues(pods), "orders")
		if err != nil {
			t.Fatal(err)
		}
		if got := len(render.Find(objs, "PodDisruptionBudget", "")) == 1; got != want {
			t.Errorf("pooler of %d pods: PodDisruptionBudget %v, want %v", pods, got, want)
		}
	}
}

// TestDataPodsStayOutOfMesh: every pod the data operators create from the instance charts
// carries sidecar.istio.io/inject: "false" (label where the CRD allows pod labels, the
// annotation for RedisFailover), so an instance in a meshed namespace (serviceMesh.namespaces)
// keeps PostgreSQL replication, Sentinel and Kafka's own TLS working; meshed clients reach it
// through Istio's automatic plaintext to pods without a sidecar.
func TestDataPodsStayOutOfMesh(t *testing.T) {
	const key = "sidecar.istio.io/inject"
	checked := 0
	for _, tc := range renderCases() {
		if tc.chart != charts.PostgresCluster && tc.chart != charts.RedisFailover && tc.chart != charts.KafkaCluster {
			continue
		}
		objs, err := render.Render(charts.Path(tc.chart), tc.values, tc.namespace)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		d := decodeAll(t, objs)
		for _, o := range d.other {
			var got map[string]string
			var what string
			switch m := o.(type) {
			case *cnpgCluster:
				what, got = "Cluster "+m.Name, nil
				if m.Spec.InheritedMetadata != nil {
					got = m.Spec.InheritedMetadata.Labels
				}
			case *pooler:
				what, got = "Pooler "+m.Name, m.Spec.Template.Labels
			case *redisFailover:
				what, got = "RedisFailover "+m.Name+" sentinel", m.Spec.Sentinel.PodAnnotations
				if m.Spec.Redis.PodAnnotations[key] != "false" {
					t.Errorf("%s: RedisFailover %s redis pods lack %s: false", tc.name, m.Name, key)
				}
			case *kafkaNodePool:
				what, got = "KafkaNodePool "+m.Name, m.Spec.Template.Pod.Metadata.Labels
			case *kafkaCR:
				what, got = "Kafka "+m.Name+" entity operator", m.Spec.EntityOperator.Template.Pod.Metadata.Labels
				if m.Spec.KafkaExporter.Template.Pod.Metadata.Labels[key] != "false" {
					t.Errorf("%s: Kafka %s exporter lacks %s: false", tc.name, m.Name, key)
				}
			default:
				continue
			}
			checked++
			if got[key] != "false" {
				t.Errorf("%s: %s pods lack %s: \"false\" (got %v)", tc.name, what, key, got)
			}
		}
	}
	if checked < 5 {
		t.Errorf("checked %d pod-creating objects; the instance charts have Cluster, Pooler, RedisFailover, Kafka and KafkaNodePool", checked)
	}
}
