package stacks

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	awsprovider "github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	helmprovider "github.com/cdktf/cdktf-provider-helm-go/helm/v12/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/boundary"
	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/constructs/helmaddon"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

// AWSProviderConstraint replaces the exact version the bindings pin (5.99.1), so that both the
// offline plugin mirror (5.100.0) and real users' newer 5.x releases satisfy it.
const AWSProviderConstraint = "~> 5.99"

// Base is what every platform stack has: its configuration, namer, workflow identity, an AWS
// provider with the platform's default tags, a backend, and the tag check.
type Base struct {
	cdktf.TerraformStack
	Cfg      *config.Config
	Names    naming.Namer
	Workflow Workflow
	// Ledger collects the resource footprint of every chart and add-on for the capacity check.
	Ledger *capacity.Ledger
	// Helm is the stack's helm provider, set by the stack once it knows its cluster.
	Helm helmprovider.HelmProvider
}

// newBase creates the stack for workflow w.
func newBase(scope constructs.Construct, cfg *config.Config, w Workflow, ledger *capacity.Ledger) *Base {
	stack := cdktf.NewTerraformStack(scope, jsii.String(w.ID))
	b := &Base{TerraformStack: stack, Cfg: cfg, Names: naming.New(cfg.Project, cfg.Environment), Workflow: w, Ledger: ledger}

	defaults := tagging.Defaults(cfg.Project, cfg.Environment, w.ID, cfg.Owner)
	newAWSProvider(stack, cfg.Region, defaults)
	configureBackend(stack, cfg, w.ID)
	tagging.Check(stack, defaults)
	boundary.Require(stack, b.Names)
	return b
}

func newAWSProvider(stack cdktf.TerraformStack, region string, defaults map[string]string) {
	tags := map[string]*string{}
	for k, v := range defaults {
		tags[k] = jsii.String(v)
	}
	awsprovider.NewAwsProvider(stack, jsii.String("aws"), &awsprovider.AwsProviderConfig{
		Region:      jsii.String(region),
		DefaultTags: &[]*awsprovider.AwsProviderDefaultTags{{Tags: &tags}},
	})
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(AWSProviderConstraint))
}

// configureBackend sets an S3 backend with a native lock file when a state bucket is
// configured, and otherwise a local backend with a path relative to the stack's folder, so
// that synthesized output never depends on the machine it was made on.
func configureBackend(stack cdktf.TerraformStack, cfg *config.Config, id string) {
	if cfg.State.Bucket == "" {
		cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String(LocalStatePath(cfg.Environment, id))})
		return
	}
	region := cfg.State.Region
	if region == "" {
		region = cfg.Region
	}
	backend := cdktf.NewS3Backend(stack, &cdktf.S3BackendConfig{
		Bucket:  jsii.String(cfg.State.Bucket),
		Key:     jsii.String(StateKey(cfg, id)),
		Region:  jsii.String(region),
		Encrypt: jsii.Bool(true),
	})
	// cdktf's S3BackendConfig predates use_lockfile (Terraform >= 1.10).
	backend.AddOverride(jsii.String("use_lockfile"), jsii.Bool(true))
}

// LocalStatePath is a stack's local state, relative to its synthesized folder
// cdktf.out/stacks/<id>: .state/<env>/<id>.tfstate at the repository root.
func LocalStatePath(env, id string) string {
	return fmt.Sprintf("../../../.state/%s/%s.tfstate", env, id)
}

// StateKey is the S3 key of a stack's state: <project>/<env>/<stack>.tfstate.
func StateKey(cfg *config.Config, id string) string {
	return fmt.Sprintf("%s/%s/%s.tfstate", cfg.Project, cfg.Environment, id)
}

// ClusterAccess is what a helm provider needs to reach the cluster.
type ClusterAccess struct {
	Name     *string
	Endpoint *string
	CAData   *string // base64 PEM, as EKS returns it
	Region   string
}

// newHelmProvider configures the helm provider with short-lived tokens from `aws eks get-token`,
// so no credential is written into state or the synthesized files.
func newHelmProvider(stack cdktf.TerraformStack, c ClusterAccess) helmprovider.HelmProvider {
	return helmprovider.NewHelmProvider(stack, jsii.String("helm"), &helmprovider.HelmProviderConfig{
		Kubernetes: &helmprovider.HelmProviderKubernetes{
			Host:                 c.Endpoint,
			ClusterCaCertificate: cdktf.Fn_Base64decode(c.CAData),
			Exec: &helmprovider.HelmProviderKubernetesExec{
				ApiVersion: jsii.String("client.authentication.k8s.io/v1beta1"),
				Command:    jsii.String("aws"),
				Args:       jsii.Strings("eks", "get-token", "--cluster-name", *c.Name, "--region", c.Region, "--output", "json"),
			},
		},
	})
}

// release installs an upstream chart through the helm add-on construct, filling in the pinned
// chart, the ledger, the stack's helm provider and the workflow of every footprint.
func (b *Base) release(id string, ch Chart, c helmaddon.Config) *helmaddon.Addon {
	c.Repository, c.Chart, c.Version = ch.Repository, ch.Name, ch.Version
	return b.install(id, c)
}

// localRelease installs a chart from charts/<name>.
func (b *Base) localRelease(id, name string, c helmaddon.Config) *helmaddon.Addon {
	c.LocalChart = charts.Path(name)
	return b.install(id, c)
}

func (b *Base) install(id string, c helmaddon.Config) *helmaddon.Addon {
	if c.Name == "" {
		c.Name = id
	}
	c.Ledger = b.Ledger
	c.Provider = b.Helm
	for i := range c.Footprints {
		if c.Footprints[i].Component == "" {
			c.Footprints[i].Component = c.Name
		}
	}
	c.Footprints = b.stamp(c.Footprints...)
	return helmaddon.New(b.TerraformStack, id, c)
}

// stamp sets the stack's workflow on footprints, for the capacity report and budgets.
func (b *Base) stamp(fps ...capacity.Footprint) []capacity.Footprint {
	out := make([]capacity.Footprint, len(fps))
	for i, fp := range fps {
		fp.Workflow = b.Workflow.ID
		out[i] = fp
	}
	return out
}

// overrideBudget replaces the brief's budget of the stack's workflow with one from its typed
// configuration (the capacity report shows the reason); empty quantities keep the brief's.
// Configuration validation has already checked the quantities.
func (b *Base) overrideBudget(cpu, memory, reason string) {
	if cpu == "" && memory == "" {
		return
	}
	b.Ledger.OverrideBudget(b.Workflow.ID, capacity.Budget{CPUMilli: capacity.MustCPU(cpu), MemMiB: capacity.MustMemMiB(memory)}, reason)
}

// declare records footprints of workloads that no helm release of ours installs (EKS add-ons).
func (b *Base) declare(fps ...capacity.Footprint) { b.Ledger.Add(b.stamp(fps...)...) }

// output declares a plain Terraform output that operators read with `terraform output`.
func (b *Base) output(id, description string, value any) {
	cdktf.NewTerraformOutput(b.TerraformStack, jsii.String(id), &cdktf.TerraformOutputConfig{
		Value:       value,
		Description: jsii.String(description),
	})
}

// ha reports whether the environment runs controllers with more than one replica.
func (b *Base) ha() bool { return b.Cfg.Environment != "dev" }

// replicas is 1 in dev and n elsewhere.
func (b *Base) replicas(n int) int {
	if b.ha() {
		return n
	}
	return 1
}
