package stacks

import "testing"

func security(t *testing.T, env string) tf { return synthPlatform(t, env, "", nil)["security"] }

func TestSecuritySynth(t *testing.T) {
	d := security(t, "dev")
	_, _ = d.release(t, "openbao")
}
