package stacks

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

func foundation(t *testing.T, env string) tf { return synthPlatform(t, env, "", nil)["foundation"] }

func TestFoundationNetwork(t *testing.T) {
	tests := []struct {
		env        string
		vpcCIDR    string
		nat        int
		privateTag string
	}{
		{"dev", "10.0.0.0/16", 1, "10.0.0.0/19"},
		{"staging", "10.1.0.0/16", 1, "10.1.0.0/19"},
		{"prod", "10.2.0.0/16", 3, "10.2.0.0/19"},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			d := foundation(t, tt.env)
			vpc := d.one(t, "aws_vpc", "network_vpc")
			eq(t, "vpc cidr", vpc["cidr_block"], tt.vpcCIDR)
			eq(t, "dns hostnames", vpc["enable_dns_hostnames"], true)
			eq(t, "nat gateways", len(d.resources("aws_nat_gateway")), tt.nat)
			eq(t, "subnets", len(d.resources("aws_subnet")), 9)

			plan, err := loadEnv(t, tt.env).Network.Subnets()
			if err != nil {
				t.Fatal(err)
			}
			cidrs := map[string]map[string]any{}
			for _, s := range d.resources("aws_subnet") {
				cidrs[s["cidr_block"].(string)] = s
			}
			for i := 0; i < 3; i++ {
				priv, pub, intra := cidrs[plan.Private[i]], cidrs[plan.Public[i]], cidrs[plan.Intra[i]]
				if priv == nil || pub == nil || intra == nil {
					t.Fatalf("AZ %d: subnets %s/%s/%s not all synthesized", i, plan.Private[i], plan.Public[i], plan.Intra[i])
				}
				eq(t, "private subnet internal-elb tag", at(t, priv, "tags", "kubernetes.io/role/internal-elb"), "1")
				eq(t, "public subnet elb tag", at(t, pub, "tags", "kubernetes.io/role/elb"), "1")
				if _, ok := priv["map_public_ip_on_launch"]; ok {
					t.Errorf("private subnet %d maps public IPs", i)
				}
			}
			eq(t, "first private subnet", plan.Private[0], tt.privateTag)

			flow := d.one(t, "aws_flow_log", "network_flow-log")
			eq(t, "flow log traffic", flow["traffic_type"], "ALL")
			group := d.one(t, "aws_cloudwatch_log_group", "network_flow-logs")
			if !strings.Contains(group["kms_key_id"].(string), "aws_kms_key.kms_key") {
				t.Errorf("flow log group not encrypted with the platform key: %v", group["kms_key_id"])
			}
			s3 := d.one(t, "aws_vpc_endpoint", "network_s3")
			eq(t, "s3 endpoint type", s3["vpc_endpoint_type"], "Gateway")
			eq(t, "s3 endpoint service", s3["service_name"], "com.amazonaws.us-east-1.s3")
			if sg := d.one(t, "aws_default_security_group", "network_default-sg"); sg["ingress"] != nil || sg["egress"] != nil {
				t.Errorf("default security group has rules: %v", sg)
			}
		})
	}
}

