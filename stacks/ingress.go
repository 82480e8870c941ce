package stacks

import (
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawslb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawssecretsmanagersecretversion"
	"github.com/cdktf/cdktf-provider-cloudflare-go/cloudflare/v13/apitoken"
	"github.com/cdktf/cdktf-provider-cloudflare-go/cloudflare/v13/datacloudflareapitokenpermissiongroupslist"
	"github.com/cdktf/cdktf-provider-cloudflare-go/cloudflare/v13/datacloudflarezone"
	cfprovider "github.com/cdktf/cdktf-provider-cloudflare-go/cloudflare/v13/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/constructs/helmaddon"
	"github.com/platformeng/eks-platform/constructs/tfexpr"
)

// Names the ingress stack gives to later stacks and to microservices.
const (
	IngressNamespace     = "emissary"
	IngressClass         = "ambassador"
	EmissaryRelease      = "emissary-ingress"
	CertManagerNamespace = "cert-manager"
	ExternalDNSNamespace = "external-dns"
	WildcardTLSSecret    = "wildcard-tls"
	StagingIssuer        = "letsencrypt-staging"
	ProductionIssuer     = "letsencrypt-production"
	tokenSecretName      = "cloudflare-api-token"
	tokenSecretKey       = "api-token"
)

// Ingress is Workflow 2: Emissary-ingress behind an NLB, cert-manager with Let's Encrypt DNS-01
// through Cloudflare, and external-dns publishing Emissary Hosts to Cloudflare.
type Ingress struct {
	*Base
	// DefaultIssuer is the ClusterIssuer the wildcard certificate uses.
	DefaultIssuer string
	// LoadBalancerHostname is the NLB's DNS name, known after apply.
	LoadBalancerHostname *string
	Emissary             *helmaddon.Addon
}

// NewIngress builds stack 2 on the foundation. Every cluster value comes from the foundation
// stack's Go values: CDKTF turns them into cross-stack outputs and remote-state reads.
func NewIngress(scope constructs.Construct, cfg *config.Config, ledger *capacity.Ledger, f *Foundation) *Ingress {
	w, _ := WorkflowByID("ingress")
	in := &Ingress{Base: newBase(scope, cfg, w, ledger)}
	in.AddDependency(f.TerraformStack)
	in.Helm = newHelmProvider(in.TerraformStack, f.Access())

	in.DefaultIssuer = StagingIssuer
	if cfg.Ingress.DefaultIssuer == config.ACMEProduction {
		in.DefaultIssuer = ProductionIssuer
	}
	token := in.cloudflareToken()

	// The token reaches the cluster only as a Secret, through set_sensitive.
	cmToken := in.tokenSecret("cloudflare-token-cert-manager", CertManagerNamespace, token)
	dnsToken := in.tokenSecret("cloudflare-token-external-dns", ExternalDNSNamespace, token)

	certManager := in.certManager()
	emissaryCRDs := in.release("emissary-crds", EmissaryCRDsChart, helmaddon.Config{
		Name: "emissary-crds", Namespace: "emissary-system",
		// Only getambassador.io/v3alpha1 is served: no conversion webhook, no apiext pods.
		Values:      map[string]any{"enableLegacyVersions": false},
		NoWorkloads: true,
	})
	in.Emissary = in.emissary(emissaryCRDs)
	issuers := in.localRelease("cert-issuers", charts.CertIssuers, helmaddon.Config{
		Namespace: CertManagerNamespace,
		Values: map[string]any{
			"email":         cfg.Ingress.IssuerEmail,
			"domain":        cfg.Ingress.Domain,
			"zone":          cfg.Ingress.Zone(),
			"defaultIssuer": in.DefaultIssuer,
			"tokenSecret":   map[string]any{"name": tokenSecretName, "key": tokenSecretKey},
			"certificate":   map[string]any{"name": "wildcard", "namespace": IngressNamespace, "secretName": WildcardTLSSecret},
		},
		NoWorkloads: true,
		// CRDs from cert-manager, the token Secret, and the emissary namespace must exist.
		DependsOn: []cdktf.ITerraformDependable{certManager.Release, cmToken.Release, in.Emissary.Release},
	})
	externalDNS := in.externalDNS(dnsToken)
	in.localRelease("emissary-edge", charts.EmissaryEdge, helmaddon.Config{
		Namespace: IngressNamespace, CreateNamespace: jsii.Bool(false),
		Values: map[string]any{
			"domain":        cfg.Ingress.Domain,
			"tlsSecretName": WildcardTLSSecret,
			"serviceMonitor": map[string]any{
				"enabled": true, "interval": "30s",
				"selector": map[string]any{"service": "ambassador-admin"}, "port": "ambassador-admin",
			},
		},
		NoWorkloads: true,
		DependsOn:   []cdktf.ITerraformDependable{in.Emissary.Release, issuers.Release, externalDNS.Release},
	})

	lb := dataawslb.NewDataAwsLb(in.TerraformStack, jsii.String("emissary-nlb"), &dataawslb.DataAwsLbConfig{
		Tags: &map[string]*string{
			"service.k8s.aws/stack": jsii.String(IngressNamespace + "/" + EmissaryRelease),
			"elbv2.k8s.aws/cluster": f.Cluster.EKS.Name(),
		},
		// helm waits until the Service has its load balancer, so it exists by now.
		DependsOn: &[]cdktf.ITerraformDependable{in.Emissary.Release},
	})
	in.LoadBalancerHostname = lb.DnsName()
	in.outputs()
	return in
}

