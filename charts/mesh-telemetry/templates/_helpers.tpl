{{/* Standard labels for every object of this chart. */}}
{{- define "mesh-telemetry.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The validated scrape interval. */}}
{{- define "mesh-telemetry.interval" -}}
{{- $i := .Values.scrapeInterval | toString -}}
{{- if not (regexMatch "^[0-9]+(ms|s|m|h)$" $i) -}}
{{- fail (printf "scrapeInterval %q must be a Prometheus duration such as 30s" $i) -}}
{{- end -}}
{{- $i -}}
{{- end -}}
