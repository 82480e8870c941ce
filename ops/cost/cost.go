// Package cost estimates the monthly AWS cost of one environment from the synthesized stacks,
// the capacity ledger and a committed price table (prices.yaml: us-east-1, each price with its
// source, date and how it was checked). It is an estimate: usage-driven items (NAT data, log
// ingestion, bucket growth, load balancer capacity units) rest on stated assumptions.
package cost

import (
	_ "embed"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/ops/model"
)

//go:embed prices.yaml
var pricesYAML []byte

// Price is one entry of the price table.
type Price struct {
	USD    float64  `yaml:"usd" json:"usd"`
	Unit   string   `yaml:"unit" json:"unit"`
	Source string   `yaml:"source" json:"source"`
	Status string   `yaml:"status" json:"status"`
	Seen   []string `yaml:"seen" json:"seen,omitempty"`
}

// Match is a usage assumption selected by a substring ("" matches everything).
type Match struct {
	Match string  `yaml:"match"`
	GB    float64 `yaml:"gb"`
}

// Table is prices.yaml.
type Table struct {
	Region         string           `yaml:"region"`
	Checked        string           `yaml:"checked"`
	HoursPerMonth  float64          `yaml:"hoursPerMonth"`
	Prices         map[string]Price `yaml:"prices"`
	Instances      map[string]Price `yaml:"instances"`
	InstanceSource string           `yaml:"instanceSource"`
	Assumptions    struct {
		SpotFraction         float64 `yaml:"spotFraction"`
		NATGBPerGatewayMonth float64 `yaml:"natGBPerGatewayMonth"`
		NLBLCU               float64 `yaml:"nlbLCU"`
		LogGBPerMonth        []Match `yaml:"logGBPerMonth"`
		S3GBPerDay           []Match `yaml:"s3GBPerDay"`
		KeepForeverDays      int     `yaml:"keepForeverDays"`
	} `yaml:"assumptions"`
}

// Statuses a price may have.
var Statuses = []string{"official", "secondary", "unverified"}

// Prices is the committed table, decoded strictly.
func Prices() (*Table, error) { return ParseTable(pricesYAML) }

// ParseTable decodes and checks a price table.
func ParseTable(data []byte) (*Table, error) {
	var t Table
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("prices.yaml: %w", err)
	}
	for _, k := range requiredPrices {
		if _, ok := t.Prices[k]; !ok {
			return nil, fmt.Errorf("prices.yaml: prices.%s is missing", k)
		}
	}
	for k, p := range t.all() {
		if p.USD <= 0 || !slices.Contains(Statuses, p.Status) || (p.Status == "secondary" && len(p.Seen) == 0) {
			return nil, fmt.Errorf("prices.yaml: %s needs usd > 0, a status in %v and, when secondary, the pages it was seen on", k, Statuses)
		}
		if p.Source == "" && !strings.HasPrefix(k, "instances.") {
			return nil, fmt.Errorf("prices.yaml: %s has no source", k)
		}
	}
	if t.HoursPerMonth <= 0 || t.Checked == "" || t.Region == "" {
		return nil, fmt.Errorf("prices.yaml: region, checked and hoursPerMonth are required")
	}
	if f := t.Assumptions.SpotFraction; f <= 0 || f > 1 {
		return nil, fmt.Errorf("prices.yaml: assumptions.spotFraction must be in (0, 1], got %v", f)
	}
	return &t, nil
}

var requiredPrices = []string{"eks_cluster_hour", "nat_gateway_hour", "nat_gateway_gb", "public_ipv4_hour", "nlb_hour", "nlb_lcu_hour",
	"ebs_gp3_gb_month", "s3_standard_gb_month", "cloudwatch_logs_ingest_gb", "cloudwatch_logs_storage_gb_month", "kms_key_month"}

func (t *Table) all() map[string]Price {
	out := map[string]Price{}
	for k, p := range t.Prices {
		out[k] = p
	}
	for k, p := range t.Instances {
		out["instances."+k] = p
	}
	return out
}

func (t *Table) usd(k string) float64 { return t.Prices[k].USD }

// Item is one line of the estimate.
type Item struct {
	Workflow string  `json:"workflow"`
	Item     string  `json:"item"`
	Quantity string  `json:"quantity"`
	Basis    string  `json:"basis"` // the prices it uses
	Monthly  float64 `json:"monthlyUSD"`
	// Spot is the monthly cost with nodes at the Spot assumption (equal to Monthly elsewhere).
	Spot float64 `json:"monthlySpotUSD"`
}

