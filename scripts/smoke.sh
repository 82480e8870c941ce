#!/usr/bin/env bash
# Smoke check of a stack after an apply: scripts/smoke.sh <stack>
#
#   foundation  every node Ready, Cilium agents rolled out and healthy, cilium-operator available,
#               every node's pod capacity equal to nodes.maxPods
#   ingress     cert-manager, external-dns and emissary deployments available, every ClusterIssuer
#               Ready, the wildcard Certificate Ready, the load balancer hostname assigned
#   observability every workload in monitoring rolled out, every active Prometheus target up,
#               Mimir, Loki and Tempo /ready, Grafana healthy in the cluster and reachable at
#               https://<grafanaHost>.<domain> (GRAFANA_URL overrides; -k: dev uses staging certs)
#   service-mesh  istiod available, istio-cni on every node, mesh-wide STRICT mTLS and no weaker
#               PeerAuthentication, every pod of each meshed namespace and Emissary's pods carry
#               the istio-proxy sidecar
#   gitops      Argo CD, the Tekton Operator and the Tekton components rolled out, TektonConfig
#               Ready, ExternalSecrets synced, EventListener Ready, Argo CD answering on its route
#   security    every OpenBao server initialized and unsealed, both ClusterSecretStores Ready,
#               one constraint per template with a valid enforcement action, Falco ready on every
#               node, External Secrets and Gatekeeper available
#   data-services  the three operators rolled out; every PostgreSQL cluster Ready with its app
#               Secret and a completed backup, every RedisFailover rolled out with one master,
#               every Kafka and KafkaUser Ready with the user's Secret
#   other       every Deployment, StatefulSet and DaemonSet rolled out (available) in the stack's
#               namespaces
#
# Environment: ENVIRONMENT (dev, staging or prod; default dev), AWS_REGION (default us-east-1),
# CLUSTER_NAME (default <project>-<env>-eks, project from config/environments/<env>.yaml),
# SMOKE_NAMESPACES (other stacks: space-separated namespaces; default, the namespaces of the
# stack's helm_release resources in cdktf.out/stacks/<stack>/cdk.tf.json), SMOKE_TIMEOUT_SECONDS
# (per wait, default 600). Needs aws, kubectl and jq, and AWS credentials with cluster access.
set -euo pipefail

stack=${1:?usage: scripts/smoke.sh <stack>}
env=${ENVIRONMENT:-dev}
region=${AWS_REGION:-us-east-1}
timeout=${SMOKE_TIMEOUT_SECONDS:-600}

fail() {
	echo "::error title=Smoke check of $stack failed::$*" >&2
	exit 1
}

# project reads the project key of the environment's configuration (default eks-platform).
project() {
	local file="config/environments/$env.yaml" p=""
	if [[ -f $file ]]; then
		p=$(sed -n -E "s/^project:[[:space:]]*[\"']?([a-z0-9-]+)[\"']?[[:space:]]*(#.*)?$/\1/p" "$file")
	fi
	echo "${p:-eks-platform}"
}

connect() {
	local cluster=${CLUSTER_NAME:-$(project)-$env-eks}
	echo "Cluster $cluster in $region"
	aws eks update-kubeconfig --name "$cluster" --region "$region" >/dev/null
}

# wait_named_deployments REGEX: at least one deployment, in any namespace, has a name matching
# REGEX, and all of those are available.
wait_named_deployments() {
	local pattern=$1 found=0 list ns name
	list=$(kubectl get deployments -A -o jsonpath='{range .items[*]}{.metadata.namespace}{" "}{.metadata.name}{"\n"}{end}')
	while read -r ns name; do
		if [[ -n $name && $name =~ $pattern ]]; then
			found=1
			kubectl -n "$ns" wait --for=condition=Available "deployment/$name" --timeout="${timeout}s"
		fi
	done <<<"$list"
	((found)) || fail "no deployment named like /$pattern/"
}

