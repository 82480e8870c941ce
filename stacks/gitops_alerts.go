package stacks

// gitopsAlerts are the failure modes of Workflow 4, each with its runbook section in
// docs/runbooks/gitops.md.
func gitopsAlerts() []AlertGroup {
	return []AlertGroup{
		{Name: "argocd", Rules: []Alert{
			{
				Name:        "ArgoCDSyncFailed",
				Expr:        `sum by (name, project) (increase(argocd_app_sync_total{phase=~"Error|Failed"}[15m])) > 0`,
				Severity:    "warning",
				Summary:     "Argo CD failed to sync an application",
				Description: "Application {{ $labels.name }} (project {{ $labels.project }}) failed to sync in the last 15 minutes.",
				Runbook:     "gitops#sync-failed",
			},
			{
				Name:        "ArgoCDAppOutOfSync",
				Expr:        `max by (name, project) (argocd_app_info{sync_status="OutOfSync"}) == 1`,
				For:         "30m",
				Severity:    "warning",
				Summary:     "An application stayed out of sync",
				Description: "Application {{ $labels.name }} has differed from Git for 30 minutes although automated sync with self-heal is on.",
				Runbook:     "gitops#out-of-sync",
			},
			{
				Name:        "ArgoCDAppDegraded",
				Expr:        `max by (name, project) (argocd_app_info{health_status="Degraded"}) == 1`,
				For:         "15m",
				Severity:    "critical",
				Summary:     "An application is degraded",
				Description: "Application {{ $labels.name }} has reported Degraded health for 15 minutes.",
				Runbook:     "gitops#application-degraded",
			},
		}},
		{Name: "tekton", Rules: []Alert{
			{
				Name:        "TektonPipelineRunFailed",
				Expr:        `sum by (namespace, pipeline) (increase(tekton_pipelines_controller_pipelinerun_total{status="failed"}[30m])) > 0`,
				Severity:    "warning",
				Summary:     "A pipeline run failed",
				Description: "Pipeline {{ $labels.pipeline }} in {{ $labels.namespace }} had a failed run in the last 30 minutes.",
				Runbook:     "gitops#pipeline-failed",
			},
			{
				Name:        "TektonImageBuildFailed",
				Expr:        `sum by (namespace) (increase(tekton_pipelines_controller_taskrun_total{status="failed", task="kaniko-build"}[30m])) > 0`,
				Severity:    "warning",
				Summary:     "An image build or push failed",
				Description: "The kaniko-build task failed in {{ $labels.namespace }}; the most common cause is an ECR push that was denied.",
				Runbook:     "gitops#image-push-denied",
			},
			{
				Name:        "TektonControllerDown",
				Expr:        `absent(up{namespace="tekton-pipelines", service="tekton-pipelines-controller"} == 1)`,
				For:         "10m",
				Severity:    "critical",
				Summary:     "The Tekton Pipelines controller is not scraped",
				Description: "No healthy tekton-pipelines-controller target for 10 minutes: no pipeline runs progress.",
				Runbook:     "gitops#pipeline-failed",
			},
		}},
	}
}
