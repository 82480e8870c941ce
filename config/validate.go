package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Problem is one thing wrong with a configuration.
type Problem struct {
	// Path is the YAML path of the value, e.g. nodes.minSize or cluster.adminPrincipalArns[1];
	// empty when the problem concerns the file as a whole (invalid YAML).
	Path string
	// Message says what is wrong and, after a semicolon, what is allowed.
	Message string
	// Line is the 1-based line in the file, or 0 when unknown (a default, or no file).
	Line int
}

// ValidationError lists every problem of one configuration file, so that an engineer fixes them
// all in one round. Load and LoadFromBytes return it (use errors.As) for invalid YAML, unknown
// keys, wrong types and rule violations alike.
type ValidationError struct {
	File     string
	Problems []Problem
}

// Error returns one line per problem: "<file>: <path>: <message>", followed by " (line N)" when
// the line is known.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		var b strings.Builder
		if e.File != "" {
			b.WriteString(e.File + ": ")
		}
		if p.Path != "" {
			b.WriteString(p.Path + ": ")
		}
		b.WriteString(p.Message)
		if p.Line > 0 {
			fmt.Fprintf(&b, " (line %d)", p.Line)
		}
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n")
}

// ProblemAt returns the first problem at path, for callers and tests that look for one field.
func (e *ValidationError) ProblemAt(path string) (Problem, bool) {
	for _, p := range e.Problems {
		if p.Path == path {
			return p, true
		}
	}
	return Problem{}, false
}

// SupportedKubernetesVersions are the EKS minor versions the platform is tested with. Adding one
// needs an AutoscalerImageTag entry and a look at every pinned chart's kubeVersion.
var SupportedKubernetesVersions = []string{"1.34", "1.35"}

// autoscalerTags pins the cluster-autoscaler release per Kubernetes minor: the autoscaler only
// supports the minor it was built for.
var autoscalerTags = map[string]string{
	"1.34": "v1.34.5",
	"1.35": "v1.35.2",
}

// AutoscalerImageTag is the cluster-autoscaler image tag for a Kubernetes minor version, or ""
// for a version that is not supported.
func AutoscalerImageTag(version string) string {
	return autoscalerTags[version]
}

// logRetentionDays are the values CloudWatch Logs accepts for a retention period.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// Limits that are not obvious from the rules themselves.
const (
	maxInstanceTypes = 20  // EKS managed node groups accept at most 20 instance types
	maxNodes         = 100 // a sanity bound for this platform, well below EKS quotas
)

