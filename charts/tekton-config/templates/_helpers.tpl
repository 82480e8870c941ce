{{/* Standard labels for every object of this chart. */}}
{{- define "tekton-config.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* options.deployments for one component: include with (list . "pipeline"). */}}
{{- define "tekton-config.options" -}}
{{- $root := index . 0 -}}
{{- $component := index . 1 -}}
options:
  disabled: false
  deployments:
  {{- range $name, $d := $root.Values.deployments }}
  {{- if eq $d.component $component }}
    {{ $name }}:
      spec:
        replicas: 1
        template:
          spec:
            containers:
              - name: {{ required (printf "deployments.%s.container is required" $name) $d.container }}
                resources:
                  requests:
                    cpu: {{ $d.requests.cpu | quote }}
                    memory: {{ $d.requests.memory | quote }}
                  limits:
                    cpu: {{ $d.limits.cpu | quote }}
                    memory: {{ $d.limits.memory | quote }}
  {{- end }}
  {{- end }}
{{- end -}}
