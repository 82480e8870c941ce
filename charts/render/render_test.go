package render_test

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
)

// A clearly fake token: the real one only ever comes from helm_release
// set_sensitive.
const fakeToken = "fake-cloudflare-token-for-tests"

// decoded holds every object of one render, decoded strictly into its type.
type decoded struct {
	objs            []render.Object
	secrets         map[string]*corev1.Secret
	storageClasses  map[string]*storagev1.StorageClass
	clusterIssuers  map[string]*clusterIssuer
	certificates    map[string]*certificate
	listeners       map[string]*listener
	hosts           map[string]*host
	serviceMonitors map[string]*serviceMonitor
	// other holds objects of kinds registered with registerMirror, by "Kind/name".
	other map[string]mirror
	raw   map[string][]byte
}

// mirror is a typed mirror of a custom resource registered by a chart's test file; it may
// also implement validate() error.
type mirror interface{ objectLabels() map[string]string }

// mirrors are the typed mirrors registered by "apiVersion Kind" (see registerMirror).
var mirrors = map[string][]func() mirror{}

// registerMirror lets a test file (one per stack) add the typed mirror of a kind its charts
// render, without editing decodeAll. Call it from init. Several stacks render the same kinds
// (ConfigMap, ExternalSecret, ...) and each mirror declares only the fields its charts set: an
// object must decode strictly into at least one of the kind's mirrors, and get decodes it
// strictly into the caller's own mirror type.
func registerMirror(apiVersionKind string, newMirror func() mirror) {
	mirrors[apiVersionKind] = append(mirrors[apiVersionKind], newMirror)
}

// extraCases are render cases registered by test files of later stacks (registerCases).
var extraCases []renderCase

// registerCases adds render cases from a stack's test file. Call it from init.
func registerCases(cs ...renderCase) { extraCases = append(extraCases, cs...) }

// get returns the registered-kind object kind/name decoded by decodeAll, as the caller's mirror
// type T (decoded strictly again when another stack's mirror of the kind was registered first).
func get[T mirror](t *testing.T, d *decoded, kind, name string) T {
	t.Helper()
	key := kind + "/" + name
	if o, ok := d.other[key].(T); ok {
		return o
	}
	raw, ok := d.raw[key]
	if !ok {
		t.Fatalf("no %s %q in the render (have %v)", kind, name, slices.Sorted(maps.Keys(d.other)))
	}
	var zero T
	v := reflect.New(reflect.TypeOf(zero).Elem()).Interface().(T)
	if err := render.DecodeStrict(raw, v); err != nil {
		t.Fatalf("%s %q: %v", kind, name, err)
	}
	if vv, ok := any(v).(interface{ validate() error }); ok {
		if err := vv.validate(); err != nil {
			t.Fatalf("%s %q: %v", kind, name, err)
		}
	}
	return v
}