var (
	projectRe    = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)
	ownerRe      = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
	regionRe     = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d$`)
	bucketRe     = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`)
	arnRe        = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:iam::\d{12}:(role|user)/[\w+=,.@/-]+$`)
	instanceRe   = regexp.MustCompile(`^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|xlarge|\d+xlarge|metal(-\d+xl)?)$`)
	dnsLabelRe   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	secretNameRe = regexp.MustCompile(`^[\w/+=.@-]{1,512}$`)
)

// rfc1918 are the private IPv4 ranges a VPC may use.
var rfc1918 = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// Validate checks every rule and returns a *ValidationError listing all problems, or nil. When
// File is named after an environment (dev.yaml), Environment must match it.
func (c *Config) Validate() error {
	base := filepath.Base(c.File)
	env := strings.TrimSuffix(base, filepath.Ext(base))
	if !slices.Contains(Environments, env) {
		env = ""
	}
	return c.validate(env)
}

// problems collects what is wrong; add formats one message.
type problems []Problem

func (ps *problems) add(path, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// validate is Validate for the environment wantEnv ("" when unknown).
func (c *Config) validate(wantEnv string) error {
	var ps problems
	c.validateIdentity(&ps, wantEnv)
	c.validateState(&ps)
	c.Network.validate(&ps)
	c.Cluster.validate(&ps)
	c.validateAPIAccess(&ps)
	c.Nodes.validate(&ps)
	c.validatePods(&ps)
	c.Services.validate(&ps)
	c.Ingress.validate(&ps)
	c.Observability.validate(&ps)
	c.ServiceMesh.validate(&ps, c.Environment)
	c.GitOps.validate(&ps)
	c.Security.validate(&ps)
	c.validateSecretNames(&ps)
	c.validateDataUnderGatekeeper(&ps)
	c.DataServices.validate(&ps, c.Environment)
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{File: c.File, Problems: ps}
}

func (c *Config) validateIdentity(ps *problems, wantEnv string) {
	const projectRule = "use a DNS label of 2-20 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen"
	switch {
	case c.Project == "":
		ps.add("project", "is required; %s", projectRule)
	case !projectRe.MatchString(c.Project):
		ps.add("project", "%q is not a DNS label; %s", c.Project, projectRule)
	case len(c.Project) < 2 || len(c.Project) > 20:
		ps.add("project", "%q has %d characters; %s", c.Project, len(c.Project), projectRule)
	}

	allowedEnvs := strings.Join(Environments, ", ")
	switch {
	case !slices.Contains(Environments, c.Environment):
		ps.add("environment", "%q is not an environment; allowed: %s", c.Environment, allowedEnvs)
	case wantEnv != "" && c.Environment != wantEnv:
		ps.add("environment", "%q does not match the environment being loaded, %q; %s.yaml must say environment: %s", c.Environment, wantEnv, wantEnv, wantEnv)
	}

	const ownerRule = "a team name or e-mail address of at most 256 characters: letters, digits, spaces and _ . : / = + - @"
	switch {
	case strings.TrimSpace(c.Owner) == "":
		ps.add("owner", "is required; %s", ownerRule)
	case utf8.RuneCountInString(c.Owner) > 256:
		ps.add("owner", "has %d characters; %s", utf8.RuneCountInString(c.Owner), ownerRule)
	case !ownerRe.MatchString(c.Owner):
		ps.add("owner", "%q is not a valid AWS tag value; %s", c.Owner, ownerRule)
	}

	if !regionRe.MatchString(c.Region) {
		ps.add("region", "%q is not an AWS region; use a region code like us-east-1", c.Region)
	}
	if u, err := url.Parse(c.RunbookBaseURL); err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(c.RunbookBaseURL, "/") {
		ps.add("runbookBaseUrl", "%q is not a base URL for runbooks; use an https URL without query, fragment or trailing slash, e.g. https://github.com/<org>/<repo>/blob/main/docs/runbooks", c.RunbookBaseURL)
	}
}

func (c *Config) validateState(ps *problems) {
	if c.State.Region != "" && !regionRe.MatchString(c.State.Region) {
		ps.add("state.region", "%q is not an AWS region; use a region code like us-east-1, or leave it empty for the platform region", c.State.Region)
	}
	if b := c.State.Bucket; b != "" {
		if why := bucketProblem(b); why != "" {
			ps.add("state.bucket", "%q %s; use 3-63 lowercase letters, digits, dots and hyphens, or leave it empty for a local backend", b, why)
		}
	}
}

// bucketProblem says why b is not an S3 bucket name, or returns "".
func bucketProblem(b string) string {
	switch {
	case len(b) < 3 || len(b) > 63:
		return fmt.Sprintf("has %d characters", len(b))
	case !bucketRe.MatchString(b):
		return "has characters other than lowercase letters, digits, dots and hyphens, or does not start and end with a letter or digit"
	case strings.Contains(b, ".."), strings.Contains(b, ".-"), strings.Contains(b, "-."):
		return "has adjacent dots or a dot next to a hyphen"
	case net.ParseIP(b) != nil:
		return "looks like an IP address"
	case strings.HasPrefix(b, "xn--"), strings.HasPrefix(b, "sthree-"),
		strings.HasSuffix(b, "-s3alias"), strings.HasSuffix(b, "--ol-s3"):
		return "uses a prefix or suffix that S3 reserves"
	}
	return ""
}

func (n Network) validate(ps *problems) {
	vpc, vpcOK := netip.Prefix{}, false
	p, err := netip.ParsePrefix(n.VPCCIDR)
	switch {
	case err != nil || !p.Addr().Is4():
		ps.add("network.vpcCidr", "%q is not an IPv4 CIDR; use a private range like 10.0.0.0/16", n.VPCCIDR)
	case p.Masked() != p:
		ps.add("network.vpcCidr", "%q has host bits set; use the network address %s", n.VPCCIDR, p.Masked())
	case p.Bits() < 16 || p.Bits() > 24:
		ps.add("network.vpcCidr", "%q has a /%d prefix; AWS allows /16 to /24 for a VPC", n.VPCCIDR, p.Bits())
	case !slices.ContainsFunc(rfc1918, func(r netip.Prefix) bool { return r.Contains(p.Addr()) && r.Bits() <= p.Bits() }):
		ps.add("network.vpcCidr", "%q is not a private range; use one inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918)", n.VPCCIDR)
	default:
		vpc, vpcOK = p, true
	}

	azOK := n.AZCount == 2 || n.AZCount == 3
	if !azOK {
		ps.add("network.azCount", "%d is not allowed; use 2 or 3", n.AZCount)
	}

	prefixesOK := true
	for _, t := range n.tiers() {
		path := "network." + t.name + "SubnetPrefix"
		switch {
		case t.prefix > maxSubnetPrefix || t.prefix < 1:
			ps.add(path, "/%d is not a subnet size AWS allows; use a prefix up to /%d", t.prefix, maxSubnetPrefix)
			prefixesOK = false
		case vpcOK && t.prefix <= vpc.Bits():
			ps.add(path, "/%d is not smaller than the VPC (/%d); use a prefix longer than /%d and at most /%d", t.prefix, vpc.Bits(), vpc.Bits(), maxSubnetPrefix)
			prefixesOK = false
		}
	}
	if vpcOK && azOK && prefixesOK {
		if _, need, ok := n.carve(vpc); !ok {
			ps.add("network.vpcCidr", "%s", n.noFit(vpc, need))
		}
	}

	if n.NATGateways != NATSingle && n.NATGateways != NATPerAZ {
		ps.add("network.natGateways", "%q is not a NAT strategy; allowed: %s, %s", n.NATGateways, NATSingle, NATPerAZ)
	}
	checkRetention(ps, "network.flowLogRetentionDays", n.FlowLogRetentionDays)
}

func checkRetention(ps *problems, path string, days int) {
	if !slices.Contains(logRetentionDays, days) {
		ps.add(path, "%d days is not a CloudWatch Logs retention period; allowed: %s", days, joinInts(logRetentionDays))
	}
}

func (cl Cluster) validate(ps *problems) {
	if !slices.Contains(SupportedKubernetesVersions, cl.Version) {
		ps.add("cluster.version", "%q is not a supported Kubernetes version; allowed: %s (quote it in YAML)", cl.Version, strings.Join(SupportedKubernetesVersions, ", "))
	}

	switch {
	case !cl.EndpointPublicAccess && len(cl.PublicAccessCIDRs) > 0:
		// Say what the list holds: it may come from an anchor or merge key rather than this line.
		ps.add("cluster.publicAccessCidrs", "is %v but cluster.endpointPublicAccess is false; set publicAccessCidrs: [] or enable the public endpoint", cl.PublicAccessCIDRs)
	case cl.EndpointPublicAccess && len(cl.PublicAccessCIDRs) == 0:
		ps.add("cluster.publicAccessCidrs", "is empty but cluster.endpointPublicAccess is true; list your office/VPN egress CIDRs and the CI runner's egress, e.g. [\"203.0.113.0/24\"] (there is no open default), or set endpointPublicAccess: false with privateAccessCidrs (docs/adr/0005)")
	}
	seen := map[string]bool{}
	for i, s := range cl.PublicAccessCIDRs {
		path := fmt.Sprintf("cluster.publicAccessCidrs[%d]", i)
		p, err := netip.ParsePrefix(s)
		switch {
		case err != nil || !p.Addr().Is4():
			ps.add(path, "%q is not an IPv4 CIDR; use a block like 203.0.113.0/24", s)
		case p.Masked() != p:
			ps.add(path, "%q has host bits set; EKS wants the network address %s", s, p.Masked())
		case seen[s]:
			ps.add(path, "%q is listed twice; list each CIDR once", s)
		}
		seen[s] = true
	}

	seen = map[string]bool{}
	for i, arn := range cl.AdminPrincipalARNs {
		path := fmt.Sprintf("cluster.adminPrincipalArns[%d]", i)
		switch {
		case !arnRe.MatchString(arn):
			ps.add(path, "%q is not an IAM role or user ARN; use arn:aws:iam::123456789012:role/name", arn)
		case seen[arn]:
			ps.add(path, "%q is listed twice; list each principal once", arn)
		}
		seen[arn] = true
	}
	checkRetention(ps, "cluster.logRetentionDays", cl.LogRetentionDays)
}

func (ng NodeGroup) validate(ps *problems) {
	if len(ng.InstanceTypes) == 0 {
		ps.add("nodes.instanceTypes", "is empty; list at least one EC2 instance type, e.g. [t3.large]")
	}
	if len(ng.InstanceTypes) > maxInstanceTypes {
		ps.add("nodes.instanceTypes", "has %d entries; EKS allows at most %d", len(ng.InstanceTypes), maxInstanceTypes)
	}
	seen := map[string]bool{}
	for i, t := range ng.InstanceTypes {
		path := fmt.Sprintf("nodes.instanceTypes[%d]", i)
		switch {
		case !instanceRe.MatchString(t):
			ps.add(path, "%q is not an EC2 instance type; use a name like t3.large or m6i.2xlarge", t)
		case seen[t]:
			ps.add(path, "%q is listed twice; list each instance type once", t)
		}
		seen[t] = true
	}
	if ng.CapacityType != CapacitySpot && ng.CapacityType != CapacityOnDemand {
		ps.add("nodes.capacityType", "%q is not a capacity type; allowed: %s, %s", ng.CapacityType, CapacitySpot, CapacityOnDemand)
	}

	sizeRule := fmt.Sprintf("must satisfy 1 <= minSize <= desiredSize <= maxSize <= %d", maxNodes)
	if ng.MinSize < 1 {
		ps.add("nodes.minSize", "%d is less than 1; %s", ng.MinSize, sizeRule)
	}
	if ng.MaxSize > maxNodes {
		ps.add("nodes.maxSize", "%d is more than %d; %s", ng.MaxSize, maxNodes, sizeRule)
	}
	if ng.MinSize > ng.MaxSize {
		ps.add("nodes.minSize", "%d is greater than nodes.maxSize %d; %s", ng.MinSize, ng.MaxSize, sizeRule)
	}
	if ng.DesiredSize < ng.MinSize {
		ps.add("nodes.desiredSize", "%d is less than nodes.minSize %d; %s", ng.DesiredSize, ng.MinSize, sizeRule)
	}
	if ng.DesiredSize > ng.MaxSize {
		ps.add("nodes.desiredSize", "%d is greater than nodes.maxSize %d; %s", ng.DesiredSize, ng.MaxSize, sizeRule)
	}
	if ng.DiskSizeGiB < 20 || ng.DiskSizeGiB > 1000 {
		ps.add("nodes.diskSizeGiB", "%d is out of range; use 20 to 1000 GiB", ng.DiskSizeGiB)
	}
}

func (s ServiceDefaults) validate(ps *problems) {
	validateRequestLimit(ps, "services.", s.CPURequest, s.CPULimit, s.MemoryRequest, s.MemoryLimit)
	if s.Replicas < 1 || s.Replicas > 50 {
		ps.add("services.replicas", "%d is out of range; use 1 to 50", s.Replicas)
	}
}

// Zone is the Cloudflare zone that holds the domain: CloudflareZone, or Domain when that is empty.
func (i Ingress) Zone() string {
	if i.CloudflareZone != "" {
		return i.CloudflareZone
	}
	return i.Domain
}

func (i Ingress) validate(ps *problems) {
	const domainRule = "use a lowercase DNS name like dev.platform.example.com (no wildcard, no trailing dot)"
	domainOK := false
	switch why := dnsNameProblem(i.Domain); {
	case i.Domain == "":
		ps.add("ingress.domain", "is required; %s", domainRule)
	case why != "":
		ps.add("ingress.domain", "%q %s; %s", i.Domain, why, domainRule)
	default:
		domainOK = true
	}

	if z := i.CloudflareZone; z != "" {
		if why := dnsNameProblem(z); why != "" {
			ps.add("ingress.cloudflareZone", "%q %s; use the zone name as shown in Cloudflare, e.g. example.com, or leave it empty for the domain", z, why)
		} else if domainOK && i.Domain != z && !strings.HasSuffix(i.Domain, "."+z) {
			ps.add("ingress.cloudflareZone", "%q does not contain ingress.domain %q; use the domain itself or a parent of it", z, i.Domain)
		}
	}

	const emailRule = "use a bare address like platform-team@example.com that receives Let's Encrypt notices"
	if i.IssuerEmail == "" {
		ps.add("ingress.issuerEmail", "is required; %s", emailRule)
	} else if why := emailProblem(i.IssuerEmail); why != "" {
		ps.add("ingress.issuerEmail", "%q %s; %s", i.IssuerEmail, why, emailRule)
	}

	if i.DefaultIssuer != ACMEStaging && i.DefaultIssuer != ACMEProduction {
		ps.add("ingress.defaultIssuer", "%q is not an ACME issuer; allowed: %s, %s", i.DefaultIssuer, ACMEStaging, ACMEProduction)
	}
	if i.Replicas < 2 || i.Replicas > 10 {
		ps.add("ingress.replicas", "%d is out of range; use 2 to 10 so that a node loss keeps ingress up", i.Replicas)
	}

	switch i.TokenSource {
	case TokenSourceCreate:
		if i.TokenSecretName != "" {
			ps.add("ingress.tokenSecretName", "is set but ingress.tokenSource is %s; remove it, or use tokenSource: %s", TokenSourceCreate, TokenSourceSecretsManager)
		}
	case TokenSourceSecretsManager:
		switch {
		case i.TokenSecretName == "":
			ps.add("ingress.tokenSecretName", "is required when ingress.tokenSource is %s; name the AWS Secrets Manager secret holding the Cloudflare token", TokenSourceSecretsManager)
		case !secretNameRe.MatchString(i.TokenSecretName):
			ps.add("ingress.tokenSecretName", "%q is not a Secrets Manager secret name; use 1-512 letters, digits and / _ + = . @ -", i.TokenSecretName)
		}
	default:
		ps.add("ingress.tokenSource", "%q is not a token source; allowed: %s, %s", i.TokenSource, TokenSourceCreate, TokenSourceSecretsManager)
	}
}

// dnsNameProblem says why s is not a lowercase DNS name of at least two labels, or returns "".
func dnsNameProblem(s string) string {
	labels := strings.Split(s, ".")
	switch {
	case len(s) > 253:
		return fmt.Sprintf("has %d characters, more than 253", len(s))
	case strings.Contains(s, "*"):
		return "is a wildcard"
	case strings.HasSuffix(s, "."):
		return "ends with a dot"
	case strings.ToLower(s) != s:
		return "has uppercase letters"
	case len(labels) < 2:
		return "has a single label"
	}
	for _, l := range labels {
		if !dnsLabelRe.MatchString(l) {
			return fmt.Sprintf("has the invalid label %q (1-63 letters, digits and inner hyphens)", l)
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return "has an all-numeric top-level label, which is an IP address rather than a name"
	}
	return ""
}

// emailProblem says why s is not a bare e-mail address with a DNS domain, or returns "".
func emailProblem(s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "is not an e-mail address"
	}
	if a.Name != "" || a.Address != s {
		return "is not a bare address (no display name, angle brackets or comments)"
	}
	at := strings.LastIndex(s, "@")
	if dnsNameProblem(strings.ToLower(s[at+1:])) != "" {
		return "does not have a DNS domain with a dot after the @"
	}
	return ""
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}