// cloudflareToken is the token external-dns and cert-manager use: a new token scoped to the
// zone (DNS edit, zone read), or an existing one from AWS Secrets Manager.
func (in *Ingress) cloudflareToken() *string {
	if in.Cfg.Ingress.TokenSource == config.TokenSourceSecretsManager {
		secret := dataawssecretsmanagersecretversion.NewDataAwsSecretsmanagerSecretVersion(in.TerraformStack, jsii.String("cloudflare-token"),
			&dataawssecretsmanagersecretversion.DataAwsSecretsmanagerSecretVersionConfig{
				SecretId: jsii.String(in.Cfg.Ingress.TokenSecretName),
			})
		return secret.SecretString()
	}
	// The provider reads CLOUDFLARE_API_TOKEN from the environment: a token allowed to create
	// the scoped token below, never written to configuration. With a token from Secrets Manager
	// the stack needs no Cloudflare access at all.
	cfprovider.NewCloudflareProvider(in.TerraformStack, jsii.String("cloudflare"), &cfprovider.CloudflareProviderConfig{})
	zone := datacloudflarezone.NewDataCloudflareZone(in.TerraformStack, jsii.String("zone"), &datacloudflarezone.DataCloudflareZoneConfig{
		Filter: &datacloudflarezone.DataCloudflareZoneFilter{Name: jsii.String(in.Cfg.Ingress.Zone())},
	})
	// Every permission group, selected by exact name in Terraform: the API's name filter wants a
	// URL-encoded value, which the provider's SDK encodes once more ("DNS%2520Write"), so a
	// filtered list comes back empty (issue 7, defect 7).
	groups := datacloudflareapitokenpermissiongroupslist.NewDataCloudflareApiTokenPermissionGroupsList(in.TerraformStack, jsii.String("permission-groups"),
		&datacloudflareapitokenpermissiongroupslist.DataCloudflareApiTokenPermissionGroupsListConfig{
			MaxItems: jsii.Number(permissionGroupsMax),
		})
	result := *groups.Fqn() + ".result"
	var checks []*cdktf.Precondition
	group := func(id, name string) *string {
		// The matching ids as a local, so that the id and the precondition share one expression.
		ids := cdktf.NewTerraformLocal(in.TerraformStack, jsii.String(id), "${"+PermissionGroupMatches(result, name, zoneScope)+"}")
		checks = append(checks, &cdktf.Precondition{
			Condition:    cdktf.Op_Eq(cdktf.Fn_LengthOf(ids.AsList()), jsii.Number(1)),
			ErrorMessage: jsii.String(fmt.Sprintf("Cloudflare has no single permission group named %q with scope %s: check the token's permission group names (cloudflare_api_token_permission_groups_list).", name, zoneScope)),
		})
		return cdktf.Token_AsString(cdktf.Fn_One(ids.AsList()), nil)
	}
	tok := apitoken.NewApiToken(in.TerraformStack, jsii.String("cloudflare-dns-token"), &apitoken.ApiTokenConfig{
		Name: jsii.String(in.Names.Name("external-dns-cert-manager")),
		Policies: &[]*apitoken.ApiTokenPolicies{{
			Effect: jsii.String("allow"),
			PermissionGroups: &[]*apitoken.ApiTokenPoliciesPermissionGroups{
				{Id: group("cloudflare-dns-write-group-ids", DNSWriteGroup)},
				{Id: group("cloudflare-zone-read-group-ids", ZoneReadGroup)},
			},
			Resources: tfexpr.JSONEncode(map[string]any{zoneScope + "." + *zone.Id(): "*"}),
		}},
		Lifecycle: &cdktf.TerraformResourceLifecycle{Precondition: &checks},
	})
	return tok.Value()
}

