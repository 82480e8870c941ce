// Package naming builds every resource name of the platform: <project>-<env>-<component>,
// lower case, checked against the AWS length limit of the resource kind.
package naming

import (
	"fmt"
	"regexp"
	"strings"
)

// Kind is an AWS resource kind with a name length limit.
type Kind struct {
	Label string
	Max   int
}

// AWS name length limits that the platform runs into. Keep the list to kinds we create.
var (
	Generic        = Kind{"resource", 255}
	S3Bucket       = Kind{"S3 bucket", 63}
	IAMRole        = Kind{"IAM role", 64}
	IAMPolicy      = Kind{"IAM policy", 128}
	EKSCluster     = Kind{"EKS cluster", 100}
	NodeGroup      = Kind{"EKS node group", 63}
	LaunchTemplate = Kind{"launch template", 128}
	SecurityGroup  = Kind{"security group", 255}
	KMSAlias       = Kind{"KMS alias", 250} // without the "alias/" prefix (256 in all)
	LogGroup       = Kind{"CloudWatch log group", 512}
	ECRRepository  = Kind{"ECR repository", 256}
	Secret         = Kind{"Secrets Manager secret", 512}
)

var component = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// Namer names the resources of one project and environment.
type Namer struct {
	Project string
	Env     string
}

// New returns a Namer; project and env are expected to be validated by the config package.
func New(project, env string) Namer { return Namer{Project: project, Env: env} }

// Prefix is <project>-<env>, the start of every name.
func (n Namer) Prefix() string { return n.Project + "-" + n.Env }

// For returns <project>-<env>-<component> for a resource of the given kind, or an error that
// names the kind, the name and the limit when it is too long or malformed.
func (n Namer) For(kind Kind, comp string) (string, error) {
	comp = strings.ToLower(comp)
	if !component.MatchString(comp) {
		return "", fmt.Errorf("naming: component %q of a %s name must be lower-case letters, digits and inner hyphens", comp, kind.Label)
	}
	name := n.Prefix() + "-" + comp
	if len(name) > kind.Max {
		return "", fmt.Errorf("naming: %s name %q is %d characters; AWS allows at most %d: shorten the project name or the component %q",
			kind.Label, name, len(name), kind.Max, comp)
	}
	return name, nil
}

// Must is For for names built from constants in code: an error is a programming error, so it
// panics with For's message (main turns the panic into a clean exit).
func (n Namer) Must(kind Kind, comp string) string {
	name, err := n.For(kind, comp)
	if err != nil {
		panic(err)
	}
	return name
}

// Name is Must(Generic, comp).
func (n Namer) Name(comp string) string { return n.Must(Generic, comp) }
