{{/* Standard labels for every object of this chart. */}}
{{- define "emissary-edge.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The validated base domain. */}}
{{- define "emissary-edge.domain" -}}
{{- $domain := required "domain is required: the platform base domain, e.g. dev.example.com" .Values.domain | toString -}}
{{- if hasPrefix "*" $domain -}}
{{- fail (printf "domain %q must not start with '*': give the base domain, the chart adds the *. Host itself" $domain) -}}
{{- end -}}
{{- $domain -}}
{{- end -}}

{{/* A validated port number: include with (list "httpPort" .Values.httpPort). */}}
{{- define "emissary-edge.port" -}}
{{- $name := index . 0 -}}
{{- $raw := index . 1 -}}
{{- if not (or (kindIs "int" $raw) (kindIs "int64" $raw) (kindIs "float64" $raw)) -}}
{{- fail (printf "%s must be a port number, got %v" $name $raw) -}}
{{- end -}}
{{- $port := int $raw -}}
{{- if or (lt $port 1) (gt $port 65535) (ne (float64 $port) (float64 $raw)) -}}
{{- fail (printf "%s must be a port number between 1 and 65535, got %v" $name $raw) -}}
{{- end -}}
{{- $port -}}
{{- end -}}
