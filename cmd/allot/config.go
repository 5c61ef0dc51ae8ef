package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"allot"
	"allot/mail"
	"allot/offline"
	"allot/webhook"
)

// Config is how allot is set up: by flags, each with an environment variable
// as its default.
type Config struct {
	Database string // a postgres:// URL or a SQLite file; default: allot.db in DataDir
	DataDir  string
	Addr     string
	Demo     bool // serve: fill an empty database with demo data first
	// InsecureCookies lets the session cookie travel over plain HTTP to
	// another host than this one (behind a TLS-terminating proxy, leave it off).
	InsecureCookies bool
	MailLimit       int // mail: how many recorded mails to list
	// Workers runs the background jobs (the sweep, mail delivery) in this
	// process; several processes may run them on one database.
	Workers bool
	BaseURL string      // where links in mail point; http://ADDR by default
	SMTP    mail.Config // no host: mail is kept, for the vendor admin to read
	// SupportReplyTo is the support desk's reply address, such as
	// support@allot.example: a request's mail is answered to
	// support+TOKEN@allot.example. Empty, it is answered on the request's
	// page.
	SupportReplyTo string
	// SupportListen is where the SMTP listener takes those replies, such
	// as 127.0.0.1:2525; empty, it is off.
	SupportListen string
	Import        importFlags
	// SCIMCompany is the company whose SCIM token scim-token makes: its ID
	// or its exact name.
	SCIMCompany string
	// Metrics say where the operators' metrics are served (metrics.go).
	Metrics metricsFlags
	// WebhooksAllowLoopback lets webhook endpoints on this machine's
	// loopback addresses be subscribed and reached: tests and local
	// receivers. Every other address inside the network stays refused.
	WebhooksAllowLoopback bool
	// WebhooksTimeout is how long an attempt of a webhook delivery may
	// take, from webhook.MinTimeout to webhook.MaxTimeout.
	WebhooksTimeout time.Duration
	webhooksEnv     error // ALLOT_WEBHOOKS_TIMEOUT is not a duration
	// TokenTTL is how long an offline entitlement token lasts at most.
	TokenTTL time.Duration
	tokenEnv error // ALLOT_TOKEN_TTL is not a duration
}

// flags returns a flag set for command cmd writing its errors to out, with
// the flags that command takes bound to c.
func (c *Config) flags(cmd string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("allot "+cmd, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.DataDir, "data", env("ALLOT_DATA_DIR", "data"), "directory of the embedded database (env ALLOT_DATA_DIR)")
	fs.StringVar(&c.Database, "database", env("ALLOT_DATABASE", ""), "PostgreSQL URL (postgres://…) or SQLite file; default DATA/allot.db (env ALLOT_DATABASE)")
	c.TokenTTL, c.tokenEnv = envDuration("ALLOT_TOKEN_TTL", offline.DefaultTTL)
	c.WebhooksTimeout, c.webhooksEnv = envDuration("ALLOT_WEBHOOKS_TIMEOUT", webhook.DefaultTimeout)
	if cmd == "serve" {
		fs.StringVar(&c.Addr, "addr", env("ALLOT_ADDR", "127.0.0.1:8080"), "address to listen on (env ALLOT_ADDR)")
		c.Metrics.bind(fs)
		fs.BoolVar(&c.Demo, "demo", false, "load the demo data into an empty database first")
		fs.BoolVar(&c.InsecureCookies, "insecure-cookies", false, "send the session cookie over plain HTTP too (development only)")
		fs.BoolVar(&c.Workers, "workers", env("ALLOT_WORKERS", "true") == "true", "run the background jobs in this process (env ALLOT_WORKERS)")
		fs.StringVar(&c.BaseURL, "base-url", env("ALLOT_BASE_URL", ""), "the address people reach allot at, for links in mail and single sign-on's redirect URL (env ALLOT_BASE_URL)")
		fs.StringVar(&c.SMTP.Host, "smtp-host", env("ALLOT_SMTP_HOST", ""), "SMTP server; without one, mail is kept for the vendor admin (env ALLOT_SMTP_HOST)")
		fs.IntVar(&c.SMTP.Port, "smtp-port", envInt("ALLOT_SMTP_PORT", 0), "SMTP port; 587 for starttls, 465 for tls, 25 for none (env ALLOT_SMTP_PORT)")
		fs.StringVar(&c.SMTP.TLS, "smtp-tls", env("ALLOT_SMTP_TLS", ""), "starttls (the default), tls or none (env ALLOT_SMTP_TLS)")
		fs.StringVar(&c.SMTP.User, "smtp-user", env("ALLOT_SMTP_USER", ""), "SMTP user (env ALLOT_SMTP_USER; the password only from ALLOT_SMTP_PASSWORD)")
		fs.StringVar(&c.SMTP.From, "mail-from", env("ALLOT_MAIL_FROM", ""), "the sender of allot's mail, e.g. \"Licences <licences@example.com>\" (env ALLOT_MAIL_FROM)")
		c.SMTP.Password = os.Getenv("ALLOT_SMTP_PASSWORD")
		fs.StringVar(&c.SupportReplyTo, "support-reply-to", env("ALLOT_SUPPORT_REPLY_TO", ""), "the address replies to the support desk's mail go to, e.g. support@allot.example: each request's mail is answered to support+TOKEN@allot.example (env ALLOT_SUPPORT_REPLY_TO)")
		fs.BoolVar(&c.WebhooksAllowLoopback, "webhooks-allow-loopback", env("ALLOT_WEBHOOKS_ALLOW_LOOPBACK", "false") == "true", "let webhook endpoints on 127.0.0.1 or ::1 be subscribed, for tests and local receivers (env ALLOT_WEBHOOKS_ALLOW_LOOPBACK)")
		fs.DurationVar(&c.WebhooksTimeout, "webhooks-timeout", c.WebhooksTimeout, "how long an attempt of a webhook delivery may take, from 1s to 1m (env ALLOT_WEBHOOKS_TIMEOUT)")
		fs.StringVar(&c.SupportListen, "support-smtp-listen", env("ALLOT_SUPPORT_SMTP_LISTEN", ""), "where the SMTP listener takes those replies, e.g. 127.0.0.1:2525; off when empty (env ALLOT_SUPPORT_SMTP_LISTEN)")
		fs.DurationVar(&c.TokenTTL, "token-ttl", c.TokenTTL, "how long an offline entitlement token lasts at most, from 1m to 24h; never past the seat's end (env ALLOT_TOKEN_TTL)")
	}
	if cmd == "import" {
		c.Import.bind(fs)
	}
	if cmd == "scim-token" {
		fs.StringVar(&c.SCIMCompany, "company", "", "the company: its ID or its exact name; a direct customer of that name is made when there is none")
	}
	if cmd == "mail" {
		fs.IntVar(&c.MailLimit, "limit", 20, fmt.Sprintf("how many mails to list, newest first (1 to %d)", allot.MaxLimit))
	}
	return fs
}

