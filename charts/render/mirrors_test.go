package render_test

// Small typed mirrors of the custom resources our charts render. Each mirror
// declares ONLY the fields the charts set (strict decoding then proves the
// charts set no unknown or misspelled field), with the JSON names and nesting
// of the upstream Go API types they mirror:
//
//   - cert-manager.io/v1 ClusterIssuer, Certificate:
//     cert-manager/cert-manager pkg/apis/certmanager/v1/types_issuer.go,
//     types_certificate.go, pkg/apis/acme/v1/types_issuer.go
//     (ACMEIssuer, ACMEChallengeSolver, CertificateDNSNameSelector,
//     ACMEIssuerDNS01ProviderCloudflare), pkg/apis/meta/v1 (SecretKeySelector,
//     ObjectReference).
//   - getambassador.io/v3alpha1 Listener, Host: emissary-ingress/emissary v4.1.0
//     pkg/api/getambassador.io/v3alpha1/crd_listener.go, crd_host.go, and the
//     CRD schemas in charts/emissary-crds/templates/{listeners,hosts}.yaml.
//   - monitoring.coreos.com/v1 ServiceMonitor: prometheus-operator
//     pkg/apis/monitoring/v1/servicemonitor_types.go (ServiceMonitorSpec,
//     Endpoint, NamespaceSelector).
//
// The validate methods check the enums and required fields of the upstream
// schemas (kubebuilder markers) for the fields mirrored here.

import (
	"fmt"
	"regexp"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ---- cert-manager.io/v1 ----

// secretKeySelector mirrors cmmeta.SecretKeySelector (name inline from
// LocalObjectReference, key optional).
type secretKeySelector struct {
	Name string `json:"name"`
	Key  string `json:"key,omitempty"`
}

// objectReference mirrors cmmeta.ObjectReference (issuerRef).
type objectReference struct {
	Name  string `json:"name"`
	Kind  string `json:"kind,omitempty"`
	Group string `json:"group,omitempty"`
}

type clusterIssuer struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              issuerSpec `json:"spec"`
}

// issuerSpec mirrors IssuerSpec / IssuerConfig (only the acme member).
type issuerSpec struct {
	ACME *acmeIssuer `json:"acme,omitempty"`
	// SelfSigned and CA issuers (security stack's internal CA).
	SelfSigned *struct{} `json:"selfSigned,omitempty"`
	CA         *caIssuer `json:"ca,omitempty"`
}

// caIssuer mirrors CAIssuer (secretName of the CA key pair).
type caIssuer struct {
	SecretName string `json:"secretName"`
}

type acmeIssuer struct {
	Email      string                `json:"email,omitempty"`
	Server     string                `json:"server"`
	PrivateKey secretKeySelector     `json:"privateKeySecretRef"`
	Solvers    []acmeChallengeSolver `json:"solvers,omitempty"`
}

type acmeChallengeSolver struct {
	Selector *certificateDNSNameSelector `json:"selector,omitempty"`
	DNS01    *acmeChallengeSolverDNS01   `json:"dns01,omitempty"`
}

type certificateDNSNameSelector struct {
	DNSZones []string `json:"dnsZones,omitempty"`
}

type acmeChallengeSolverDNS01 struct {
	Cloudflare *acmeIssuerDNS01ProviderCloudflare `json:"cloudflare,omitempty"`
}

type acmeIssuerDNS01ProviderCloudflare struct {
	APIToken *secretKeySelector `json:"apiTokenSecretRef,omitempty"`
}

func (c *clusterIssuer) validate() error {
	if c.APIVersion != "cert-manager.io/v1" || c.Kind != "ClusterIssuer" {
		return fmt.Errorf("unexpected type %s %s", c.APIVersion, c.Kind)
	}
	if c.Namespace != "" {
		return fmt.Errorf("ClusterIssuer %s is cluster-scoped but has namespace %q", c.Name, c.Namespace)
	}
	kinds := 0
	for _, set := range []bool{c.Spec.ACME != nil, c.Spec.SelfSigned != nil, c.Spec.CA != nil} {
		if set {
			kinds++
		}
	}
	if kinds != 1 {
		return fmt.Errorf("ClusterIssuer %s: want exactly one of acme, selfSigned, ca; got %d", c.Name, kinds)
	}
	if c.Spec.CA != nil {
		if c.Spec.CA.SecretName == "" {
			return fmt.Errorf("ClusterIssuer %s: ca.secretName is required", c.Name)
		}
		return nil
	}
	a := c.Spec.ACME
	if a == nil {
		return nil
	}
	if a.Server == "" || a.PrivateKey.Name == "" {
		return fmt.Errorf("ClusterIssuer %s: acme.server and acme.privateKeySecretRef.name are required", c.Name)
	}
	for i, s := range a.Solvers {
		if s.DNS01 == nil { // http01 is not mirrored, so strict decoding already rejects it
			return fmt.Errorf("ClusterIssuer %s: solver %d has no dns01", c.Name, i)
		}
		if cf := s.DNS01.Cloudflare; cf != nil {
			if cf.APIToken == nil || cf.APIToken.Name == "" {
				return fmt.Errorf("ClusterIssuer %s: solver %d: cloudflare needs apiTokenSecretRef.name", c.Name, i)
			}
		}
	}
	return nil
}

