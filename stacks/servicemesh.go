package stacks

import (
	"fmt"
	"net"
	"strconv"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/constructs/helmaddon"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

// Names the service-mesh stack gives to later stacks, microservices and operators.
const (
	IstioNamespace = "istio-system"
	// IstioTrustDomain is the SPIFFE trust domain of every workload identity.
	IstioTrustDomain = "cluster.local"
	// InjectionLabel on a namespace (value "enabled") puts its pods in the mesh.
	InjectionLabel = "istio-injection"
	// PodInjectionLabel (value "true") enrols one pod of a namespace that is not labelled.
	PodInjectionLabel = "sidecar.istio.io/inject"
	// TracingProvider is the meshConfig extension provider that sends spans to the collector.
	TracingProvider = "otel-tracing"
	// IstioImageHub is where the pinned images come from (the charts name a testing hub).
	IstioImageHub = "docker.io/istio"
	// istiodXDSPort serves xDS and certificates to proxies; istiodWebhookPort is the injection
	// and validation webhook that the API server calls (Service port 443 targets it).
	istiodXDSPort     = 15012
	istiodWebhookPort = 15017
)

// ServiceMesh is Workflow 6: Istio in sidecar mode (docs/adr/0009-mesh-mode.md), STRICT mTLS
// mesh-wide, deny-by-default AuthorizationPolicies per meshed namespace, telemetry to the
// observability stack, and the security group rules istiod needs.
type ServiceMesh struct {
	*Base
	Istiod *helmaddon.Addon
	// Policies is the release holding PeerAuthentication, namespaces and AuthorizationPolicies.
	Policies *helmaddon.Addon
	// SecurityGroupRules are the ingress rules added to the cluster security group.
	SecurityGroupRules []vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule
	obs                ObservabilityOutputs
}

// NewServiceMesh builds stack 6 on the foundation's cluster, next to Emissary from the ingress
// stack and sending telemetry to the observability stack named by obs.
func NewServiceMesh(scope constructs.Construct, cfg *config.Config, ledger *capacity.Ledger, f *Foundation, in *Ingress, obs ObservabilityOutputs) *ServiceMesh {
	w, _ := WorkflowByID("service-mesh")
	m := &ServiceMesh{Base: newBase(scope, cfg, w, ledger), obs: obs}
	m.AddDependency(f.TerraformStack)
	m.AddDependency(obs.Stack)
	m.Helm = newHelmProvider(m.TerraformStack, f.Access())

	m.SecurityGroupRules = m.securityGroupRules(f.ClusterSecurityGroupID())
	base := m.release("istio-base", IstioBaseChart, helmaddon.Config{
		Namespace: IstioNamespace,
		// CRDs and the default-revision validation webhook; istiod serves the webhook.
		Values:      map[string]any{"global": map[string]any{"istioNamespace": IstioNamespace}, "defaultRevision": "default"},
		NoWorkloads: true,
	})
	cni := m.cni(base)
	m.Istiod = m.istiod(base, cni)
	m.declareEdgeSidecars(in)
	m.Policies = m.policies()
	telemetry := m.telemetry()
	m.alerts(telemetry)
	m.outputs()
	return m
}

// securityGroupRules lets the control plane reach istiod's webhook and proxies reach istiod's
// xDS port. EKS's cluster security group already allows all traffic among its members; these
// rules state what Istio needs so that they survive a move to dedicated node groups.
func (m *ServiceMesh) securityGroupRules(clusterSG *string) []vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule {
	rule := func(id string, port int, what string) vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule {
		return vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(m.TerraformStack, jsii.String(id), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId:           clusterSG,
			ReferencedSecurityGroupId: clusterSG,
			IpProtocol:                jsii.String("tcp"),
			FromPort:                  jsii.Number(float64(port)),
			ToPort:                    jsii.Number(float64(port)),
			Description:               jsii.String(what),
			Tags:                      tagging.ComponentTags("istio"),
		})
	}
	return []vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule{
		rule("istiod-webhook", istiodWebhookPort, "Istio: EKS control plane to istiod sidecar-injection and validation webhook"),
		rule("istiod-xds", istiodXDSPort, "Istio: proxies to istiod xDS and certificate signing"),
	}
}