// decodeAll decodes every rendered object strictly and checks the labels every
// platform object carries. An object of a kind without a typed mirror fails.
func decodeAll(t *testing.T, objs []render.Object) *decoded {
	t.Helper()
	d := &decoded{
		objs:            objs,
		secrets:         map[string]*corev1.Secret{},
		storageClasses:  map[string]*storagev1.StorageClass{},
		clusterIssuers:  map[string]*clusterIssuer{},
		certificates:    map[string]*certificate{},
		listeners:       map[string]*listener{},
		hosts:           map[string]*host{},
		serviceMonitors: map[string]*serviceMonitor{},
		other:           map[string]mirror{},
		raw:             map[string][]byte{},
	}
	for _, o := range objs {
		var (
			into     any
			validate func() error
			meta     func() map[string]string
		)
		key := o.Name
		switch o.APIVersion + " " + o.Kind {
		case "v1 Secret":
			v := &corev1.Secret{}
			d.secrets[key], into, meta = v, v, func() map[string]string { return v.Labels }
		case "storage.k8s.io/v1 StorageClass":
			v := &storagev1.StorageClass{}
			d.storageClasses[key], into, meta = v, v, func() map[string]string { return v.Labels }
		case "cert-manager.io/v1 ClusterIssuer":
			v := &clusterIssuer{}
			d.clusterIssuers[key], into, validate, meta = v, v, v.validate, func() map[string]string { return v.Labels }
		case "cert-manager.io/v1 Certificate":
			v := &certificate{}
			d.certificates[key], into, validate, meta = v, v, v.validate, func() map[string]string { return v.Labels }
		case "getambassador.io/v3alpha1 Listener":
			v := &listener{}
			d.listeners[key], into, validate, meta = v, v, v.validate, func() map[string]string { return v.Labels }
		case "getambassador.io/v3alpha1 Host":
			v := &host{}
			d.hosts[key], into, validate, meta = v, v, v.validate, func() map[string]string { return v.Labels }
		case "monitoring.coreos.com/v1 ServiceMonitor":
			v := &serviceMonitor{}
			d.serviceMonitors[key], into, validate, meta = v, v, v.validate, func() map[string]string { return v.Labels }
		default:
			news, ok := mirrors[o.APIVersion+" "+o.Kind]
			if !ok {
				t.Fatalf("%s: %s %s %q has no typed mirror in the tests", o.Template, o.APIVersion, o.Kind, o.Name)
			}
			var errs []string
			for _, newMirror := range news {
				v := newMirror()
				if err := render.DecodeStrict(o.Raw, v); err != nil {
					errs = append(errs, err.Error())
					continue
				}
				d.other[o.Kind+"/"+key], into, meta = v, v, v.objectLabels
				if vv, ok := v.(interface{ validate() error }); ok {
					validate = vv.validate
				}
				break
			}
			if into == nil {
				t.Fatalf("%s: %s %q decodes strictly into none of its mirrors: %s\n%s", o.Template, o.Kind, o.Name, strings.Join(errs, "; "), o.Raw)
			}
			d.raw[o.Kind+"/"+key] = o.Raw
		}
		if err := render.DecodeStrict(o.Raw, into); err != nil {
			t.Fatalf("%s: %s %q: %v\n%s", o.Template, o.Kind, o.Name, err, o.Raw)
		}
		if validate != nil {
			if err := validate(); err != nil {
				t.Fatalf("%s: %v\n%s", o.Template, err, o.Raw)
			}
		}
		labels := meta()
		want := map[string]string{"app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/part-of": "eks-platform"}
		if strings.HasPrefix(o.Template, charts.Microservice+"/") {
			// The golden-path chart labels a team's service as part of its application.
			delete(want, "app.kubernetes.io/part-of")
		}
		for k, want := range want {
			if labels[k] != want {
				t.Errorf("%s %q: label %s = %q, want %q", o.Kind, o.Name, k, labels[k], want)
			}
		}
		if o.Name == "" {
			t.Errorf("%s in %s has no name", o.Kind, o.Template)
		}
	}
	return d
}

func assertEq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func certIssuerValues() map[string]any {
	return map[string]any{
		"email":         "platform@example.com",
		"domain":        "dev.example.com",
		"zone":          "example.com",
		"defaultIssuer": "letsencrypt-production",
		"certificate":   map[string]any{"namespace": "emissary"},
	}
}

type renderCase struct {
	name      string
	chart     string
	namespace string
	values    map[string]any
	kinds     map[string]int // expected number of objects per kind
	check     func(t *testing.T, d *decoded)
}

func renderCases() []renderCase {
	return append(baseCases(), extraCases...)
}

