{{/* Standard labels for every object of this chart. */}}
{{- define "gatekeeper-constraints.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* Pods and the controllers that create them. */}}
{{- define "gatekeeper-constraints.workloadKinds" -}}
- apiGroups: [""]
  kinds: [Pod]
- apiGroups: [apps]
  kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet]
- apiGroups: [batch]
  kinds: [Job, CronJob]
{{- end -}}

{{/* Validate the values; renders nothing. */}}
{{- define "gatekeeper-constraints.validate" -}}
{{- if not (has .Values.enforcementAction (list "deny" "warn" "dryrun")) -}}
{{- fail (printf "enforcementAction must be deny, warn or dryrun, got %q" (toString .Values.enforcementAction)) -}}
{{- end -}}
{{- if not .Values.allowedRegistries -}}
{{- fail "allowedRegistries is required: at least the account's ECR registry, e.g. 111122223333.dkr.ecr.us-east-1.amazonaws.com/" -}}
{{- end -}}
{{- range .Values.allowedRegistries -}}
{{- if not (hasSuffix "/" .) -}}
{{- fail (printf "allowedRegistries entry %q must end with / so that it cannot match a look-alike registry" .) -}}
{{- end -}}
{{- end -}}
{{- if not .Values.requiredLabels -}}
{{- fail "requiredLabels must list at least one label" -}}
{{- end -}}
{{- end -}}

{{/*
The constraints: template kind, object name and parameters (YAML, read with fromYamlArray).
*/}}
{{- define "gatekeeper-constraints.catalog" -}}
- kind: K8sPlatformRequiredLabels
  name: required-labels
  parameters:
    labels: {{ toJson .Values.requiredLabels }}
- kind: K8sPlatformContainerResources
  name: container-resources
- kind: K8sPlatformNoPrivileged
  name: no-privileged
- kind: K8sPlatformNoHostAccess
  name: no-host-access
- kind: K8sPlatformRunAsNonRoot
  name: run-as-non-root
- kind: K8sPlatformReadOnlyRootFS
  name: read-only-root-fs
- kind: K8sPlatformAllowedRegistries
  name: allowed-registries
  parameters:
    registries: {{ toJson .Values.allowedRegistries }}
- kind: K8sPlatformImageTag
  name: pinned-image-tags
- kind: K8sPlatformProbes
  name: probes
{{- end -}}
