package capacity

import (
	"strings"
	"testing"
)

// TestServicesFitCountsPodOverhead: a sidecar's requests are part of every microservice pod, so
// fewer services fit in the same free capacity.
func TestServicesFitCountsPodOverhead(t *testing.T) {
	// 3 x t3.large allocate 5790m CPU; this leaves 3000m, and far more memory and pods than CPU.
	l := &Ledger{}
	l.Add(fp("foundation", 1, false, "2790m", "880Mi"))
	nodes := Nodes{InstanceTypes: []string{"t3.large"}, Count: 3, MaxPods: 110}
	tests := []struct {
		name     string
		overhead Resources
		want     int
	}{
		{"no mesh", Resources{}, 10},                        // 3000m / 100m = 30 pods
		{"sidecar 20m/64Mi", Resources{"20m", "64Mi"}, 8},   // 3000m / 120m = 25 pods
		{"sidecar 50m/64Mi", Resources{"50m", "64Mi"}, 6},   // 3000m / 150m = 20 pods
		{"memory-bound sidecar", Resources{"1m", "4Gi"}, 1}, // memory / 4352Mi = 4 pods
		{"cpu only", Resources{CPU: "100m"}, 5},             // 3000m / 200m = 15 pods
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Check(l, nodes, Service{CPURequest: "100m", MemoryRequest: "256Mi", Replicas: 3, PodOverhead: tt.overhead})
			if err != nil {
				t.Fatal(err)
			}
			if r.ServicesFit != tt.want {
				t.Errorf("ServicesFit = %d, want %d", r.ServicesFit, tt.want)
			}
			if s := r.String(); (tt.overhead != Resources{}) != strings.Contains(s, "mesh sidecar") {
				t.Errorf("report mentions the sidecar iff there is one:\n%s", s)
			}
		})
	}
	if r, _ := Check(l, nodes, Service{CPURequest: "100m", MemoryRequest: "256Mi", Replicas: 3, PodOverhead: Resources{CPU: "lots"}}); r.ServicesFit != 0 {
		t.Errorf("an unparsable overhead gives %d services, want 0", r.ServicesFit)
	}
}

func TestSidecarFootprintAddsResourcesNotPods(t *testing.T) {
	l := &Ledger{}
	l.Add(fp("ingress", 2, false, "50m", "100Mi"))
	side := fp("service-mesh", 2, false, "10m", "64Mi")
	side.Sidecar = true
	l.Add(side)
	r, err := Check(l, Nodes{InstanceTypes: []string{"t3.large"}, Count: 3, MaxPods: 110}, Service{CPURequest: "100m", MemoryRequest: "256Mi", Replicas: 3})
	if err != nil {
		t.Fatal(err)
	}
	m := r.ByWorkflow["service-mesh"]
	if m.CPUReqMilli != 20 || m.MemReqMiB != 128 || m.Pods != 0 {
		t.Errorf("sidecar usage = %+v, want 20m / 128Mi / 0 pods", m)
	}
	if r.Total.Pods != 2 {
		t.Errorf("total pods = %d, want the 2 ingress pods", r.Total.Pods)
	}
}
