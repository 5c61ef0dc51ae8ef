package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWebhooksTimeoutFlag: allot serve refuses an attempt's time outside
// 1s to 1m, or one that is not a duration, saying which flag or variable
// is wrong.
func TestWebhooksTimeoutFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "allot.db")
	for _, c := range []struct {
		name, timeout, env, want string
	}{
		{"none", "0s", "", "-webhooks-timeout: an attempt of a webhook delivery takes from 1s to 1m, not 0s"},
		{"negative", "-5s", "", "-webhooks-timeout: an attempt of a webhook delivery takes from 1s to 1m, not -5s"},
		{"too long", "2h", "", "-webhooks-timeout: an attempt of a webhook delivery takes from 1s to 1m, not 2h0m0s"},
		{"seconds without a unit", "10", "", `invalid value "10" for flag -webhooks-timeout`},
		{"too long in the environment", "", "90s", "-webhooks-timeout: an attempt of a webhook delivery takes from 1s to 1m, not 1m30s"},
		{"not a duration in the environment", "", "ten", `ALLOT_WEBHOOKS_TIMEOUT: "ten" is not a duration such as 15m or 2h`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.env != "" {
				t.Setenv("ALLOT_WEBHOOKS_TIMEOUT", c.env)
			}
			args := []string{"serve", "-addr", "127.0.0.1:0", "-database", db}
			if c.timeout != "" {
				args = append(args, "-webhooks-timeout", c.timeout)
			}
			code, _, errout := run(t, args...)
			if code != 2 || !strings.Contains(errout, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errout, c.want)
			}
		})
	}
}

// TestServeGivesWebhooksTheirSettings: allot serve makes the webhooks'
// service with the timeout and loopback the flags say.
func TestServeGivesWebhooksTheirSettings(t *testing.T) {
	m := NewMain(&bytes.Buffer{}, &bytes.Buffer{})
	stop := serve(t, m, "-addr", "127.0.0.1:0", "-data", t.TempDir(), "-workers=false", "-webhooks-timeout", "3s",
		"-webhooks-allow-loopback")
	defer stop()
	if m.Webhooks.Timeout != 3*time.Second || !m.Webhooks.AllowLoopback {
		t.Errorf("the webhooks' attempts take %s at most, loopback allowed %v; want 3s and true", m.Webhooks.Timeout, m.Webhooks.AllowLoopback)
	}
}
