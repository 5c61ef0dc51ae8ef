package webhook

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"allot"
)

// maxURL is the longest address an endpoint may have.
const maxURL = 2000

// refused are the networks no endpoint is reached at, each with why: the
// machines of the network allot runs in, and the cloud's metadata service
// among them. Loopback is refused unless AllowLoopback says otherwise.
var refused = []struct {
	prefix netip.Prefix
	why    string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "an unspecified address"},
	{netip.MustParsePrefix("10.0.0.0/8"), "a private address"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a shared (carrier-grade NAT) address"},
	{netip.MustParsePrefix("169.254.0.0/16"), "a link-local address, where cloud metadata is served"},
	{netip.MustParsePrefix("172.16.0.0/12"), "a private address"},
	{netip.MustParsePrefix("192.0.0.0/24"), "a reserved address (IETF protocol assignments)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "a private address"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a reserved address (benchmarking)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "a multicast address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
	{netip.MustParsePrefix("::/128"), "an unspecified address"},
	{netip.MustParsePrefix("::/96"), "an IPv4-compatible address, which may reach an IPv4 one"},
	{netip.MustParsePrefix("64:ff9b::/96"), "an address translated to IPv4"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "an address translated to IPv4"},
	{netip.MustParsePrefix("2001::/32"), "a Teredo address, which tunnels to IPv4"},
	{netip.MustParsePrefix("2002::/16"), "a 6to4 address, which tunnels to IPv4"},
	{netip.MustParsePrefix("fc00::/7"), "a private (unique local) address, where cloud metadata may be served"},
	{netip.MustParsePrefix("fe80::/10"), "a link-local address"},
	{netip.MustParsePrefix("fec0::/10"), "a site-local address"},
	{netip.MustParsePrefix("ff00::/8"), "a multicast address"},
}

// checkIP returns why no delivery may go to ip, or nil when one may.
func (s *Service) checkIP(ip netip.Addr) error {
	ip = ip.Unmap()
	if ip.IsLoopback() {
		if s.AllowLoopback {
			return nil
		}
		return fmt.Errorf("%s is a loopback address, allot's own machine", ip)
	}
	for _, r := range refused {
		if r.prefix.Contains(ip) {
			return fmt.Errorf("%s is %s", ip, r.why)
		}
	}
	return nil
}

// resolver is the Service's resolver, or the system's.
func (s *Service) resolver() *net.Resolver {
	if s.Resolver != nil {
		return s.Resolver
	}
	return net.DefaultResolver
}

// checkURL returns raw as an endpoint's address, or EINVALID on field url
// saying why it may not be one: not https (or http to this machine when
// loopback is allowed), or naming a host that is, or resolves to, an
// address inside the network allot runs in. Connecting checks the address
// again (dialControl), as a name may resolve elsewhere later.
func (s *Service) checkURL(ctx context.Context, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		return "", allot.Invalid("url", "an address is required, such as https://example.com/webhooks")
	case len(raw) > maxURL:
		return "", allot.Invalid("url", "an address has at most %d characters", maxURL)
	case err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "":
		return "", allot.Invalid("url", "%q is not an absolute address, such as https://example.com/webhooks", raw)
	case u.Scheme != "https" && u.Scheme != "http":
		return "", allot.Invalid("url", "the address must start with https://, not %s://", u.Scheme)
	case u.User != nil:
		return "", allot.Invalid("url", "the address must not hold a user name or password: authenticate deliveries by their signature")
	case u.Fragment != "":
		return "", allot.Invalid("url", "the address must not have a fragment (#%s)", u.Fragment)
	}
	ips, err := s.lookup(ctx, u.Hostname())
	if err != nil {
		return "", allot.Invalid("url", "%s", err)
	}
	loopback := true
	for _, ip := range ips {
		if err := s.checkIP(ip); err != nil {
			if _, literal := netip.ParseAddr(u.Hostname()); literal == nil {
				return "", allot.Invalid("url", "%s: deliveries go only to public addresses, never inside the network allot runs in", err)
			}
			// What a name resolves to inside the network is not told: the
			// subscriber would learn the network's addresses name by name.
			return "", allot.Invalid("url", "%s resolves to an address inside the network allot runs in: deliveries go only to public addresses",
				u.Hostname())
		}
		loopback = loopback && ip.Unmap().IsLoopback()
	}
	if u.Scheme == "http" && !loopback {
		return "", allot.Invalid("url", "the address must start with https://: deliveries are sent encrypted")
	}
	return u.String(), nil
}

// lookup returns the addresses of host: itself when it is an address.
func (s *Service) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := s.resolver().LookupNetIP(ctx, "ip", host)
	if err != nil || len(ips) == 0 {
		return nil, fmt.Errorf("the host %s cannot be found", host)
	}
	return ips, nil
}

// dialControl refuses a connection to an address checkIP refuses, after
// the name was resolved and before connecting: a name that resolved to a
// public address when it was subscribed, and to a private one now, is
// refused here.
func (s *Service) dialControl(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("connect to %s: not an address", address)
	}
	if err := s.checkIP(ip); err != nil {
		return &refusal{err}
	}
	return nil
}

// refusal is a connection dialControl refused.
type refusal struct{ err error }

func (r *refusal) Error() string { return "refused to connect: " + r.err.Error() }
