{{/* Standard labels for every object of this chart. */}}
{{- define "postgres-cluster.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The validated cluster name; every template includes it so a bad value fails the render. */}}
{{- define "postgres-cluster.name" -}}
{{- $name := required "name is required: the PostgreSQL cluster name" .Values.name | toString -}}
{{- if not (regexMatch "^[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?$" $name) -}}
{{- fail (printf "name %q must be a DNS label of at most 30 characters" $name) -}}
{{- end -}}
{{- $_ := required "imageName is required: a pinned PostgreSQL image" .Values.imageName -}}
{{- if not (hasPrefix "s3://" (required "backup.destinationPath is required: s3://<bucket>/<namespace>/" .Values.backup.destinationPath)) -}}
{{- fail "backup.destinationPath must start with s3://" -}}
{{- end -}}
{{- if not .Values.resources.requests -}}
{{- fail "resources.requests is required: every workload declares its requests and limits" -}}
{{- end -}}
{{- if lt (int .Values.instances) 1 -}}
{{- fail "instances must be at least 1" -}}
{{- end -}}
{{- $name -}}
{{- end -}}

{{- define "postgres-cluster.plugin" -}}barman-cloud.cloudnative-pg.io{{- end -}}

{{/* Pod label that keeps a pod out of the Istio mesh (no sidecar injected). */}}
{{- define "postgres-cluster.noMesh" -}}
sidecar.istio.io/inject: "false"
{{- end -}}
