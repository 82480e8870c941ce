package stacks

import (
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
)

// gitopsSizing is every workload of the gitops stack with its requests and limits. In dev the
// requests fit the brief's 500m / 1024Mi (Argo CD and Tekton together); staging and prod run
// Argo CD highly available under an explicit budget override. docs/capacity.md explains each
// number.
type gitopsSizing struct {
	controller, server, repoServer, applicationSet, notifications capacity.Footprint
	// redisContainers are redis, sentinel, split-brain detection and exporter: the single
	// Redis pod uses [0] and [3]; each redis-ha pod runs all four.
	redisContainers [4]capacity.Footprint
	redisHA         capacity.Footprint // replicas of the redis-ha StatefulSet
	haproxy         capacity.Footprint
	redisInit       capacity.Footprint // init containers and the redis-secret-init Job (not counted)

	operatorContainer capacity.Footprint // each of the operator pod's two containers
	operatorWebhook   capacity.Footprint
	// proxyWebhook is the operator's tekton-operator-proxy-webhook, which the operator deploys
	// from its own manifest with fixed resources; it is declared as upstream ships it.
	proxyWebhook capacity.Footprint
	// tekton are the Deployments the operator creates from our TektonConfig, by deployment name.
	tekton        []tektonDeployment
	eventListener capacity.Footprint
	step          capacity.Footprint // every pipeline step container (transient, not counted)
	waitJob       capacity.Footprint // tekton-config's wait hook Job (transient, not counted)
}

type tektonDeployment struct {
	Name, Container, Component string
	Footprint                  capacity.Footprint
}

func fp(component string, replicas int, reqCPU, reqMem, limCPU, limMem string) capacity.Footprint {
	return capacity.Footprint{Component: component, Replicas: replicas,
		Requests: capacity.Resources{CPU: reqCPU, Memory: reqMem}, Limits: capacity.Resources{CPU: limCPU, Memory: limMem}}
}

