package ldap_test

import (
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jimlambrt/gldap"
)

// fakeDir is an in-process directory server (gldap) that answers like
// Active Directory: it caps pages at pageMax entries, answers a search
// without paging with at most sizeLimit entries and sizeLimitExceeded, and
// tells group searches (a filter naming objectClass=group) from people
// searches. Its entries' values are raw bytes, objectGUID too.
type fakeDir struct {
	bindDN, password string
	people, groups   []fakeEntry
	pageMax          int
	sizeLimit        int
	// page, when set, is called before each page of a people search
	// (1-based) is served; it may write part of the page itself and return
	// false to stop serving it.
	page func(n int, w *gldap.ResponseWriter, r *gldap.Request, rest []fakeEntry) bool

	mu      sync.Mutex
	filters []string // people searches' filters, in order
	pages   int      // people pages served or started
}

type fakeEntry struct {
	dn    string
	attrs map[string][]string
}

// start runs d on a free port of 127.0.0.1 and returns its ldap:// URL.
func (d *fakeDir) start(t *testing.T) string {
	t.Helper()
	if d.pageMax == 0 {
		d.pageMax = 1000
	}
	if d.sizeLimit == 0 {
		d.sizeLimit = 1000
	}
	s, err := gldap.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	mux, err := gldap.NewMux()
	if err != nil {
		t.Fatal(err)
	}
	if err := mux.Bind(d.bind); err != nil {
		t.Fatal(err)
	}
	if err := mux.Search(d.search); err != nil {
		t.Fatal(err)
	}
	if err := s.Router(mux); err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	go func() { _ = s.Run(addr) }()
	t.Cleanup(func() { _ = s.Stop() })
	for range 200 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "ldap://" + addr
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("gldap did not listen on %s", addr)
	return ""
}

func (d *fakeDir) bind(w *gldap.ResponseWriter, r *gldap.Request) {
	resp := r.NewBindResponse(gldap.WithResponseCode(gldap.ResultInvalidCredentials))
	defer func() { _ = w.Write(resp) }()
	m, err := r.GetSimpleBindMessage()
	if err == nil && strings.EqualFold(m.UserName, d.bindDN) && string(m.Password) == d.password {
		resp.SetResultCode(gldap.ResultSuccess)
	}
}

func (d *fakeDir) search(w *gldap.ResponseWriter, r *gldap.Request) {
	m, err := r.GetSearchMessage()
	if err != nil {
		_ = w.Write(r.NewSearchDoneResponse(gldap.WithResponseCode(gldap.ResultProtocolError)))
		return
	}
	if m.Scope == gldap.BaseObject {
		d.searchBase(w, r, m)
		return
	}
	entries := d.people
	isPeople := !strings.Contains(strings.ToLower(m.Filter), "objectclass=group)")
	if !isPeople {
		entries = d.groups
	}
	var paging *gldap.ControlPaging
	for _, c := range m.Controls {
		if p, ok := c.(*gldap.ControlPaging); ok {
			paging = p
		}
	}
	if paging == nil {
		d.writeEntries(w, r, entries[:min(len(entries), d.sizeLimit)])
		code := gldap.ResultSuccess
		if len(entries) > d.sizeLimit {
			code = gldap.ResultSizeLimitExceeded
		}
		_ = w.Write(r.NewSearchDoneResponse(gldap.WithResponseCode(code)))
		return
	}
	d.searchPage(w, r, m, paging, entries, isPeople)
}

// searchPage serves one page of a paged search; the cookie is the offset of
// the next page.
func (d *fakeDir) searchPage(w *gldap.ResponseWriter, r *gldap.Request, m *gldap.SearchMessage, paging *gldap.ControlPaging, entries []fakeEntry, isPeople bool) {
	offset, _ := strconv.Atoi(string(paging.Cookie))
	if paging.PagingSize == 0 { // the client abandons the search
		_ = w.Write(r.NewSearchDoneResponse(gldap.WithResponseCode(gldap.ResultSuccess)))
		return
	}
	if isPeople {
		d.mu.Lock()
		d.pages++
		n := d.pages
		if offset == 0 {
			d.filters = append(d.filters, m.Filter)
		}
		d.mu.Unlock()
		if d.page != nil && !d.page(n, w, r, entries[offset:]) {
			return
		}
	}
	end := min(len(entries), offset+min(int(paging.PagingSize), d.pageMax))
	d.writeEntries(w, r, entries[offset:end])
	next := ""
	if end < len(entries) {
		next = strconv.Itoa(end)
	}
	ctrl, _ := gldap.NewControlPaging(paging.PagingSize)
	ctrl.SetCookie([]byte(next))
	done := r.NewSearchDoneResponse(gldap.WithResponseCode(gldap.ResultSuccess))
	done.SetControls(ctrl)
	_ = w.Write(done)
}

func (d *fakeDir) searchBase(w *gldap.ResponseWriter, r *gldap.Request, m *gldap.SearchMessage) {
	for _, e := range append(append([]fakeEntry{}, d.people...), d.groups...) {
		if strings.EqualFold(e.dn, m.BaseDN) {
			d.writeEntries(w, r, []fakeEntry{e})
			_ = w.Write(r.NewSearchDoneResponse(gldap.WithResponseCode(gldap.ResultSuccess)))
			return
		}
	}
	_ = w.Write(r.NewSearchDoneResponse(gldap.WithResponseCode(gldap.ResultNoSuchObject)))
}

func (d *fakeDir) writeEntries(w *gldap.ResponseWriter, r *gldap.Request, entries []fakeEntry) {
	for _, e := range entries {
		_ = w.Write(r.NewSearchResponseEntry(e.dn, gldap.WithAttributes(e.attrs)))
	}
}

// proxy relays TCP connections to a server until cut, which closes every
// connection at once: the server, as clients see it, goes away.
type proxy struct {
	mu    sync.Mutex
	conns []net.Conn
}

// start listens on a free port of 127.0.0.1 and relays to target (host:port).
func (p *proxy) start(t *testing.T, target string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close(); p.cut() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(s, c) }()
			go func() { _, _ = io.Copy(c, s) }()
		}
	}()
	return l.Addr().String()
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// freePort returns a TCP port free on 127.0.0.1 a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
