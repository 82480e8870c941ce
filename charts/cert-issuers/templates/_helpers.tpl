{{/* Standard labels for every object of this chart. */}}
{{- define "cert-issuers.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The ClusterIssuers this chart creates: name -> ACME directory URL (YAML, read with fromYaml). */}}
{{- define "cert-issuers.servers" -}}
letsencrypt-staging: https://acme-staging-v02.api.letsencrypt.org/directory
letsencrypt-production: https://acme-v02.api.letsencrypt.org/directory
{{- end -}}

{{/*
Validate the values; included by every template so that a bad value fails the
whole render with a message naming the value. Renders nothing.
*/}}
{{- define "cert-issuers.validate" -}}
{{- $email := required "email is required: the Let's Encrypt ACME account e-mail" .Values.email | toString -}}
{{- if not (regexMatch "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$" $email) -}}
{{- fail (printf "email %q is not an e-mail address" $email) -}}
{{- end -}}
{{- $domain := required "domain is required: the platform base domain, e.g. dev.example.com" .Values.domain | toString -}}
{{- if hasPrefix "*" $domain -}}
{{- fail (printf "domain %q must not start with '*': give the base domain, the chart adds *.%s itself" $domain (trimPrefix "*." $domain)) -}}
{{- end -}}
{{- $zone := required "zone is required: the Cloudflare DNS zone that holds the domain, e.g. example.com" .Values.zone | toString -}}
{{- if not (or (eq $domain $zone) (hasSuffix (printf ".%s" $zone) $domain)) -}}
{{- fail (printf "domain %q is not inside zone %q: the DNS-01 solver (selector.dnsZones) would never match" $domain $zone) -}}
{{- end -}}
{{- $servers := include "cert-issuers.servers" . | fromYaml -}}
{{- $issuer := .Values.defaultIssuer | default "" | toString -}}
{{- if not (hasKey $servers $issuer) -}}
{{- fail (printf "defaultIssuer must be letsencrypt-staging or letsencrypt-production, got %q" $issuer) -}}
{{- end -}}
{{- $ts := required "tokenSecret is required (name and key of the Cloudflare token Secret)" .Values.tokenSecret -}}
{{- $_ := required "tokenSecret.name is required: the Secret holding the Cloudflare API token" $ts.name -}}
{{- $_ := required "tokenSecret.key is required: the data key of the Cloudflare API token" $ts.key -}}
{{- $c := required "certificate is required (name, namespace, secretName, duration, renewBefore)" .Values.certificate -}}
{{- $_ := required "certificate.name is required: the Certificate object name, e.g. wildcard" $c.name -}}
{{- $_ := required "certificate.namespace is required: the namespace of the wildcard Certificate and its Secret, e.g. emissary" $c.namespace -}}
{{- $_ := required "certificate.secretName is required: the TLS Secret name, e.g. wildcard-tls" $c.secretName -}}
{{- end -}}
