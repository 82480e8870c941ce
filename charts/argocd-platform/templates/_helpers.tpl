{{/* Standard labels for every object of this chart. */}}
{{- define "argocd-platform.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The validated repository URL. */}}
{{- define "argocd-platform.repo" -}}
{{- $url := required "repository.url is required: the GitOps repository" .Values.repository.url -}}
{{- if not (or (hasPrefix "https://" $url) (hasPrefix "git@" $url) (hasPrefix "ssh://" $url)) -}}
{{- fail (printf "repository.url %q must be an https or ssh Git URL" $url) -}}
{{- end -}}
{{- $url -}}
{{- end -}}
