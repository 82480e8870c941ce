package stacks

import (
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
)

// nodeConfig is the part of nodeadm's NodeConfig the platform sets.
type nodeConfig struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Spec       struct {
		Kubelet struct {
			Config struct {
				MaxPods      int               `yaml:"maxPods"`
				KubeReserved map[string]string `yaml:"kubeReserved"`
			} `yaml:"config"`
			Flags []string `yaml:"flags"`
		} `yaml:"kubelet"`
	} `yaml:"spec"`
}

// launchNodeConfig decodes the launch template's user data: base64, a MIME multi-part document
// with exactly one application/node.eks.aws part, decoded strictly.
func launchNodeConfig(t *testing.T, d tf) nodeConfig {
	t.Helper()
	lt := d.one(t, "aws_launch_template", "nodes_launch-template")
	raw, err := base64.StdEncoding.DecodeString(fmt.Sprint(lt["user_data"]))
	if err != nil {
		t.Fatalf("user_data is not base64: %v", err)
	}
	head, body, ok := strings.Cut(string(raw), "\n\n")
	if !ok || !strings.Contains(head, "MIME-Version: 1.0") {
		t.Fatalf("user_data is not a MIME document:\n%s", raw)
	}
	mediaType, params, err := mime.ParseMediaType(strings.TrimPrefix(head[strings.Index(head, "Content-Type:"):], "Content-Type:"))
	if err != nil || mediaType != "multipart/mixed" {
		t.Fatalf("user_data content type %q: %v", mediaType, err)
	}
	r := multipart.NewReader(strings.NewReader(body), params["boundary"])
	var configs []nodeConfig
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("user_data part: %v", err)
		}
		if p.Header.Get("Content-Type") != "application/node.eks.aws" {
			t.Fatalf("unexpected part %q", p.Header.Get("Content-Type"))
		}
		dec := yaml.NewDecoder(p)
		dec.KnownFields(true)
		var nc nodeConfig
		if err := dec.Decode(&nc); err != nil {
			t.Fatalf("NodeConfig: %v", err)
		}
		configs = append(configs, nc)
	}
	if len(configs) != 1 {
		t.Fatalf("user_data has %d NodeConfig parts, want 1", len(configs))
	}
	nc := configs[0]
	eq(t, "NodeConfig apiVersion", nc.APIVersion, "node.eks.aws/v1alpha1")
	eq(t, "NodeConfig kind", nc.Kind, "NodeConfig")
	return nc
}

// TestPodsPerNodeCoherent checks that Cilium's IPAM, the kubelet's NodeConfig and the capacity
// model agree on the pods a node runs, for every environment and for a configuration without
// prefix delegation: the addresses Cilium can hand out cover maxPods, the kubelet is told
// maxPods (setting and flag) and reserves memory for it, and the capacity check counts exactly
// maxPods per node with that reservation (docs/adr/0004-pods-per-node.md).
func TestPodsPerNodeCoherent(t *testing.T) {
	cases := []struct {
		env, key string
		mutate   func(*config.Config)
		maxPods  int
		pd       bool
	}{
		{"dev", "", nil, 110, true},
		{"staging", "", nil, 110, true},
		{"prod", "", nil, 110, true},
		{"dev", "no-prefix-delegation", func(c *config.Config) {
			c.Network.PrefixDelegation = false
			c.Nodes.MaxPods = 35
		}, 35, false},
	}
	for _, tc := range cases {
		t.Run(tc.env+"/"+tc.key, func(t *testing.T) {
			stacks := synthPlatform(t, tc.env, tc.key, tc.mutate)
			synthMu.Lock()
			p := synthCache[tc.env+"/"+tc.key].platform
			synthMu.Unlock()
			cfg := p.Config
			eq(t, "nodes.maxPods", cfg.Nodes.MaxPods, tc.maxPods)

			// Cilium: prefix delegation as configured, and enough addresses for maxPods.
			_, v := stacks["foundation"].release(t, "cilium")
			eq(t, "eni.awsEnablePrefixDelegation", at(t, v, "eni", "awsEnablePrefixDelegation"), tc.pd)
			for _, it := range cfg.Nodes.InstanceTypes {
				spec, ok := config.Instance(it)
				if !ok {
					t.Fatalf("no instance facts for %s", it)
				}
				if addrs := spec.ENIMaxPods(tc.pd); addrs < cfg.Nodes.MaxPods {
					t.Errorf("%s: Cilium can address %d pods (prefix delegation %t), the kubelet allows %d", it, addrs, tc.pd, cfg.Nodes.MaxPods)
				}
			}

			// Node: the kubelet's limit and reservation.
			nc := launchNodeConfig(t, stacks["foundation"])
			eq(t, "kubelet maxPods", nc.Spec.Kubelet.Config.MaxPods, tc.maxPods)
			eq(t, "kubelet flags", nc.Spec.Kubelet.Flags, []string{fmt.Sprintf("--max-pods=%d", tc.maxPods)})
			eq(t, "kube-reserved memory", nc.Spec.Kubelet.Config.KubeReserved["memory"], fmt.Sprintf("%dMi", 255+11*tc.maxPods))

			// Capacity model: the same pods and the memory left after that reservation.
			r, err := p.Capacity()
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "capacity pods per node", r.Node.Pods, tc.maxPods)
			eq(t, "capacity pods of the minimum node group", r.Allocatable.Pods, tc.maxPods*cfg.Nodes.MinSize)
			want, err := capacity.AllocatableOf(cfg.Nodes.InstanceTypes[0], tc.maxPods)
			if err != nil {
				t.Fatal(err)
			}
			spec, _ := config.Instance(cfg.Nodes.InstanceTypes[0])
			eq(t, "capacity memory per node", want.MemMiB, spec.MemMiB*94/100-int64(255+11*tc.maxPods)-100)
		})
	}
}
