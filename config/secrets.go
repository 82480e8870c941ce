package config

import "strings"

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
