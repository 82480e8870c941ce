// Package stacks holds the seven Terraform stacks of the platform, one per GitHub workflow, the
// registry that builds them in order, and the one-time bootstrap stack.
package stacks

// Workflow identifies one of the seven stacks and the GitHub workflow that deploys it.
type Workflow struct {
	Number int
	// ID is the CDKTF stack id: `cdktf deploy <ID>`, cdktf.out/stacks/<ID>, the Workflow tag.
	ID string
	// Name is the GitHub workflow name, byte for byte as the brief gives it (icons included).
	Name string
	// File is the workflow file under .github/workflows.
	File string
}

// Workflows are the seven workflows in deployment order.
var Workflows = []Workflow{
	{1, "foundation", "🏗️ Workflow 1: Foundation Platform", "01-foundation.yml"},
	{2, "ingress", "🌐 Workflow 2: Ingress + API Gateway Stack", "02-ingress.yml"},
	{3, "observability", "📈 Workflow 3: Observability Stack", "03-observability.yml"},
	{4, "gitops", "🔄 Workflow 4: GitOps & Deployment Automation", "04-gitops.yml"},
	{5, "security", "🔐 Workflow 5: Security Foundation", "05-security.yml"},
	{6, "service-mesh", "🛡️ Workflow 6: Service Mesh", "06-service-mesh.yml"},
	{7, "data-services", "📊 Workflow 7: Data Services", "07-data-services.yml"},
}

// WorkflowByID returns the workflow of a stack id.
func WorkflowByID(id string) (Workflow, bool) {
	for _, w := range Workflows {
		if w.ID == id {
			return w, true
		}
	}
	return Workflow{}, false
}

// DeploymentOrder is the order the stacks deploy in: the registry builds them so, deploy.yml
// applies them so, and every stack comes after those it depends on. It differs from the
// workflow numbers in one place: security (5) deploys before gitops (4), whose Argo CD and
// Tekton credentials come through the External Secrets Operator that security installs
// (docs/adr/0012-deployment-order.md).
var DeploymentOrder = []string{"foundation", "ingress", "observability", "security", "gitops", "service-mesh", "data-services"}