func TestFoundationCluster(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			d := foundation(t, env)
			key := d.one(t, "aws_kms_key", "kms_key")
			eq(t, "key rotation", key["enable_key_rotation"], true)

			c := d.one(t, "aws_eks_cluster", "cluster")
			eq(t, "name", c["name"], "eks-platform-"+env+"-eks")
			eq(t, "version", c["version"], "1.35")
			eq(t, "bootstrap_self_managed_addons", c["bootstrap_self_managed_addons"], false)
			eq(t, "authentication mode", at(t, c, "access_config", "authentication_mode"), "API")
			eq(t, "log types", c["enabled_cluster_log_types"], []any{"api", "audit", "authenticator"})
			eq(t, "secrets encryption", at(t, c, "encryption_config", "resources"), []any{"secrets"})
			if !strings.Contains(at(t, c, "encryption_config", "provider", "key_arn").(string), "aws_kms_key.kms_key") {
				t.Error("secrets not encrypted with the platform key")
			}
			eq(t, "private endpoint", at(t, c, "vpc_config", "endpoint_private_access"), true)
			// Public endpoint limited to the configured CIDRs everywhere; no private access rules.
			eq(t, "public endpoint", at(t, c, "vpc_config", "endpoint_public_access"), true)
			eq(t, "public CIDRs", at(t, c, "vpc_config", "public_access_cidrs"), []any{"203.0.113.0/24"})
			if rules := d.resources("aws_vpc_security_group_ingress_rule"); len(rules) != 0 {
				t.Errorf("private access rules without privateAccessCidrs: %v", rules)
			}
			for _, id := range at(t, c, "vpc_config", "subnet_ids").([]any) {
				if !strings.Contains(id.(string), "network_intra") {
					t.Errorf("control plane subnet %v is not an intra subnet", id)
				}
			}
			oidc := d.one(t, "aws_iam_openid_connect_provider", "cluster_oidc")
			eq(t, "oidc audience", oidc["client_id_list"], []any{"sts.amazonaws.com"})
		})
	}
}

// TestFoundationPrivateEndpoint is the fully private shape of ADR 0005: no public endpoint, and
// HTTPS to the cluster security group from each of cluster.privateAccessCidrs only.
func TestFoundationPrivateEndpoint(t *testing.T) {
	d := synthPlatform(t, "prod", "private", func(c *config.Config) {
		c.Cluster.EndpointPublicAccess = false
		c.Cluster.PublicAccessCIDRs = nil
		c.Cluster.PrivateAccessCIDRs = []string{"10.2.0.0/19", "10.50.0.0/16"}
	})["foundation"]
	c := d.one(t, "aws_eks_cluster", "cluster")
	eq(t, "public endpoint", at(t, c, "vpc_config", "endpoint_public_access"), false)
	eq(t, "private endpoint", at(t, c, "vpc_config", "endpoint_private_access"), true)
	if v, ok := get(c, "vpc_config", "public_access_cidrs"); ok {
		t.Errorf("public_access_cidrs = %v on a private cluster", v)
	}
	var cidrs []string
	for _, r := range d.resources("aws_vpc_security_group_ingress_rule") {
		eq(t, "protocol", r["ip_protocol"], "tcp")
		eq(t, "from", r["from_port"], 443)
		eq(t, "to", r["to_port"], 443)
		if !strings.Contains(fmt.Sprint(r["security_group_id"]), "cluster_security_group_id") {
			t.Errorf("rule on %v, want the cluster security group", r["security_group_id"])
		}
		cidrs = append(cidrs, r["cidr_ipv4"].(string))
	}
	slices.Sort(cidrs)
	eq(t, "private access CIDRs", cidrs, []string{"10.2.0.0/19", "10.50.0.0/16"})
}

func TestFoundationAdminAccessEntries(t *testing.T) {
	admins := []string{"arn:aws:iam::111122223333:role/platform-admins", "arn:aws:iam::111122223333:user/alice"}
	d := synthPlatform(t, "dev", "admins", func(c *config.Config) { c.Cluster.AdminPrincipalARNs = admins })["foundation"]
	entries := d.resources("aws_eks_access_entry")
	// Besides the admins: the plan role's read access (TestPlanRoleReadsTheCluster).
	eq(t, "access entries", len(entries), 3)
	got := map[string]bool{}
	for id, e := range entries {
		if id != "plan-role-access" {
			got[e["principal_arn"].(string)] = true
		}
	}
	for _, a := range admins {
		if !got[a] {
			t.Errorf("no access entry for %s", a)
		}
	}
	for id, p := range d.resources("aws_eks_access_policy_association") {
		if id == "plan-role-access-policy" {
			continue
		}
		eq(t, "policy", strings.HasSuffix(p["policy_arn"].(string), ":cluster-access-policy/AmazonEKSClusterAdminPolicy"), true)
		eq(t, "scope", at(t, p, "access_scope", "type"), "cluster")
	}
}

