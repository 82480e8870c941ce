package stacks

import (
	"strconv"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
)

// Footprints of the data services. Instance sizes (config.DataSizes) map to requests and limits
// per engine here, in one place, so that the capacity check and the deployed pods agree. Limits
// stay at or below 2 CPU and 8Gi: one t3.large.

func res(cpu, mem string) capacity.Resources { return capacity.Resources{CPU: cpu, Memory: mem} }

// pgSizes: one PostgreSQL instance pod (the postgres container).
var pgSizes = map[string][2]capacity.Resources{
	config.SizeSmall:  {res("100m", "256Mi"), res("1", "512Mi")},
	config.SizeMedium: {res("250m", "1Gi"), res("2", "2Gi")},
	config.SizeLarge:  {res("1", "4Gi"), res("2", "6Gi")},
}

// redisSizes: one Redis container (maxmemory is left to Redis; the limit bounds it).
var redisSizes = map[string][2]capacity.Resources{
	config.SizeSmall:  {res("50m", "64Mi"), res("300m", "256Mi")},
	config.SizeMedium: {res("100m", "512Mi"), res("500m", "1Gi")},
	config.SizeLarge:  {res("250m", "2Gi"), res("1", "3Gi")},
}

// kafkaSize is a broker (or combined node) and a dedicated controller, each with its heap.
type kafkaSize struct {
	broker, controller      [2]capacity.Resources
	brokerHeap, controlHeap string
}

var kafkaSizes = map[string]kafkaSize{
	config.SizeSmall:  {[2]capacity.Resources{res("200m", "1Gi"), res("1", "1Gi")}, [2]capacity.Resources{res("100m", "512Mi"), res("500m", "512Mi")}, "512m", "256m"},
	config.SizeMedium: {[2]capacity.Resources{res("500m", "2Gi"), res("2", "2Gi")}, [2]capacity.Resources{res("200m", "768Mi"), res("1", "768Mi")}, "1g", "384m"},
	config.SizeLarge:  {[2]capacity.Resources{res("1", "4Gi"), res("2", "4Gi")}, [2]capacity.Resources{res("250m", "1Gi"), res("1", "1Gi")}, "2g", "512m"},
}

// Side containers and helpers, the same for every size.
var (
	barmanSidecar  = [2]capacity.Resources{res("20m", "64Mi"), res("500m", "256Mi")}
	pgbouncer      = [2]capacity.Resources{res("20m", "32Mi"), res("200m", "128Mi")}
	redisExporter  = [2]capacity.Resources{res("10m", "32Mi"), res("50m", "64Mi")}
	sentinel       = [2]capacity.Resources{res("20m", "32Mi"), res("100m", "64Mi")}
	topicOperator  = [2]capacity.Resources{res("50m", "192Mi"), res("500m", "256Mi")}
	userOperator   = [2]capacity.Resources{res("50m", "192Mi"), res("500m", "256Mi")}
	kafkaExporter  = [2]capacity.Resources{res("20m", "32Mi"), res("200m", "128Mi")}
	cnpgOperator   = [2]capacity.Resources{res("50m", "100Mi"), res("500m", "512Mi")}
	barmanPlugin   = [2]capacity.Resources{res("20m", "64Mi"), res("200m", "256Mi")}
	redisOperator  = [2]capacity.Resources{res("20m", "48Mi"), res("100m", "128Mi")}
	strimziOperatr = [2]capacity.Resources{res("100m", "384Mi"), res("1", "384Mi")}
)

// fp is a footprint of replicas pods with requests and limits rl.
func fp(component string, replicas int, rl [2]capacity.Resources) capacity.Footprint {
	return capacity.Footprint{Component: component, Replicas: replicas, Requests: rl[0], Limits: rl[1]}
}

// sum adds per-container resources into one pod's footprint (the capacity model counts pods;
// a pod's requests are the sum of its containers').
func sum(component string, replicas int, parts ...[2]capacity.Resources) capacity.Footprint {
	var req, lim [2]int64
	for _, p := range parts {
		req[0] += mustCPU(p[0].CPU)
		req[1] += mustMiB(p[0].Memory)
		lim[0] += mustCPU(p[1].CPU)
		lim[1] += mustMiB(p[1].Memory)
	}
	return capacity.Footprint{Component: component, Replicas: replicas,
		Requests: res(milli(req[0]), mib(req[1])), Limits: res(milli(lim[0]), mib(lim[1]))}
}

func mustCPU(s string) int64 {
	n, err := config.ParseCPU(s)
	if err != nil {
		panic(err)
	}
	return n
}

func mustMiB(s string) int64 {
	n, err := config.ParseMemory(s)
	if err != nil {
		panic(err)
	}
	return n >> 20
}

func milli(n int64) string { return strconv.FormatInt(n, 10) + "m" }
func mib(n int64) string   { return strconv.FormatInt(n, 10) + "Mi" }

// values renders container resources for a chart.
func values(rl [2]capacity.Resources) map[string]any {
	return map[string]any{"requests": rl[0].Values(), "limits": rl[1].Values()}
}