// Estimate is the result.
type Estimate struct {
	Env          string             `json:"env"`
	Region       string             `json:"region"`
	PricesOf     string             `json:"pricesChecked"`
	Label        string             `json:"label"`
	CapacityType string             `json:"capacityType"`
	Nodes        int                `json:"nodes"`
	InstanceType string             `json:"instanceType"`
	Items        []Item             `json:"items"`
	ByWorkflow   []Total            `json:"byWorkflow"`
	Total        Total              `json:"total"`
	Services     ServiceShare       `json:"microservices"`
	Prices       map[string]Price   `json:"prices"`
	Assumptions  map[string]any     `json:"assumptions"`
	Notes        []string           `json:"notes"`
	nodeShares   map[string]float64 // workflow -> share of node capacity requested
}

// Total sums items.
type Total struct {
	Workflow string  `json:"workflow"`
	Monthly  float64 `json:"monthlyUSD"`
	Spot     float64 `json:"monthlySpotUSD"`
}

// ServiceShare is what the brief's default microservice costs: its share of the nodes.
type ServiceShare struct {
	Footprint    string  `json:"footprint"`
	PerService   float64 `json:"perServiceMonthlyUSD"`
	PerSpot      float64 `json:"perServiceMonthlySpotUSD"`
	Fit          int     `json:"servicesThatFit"`
	FitMonthly   float64 `json:"fitMonthlyUSD"`
	FitSpot      float64 `json:"fitMonthlySpotUSD"`
	Headroom     float64 `json:"unrequestedMonthlyUSD"`
	HeadroomSpot float64 `json:"unrequestedMonthlySpotUSD"`
}

// Label says what the numbers are, in every output.
const Label = "ESTIMATE of monthly AWS list prices (not a quote, no taxes, no free tier, no data transfer out)"

// Compute estimates the monthly cost of m with the price table t.
func Compute(m *model.Model, t *Table) (*Estimate, error) {
	if len(m.Nodes.InstanceTypes) == 0 {
		return nil, fmt.Errorf("%s: nodes.instanceTypes is empty", m.ConfigFile)
	}
	e := &Estimate{Env: m.Env, Region: m.Region, PricesOf: t.Checked, Label: Label, CapacityType: m.Nodes.CapacityType,
		Nodes: m.Nodes.MinSize, InstanceType: strings.Join(m.Nodes.InstanceTypes, "|"), Prices: t.all()}
	if m.Region != t.Region {
		e.Notes = append(e.Notes, fmt.Sprintf("the environment runs in %s; the price table is for %s", m.Region, t.Region))
	}
	h := t.HoursPerMonth
	a := t.Assumptions
	e.Assumptions = map[string]any{"hoursPerMonth": h, "spotFraction": a.SpotFraction, "natGBPerGatewayMonth": a.NATGBPerGatewayMonth,
		"nlbLCU": a.NLBLCU, "logGBPerMonth": a.LogGBPerMonth, "s3GBPerDay": a.S3GBPerDay, "keepForeverDays": a.KeepForeverDays,
		"nodes": fmt.Sprintf("nodes.minSize=%d running all month", m.Nodes.MinSize)}

	// Nodes: instance-hours plus root volumes, split by share of requests.
	var hourly float64
	for _, it := range m.Nodes.InstanceTypes {
		p, ok := t.Instances[it]
		if !ok {
			return nil, fmt.Errorf("no price for instance type %q (%s nodes.instanceTypes); add it to ops/cost/prices.yaml instances from %s", it, m.ConfigFile, t.InstanceSource)
		}
		hourly += p.USD
	}
	hourly /= float64(len(m.Nodes.InstanceTypes)) // a mixed group: the average of its types
	n := float64(m.Nodes.MinSize)
	nodeOD := n * hourly * h
	nodeSpot := nodeOD * a.SpotFraction
	rootGB := n * float64(m.Nodes.DiskSizeGiB)
	root := rootGB * t.usd("ebs_gp3_gb_month")
	shares, cap, err := nodeShares(m)
	if err != nil {
		return nil, err
	}
	e.nodeShares = shares
	for _, s := range m.Stacks {
		if sh := shares[s.ID]; sh > 0 {
			e.add(Item{Workflow: s.ID, Item: "nodes (share of requests)", Quantity: fmt.Sprintf("%.1f%% of %d x %s", sh*100, m.Nodes.MinSize, e.InstanceType),
				Basis: fmt.Sprintf("$%.4f/h on-demand, x%.2f spot", hourly, a.SpotFraction), Monthly: sh * nodeOD, Spot: sh * nodeSpot})
			e.add(Item{Workflow: s.ID, Item: "node root volumes (share)", Quantity: fmt.Sprintf("%.1f%% of %.0f GB gp3", sh*100, rootGB),
				Basis: "ebs_gp3_gb_month", Monthly: sh * root, Spot: sh * root})
		}
		e.stackItems(s, t)
	}
	free := 1.0
	for _, w := range sortedKeys(shares) { // a fixed order: float sums must not vary
		free -= shares[w]
	}
	// Microservices at the brief's defaults: their share of node capacity.
	svcShare := cap.service
	e.Services = ServiceShare{
		Footprint:  serviceText(m),
		PerService: svcShare * (nodeOD + root), PerSpot: svcShare * (nodeSpot + root), Fit: cap.fit,
		Headroom: free * (nodeOD + root), HeadroomSpot: free * (nodeSpot + root),
	}
	sv := &e.Services
	sv.PerService, sv.PerSpot, sv.Headroom, sv.HeadroomSpot = cents(sv.PerService), cents(sv.PerSpot), cents(sv.Headroom), cents(sv.HeadroomSpot)
	sv.FitMonthly = cents(float64(cap.fit) * sv.PerService)
	sv.FitSpot = cents(float64(cap.fit) * sv.PerSpot)

	e.totals(m)
	return e, nil
}

