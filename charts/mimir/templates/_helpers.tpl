{{/* Standard labels for every object of this chart. */}}
{{- define "mimir.labels" -}}
{{ include "mimir.selector" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* Selector labels of the Mimir pods. */}}
{{- define "mimir.selector" -}}
app.kubernetes.io/name: mimir
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The configuration with this release's memberlist join address. */}}
{{- define "mimir.config" -}}
{{- if empty .Values.config -}}
{{- fail "config is required: the Mimir configuration built by the stack" -}}
{{- end -}}
{{- $cfg := deepCopy .Values.config -}}
{{- $ml := dict "join_members" (list (printf "dns+mimir-gossip.%s.svc.cluster.local:7946" .Release.Namespace)) -}}
{{- $_ := set $cfg "memberlist" (merge (get $cfg "memberlist" | default dict) $ml) -}}
{{- toYaml $cfg -}}
{{- end -}}
