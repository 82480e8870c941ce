// Command platform answers operators' and assistants' questions about the platform from the
// code itself: it synthesizes the CDKTF app offline (no AWS account, no network) and reads the
// registry, the capacity ledger, the synthesized stacks, the runbooks and committed tables.
//
//	platform order    [--env E] [--changed STACK|FILE ...]   deployment order; what a change re-plans
//	platform capacity [--env E] [--nodes N] [--instance-type T] [--services K]
//	platform cost     [--env E]                               monthly cost estimate per workflow
//	platform explain  ERROR-TEXT                              error message -> runbook section
//	platform runbook  [--env E] [ALERT]                       alert -> runbook section (all without ALERT)
//	platform drift    --plan FILE [--stack ID] [--env E] [--markdown]
//
// Every verb prints a table by default and JSON with --json. Run from the repository (or pass
// --root); `make order`, `make capacity`, ... wrap it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/ops/model"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, loadModel))
}

// loader builds the model of one environment; tests pass fixtures.
type loader func(root, env string) (*model.Model, error)

func loadModel(root, env string) (*model.Model, error) { return model.Load(root, env) }

// errUsage marks errors that are the caller's: exit status 2.
var errUsage = errors.New("usage")

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }
func (e usageError) Unwrap() error { return errUsage }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

const usage = `usage: platform <verb> [flags]

verbs:
  order     [--env E] [--changed STACK|FILE ...]     deployment order of the stacks; with --changed,
                                                      the stacks to re-plan, in order
  capacity  [--env E] [--nodes N] [--instance-type T] [--services K]
                                                      capacity report with what-if flags
  cost      [--env E]                                 monthly cost ESTIMATE per workflow and in total
  explain   ERROR-TEXT                                known error message -> runbook section
  runbook   [--env E] [ALERT]                         alert -> runbook section (every alert without ALERT)
  drift     --plan FILE [--stack ID] [--env E] [--markdown]
                                                      summary of a 'terraform show -json' plan
  model     [--env E]                                 the model every verb reads, as JSON (debugging, fixtures)

common flags: --json (machine-readable output), --root DIR (repository root; default: found
from the working directory), --env E (dev, staging, prod; default $PLATFORM_ENV or dev)
`

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer, load loader) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	verbs := map[string]func(*cli) error{
		"order": (*cli).order, "capacity": (*cli).capacity, "cost": (*cli).cost,
		"explain": (*cli).explain, "runbook": (*cli).runbook, "drift": (*cli).drift, "model": (*cli).model,
	}
	verb, ok := verbs[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "platform: unknown verb %q\n\n%s", args[0], usage)
		return 2
	}
	c := &cli{name: args[0], out: stdout, load: load}
	c.flags = flag.NewFlagSet("platform "+args[0], flag.ContinueOnError)
	c.flags.SetOutput(stderr)
	c.flags.BoolVar(&c.json, "json", false, "print JSON")
	c.flags.StringVar(&c.root, "root", "", "repository root (default: found from the working directory)")
	def := os.Getenv("PLATFORM_ENV")
	if def == "" {
		def = "dev"
	}
	c.flags.StringVar(&c.env, "env", def, "environment: "+strings.Join(config.Environments, ", "))
	c.args = args[1:]
	if err := verb(c); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "platform %s: %v\n", c.name, err)
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

// cli is one invocation.
type cli struct {
	name  string
	flags *flag.FlagSet
	args  []string
	json  bool
	root  string
	env   string
	out   io.Writer
	load  loader
}

// parse parses the verb's flags (defined by the caller) and checks the common ones. Flags may
// follow positional arguments.
func (c *cli) parse() ([]string, error) {
	var pos []string
	rest := c.args
	for {
		if err := c.flags.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		rest = c.flags.Args()
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		rest = rest[1:]
	}
	if !slices.Contains(config.Environments, c.env) {
		return nil, usagef("unknown environment %q; allowed: %s", c.env, strings.Join(config.Environments, ", "))
	}
	if c.root == "" {
		r, err := findRoot()
		if err != nil {
			return nil, err
		}
		c.root = r
	}
	return pos, nil
}

// findRoot walks up from the working directory to the folder holding go.mod and config/.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "config", "environments")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("not inside the platform repository (no go.mod with config/environments above the working directory); pass --root")
		}
		dir = parent
	}
}

func (c *cli) model() error {
	if _, err := c.parse(); err != nil {
		return err
	}
	m, err := c.load(c.root, c.env)
	if err != nil {
		return err
	}
	return writeJSON(c.out, m)
}
