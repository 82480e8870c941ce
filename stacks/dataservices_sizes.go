package stacks

import (
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
)

// Footprints of the data services. Instance sizes (config.DataSizes) map to requests and limits
// per engine here, in one place, so that the capacity check and the deployed pods agree. Limits
// stay at or below 2 CPU and 8Gi: one t3.large.

func dsRes(cpu, mem string) capacity.Resources { return capacity.Resources{CPU: cpu, Memory: mem} }

// pgSizes: one PostgreSQL instance pod (the postgres container).
var pgSizes = map[string][2]capacity.Resources{
	config.SizeSmall:  {dsRes("100m", "256Mi"), dsRes("1", "512Mi")},
	config.SizeMedium: {dsRes("250m", "1Gi"), dsRes("2", "2Gi")},
	config.SizeLarge:  {dsRes("1", "4Gi"), dsRes("2", "6Gi")},
}

// redisSizes: one Redis container (maxmemory is left to Redis; the limit bounds it).
var redisSizes = map[string][2]capacity.Resources{
	config.SizeSmall:  {dsRes("50m", "64Mi"), dsRes("300m", "256Mi")},
	config.SizeMedium: {dsRes("100m", "512Mi"), dsRes("500m", "1Gi")},
	config.SizeLarge:  {dsRes("250m", "2Gi"), dsRes("1", "3Gi")},
}

// kafkaSize is a broker (or combined node) and a dedicated controller, each with its heap.
type kafkaSize struct {
	broker, controller      [2]capacity.Resources
	brokerHeap, controlHeap string
}

var kafkaSizes = map[string]kafkaSize{
	config.SizeSmall:  {[2]capacity.Resources{dsRes("200m", "1Gi"), dsRes("1", "1Gi")}, [2]capacity.Resources{dsRes("100m", "512Mi"), dsRes("500m", "512Mi")}, "512m", "256m"},
	config.SizeMedium: {[2]capacity.Resources{dsRes("500m", "2Gi"), dsRes("2", "2Gi")}, [2]capacity.Resources{dsRes("200m", "768Mi"), dsRes("1", "768Mi")}, "1g", "384m"},
	config.SizeLarge:  {[2]capacity.Resources{dsRes("1", "4Gi"), dsRes("2", "4Gi")}, [2]capacity.Resources{dsRes("250m", "1Gi"), dsRes("1", "1Gi")}, "2g", "512m"},
}

// Side containers and helpers, the same for every size.
var (
	barmanSidecar  = [2]capacity.Resources{dsRes("20m", "64Mi"), dsRes("500m", "256Mi")}
	pgbouncer      = [2]capacity.Resources{dsRes("20m", "32Mi"), dsRes("200m", "128Mi")}
	redisExporter  = [2]capacity.Resources{dsRes("10m", "32Mi"), dsRes("50m", "64Mi")}
	sentinel       = [2]capacity.Resources{dsRes("20m", "32Mi"), dsRes("100m", "64Mi")}
	topicOperator  = [2]capacity.Resources{dsRes("50m", "192Mi"), dsRes("500m", "256Mi")}
	userOperator   = [2]capacity.Resources{dsRes("50m", "192Mi"), dsRes("500m", "256Mi")}
	kafkaExporter  = [2]capacity.Resources{dsRes("20m", "32Mi"), dsRes("200m", "128Mi")}
	cnpgOperator   = [2]capacity.Resources{dsRes("50m", "100Mi"), dsRes("500m", "512Mi")}
	barmanPlugin   = [2]capacity.Resources{dsRes("20m", "64Mi"), dsRes("200m", "256Mi")}
	redisOperator  = [2]capacity.Resources{dsRes("20m", "48Mi"), dsRes("100m", "128Mi")}
	strimziOperatr = [2]capacity.Resources{dsRes("100m", "384Mi"), dsRes("1", "384Mi")}
)

// dsFootprint is a footprint of replicas pods with requests and limits rl.
func dsFootprint(component string, replicas int, rl [2]capacity.Resources) capacity.Footprint {
	return capacity.Footprint{Component: component, Replicas: replicas, Requests: rl[0], Limits: rl[1]}
}

// dsPod adds per-container resources into one pod's footprint (the capacity model counts pods;
// a pod's requests are the sum of its containers').
func dsPod(component string, replicas int, parts ...[2]capacity.Resources) capacity.Footprint {
	cs := make([]capacity.Footprint, len(parts))
	for i, p := range parts {
		cs[i] = capacity.Footprint{Requests: p[0], Limits: p[1]}
	}
	return capacity.Pod(component, replicas, cs...)
}

// values renders container resources for a chart.
func dsResources(rl [2]capacity.Resources) map[string]any {
	return map[string]any{"requests": rl[0].Values(), "limits": rl[1].Values()}
}