// cni chains Istio's CNI plugin after Cilium (foundation sets cni.exclusive=false), so pods need
// no NET_ADMIN init container to set up traffic capture.
func (m *ServiceMesh) cni(base *helmaddon.Addon) *helmaddon.Addon {
	fp := capacity.Footprint{Component: "istio-cni", DaemonSet: true,
		Requests: capacity.Resources{CPU: "10m", Memory: "48Mi"}, Limits: capacity.Resources{CPU: "200m", Memory: "192Mi"}}
	return m.release("istio-cni", IstioCNIChart, helmaddon.Config{
		Namespace: IstioNamespace,
		Values: map[string]any{
			"global": map[string]any{"hub": IstioImageHub, "tag": IstioVersion},
			// Cilium writes 05-cilium.conflist on AL2023 nodes; Istio's plugin joins that list.
			"chained":           true,
			"cniBinDir":         "/opt/cni/bin",
			"cniConfDir":        "/etc/cni/net.d",
			"excludeNamespaces": []any{"kube-system", IstioNamespace},
			"resources":         fp.ResourceValues(),
			// Pods started before the node agent was ready are repaired, not left unmeshed.
			"repair": map[string]any{"enabled": true, "repairPods": true},
		},
		Footprints: []capacity.Footprint{fp},
		DependsOn:  []cdktf.ITerraformDependable{base.Release},
	})
}

// istiod installs the control plane sized from config, with the sidecar resources, tracing
// provider and access-log format every injected proxy uses.
func (m *ServiceMesh) istiod(base, cni *helmaddon.Addon) *helmaddon.Addon {
	sm := m.Cfg.ServiceMesh
	fp := capacity.Footprint{Component: "istiod", Replicas: sm.IstiodReplicas,
		Requests: capacity.Resources{CPU: "100m", Memory: "256Mi"}, Limits: capacity.Resources{CPU: "1", Memory: "1Gi"}}
	host, port := m.otlpEndpoint()
	values := map[string]any{
		"global": map[string]any{
			"hub": IstioImageHub, "tag": IstioVersion,
			"istioNamespace": IstioNamespace,
			"logAsJson":      true,
			"proxy": map[string]any{
				"resources": proxyFootprint(sm).ResourceValues(),
			},
			// A PDB with minAvailable 1 on a single replica would block every node drain.
			"defaultPodDisruptionBudget": map[string]any{"enabled": fp.Replicas > 1},
		},
		"replicaCount": fp.Replicas,
		// A fixed replica count keeps the deployed pods equal to the checked footprint.
		"autoscaleEnabled": false,
		"resources":        fp.ResourceValues(),
		"pdb":              map[string]any{"minAvailable": 1},
		// Injected pods get no istio-init container: the CNI node agent sets up capture.
		"cni": map[string]any{"enabled": true},
		"meshConfig": map[string]any{
			"trustDomain":           IstioTrustDomain,
			"enablePrometheusMerge": true,
			"accessLogEncoding":     "JSON",
			"defaultConfig": map[string]any{
				// Applications start once their sidecar can route, so first calls do not fail.
				"holdApplicationUntilProxyStarts": true,
			},
			"extensionProviders": []any{map[string]any{
				"name":          TracingProvider,
				"opentelemetry": map[string]any{"service": host, "port": port},
			}},
		},
	}
	if fp.Replicas > 1 {
		values["topologySpreadConstraints"] = meshSpread(map[string]any{"app": "istiod"})
	}
	return m.release("istiod", IstiodChart, helmaddon.Config{
		Namespace:  IstioNamespace,
		Values:     values,
		Footprints: []capacity.Footprint{fp},
		DependsOn:  []cdktf.ITerraformDependable{base.Release, cni.Release},
	})
}

// proxyFootprint is one sidecar container as config sizes it.
func proxyFootprint(sm config.ServiceMesh) capacity.Footprint {
	return capacity.Footprint{
		Requests: capacity.Resources{CPU: sm.Proxy.CPURequest, Memory: sm.Proxy.MemoryRequest},
		Limits:   capacity.Resources{CPU: sm.Proxy.CPULimit, Memory: sm.Proxy.MemoryLimit},
	}
}