// TXTWildcardReplacement replaces "*" in the names of external-dns's ownership TXT records.
const TXTWildcardReplacement = "wildcard"

// Cloudflare permission groups of the DNS token, by their exact names, and their scope.
const (
	DNSWriteGroup = "DNS Write"
	ZoneReadGroup = "Zone Read"
	zoneScope     = "com.cloudflare.api.account.zone"
	// permissionGroupsMax is more than Cloudflare's few hundred groups, so none is cut off.
	permissionGroupsMax = 1000
)

// PermissionGroupMatches is the Terraform expression for the ids of the permission groups named
// exactly name with scope, in a permission-group list (a reference such as
// data.cloudflare_api_token_permission_groups_list.x.result). The token takes one() of it, which
// fails on a duplicate; a precondition requires exactly one match, so a missing group is named
// rather than sent to Cloudflare as a null id.
func PermissionGroupMatches(list, name, scope string) string {
	return fmt.Sprintf("[for g in %s : g.id if g.name == %s && contains(g.scopes, %s)]", list, hclString(name), hclString(scope))
}

// hclString quotes s as an HCL string literal; names are plain text, so only quotes, backslashes
// and template sequences need escaping.
func hclString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "${", "$${", "%{", "%%{")
	return `"` + r.Replace(s) + `"`
}

func (in *Ingress) tokenSecret(id, namespace string, token *string) *helmaddon.Addon {
	return in.localRelease(id, charts.CloudflareToken, helmaddon.Config{
		Namespace:   namespace,
		Values:      map[string]any{"secretName": tokenSecretName, "secretKey": tokenSecretKey},
		Sensitive:   map[string]*string{"apiToken": token},
		NoWorkloads: true,
	})
}

func (in *Ingress) certManager() *helmaddon.Addon {
	controller := capacity.Footprint{Component: "cert-manager", Replicas: 1,
		Requests: capacity.Resources{CPU: "20m", Memory: "64Mi"}, Limits: capacity.Resources{CPU: "200m", Memory: "256Mi"}}
	webhook := capacity.Footprint{Component: "cert-manager-webhook", Replicas: 1,
		Requests: capacity.Resources{CPU: "10m", Memory: "32Mi"}, Limits: capacity.Resources{CPU: "100m", Memory: "128Mi"}}
	cainjector := capacity.Footprint{Component: "cert-manager-cainjector", Replicas: 1,
		Requests: capacity.Resources{CPU: "10m", Memory: "48Mi"}, Limits: capacity.Resources{CPU: "100m", Memory: "256Mi"}}
	return in.release("cert-manager", CertManagerChart, helmaddon.Config{
		Namespace: CertManagerNamespace,
		Values: map[string]any{
			"crds":         map[string]any{"enabled": true, "keep": true},
			"replicaCount": controller.Replicas,
			"resources":    controller.ResourceValues(),
			"webhook":      map[string]any{"replicaCount": webhook.Replicas, "resources": webhook.ResourceValues()},
			"cainjector":   map[string]any{"replicaCount": cainjector.Replicas, "resources": cainjector.ResourceValues()},
			// Check DNS-01 propagation against public resolvers, not the VPC resolver.
			"dns01RecursiveNameservers":     "1.1.1.1:53,8.8.8.8:53",
			"dns01RecursiveNameserversOnly": true,
			"prometheus":                    map[string]any{"enabled": true, "servicemonitor": map[string]any{"enabled": true}},
		},
		Footprints: []capacity.Footprint{controller, webhook, cainjector},
	})
}