func baseCases() []renderCase {
	return []renderCase{
		{
			name: "storage-classes defaults", chart: charts.StorageClasses, namespace: "kube-system",
			values: nil,
			kinds:  map[string]int{"StorageClass": 1},
			check: func(t *testing.T, d *decoded) {
				sc := d.storageClasses["gp3"]
				if sc == nil {
					t.Fatalf("no StorageClass gp3: %v", slices.Collect(maps.Keys(d.storageClasses)))
				}
				assertEq(t, "provisioner", sc.Provisioner, "ebs.csi.aws.com")
				assertEq(t, "parameters", sc.Parameters, map[string]string{
					"type": "gp3", "encrypted": "true", "csi.storage.k8s.io/fstype": "ext4",
				})
				assertEq(t, "default annotation", sc.Annotations["storageclass.kubernetes.io/is-default-class"], "true")
				assertEq(t, "volumeBindingMode", string(*sc.VolumeBindingMode), string(storagev1.VolumeBindingWaitForFirstConsumer))
				assertEq(t, "allowVolumeExpansion", *sc.AllowVolumeExpansion, true)
				assertEq(t, "reclaimPolicy", string(*sc.ReclaimPolicy), string(corev1.PersistentVolumeReclaimDelete))
				assertEq(t, "namespace", sc.Namespace, "")
			},
		},
		{
			name: "storage-classes customer KMS key, not default", chart: charts.StorageClasses, namespace: "kube-system",
			values: map[string]any{"gp3": map[string]any{
				"name": "gp3-cmk", "default": false,
				"kmsKeyArn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
			}},
			kinds: map[string]int{"StorageClass": 1},
			check: func(t *testing.T, d *decoded) {
				sc := d.storageClasses["gp3-cmk"]
				if sc == nil {
					t.Fatal("no StorageClass gp3-cmk")
				}
				assertEq(t, "kmsKeyId", sc.Parameters["kmsKeyId"], "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
				assertEq(t, "encrypted", sc.Parameters["encrypted"], "true")
				if _, ok := sc.Annotations["storageclass.kubernetes.io/is-default-class"]; ok {
					t.Error("default-class annotation set although gp3.default=false")
				}
			},
		},
		{
			name: "cloudflare-token", chart: charts.CloudflareToken, namespace: "cert-manager",
			values: map[string]any{"apiToken": fakeToken},
			kinds:  map[string]int{"Secret": 1},
			check: func(t *testing.T, d *decoded) {
				s := d.secrets["cloudflare-api-token"]
				if s == nil {
					t.Fatal("no Secret cloudflare-api-token")
				}
				assertEq(t, "namespace", s.Namespace, "cert-manager")
				assertEq(t, "type", s.Type, corev1.SecretTypeOpaque)
				assertEq(t, "data", s.Data, map[string][]byte{"api-token": []byte(fakeToken)})
				if strings.Contains(string(d.objs[0].Raw), fakeToken) {
					t.Error("token appears in clear text in the manifest; expected base64 data")
				}
			},
		},
		{
			name: "cloudflare-token custom name and key", chart: charts.CloudflareToken, namespace: "external-dns",
			values: map[string]any{"apiToken": fakeToken, "secretName": "cf", "secretKey": "CF_API_TOKEN"},
			kinds:  map[string]int{"Secret": 1},
			check: func(t *testing.T, d *decoded) {
				s := d.secrets["cf"]
				if s == nil {
					t.Fatal("no Secret cf")
				}
				assertEq(t, "namespace", s.Namespace, "external-dns")
				assertEq(t, "data", s.Data, map[string][]byte{"CF_API_TOKEN": []byte(fakeToken)})
			},
		},
		{
			name: "cert-issuers", chart: charts.CertIssuers, namespace: "cert-manager",
			values: certIssuerValues(),
			kinds:  map[string]int{"ClusterIssuer": 2, "Certificate": 1},
			check: func(t *testing.T, d *decoded) {
				for name, url := range map[string]string{
					"letsencrypt-staging":    "https://acme-staging-v02.api.letsencrypt.org/directory",
					"letsencrypt-production": "https://acme-v02.api.letsencrypt.org/directory",
				} {
					ci := d.clusterIssuers[name]
					if ci == nil {
						t.Fatalf("no ClusterIssuer %s", name)
					}
					a := ci.Spec.ACME
					assertEq(t, name+" server", a.Server, url)
					assertEq(t, name+" email", a.Email, "platform@example.com")
					assertEq(t, name+" privateKeySecretRef", a.PrivateKey, secretKeySelector{Name: name + "-account-key"})
					if len(a.Solvers) != 1 {
						t.Fatalf("%s: %d solvers, want 1", name, len(a.Solvers))
					}
					s := a.Solvers[0]
					assertEq(t, name+" dnsZones", s.Selector.DNSZones, []string{"example.com"})
					assertEq(t, name+" apiTokenSecretRef", *s.DNS01.Cloudflare.APIToken,
						secretKeySelector{Name: "cloudflare-api-token", Key: "api-token"})
				}
				if d.clusterIssuers["letsencrypt-staging"].Spec.ACME.PrivateKey == d.clusterIssuers["letsencrypt-production"].Spec.ACME.PrivateKey {
					t.Error("staging and production share an ACME account key Secret")
				}
				c := d.certificates["wildcard"]
				if c == nil {
					t.Fatal("no Certificate wildcard")
				}
				assertEq(t, "certificate namespace", c.Namespace, "emissary")
				assertEq(t, "dnsNames", c.Spec.DNSNames, []string{"dev.example.com", "*.dev.example.com"})
				assertEq(t, "issuerRef", c.Spec.IssuerRef, objectReference{Name: "letsencrypt-production", Kind: "ClusterIssuer", Group: "cert-manager.io"})
				assertEq(t, "secretName", c.Spec.SecretName, "wildcard-tls")
				assertEq(t, "duration", c.Spec.Duration.Duration.String(), "2160h0m0s")
				assertEq(t, "renewBefore", c.Spec.RenewBefore.Duration.String(), "720h0m0s")
				assertEq(t, "privateKey", *c.Spec.PrivateKey, certificatePrivateKey{RotationPolicy: "Always", Algorithm: "ECDSA", Size: 256})
			},
		},
		{
			name: "cert-issuers apex zone, staging, custom token secret", chart: charts.CertIssuers, namespace: "cert-manager",
			values: map[string]any{
				"email": "ops@example.org", "domain": "example.org", "zone": "example.org",
				"defaultIssuer": "letsencrypt-staging",
				"tokenSecret":   map[string]any{"name": "cf", "key": "token"},
				"certificate":   map[string]any{"namespace": "edge", "name": "edge-wildcard", "secretName": "edge-tls"},
			},
			kinds: map[string]int{"ClusterIssuer": 2, "Certificate": 1},
			check: func(t *testing.T, d *decoded) {
				c := d.certificates["edge-wildcard"]
				if c == nil {
					t.Fatal("no Certificate edge-wildcard")
				}
				assertEq(t, "namespace", c.Namespace, "edge")
				assertEq(t, "secretName", c.Spec.SecretName, "edge-tls")
				assertEq(t, "issuer", c.Spec.IssuerRef.Name, "letsencrypt-staging")
				assertEq(t, "dnsNames", c.Spec.DNSNames, []string{"example.org", "*.example.org"})
				ref := d.clusterIssuers["letsencrypt-production"].Spec.ACME.Solvers[0].DNS01.Cloudflare.APIToken
				assertEq(t, "apiTokenSecretRef", *ref, secretKeySelector{Name: "cf", Key: "token"})
			},
		},
		{
			name: "emissary-edge without ServiceMonitor", chart: charts.EmissaryEdge, namespace: "emissary",
			values: map[string]any{"domain": "dev.example.com"},
			kinds:  map[string]int{"Listener": 2, "Host": 2},
			check: func(t *testing.T, d *decoded) {
				for name, want := range map[string]listenerSpec{
					"http":  {Port: 8080, Protocol: "HTTP", SecurityModel: "XFP", HostBinding: hostBindingType{Namespace: namespaceBindingType{From: "ALL"}}},
					"https": {Port: 8443, Protocol: "HTTPS", SecurityModel: "XFP", HostBinding: hostBindingType{Namespace: namespaceBindingType{From: "ALL"}}},
				} {
					l := d.listeners[name]
					if l == nil {
						t.Fatalf("no Listener %s", name)
					}
					assertEq(t, "Listener "+name+" spec", *l.Spec, want)
					assertEq(t, "Listener "+name+" namespace", l.Namespace, "emissary")
				}
				for name, hostname := range map[string]string{"wildcard": "*.dev.example.com", "apex": "dev.example.com"} {
					h := d.hosts[name]
					if h == nil {
						t.Fatalf("no Host %s", name)
					}
					assertEq(t, "Host "+name+" spec", *h.Spec, hostSpec{
						Hostname:      hostname,
						AcmeProvider:  &acmeProviderSpec{Authority: "none"},
						TLSSecret:     &corev1.SecretReference{Name: "wildcard-tls"},
						RequestPolicy: &requestPolicy{Insecure: insecureRequestPolicy{Action: "Redirect"}},
					})
					assertEq(t, "Host "+name+" namespace", h.Namespace, "emissary")
				}
			},
		},
		{
			name: "emissary-edge with ServiceMonitor, float ports from YAML values", chart: charts.EmissaryEdge, namespace: "emissary",
			values: map[string]any{
				"domain": "prod.example.com", "tlsSecretName": "prod-tls",
				"httpPort": float64(8080), "httpsPort": float64(8443),
				"serviceMonitor": map[string]any{
					"enabled": true, "interval": "15s", "releaseLabel": "kube-prometheus-stack",
					"selector": map[string]any{"service": "ambassador-admin", "app.kubernetes.io/instance": "emissary-ingress"},
				},
			},
			kinds: map[string]int{"Listener": 2, "Host": 2, "ServiceMonitor": 1},
			check: func(t *testing.T, d *decoded) {
				assertEq(t, "http port", d.listeners["http"].Spec.Port, int32(8080))
				assertEq(t, "https port", d.listeners["https"].Spec.Port, int32(8443))
				assertEq(t, "tlsSecret", d.hosts["wildcard"].Spec.TLSSecret.Name, "prod-tls")
				sm := d.serviceMonitors["emissary-admin"]
				if sm == nil {
					t.Fatal("no ServiceMonitor emissary-admin")
				}
				assertEq(t, "namespace", sm.Namespace, "emissary")
				assertEq(t, "release label", sm.Labels["release"], "kube-prometheus-stack")
				assertEq(t, "selector", sm.Spec.Selector.MatchLabels, map[string]string{
					"service": "ambassador-admin", "app.kubernetes.io/instance": "emissary-ingress",
				})
				assertEq(t, "namespaceSelector", sm.Spec.NamespaceSelector.MatchNames, []string{"emissary"})
				assertEq(t, "endpoints", sm.Spec.Endpoints, []smEndpoint{{Port: "ambassador-admin", Path: "/metrics", Interval: "15s"}})
			},
		},
		{
			name: "emissary-edge ServiceMonitor defaults", chart: charts.EmissaryEdge, namespace: "emissary",
			values: map[string]any{"domain": "dev.example.com", "serviceMonitor": map[string]any{"enabled": true}},
			kinds:  map[string]int{"Listener": 2, "Host": 2, "ServiceMonitor": 1},
			check: func(t *testing.T, d *decoded) {
				sm := d.serviceMonitors["emissary-admin"]
				assertEq(t, "selector", sm.Spec.Selector.MatchLabels, map[string]string{"service": "ambassador-admin"})
				assertEq(t, "endpoints", sm.Spec.Endpoints, []smEndpoint{{Port: "ambassador-admin", Path: "/metrics", Interval: "30s"}})
				if _, ok := sm.Labels["release"]; ok {
					t.Error("release label set although serviceMonitor.releaseLabel is empty")
				}
			},
		},
	}
}

func TestChartsRenderAndDecodeStrictly(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range renderCases() {
		t.Run(tc.name, func(t *testing.T) {
			covered[tc.chart] = true
			objs, err := render.Render(charts.Path(tc.chart), tc.values, tc.namespace)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			d := decodeAll(t, objs)
			got := map[string]int{}
			for _, o := range objs {
				got[o.Kind]++
				if !strings.HasPrefix(o.Template, tc.chart+"/templates/") {
					t.Errorf("object %s %s: template %q not under %s/templates/", o.Kind, o.Name, o.Template, tc.chart)
				}
			}
			assertEq(t, "objects per kind", got, tc.kinds)
			tc.check(t, d)
		})
	}
	for _, name := range charts.Names() {
		if !covered[name] {
			t.Errorf("chart %s has no render case", name)
		}
	}
}

func TestRenderFailsOnBadValues(t *testing.T) {
	without := func(base map[string]any, key string) map[string]any {
		m := maps.Clone(base)
		delete(m, key)
		return m
	}
	with := func(base map[string]any, key string, v any) map[string]any {
		m := maps.Clone(base)
		m[key] = v
		return m
	}
	ci := certIssuerValues()
	cases := []struct {
		name   string
		chart  string
		values map[string]any
		want   string
	}{
		{"no apiToken", charts.CloudflareToken, nil, "apiToken is required"},
		{"empty apiToken", charts.CloudflareToken, map[string]any{"apiToken": ""}, "apiToken is required"},
		{"bad secretKey", charts.CloudflareToken, map[string]any{"apiToken": fakeToken, "secretKey": "a/b"}, "secretKey"},
		{"no email", charts.CertIssuers, without(ci, "email"), "email is required"},
		{"bad email", charts.CertIssuers, with(ci, "email", "nobody"), "email \"nobody\" is not an e-mail address"},
		{"no domain", charts.CertIssuers, without(ci, "domain"), "domain is required"},
		{"no zone", charts.CertIssuers, without(ci, "zone"), "zone is required"},
		{"domain outside zone", charts.CertIssuers, with(ci, "domain", "dev.example.net"), "not inside zone"},
		{"lookalike zone suffix", charts.CertIssuers, with(ci, "domain", "badexample.com"), "not inside zone"},
		{"wildcard domain", charts.CertIssuers, with(ci, "domain", "*.dev.example.com"), "must not start with '*'"},
		{"wrong defaultIssuer", charts.CertIssuers, with(ci, "defaultIssuer", "letsencrypt"), "defaultIssuer must be letsencrypt-staging or letsencrypt-production"},
		{"empty defaultIssuer", charts.CertIssuers, with(ci, "defaultIssuer", ""), "defaultIssuer must be"},
		{"no certificate.namespace", charts.CertIssuers, without(ci, "certificate"), "certificate.namespace is required"},
		{"no tokenSecret.name", charts.CertIssuers, with(ci, "tokenSecret", map[string]any{"name": ""}), "tokenSecret.name is required"},
		{"emissary no domain", charts.EmissaryEdge, nil, "domain is required"},
		{"emissary port zero", charts.EmissaryEdge, map[string]any{"domain": "a.example.com", "httpPort": 0}, "httpPort must be a port number"},
		{"emissary port string", charts.EmissaryEdge, map[string]any{"domain": "a.example.com", "httpsPort": "https"}, "httpsPort must be a port number"},
		{"emissary port fraction", charts.EmissaryEdge, map[string]any{"domain": "a.example.com", "httpsPort": 8443.5}, "httpsPort must be a port number"},
		{"emissary same ports", charts.EmissaryEdge, map[string]any{"domain": "a.example.com", "httpsPort": 8080}, "must differ"},
		// Helm merges maps, so a selector is cleared with null, not with {}.
		{"emissary null ServiceMonitor selector", charts.EmissaryEdge,
			map[string]any{"domain": "a.example.com", "serviceMonitor": map[string]any{"enabled": true, "selector": nil}},
			"serviceMonitor.selector must be a non-empty map"},
		{"emissary emptied ServiceMonitor selector", charts.EmissaryEdge,
			map[string]any{"domain": "a.example.com", "serviceMonitor": map[string]any{"enabled": true, "selector": map[string]any{"service": nil}}},
			"serviceMonitor.selector must be a non-empty map"},
		{"storage default not bool", charts.StorageClasses, map[string]any{"gp3": map[string]any{"default": "false"}}, "gp3.default must be a boolean"},
		{"storage kms not an ARN", charts.StorageClasses, map[string]any{"gp3": map[string]any{"kmsKeyArn": "alias/ebs"}}, "gp3.kmsKeyArn must be the full ARN"},
		{"storage empty name", charts.StorageClasses, map[string]any{"gp3": map[string]any{"name": ""}}, "gp3.name is required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			objs, err := render.Render(charts.Path(tc.chart), tc.values, "test")
			if err == nil {
				t.Fatalf("Render succeeded with %d objects, want an error containing %q", len(objs), tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
			if objs != nil {
				t.Errorf("objects returned together with an error")
			}
		})
	}
}

// TestHelmLint runs Helm's own linter (chart file, values, templates with the
// given values, deprecated APIs) offline on every chart, with the values of the
// first render case of each chart.
func TestHelmLint(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range renderCases() {
		if seen[tc.chart] {
			continue
		}
		seen[tc.chart] = true
		t.Run(tc.chart, func(t *testing.T) {
			vals := tc.values
			if vals == nil {
				vals = map[string]any{}
			}
			l := lint.All(charts.Path(tc.chart), vals, tc.namespace, false)
			for _, m := range l.Messages {
				if m.Severity >= support.WarningSev {
					t.Errorf("helm lint: %s", m)
				} else {
					t.Logf("helm lint: %s", m)
				}
			}
		})
	}
}

func TestRenderDoesNotMutateValues(t *testing.T) {
	vals := certIssuerValues()
	before := fmt.Sprintf("%#v", vals)
	if _, err := render.Render(charts.Path(charts.CertIssuers), vals, "cert-manager"); err != nil {
		t.Fatal(err)
	}
	if after := fmt.Sprintf("%#v", vals); after != before {
		t.Errorf("values changed by Render:\nbefore %s\nafter  %s", before, after)
	}
}

func TestRenderObjectFields(t *testing.T) {
	objs, err := render.Render(charts.Path(charts.CertIssuers), certIssuerValues(), "cert-manager")
	if err != nil {
		t.Fatal(err)
	}
	c := render.Find(objs, "Certificate", "wildcard")
	if len(c) != 1 {
		t.Fatalf("Find Certificate wildcard: %d objects", len(c))
	}
	o := c[0]
	assertEq(t, "Template", o.Template, "cert-issuers/templates/certificate.yaml")
	assertEq(t, "APIVersion", o.APIVersion, "cert-manager.io/v1")
	assertEq(t, "Namespace", o.Namespace, "emissary")
	if !strings.HasPrefix(string(o.Raw), "apiVersion: cert-manager.io/v1") {
		t.Errorf("Raw does not start with the document:\n%s", o.Raw)
	}
	// Documents keep their order inside a template.
	var issuers []string
	for _, o := range render.Find(objs, "ClusterIssuer", "") {
		issuers = append(issuers, o.Name)
	}
	assertEq(t, "ClusterIssuer order", issuers, []string{"letsencrypt-production", "letsencrypt-staging"})
}

func TestRenderMissingChart(t *testing.T) {
	if _, err := render.Render(charts.Path("does-not-exist"), nil, "x"); err == nil {
		t.Fatal("Render of a missing chart succeeded")
	}
}

func TestDecodeStrict(t *testing.T) {
	type small struct {
		Kind string `json:"kind"`
		Spec struct {
			Port int `json:"port"`
		} `json:"spec"`
	}
	var ok small
	if err := render.DecodeStrict([]byte("kind: X\nspec:\n  port: 80\n"), &ok); err != nil {
		t.Fatal(err)
	}
	assertEq(t, "port", ok.Spec.Port, 80)
	for name, doc := range map[string]string{
		"unknown top-level field": "kind: X\nextra: 1\n",
		"unknown nested field":    "kind: X\nspec:\n  prot: 80\n",
		"wrong type":              "kind: X\nspec:\n  port: eighty\n",
		"invalid yaml":            "kind: [\n",
	} {
		var s small
		if err := render.DecodeStrict([]byte(doc), &s); err == nil {
			t.Errorf("%s: DecodeStrict accepted %q", name, doc)
		}
	}
}
