// Command eks-platform synthesizes the platform's seven Terraform stacks for one environment.
//
//	PLATFORM_ENV=dev go run .      (or: make synth ENV=dev; cdktf synth)
//
// Configuration is read from config/environments/<env>.yaml and validated before anything is
// built; invalid configuration or a platform that does not fit its nodes writes no stacks.
package main

import (
	"fmt"
	"os"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/stacks"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run() (err error) {
	// Constructs panic on programming errors (a name over an AWS limit, a chart without a
	// pinned version); report them as one line instead of a jsii stack trace.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	env := os.Getenv("PLATFORM_ENV")
	if env == "" {
		env = "dev"
	}
	dir := os.Getenv("PLATFORM_CONFIG_DIR")
	if dir == "" {
		dir = "config/environments"
	}
	cfg, err := config.Load(dir, env)
	if err != nil {
		return err
	}

	app := cdktf.NewApp(nil)
	if os.Getenv("PLATFORM_BOOTSTRAP") == "1" {
		stacks.NewBootstrap(app, cfg, os.Getenv("GITHUB_REPOSITORY"))
		app.Synth()
		return nil
	}
	p, err := stacks.Build(app, cfg)
	if err != nil {
		return err
	}
	report, err := p.Capacity()
	fmt.Print(report.String())
	if err != nil {
		return err
	}
	app.Synth()
	fmt.Printf("synthesized %d stacks for %s into cdktf.out/stacks\n", len(p.Stacks), env)
	return nil
}
