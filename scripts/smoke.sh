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
*) smoke_generic ;;
esac
echo "Smoke check of $stack in $env passed"
