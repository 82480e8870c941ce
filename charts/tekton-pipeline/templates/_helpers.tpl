{{/* Standard labels for every object of this chart. */}}
{{- define "tekton-pipeline.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* An image reference that is pinned: a tag that is not latest, or a digest. */}}
{{- define "tekton-pipeline.image" -}}
{{- $name := index . 0 -}}
{{- $ref := index . 1 -}}
{{- $tag := regexFind ":[^:/@]+$" $ref -}}
{{- if not (or (contains "@sha256:" $ref) (and $tag (ne $tag ":latest"))) -}}
{{- fail (printf "images.%s %q must be pinned to a version tag or digest" $name $ref) -}}
{{- end -}}
{{- $ref -}}
{{- end -}}

{{/* Step resources. */}}
{{- define "tekton-pipeline.stepResources" -}}
computeResources:
  requests:
    cpu: {{ .Values.stepResources.requests.cpu | quote }}
    memory: {{ .Values.stepResources.requests.memory | quote }}
  limits:
    cpu: {{ .Values.stepResources.limits.cpu | quote }}
    memory: {{ .Values.stepResources.limits.memory | quote }}
{{- end -}}
