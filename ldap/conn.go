package ldap

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"

	goldap "github.com/go-ldap/ldap/v3"
)

// ErrCredentials is matched by the error of a read the directory refused
// to bind for: a wrong bind DN or password, or a locked sync account.
var ErrCredentials = errors.New("the directory refused the bind DN and password")

// conn is one connection, bound as the sync account.
type conn struct {
	l   *goldap.Conn
	cfg Config
}

// dial connects to cfg.URL, protects the connection as cfg says, and binds.
// A cancelled ctx closes the connection, so that a read in progress ends
// with an error.
func dial(ctx context.Context, cfg Config) (*conn, func(), error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, nil, fmt.Errorf("ldap url: %w", err)
	}
	tc, err := tlsConfig(cfg, u.Hostname())
	if err != nil {
		return nil, nil, err
	}
	d := &net.Dialer{Timeout: cfg.Timeout}
	l, err := goldap.DialURL(cfg.URL, goldap.DialWithDialer(d), goldap.DialWithTLSConfig(tc))
	if err != nil {
		return nil, nil, fmt.Errorf("connect to %s: %w", cfg.URL, err)
	}
	stop := context.AfterFunc(ctx, func() { l.Close() })
	closeFn := func() {
		stop()
		l.Close()
	}
	l.SetTimeout(cfg.Timeout)
	if u.Scheme == "ldap" && cfg.TLS != TLSNone {
		if err := l.StartTLS(tc); err != nil {
			closeFn()
			return nil, nil, fmt.Errorf("starttls with %s: %w", cfg.URL, ctxErr(ctx, err))
		}
	}
	if err := l.Bind(cfg.BindDN, cfg.Password); err != nil {
		closeFn()
		if goldap.IsErrorWithCode(err, goldap.LDAPResultInvalidCredentials) {
			return nil, nil, fmt.Errorf("bind as %s: %w (%v)", cfg.BindDN, ErrCredentials, err)
		}
		return nil, nil, fmt.Errorf("bind as %s: %w", cfg.BindDN, ctxErr(ctx, err))
	}
	return &conn{l: l, cfg: cfg}, closeFn, nil
}

// tlsConfig returns the TLS settings for a server named host.
func tlsConfig(cfg Config, host string) (*tls.Config, error) {
	tc := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.SkipVerify}
	if cfg.CAPEM != "" {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(cfg.CAPEM)) {
			return nil, fmt.Errorf("ldap CAPEM holds no PEM certificate")
		}
		tc.RootCAs = pool
	}
	return tc, nil
}

// ctxErr prefers ctx's error to err once ctx is done: a connection closed
// because the read was cancelled says so.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	return err
}

// query is one search: where, how deep, which entries, which attributes.
type query struct {
	base     string
	scope    int
	filter   string
	attrs    []string
	pageSize int
}

// search runs q as a paged search, page after page until the server has no
// more, and gives each entry to fn as its page arrives. It always asks for
// pages: without them Active Directory returns at most 1,000 entries and
// OpenLDAP 500. Any error (the server gone mid-page, a size limit, fn's)
// ends it; the caller must then drop what fn kept.
func (c *conn) search(ctx context.Context, q query, fn func(*goldap.Entry) error) error {
	size := c.cfg.PageSize
	if q.pageSize > 0 && q.pageSize < size {
		size = q.pageSize
	}
	paging := goldap.NewControlPaging(uint32(size))
	req := goldap.NewSearchRequest(q.base, q.scope, goldap.NeverDerefAliases, 0, 0, false,
		q.filter, q.attrs, []goldap.Control{paging})
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		res, err := c.l.Search(req)
		if err != nil {
			return fmt.Errorf("search %s for %s: %w", q.base, q.filter, ctxErr(ctx, err))
		}
		for _, e := range res.Entries {
			if err := fn(e); err != nil {
				c.abandon(req, paging)
				return err
			}
		}
		ctrl, ok := goldap.FindControl(res.Controls, goldap.ControlTypePaging).(*goldap.ControlPaging)
		if !ok || len(ctrl.Cookie) == 0 {
			return nil
		}
		paging.SetCookie(ctrl.Cookie)
	}
}

// abandon tells the server that the paged search will not go on, so that it
// can free what it holds for it. Best effort: its error changes nothing.
func (c *conn) abandon(req *goldap.SearchRequest, paging *goldap.ControlPaging) {
	paging.PagingSize = 0
	_, _ = c.l.Search(req)
}

// base reads the one entry dn with attrs; found is false when it does not
// exist or does not match filter.
func (c *conn) base(ctx context.Context, dn, filter string, attrs []string) (e *goldap.Entry, found bool, err error) {
	req := goldap.NewSearchRequest(dn, goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false, filter, attrs, nil)
	res, err := c.l.Search(req)
	if goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", dn, ctxErr(ctx, err))
	}
	if len(res.Entries) == 0 {
		return nil, false, nil
	}
	return res.Entries[0], true, nil
}
