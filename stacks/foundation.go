package stacks

import (
	"encoding/json"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawseksaddonversion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaddon"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/constructs/cluster"
	"github.com/platformeng/eks-platform/constructs/helmaddon"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/network"
	"github.com/platformeng/eks-platform/constructs/nodegroup"
	"github.com/platformeng/eks-platform/constructs/podidentity"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

// Foundation is Workflow 1: VPC, EKS, IAM, KMS, Cilium and the essential add-ons. Its fields
// are what later stacks reference; CDKTF turns each use into a remote-state read.
type Foundation struct {
	*Base
	Key     *cluster.Key
	Network *network.Network
	Cluster *cluster.Cluster
	Nodes   *nodegroup.NodeGroup
}

// Access is how stacks reach the cluster.
func (f *Foundation) Access() ClusterAccess {
	return ClusterAccess{Name: f.Cluster.EKS.Name(), Endpoint: f.Cluster.Endpoint(), CAData: f.Cluster.CAData(), Region: f.Cfg.Region}
}

// ClusterSecurityGroupID is the security group EKS creates for the control plane. The managed
// node group's launch template names no security groups, so the nodes carry it too, and in
// Cilium ENI mode so do the pods (their ENIs copy the primary ENI's groups).
func (f *Foundation) ClusterSecurityGroupID() *string {
	return f.Cluster.EKS.VpcConfig().ClusterSecurityGroupId()
}

// Namespaces of the foundation's components.
const (
	kubeSystem = "kube-system"
	// MonitoringNamespace holds the prometheus-operator CRD release and, later, the LGTM stack.
	MonitoringNamespace = "monitoring"
)

// NewFoundation builds stack 1.
func NewFoundation(scope constructs.Construct, cfg *config.Config, ledger *capacity.Ledger) (*Foundation, error) {
	w, _ := WorkflowByID("foundation")
	f := &Foundation{Base: newBase(scope, cfg, w, ledger)}
	plan, err := cfg.Network.Subnets()
	if err != nil {
		return nil, fmt.Errorf("%s: network: %w", cfg.File, err)
	}

	f.Key = cluster.NewKey(f.TerraformStack, "kms", f.Names, cfg.Region)
	f.Network = network.New(f.TerraformStack, "network", network.Config{
		Names: f.Names, Region: cfg.Region, Network: cfg.Network, Plan: plan,
		ClusterName: f.Names.Must(naming.EKSCluster, "eks"), LogKMSKeyARN: f.Key.KMS.Arn(),
	})
	f.Cluster = cluster.New(f.TerraformStack, "cluster", cluster.Config{
		Names: f.Names, Region: cfg.Region, Key: f.Key, Cluster: cfg.Cluster,
		SubnetIDs: f.Network.IntraSubnetIDs,
	})
	f.Helm = newHelmProvider(f.TerraformStack, f.Access())
	f.planRoleAccess()

	cilium := f.cilium()
	f.Nodes = nodegroup.New(f.TerraformStack, "nodes", nodegroup.Config{
		Names: f.Names, Partition: f.Key.Partition.Partition(), ClusterName: f.Cluster.EKS.Name(),
		Nodes: cfg.Nodes, SubnetIDs: f.Network.PrivateSubnetIDs, MaxPods: cfg.Nodes.MaxPods,
		InstanceTags: tagging.Defaults(cfg.Project, cfg.Environment, w.ID, cfg.Owner),
		// Nodes join only once the CNI is configured and they can reach the internet.
		DependsOn: append([]cdktf.ITerraformDependable{cilium.Release}, f.Network.Ready...),
	})
	f.essentials()
	f.outputs()
	return f, nil
}

// cilium installs Cilium in ENI mode with kube-proxy replacement, right after the control
// plane and without waiting for pods: no node can be Ready before it (docs/adr/0001).
func (f *Foundation) cilium() *helmaddon.Addon {
	operator := podidentity.New(f.TerraformStack, "cilium-operator-identity", podidentity.Config{
		Names: f.Names, Component: "cilium-operator", Mode: podidentity.IRSA,
		ClusterName: f.Cluster.EKS.Name(), Namespace: kubeSystem, ServiceAccount: "cilium-operator",
		OIDC: podidentity.OIDC{ProviderARN: f.Cluster.OIDC.Arn(), IssuerHost: f.Cluster.IssuerHost},
		Policy: ciliumOperatorPolicy(f.Key, *f.Network.VPC.Arn(), map[string]string{
			tagging.Project: f.Cfg.Project, tagging.Environment: f.Cfg.Environment}),
	})
	agent := capacity.Footprint{Component: "cilium-agent", DaemonSet: true,
		Requests: capacity.Resources{CPU: "100m", Memory: "256Mi"}, Limits: capacity.Resources{CPU: "1", Memory: "1Gi"}}
	op := capacity.Footprint{Component: "cilium-operator", Replicas: f.replicas(2),
		Requests: capacity.Resources{CPU: "25m", Memory: "64Mi"}, Limits: capacity.Resources{CPU: "250m", Memory: "256Mi"}}
	apiHost := cdktf.Fn_Replace(f.Cluster.Endpoint(), jsii.String("https://"), jsii.String(""))
	return f.release("cilium", CiliumChart, helmaddon.Config{
		Namespace: kubeSystem,
		Wait:      jsii.Bool(false),
		Values: map[string]any{
			"ipam": map[string]any{"mode": "eni"},
			// Prefix delegation: /28 prefixes instead of single addresses, so that a node's
			// addresses cover nodes.maxPods (docs/adr/0004).
			"eni": map[string]any{"enabled": true, "awsReleaseExcessIPs": true,
				"awsEnablePrefixDelegation": f.Cfg.Network.PrefixDelegation},
			// Pods use VPC addresses from ENIs; the chart leaves masquerading off in ENI mode and
			// egress leaves through the NAT gateways.
			"routingMode":          "native",
			"kubeProxyReplacement": true,
			"k8sServiceHost":       *apiHost,
			"k8sServicePort":       443,
			// Istio's CNI plugin chains after Cilium (Workflow 6): leave other CNI configs alone,
			// and keep socket load balancing out of pod namespaces so sidecars see service IPs.
			"cni":      map[string]any{"exclusive": false},
			"socketLB": map[string]any{"hostNamespaceOnly": true},
			// Pod Identity's link-local agent address needs legacy host routing (cilium#35989).
			"bpf": map[string]any{"hostLegacyRouting": true},
			// Istio owns L7; Cilium's L7 proxy would fight its mTLS.
			"l7Proxy":   false,
			"envoy":     map[string]any{"enabled": false},
			"hubble":    map[string]any{"enabled": true, "relay": map[string]any{"enabled": false}, "ui": map[string]any{"enabled": false}},
			"resources": agent.ResourceValues(),
			"operator": map[string]any{
				"replicas":  op.Replicas,
				"resources": op.ResourceValues(),
				"extraEnv":  []any{map[string]any{"name": "AWS_REGION", "value": f.Cfg.Region}},
			},
			"serviceAccounts": map[string]any{"operator": map[string]any{
				"name":        "cilium-operator",
				"annotations": map[string]any{"eks.amazonaws.com/role-arn": *operator.Role.Arn()},
			}},
		},
		Footprints: []capacity.Footprint{agent, op},
		DependsOn:  append([]cdktf.ITerraformDependable{operator.Role}, f.Cluster.Admins...),
	})
}

// essentials are the EKS add-ons and charts every later workflow relies on.
func (f *Foundation) essentials() {
	nodes := []cdktf.ITerraformDependable{f.Nodes.Group}

	podIdentityAgent := f.addon("eks-pod-identity-agent", nil, nodes, capacity.Footprint{
		Component: "eks-pod-identity-agent", DaemonSet: true,
		Requests: capacity.Resources{CPU: "25m", Memory: "32Mi"}, Limits: capacity.Resources{CPU: "100m", Memory: "128Mi"},
	}, nil)

	coreDNS := capacity.Footprint{Component: "coredns", Replicas: 2,
		Requests: capacity.Resources{CPU: "50m", Memory: "70Mi"}, Limits: capacity.Resources{CPU: "250m", Memory: "170Mi"}}
	dns := f.addon("coredns", map[string]any{
		"replicaCount": coreDNS.Replicas,
		"resources":    coreDNS.ResourceValues(),
		// Without this CoreDNS can stay DEGRADED while Cilium starts (terraform-aws-eks#3001).
		"tolerations": []any{
			map[string]any{"key": "CriticalAddonsOnly", "operator": "Exists"},
			map[string]any{"key": nodegroup.CiliumTaint, "operator": "Exists", "effect": "NoExecute"},
		},
	}, nodes, coreDNS, nil)

	ebsController := capacity.Footprint{Component: "ebs-csi-controller", Replicas: f.replicas(2),
		Requests: capacity.Resources{CPU: "60m", Memory: "160Mi"}, Limits: capacity.Resources{CPU: "300m", Memory: "640Mi"}}
	ebsNode := capacity.Footprint{Component: "ebs-csi-node", DaemonSet: true,
		Requests: capacity.Resources{CPU: "30m", Memory: "60Mi"}, Limits: capacity.Resources{CPU: "150m", Memory: "256Mi"}}
	const ebsServiceAccount = "ebs-csi-controller-sa"
	ebsIdentity := podidentity.New(f.TerraformStack, "ebs-csi-identity", podidentity.Config{
		Names: f.Names, Component: "ebs-csi", Mode: podidentity.AddonPodIdentity,
		Addon: "aws-ebs-csi-driver", Namespace: kubeSystem, ServiceAccount: ebsServiceAccount,
		ManagedPolicyARNs: []string{fmt.Sprintf("arn:%s:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy", *f.Key.Partition.Partition())},
	})
	ebs := f.addon("aws-ebs-csi-driver", map[string]any{
		"controller": map[string]any{"replicaCount": ebsController.Replicas},
	}, []cdktf.ITerraformDependable{podIdentityAgent}, ebsController, &eksaddon.EksAddonPodIdentityAssociation{
		RoleArn: ebsIdentity.Role.Arn(), ServiceAccount: jsii.String(ebsServiceAccount),
	})
	f.declare(ebsNode)

	f.localRelease("storage-classes", "storage-classes", helmaddon.Config{
		Namespace: kubeSystem, CreateNamespace: jsii.Bool(false),
		Values:      map[string]any{"gp3": map[string]any{"name": "gp3", "default": true}},
		NoWorkloads: true,
		DependsOn:   []cdktf.ITerraformDependable{ebs},
	})

	// Controllers need DNS and, for their AWS calls, the Pod Identity agent. Later stacks depend
	// on the whole stack (AddDependency), so nothing here is exported for them.
	ready := []cdktf.ITerraformDependable{dns, podIdentityAgent}
	f.metricsServer(ready)
	f.loadBalancerController(ready)
	f.clusterAutoscaler(ready)
	f.release("prometheus-operator-crds", PromOperatorCRDsChart, helmaddon.Config{
		Namespace:   MonitoringNamespace,
		NoWorkloads: true,
		// The chart templates its CRDs: without this, uninstalling it would delete every
		// ServiceMonitor and PrometheusRule of every later stack.
		Values:    map[string]any{"crds": map[string]any{"annotations": map[string]any{"helm.sh/resource-policy": "keep"}}},
		DependsOn: f.Cluster.Admins,
	})
}

// addon creates an EKS managed add-on at the default version for the cluster's Kubernetes
// version, with typed configuration values and a declared footprint.
func (f *Foundation) addon(name string, values map[string]any, deps []cdktf.ITerraformDependable, fp capacity.Footprint,
	identity *eksaddon.EksAddonPodIdentityAssociation) eksaddon.EksAddon {
	version := dataawseksaddonversion.NewDataAwsEksAddonVersion(f.TerraformStack, jsii.String(name+"-version"), &dataawseksaddonversion.DataAwsEksAddonVersionConfig{
		AddonName:         jsii.String(name),
		KubernetesVersion: f.Cluster.EKS.Version(),
		MostRecent:        jsii.Bool(false),
	})
	cfg := &eksaddon.EksAddonConfig{
		ClusterName:              f.Cluster.EKS.Name(),
		AddonName:                jsii.String(name),
		AddonVersion:             version.Version(),
		ResolveConflictsOnCreate: jsii.String("OVERWRITE"),
		ResolveConflictsOnUpdate: jsii.String("OVERWRITE"),
		Tags:                     tagging.ComponentTags(name),
		DependsOn:                &deps,
	}
	if len(values) > 0 {
		raw, err := json.Marshal(values)
		if err != nil {
			panic(err)
		}
		cfg.ConfigurationValues = jsii.String(string(raw))
	}
	if identity != nil {
		cfg.PodIdentityAssociation = &[]*eksaddon.EksAddonPodIdentityAssociation{identity}
	}
	f.declare(fp)
	return eksaddon.NewEksAddon(f.TerraformStack, jsii.String(name), cfg)
}

func (f *Foundation) metricsServer(deps []cdktf.ITerraformDependable) *helmaddon.Addon {
	fp := capacity.Footprint{Replicas: f.replicas(2),
		Requests: capacity.Resources{CPU: "50m", Memory: "64Mi"}, Limits: capacity.Resources{CPU: "200m", Memory: "192Mi"}}
	return f.release("metrics-server", MetricsServerChart, helmaddon.Config{
		Namespace: kubeSystem,
		Values: map[string]any{
			"replicas":            fp.Replicas,
			"resources":           fp.ResourceValues(),
			"podDisruptionBudget": map[string]any{"enabled": f.ha(), "minAvailable": 1},
		},
		Footprints: []capacity.Footprint{fp},
		DependsOn:  deps,
	})
}

func (f *Foundation) loadBalancerController(deps []cdktf.ITerraformDependable) *helmaddon.Addon {
	const sa = "aws-load-balancer-controller"
	id := podidentity.New(f.TerraformStack, "lbc-identity", podidentity.Config{
		Names: f.Names, Component: "load-balancer-controller", Mode: podidentity.PodIdentity,
		ClusterName: f.Cluster.EKS.Name(), Namespace: kubeSystem, ServiceAccount: sa,
		Policy:    loadBalancerControllerPolicy(f.Key, *f.Network.VPC.Arn(), f.Cluster.Name),
		DependsOn: deps,
	})
	fp := capacity.Footprint{Replicas: 2,
		Requests: capacity.Resources{CPU: "50m", Memory: "96Mi"}, Limits: capacity.Resources{CPU: "200m", Memory: "256Mi"}}
	return f.release("aws-load-balancer-controller", LBCChart, helmaddon.Config{
		Namespace: kubeSystem,
		Values: map[string]any{
			"clusterName": f.Cluster.Name,
			// Explicit region and VPC: the controller must not depend on IMDS (hop limit 1).
			"region":            f.Cfg.Region,
			"vpcId":             *f.Network.VPC.Id(),
			"replicaCount":      fp.Replicas,
			"resources":         fp.ResourceValues(),
			"serviceAccount":    map[string]any{"create": true, "name": sa},
			"defaultTargetType": "ip",
		},
		Footprints: []capacity.Footprint{fp},
		DependsOn:  append(deps, id.Association),
	})
}

func (f *Foundation) clusterAutoscaler(deps []cdktf.ITerraformDependable) *helmaddon.Addon {
	const sa = "cluster-autoscaler"
	id := podidentity.New(f.TerraformStack, "autoscaler-identity", podidentity.Config{
		Names: f.Names, Component: "cluster-autoscaler", Mode: podidentity.PodIdentity,
		ClusterName: f.Cluster.EKS.Name(), Namespace: kubeSystem, ServiceAccount: sa,
		Policy:    clusterAutoscalerPolicy(f.Key, f.Cfg.Region, f.Cluster.Name),
		DependsOn: deps,
	})
	fp := capacity.Footprint{Replicas: 1,
		Requests: capacity.Resources{CPU: "50m", Memory: "128Mi"}, Limits: capacity.Resources{CPU: "200m", Memory: "320Mi"}}
	return f.release("cluster-autoscaler", AutoscalerChart, helmaddon.Config{
		Namespace: kubeSystem,
		Values: map[string]any{
			"autoDiscovery": map[string]any{"clusterName": f.Cluster.Name},
			"awsRegion":     f.Cfg.Region,
			"cloudProvider": "aws",
			"image":         map[string]any{"tag": config.AutoscalerImageTag(f.Cfg.Cluster.Version)},
			"rbac":          map[string]any{"serviceAccount": map[string]any{"create": true, "name": sa}},
			"replicaCount":  fp.Replicas,
			"resources":     fp.ResourceValues(),
			"extraArgs": map[string]any{
				"balance-similar-node-groups": true,
				"expander":                    "least-waste",
				"skip-nodes-with-system-pods": false,
				"scale-down-unneeded-time":    "10m",
				"scale-down-delay-after-add":  "10m",
			},
		},
		Footprints: []capacity.Footprint{fp},
		DependsOn:  append(deps, id.Association),
	})
}

// outputs are for operators (`terraform output`); later stacks reference the Go values
// directly and CDKTF adds the cross-stack outputs it needs.
func (f *Foundation) outputs() {
	f.output("cluster_name", "EKS cluster name", f.Cluster.EKS.Name())
	f.output("cluster_endpoint", "EKS API endpoint", f.Cluster.Endpoint())
	f.output("cluster_certificate_authority", "Base64 PEM of the API server CA", f.Cluster.CAData())
	f.output("cluster_security_group_id", "Security group EKS attaches to the control plane and nodes",
		f.Cluster.EKS.VpcConfig().ClusterSecurityGroupId())
	f.output("oidc_provider_arn", "IAM OIDC provider for IRSA", f.Cluster.OIDC.Arn())
	f.output("oidc_issuer", "OIDC issuer URL", f.Cluster.EKS.Identity().Get(jsii.Number(0)).Oidc().Get(jsii.Number(0)).Issuer())
	f.output("vpc_id", "VPC id", f.Network.VPC.Id())
	f.output("private_subnet_ids", "Private subnets (nodes, internal load balancers)", f.Network.PrivateSubnetIDs)
	f.output("public_subnet_ids", "Public subnets (internet-facing load balancers)", f.Network.PublicSubnetIDs)
	f.output("kms_key_arn", "Platform KMS key (EKS secrets, logs)", f.Key.KMS.Arn())
	f.output("node_role_arn", "Node IAM role", f.Nodes.Role.Arn())
}
