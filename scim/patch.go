package scim

import (
	"maps"
	"reflect"
	"slices"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// patchOp is one operation of a PATCH (RFC 7644 section 3.5.2).
type patchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value"`
}

// patchRequest is the body of a PATCH. Its names are read in any case.
type patchRequest struct {
	Schemas    []string  `json:"schemas"`
	Operations []patchOp `json:"Operations"`
}

// maxOperations is the most operations one PATCH may hold.
const maxOperations = 1000

// check checks the request's message schema and operations.
func (r patchRequest) check() error {
	if len(r.Schemas) > 0 && !slices.ContainsFunc(r.Schemas, func(s string) bool { return strings.EqualFold(s, patchSchema) }) {
		return invalidSyntax("a PATCH is a message of schema " + patchSchema)
	}
	switch {
	case len(r.Operations) == 0:
		return invalidSyntax("a PATCH holds one operation or more in Operations")
	case len(r.Operations) > maxOperations:
		return &Error{Status: 413, Type: "tooMany", Detail: "a PATCH holds 1000 operations at most"}
	}
	return nil
}

// patch returns resource d of kind k with the operations applied, in
// order, all or none. Operations are read as Entra ID and Okta send them:
// op in any case; no path and an object value whose names are paths (or
// an extension's URN and its attributes), which is how Okta deactivates;
// a remove of members with a value removes those members; and an add or a
// replace on a filtered path that matches nothing adds the value, the
// filter's equalities included (emails[type eq "work"].value). Attributes
// the schemas do not have are ignored, as on create.
func (k *kind) patch(d document, ops []patchOp) (document, error) {
	d = clone(d).(map[string]any)
	for _, o := range ops {
		op := strings.ToLower(o.Op)
		if op != "add" && op != "replace" && op != "remove" {
			return nil, invalidSyntax("unknown operation " + o.Op + ": add, replace or remove")
		}
		if strings.TrimSpace(o.Path) != "" {
			if err := k.apply(d, op, strings.TrimSpace(o.Path), o.Value, true); err != nil {
				return nil, err
			}
			continue
		}
		if op == "remove" {
			return nil, noTarget("a remove names the path of what it removes")
		}
		obj, ok := o.Value.(map[string]any)
		if !ok {
			return nil, invalidValue("an operation without a path takes an object of attributes")
		}
		for _, key := range slices.Sorted(maps.Keys(obj)) {
			if err := k.applyAll(d, op, key, obj[key]); err != nil {
				return nil, err
			}
		}
	}
	if err := required(k, d); err != nil {
		return nil, err
	}
	return d, nil
}

// applyAll applies an operation without a path to one name of its value:
// a path, or a schema's URN whose object holds the schema's attributes.
func (k *kind) applyAll(d document, op, key string, v any) error {
	s := k.schemaOf(key)
	if s == nil {
		return k.apply(d, op, key, v, false)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return invalidValue("%s takes an object", s.ID)
	}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		if err := k.apply(d, op, s.ID+":"+name, obj[name], false); err != nil {
			return err
		}
	}
	return nil
}

// target is what a path names: an attribute of a schema, possibly a value
// filter on it and a sub-attribute.
type target struct {
	schema *schema
	attr   *attr
	filter filter.Expression
	sub    *attr
}

// resolve returns the target of path in a resource of kind k; a nil attr
// when it names nothing the schemas have.
func (k *kind) resolve(path string) (target, error) {
	s, rest := k.splitURN(path)
	p, err := filter.ParsePath([]byte(rest))
	if err != nil {
		return target{}, invalidPath("the path cannot be read: " + path)
	}
	if p.AttributePath.URIPrefix != nil {
		return target{}, nil // of a schema allot does not have
	}
	t := target{schema: s, attr: attrOf(k, s, p.AttributePath.AttributeName), filter: p.ValueExpression}
	if t.attr == nil {
		return target{}, nil
	}
	subName := p.AttributePath.SubAttributeName()
	if p.SubAttribute != nil {
		subName = *p.SubAttribute
	}
	if subName != "" {
		if t.sub = t.attr.sub(subName); t.sub == nil {
			return target{}, nil
		}
	}
	if t.filter != nil && !t.attr.Multi {
		return target{}, invalidPath(t.attr.Name + " has one value: it takes no filter")
	}
	return t, nil
}

// apply applies operation op of value v at path in d. A path named by the
// client (explicit) that names a read-only attribute is refused; one in
// an object of attributes is ignored, as Okta sends a group's id there.
func (k *kind) apply(d document, op, path string, v any, explicit bool) error {
	t, err := k.resolve(path)
	if err != nil || t.attr == nil {
		return err
	}
	if t.attr.readOnly() || t.sub != nil && t.sub.readOnly() || t.attr.Mutability == "writeOnly" {
		if explicit && t.attr.Mutability != "writeOnly" {
			return mutability(t.attr.Name + " is read-only")
		}
		return nil
	}
	cont := d
	if t.schema != k.Core {
		cont, _ = d[t.schema.ID].(map[string]any)
		if cont == nil {
			cont = document{}
		}
		defer set(d, t.schema.ID, cont)
	}
	switch {
	case !t.attr.Multi:
		return applyOne(cont, op, t, v)
	case t.filter == nil && t.sub == nil:
		return applyList(cont, op, t.attr, v)
	}
	return applyElems(cont, op, t, v)
}

