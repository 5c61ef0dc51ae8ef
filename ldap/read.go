package ldap

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
)

// Source reads the people of one directory. It keeps no connection: each
// read dials, binds, reads and closes. A Source may be used by several
// goroutines at once.
type Source struct {
	cfg Config
}

// New returns a Source for cfg, its empty fields filled from its preset;
// FieldErrors when cfg is not valid.
func New(cfg Config) (*Source, error) {
	resolved, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	return &Source{cfg: resolved}, nil
}

// Config returns the source's config as used: its empty fields filled from
// its preset and the defaults.
func (s *Source) Config() Config { return s.cfg }

// Check connects and binds, and makes sure that the base DN, and the scope
// group when there is one, exist: what a "test connection" button asks.
func (s *Source) Check(ctx context.Context) error {
	c, closeFn, err := dial(ctx, s.cfg)
	if err != nil {
		return err
	}
	defer closeFn()
	for _, dn := range []string{s.cfg.BaseDN, s.cfg.GroupBaseDN, s.cfg.ScopeGroup} {
		if err := c.mustExist(ctx, dn); err != nil {
			return err
		}
	}
	return nil
}

// ReadAll reads every person in scope, with their groups. A person missing
// from its result was deleted or left the scope. On any error (bad
// credentials, the server gone mid-page, a malformed entry) it returns the
// error and nothing else: never part of the people.
func (s *Source) ReadAll(ctx context.Context) (*Result, error) {
	return s.read(ctx, time.Time{})
}

// ReadChanged reads the people in scope whose entry changed at or after
// since (a Result.Mark from an earlier read), and the members of groups that
// changed since then, each with all their groups. It cannot see deletions,
// people who left the scope, or who left a group without their own entry
// changing: a periodic ReadAll does. Changes made while a read runs may
// carry a time before the returned mark; the next ReadAll sees them. Errors
// as ReadAll; an error when since is zero.
func (s *Source) ReadChanged(ctx context.Context, since time.Time) (*Result, error) {
	if since.IsZero() {
		return nil, errors.New("ldap: read changes since no mark: read everyone first")
	}
	return s.read(ctx, since.UTC().Truncate(time.Second))
}

// read reads everyone when since is zero, and the changes since since
// otherwise.
func (s *Source) read(ctx context.Context, since time.Time) (*Result, error) {
	c, closeFn, err := dial(ctx, s.cfg)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	r := &reader{c: c, cfg: s.cfg, since: since, byAnchor: map[string]int{}}
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	return r.result(), nil
}

// reader holds one read in progress.
type reader struct {
	c        *conn
	cfg      Config
	since    time.Time // zero for a full read
	g        *groups   // nil when no group is read
	people   []Person
	keys     []string       // dnKey of each person's DN
	direct   [][]string     // each person's direct groups by memberOf (dnKeys)
	byAnchor map[string]int // index in people
}

func (r *reader) run(ctx context.Context) error {
	if r.cfg.ScopeGroup != "" {
		if err := r.c.mustExist(ctx, r.cfg.ScopeGroup); err != nil {
			return fmt.Errorf("scope group: %w", err)
		}
	}
	if r.cfg.Groups != GroupsNone || r.cfg.ScopeRule == ScopeMember {
		g, err := readGroups(ctx, r.c, !r.since.IsZero())
		if err != nil {
			return err
		}
		r.g = g
	}
	if err := r.readPeople(ctx); err != nil {
		return err
	}
	if err := r.readMembersOfChangedGroups(ctx); err != nil {
		return err
	}
	r.byAnchor = nil // every person is read: free it before what follows
	if err := r.scope(); err != nil {
		return err
	}
	r.assignGroups()
	r.keysFreed()
	return r.resolveManagers(ctx)
}

// readPeople runs the people search.
func (r *reader) readPeople(ctx context.Context) error {
	scope := goldap.ScopeWholeSubtree
	if r.cfg.Depth == DepthOneLevel {
		scope = goldap.ScopeSingleLevel
	}
	q := query{base: r.cfg.BaseDN, scope: scope, filter: r.peopleFilter(), attrs: r.personAttributes()}
	if err := r.c.search(ctx, q, r.add); err != nil {
		return fmt.Errorf("read people: %w", err)
	}
	return nil
}

