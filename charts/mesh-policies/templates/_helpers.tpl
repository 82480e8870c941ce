{{/* Standard labels for every object of this chart. */}}
{{- define "mesh-policies.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* A DNS label, or fail naming the value: include with (list "what" value). */}}
{{- define "mesh-policies.label" -}}
{{- $what := index . 0 -}}
{{- $v := index . 1 | toString -}}
{{- if not (regexMatch "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$" $v) -}}
{{- fail (printf "%s %q must be a DNS label (lowercase letters, digits, inner hyphens)" $what $v) -}}
{{- end -}}
{{- $v -}}
{{- end -}}

{{/* The SPIFFE principal of a service account: include with (list $ namespace serviceAccount). */}}
{{- define "mesh-policies.principal" -}}
{{- $root := index . 0 -}}
{{- printf "%s/ns/%s/sa/%s" (required "trustDomain is required" $root.Values.trustDomain) (include "mesh-policies.label" (list "namespace" (index . 1))) (include "mesh-policies.label" (list "serviceAccount" (index . 2))) -}}
{{- end -}}