// declareEdgeSidecars records the sidecars that Emissary's pods carry (EmissaryMeshValues): they
// are the mesh's cost, so they count against this workflow's budget.
func (m *ServiceMesh) declareEdgeSidecars(in *Ingress) {
	fp := proxyFootprint(m.Cfg.ServiceMesh)
	fp.Component = "emissary-sidecar"
	fp.Replicas = in.Cfg.Ingress.Replicas
	fp.Sidecar = true
	m.declare(fp)
}

// EmissaryMeshValues are the pod labels and annotations the ingress stack gives Emissary so that
// it joins the mesh as a client: its sidecar originates mTLS to meshed services with Emissary's
// own identity, while inbound traffic from the NLB is not captured and reaches Envoy directly.
func EmissaryMeshValues(cfg *config.Config) (labels, annotations map[string]any) {
	if cfg.ServiceMesh.Mode != config.MeshSidecar {
		return map[string]any{}, map[string]any{}
	}
	return map[string]any{PodInjectionLabel: "true"},
		map[string]any{"traffic.sidecar.istio.io/includeInboundPorts": ""}
}

// policies installs STRICT mTLS for the mesh and, per meshed namespace, the namespace itself and
// its deny-by-default AuthorizationPolicies.
func (m *ServiceMesh) policies() *helmaddon.Addon {
	return m.localRelease("mesh-policies", charts.MeshPolicies, helmaddon.Config{
		Namespace: IstioNamespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"rootNamespace":  IstioNamespace,
			"trustDomain":    IstioTrustDomain,
			"injectionLabel": InjectionLabel,
			"namespaces":     m.namespaceList(),
			// Gitops team namespaces are created (and labelled for injection) by gitops.
			"existingNamespaces": toAny(shared(m.Cfg.ServiceMesh.Namespaces, teamNamespaces(m.Cfg))),
			"ingress":            map[string]any{"namespace": IngressNamespace, "serviceAccount": EmissaryRelease},
			"prometheus": map[string]any{
				"namespace": m.obs.PrometheusNamespace, "serviceAccount": m.obs.PrometheusServiceAccount,
			},
		},
		NoWorkloads: true,
		// The CRDs from base and istiod's validation webhook must be up.
		DependsOn: []cdktf.ITerraformDependable{m.Istiod.Release},
	})
}

// telemetry installs the mesh-wide Telemetry resource (traces to the collector, access logs),
// the scrape configuration for istiod and the sidecars, and the Grafana dashboard.
func (m *ServiceMesh) telemetry() *helmaddon.Addon {
	sm := m.Cfg.ServiceMesh
	return m.localRelease("mesh-telemetry", charts.MeshTelemetry, helmaddon.Config{
		Namespace: IstioNamespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"rootNamespace":   IstioNamespace,
			"tracing":         map[string]any{"provider": TracingProvider, "samplingPercentage": sm.TraceSampling},
			"accessLogs":      map[string]any{"enabled": sm.AccessLogs},
			"scrapeInterval":  "30s",
			"dashboard":       map[string]any{"label": m.obs.DashboardLabel, "namespace": m.obs.Namespace},
			"meshNamespaces":  append(m.namespaceList(), IngressNamespace),
			"istiodNamespace": IstioNamespace,
		},
		NoWorkloads: true,
		DependsOn:   []cdktf.ITerraformDependable{m.Istiod.Release},
	})
}

func (m *ServiceMesh) namespaceList() []any {
	out := make([]any, len(m.Cfg.ServiceMesh.Namespaces))
	for i, ns := range m.Cfg.ServiceMesh.Namespaces {
		out[i] = ns
	}
	return out
}

// otlpEndpoint splits the collector's OTLP/gRPC host:port from the observability contract.
func (m *ServiceMesh) otlpEndpoint() (string, int) {
	host, p, err := net.SplitHostPort(m.obs.OTLPGRPC)
	if err != nil {
		panic(fmt.Errorf("service-mesh: observability OTLPGRPC %q is not host:port: %w", m.obs.OTLPGRPC, err))
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		panic(fmt.Errorf("service-mesh: observability OTLPGRPC %q has no numeric port: %w", m.obs.OTLPGRPC, err))
	}
	return host, port
}

