{{/* Standard labels for every object of this chart. */}}
{{- define "gatekeeper-templates.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/*
The templates: kind, Rego file, description and the openAPIV3Schema properties of their
parameters (YAML, read with fromYaml).
*/}}
{{- define "gatekeeper-templates.catalog" -}}
- kind: K8sPlatformRequiredLabels
  file: policies/requiredlabels.rego
  description: Pods carry the required labels (non-empty).
  parameters:
    labels:
      type: array
      items: {type: string}
- kind: K8sPlatformContainerResources
  file: policies/resources.rego
  description: Every container declares CPU and memory requests and limits.
- kind: K8sPlatformNoPrivileged
  file: policies/privileged.rego
  description: No privileged containers.
- kind: K8sPlatformNoHostAccess
  file: policies/hostnamespaces.rego
  description: No host network, PID or IPC namespace and no hostPath volumes.
- kind: K8sPlatformRunAsNonRoot
  file: policies/runasnonroot.rego
  description: Containers run as non-root (runAsNonRoot, never runAsUser 0).
- kind: K8sPlatformReadOnlyRootFS
  file: policies/readonlyrootfs.rego
  description: Containers have a read-only root filesystem.
- kind: K8sPlatformAllowedRegistries
  file: policies/allowedregistries.rego
  description: Images come from the account's ECR or an allow-listed registry prefix.
  parameters:
    registries:
      type: array
      items: {type: string}
- kind: K8sPlatformImageTag
  file: policies/imagetag.rego
  description: Images are pinned by tag (not latest) or digest.
- kind: K8sPlatformProbes
  file: policies/probes.rego
  description: Long-running containers declare liveness and readiness probes.
- kind: K8sPlatformLoadBalancer
  file: policies/loadbalancer.rego
  description: Services of type LoadBalancer only in the allowed (ingress) namespaces.
  parameters:
    allowedNamespaces:
      type: array
      items: {type: string}
{{- end -}}