// applyOne applies an operation to a single-valued attribute, or one of
// its sub-attributes. A complex value given as an object is merged into
// the one there, as RFC 7644 says; one given as a bare id replaces it.
func applyOne(cont document, op string, t target, v any) error {
	a := t.attr
	if t.sub != nil {
		m, _ := cont[a.Name].(map[string]any)
		if m == nil {
			m = document{}
		}
		if op == "remove" {
			delete(m, t.sub.Name)
		} else {
			val, err := coerce(t.sub, v)
			if err != nil {
				return err
			}
			set(m, t.sub.Name, val)
		}
		set(cont, a.Name, m)
		return nil
	}
	if op == "remove" {
		delete(cont, a.Name)
		return nil
	}
	val, err := coerce(a, v)
	if err != nil {
		return err
	}
	old, _ := cont[a.Name].(map[string]any)
	if _, isObject := v.(map[string]any); isObject && old != nil {
		for name, sv := range val.(map[string]any) {
			old[name] = sv
		}
		return nil
	}
	set(cont, a.Name, val)
	return nil
}

// applyList applies an operation to a whole multi-valued attribute: add
// appends the values (one with the value of one there replaces it),
// replace replaces them all, remove removes them all, or those given.
func applyList(cont document, op string, a *attr, v any) error {
	if op == "remove" && v == nil {
		delete(cont, a.Name)
		return nil
	}
	val, err := coerce(a, v)
	if err != nil {
		return err
	}
	if op == "replace" {
		set(cont, a.Name, val)
		return nil
	}
	elems := list(cont[a.Name])
	for _, nv := range list(val) {
		i := slices.IndexFunc(elems, func(e any) bool { return sameValue(e, nv) })
		switch {
		case op == "remove" && i >= 0:
			elems = slices.Delete(elems, i, i+1)
		case op == "add" && i >= 0:
			elems[i] = nv
		case op == "add":
			elems = append(elems, nv)
		}
	}
	set(cont, a.Name, elems)
	return nil
}

// sameValue reports whether two values of a multi-valued attribute are the
// same: complex ones by their value, when both have one.
func sameValue(a, b any) bool {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok && am["value"] != nil && bm["value"] != nil {
		return reflect.DeepEqual(am["value"], bm["value"])
	}
	return reflect.DeepEqual(a, b)
}

// applyElems applies an operation to the elements of a multi-valued
// attribute a filter selects (all of them without one), or to a
// sub-attribute of those.
func applyElems(cont document, op string, t target, v any) error {
	elems := list(cont[t.attr.Name])
	var matched []int
	for i, e := range elems {
		el, ok := e.(map[string]any)
		if !ok {
			continue
		}
		m := true
		if t.filter != nil {
			var err error
			m, err = matchIn(t.filter, func(p filter.AttributePath) (*attr, []any) { return elemValues(t.attr, p, el) })
			if err != nil {
				return err
			}
		}
		if m {
			matched = append(matched, i)
		}
	}
	if op == "remove" {
		var keep []any
		for i, e := range elems {
			switch {
			case !slices.Contains(matched, i):
				keep = append(keep, e)
			case t.sub != nil:
				el := e.(map[string]any)
				delete(el, t.sub.Name)
				if len(el) > 0 {
					keep = append(keep, el)
				}
			}
		}
		set(cont, t.attr.Name, keep)
		return nil
	}
	val, err := elemValue(t, v)
	if err != nil {
		return err
	}
	if len(matched) == 0 {
		el := seed(t.attr, t.filter)
		maps.Copy(el, val)
		elems = append(elems, el)
	}
	for _, i := range matched {
		maps.Copy(elems[i].(map[string]any), val)
	}
	set(cont, t.attr.Name, elems)
	return nil
}

// elemValue returns v as what to set in each element selected: the
// sub-attribute's value, or an object of sub-attributes.
func elemValue(t target, v any) (document, error) {
	if t.sub != nil {
		val, err := coerce(t.sub, v)
		if err != nil {
			return nil, err
		}
		return document{t.sub.Name: val}, nil
	}
	if l, ok := v.([]any); ok && len(l) == 1 {
		v = l[0]
	}
	val, err := coerceOne(t.attr, v)
	if err != nil {
		return nil, err
	}
	m, _ := val.(map[string]any)
	return m, nil
}

// seed returns the element a filter's equalities describe (type eq "work"
// gives {"type": "work"}): what a value added where the filter matched
// nothing starts with.
func seed(a *attr, e filter.Expression) document {
	out := document{}
	var walk func(filter.Expression)
	walk = func(e filter.Expression) {
		switch e := e.(type) {
		case *filter.LogicalExpression:
			if strings.EqualFold(string(e.Operator), string(filter.AND)) {
				walk(e.Left)
				walk(e.Right)
			}
		case *filter.AttributeExpression:
			sub := a.sub(e.AttributePath.AttributeName)
			if sub == nil || !strings.EqualFold(string(e.Operator), string(filter.EQ)) {
				return
			}
			if v, err := coerceOne(sub, unescape(e.CompareValue)); err == nil && !empty(v) {
				out[sub.Name] = v
			}
		}
	}
	walk(e)
	return out
}

// clone returns a deep copy of a JSON value.
func clone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = clone(e)
		}
		return out
	}
	return v
}
