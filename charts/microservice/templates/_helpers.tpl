{{/* The validated service name. */}}
{{- define "microservice.name" -}}
{{- $n := required "name is required: the service name, e.g. readings" .Values.name | toString -}}
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
team: {{ required "team is required: the owning team, e.g. ecotrack (Gatekeeper requires the team label)" .Values.team | quote }}
{{- end -}}

{{/* Selector labels (stable across upgrades). */}}
{{- define "microservice.selector" -}}
app.kubernetes.io/name: {{ include "microservice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* An image reference, refusing latest and empty tags: include with (list repository tag). */}}
{{- define "microservice.image" -}}
{{- $repo := index . 0 | default "" | toString -}}
{{- $tag := index . 1 | default "" | toString -}}
{{- if not $repo -}}
{{- fail "image.repository is required: the service's ECR repository" -}}
{{- end -}}
{{- if or (eq $tag "") (eq $tag "latest") -}}
{{- fail (printf "image tag %q must be an immutable tag (the commit SHA), never empty or latest" $tag) -}}
{{- end -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}

{{/* An Istio duration (protobuf Duration: seconds with an s suffix, e.g. 2s or 0.5s): include with (list "field" value). */}}
{{- define "microservice.duration" -}}
{{- $field := index . 0 -}}
{{- $v := index . 1 | toString -}}
{{- if not (regexMatch "^[0-9]+(\\.[0-9]+)?s$" $v) -}}
{{- fail (printf "%s must be an Istio duration in seconds such as 2s or 0.5s, got %q" $field $v) -}}
{{- end -}}
{{- $v -}}
{{- end -}}

{{/* The in-cluster host of the Service. */}}
{{- define "microservice.host" -}}
{{- printf "%s.%s.svc.cluster.local" (include "microservice.name" .) .Release.Namespace -}}
{{- end -}}

{{/* Whether the service uses Kafka ("true" or ""). */}}
{{- define "microservice.kafka" -}}
{{- if or .Values.kafka.topics .Values.kafka.consumes -}}true{{- end -}}
{{- end -}}