# wait_workloads NAMESPACE...: every Deployment, StatefulSet and DaemonSet of the namespaces is
# rolled out. A namespace without workloads is reported; at least one workload must exist.
wait_workloads() {
	local ns list workload total=0
	local -a workloads
	for ns in "$@"; do
		list=$(kubectl -n "$ns" get deployments,statefulsets,daemonsets -o name)
		mapfile -t workloads <<<"$list"
		if [[ -z $list ]]; then
			echo "::warning::namespace $ns has no deployments, statefulsets or daemonsets"
			continue
		fi
		for workload in "${workloads[@]}"; do
			kubectl -n "$ns" rollout status "$workload" --timeout="${timeout}s"
		done
		total=$((total + ${#workloads[@]}))
	done
	((total > 0)) || fail "no workloads in namespaces: $*"
}

# release_namespaces prints the literal namespaces of the stack's Helm releases.
release_namespaces() {
	local file="cdktf.out/stacks/$stack/cdk.tf.json"
	[[ -f $file ]] || return 0
	jq -r '[.resource.helm_release // {} | .[] | .namespace | select(type == "string" and (contains("${") | not))] | unique | join(" ")' "$file"
}

wait_lb_hostname() {
	local pattern=$1 host deadline=$((SECONDS + timeout))
	while ((SECONDS < deadline)); do
		host=$(kubectl get services -A -o json | jq -r --arg p "$pattern" \
			'[.items[] | select(.spec.type == "LoadBalancer" and (.metadata.name | test($p))) | .status.loadBalancer.ingress[0].hostname // empty][0] // empty')
		if [[ -n $host ]]; then
			echo "Load balancer hostname: $host"
			return
		fi
		sleep 10
	done
	fail "no LoadBalancer service named like /$pattern/ got a hostname within ${timeout}s"
}

# max_pods reads nodes.maxPods of the environment's configuration (default 110, docs/adr/0004).
max_pods() {
	local file="config/environments/$env.yaml" n=""
	if [[ -f $file ]]; then
		n=$(sed -n -E 's/^[[:space:]]+maxPods:[[:space:]]*([0-9]+)[[:space:]]*(#.*)?$/\1/p' "$file" | head -n 1)
	fi
	echo "${n:-110}"
}

smoke_foundation() {
	local want bad
	kubectl wait --for=condition=Ready nodes --all --timeout="${timeout}s"
	kubectl -n kube-system rollout status daemonset/cilium --timeout="${timeout}s"
	kubectl -n kube-system wait --for=condition=Available deployment/cilium-operator --timeout="${timeout}s"
	kubectl -n kube-system exec daemonset/cilium -c cilium-agent -- cilium-dbg status --brief
	# The kubelet took the launch template's NodeConfig: every node admits nodes.maxPods pods.
	want=$(max_pods)
	bad=$(kubectl get nodes -o json | jq -r --arg want "$want" \
		'[.items[] | select(.status.capacity.pods != $want) | "\(.metadata.name)=\(.status.capacity.pods)"] | join(" ")')
	[[ -z $bad ]] || fail "nodes whose pod capacity is not nodes.maxPods ($want): $bad"
}

smoke_ingress() {
	local cert
	wait_named_deployments '^cert-manager'
	wait_named_deployments 'external-dns'
	wait_named_deployments 'emissary'
	[[ -n $(kubectl get clusterissuers -o name) ]] || fail "no ClusterIssuer"
	kubectl wait --for=condition=Ready clusterissuers --all --timeout="${timeout}s"
	cert=$(kubectl get certificates -A -o json |
		jq -r '[.items[] | select(any(.spec.dnsNames[]?; startswith("*."))) | "\(.metadata.namespace)/\(.metadata.name)"][0] // empty')
	[[ -n $cert ]] || fail "no wildcard Certificate"
	kubectl -n "${cert%%/*}" wait --for=condition=Ready "certificate/${cert#*/}" --timeout="${timeout}s"
	wait_lb_hostname emissary
}

# section_value SECTION KEY: a two-space-indented scalar of a top-level section of the
# environment file (enough for ingress.domain and observability.grafanaHost).
section_value() {
	awk -v s="$1:" -v k="$2:" '$0 ~ "^"s {in_s=1; next} /^[^ #]/ {in_s=0} in_s && $1 == k {gsub(/["\047]/, "", $2); print $2; exit}' \
		"config/environments/$env.yaml"
}

# svc_get SERVICE PORT PATH: GET through the API server's service proxy (no port-forward).
svc_get() {
	kubectl get --raw "/api/v1/namespaces/monitoring/services/http:$1:$2/proxy$3"
}

smoke_observability() {
	local deadline down url
	wait_workloads monitoring
	for target in mimir:8080 loki:3100 tempo:3200; do
		deadline=$((SECONDS + timeout))
		until [[ $(svc_get "${target%%:*}" "${target#*:}" /ready 2>/dev/null) == ready* ]]; do
			((SECONDS < deadline)) || fail "${target%%:*} is not ready"
			sleep 10
		done
		echo "${target%%:*} ready"
	done
	# Targets need a scrape interval or two after a rollout.
	deadline=$((SECONDS + timeout))
	while :; do
		down=$(svc_get kube-prometheus-stack-prometheus 9090 '/api/v1/targets?state=active' |
			jq -r '.data.activeTargets[] | select(.health != "up") | "\(.labels.job) \(.scrapeUrl): \(.lastError)"')
		[[ -z $down ]] && break
		((SECONDS < deadline)) || fail "Prometheus targets down:"$'\n'"$down"
		sleep 30
	done
	echo "every Prometheus target is up"
	svc_get grafana 80 /api/health | jq -e '.database == "ok"' >/dev/null || fail "Grafana is not healthy"
	url=${GRAFANA_URL:-https://$(section_value observability grafanaHost).$(section_value ingress domain)}
	[[ $(curl -sk -o /dev/null -w '%{http_code}' "$url/api/health") == 200 ]] || fail "Grafana is not reachable at $url"
	echo "Grafana reachable at $url"
}

smoke_service_mesh() {
	local mode weaker ns pods pod containers unmeshed=0
	kubectl -n istio-system wait --for=condition=Available deployment/istiod --timeout="${timeout}s"
	kubectl -n istio-system rollout status daemonset/istio-cni-node --timeout="${timeout}s"
	mode=$(kubectl -n istio-system get peerauthentication default -o jsonpath='{.spec.mtls.mode}')
	[[ $mode == STRICT ]] || fail "istio-system/default PeerAuthentication mode is '$mode', want STRICT"
	weaker=$(kubectl get peerauthentications -A -o json |
		jq -r '[.items[] | select((.spec.mtls.mode // "STRICT") != "STRICT" or ([.spec.portLevelMtls[]?.mode] | any(. != "STRICT"))) | "\(.metadata.namespace)/\(.metadata.name)"] | join(" ")')
	[[ -z $weaker ]] || fail "PeerAuthentications weaker than STRICT: $weaker"
	# Every running pod of a meshed namespace, and Emissary's, must carry the sidecar.
	for ns in $(kubectl get namespaces -l istio-injection=enabled -o jsonpath='{.items[*].metadata.name}') emissary; do
		pods=$(kubectl -n "$ns" get pods --field-selector=status.phase=Running -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
		if [[ -z $pods ]]; then
			echo "::warning::namespace $ns has no running pods to check"
			continue
		fi
		while read -r pod; do
			[[ -n $pod ]] || continue
			containers=$(kubectl -n "$ns" get pod "$pod" -o jsonpath='{.spec.containers[*].name} {.spec.initContainers[*].name}')
			if [[ " $containers " != *" istio-proxy "* ]]; then
				echo "::error::$ns/$pod has no istio-proxy sidecar (restart it: it started before istiod?)"
				unmeshed=$((unmeshed + 1))
			fi
		done <<<"$pods"
	done
	((unmeshed == 0)) || fail "$unmeshed pod(s) outside the mesh in meshed namespaces"
}

smoke_gitops() {
	local host code
	wait_workloads argocd tekton-operator
	kubectl wait --for=condition=Ready tektonconfig/config --timeout="${timeout}s"
	wait_workloads tekton-pipelines
	if kubectl get namespace tekton-ci >/dev/null 2>&1; then
		kubectl -n argocd wait --for=condition=Ready externalsecrets --all --timeout="${timeout}s"
		kubectl -n tekton-ci wait --for=condition=Ready externalsecrets --all --timeout="${timeout}s"
		kubectl -n tekton-ci wait --for=condition=Ready eventlisteners --all --timeout="${timeout}s"
		[[ -n $(kubectl -n argocd get appprojects -o name) ]] || fail "no team AppProject"
	fi
	host=$(kubectl -n argocd get mappings.getambassador.io argocd -o jsonpath='{.spec.hostname}')
	[[ -n $host ]] || fail "no Mapping argocd"
	# -k: dev serves Let's Encrypt staging certificates; the ingress smoke check covers TLS.
	code=$(curl -ksS -o /dev/null -w '%{http_code}' --max-time 20 "https://$host/healthz") || fail "https://$host is not reachable"
	[[ $code == 200 ]] || fail "https://$host/healthz answered $code"
	echo "Argo CD answers on https://$host"
}

smoke_security() {
	local pod status sealed init total want action
	kubectl -n openbao rollout status statefulset/openbao --timeout="${timeout}s"
	for pod in $(kubectl -n openbao get pods -l app.kubernetes.io/name=openbao,component=server -o name); do
		status=$(kubectl -n openbao exec "${pod#pod/}" -c openbao -- bao status -format=json || true)
		init=$(jq -r '.initialized' <<<"$status")
		sealed=$(jq -r '.sealed' <<<"$status")
		[[ $init == true && $sealed == false ]] || fail "$pod: initialized=$init sealed=$sealed (docs/runbooks/security.md#openbao-sealed)"
		echo "$pod initialized and unsealed"
	done
	wait_named_deployments '^external-secrets'
	kubectl wait --for=condition=Ready clustersecretstore/openbao clustersecretstore/aws-secrets-manager --timeout="${timeout}s"
	wait_named_deployments '^gatekeeper'
	want=$(kubectl get constrainttemplates -o name | wc -l)
	total=0
	for action in $(kubectl get constraints -o jsonpath='{range .items[*]}{.spec.enforcementAction}{"\n"}{end}'); do
		total=$((total + 1))
		[[ $action == deny || $action == warn || $action == dryrun ]] || fail "a constraint has enforcementAction '$action'"
	done
	((want > 0 && total == want)) || fail "$total constraints for $want templates"
	echo "$total constraints enforced ($(kubectl get constraints -o jsonpath='{.items[0].spec.enforcementAction}'))"
	kubectl -n falco rollout status daemonset/falco --timeout="${timeout}s"
	want=$(kubectl get nodes -o name | wc -l)
	total=$(kubectl -n falco get daemonset falco -o jsonpath='{.status.numberReady}')
	((total == want)) || fail "Falco ready on $total of $want nodes"
	echo "Falco running on all $want nodes"
}

# smoke_data_services: operators available; every PostgreSQL cluster healthy with a completed
# backup, every RedisFailover with one master, every Kafka Ready and every KafkaUser's Secret.
smoke_data_services() {
	local ns name kind
	wait_workloads cnpg-system redis-operator strimzi
	while read -r ns name; do
		[[ -n $name ]] || continue
		kubectl -n "$ns" wait --for=condition=Ready "clusters.postgresql.cnpg.io/$name" --timeout="${timeout}s"
		kubectl -n "$ns" get secret "$name-app" >/dev/null || fail "no application Secret $ns/$name-app"
		kubectl -n "$ns" wait --for=jsonpath='{.status.phase}'=completed backup -l "cnpg.io/cluster=$name" --timeout="${timeout}s" ||
			fail "no completed backup of $ns/$name"
	done < <(kubectl get clusters.postgresql.cnpg.io -A -o jsonpath='{range .items[*]}{.metadata.namespace}{" "}{.metadata.name}{"\n"}{end}')
	while read -r ns name; do
		[[ -n $name ]] || continue
		kubectl -n "$ns" rollout status "statefulset/rfr-$name" --timeout="${timeout}s"
		kubectl -n "$ns" rollout status "deployment/rfs-$name" --timeout="${timeout}s"
		[[ $(kubectl -n "$ns" get pods -l "app.kubernetes.io/name=$name,redisfailovers-role=master" -o name | wc -l) -eq 1 ]] ||
			fail "RedisFailover $ns/$name does not have exactly one master"
	done < <(kubectl get redisfailovers -A -o jsonpath='{range .items[*]}{.metadata.namespace}{" "}{.metadata.name}{"\n"}{end}')
	for kind in kafkas kafkausers; do
		while read -r ns name; do
			[[ -n $name ]] || continue
			kubectl -n "$ns" wait --for=condition=Ready "$kind.kafka.strimzi.io/$name" --timeout="${timeout}s"
			if [[ $kind == kafkausers ]]; then
				kubectl -n "$ns" get secret "$name" >/dev/null || fail "no credentials Secret $ns/$name"
			fi
		done < <(kubectl get "$kind.kafka.strimzi.io" -A -o jsonpath='{range .items[*]}{.metadata.namespace}{" "}{.metadata.name}{"\n"}{end}')
	done
}

smoke_generic() {
	local -a namespaces
	read -r -a namespaces <<<"${SMOKE_NAMESPACES:-$(release_namespaces)}"
	((${#namespaces[@]} > 0)) || fail "no namespaces to check; set SMOKE_NAMESPACES"
	echo "Namespaces: ${namespaces[*]}"
	wait_workloads "${namespaces[@]}"
}

connect
case $stack in
foundation) smoke_foundation ;;
ingress) smoke_ingress ;;
observability) smoke_observability ;;
service-mesh) smoke_service_mesh ;;
gitops) smoke_gitops ;;
security) smoke_security ;;
data-services) smoke_data_services ;;
*) smoke_generic ;;
esac
echo "Smoke check of $stack in $env passed"
