package mail_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"allot/mail"
)

// TestConfigCheck checks that each bad setting is named in the error.
func TestConfigCheck(t *testing.T) {
	t.Parallel()
	valid := mail.Config{Host: "smtp.example.com", From: "Allot <noreply@allot.example>"}
	tests := []struct {
		name    string
		change  func(*mail.Config)
		wantErr string // "" for a valid config
	}{
		{"valid", func(*mail.Config) {}, ""},
		{"zero config keeps mail in the outbox", func(c *mail.Config) { *c = mail.Config{} }, ""},
		{"starttls with credentials", func(c *mail.Config) { c.TLS, c.Port, c.User, c.Password = mail.TLSStartTLS, 587, "allot", "secret" }, ""},
		{"implicit tls", func(c *mail.Config) { c.TLS = mail.TLSImplicit }, ""},
		{"no tls with a password on this host", func(c *mail.Config) { c.Host, c.TLS, c.User, c.Password = "localhost", mail.TLSNone, "u", "p" }, ""},
		{"ipv6 host", func(c *mail.Config) { c.Host = "::1" }, ""},
		{"bare from", func(c *mail.Config) { c.From = "noreply@allot.example" }, ""},

		{"settings without host", func(c *mail.Config) { c.Host = "" }, ""}, // only From left: still the outbox
		{"port without host", func(c *mail.Config) { c.Host, c.Port = "", 25 }, "host is empty"},
		{"user without host", func(c *mail.Config) { c.Host, c.User, c.Password = "", "u", "p" }, "host is empty"},
		{"host with port", func(c *mail.Config) { c.Host = "smtp.example.com:587" }, "includes a port"},
		{"host with space", func(c *mail.Config) { c.Host = "smtp example.com" }, "not a host name"},
		{"host with line break", func(c *mail.Config) { c.Host = "smtp.example.com\r\n" }, "not a host name"},
		{"port too large", func(c *mail.Config) { c.Port = 70000 }, "not between 1 and 65535"},
		{"negative port", func(c *mail.Config) { c.Port = -1 }, "not between 1 and 65535"},
		{"unknown tls mode", func(c *mail.Config) { c.TLS = "ssl" }, `TLS mode "ssl" is unknown`},
		{"user without password", func(c *mail.Config) { c.User = "allot" }, "user and password go together"},
		{"password without user", func(c *mail.Config) { c.Password = "secret" }, "user and password go together"},
		{"password in clear over the network", func(c *mail.Config) { c.TLS, c.User, c.Password = mail.TLSNone, "u", "p" }, "unencrypted"},
		{"no from", func(c *mail.Config) { c.From = "" }, "from address is required"},
		{"bad from", func(c *mail.Config) { c.From = "not an address" }, "from address \"not an address\" is not valid"},
		{"from with a line break", func(c *mail.Config) { c.From = "Allot <noreply@allot.example>\r\nBcc: eve@evil.example" }, "control character"},
		{"negative timeout", func(c *mail.Config) { c.Timeout = -time.Second }, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := valid
			tt.change(&c)
			err := c.Check()
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("Check: %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, mail.ErrInvalid) {
				t.Errorf("Check: %v, want an ErrInvalid error containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestNewSMTP checks that NewSMTP refuses a missing or invalid config.
func TestNewSMTP(t *testing.T) {
	t.Parallel()
	if _, err := mail.NewSMTP(mail.Config{}); !errors.Is(err, mail.ErrNotConfigured) {
		t.Errorf("NewSMTP(zero config): %v, want ErrNotConfigured", err)
	}
	if _, err := mail.NewSMTP(mail.Config{Host: "smtp.example.com"}); !errors.Is(err, mail.ErrInvalid) {
		t.Errorf("NewSMTP(no from): %v, want ErrInvalid", err)
	}
	if (mail.Config{}).Enabled() || !(mail.Config{Host: "smtp.example.com"}).Enabled() {
		t.Error("Enabled does not follow the host")
	}
}
