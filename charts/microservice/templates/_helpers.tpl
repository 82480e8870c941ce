{{/* The validated service name. */}}
{{- define "microservice.name" -}}
{{- $n := required "name is required: the service name, e.g. readings-api" .Values.name | toString -}}
{{- if not (regexMatch "^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$" $n) -}}
{{- fail (printf "name %q must be a DNS label of at most 40 characters: lower-case letters, digits and inner hyphens" $n) -}}
{{- end -}}
{{- $n -}}
{{- end -}}

{{/* Labels on every object: the ones Gatekeeper requires on workloads among them. */}}
{{- define "microservice.labels" -}}
app.kubernetes.io/name: {{ include "microservice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ .Values.partOf | default (include "microservice.name" .) }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
team: {{ required "team is required: the owning team, e.g. ecotrack" .Values.team | quote }}
{{- end -}}

{{/* Selector labels (stable across upgrades). */}}
{{- define "microservice.selector" -}}
app.kubernetes.io/name: {{ include "microservice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* An image reference for tag, refusing latest and empty tags: include with (list $ tag). */}}
{{- define "microservice.image" -}}
{{- $root := index . 0 -}}
{{- $tag := index . 1 | toString -}}
{{- $repo := required "image.repository is required: the service's ECR repository" $root.Values.image.repository -}}
{{- if or (eq $tag "") (eq $tag "latest") -}}
{{- fail (printf "image tag %q must be an immutable tag (the commit SHA), never empty or latest" $tag) -}}
{{- end -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}

{{/* The metrics port. */}}
{{- define "microservice.metricsPort" -}}
{{- if and .Values.metrics.port (ne (int .Values.metrics.port) 0) -}}{{ int .Values.metrics.port }}{{- else -}}{{ int .Values.port }}{{- end -}}
{{- end -}}