// stackItems prices the AWS resources a stack declares.
func (e *Estimate) stackItems(s model.Stack, t *Table) {
	h, a := t.HoursPerMonth, t.Assumptions
	if c := s.Resources["aws_eks_cluster"]; c > 0 {
		e.add(flat(s.ID, "EKS control plane", c, "cluster", "clusters", "eks_cluster_hour", float64(c)*t.usd("eks_cluster_hour")*h))
	}
	if c := s.Resources["aws_nat_gateway"]; c > 0 {
		e.add(flat(s.ID, "NAT gateways (hours)", c, "gateway", "gateways", "nat_gateway_hour", float64(c)*t.usd("nat_gateway_hour")*h))
		gb := float64(c) * a.NATGBPerGatewayMonth
		e.add(Item{Workflow: s.ID, Item: "NAT gateways (data, assumed)", Quantity: fmt.Sprintf("%.0f GB", gb), Basis: "nat_gateway_gb",
			Monthly: gb * t.usd("nat_gateway_gb"), Spot: gb * t.usd("nat_gateway_gb")})
	}
	if c := s.Resources["aws_eip"]; c > 0 {
		e.add(flat(s.ID, "public IPv4 (Elastic IPs)", c, "address", "addresses", "public_ipv4_hour", float64(c)*t.usd("public_ipv4_hour")*h))
	}
	if c := s.Resources["aws_kms_key"]; c > 0 {
		e.add(flat(s.ID, "KMS keys", c, "key", "keys", "kms_key_month", float64(c)*t.usd("kms_key_month")))
	}
	if c := len(s.LoadBalancers); c > 0 {
		e.add(flat(s.ID, "NLB (LoadBalancer Services)", c, "load balancer", "load balancers", "nlb_hour", float64(c)*t.usd("nlb_hour")*h))
		lcu := float64(c) * a.NLBLCU
		e.add(Item{Workflow: s.ID, Item: "NLB capacity units (assumed)", Quantity: fmt.Sprintf("%.0f NLCU", lcu), Basis: "nlb_lcu_hour",
			Monthly: lcu * t.usd("nlb_lcu_hour") * h, Spot: lcu * t.usd("nlb_lcu_hour") * h})
	}
	var pvGB float64
	for _, v := range s.Volumes {
		pvGB += v.SizeGiB * float64(v.Count)
	}
	if pvGB > 0 {
		c := pvGB * t.usd("ebs_gp3_gb_month")
		e.add(Item{Workflow: s.ID, Item: "persistent volumes (gp3)", Quantity: fmt.Sprintf("%.0f GB in %d claim(s)", pvGB, len(s.Volumes)), Basis: "ebs_gp3_gb_month", Monthly: c, Spot: c})
	}
	for _, lg := range s.LogGroups {
		gb := pick(a.LogGBPerMonth, lg.Name)
		months := float64(lg.RetentionDays) / 30
		if lg.RetentionDays == 0 {
			months = float64(a.KeepForeverDays) / 30
		}
		c := gb*t.usd("cloudwatch_logs_ingest_gb") + gb*months*t.usd("cloudwatch_logs_storage_gb_month")
		e.add(Item{Workflow: s.ID, Item: "CloudWatch logs " + lg.Name, Quantity: fmt.Sprintf("%.0f GB/month, %dd retention", gb, lg.RetentionDays),
			Basis: "cloudwatch_logs_ingest_gb + cloudwatch_logs_storage_gb_month", Monthly: c, Spot: c})
	}
	for _, b := range s.Buckets {
		gb := pick(a.S3GBPerDay, b.Component)
		days := b.ExpirationDays
		if days == 0 {
			days = a.KeepForeverDays
		}
		c := gb * float64(days) * t.usd("s3_standard_gb_month")
		e.add(Item{Workflow: s.ID, Item: "S3 " + b.Component, Quantity: fmt.Sprintf("%.0f GB (%.1f GB/day x %dd)", gb*float64(days), gb, days),
			Basis: "s3_standard_gb_month", Monthly: c, Spot: c})
	}
}

