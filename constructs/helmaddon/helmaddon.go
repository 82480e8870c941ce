// Package helmaddon is the one way the platform installs a Helm chart: a pinned version, a
// namespace, atomic upgrades with a timeout, values built from typed Go, and a declared resource
// footprint that feeds the synth-time capacity check.
package helmaddon

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v12/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"gopkg.in/yaml.v3"

	"github.com/platformeng/eks-platform/constructs/capacity"
)

// DefaultTimeout is the helm_release timeout in seconds: long enough for images to pull on a
// fresh Spot node, short enough that a broken release fails the workflow rather than hanging.
const DefaultTimeout = 600

// Config describes one release. Exactly one of Repository+Chart+Version or LocalChart is set.
type Config struct {
	// Name of the release (and of the construct).
	Name      string
	Namespace string
	// CreateNamespace lets helm create the namespace (default true).
	CreateNamespace *bool

	// Repository is an https chart repository or an oci:// registry path.
	Repository string
	Chart      string
	// Version is an exact chart version; ranges are refused so that every plan is reproducible.
	Version string

	// LocalChart is the folder of a chart under charts/, shipped into the stack as an asset.
	LocalChart string

	// Values are marshalled to one YAML document, in sorted key order.
	Values map[string]any
	// Sensitive values go to set_sensitive: masked in plans, never in values YAML or outputs.
	Sensitive map[string]*string

	// Footprints declare every workload of the release; a chart with no pods (CRDs only,
	// configuration objects) declares none and says so with NoWorkloads.
	Footprints  []capacity.Footprint
	NoWorkloads bool
	Ledger      *capacity.Ledger

	// Wait for workloads to be ready (default true). Cilium sets false: it is installed before
	// any node can become Ready. Without wait there is no atomic rollback either, since helm's
	// atomic implies wait.
	Wait *bool
	// Timeout in seconds (default DefaultTimeout).
	Timeout   int
	SkipCRDs  bool
	DependsOn []cdktf.ITerraformDependable
	Provider  cdktf.TerraformProvider
}

// Addon is a helm_release installed the platform's way.
type Addon struct {
	constructs.Construct
	Release release.Release
}

var exactVersion = regexp.MustCompile(`^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)

// Validate reports a misconfigured release; New panics with this error.
func (c Config) Validate() error {
	switch {
	case c.Name == "" || c.Namespace == "":
		return fmt.Errorf("helmaddon: release %q needs a name and a namespace", c.Name)
	case c.LocalChart == "" && (c.Repository == "" || c.Chart == ""):
		return fmt.Errorf("helmaddon: release %q needs Repository and Chart, or LocalChart", c.Name)
	case c.LocalChart != "" && c.Repository != "":
		return fmt.Errorf("helmaddon: release %q sets both LocalChart and Repository", c.Name)
	case c.LocalChart == "" && !exactVersion.MatchString(c.Version):
		return fmt.Errorf("helmaddon: release %q chart version %q must be an exact version (no ranges)", c.Name, c.Version)
	case len(c.Footprints) == 0 && !c.NoWorkloads:
		return fmt.Errorf("helmaddon: release %q declares no footprint; declare its workloads or set NoWorkloads", c.Name)
	case len(c.Footprints) > 0 && c.NoWorkloads:
		return fmt.Errorf("helmaddon: release %q sets NoWorkloads but declares footprints", c.Name)
	case len(c.Footprints) > 0 && c.Ledger == nil:
		return fmt.Errorf("helmaddon: release %q has footprints but no ledger to record them", c.Name)
	}
	return nil
}

// New creates the release. Configuration mistakes are programming errors and panic.
func New(scope constructs.Construct, id string, c Config) *Addon {
	if err := c.Validate(); err != nil {
		panic(err)
	}
	a := &Addon{Construct: constructs.NewConstruct(scope, jsii.String(id))}

	wait := c.Wait == nil || *c.Wait
	rc := &release.ReleaseConfig{
		Name:            jsii.String(c.Name),
		Namespace:       jsii.String(c.Namespace),
		CreateNamespace: jsii.Bool(c.CreateNamespace == nil || *c.CreateNamespace),
		Atomic:          jsii.Bool(wait),
		CleanupOnFail:   jsii.Bool(true),
		Wait:            jsii.Bool(wait),
		Timeout:         jsii.Number(float64(orDefault(c.Timeout, DefaultTimeout))),
		MaxHistory:      jsii.Number(5),
		DependsOn:       &c.DependsOn,
		Provider:        c.Provider,
	}
	if c.SkipCRDs {
		rc.SkipCrds = jsii.Bool(true)
	}
	if c.LocalChart != "" {
		asset := cdktf.NewTerraformAsset(a.Construct, jsii.String("chart"), &cdktf.TerraformAssetConfig{
			Path: jsii.String(c.LocalChart),
			Type: cdktf.AssetType_DIRECTORY,
		})
		rc.Chart = asset.Path()
		rc.Description = jsii.String("local chart " + filepath.Base(c.LocalChart))
	} else {
		rc.Repository = jsii.String(c.Repository)
		rc.Chart = jsii.String(c.Chart)
		rc.Version = jsii.String(c.Version)
	}
	if len(c.Values) > 0 {
		rc.Values = &[]*string{jsii.String(MarshalValues(c.Values))}
	}
	if len(c.Sensitive) > 0 {
		keys := make([]string, 0, len(c.Sensitive))
		for k := range c.Sensitive {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		set := make([]*release.ReleaseSetSensitive, 0, len(keys))
		for _, k := range keys {
			set = append(set, &release.ReleaseSetSensitive{Name: jsii.String(k), Value: c.Sensitive[k], Type: jsii.String("string")})
		}
		rc.SetSensitive = &set
	}
	a.Release = release.NewRelease(a.Construct, jsii.String("release"), rc)
	if c.Ledger != nil {
		c.Ledger.Add(c.Footprints...)
	}
	return a
}

// MarshalValues renders values as YAML with sorted keys; errors are programming errors.
func MarshalValues(v map[string]any) string {
	out, err := yaml.Marshal(v)
	if err != nil {
		panic(fmt.Errorf("helmaddon: values do not marshal to YAML: %w", err))
	}
	return string(out)
}

func orDefault(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}
