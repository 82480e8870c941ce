package config

import (
	"fmt"
	"strings"
)

// SecretsPrefix is the AWS Secrets Manager name prefix of the platform's application secrets:
// <project>-<env>/. The security stack's aws-secrets-manager ClusterSecretStore may read only
// names under it, so every secret another section reads through that store must start with it.
func (c *Config) SecretsPrefix() string { return c.Project + "-" + c.Environment + "/" }

// validateSecretNames checks that the secrets read in-cluster through External Secrets live
// under SecretsPrefix, where the store can read them.
func (c *Config) validateSecretNames(ps *problems) {
	prefix := c.SecretsPrefix()
	for path, name := range map[string]string{
		"observability.alerting.secretName":         c.Observability.Alerting.SecretName,
		"gitops.credentials.secretName":             c.GitOps.Credentials.SecretName,
		"gitops.pipeline.webhookSecretName":         c.GitOps.Pipeline.WebhookSecretName,
		"gitops.pipeline.gitWriteSecretName":        c.GitOps.Pipeline.GitWriteSecretName,
		"gitops.sso.clientSecretName":               c.GitOps.SSO.ClientSecretName,
		"gitops.notifications.slackTokenSecretName": c.GitOps.Notifications.SlackTokenSecretName,
	} {
		// A malformed name is reported by its own section; only a well-formed one is checked here.
		if secretNameRe.MatchString(name) && !strings.HasPrefix(name, prefix) {
			ps.add(path, "%q is outside %s; External Secrets (Workflow 5) may read only secrets named %s<name>", name, prefix, prefix)
		}
	}
}

// validateDataUnderGatekeeper refuses data-service instances that Gatekeeper would refuse at
// run time. The pods the operators create (CloudNativePG, Strimzi, the Redis operator) carry
// neither the team label nor images from the account's ECR, so at `deny` they never start in a
// namespace the constraints check. Until the instance charts make them compliant, such an
// instance needs its namespace exempted or enforcement `warn` (docs/workflows/07-data-services.md).
func (c *Config) validateDataUnderGatekeeper(ps *problems) {
	g := c.Security.Gatekeeper
	if g.Enforcement != EnforceDeny {
		return
	}
	exempt := func(ns string) bool {
		for _, e := range g.ExemptNamespaces {
			if e == ns || (strings.HasSuffix(e, "*") && strings.HasPrefix(ns, strings.TrimSuffix(e, "*"))) {
				return true
			}
		}
		return false
	}
	check := func(kind string, i int, name, ns string) {
		if !exempt(ns) {
			ps.add(fmt.Sprintf("dataServices.%s[%d].namespace", kind, i),
				"%q is checked by Gatekeeper at enforcement deny, which refuses the pods the %s operator creates for %s (no team label, images outside ECR); list the namespace in security.gatekeeper.exemptNamespaces or use enforcement warn", ns, kind, name)
		}
	}
	for i, p := range c.DataServices.Postgres {
		check("postgres", i, p.Name, p.Namespace)
	}
	for i, r := range c.DataServices.Redis {
		check("redis", i, r.Name, r.Namespace)
	}
	for i, k := range c.DataServices.Kafka {
		check("kafka", i, k.Name, k.Namespace)
	}
}