func TestFoundationNodeGroup(t *testing.T) {
	d := foundation(t, "dev")
	ng := d.one(t, "aws_eks_node_group", "nodes_group")
	eq(t, "instance types", ng["instance_types"], []any{"t3.large"})
	eq(t, "capacity type", ng["capacity_type"], "SPOT")
	eq(t, "min", at(t, ng, "scaling_config", "min_size"), 3)
	eq(t, "desired", at(t, ng, "scaling_config", "desired_size"), 3)
	eq(t, "max", at(t, ng, "scaling_config", "max_size"), 10)
	eq(t, "ami", ng["ami_type"], "AL2023_x86_64_STANDARD")
	eq(t, "taint", at(t, ng, "taint", 0), map[string]any{"key": "node.cilium.io/agent-not-ready", "value": "true", "effect": "NO_EXECUTE"})
	for _, s := range ng["subnet_ids"].([]any) {
		if !strings.Contains(s.(string), "network_private") {
			t.Errorf("node subnet %v is not private", s)
		}
	}
	deps := strings.Join(toStrings(ng["depends_on"]), " ")
	if !strings.Contains(deps, "helm_release.cilium") {
		t.Errorf("node group does not wait for Cilium: depends_on %s", deps)
	}

	lt := d.one(t, "aws_launch_template", "nodes_launch-template")
	eq(t, "IMDSv2", at(t, lt, "metadata_options", "http_tokens"), "required")
	eq(t, "hop limit", at(t, lt, "metadata_options", "http_put_response_hop_limit"), 1)
	ebs := at(t, lt, "block_device_mappings", 0, "ebs")
	eq(t, "root volume type", at(t, ebs, "volume_type"), "gp3")
	eq(t, "root volume encrypted", at(t, ebs, "encrypted"), "true")
	for _, spec := range lt["tag_specifications"].([]any) {
		tags := at(t, spec, "tags").(map[string]any)
		for _, k := range tagging.Required {
			if tags[k] == nil || tags[k] == "" {
				t.Errorf("launch template %v tags miss %s", at(t, spec, "resource_type"), k)
			}
		}
	}

	var policies []string
	for _, a := range d.resources("aws_iam_role_policy_attachment") {
		if strings.Contains(a["role"].(string), "nodes_role") {
			policies = append(policies, a["policy_arn"].(string))
		}
	}
	eq(t, "node role policies", len(policies), 2)
	for _, p := range policies {
		if strings.Contains(p, "CNI") {
			t.Errorf("node role has a CNI policy: %s", p)
		}
	}
}

func TestFoundationCilium(t *testing.T) {
	d := foundation(t, "dev")
	r, v := d.release(t, "cilium")
	eq(t, "chart", r["chart"], "cilium")
	eq(t, "version", r["version"], CiliumChart.Version)
	eq(t, "namespace", r["namespace"], "kube-system")
	eq(t, "wait", r["wait"], false)
	eq(t, "atomic", r["atomic"], false)
	eq(t, "ipam", at(t, v, "ipam", "mode"), "eni")
	eq(t, "eni", at(t, v, "eni", "enabled"), true)
	eq(t, "kube-proxy replacement", v["kubeProxyReplacement"], true)
	eq(t, "service port", v["k8sServicePort"], 443)
	if !strings.Contains(v["k8sServiceHost"].(string), "aws_eks_cluster.cluster") {
		t.Errorf("k8sServiceHost = %v, want the cluster endpoint", v["k8sServiceHost"])
	}
	eq(t, "cni exclusive", at(t, v, "cni", "exclusive"), false)
	eq(t, "operator replicas in dev", at(t, v, "operator", "replicas"), 1)
	role := at(t, v, "serviceAccounts", "operator", "annotations", "eks.amazonaws.com/role-arn").(string)
	if !strings.Contains(role, "cilium-operator-identity_role") {
		t.Errorf("operator role annotation = %s", role)
	}
	eq(t, "agent requests", at(t, v, "resources", "requests", "memory"), "256Mi")

	// IRSA trust: exactly the cilium-operator service account.
	trust := policyOf(t, d.one(t, "aws_iam_role", "cilium-operator-identity_role")["assume_role_policy"])
	st := trust.Statement[0]
	eq(t, "trust action", st.Action, []string{"sts:AssumeRoleWithWebIdentity"})
	cond := st.Condition["StringEquals"].(map[string]any)
	found := false
	for k, val := range cond {
		if strings.HasSuffix(k, ":sub") {
			found = true
			eq(t, "sub", val, "system:serviceaccount:kube-system:cilium-operator")
		}
	}
	if !found {
		t.Error("IRSA trust has no :sub condition")
	}
}