func flat(w, item string, n int, one, many, basis string, monthly float64) Item {
	q := fmt.Sprintf("%d %s", n, one)
	if n != 1 {
		q = fmt.Sprintf("%d %s", n, many)
	}
	return Item{Workflow: w, Item: item, Quantity: q, Basis: basis, Monthly: monthly, Spot: monthly}
}

func (e *Estimate) add(i Item) {
	i.Monthly, i.Spot = cents(i.Monthly), cents(i.Spot)
	e.Items = append(e.Items, i)
}

// cents rounds to whole cents: an estimate has no use for more, and outputs stay stable.
func cents(v float64) float64 { return math.Round(v*100) / 100 }

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (e *Estimate) totals(m *model.Model) {
	by := map[string]*Total{}
	for _, i := range e.Items {
		t := by[i.Workflow]
		if t == nil {
			t = &Total{Workflow: i.Workflow}
			by[i.Workflow] = t
		}
		t.Monthly += i.Monthly
		t.Spot += i.Spot
		e.Total.Monthly += i.Monthly
		e.Total.Spot += i.Spot
	}
	for _, id := range m.IDs() {
		if t := by[id]; t != nil {
			e.ByWorkflow = append(e.ByWorkflow, *t)
		}
	}
	for i := range e.ByWorkflow {
		e.ByWorkflow[i].Monthly, e.ByWorkflow[i].Spot = cents(e.ByWorkflow[i].Monthly), cents(e.ByWorkflow[i].Spot)
	}
	e.Total.Workflow = "total"
	// Unrequested node capacity is paid for too: show it as its own line of the total.
	e.Total.Monthly += e.Services.Headroom
	e.Total.Spot += e.Services.HeadroomSpot
	e.Total.Monthly, e.Total.Spot = cents(e.Total.Monthly), cents(e.Total.Spot)
}

func pick(ms []Match, s string) float64 {
	for _, m := range ms {
		if strings.Contains(s, m.Match) {
			return m.GB
		}
	}
	return 0
}

func serviceText(m *model.Model) string {
	t := fmt.Sprintf("%d replicas x %s CPU / %s memory requests", m.Services.Replicas, m.Services.CPURequest, m.Services.MemoryRequest)
	if o := m.ServicePodOverhead; o.CPU != "" || o.Memory != "" {
		t += fmt.Sprintf(" + %s / %s mesh sidecar per pod", o.CPU, o.Memory)
	}
	return t
}

type capShares struct {
	service float64 // one microservice's share of node capacity
	fit     int
}

// nodeShares is each workflow's share of the nodes: the mean of its CPU and memory requests as
// fractions of the allocatable capacity at nodes.minSize.
func nodeShares(m *model.Model) (map[string]float64, capShares, error) {
	r, err := capacity.Check(m.Ledger(), capacity.Nodes{InstanceTypes: m.Nodes.InstanceTypes, Count: m.Nodes.MinSize, MaxPods: m.Nodes.MaxPods},
		m.Service())
	if r.Node.InstanceType == "" || (err != nil && len(r.Problems) == 0) {
		return nil, capShares{}, err
	}
	cpu, mem := float64(r.Allocatable.CPUReqMilli), float64(r.Allocatable.MemReqMiB)
	out := map[string]float64{}
	for w, u := range r.ByWorkflow {
		out[w] = (float64(u.CPUReqMilli)/cpu + float64(u.MemReqMiB)/mem) / 2
	}
	l := &capacity.Ledger{}
	l.Add(m.ServiceFootprints("svc", 1)...) // one microservice, with the per-pod overhead
	rs, err := capacity.Check(l, capacity.Nodes{InstanceTypes: m.Nodes.InstanceTypes, Count: m.Nodes.MinSize, MaxPods: m.Nodes.MaxPods}, capacity.Service{})
	if err != nil && len(rs.Problems) == 0 {
		return nil, capShares{}, err
	}
	u := rs.ByWorkflow["svc"]
	return out, capShares{service: (float64(u.CPUReqMilli)/cpu + float64(u.MemReqMiB)/mem) / 2, fit: r.ServicesFit}, nil
}

// Unverified lists the prices whose status is not official, for the table's footer.
func (e *Estimate) Unverified() []string {
	var out []string
	for k, p := range e.Prices {
		if p.Status != "official" {
			out = append(out, fmt.Sprintf("%s (%s)", k, p.Status))
		}
	}
	sort.Strings(out)
	return out
}
