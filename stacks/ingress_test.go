package stacks

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/config"
)

func ingress(t *testing.T, env string) tf { return synthPlatform(t, env, "", nil)["ingress"] }

func TestIngressWiring(t *testing.T) {
	d := ingress(t, "dev")
	rs := d.data("terraform_remote_state")
	foundation, ok := rs["cross-stack-reference-input-foundation"]
	if !ok {
		t.Fatalf("no remote state of foundation: %v", rs)
	}
	eq(t, "remote state path", at(t, foundation, "config", "path"), "../../../.state/dev/foundation.tfstate")
	k := at(t, d, "provider", "helm", 0, "kubernetes").(map[string]any)
	for field, v := range map[string]any{"host": k["host"], "ca": k["cluster_ca_certificate"], "cluster name": at(t, k, "exec", "args", 3)} {
		if !strings.Contains(v.(string), "data.terraform_remote_state.cross-stack-reference-input-foundation.outputs") {
			t.Errorf("helm provider %s = %v, want a foundation remote-state output", field, v)
		}
	}
	eq(t, "exec command", at(t, k, "exec", "command"), "aws")
	eq(t, "exec args", at(t, k, "exec", "args", 1), "get-token")

	// The dependency is explicit too, so deploy order does not rest on references alone.
	app := synthPlatformApp(t, "dev")
	deps := app.Ingress.Dependencies()
	if deps == nil || len(*deps) != 1 || *(*deps)[0].Node().Id() != "foundation" {
		t.Fatalf("ingress dependencies = %v, want [foundation]", deps)
	}
}

func TestIngressReleases(t *testing.T) {
	tests := []struct {
		env      string
		policy   string
		issuer   string
		replicas int
	}{
		{"dev", "sync", "letsencrypt-staging", 2},
		{"staging", "sync", "letsencrypt-production", 2},
		{"prod", "upsert-only", "letsencrypt-production", 2},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			d := ingress(t, tt.env)
			cfg := loadEnv(t, tt.env)

			cm, cmv := d.release(t, "cert-manager")
			eq(t, "cert-manager chart", cm["chart"], "cert-manager")
			eq(t, "cert-manager version", cm["version"], CertManagerChart.Version)
			eq(t, "cert-manager repository", cm["repository"], "https://charts.jetstack.io")
			eq(t, "cert-manager namespace", cm["namespace"], "cert-manager")
			eq(t, "cert-manager crds", at(t, cmv, "crds", "enabled"), true)
			eq(t, "cert-manager crds kept", at(t, cmv, "crds", "keep"), true)

			dns, dnsv := d.release(t, "external-dns")
			eq(t, "external-dns version", dns["version"], ExternalDNSChart.Version)
			eq(t, "external-dns namespace", dns["namespace"], "external-dns")
			eq(t, "provider", at(t, dnsv, "provider", "name"), "cloudflare")
			eq(t, "policy", dnsv["policy"], tt.policy)
			eq(t, "txt owner", dnsv["txtOwnerId"], "eks-platform-"+tt.env+"-external-dns")
			eq(t, "domain filter", dnsv["domainFilters"], []any{cfg.Ingress.Domain})
			eq(t, "sources", dnsv["sources"], []any{"service"})
			eq(t, "proxied", at(t, dnsv, "extraArgs", "cloudflare-proxied"), cfg.Ingress.Proxied)
			eq(t, "token env", at(t, dnsv, "env", 0, "name"), "CF_API_TOKEN")
			eq(t, "token from secret", at(t, dnsv, "env", 0, "valueFrom", "secretKeyRef", "name"), "cloudflare-api-token")
			// Chart 1.21.1 has no replicaCount (its Deployment says replicas: 1); the footprint
			// says the same one pod.
			if v, ok := dnsv["replicaCount"]; ok {
				t.Errorf("replicaCount = %v: external-dns chart 1.21.1 has no such value", v)
			}
			eq(t, "txt wildcard replacement", at(t, dnsv, "extraArgs", "txt-wildcard-replacement"), "wildcard")
			app := synthPlatformApp(t, tt.env)
			pods := -1
			for _, fp := range app.Ledger.Entries() {
				if fp.Workflow == "ingress" && fp.Component == "external-dns" {
					pods = fp.Replicas
				}
			}
			eq(t, "external-dns footprint replicas", pods, 1)

			crds, _ := d.release(t, "emissary-crds")
			eq(t, "emissary crds chart", crds["chart"], "emissary-crds-chart")
			eq(t, "emissary crds repository", crds["repository"], "oci://ghcr.io/emissary-ingress")
			em, emv := d.release(t, "emissary-ingress")
			eq(t, "emissary version", em["version"], EmissaryChart.Version)
			eq(t, "emissary namespace", em["namespace"], "emissary")
			if deps := strings.Join(toStrings(em["depends_on"]), " "); !strings.Contains(deps, "helm_release.emissary-crds") {
				t.Errorf("emissary does not wait for its CRDs: %s", deps)
			}
			eq(t, "replicas", emv["replicaCount"], tt.replicas)
			eq(t, "pdb", at(t, emv, "podDisruptionBudget", "maxUnavailable"), 1)
			eq(t, "zone spread", at(t, emv, "topologySpreadConstraints", 0, "topologyKey"), "topology.kubernetes.io/zone")
			eq(t, "requests", at(t, emv, "resources", "requests"), map[string]any{"cpu": "50m", "memory": "150Mi"})
			ann := at(t, emv, "service", "annotations").(map[string]any)
			eq(t, "nlb scheme", ann["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internet-facing")
			eq(t, "nlb targets", ann["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"], "ip")
			eq(t, "dns names", ann["external-dns.alpha.kubernetes.io/hostname"], "*."+cfg.Ingress.Domain+","+cfg.Ingress.Domain)
			eq(t, "lb class", at(t, emv, "service", "loadBalancerClass"), "service.k8s.aws/nlb")
			eq(t, "no default listeners", emv["createDefaultListeners"], false)

			_, iss := d.release(t, "cert-issuers")
			eq(t, "default issuer", iss["defaultIssuer"], tt.issuer)
			eq(t, "issuer email", iss["email"], cfg.Ingress.IssuerEmail)
			eq(t, "certificate namespace", at(t, iss, "certificate", "namespace"), "emissary")
			eq(t, "zone", iss["zone"], cfg.Ingress.Zone())

			_, edge := d.release(t, "emissary-edge")
			eq(t, "edge domain", edge["domain"], cfg.Ingress.Domain)
			eq(t, "edge tls secret", edge["tlsSecretName"], "wildcard-tls")
			eq(t, "service monitor", at(t, edge, "serviceMonitor", "enabled"), true)
		})
	}
}

