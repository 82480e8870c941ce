{{/* Standard labels for every object of this chart. */}}
{{- define "openbao-bootstrap.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* Labels of the pods: the Gatekeeper required labels, though the namespace is exempt. */}}
{{- define "openbao-bootstrap.podLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: eks-platform
team: platform
{{- end -}}

{{/* Validate the values; renders nothing. */}}
{{- define "openbao-bootstrap.validate" -}}
{{- range $k, $v := .Values.images -}}
{{- if not (regexMatch "^[a-z0-9./-]+:[A-Za-z0-9._-]+$" (toString $v)) -}}
{{- fail (printf "images.%s must be an image pinned by tag, got %q" $k (toString $v)) -}}
{{- end -}}
{{- if hasSuffix ":latest" (toString $v) -}}
{{- fail (printf "images.%s must not use :latest" $k) -}}
{{- end -}}
{{- end -}}
{{- if not (hasPrefix "https://" (toString .Values.address)) -}}
{{- fail "address is required: the https address of the active OpenBao server" -}}
{{- end -}}
{{- $_ := required "region is required" .Values.region -}}
{{- $_ := required "init.secretId is required: the Secrets Manager secret for the init output" .Values.init.secretId -}}
{{- if gt (int .Values.init.recoveryThreshold) (int .Values.init.recoveryShares) -}}
{{- fail "init.recoveryThreshold must not exceed init.recoveryShares" -}}
{{- end -}}
{{- if .Values.snapshot.enabled -}}
{{- $_ := required "snapshot.bucket is required when snapshots are enabled" .Values.snapshot.bucket -}}
{{- if not (hasSuffix "/" .Values.snapshot.prefix) -}}
{{- fail "snapshot.prefix must end with /" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The first server's address, derived from the active address unless set. */}}
{{- define "openbao-bootstrap.initAddress" -}}
{{- if .Values.init.address -}}
{{- .Values.init.address -}}
{{- else -}}
{{- $host := .Values.address | trimPrefix "https://" | splitList ":" | first -}}
{{- $svc := $host | splitList "." | first | trimSuffix "-active" -}}
{{- $ns := index ($host | splitList ".") 1 -}}
{{- printf "https://%s-0.%s-internal.%s.svc:8200" $svc $svc $ns -}}
{{- end -}}
{{- end -}}

{{/* Security contexts: non-root, nothing writable but the emptyDirs. */}}
{{- define "openbao-bootstrap.containerSecurity" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The volumes every pod mounts. */}}
{{- define "openbao-bootstrap.volumes" -}}
- name: work
  emptyDir:
    medium: Memory
    sizeLimit: 64Mi
- name: tmp
  emptyDir:
    medium: Memory
    sizeLimit: 16Mi
- name: scripts
  configMap:
    name: openbao-bootstrap-scripts
    defaultMode: 0555
- name: tls
  secret:
    secretName: {{ .Values.tls.secretName }}
    items:
      - key: ca.crt
        path: ca.crt
{{- end -}}

{{- define "openbao-bootstrap.mounts" -}}
- name: work
  mountPath: /work
- name: tmp
  mountPath: /tmp
- name: scripts
  mountPath: /scripts
- name: tls
  mountPath: /tls
  readOnly: true
{{- end -}}
