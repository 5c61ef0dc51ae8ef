package mail

import (
	"fmt"
	"net"
	"strings"
	"time"
)

// TLS modes of Config.TLS.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS, which must succeed (port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no encryption, for a relay on the same host or network (port 25)
)

// DefaultTimeout bounds each connection to the SMTP server when
// Config.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// Config says how to reach the SMTP server. A Config without Host means no
// server: mail is not sent, and the caller keeps it in its outbox.
type Config struct {
	Host     string
	Port     int    // 0 picks the usual port of the TLS mode: 587, 465 or 25
	TLS      string // TLSStartTLS (the default when empty), TLSImplicit or TLSNone
	User     string // with Password, to authenticate; both empty for none
	Password string
	From     string        // the sender, "Name <address>" or a bare address
	Timeout  time.Duration // for each connection; 0 is DefaultTimeout
}

// Enabled reports whether an SMTP server is configured.
func (c Config) Enabled() bool { return c.Host != "" }

// Check reports the first problem with c, in words an operator can act on.
// The zero Config is valid: it means mail stays in the outbox. Errors wrap
// ErrInvalid.
func (c Config) Check() error {
	if !c.Enabled() {
		if c.Port != 0 || c.User != "" || c.Password != "" || c.TLS != "" {
			return configError("the SMTP host is empty but other SMTP settings are set: set the host, or clear them all to keep mail in the outbox")
		}
		return nil
	}
	if hasControl(c.Host) || strings.ContainsAny(c.Host, " /") {
		return configError("the SMTP host %q is not a host name or IP address", c.Host)
	}
	if _, _, err := net.SplitHostPort(c.Host); err == nil {
		return configError("the SMTP host %q includes a port: give the port in its own setting", c.Host)
	}
	if c.Port < 0 || c.Port > 65535 {
		return configError("the SMTP port %d is not between 1 and 65535 (0 picks the usual one)", c.Port)
	}
	switch c.TLS {
	case "", TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return configError("the SMTP TLS mode %q is unknown: use %q, %q or %q", c.TLS, TLSStartTLS, TLSImplicit, TLSNone)
	}
	if (c.User == "") != (c.Password == "") {
		return configError("the SMTP user and password go together: set both, or neither")
	}
	if hasControl(c.User) || hasControl(c.Password) {
		return configError("the SMTP user or password contains a control character")
	}
	if c.Password != "" && c.TLS == TLSNone && !loopback(c.Host) {
		return configError("the SMTP password would cross the network unencrypted: use TLS mode %q or %q", TLSStartTLS, TLSImplicit)
	}
	if c.From == "" {
		return configError("the SMTP from address is required")
	}
	if _, err := parseFrom(c.From); err != nil {
		return err
	}
	if c.Timeout < 0 {
		return configError("the SMTP timeout %s is negative", c.Timeout)
	}
	return nil
}

// port returns the configured port, or the usual one of the TLS mode.
func (c Config) port() int {
	switch {
	case c.Port != 0:
		return c.Port
	case c.TLS == TLSImplicit:
		return 465
	case c.TLS == TLSNone:
		return 25
	default:
		return 587
	}
}

// configError returns an error wrapping ErrInvalid about the configuration.
func configError(format string, args ...any) error {
	return fmt.Errorf("%w smtp config: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