func TestIngressCloudflareToken(t *testing.T) {
	d := ingress(t, "dev")
	tok := d.one(t, "cloudflare_api_token", "cloudflare-dns-token")
	p := at(t, tok, "policies", 0).(map[string]any)
	eq(t, "effect", p["effect"], "allow")
	eq(t, "permission groups", len(p["permission_groups"].([]any)), 2)
	resources, err := decodeJSONEncode(p["resources"].(string))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "token scope", resources, map[string]any{"com.cloudflare.api.account.zone.${data.cloudflare_zone.zone.id}": "*"})
	// One unfiltered list of permission groups (no name or scope filter, whose URL encoding the
	// provider gets wrong); each group is selected by exact name and scope in Terraform, and a
	// precondition names a group that is missing or ambiguous.
	lists := d.data("cloudflare_api_token_permission_groups_list")
	list, ok := lists["permission-groups"]
	if len(lists) != 1 || !ok {
		t.Fatalf("permission group lists = %v, want one named permission-groups", lists)
	}
	if list["name"] != nil || list["scope"] != nil {
		t.Errorf("the list is filtered by name %v / scope %v", list["name"], list["scope"])
	}
	eq(t, "max items", list["max_items"], permissionGroupsMax)
	const result = "data.cloudflare_api_token_permission_groups_list.permission-groups.result"
	locals, _ := d["locals"].(map[string]any)
	for i, g := range []struct{ local, name string }{
		{"cloudflare-dns-write-group-ids", DNSWriteGroup},
		{"cloudflare-zone-read-group-ids", ZoneReadGroup},
	} {
		eq(t, g.name+" matches", locals[g.local], "${"+PermissionGroupMatches(result, g.name, zoneScope)+"}")
		eq(t, g.name+" id", at(t, p, "permission_groups", i, "id"), "${one(local."+g.local+")}")
		eq(t, g.name+" precondition", at(t, tok, "lifecycle", "precondition", i, "condition"), "${(length(local."+g.local+") == 1)}")
		if msg := at(t, tok, "lifecycle", "precondition", i, "error_message").(string); !strings.Contains(msg, `"`+g.name+`"`) {
			t.Errorf("precondition message %q does not name %s", msg, g.name)
		}
	}
	eq(t, "zone lookup", at(t, d.data("cloudflare_zone")["zone"], "filter", "name"), "platform.example.com")

	// The token travels only through set_sensitive into the two Secret releases.
	for _, ns := range []string{"cert-manager", "external-dns"} {
		var found bool
		for _, r := range d.resources("helm_release") {
			if r["namespace"] != ns || !strings.HasPrefix(r["chart"].(string), "assets/cloudflare-token") {
				continue
			}
			found = true
			s := at(t, r, "set_sensitive", 0).(map[string]any)
			eq(t, "sensitive name", s["name"], "apiToken")
			eq(t, "sensitive value", s["value"], "${cloudflare_api_token.cloudflare-dns-token.value}")
			if vs, _ := r["values"].([]any); len(vs) > 0 && strings.Contains(vs[0].(string), "cloudflare_api_token") {
				t.Errorf("token in plain values of %s", ns)
			}
		}
		if !found {
			t.Errorf("no cloudflare-token release in %s", ns)
		}
	}
	for name, o := range d["output"].(map[string]any) {
		if strings.Contains(toJSON(t, o), "cloudflare_api_token") {
			t.Errorf("output %s exposes the token", name)
		}
	}
}