// peopleFilter is the configured filter, narrowed to the scope group's
// members and, for an incremental read, to what changed since the mark.
func (r *reader) peopleFilter() string {
	parts := []string{r.cfg.Filter}
	group := goldap.EscapeFilter(r.cfg.ScopeGroup)
	switch r.cfg.ScopeRule {
	case ScopeInChain:
		parts = append(parts, "(memberOf:1.2.840.113556.1.4.1941:="+group+")")
	case ScopeMemberOf:
		parts = append(parts, "(memberOf="+group+")")
	}
	if !r.since.IsZero() {
		changed := "(" + r.cfg.Mapping.Changed + ">=" + formatTime(r.since) + ")"
		if r.g != nil && r.cfg.Groups == GroupsMemberOf {
			// Joining a group changes the group's entry, not the member's.
			var members []string
			for _, k := range r.g.changedSince(r.since) {
				dn := r.g.list[r.g.byKey[k]].DN
				members = append(members, "("+r.cfg.Mapping.MemberOf+"="+goldap.EscapeFilter(dn)+")")
			}
			if len(members) > 0 {
				changed = "(|" + changed + strings.Join(members, "") + ")"
			}
		}
		parts = append(parts, changed)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(&" + strings.Join(parts, "") + ")"
}

func (r *reader) personAttributes() []string {
	m := r.cfg.Mapping
	attrs := []string{m.Anchor, m.FirstName, m.LastName, m.Manager, m.EmployeeNumber, m.Disabled.Attribute, m.Changed}
	attrs = append(attrs, m.Email...)
	attrs = append(attrs, m.Department...)
	if r.cfg.Groups == GroupsMemberOf {
		attrs = append(attrs, m.MemberOf)
	}
	return attrs
}

// add records person entry e; an entry read twice (it moved during the
// read) is kept once, as last read.
func (r *reader) add(e *goldap.Entry) error {
	p, err := r.person(e)
	if err != nil {
		return err
	}
	var direct []string
	if r.g != nil && r.cfg.Groups == GroupsMemberOf {
		for _, dn := range e.GetEqualFoldAttributeValues(r.cfg.Mapping.MemberOf) {
			direct = append(direct, r.g.key(dn))
		}
	}
	key := dnKey(e.DN)
	if i, seen := r.byAnchor[p.Anchor]; seen {
		r.people[i], r.keys[i], r.direct[i] = p, key, direct
		return nil
	}
	r.byAnchor[p.Anchor] = len(r.people)
	r.people = append(r.people, p)
	r.keys = append(r.keys, key)
	r.direct = append(r.direct, direct)
	return nil
}

// person maps entry e to a Person, its groups and manager's anchor left to
// later.
func (r *reader) person(e *goldap.Entry) (Person, error) {
	m := r.cfg.Mapping
	anchor, err := anchorOf(e, m.Anchor, m.AnchorFormat)
	if err != nil {
		return Person{}, err
	}
	changed, err := parseTime(first(e, m.Changed))
	if err != nil {
		return Person{}, fmt.Errorf("entry %q: %s: %w", e.DN, m.Changed, err)
	}
	disabled, err := m.Disabled.disabled(e.GetEqualFoldAttributeValues(m.Disabled.Attribute))
	if err != nil {
		return Person{}, fmt.Errorf("entry %q: %w", e.DN, err)
	}
	return Person{
		Anchor:         anchor,
		DN:             e.DN,
		Email:          first(e, m.Email...),
		FirstName:      first(e, m.FirstName),
		LastName:       first(e, m.LastName),
		Department:     first(e, m.Department...),
		EmployeeNumber: first(e, m.EmployeeNumber),
		Manager:        first(e, m.Manager),
		Disabled:       disabled,
		Changed:        changed,
	}, nil
}

// readMembersOfChangedGroups reads, in an incremental read that read the
// groups' member lists, the members of groups changed since the mark whose own
// entry did not change: joining a group changes only the group.
func (r *reader) readMembersOfChangedGroups(ctx context.Context) error {
	if r.since.IsZero() || r.g == nil || r.g.dns == nil {
		return nil
	}
	base, err := goldap.ParseDN(r.cfg.BaseDN)
	if err != nil {
		return fmt.Errorf("base dn: %w", err)
	}
	read := make(map[string]bool, len(r.keys))
	for _, k := range r.keys {
		read[k] = true
	}
	for _, dn := range r.g.membersOf(r.g.changedSince(r.since)) {
		if read[dnKey(dn)] || !r.inBase(base, dn) {
			continue
		}
		e, found, err := r.c.base(ctx, dn, r.cfg.Filter, r.personAttributes())
		if err != nil {
			return fmt.Errorf("read member of a changed group: %w", err)
		}
		if found {
			if err := r.add(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// inBase says whether dn lies where the people search looks.
func (r *reader) inBase(base *goldap.DN, dn string) bool {
	d, err := goldap.ParseDN(dn)
	if err != nil || !base.AncestorOfFold(d) {
		return false
	}
	return r.cfg.Depth != DepthOneLevel || len(d.RDNs) == len(base.RDNs)+1
}

// directOf returns the keys of the groups person i is a direct member of.
func (r *reader) directOf(i int) []string {
	if r.cfg.Groups == GroupsMemberOf {
		return r.direct[i]
	}
	return r.g.parents[r.keys[i]]
}

// scope drops, for ScopeMember, the people who are not members of the
// scope group.
func (r *reader) scope() error {
	if r.cfg.ScopeRule != ScopeMember {
		return nil
	}
	sk := dnKey(r.cfg.ScopeGroup)
	if _, ok := r.g.byKey[sk]; !ok {
		return fmt.Errorf("scope group %s is not among the groups found under %s with %s", r.cfg.ScopeGroup, r.cfg.GroupBaseDN, r.cfg.GroupFilter)
	}
	n := 0
	for i := range r.people {
		if slices.Contains(r.g.of(r.g.parents[r.keys[i]]), sk) {
			r.people[n], r.keys[n], r.direct[n] = r.people[i], r.keys[i], r.direct[i]
			n++
		}
	}
	r.people, r.keys, r.direct = r.people[:n], r.keys[:n], r.direct[:n]
	return nil
}

// assignGroups sets each person's groups.
func (r *reader) assignGroups() {
	if r.g == nil || r.cfg.Groups == GroupsNone {
		return
	}
	for i := range r.people {
		r.people[i].Groups = r.g.dnsOf(r.g.of(r.directOf(i)))
	}
}

// keysFreed drops what only finding groups needed, before managers are
// resolved.
func (r *reader) keysFreed() {
	r.direct = nil
	if r.g != nil {
		r.g.parents, r.g.up, r.g.keys, r.g.dns = nil, nil, nil, nil
	}
}

// resolveManagers sets each person's ManagerAnchor: from the people read,
// and for a manager not among them by reading the manager's entry.
func (r *reader) resolveManagers(ctx context.Context) error {
	anchors := make(map[string]string, len(r.people))
	for i, p := range r.people {
		anchors[r.keys[i]] = p.Anchor
	}
	keys := map[string]string{} // a manager DN as spelt → its dnKey
	for i := range r.people {
		dn := r.people[i].Manager
		if dn == "" {
			continue
		}
		k, ok := keys[dn]
		if !ok {
			k = dnKey(dn)
			keys[dn] = k
		}
		anchor, known := anchors[k]
		if !known {
			var err error
			if anchor, err = r.managerAnchor(ctx, dn); err != nil {
				return err
			}
			anchors[k] = anchor
		}
		r.people[i].ManagerAnchor = anchor
	}
	return nil
}

// managerAnchor reads the anchor of the entry dn; empty when there is none.
func (r *reader) managerAnchor(ctx context.Context, dn string) (string, error) {
	m := r.cfg.Mapping
	e, found, err := r.c.base(ctx, dn, "(objectClass=*)", []string{m.Anchor})
	if err != nil {
		return "", fmt.Errorf("read manager: %w", err)
	}
	if !found || len(e.GetEqualFoldRawAttributeValue(m.Anchor)) == 0 {
		return "", nil
	}
	return anchorOf(e, m.Anchor, m.AnchorFormat)
}

// result returns what was read, with the new mark.
func (r *reader) result() *Result {
	res := &Result{People: r.people, Full: r.since.IsZero(), Mark: r.since}
	if r.g != nil && r.cfg.Groups != GroupsNone {
		res.Groups = r.g.list
	}
	for _, p := range r.people {
		if p.Changed.After(res.Mark) {
			res.Mark = p.Changed
		}
	}
	if r.g != nil {
		for _, g := range r.g.list {
			if g.Changed.After(res.Mark) {
				res.Mark = g.Changed
			}
		}
	}
	return res
}

// mustExist returns an error when entry dn does not exist.
func (c *conn) mustExist(ctx context.Context, dn string) error {
	_, found, err := c.base(ctx, dn, "(objectClass=*)", []string{"1.1"})
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("%s does not exist, or the sync account may not read it", dn)
	}
	return nil
}