type certificate struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              certificateSpec `json:"spec"`
}

type certificateSpec struct {
	// metav1.Duration parses with time.ParseDuration, like cert-manager.
	Duration    *metav1.Duration `json:"duration,omitempty"`
	RenewBefore *metav1.Duration `json:"renewBefore,omitempty"`
	DNSNames    []string         `json:"dnsNames,omitempty"`
	SecretName  string           `json:"secretName"`
	// CA and in-cluster certificates (security stack).
	IsCA        bool                   `json:"isCA,omitempty"`
	CommonName  string                 `json:"commonName,omitempty"`
	IPAddresses []string               `json:"ipAddresses,omitempty"`
	Usages      []string               `json:"usages,omitempty"`
	IssuerRef   objectReference        `json:"issuerRef"`
	PrivateKey  *certificatePrivateKey `json:"privateKey,omitempty"`
}

type certificatePrivateKey struct {
	RotationPolicy string `json:"rotationPolicy,omitempty"`
	Algorithm      string `json:"algorithm,omitempty"`
	Size           int    `json:"size,omitempty"`
}

func (c *certificate) validate() error {
	if c.APIVersion != "cert-manager.io/v1" || c.Kind != "Certificate" {
		return fmt.Errorf("unexpected type %s %s", c.APIVersion, c.Kind)
	}
	s := c.Spec
	if s.SecretName == "" || s.IssuerRef.Name == "" {
		return fmt.Errorf("Certificate %s: secretName and issuerRef.name are required", c.Name)
	}
	if len(s.DNSNames) == 0 && !(s.IsCA && s.CommonName != "") {
		return fmt.Errorf("Certificate %s: no dnsNames", c.Name)
	}
	if s.Duration != nil && s.Duration.Hours() < 1 {
		return fmt.Errorf("Certificate %s: duration below the 1h minimum", c.Name)
	}
	if s.Duration != nil && s.RenewBefore != nil && s.RenewBefore.Duration >= s.Duration.Duration {
		return fmt.Errorf("Certificate %s: renewBefore must be shorter than duration", c.Name)
	}
	if pk := s.PrivateKey; pk != nil {
		if pk.Algorithm != "" && !slices.Contains([]string{"RSA", "ECDSA", "Ed25519"}, pk.Algorithm) {
			return fmt.Errorf("Certificate %s: privateKey.algorithm %q not in RSA|ECDSA|Ed25519", c.Name, pk.Algorithm)
		}
		if pk.Algorithm == "ECDSA" && !slices.Contains([]int{256, 384, 521}, pk.Size) {
			return fmt.Errorf("Certificate %s: ECDSA size %d not in 256|384|521", c.Name, pk.Size)
		}
		if pk.RotationPolicy != "" && !slices.Contains([]string{"Never", "Always"}, pk.RotationPolicy) {
			return fmt.Errorf("Certificate %s: rotationPolicy %q not in Never|Always", c.Name, pk.RotationPolicy)
		}
	}
	return nil
}

// ---- getambassador.io/v3alpha1 ----

type listener struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              *listenerSpec `json:"spec,omitempty"`
}

type listenerSpec struct {
	Port          int32           `json:"port"`
	Protocol      string          `json:"protocol,omitempty"`
	SecurityModel string          `json:"securityModel"`
	HostBinding   hostBindingType `json:"hostBinding"`
}

type hostBindingType struct {
	Namespace namespaceBindingType `json:"namespace"`
}

type namespaceBindingType struct {
	From string `json:"from,omitempty"`
}

