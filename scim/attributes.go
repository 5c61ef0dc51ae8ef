package scim

import (
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// projection is what a request asks of each resource answered: only some
// attributes (attributes), or all but some (excludedAttributes), as RFC
// 7644 section 3.4.2.5 says. id and schemas are always answered.
type projection struct {
	only, except []string
}

// newProjection reads the query's comma-separated lists.
func newProjection(attributes, excluded string) projection {
	split := func(s string) []string {
		var out []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	return projection{only: split(attributes), except: split(excluded)}
}

// asked reports whether the request named attributes to answer with.
func (p projection) asked() bool { return len(p.only) > 0 || len(p.except) > 0 }

// apply returns resource r of kind k as the projection asks. A path may
// name a schema's URN, an attribute, a sub-attribute, or the values of a
// multi-valued attribute that a filter selects (emails[type eq "work"]);
// paths that name nothing allot has are ignored.
func (p projection) apply(k *kind, r document) document {
	if len(p.only) > 0 {
		out := document{"id": r["id"], "schemas": r["schemas"]}
		for _, path := range p.only {
			k.copyPath(out, r, path)
		}
		return out
	}
	if len(p.except) == 0 {
		return r
	}
	out := clone(r).(map[string]any)
	for _, path := range p.except {
		k.removePath(out, path)
	}
	return out
}

// copyPath copies what path names in r into out.
func (k *kind) copyPath(out, r document, path string) {
	if s := k.schemaOf(path); s != nil {
		if s == k.Core {
			return
		}
		if v, ok := r[s.ID]; ok {
			out[s.ID] = clone(v)
		}
		return
	}
	t, err := k.resolve(path)
	if err != nil || t.attr == nil {
		return
	}
	from, to := container(k, t.schema, r), out
	if t.schema != k.Core {
		to, _ = out[t.schema.ID].(map[string]any)
		if to == nil {
			to = document{}
			defer set(out, t.schema.ID, to)
		}
	}
	v, ok := from[t.attr.Name]
	if !ok {
		return
	}
	if !t.attr.Multi {
		if t.sub == nil {
			to[t.attr.Name] = clone(v)
			return
		}
		m, _ := v.(map[string]any)
		have, _ := to[t.attr.Name].(map[string]any)
		if have == nil {
			have = document{}
		}
		if sv, ok := m[t.sub.Name]; ok {
			have[t.sub.Name] = clone(sv)
		}
		set(to, t.attr.Name, have)
		return
	}
	var elems []any
	for _, e := range list(v) {
		el, ok := e.(map[string]any)
		if !ok || !selects(t, el) {
			continue
		}
		if t.sub == nil {
			elems = append(elems, clone(el))
		} else if sv, ok := el[t.sub.Name]; ok {
			elems = append(elems, document{t.sub.Name: clone(sv)})
		}
	}
	if len(elems) > 0 {
		to[t.attr.Name] = elems
	}
}

// selects reports whether element el of a multi-valued attribute is one the
// target's filter selects; every element is without a filter.
func selects(t target, el document) bool {
	if t.filter == nil {
		return true
	}
	m, err := matchIn(t.filter, func(p filter.AttributePath) (*attr, []any) { return elemValues(t.attr, p, el) })
	return m && err == nil
}

// removePath removes what path names from out; id and schemas stay.
func (k *kind) removePath(out document, path string) {
	if s := k.schemaOf(path); s != nil {
		if s != k.Core {
			delete(out, s.ID)
		}
		return
	}
	t, err := k.resolve(path)
	if err != nil || t.attr == nil || t.attr.Returned == "always" {
		return
	}
	cont := container(k, t.schema, out)
	if cont == nil {
		return
	}
	switch {
	case t.sub == nil && t.filter == nil:
		delete(cont, t.attr.Name)
	case !t.attr.Multi:
		if m, ok := cont[t.attr.Name].(map[string]any); ok {
			delete(m, t.sub.Name)
			set(cont, t.attr.Name, m)
		}
	default:
		var keep []any
		for _, e := range list(cont[t.attr.Name]) {
			el, ok := e.(map[string]any)
			switch {
			case !ok || !selects(t, el):
				keep = append(keep, e)
			case t.sub != nil:
				delete(el, t.sub.Name)
				if len(el) > 0 {
					keep = append(keep, el)
				}
			}
		}
		set(cont, t.attr.Name, keep)
	}
	if t.schema != k.Core {
		set(out, t.schema.ID, cont)
	}
}
