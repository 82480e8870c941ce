{{/* Standard labels for every object of this chart. */}}
{{- define "kafka-cluster.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: eks-platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The validated name; every template includes it so a bad value fails the render. */}}
{{- define "kafka-cluster.name" -}}
{{- $name := required "name is required: the Kafka cluster name" .Values.name | toString -}}
{{- if not (regexMatch "^[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?$" $name) -}}
{{- fail (printf "name %q must be a DNS label of at most 30 characters" $name) -}}
{{- end -}}
{{- $_ := required "version is required: a Kafka version Strimzi supports" .Values.version -}}
{{- if not .Values.nodePools -}}
{{- fail "nodePools is required: at least one pool with the controller and broker roles between them" -}}
{{- end -}}
{{- $brokers := 0 -}}
{{- $controllers := 0 -}}
{{- range .Values.nodePools -}}
{{- if has "broker" .roles }}{{ $brokers = add $brokers .replicas }}{{ end -}}
{{- if has "controller" .roles }}{{ $controllers = add $controllers .replicas }}{{ end -}}
{{- if not .resources.requests }}{{ fail (printf "nodePools %s: resources need requests and limits" .name) }}{{ end -}}
{{- end -}}
{{- if or (eq (int $brokers) 0) (eq (int $controllers) 0) -}}
{{- fail "nodePools must provide at least one broker and one controller" -}}
{{- end -}}
{{- if gt (int .Values.replicationFactor) (int $brokers) -}}
{{- fail (printf "replicationFactor %d is above the number of brokers (%d)" (int .Values.replicationFactor) (int $brokers)) -}}
{{- end -}}
{{- if not (has .Values.authentication (list "scram-sha-512" "tls")) -}}
{{- fail (printf "authentication must be scram-sha-512 or tls, got %q" .Values.authentication) -}}
{{- end -}}
{{- if not .Values.network.clientNamespaces -}}
{{- fail "network.clientNamespaces is required: at least the owning namespace" -}}
{{- end -}}
{{- $name -}}
{{- end -}}

{{/* Pod label that keeps a pod out of the Istio mesh (no sidecar injected). */}}
{{- define "kafka-cluster.noMesh" -}}
sidecar.istio.io/inject: "false"
{{- end -}}