// TestFoundationRoleDescriptions: every workload role says whose it is (the EBS CSI role once
// read "Workload identity of /").
func TestFoundationRoleDescriptions(t *testing.T) {
	d := foundation(t, "dev")
	ebs := d.one(t, "aws_iam_role", "ebs-csi-identity_role")
	eq(t, "EBS CSI role description", ebs["description"], "Workload identity of the EKS add-on aws-ebs-csi-driver (kube-system/ebs-csi-controller-sa, Pod Identity)")
	for name, r := range d.resources("aws_iam_role") {
		desc, _ := r["description"].(string)
		if strings.HasSuffix(name, "identity_role") && (desc == "" || strings.Contains(desc, " /") || strings.Contains(desc, "/ ")) {
			t.Errorf("role %s description %q does not name its workload", name, desc)
		}
	}
}

func TestFoundationAddons(t *testing.T) {
	d := foundation(t, "dev")
	addons := map[string]map[string]any{}
	for _, a := range d.resources("aws_eks_addon") {
		addons[a["addon_name"].(string)] = a
	}
	for _, name := range []string{"coredns", "aws-ebs-csi-driver", "eks-pod-identity-agent"} {
		if addons[name] == nil {
			t.Fatalf("no add-on %s", name)
		}
		if !strings.Contains(addons[name]["addon_version"].(string), "data.aws_eks_addon_version") {
			t.Errorf("%s version is not looked up for the cluster version", name)
		}
	}
	var dns map[string]any
	if err := json.Unmarshal([]byte(addons["coredns"]["configuration_values"].(string)), &dns); err != nil {
		t.Fatal(err)
	}
	eq(t, "coredns tolerates the Cilium taint", at(t, dns, "tolerations", 1, "key"), "node.cilium.io/agent-not-ready")
	eq(t, "ebs csi service account", at(t, addons["aws-ebs-csi-driver"], "pod_identity_association", 0, "service_account"), "ebs-csi-controller-sa")

	assoc := map[string]map[string]any{}
	for _, a := range d.resources("aws_eks_pod_identity_association") {
		assoc[a["service_account"].(string)] = a
	}
	for _, sa := range []string{"aws-load-balancer-controller", "cluster-autoscaler"} {
		if assoc[sa] == nil || assoc[sa]["namespace"] != "kube-system" {
			t.Errorf("no pod identity association for kube-system/%s", sa)
		}
	}

	_, lbc := d.release(t, "aws-load-balancer-controller")
	eq(t, "lbc cluster", lbc["clusterName"], "eks-platform-dev-eks")
	eq(t, "lbc region", lbc["region"], "us-east-1")
	if !strings.Contains(lbc["vpcId"].(string), "aws_vpc.network_vpc") {
		t.Errorf("lbc vpcId = %v", lbc["vpcId"])
	}
	_, ca := d.release(t, "cluster-autoscaler")
	eq(t, "autoscaler discovery", at(t, ca, "autoDiscovery", "clusterName"), "eks-platform-dev-eks")
	eq(t, "autoscaler image follows EKS minor", at(t, ca, "image", "tag"), config.AutoscalerImageTag("1.35"))
	eq(t, "autoscaler service account", at(t, ca, "rbac", "serviceAccount", "name"), "cluster-autoscaler")
	sc, scValues := d.release(t, "storage-classes")
	eq(t, "gp3 default", at(t, scValues, "gp3", "default"), true)
	if !strings.HasPrefix(sc["chart"].(string), "assets/") {
		t.Errorf("storage-classes chart = %v, want a stack asset", sc["chart"])
	}
	crds, crdValues := d.release(t, "prometheus-operator-crds")
	eq(t, "crds version", crds["version"], PromOperatorCRDsChart.Version)
	eq(t, "crds kept on uninstall", at(t, crdValues, "crds", "annotations", "helm.sh/resource-policy"), "keep")
}

