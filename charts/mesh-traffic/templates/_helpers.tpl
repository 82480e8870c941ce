{{/* Standard labels for every object of this chart. */}}
{{- define "mesh-traffic.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The validated service name. */}}
{{- define "mesh-traffic.service" -}}
{{- $s := required "service is required: the Kubernetes Service to manage" .Values.service | toString -}}
{{- if not (regexMatch "^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$" $s) -}}
{{- fail (printf "service %q must be a DNS label" $s) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* The service's FQDN in the release namespace. */}}
{{- define "mesh-traffic.host" -}}
{{- printf "%s.%s.svc.cluster.local" (include "mesh-traffic.service" .) .Release.Namespace -}}
{{- end -}}

{{/* The canary weight, an integer 0-100. */}}
{{- define "mesh-traffic.weight" -}}
{{- $w := .Values.canary.weight -}}
{{- if not (or (kindIs "int" $w) (kindIs "int64" $w) (kindIs "float64" $w)) -}}
{{- fail (printf "canary.weight must be an integer from 0 to 100, got %v" $w) -}}
{{- end -}}
{{- if or (lt (float64 $w) 0.0) (gt (float64 $w) 100.0) (ne (float64 (int $w)) (float64 $w)) -}}
{{- fail (printf "canary.weight must be an integer from 0 to 100, got %v" $w) -}}
{{- end -}}
{{- int $w -}}
{{- end -}}

{{/* An Istio duration such as 500ms or 2s: include with (list "what" value). */}}
{{- define "mesh-traffic.duration" -}}
{{- $v := index . 1 | toString -}}
{{- if not (regexMatch "^[0-9]+(\\.[0-9]{1,9})?s$" $v) -}}
{{- fail (printf "%s %q must be a duration in seconds such as 0.5s or 2s (protobuf Duration)" (index . 0) $v) -}}
{{- end -}}
{{- $v -}}
{{- end -}}