func (in *Ingress) externalDNS(token *helmaddon.Addon) *helmaddon.Addon {
	// One pod: chart 1.21.1 hard-codes `replicas: 1` in its Deployment and has no replicaCount
	// value, and external-dns must run as a single writer anyway.
	fp := capacity.Footprint{Replicas: 1,
		Requests: capacity.Resources{CPU: "10m", Memory: "40Mi"}, Limits: capacity.Resources{CPU: "100m", Memory: "128Mi"}}
	policy := "sync"
	if in.Cfg.Environment == "prod" {
		// prod never deletes records it did not just create.
		policy = "upsert-only"
	}
	return in.release("external-dns", ExternalDNSChart, helmaddon.Config{
		Namespace: ExternalDNSNamespace,
		Values: map[string]any{
			"provider": map[string]any{"name": "cloudflare"},
			"env": []any{map[string]any{
				"name":      "CF_API_TOKEN",
				"valueFrom": map[string]any{"secretKeyRef": map[string]any{"name": tokenSecretName, "key": tokenSecretKey}},
			}},
			"sources":       []any{"service"},
			"domainFilters": []any{in.Cfg.Ingress.Domain},
			"policy":        policy,
			"registry":      "txt",
			"txtOwnerId":    in.Names.Name("external-dns"),
			"extraArgs": map[string]any{
				"cloudflare-proxied": in.Cfg.Ingress.Proxied,
				// The ownership TXT record of *.<domain> would otherwise be named with a literal
				// "*" (e.g. cname-*.<domain>), which Cloudflare rejects (docs/registry/txt.md).
				"txt-wildcard-replacement": TXTWildcardReplacement,
			},
			"resources":      fp.ResourceValues(),
			"serviceMonitor": map[string]any{"enabled": true},
		},
		Footprints: []capacity.Footprint{fp},
		DependsOn:  []cdktf.ITerraformDependable{token.Release},
	})
}

func (in *Ingress) emissary(crds *helmaddon.Addon) *helmaddon.Addon {
	fp := capacity.Footprint{Replicas: in.Cfg.Ingress.Replicas,
		Requests: capacity.Resources{CPU: "50m", Memory: "150Mi"}, Limits: capacity.Resources{CPU: "500m", Memory: "512Mi"}}
	selector := map[string]any{"matchLabels": map[string]any{
		"app.kubernetes.io/name": EmissaryRelease, "app.kubernetes.io/instance": EmissaryRelease,
	}}
	// Emissary joins the service mesh as a client (Workflow 6, EmissaryMeshValues).
	meshLabels, meshAnnotations := EmissaryMeshValues(in.Cfg)
	return in.release(EmissaryRelease, EmissaryChart, helmaddon.Config{
		Namespace: IngressNamespace,
		Values: map[string]any{
			"podLabels":           meshLabels,
			"podAnnotations":      meshAnnotations,
			"replicaCount":        fp.Replicas,
			"resources":           fp.ResourceValues(),
			"podDisruptionBudget": map[string]any{"maxUnavailable": 1},
			"topologySpreadConstraints": []any{
				map[string]any{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": selector},
				map[string]any{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": selector},
			},
			"service": map[string]any{
				"type":              "LoadBalancer",
				"loadBalancerClass": "service.k8s.aws/nlb",
				// Local keeps client source IPs; with IP targets the NLB sends only to ready pods.
				"externalTrafficPolicy": "Local",
				"annotations": map[string]any{
					// external-dns publishes the apex and the wildcard to this NLB.
					"external-dns.alpha.kubernetes.io/hostname":                                      "*." + in.Cfg.Ingress.Domain + "," + in.Cfg.Ingress.Domain,
					"service.beta.kubernetes.io/aws-load-balancer-type":                              "external",
					"service.beta.kubernetes.io/aws-load-balancer-scheme":                            "internet-facing",
					"service.beta.kubernetes.io/aws-load-balancer-nlb-target-type":                   "ip",
					"service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
					"service.beta.kubernetes.io/aws-load-balancer-attributes":                        "load_balancing.cross_zone.enabled=true",
				},
			},
			"adminService": map[string]any{"create": true},
			// Plain Kubernetes Ingress objects with this class are served too.
			"ingressClassResource":   map[string]any{"enabled": true, "name": IngressClass},
			"createDefaultListeners": false,
			"waitForApiext":          map[string]any{"enabled": false},
		},
		Footprints: []capacity.Footprint{fp},
		DependsOn:  []cdktf.ITerraformDependable{crds.Release},
	})
}

func (in *Ingress) outputs() {
	in.output("ingress_namespace", "Namespace of Emissary-ingress (Mappings may live anywhere)", IngressNamespace)
	in.output("ingress_class", "IngressClass served by Emissary (for plain Ingress objects)", IngressClass)
	in.output("ingress_service", "Emissary Service behind the NLB", IngressNamespace+"/"+EmissaryRelease)
	in.output("load_balancer_hostname", "DNS name of the internet-facing NLB", in.LoadBalancerHostname)
	in.output("cluster_issuers", "ClusterIssuers (default first)", []string{in.DefaultIssuer, other(in.DefaultIssuer)})
	in.output("wildcard_certificate_secret", "TLS Secret of *.<domain>", IngressNamespace+"/"+WildcardTLSSecret)
	in.output("domain", "The environment's domain", in.Cfg.Ingress.Domain)
}

func other(issuer string) string {
	if issuer == StagingIssuer {
		return ProductionIssuer
	}
	return StagingIssuer
}