func TestIngressTokenFromSecretsManager(t *testing.T) {
	d := synthPlatform(t, "dev", "secrets-manager", func(c *config.Config) {
		c.Ingress.TokenSource = config.TokenSourceSecretsManager
		c.Ingress.TokenSecretName = "platform/cloudflare-token"
	})["ingress"]
	if len(d.resources("cloudflare_api_token")) != 0 {
		t.Error("a token is created although the config reads it from Secrets Manager")
	}
	if p, _ := d["provider"].(map[string]any); p["cloudflare"] != nil {
		t.Error("the cloudflare provider is configured although nothing uses it")
	}
	v := d.data("aws_secretsmanager_secret_version")["cloudflare-token"]
	eq(t, "secret id", v["secret_id"], "platform/cloudflare-token")
	_, _ = d.release(t, "cert-manager")
	for _, r := range d.resources("helm_release") {
		if s, ok := r["set_sensitive"].([]any); ok {
			eq(t, "sensitive from secret", at(t, s, 0, "value"), "${data.aws_secretsmanager_secret_version.cloudflare-token.secret_string}")
		}
	}
}

func TestIngressOutputs(t *testing.T) {
	d := ingress(t, "prod")
	eq(t, "namespace", at(t, d, "output", "ingress_namespace", "value"), "emissary")
	eq(t, "ingress class", at(t, d, "output", "ingress_class", "value"), "ambassador")
	_, emv := d.release(t, "emissary-ingress")
	eq(t, "ingress class resource", at(t, emv, "ingressClassResource", "name"), "ambassador")
	eq(t, "issuers", at(t, d, "output", "cluster_issuers", "value"), []any{"letsencrypt-production", "letsencrypt-staging"})
	eq(t, "certificate secret", at(t, d, "output", "wildcard_certificate_secret", "value"), "emissary/wildcard-tls")
	eq(t, "lb hostname", at(t, d, "output", "load_balancer_hostname", "value"), "${data.aws_lb.emissary-nlb.dns_name}")
	lb := d.data("aws_lb")["emissary-nlb"]
	eq(t, "lb lookup tag", at(t, lb, "tags", "service.k8s.aws/stack"), "emissary/emissary-ingress")
}

// TestPermissionGroupExpression evaluates the selection expression with terraform console on a
// list shaped like the data source's result: exact name and scope pick one id, a lookalike name
// or another scope does not match, a missing group yields null (count 0, which the precondition
// rejects) and a duplicate fails.
func TestPermissionGroupExpression(t *testing.T) {
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("terraform is not installed: it is needed to evaluate the expression")
	}
	const groups = `[
  {id = "g-dns-write", name = "DNS Write", scopes = ["com.cloudflare.api.account.zone"]},
  {id = "g-dns-write-account", name = "DNS Write", scopes = ["com.cloudflare.api.account"]},
  {id = "g-dns-write-lookalike", name = "DNS Write (legacy)", scopes = ["com.cloudflare.api.account.zone"]},
  {id = "g-zone-read", name = "Zone Read", scopes = ["com.cloudflare.api.account.zone", "com.cloudflare.api.user"]},
  {id = "g-twin-1", name = "Twin", scopes = ["com.cloudflare.api.account.zone"]},
  {id = "g-twin-2", name = "Twin", scopes = ["com.cloudflare.api.account.zone"]},
]`
	id := func(list, name string) string { return "one(" + PermissionGroupMatches(list, name, zoneScope) + ")" }
	count := func(name string) string { return "length(" + PermissionGroupMatches(groups, name, zoneScope) + ")" }
	tests := []struct {
		expr, want string // want "" means terraform must fail
	}{
		{id(groups, DNSWriteGroup), `"g-dns-write"`},
		{id(groups, ZoneReadGroup), `"g-zone-read"`},
		{id(groups, "dns write"), "null"},
		{id(groups, "DNS%20Write"), "null"},
		{count(DNSWriteGroup), "1"},
		{count("Missing"), "0"},
		{count("Twin"), "2"},
		{id(groups, "Twin"), ""},
		{id(`[{id = "q", name = "a\"b", scopes = ["com.cloudflare.api.account.zone"]}]`, `a"b`), `"q"`},
		{id(`[{id = "t", name = "$${x}", scopes = ["com.cloudflare.api.account.zone"]}]`, "${x}"), `"t"`},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		cmd := exec.Command("terraform", "console")
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(strings.ReplaceAll(tt.expr, "\n", " ") + "\n")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		got := strings.TrimSpace(stdout.String())
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("%s = %s, want an error", tt.expr, got)
		case tt.want != "" && err != nil:
			t.Errorf("%s: %v\n%s", tt.expr, err, stderr.String())
		case tt.want != "" && got != tt.want:
			t.Errorf("%s = %s, want %s", tt.expr, got, tt.want)
		}
	}
}
