{{/* Standard labels for every object of this chart. */}}
{{- define "redis-failover.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The validated name; every template includes it so a bad value fails the render. */}}
{{- define "redis-failover.name" -}}
{{- $name := required "name is required: the RedisFailover name" .Values.name | toString -}}
{{- if not (regexMatch "^[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?$" $name) -}}
{{- fail (printf "name %q must be a DNS label of at most 30 characters" $name) -}}
{{- end -}}
{{- $_ := required "redis.image is required: a pinned Redis image" .Values.redis.image -}}
{{- $_ := required "sentinel.image is required: a pinned Redis image for Sentinel" .Values.sentinel.image -}}
{{- $_ := required "auth.secretName is required" .Values.auth.secretName -}}
{{- if or (not .Values.redis.resources.requests) (not .Values.sentinel.resources.requests) (not .Values.redis.exporter.resources.requests) -}}
{{- fail "redis.resources, sentinel.resources and redis.exporter.resources need requests and limits" -}}
{{- end -}}
{{- if eq (mod (int .Values.sentinel.replicas) 2) 0 -}}
{{- fail (printf "sentinel.replicas must be odd, got %d" (int .Values.sentinel.replicas)) -}}
{{- end -}}
{{- $name -}}
{{- end -}}

{{/* Pod annotation that keeps a pod out of the Istio mesh (no sidecar injected). */}}
{{- define "redis-failover.noMesh" -}}
sidecar.istio.io/inject: "false"
{{- end -}}