// meshSpread is a zone and host topology spread for the pods matching labels.
func meshSpread(labels map[string]any) []any {
	sel := map[string]any{"matchLabels": labels}
	return []any{
		map[string]any{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": sel},
		map[string]any{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": sel},
	}
}

func (m *ServiceMesh) outputs() {
	sm := m.Cfg.ServiceMesh
	m.output("istio_namespace", "Namespace of the Istio control plane", IstioNamespace)
	m.output("istio_version", "Istio release of the charts and images", IstioVersion)
	m.output("mesh_mode", "Data-plane mode (docs/adr/0009-mesh-mode.md)", sm.Mode)
	m.output("meshed_namespaces", "Workload namespaces in the mesh (STRICT mTLS, deny-by-default)", sm.Namespaces)
	m.output("injection_label", "Namespace label that puts pods in the mesh", InjectionLabel+"=enabled")
	m.output("excluded_namespaces", "Platform namespaces kept out of the mesh, with the reason", config.MeshExcludedNamespaces)
	m.output("trust_domain", "SPIFFE trust domain of workload identities", IstioTrustDomain)
	m.output("tracing_endpoint", "OTLP/gRPC endpoint the proxies send spans to", m.obs.OTLPGRPC)
}

// alerts are the mesh's failure modes, each with its runbook section in
// docs/runbooks/service-mesh.md.
func (m *ServiceMesh) alerts(deps ...*helmaddon.Addon) *helmaddon.Addon {
	istiod := `up{namespace="` + IstioNamespace + `", service="istiod"}`
	source := `istio_requests_total{reporter="source"}`
	groups := []AlertGroup{{Name: "istio", Rules: []Alert{
		{
			Name: "IstiodUnavailable", Expr: `sum(` + istiod + `) < 1 or absent(` + istiod + `)`, For: "5m", Severity: "critical",
			Summary:     "istiod is down: no new pods get sidecars, certificates stop renewing",
			Description: "No istiod target has been up for 5 minutes. Injection fails closed and workload certificates expire within 24h.",
			Runbook:     "service-mesh#istiod-unavailable",
		},
		{
			Name: "IstioUpstream503s",
			Expr: `sum by (destination_service) (rate(istio_requests_total{reporter="source", response_code="503"}[5m]))` +
				` / sum by (destination_service) (rate(` + source + `[5m])) > 0.05`,
			For: "10m", Severity: "warning",
			Summary:     "More than 5% of calls to {{ $labels.destination_service }} fail with 503",
			Description: "Sidecars report 503 (upstream connect errors, no healthy upstream or no route) for {{ $labels.destination_service }}.",
			Runbook:     "service-mesh#503-upstream-connect-errors",
		},
		{
			Name: "IstioPlaintextTraffic",
			Expr: `sum by (destination_workload_namespace) (rate(istio_requests_total{reporter="destination", connection_security_policy!="mutual_tls"}[5m])) > 0`,
			For:  "10m", Severity: "warning",
			Summary:     "Requests without mutual TLS reach {{ $labels.destination_workload_namespace }}",
			Description: "STRICT mTLS should make this zero; a PeerAuthentication override or a workload outside the mesh is accepting plaintext.",
			Runbook:     "service-mesh#mtls-handshake-failures",
		},
		{
			Name: "IstioCertificateSigningErrors", Expr: `sum(rate(citadel_server_csr_sign_error_count[5m])) > 0`, For: "10m", Severity: "warning",
			Summary:     "istiod fails to sign workload certificates",
			Description: "Workloads whose certificates cannot be renewed fail mTLS handshakes once the current ones expire.",
			Runbook:     "service-mesh#mtls-handshake-failures",
		},
		{
			Name: "IstioCNINodeAgentUnavailable",
			Expr: `kube_daemonset_status_number_unavailable{namespace="` + IstioNamespace + `", daemonset="istio-cni-node"} > 0`,
			For:  "15m", Severity: "warning",
			Summary:     "The Istio CNI node agent is not running on every node",
			Description: "Pods scheduled on a node without the agent start without traffic capture (the repair controller restarts them); check the Cilium chaining.",
			Runbook:     "service-mesh#cilium-interplay",
		},
	}}}
	var ds []cdktf.ITerraformDependable
	for _, d := range deps {
		ds = append(ds, d.Release)
	}
	return m.alertRules("service-mesh-rules", IstioNamespace, groups, ds...)
}
