package ldap

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
)

// groupPageSize is the page size of group searches: a page of groups holds
// their member lists, and 500 groups of 1,000 members would be a page of
// half a million values.
const groupPageSize = 50

// groups is what the group search found, and who is a direct member of what.
type groups struct {
	list  []Group
	byKey map[string]int // dnKey of a group → its index in list
	// parents maps the dnKey of a person or group to the dnKeys of the
	// groups it is a direct member of, from the groups' member lists
	// (GroupsMember) or their memberOf (GroupsMemberOf, groups only).
	parents map[string][]string
	// dns maps a member's dnKey to its DN as a member list spells it, in
	// incremental reads that read member lists (nil otherwise).
	dns map[string]string
	// up caches the groups each group is in, at any depth.
	up     map[string][]string
	nested bool
	keys   map[string]string // a DN as the directory spelt it → its dnKey
}

// readGroups runs the group search; keepDNs keeps how member lists spell
// their members' DNs.
func readGroups(ctx context.Context, c *conn, keepDNs bool) (*groups, error) {
	cfg := c.cfg
	m := cfg.Mapping
	g := &groups{
		byKey:   map[string]int{},
		parents: map[string][]string{},
		up:      map[string][]string{},
		nested:  !cfg.NoNesting,
		keys:    map[string]string{},
	}
	attrs := []string{m.Anchor, m.GroupName, m.Changed}
	// Member lists give group in group too; memberOf is read only when
	// nothing needs the member lists.
	byMembers := cfg.Groups != GroupsMemberOf || cfg.ScopeRule == ScopeMember
	if byMembers {
		attrs = append(attrs, m.Member...)
	} else {
		attrs = append(attrs, m.MemberOf)
	}
	if keepDNs && byMembers {
		g.dns = map[string]string{}
	}
	q := query{base: cfg.GroupBaseDN, scope: goldap.ScopeWholeSubtree, filter: cfg.GroupFilter, attrs: attrs, pageSize: groupPageSize}
	err := c.search(ctx, q, func(e *goldap.Entry) error {
		return g.add(e, m, byMembers)
	})
	if err != nil {
		return nil, fmt.Errorf("read groups: %w", err)
	}
	return g, nil
}

// add records group entry e.
func (g *groups) add(e *goldap.Entry, m Mapping, byMembers bool) error {
	anchor, err := anchorOf(e, m.Anchor, m.AnchorFormat)
	if err != nil {
		return err
	}
	changed, err := parseTime(first(e, m.Changed))
	if err != nil {
		return fmt.Errorf("group %q: %s: %w", e.DN, m.Changed, err)
	}
	key := g.key(e.DN)
	if _, seen := g.byKey[key]; seen {
		return nil
	}
	g.byKey[key] = len(g.list)
	g.list = append(g.list, Group{Anchor: anchor, DN: e.DN, Name: first(e, m.GroupName), Changed: changed})
	if !byMembers {
		for _, parent := range e.GetEqualFoldAttributeValues(m.MemberOf) {
			g.parents[key] = append(g.parents[key], g.key(parent))
		}
		return nil
	}
	for _, a := range e.Attributes {
		if strings.Contains(a.Name, ";range=") {
			return fmt.Errorf("group %q has more members than the server returns at once (%s): read groups from memberOf instead", e.DN, a.Name)
		}
		if !slices.ContainsFunc(m.Member, func(name string) bool { return strings.EqualFold(name, a.Name) }) {
			continue
		}
		for _, v := range a.Values {
			dn := memberDN(v)
			mk := g.key(dn)
			g.parents[mk] = append(g.parents[mk], key)
			if g.dns != nil {
				g.dns[mk] = dn
			}
		}
	}
	return nil
}

// key returns dnKey(dn), remembering those it had to parse for: the same
// group DNs come back in the memberOf of thousands of people.
func (g *groups) key(dn string) string {
	if k, ok := simpleDNKey(dn); ok {
		return k
	}
	if k, ok := g.keys[dn]; ok {
		return k
	}
	k := dnKey(dn)
	g.keys[dn] = k
	return k
}

// of returns the keys of the known groups that the member with direct
// groups direct belongs to: those groups, and unless nesting is off the
// groups they are in, at any depth.
func (g *groups) of(direct []string) []string {
	var out []string
	for _, k := range direct {
		if _, known := g.byKey[k]; !known {
			continue
		}
		out = append(out, k)
		if g.nested {
			out = append(out, g.ancestors(k)...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ancestors returns the known groups group k is in, at any depth; a cycle
// of groups ends the walk.
func (g *groups) ancestors(k string) []string {
	if up, ok := g.up[k]; ok {
		return up
	}
	seen := map[string]bool{k: true}
	var up []string
	todo := []string{k}
	for len(todo) > 0 {
		cur := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, p := range g.parents[cur] {
			if _, known := g.byKey[p]; known && !seen[p] {
				seen[p] = true
				up = append(up, p)
				todo = append(todo, p)
			}
		}
	}
	g.up[k] = up
	return up
}

// dnsOf returns the DNs, as the group search gave them, of groups keys.
func (g *groups) dnsOf(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = g.list[g.byKey[k]].DN
	}
	slices.Sort(out)
	return out
}

// changedSince returns the keys of the groups changed at or after t, and
// with nesting, of the groups inside them at any depth: their members are
// the people whose groups may have changed without their own entry changing.
func (g *groups) changedSince(t time.Time) []string {
	changed := map[string]bool{}
	for _, gr := range g.list {
		if !gr.Changed.Before(t) {
			changed[g.key(gr.DN)] = true
		}
	}
	var out []string
	for _, gr := range g.list {
		k := g.key(gr.DN)
		in := changed[k]
		if !in && g.nested {
			in = slices.ContainsFunc(g.ancestors(k), func(a string) bool { return changed[a] })
		}
		if in {
			out = append(out, k)
		}
	}
	return out
}

// membersOf returns the DNs of the direct members of groups keys that are
// not groups themselves (member lists only).
func (g *groups) membersOf(keys []string) []string {
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	var out []string
	for mk, parents := range g.parents {
		if _, isGroup := g.byKey[mk]; isGroup {
			continue
		}
		if slices.ContainsFunc(parents, func(p string) bool { return want[p] }) {
			out = append(out, g.dns[mk])
		}
	}
	slices.Sort(out)
	return out
}