// check reports the first thing wrong with c and fills in defaults.
func (c *Config) check() error {
	if c.Database == "" {
		if c.DataDir == "" {
			return errors.New("-data: give a directory for the database, or -database")
		}
		c.Database = filepath.Join(c.DataDir, "allot.db")
	}
	if i := strings.Index(c.Database, "://"); i > 0 {
		if scheme := c.Database[:i]; scheme != "postgres" && scheme != "postgresql" {
			return fmt.Errorf("-database: %q is not a database allot runs on: give a postgres:// URL or a SQLite file", scheme)
		}
	}
	if c.SMTP.Enabled() {
		if err := c.SMTP.Check(); err != nil {
			return fmt.Errorf("-smtp-host: %w", err)
		}
	}
	if c.Addr != "" {
		if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
			return fmt.Errorf("-addr: %q is not host:port (e.g. 127.0.0.1:8080 or :8080)", c.Addr)
		}
	}
	if err := c.Metrics.check(); err != nil {
		return err
	}
	if c.tokenEnv != nil {
		return c.tokenEnv
	}
	if err := offline.CheckTTL("-token-ttl", c.TokenTTL); err != nil {
		return fmt.Errorf("-token-ttl: %s", allot.ErrorMessage(err))
	}
	if c.webhooksEnv != nil {
		return c.webhooksEnv
	}
	if err := webhook.CheckTimeout("-webhooks-timeout", c.WebhooksTimeout); err != nil {
		return fmt.Errorf("-webhooks-timeout: %s", allot.ErrorMessage(err))
	}
	return c.checkSupport()
}

// checkSupport reports what is wrong with the support desk's mail
// settings: a listener takes the replies to a reply address, which it
// needs.
func (c *Config) checkSupport() error {
	if _, err := mail.ParseReplyAddress(c.SupportReplyTo); err != nil {
		return fmt.Errorf("-support-reply-to: %w", err)
	}
	if c.SupportListen == "" {
		return nil
	}
	if c.SupportReplyTo == "" {
		return errors.New("-support-smtp-listen: set -support-reply-to too: the listener takes the replies to that address's requests")
	}
	if _, port, err := net.SplitHostPort(c.SupportListen); err != nil || port == "" {
		return fmt.Errorf("-support-smtp-listen: %q is not host:port (e.g. 127.0.0.1:2525)", c.SupportListen)
	}
	return nil
}

// envDuration is the duration in the environment variable key, or
// fallback when it is unset; an error names the variable when its value is
// not a duration.
func envDuration(key string, fallback time.Duration) (time.Duration, error) {
	v, ok := os.LookupEnv(key)
	if !ok {
		return fallback, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return fallback, fmt.Errorf("%s: %q is not a duration such as 15m or 2h", key, v)
	}
	return d, nil
}

func envInt(key string, fallback int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return fallback
}

func env(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}