func sizingFor(ha bool) gitopsSizing {
	s := gitopsSizing{
		controller:     fp("argocd-application-controller", 1, "100m", "224Mi", "1", "1Gi"),
		server:         fp("argocd-server", 1, "20m", "48Mi", "300m", "256Mi"),
		repoServer:     fp("argocd-repo-server", 1, "30m", "80Mi", "500m", "512Mi"),
		applicationSet: fp("argocd-applicationset-controller", 1, "10m", "32Mi", "200m", "256Mi"),
		notifications:  fp("argocd-notifications-controller", 1, "10m", "24Mi", "100m", "128Mi"),
		redisContainers: [4]capacity.Footprint{
			fp("argocd-redis", 1, "10m", "24Mi", "100m", "128Mi"),
			fp("argocd-redis-sentinel", 1, "10m", "16Mi", "100m", "64Mi"),
			fp("argocd-redis-split-brain", 1, "5m", "16Mi", "50m", "64Mi"),
			fp("argocd-redis-exporter", 1, "5m", "16Mi", "50m", "64Mi"),
		},
		haproxy:   fp("argocd-redis-ha-haproxy", 3, "10m", "32Mi", "100m", "128Mi"),
		redisInit: fp("argocd-redis-init", 1, "10m", "32Mi", "100m", "64Mi"),

		operatorContainer: fp("tekton-operator", 1, "10m", "40Mi", "200m", "256Mi"),
		operatorWebhook:   fp("tekton-operator-webhook", 1, "10m", "24Mi", "200m", "128Mi"),
		proxyWebhook:      fp("tekton-operator-proxy-webhook", 1, "100m", "100Mi", "500m", "500Mi"),
		tekton: []tektonDeployment{
			{"tekton-pipelines-controller", "tekton-pipelines-controller", "pipeline", fp("tekton-pipelines-controller", 1, "20m", "64Mi", "500m", "512Mi")},
			{"tekton-pipelines-webhook", "webhook", "pipeline", fp("tekton-pipelines-webhook", 1, "10m", "40Mi", "200m", "256Mi")},
			{"tekton-events-controller", "tekton-events-controller", "pipeline", fp("tekton-events-controller", 1, "10m", "24Mi", "100m", "128Mi")},
			{"tekton-pipelines-remote-resolvers", "controller", "pipeline", fp("tekton-pipelines-remote-resolvers", 1, "10m", "40Mi", "200m", "256Mi")},
			{"tekton-triggers-controller", "tekton-triggers-controller", "trigger", fp("tekton-triggers-controller", 1, "10m", "32Mi", "200m", "256Mi")},
			{"tekton-triggers-webhook", "webhook", "trigger", fp("tekton-triggers-webhook", 1, "10m", "24Mi", "200m", "128Mi")},
			{"tekton-triggers-core-interceptors", "tekton-triggers-core-interceptors", "trigger", fp("tekton-triggers-core-interceptors", 1, "10m", "24Mi", "100m", "128Mi")},
			{"tekton-dashboard", "tekton-dashboard", "dashboard", fp("tekton-dashboard", 1, "10m", "24Mi", "100m", "128Mi")},
		},
		eventListener: fp("tekton-eventlistener-github", 1, "10m", "32Mi", "200m", "128Mi"),
		step:          fp("tekton-step", 1, "100m", "256Mi", "1", "2Gi"),
		waitJob:       fp("tekton-config-wait", 1, "10m", "32Mi", "100m", "64Mi"),
	}
	if ha {
		s.controller = fp("argocd-application-controller", 1, "250m", "512Mi", "2", "2Gi")
		s.server = fp("argocd-server", 2, "50m", "64Mi", "500m", "256Mi")
		s.repoServer = fp("argocd-repo-server", 2, "50m", "128Mi", "1", "1Gi")
		s.applicationSet = fp("argocd-applicationset-controller", 2, "20m", "48Mi", "200m", "256Mi")
		s.notifications = fp("argocd-notifications-controller", 1, "20m", "32Mi", "200m", "128Mi")
		s.redisContainers[0] = fp("argocd-redis", 1, "50m", "96Mi", "500m", "256Mi")
		s.redisHA = fp("argocd-redis-ha", 3, "", "", "", "")
		s.haproxy = fp("argocd-redis-ha-haproxy", 3, "20m", "48Mi", "200m", "128Mi")
	}
	return s
}

// withReplicas applies the configured replica counts; HA components get a PDB from argoCD.
func (s gitopsSizing) withReplicas(r config.ArgoReplicas) gitopsSizing {
	s.controller.Replicas, s.server.Replicas, s.repoServer.Replicas, s.applicationSet.Replicas = r.Controller, r.Server, r.RepoServer, r.ApplicationSet
	return s
}

// argoFootprints are Argo CD's pods: the redis-ha pods carry four containers each.
func (s gitopsSizing) argoFootprints(redisHA bool) []capacity.Footprint {
	out := []capacity.Footprint{s.controller, s.server, s.repoServer, s.applicationSet, s.notifications}
	if redisHA {
		pod := capacity.Pod("argocd-redis-ha", s.redisHA.Replicas, s.redisContainers[:]...)
		return append(out, pod, s.haproxy)
	}
	return append(out, capacity.Pod("argocd-redis", 1, s.redisContainers[0], s.redisContainers[3]))
}

// operatorPod is the operator Deployment's pod: two containers with the same resources.
func (s gitopsSizing) operatorPod() capacity.Footprint {
	return capacity.Pod("tekton-operator", 1, s.operatorContainer, s.operatorContainer)
}

func (s gitopsSizing) tektonFootprints() []capacity.Footprint {
	out := make([]capacity.Footprint, len(s.tekton))
	for i, d := range s.tekton {
		out[i] = d.Footprint
	}
	return out
}

// tektonDeployments is the tekton-config chart's `deployments` value.
func (s gitopsSizing) tektonDeployments() map[string]any {
	out := map[string]any{}
	for _, d := range s.tekton {
		out[d.Name] = map[string]any{
			"container": d.Container, "component": d.Component,
			"requests": d.Footprint.Requests.Values(), "limits": d.Footprint.Limits.Values(),
		}
	}
	return out
}
