package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// baseIngress holds the two values without defaults, so that a test document without an ingress
// section is valid apart from what the test breaks.
const baseIngress = `
ingress:
  domain: dev.platform.example.com
  issuerEmail: platform-team@example.com
`

// baseCluster holds the values without defaults: the API allow-list (every environment) and
// prod's break-glass admin.
const baseCluster = `
cluster:
  publicAccessCidrs: [203.0.113.0/24]
  adminPrincipalArns: ["arn:aws:iam::123456789012:role/break-glass"]
`

// doc completes a test document with environment, cluster access and ingress unless it sets
// them itself.
func doc(s string) string {
	if !strings.Contains(s, "environment:") {
		s = "environment: dev\n" + s
	}
	if !strings.Contains(s, "cluster:") {
		s += baseCluster
	}
	if !strings.Contains(s, "ingress:") {
		s += baseIngress
	}
	return s
}

func TestValidDocuments(t *testing.T) {
	for name, data := range map[string]string{
		"minimal":              "",
		"unquoted version":     "cluster:\n  version: 1.35\n  publicAccessCidrs: [203.0.113.0/24]\n",
		"supported 1.34":       "cluster:\n  version: \"1.34\"\n  publicAccessCidrs: [203.0.113.0/24]\n",
		"two AZs":              "network:\n  azCount: 2\n",
		"172.16 VPC /20":       "network:\n  vpcCidr: 172.16.0.0/20\n  privateSubnetPrefix: 22\n  publicSubnetPrefix: 24\n  intraSubnetPrefix: 28\n  prefixDelegation: false\nnodes:\n  maxPods: 35\n",
		"192.168 VPC /24":      "network:\n  vpcCidr: 192.168.10.0/24\n  azCount: 2\n  privateSubnetPrefix: 26\n  publicSubnetPrefix: 27\n  intraSubnetPrefix: 28\n  prefixDelegation: false\nnodes:\n  minSize: 1\n  desiredSize: 1\n  maxSize: 1\n  maxPods: 35\n",
		"state bucket":         "state:\n  bucket: acme.tfstate-dev\n  region: eu-west-1\n",
		"gov region":           "region: us-gov-west-1\n",
		"on demand":            "nodes:\n  capacityType: ON_DEMAND\n  instanceTypes: [m6i.2xlarge, c7g.metal, m7i.metal-24xl, u-6tb1.112xlarge]\n",
		"equal sizes":          "nodes:\n  minSize: 1\n  desiredSize: 1\n  maxSize: 1\n",
		"request equals limit": "services:\n  cpuRequest: \"0.5\"\n  cpuLimit: 500m\n  memoryRequest: 1Gi\n  memoryLimit: 1024Mi\n",
		"null keeps default":   "owner:\nnodes:\n",
		"admins":               "cluster:\n  publicAccessCidrs: [203.0.113.0/24]\n  adminPrincipalArns:\n    - arn:aws:iam::123456789012:role/platform/admins\n    - arn:aws-us-gov:iam::123456789012:user/alice@example.com\n",
		"private endpoint":     "cluster:\n  endpointPublicAccess: false\n  privateAccessCidrs: [10.0.0.0/19, 172.16.8.0/24]\n",
		"dev may open its API": "cluster:\n  publicAccessCidrs: [0.0.0.0/0]\n",
		"public CIDRs":         "cluster:\n  publicAccessCidrs: [203.0.113.0/24, 198.51.100.7/32]\n",
		"unicode owner":        "owner: Équipe plateforme / ops+eks@example.com\n",
		"secrets manager": `ingress:
  domain: platform.example.com
  issuerEmail: ops@example.com
  tokenSource: secretsManager
  tokenSecretName: eks-platform-dev/cloudflare-token
`,
		"zone equals domain": `ingress:
  domain: example.co.uk
  cloudflareZone: example.co.uk
  issuerEmail: ops@example.co.uk
  proxied: true
  replicas: 10
`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := LoadFromBytes("dev.yaml", []byte(doc(data)), "dev"); err != nil {
				t.Errorf("unexpected error:\n%v", err)
			}
		})
	}
}

