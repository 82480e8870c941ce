// Package config holds the typed platform configuration: one YAML file per environment under
// config/environments, decoded strictly and validated before anything is synthesized.
package config

// Config is the whole configuration of one environment. Field names in YAML are the
// lowerCamelCase names in the tags; unknown keys are errors.
type Config struct {
	// Project is the first part of every resource name: a DNS label of at most 20 characters.
	Project string `yaml:"project"`
	// Environment is dev, staging or prod and must match the file name.
	Environment string `yaml:"environment"`
	// Owner lands in the Owner tag of every AWS resource (a team name or e-mail address).
	Owner string `yaml:"owner"`
	// Region is the AWS region of every stack.
	Region string `yaml:"region"`
	// RunbookBaseURL is where docs/runbooks is browsed (the repository's web view); every
	// alert's runbook_url is <RunbookBaseURL>/<file>.md#<section>.
	RunbookBaseURL string `yaml:"runbookBaseUrl"`

	State    State           `yaml:"state"`
	Network  Network         `yaml:"network"`
	Cluster  Cluster         `yaml:"cluster"`
	Nodes    NodeGroup       `yaml:"nodes"`
	Services ServiceDefaults `yaml:"services"`
	Ingress  Ingress         `yaml:"ingress"`
	GitOps   GitOps          `yaml:"gitops"`
	Security Security        `yaml:"security"`

	Observability Observability `yaml:"observability"`
	// ServiceMesh is Workflow 6 (config/servicemesh.go).
	ServiceMesh ServiceMesh `yaml:"serviceMesh"`

	DataServices DataServices `yaml:"dataServices"`

	// File is the path the configuration was read from; set by the loader, not by YAML.
	File string `yaml:"-"`
}

// State says where Terraform state lives. An empty Bucket means a local backend, so that synth
// and offline plans work on a laptop without an AWS account.
type State struct {
	Bucket string `yaml:"bucket"`
	// Region of the state bucket; defaults to Config.Region.
	Region string `yaml:"region"`
}

// NAT gateway strategies.
const (
	NATSingle = "single" // one NAT gateway for the VPC (cheap, one AZ is a single point of failure)
	NATPerAZ  = "per-az" // one NAT gateway per AZ (production)
)

// Network is the VPC layout. Subnets are carved from VPCCIDR in a fixed order (private, public,
// intra), one of each kind per AZ, with the given prefix lengths.
type Network struct {
	VPCCIDR              string `yaml:"vpcCidr"`
	AZCount              int    `yaml:"azCount"`
	PrivateSubnetPrefix  int    `yaml:"privateSubnetPrefix"`
	PublicSubnetPrefix   int    `yaml:"publicSubnetPrefix"`
	IntraSubnetPrefix    int    `yaml:"intraSubnetPrefix"`
	NATGateways          string `yaml:"natGateways"`
	FlowLogRetentionDays int    `yaml:"flowLogRetentionDays"`
	// PrefixDelegation makes Cilium's operator attach /28 prefixes instead of single addresses
	// to node ENIs, so that nodes.maxPods can exceed the per-address limit (t3.large: 35).
	PrefixDelegation bool `yaml:"prefixDelegation"`
}

// SubnetPlan is the result of carving Network.VPCCIDR: one CIDR per AZ for each tier, index i
// belongs to the i-th AZ.
type SubnetPlan struct {
	Private []string
	Public  []string
	Intra   []string
}

// Cluster is the EKS control plane.
type Cluster struct {
	// Version is the Kubernetes minor version, one of SupportedKubernetesVersions.
	Version string `yaml:"version"`
	// EndpointPublicAccess exposes the API endpoint publicly, restricted to PublicAccessCIDRs.
	// The private endpoint is always on (docs/adr/0005-api-endpoint-access.md).
	EndpointPublicAccess bool `yaml:"endpointPublicAccess"`
	// PublicAccessCIDRs are the office/VPN egress CIDRs of the operators and the CI runner's
	// egress; required with a public endpoint, no default. Staging and prod refuse 0.0.0.0/0.
	PublicAccessCIDRs []string `yaml:"publicAccessCidrs"`
	// PrivateAccessCIDRs may reach the private endpoint (HTTPS to the cluster security group):
	// a CI runner inside the VPC, a VPN or a peered network. Required without a public endpoint.
	PrivateAccessCIDRs []string `yaml:"privateAccessCidrs"`
	// AdminPrincipalARNs get cluster-admin through EKS access entries (IAM role or user ARNs);
	// prod needs at least one, the break-glass principal.
	AdminPrincipalARNs []string `yaml:"adminPrincipalArns"`
	LogRetentionDays   int      `yaml:"logRetentionDays"`
}

// Capacity types of the managed node group.
const (
	CapacitySpot     = "SPOT"
	CapacityOnDemand = "ON_DEMAND"
)

// NodeGroup is the managed node group that runs the platform and the microservices.
type NodeGroup struct {
	InstanceTypes []string `yaml:"instanceTypes"`
	CapacityType  string   `yaml:"capacityType"`
	MinSize       int      `yaml:"minSize"`
	DesiredSize   int      `yaml:"desiredSize"`
	MaxSize       int      `yaml:"maxSize"`
	DiskSizeGiB   int      `yaml:"diskSizeGiB"`
	// MaxPods is the kubelet's pod limit on every node; it also sizes the memory the kubelet
	// reserves (255Mi + 11Mi per pod) and the capacity check. At most what the instance types'
	// ENIs allow (see network.prefixDelegation) and the EKS recommendation (110 below 30 vCPUs).
	MaxPods int `yaml:"maxPods"`
}

// ServiceDefaults are the brief's per-microservice resources; the capacity report uses them to
// say how many services fit next to the platform.
type ServiceDefaults struct {
	CPURequest    string `yaml:"cpuRequest"`
	CPULimit      string `yaml:"cpuLimit"`
	MemoryRequest string `yaml:"memoryRequest"`
	MemoryLimit   string `yaml:"memoryLimit"`
	Replicas      int    `yaml:"replicas"`
}

// Ingress token sources: where external-dns and cert-manager get their Cloudflare API token.
const (
	TokenSourceCreate         = "create"         // a zone-scoped token created by the ingress stack
	TokenSourceSecretsManager = "secretsManager" // an existing token read from AWS Secrets Manager
)

// ACME servers for the default ClusterIssuer.
const (
	ACMEStaging    = "staging"
	ACMEProduction = "production"
)

// Ingress configures Workflow 2: Emissary-ingress, cert-manager and external-dns with Cloudflare.
type Ingress struct {
	// Domain is the environment's DNS domain; the wildcard certificate covers *.Domain and Domain.
	Domain string `yaml:"domain"`
	// CloudflareZone is the zone name looked up in Cloudflare; defaults to Domain.
	CloudflareZone string `yaml:"cloudflareZone"`
	// IssuerEmail receives Let's Encrypt expiry notices.
	IssuerEmail string `yaml:"issuerEmail"`
	// DefaultIssuer is staging or production (dev defaults to staging).
	DefaultIssuer string `yaml:"defaultIssuer"`
	// Replicas of Emissary-ingress (2 or more).
	Replicas int `yaml:"replicas"`
	// Proxied makes external-dns create Cloudflare-proxied records.
	Proxied bool `yaml:"proxied"`
	// TokenSource is create or secretsManager.
	TokenSource string `yaml:"tokenSource"`
	// TokenSecretName is the AWS Secrets Manager secret holding the token (secretsManager only).
	TokenSecretName string `yaml:"tokenSecretName"`
}