func (l *listener) validate() error {
	if l.APIVersion != "getambassador.io/v3alpha1" || l.Kind != "Listener" {
		return fmt.Errorf("unexpected type %s %s", l.APIVersion, l.Kind)
	}
	s := l.Spec
	if s == nil {
		return fmt.Errorf("Listener %s: no spec", l.Name)
	}
	if s.Port < 1 || s.Port > 65535 {
		return fmt.Errorf("Listener %s: port %d out of range", l.Name, s.Port)
	}
	if !slices.Contains([]string{"HTTP", "HTTPS", "HTTPPROXY", "HTTPSPROXY", "TCP", "TLS", "UDP"}, s.Protocol) {
		return fmt.Errorf("Listener %s: protocol %q not allowed", l.Name, s.Protocol)
	}
	if !slices.Contains([]string{"XFP", "SECURE", "INSECURE"}, s.SecurityModel) {
		return fmt.Errorf("Listener %s: securityModel %q not allowed", l.Name, s.SecurityModel)
	}
	if !slices.Contains([]string{"SELF", "ALL", "SELECTOR"}, s.HostBinding.Namespace.From) {
		return fmt.Errorf("Listener %s: hostBinding.namespace.from %q not allowed", l.Name, s.HostBinding.Namespace.From)
	}
	return nil
}

type host struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              *hostSpec `json:"spec,omitempty"`
}

type hostSpec struct {
	Hostname      string                  `json:"hostname,omitempty"`
	AcmeProvider  *acmeProviderSpec       `json:"acmeProvider,omitempty"`
	TLSSecret     *corev1.SecretReference `json:"tlsSecret,omitempty"`
	RequestPolicy *requestPolicy          `json:"requestPolicy,omitempty"`
}

type acmeProviderSpec struct {
	Authority string `json:"authority,omitempty"`
}

type requestPolicy struct {
	Insecure insecureRequestPolicy `json:"insecure,omitempty"`
}

type insecureRequestPolicy struct {
	Action string `json:"action,omitempty"`
}

func (h *host) validate() error {
	if h.APIVersion != "getambassador.io/v3alpha1" || h.Kind != "Host" {
		return fmt.Errorf("unexpected type %s %s", h.APIVersion, h.Kind)
	}
	if h.Spec == nil || h.Spec.Hostname == "" {
		return fmt.Errorf("Host %s: spec.hostname missing", h.Name)
	}
	if rp := h.Spec.RequestPolicy; rp != nil && rp.Insecure.Action != "" &&
		!slices.Contains([]string{"Redirect", "Reject", "Route"}, rp.Insecure.Action) {
		return fmt.Errorf("Host %s: requestPolicy.insecure.action %q not allowed", h.Name, rp.Insecure.Action)
	}
	return nil
}

// ---- monitoring.coreos.com/v1 ----

type serviceMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              serviceMonitorSpec `json:"spec"`
}

type serviceMonitorSpec struct {
	Endpoints         []smEndpoint         `json:"endpoints"`
	Selector          metav1.LabelSelector `json:"selector"`
	NamespaceSelector namespaceSelector    `json:"namespaceSelector,omitempty"`
}

type smEndpoint struct {
	Port     string `json:"port,omitempty"`
	Path     string `json:"path,omitempty"`
	Interval string `json:"interval,omitempty"`
}

type namespaceSelector struct {
	MatchNames []string `json:"matchNames,omitempty"`
}

func (s *serviceMonitor) validate() error {
	if s.APIVersion != "monitoring.coreos.com/v1" || s.Kind != "ServiceMonitor" {
		return fmt.Errorf("unexpected type %s %s", s.APIVersion, s.Kind)
	}
	if len(s.Spec.Endpoints) == 0 {
		return fmt.Errorf("ServiceMonitor %s: no endpoints", s.Name)
	}
	for i, e := range s.Spec.Endpoints {
		if e.Interval != "" {
			if !promDuration.MatchString(e.Interval) {
				return fmt.Errorf("ServiceMonitor %s: endpoint %d interval %q is not a Prometheus duration", s.Name, i, e.Interval)
			}
		}
	}
	if _, err := metav1.LabelSelectorAsSelector(&s.Spec.Selector); err != nil {
		return fmt.Errorf("ServiceMonitor %s: selector: %w", s.Name, err)
	}
	return nil
}

// promDuration is the pattern of monitoring.coreos.com/v1 Duration fields
// (prometheus-operator pkg/apis/monitoring/v1 types.go, kubebuilder Pattern).
var promDuration = regexp.MustCompile(`^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$`)