// TestInvalid has one row per rule: each names the exact field path and a distinctive part of
// the message, so that a rule reporting the wrong field, or not at all, fails.
func TestInvalid(t *testing.T) {
	tests := []struct {
		name string
		env  string // default dev
		yaml string // completed by doc
		path string
		msg  string
	}{
		// Decoding: syntax, unknown keys, types.
		{"invalid YAML", "", "nodes: [t3.large\n", "", "invalid YAML"},
		{"second document", "", "project: a1\n---\nproject: b1\n", "", "a second YAML document"},
		{"unknown top-level key", "", "vpc: 10.0.0.0/16\n", "vpc", "unknown field; allowed here: project, environment, owner, region, runbookBaseUrl, state"},
		{"unknown nested key", "", "nodes:\n  spot: true\n", "nodes.spot", "unknown field; allowed here: instanceTypes, capacityType"},
		{"key in wrong case", "", "network:\n  vpcCIDR: 10.0.0.0/16\n", "network.vpcCIDR", "did you mean vpcCidr?"},
		{"file field is not YAML", "", "file: x.yaml\n", "file", "unknown field"},
		{"duplicate key", "", "region: us-east-1\nregion: us-west-2\n", "region", "set twice (first on line 2)"},
		{"string for int", "", "nodes:\n  minSize: three\n", "nodes.minSize", `got string "three"; want an integer`},
		{"float for int", "", "nodes:\n  diskSizeGiB: 50.5\n", "nodes.diskSizeGiB", `got number "50.5"; want an integer`},
		{"scalar for list", "", "nodes:\n  instanceTypes: t3.large\n", "nodes.instanceTypes", `got string "t3.large"; want a list of strings`},
		{"quoted bool", "", "cluster:\n  endpointPublicAccess: \"yes\"\n", "cluster.endpointPublicAccess", "want true or false"},
		{"mapping for string", "", "region:\n  name: us-east-1\n", "region", "got a mapping; want a string"},
		{"list for section", "", "nodes: [t3.large]\n", "nodes", "got a list; want a mapping with the keys instanceTypes"},
		{"mapping in list", "", "cluster:\n  adminPrincipalArns:\n    - arn: x\n", "cluster.adminPrincipalArns[0]", "got a mapping; want a string"},
		{"yes for bool", "", "ingress:\n  domain: example.com\n  issuerEmail: ops@example.com\n  proxied: yes\n", "ingress.proxied", `got string "yes"; want true or false`},

		// Identity.
		{"project uppercase", "", "project: EKS_Platform\n", "project", "is not a DNS label"},
		{"project trailing hyphen", "", "project: eks-\n", "project", "is not a DNS label"},
		{"project starts with digit", "", "project: 1eks\n", "project", "is not a DNS label"},
		{"project too long", "", "project: abcdefghijklmnopqrstu\n", "project", "has 21 characters"},
		{"project too short", "", "project: a\n", "project", "has 1 characters"},
		{"environment mismatch", "", "environment: prod\n", "environment", `"prod" does not match the environment being loaded, "dev"`},
		{"environment unknown", "", "environment: qa\n", "environment", `"qa" is not an environment; allowed: dev, staging, prod`},
		{"owner blank", "", "owner: \"   \"\n", "owner", "is required"},
		{"owner charset", "", "owner: \"team#1\"\n", "owner", "is not a valid AWS tag value"},
		{"owner too long", "", "owner: " + strings.Repeat("a", 257) + "\n", "owner", "has 257 characters"},
		{"secret outside the store's prefix", "", "observability:\n  alerting:\n    receiver: webhook\n    secretName: team/alerts\n", "observability.alerting.secretName", "is outside eks-platform-dev/"},
		{"runbook base not https", "", "runbookBaseUrl: http://example.com/runbooks\n", "runbookBaseUrl", "is not a base URL for runbooks"},
		{"runbook base trailing slash", "", "runbookBaseUrl: https://example.com/runbooks/\n", "runbookBaseUrl", "without query, fragment or trailing slash"},
		{"region", "", "region: us-east\n", "region", "is not an AWS region"},
		{"region uppercase", "", "region: US-EAST-1\n", "region", "is not an AWS region"},
		{"state region", "", "state:\n  region: virginia\n", "state.region", "is not an AWS region"},
		{"bucket charset", "", "state:\n  bucket: My_Bucket\n", "state.bucket", "has characters other than"},
		{"bucket dots", "", "state:\n  bucket: a..b\n", "state.bucket", "adjacent dots"},
		{"bucket IP", "", "state:\n  bucket: 192.168.1.1\n", "state.bucket", "looks like an IP address"},
		{"bucket short", "", "state:\n  bucket: ab\n", "state.bucket", "has 2 characters"},

		// Network.
		{"bad CIDR", "", "network:\n  vpcCidr: 10.0.0.0/33\n", "network.vpcCidr", "is not an IPv4 CIDR"},
		{"IPv6 CIDR", "", "network:\n  vpcCidr: fd00::/56\n", "network.vpcCidr", "is not an IPv4 CIDR"},
		{"host bits", "", "network:\n  vpcCidr: 10.0.0.1/16\n", "network.vpcCidr", "has host bits set; use the network address 10.0.0.0/16"},
		{"VPC too large", "", "network:\n  vpcCidr: 10.0.0.0/12\n", "network.vpcCidr", "AWS allows /16 to /24"},
		{"VPC public range", "", "network:\n  vpcCidr: 8.8.0.0/16\n", "network.vpcCidr", "is not a private range"},
		{"VPC straddles RFC1918", "", "network:\n  vpcCidr: 172.15.0.0/16\n", "network.vpcCidr", "is not a private range"},
		{"subnets do not fit", "", "network:\n  vpcCidr: 10.0.0.0/20\n  privateSubnetPrefix: 21\n  publicSubnetPrefix: 24\n  intraSubnetPrefix: 28\n",
			"network.vpcCidr", "10.0.0.0/20 is too small for 3 private /21, 3 public /24 and 3 intra /28 subnets; they need a /19 or larger VPC"},
		{"subnet not smaller than VPC", "", "network:\n  vpcCidr: 10.0.0.0/20\n", "network.privateSubnetPrefix", "/19 is not smaller than the VPC (/20)"},
		{"subnet too small", "", "network:\n  intraSubnetPrefix: 29\n", "network.intraSubnetPrefix", "use a prefix up to /28"},
		{"azCount", "", "network:\n  azCount: 4\n", "network.azCount", "use 2 or 3"},
		{"NAT strategy", "", "network:\n  natGateways: none\n", "network.natGateways", "allowed: single, per-az"},
		{"flow log retention", "", "network:\n  flowLogRetentionDays: 10\n", "network.flowLogRetentionDays", "is not a CloudWatch Logs retention period"},

		// Cluster.
		{"kubernetes version", "", "cluster:\n  version: \"1.29\"\n", "cluster.version", "allowed: 1.34, 1.35"},
		{"log retention", "", "cluster:\n  logRetentionDays: 0\n", "cluster.logRetentionDays", "allowed: 1, 3, 5"},
		{"CIDRs with private endpoint", "", "cluster:\n  endpointPublicAccess: false\n  publicAccessCidrs: [203.0.113.0/24]\n", "cluster.publicAccessCidrs", "cluster.endpointPublicAccess is false"},
		{"no CIDRs with public endpoint", "", "cluster:\n  publicAccessCidrs: []\n", "cluster.publicAccessCidrs", "is empty but cluster.endpointPublicAccess is true"},
		{"bad public CIDR", "", "cluster:\n  publicAccessCidrs: [203.0.113.0/24, 1.2.3.4/33]\n", "cluster.publicAccessCidrs[1]", "is not an IPv4 CIDR"},
		{"public CIDR host bits", "", "cluster:\n  publicAccessCidrs: [203.0.113.7/24]\n", "cluster.publicAccessCidrs[0]", "has host bits set"},
		{"duplicate public CIDR", "", "cluster:\n  publicAccessCidrs: [0.0.0.0/0, 0.0.0.0/0]\n", "cluster.publicAccessCidrs[1]", "listed twice"},
		// API endpoint access (docs/adr/0005-api-endpoint-access.md).
		{"no open default", "", "cluster:\n  version: \"1.35\"\n", "cluster.publicAccessCidrs", "list your office/VPN egress CIDRs and the CI runner's egress"},
		{"staging open to the world", "staging", "environment: staging\ncluster:\n  publicAccessCidrs: [203.0.113.0/24, 0.0.0.0/0]\n",
			"cluster.publicAccessCidrs[1]", `"0.0.0.0/0" opens the API to the internet, which staging does not allow`},
		{"prod wider than /8", "prod", "environment: prod\ncluster:\n  publicAccessCidrs: [64.0.0.0/2]\n  adminPrincipalArns: [\"arn:aws:iam::123456789012:role/bg\"]\n",
			"cluster.publicAccessCidrs[0]", "which prod does not allow"},
		{"prod without break-glass admin", "prod", "environment: prod\ncluster:\n  publicAccessCidrs: [203.0.113.0/24]\n",
			"cluster.adminPrincipalArns", "prod needs at least one break-glass admin principal"},
		{"private endpoint without private CIDRs", "", "cluster:\n  endpointPublicAccess: false\n",
			"cluster.privateAccessCidrs", "is empty but cluster.endpointPublicAccess is false"},
		{"private CIDR public range", "", "cluster:\n  endpointPublicAccess: false\n  privateAccessCidrs: [203.0.113.0/24]\n",
			"cluster.privateAccessCidrs[0]", "is not a private range"},
		{"private CIDR syntax", "", "cluster:\n  endpointPublicAccess: false\n  privateAccessCidrs: [10.0.0.0/8, vpn]\n",
			"cluster.privateAccessCidrs[1]", "is not an IPv4 CIDR"},
		{"private CIDR host bits", "", "cluster:\n  endpointPublicAccess: false\n  privateAccessCidrs: [10.0.0.1/16]\n",
			"cluster.privateAccessCidrs[0]", "has host bits set; use the network address 10.0.0.0/16"},
		{"private CIDR twice", "", "cluster:\n  endpointPublicAccess: false\n  privateAccessCidrs: [10.0.0.0/16, 10.0.0.0/16]\n",
			"cluster.privateAccessCidrs[1]", "listed twice"},
		{"bad ARN", "", "cluster:\n  adminPrincipalArns:\n    - arn:aws:iam::123456789012:role/admins\n    - arn:aws:iam::1234:role/admins\n",
			"cluster.adminPrincipalArns[1]", "is not an IAM role or user ARN"},
		{"group ARN", "", "cluster:\n  adminPrincipalArns: [\"arn:aws:iam::123456789012:group/admins\"]\n", "cluster.adminPrincipalArns[0]", "is not an IAM role or user ARN"},
		{"duplicate ARN", "", "cluster:\n  adminPrincipalArns: [\"arn:aws:iam::123456789012:role/a\", \"arn:aws:iam::123456789012:role/a\"]\n",
			"cluster.adminPrincipalArns[1]", "listed twice"},

		// Nodes.
		{"no instance types", "", "nodes:\n  instanceTypes: []\n", "nodes.instanceTypes", "list at least one"},
		{"bad instance type", "", "nodes:\n  instanceTypes: [t3.large, t3-large]\n", "nodes.instanceTypes[1]", "is not an EC2 instance type"},
		{"duplicate instance type", "", "nodes:\n  instanceTypes: [t3.large, t3.large]\n", "nodes.instanceTypes[1]", "listed twice"},
		{"too many instance types", "", "nodes:\n  instanceTypes: [" + instanceTypes(21) + "]\n", "nodes.instanceTypes", "EKS allows at most 20"},
		{"capacity type", "", "nodes:\n  capacityType: spot\n", "nodes.capacityType", "allowed: SPOT, ON_DEMAND"},
		{"min below 1", "", "nodes:\n  minSize: 0\n", "nodes.minSize", "0 is less than 1"},
		{"min above max", "", "nodes:\n  minSize: 11\n  desiredSize: 11\n", "nodes.minSize", "11 is greater than nodes.maxSize 10"},
		{"desired below min", "", "nodes:\n  desiredSize: 2\n", "nodes.desiredSize", "2 is less than nodes.minSize 3; must satisfy 1 <= minSize <= desiredSize <= maxSize"},
		{"desired above max", "", "nodes:\n  desiredSize: 12\n", "nodes.desiredSize", "12 is greater than nodes.maxSize 10"},
		{"max above 100", "", "nodes:\n  maxSize: 101\n", "nodes.maxSize", "101 is more than 100"},
		{"disk", "", "nodes:\n  diskSizeGiB: 10\n", "nodes.diskSizeGiB", "use 20 to 1000 GiB"},

		// Pods per node (docs/adr/0004-pods-per-node.md).
		{"maxPods too low", "", "nodes:\n  maxPods: 5\n", "nodes.maxPods", "5 is out of range; use 10 to 250"},
		{"maxPods above 250", "", "nodes:\n  maxPods: 300\n", "nodes.maxPods", "300 is out of range"},
		{"maxPods without prefix delegation", "", "network:\n  prefixDelegation: false\n", "nodes.maxPods",
			"110 is more than t3.large takes with network.prefixDelegation false (3 ENIs x 11 addresses + 2 = 35; EKS recommends at most 110 below 30 vCPUs); use at most 35, or set network.prefixDelegation: true for up to 110"},
		{"maxPods above EKS recommendation", "", "nodes:\n  maxPods: 111\n", "nodes.maxPods", "111 is more than t3.large takes with network.prefixDelegation true (3 ENIs x 11 /28 prefixes of 16 + 2 = 530"},
		{"maxPods over the smaller type", "", "network:\n  prefixDelegation: false\nnodes:\n  instanceTypes: [t3.large, m5.large]\n  maxPods: 35\n", "nodes.maxPods", "35 is more than m5.large takes"},
		{"private subnet too small for prefixes", "", "network:\n  privateSubnetPrefix: 22\n", "network.privateSubnetPrefix",
			"/22 holds 1019 addresses, but with network.prefixDelegation true, nodes.maxSize 10 and nodes.maxPods 110 one AZ may need 2300 (10 nodes x (7 /28 prefixes + 3 interface addresses) x 2)"},
		{"private subnet too small for addresses", "", "network:\n  privateSubnetPrefix: 24\n  prefixDelegation: false\nnodes:\n  maxPods: 35\n", "network.privateSubnetPrefix",
			"/24 holds 251 addresses, but with network.prefixDelegation false, nodes.maxSize 10 and nodes.maxPods 35 one AZ may need 360 (10 nodes x (33 pod addresses + 3 interface addresses) x 1)"},

		// Services.
		{"CPU syntax", "", "services:\n  cpuRequest: 100x\n", "services.cpuRequest", "is not a quantity; use millicores"},
		{"CPU zero", "", "services:\n  cpuRequest: 0m\n", "services.cpuRequest", "is zero"},
		{"CPU request above limit", "", "services:\n  cpuRequest: \"1\"\n", "services.cpuRequest", "1 is greater than services.cpuLimit 300m"},
		{"memory syntax", "", "services:\n  memoryLimit: 512MB\n", "services.memoryLimit", "is not a quantity; use a size like 256Mi"},
		{"memory request above limit", "", "services:\n  memoryRequest: 1Gi\n", "services.memoryRequest", "1Gi is greater than services.memoryLimit 512Mi"},
		{"service replicas", "", "services:\n  replicas: 0\n", "services.replicas", "use 1 to 50"},

		// Ingress.
		{"domain missing", "", "ingress:\n  issuerEmail: ops@example.com\n", "ingress.domain", "is required"},
		{"domain uppercase", "", "ingress:\n  domain: Dev.Example.com\n  issuerEmail: ops@example.com\n", "ingress.domain", "has uppercase letters"},
		{"domain wildcard", "", "ingress:\n  domain: \"*.example.com\"\n  issuerEmail: ops@example.com\n", "ingress.domain", "is a wildcard"},
		{"domain one label", "", "ingress:\n  domain: localhost\n  issuerEmail: ops@example.com\n", "ingress.domain", "has a single label"},
		{"domain bad label", "", "ingress:\n  domain: my_app.example.com\n  issuerEmail: ops@example.com\n", "ingress.domain", `has the invalid label "my_app"`},
		{"domain is an IP", "", "ingress:\n  domain: 10.0.0.1\n  issuerEmail: ops@example.com\n", "ingress.domain", "all-numeric top-level label"},
		{"domain trailing dot", "", "ingress:\n  domain: example.com.\n  issuerEmail: ops@example.com\n", "ingress.domain", "ends with a dot"},
		{"domain too long", "", "ingress:\n  domain: " + longDomain() + "\n  issuerEmail: ops@example.com\n", "ingress.domain", "more than 253"},
		{"zone not a parent", "", "ingress:\n  domain: dev.platform.example.com\n  cloudflareZone: example.org\n  issuerEmail: ops@example.com\n",
			"ingress.cloudflareZone", `does not contain ingress.domain "dev.platform.example.com"`},
		{"zone suffix but not parent", "", "ingress:\n  domain: myexample.com\n  cloudflareZone: example.com\n  issuerEmail: ops@example.com\n",
			"ingress.cloudflareZone", "does not contain ingress.domain"},
		{"email missing", "", "ingress:\n  domain: example.com\n", "ingress.issuerEmail", "is required"},
		{"email syntax", "", "ingress:\n  domain: example.com\n  issuerEmail: platform-team\n", "ingress.issuerEmail", "is not an e-mail address"},
		{"email display name", "", "ingress:\n  domain: example.com\n  issuerEmail: \"Platform <ops@example.com>\"\n", "ingress.issuerEmail", "is not a bare address"},
		{"email no dot in domain", "", "ingress:\n  domain: example.com\n  issuerEmail: ops@localhost\n", "ingress.issuerEmail", "does not have a DNS domain with a dot"},
		{"default issuer", "", "ingress:\n  domain: example.com\n  issuerEmail: ops@example.com\n  defaultIssuer: prod\n", "ingress.defaultIssuer", "allowed: staging, production"},
		{"ingress replicas", "", "ingress:\n  domain: example.com\n  issuerEmail: ops@example.com\n  replicas: 1\n", "ingress.replicas", "use 2 to 10"},
		{"unknown token source", "", "ingress:\n  domain: example.com\n  issuerEmail: ops@example.com\n  tokenSource: env\n", "ingress.tokenSource", "allowed: create, secretsManager"},
		{"secret name missing", "", "ingress:\n  domain: example.com\n  issuerEmail: ops@example.com\n  tokenSource: secretsManager\n",
			"ingress.tokenSecretName", "is required when ingress.tokenSource is secretsManager"},
		{"secret name invalid", "", "ingress:\n  domain: example.com\n  issuerEmail: ops@example.com\n  tokenSource: secretsManager\n  tokenSecretName: \"my token\"\n",
			"ingress.tokenSecretName", "is not a Secrets Manager secret name"},
		{"secret name with create", "", "ingress:\n  domain: example.com\n  issuerEmail: ops@example.com\n  tokenSecretName: cf-token\n",
			"ingress.tokenSecretName", "is set but ingress.tokenSource is create"},

		// The environment being loaded decides the defaults, and the check.
		{"prod loaded as staging", "staging", "environment: prod\n", "environment", `does not match the environment being loaded, "staging"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := tc.env
			if env == "" {
				env = "dev"
			}
			file := "environments/" + env + ".yaml"
			c, err := LoadFromBytes(file, []byte(doc(tc.yaml)), env)
			if err == nil {
				t.Fatalf("no error; config %+v", c)
			}
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("err = %T %v, want *ValidationError", err, err)
			}
			if verr.File != file {
				t.Errorf("File = %q, want %q", verr.File, file)
			}
			p, ok := verr.ProblemAt(tc.path)
			if !ok {
				t.Fatalf("no problem at %q:\n%v", tc.path, err)
			}
			if !strings.Contains(p.Message, tc.msg) {
				t.Errorf("message at %s = %q, want it to contain %q", tc.path, p.Message, tc.msg)
			}
			prefix := file + ": "
			if tc.path != "" {
				prefix += tc.path + ": "
			}
			if !strings.Contains(err.Error(), prefix+p.Message) {
				t.Errorf("Error() does not contain %q:\n%v", prefix+p.Message, err)
			}
			// A problem with a key written in the document points at its line.
			key, _, _ := strings.Cut(tc.path[strings.LastIndex(tc.path, ".")+1:], "[")
			if p.Line == 0 && key != "" && strings.Contains(tc.yaml, key+":") {
				t.Errorf("problem at %s has no line", tc.path)
			}
		})
	}
}

func instanceTypes(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("m%d.large", i+1)
	}
	return strings.Join(s, ", ")
}

func longDomain() string {
	return strings.Repeat(strings.Repeat("a", 63)+".", 4) + "com"
}

// TestDocumentShape covers documents that doc would complete into something else.
func TestDocumentShape(t *testing.T) {
	for data, want := range map[string]string{
		"just text\n":             `dev.yaml: got string "just text"; want a mapping with the keys project, environment`,
		"- dev\n- prod\n":         `dev.yaml: got a list; want a mapping`,
		"\tproject: x\n":          `dev.yaml: invalid YAML: found character that cannot start any token`,
		"project: [\n":            `dev.yaml: invalid YAML: did not find expected node content (line 1)`,
		"a: &a [*a]\nnodes: *a\n": `dev.yaml: a: unknown field`,
	} {
		_, err := LoadFromBytes("dev.yaml", []byte(data), "dev")
		var verr *ValidationError
		if !errors.As(err, &verr) || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: err = %v, want a *ValidationError starting with %q", data, err, want)
		}
	}
}

// TestAllProblemsReported: one error lists every problem, one per line, in field order.
func TestAllProblemsReported(t *testing.T) {
	data := `project: Bad_Name
environment: dev
region: mars-1
network:
  vpcCidr: 10.0.0.0/8
cluster:
  version: "1.20"
  publicAccessCidrs: [203.0.113.0/24]
nodes:
  capacityType: RESERVED
  minSize: 5
  desiredSize: 4
ingress:
  domain: example.com
  issuerEmail: nobody
  tokenSource: vault
`
	_, err := LoadFromBytes("dev.yaml", []byte(data), "dev")
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		"project", "region", "network.vpcCidr", "cluster.version", "nodes.capacityType",
		"nodes.desiredSize", "ingress.issuerEmail", "ingress.tokenSource",
	}
	var got []string
	for _, p := range verr.Problems {
		got = append(got, p.Path)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("problems at\n  %v\nwant\n  %v\n%v", got, want, err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("Error() has %d lines, want %d:\n%v", len(lines), len(want), err)
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, "dev.yaml: "+want[i]+": ") || !strings.Contains(l, "; ") {
			t.Errorf("line %d = %q, want \"dev.yaml: %s: <what is wrong>; <what is allowed>\"", i, l, want[i])
		}
	}
}

// TestValidateFileName: Validate on its own checks Environment against an env-named file.
func TestValidateFileName(t *testing.T) {
	c := Defaults("dev")
	c.Ingress.Domain, c.Ingress.IssuerEmail = "example.com", "ops@example.com"
	c.Cluster.PublicAccessCIDRs = []string{"203.0.113.0/24"}
	for file, wantErr := range map[string]bool{
		"":                              false,
		"config/environments/dev.yaml":  false,
		"custom.yaml":                   false,
		"config/environments/prod.yaml": true,
	} {
		c.File = file
		err := c.Validate()
		if (err != nil) != wantErr {
			t.Errorf("File %q: err = %v, want error %v", file, err, wantErr)
		}
	}
	// Without a file the lines carry no file prefix.
	c.File, c.Nodes.DiskSizeGiB = "", 1
	if err := c.Validate(); err == nil || !strings.HasPrefix(err.Error(), "nodes.diskSizeGiB: 1 is out of range") {
		t.Errorf("err = %v", err)
	}
}

func TestAutoscalerImageTag(t *testing.T) {
	for _, v := range SupportedKubernetesVersions {
		// The image's minor must be the cluster's minor (any patch).
		if tag := AutoscalerImageTag(v); !strings.HasPrefix(tag, "v"+v+".") {
			t.Errorf("AutoscalerImageTag(%q) = %q", v, tag)
		}
	}
	if tag := AutoscalerImageTag("1.20"); tag != "" {
		t.Errorf("AutoscalerImageTag(unsupported) = %q, want empty", tag)
	}
}

func TestZone(t *testing.T) {
	if z := (Ingress{Domain: "dev.example.com"}).Zone(); z != "dev.example.com" {
		t.Errorf("Zone() = %q", z)
	}
	if z := (Ingress{Domain: "dev.example.com", CloudflareZone: "example.com"}).Zone(); z != "example.com" {
		t.Errorf("Zone() = %q", z)
	}
}
