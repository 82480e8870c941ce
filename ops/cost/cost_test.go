package cost

import (
	"math"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/ops/model"
)

func TestCommittedTable(t *testing.T) {
	tbl, err := Prices()
	if err != nil {
		t.Fatal(err)
	}
	if tbl.Region != "us-east-1" || tbl.HoursPerMonth != 730 {
		t.Errorf("table region %s, %v h/month", tbl.Region, tbl.HoursPerMonth)
	}
	// Every instance type the capacity model knows at the brief's default has a price.
	if _, ok := tbl.Instances["t3.large"]; !ok {
		t.Error("no t3.large price")
	}
	for k, p := range tbl.all() {
		if !strings.HasPrefix(k, "instances.") && !strings.HasPrefix(p.Source, "https://aws.amazon.com/") {
			t.Errorf("%s: source %q is not an AWS pricing page", k, p.Source)
		}
	}
}

func TestParseTableRejects(t *testing.T) {
	good := string(pricesYAML)
	for name, doc := range map[string]string{
		"missing price":          strings.Replace(good, "kms_key_month:", "kms_key_monthly:", 1),
		"unknown status":         strings.Replace(good, "status: official", "status: trusted", 1),
		"secondary without seen": strings.Replace(good, "    seen: [https://clustercost.com/blog/network-load-balancer-pricing-2025]\n", "", 1),
		"unknown key":            good + "extra: 1\n",
		"spot fraction":          strings.Replace(good, "spotFraction: 0.30", "spotFraction: 1.5", 1),
	} {
		if doc == good {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		if _, err := ParseTable([]byte(doc)); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func fp(w string, replicas int, cpu, mem string) capacity.Footprint {
	return capacity.Footprint{Workflow: w, Component: w, Replicas: replicas,
		Requests: capacity.Resources{CPU: cpu, Memory: mem}, Limits: capacity.Resources{CPU: "1", Memory: "1Gi"}}
}

func testModel() *model.Model {
	return &model.Model{
		Env: "dev", Region: "us-east-1",
		Nodes:    config.NodeGroup{InstanceTypes: []string{"t3.large"}, CapacityType: "SPOT", MinSize: 3, MaxSize: 10, DiskSizeGiB: 50, MaxPods: 110},
		Services: config.ServiceDefaults{CPURequest: "100m", CPULimit: "300m", MemoryRequest: "256Mi", MemoryLimit: "512Mi", Replicas: 3},
		Stacks: []model.Stack{
			{ID: "foundation", Resources: map[string]int{"aws_eks_cluster": 1, "aws_nat_gateway": 3, "aws_eip": 3, "aws_kms_key": 1},
				LogGroups: []model.LogGroup{{Name: "/aws/vpc/x-flow-logs", RetentionDays: 30}}},
			{ID: "observability", DependsOn: []string{"foundation"}, Resources: map[string]int{},
				Buckets: []model.Bucket{{Name: "b", Component: "loki", ExpirationDays: 30}},
				Volumes: []model.Volume{{Release: "prom", SizeGiB: 20, Count: 2}}, LoadBalancers: []model.LoadBalancer{{Release: "x", Scheme: "internal"}}},
		},
		Footprints: []capacity.Footprint{fp("foundation", 2, "500m", "1Gi"), fp("observability", 1, "1", "2Gi")},
	}
}

func find(e *Estimate, workflow, item string) Item {
	for _, i := range e.Items {
		if i.Workflow == workflow && strings.HasPrefix(i.Item, item) {
			return i
		}
	}
	return Item{}
}

func TestCompute(t *testing.T) {
	tbl, err := Prices()
	if err != nil {
		t.Fatal(err)
	}
	e, err := Compute(testModel(), tbl)
	if err != nil {
		t.Fatal(err)
	}
	h := tbl.HoursPerMonth
	checks := []struct {
		workflow, item string
		want           float64
	}{
		{"foundation", "EKS control plane", tbl.usd("eks_cluster_hour") * h},
		{"foundation", "NAT gateways (hours)", 3 * tbl.usd("nat_gateway_hour") * h},
		{"foundation", "NAT gateways (data", 3 * tbl.Assumptions.NATGBPerGatewayMonth * tbl.usd("nat_gateway_gb")},
		{"foundation", "public IPv4", 3 * tbl.usd("public_ipv4_hour") * h},
		{"foundation", "KMS keys", tbl.usd("kms_key_month")},
		{"foundation", "CloudWatch logs", 5*tbl.usd("cloudwatch_logs_ingest_gb") + 5*1*tbl.usd("cloudwatch_logs_storage_gb_month")},
		{"observability", "S3 loki", 1 * 30 * tbl.usd("s3_standard_gb_month")},
		{"observability", "persistent volumes", 40 * tbl.usd("ebs_gp3_gb_month")},
		{"observability", "NLB (LoadBalancer", tbl.usd("nlb_hour") * h},
	}
	for _, c := range checks {
		got := find(e, c.workflow, c.item)
		if math.Abs(got.Monthly-c.want) > 0.006 {
			t.Errorf("%s %s = %.2f, want %.2f", c.workflow, c.item, got.Monthly, c.want)
		}
	}
	// Node shares follow requests: observability asks 1000m/2Gi, foundation 1000m/2Gi as well.
	fn, ob := find(e, "foundation", "nodes"), find(e, "observability", "nodes")
	if fn.Monthly == 0 || math.Abs(fn.Monthly-ob.Monthly) > 0.01 {
		t.Errorf("node shares foundation %.2f, observability %.2f: want equal and positive", fn.Monthly, ob.Monthly)
	}
	nodes := 3 * tbl.Instances["t3.large"].USD * h
	if got := find(e, "foundation", "nodes").Spot; math.Abs(got-fn.Monthly*tbl.Assumptions.SpotFraction) > 0.02 {
		t.Errorf("spot share %.2f, want %.2f", got, fn.Monthly*tbl.Assumptions.SpotFraction)
	}
	// Node cost is fully accounted for: shares plus unrequested capacity make the whole bill.
	var shares float64
	for _, i := range e.Items {
		if strings.HasPrefix(i.Item, "node") {
			shares += i.Monthly
		}
	}
	root := 3 * 50 * tbl.usd("ebs_gp3_gb_month")
	if math.Abs(shares+e.Services.Headroom-(nodes+root)) > 0.05 {
		t.Errorf("node lines %.2f + unrequested %.2f != nodes %.2f", shares, e.Services.Headroom, nodes+root)
	}
	if e.Services.PerService <= 0 || e.Services.Fit <= 0 || e.Label != Label {
		t.Errorf("microservices share %+v", e.Services)
	}
	if len(e.ByWorkflow) != 2 || e.Total.Monthly <= e.ByWorkflow[0].Monthly {
		t.Errorf("totals %+v %+v", e.ByWorkflow, e.Total)
	}
}

func TestComputeUnknownInstanceType(t *testing.T) {
	tbl, _ := Prices()
	m := testModel()
	m.Nodes.InstanceTypes = []string{"c6i.large"}
	if _, err := Compute(m, tbl); err == nil || !strings.Contains(err.Error(), `no price for instance type "c6i.large"`) {
		t.Errorf("unknown instance type: %v", err)
	}
}