// TestFoundationIAMLeastPrivilege checks every inline policy of the stack.
func TestFoundationIAMLeastPrivilege(t *testing.T) {
	d := foundation(t, "dev")
	policies := d.resources("aws_iam_role_policy")
	if len(policies) < 4 {
		t.Fatalf("only %d inline policies", len(policies))
	}
	for name, p := range policies {
		doc := policyOf(t, p["policy"])
		if err := doc.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for _, st := range doc.Statement {
			for _, r := range st.Resource {
				if r == "*" {
					for _, a := range st.Action {
						verb := a[strings.Index(a, ":")+1:]
						if !strings.HasPrefix(verb, "Describe") && !strings.HasPrefix(verb, "Get") && !strings.HasPrefix(verb, "List") {
							t.Errorf("%s: %s allowed on every resource", name, a)
						}
					}
				}
			}
		}
	}
	ca := policyOf(t, d.one(t, "aws_iam_role_policy", "autoscaler-identity_policy")["policy"])
	scale := ca.Statement[1]
	eq(t, "autoscaler scale condition", scale.Condition["StringEquals"], map[string]any{
		"aws:ResourceTag/k8s.io/cluster-autoscaler/eks-platform-dev-eks": "owned"})
}

func TestFoundationTagsAndProviders(t *testing.T) {
	d := foundation(t, "dev")
	tags := at(t, d, "provider", "aws", 0, "default_tags", 0, "tags").(map[string]any)
	for k, want := range map[string]string{"Project": "eks-platform", "Environment": "dev", "Workflow": "foundation", "ManagedBy": "cdktf", "Owner": "platform-team"} {
		eq(t, "default tag "+k, tags[k], want)
	}
	eq(t, "aws provider constraint", at(t, d, "terraform", "required_providers", "aws", "version"), AWSProviderConstraint)
	for kind, blocks := range d["resource"].(map[string]any) {
		if !strings.HasPrefix(kind, "aws_") {
			continue
		}
		for name, b := range blocks.(map[string]any) {
			if tags, ok := b.(map[string]any)["tags"].(map[string]any); ok && tags[tagging.Component] == nil {
				t.Errorf("%s.%s has tags without Component", kind, name)
			}
		}
	}
	for name, r := range d.resources("helm_release") {
		if r["repository"] != nil && r["version"] == nil {
			t.Errorf("helm_release %s is not pinned", name)
		}
		if r["name"] != "cilium" && r["atomic"] != true {
			t.Errorf("helm_release %s is not atomic", name)
		}
	}
	for _, o := range []string{"cluster_name", "cluster_endpoint", "cluster_certificate_authority", "oidc_provider_arn",
		"vpc_id", "private_subnet_ids", "cluster_security_group_id", "kms_key_arn", "node_role_arn"} {
		at(t, d, "output", o, "value")
	}
}

func TestBackend(t *testing.T) {
	local := foundation(t, "dev")
	eq(t, "local backend path", at(t, local, "terraform", "backend", "local", "path"), "../../../.state/dev/foundation.tfstate")

	s3 := synthPlatform(t, "staging", "bucket", func(c *config.Config) { c.State.Bucket = "acme-tfstate" })
	for id, d := range s3 {
		b := at(t, d, "terraform", "backend", "s3").(map[string]any)
		eq(t, id+" bucket", b["bucket"], "acme-tfstate")
		eq(t, id+" key", b["key"], "eks-platform/staging/"+id+".tfstate")
		eq(t, id+" lock file", b["use_lockfile"], true)
		eq(t, id+" encrypt", b["encrypt"], true)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
