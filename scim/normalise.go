package scim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// A document is a resource as JSON decodes it: attribute names to values.
type document = map[string]any

// normalise returns the resource a client sent as allot keeps it: each
// attribute by its name in the schema, extensions under their URN, values
// of the attribute's type, and nothing else. It reads what Entra ID and
// Okta send as they send it: names in any case, "True" and "False" for
// booleans, a single value for a multi-valued attribute, a bare id for a
// complex value (a manager, a member), a member's displayName for its
// display. Attributes the schemas do not have, those clients may not set
// (id, meta, groups), a password, nulls and empty values are dropped.
func normalise(k *kind, in document) (document, error) {
	out := document{}
	for key, v := range in {
		if strings.EqualFold(key, "schemas") {
			continue
		}
		if s := k.schemaOf(key); s != nil && s != k.Core {
			obj, ok := v.(map[string]any)
			if !ok {
				if v == nil {
					continue
				}
				return nil, invalidValue("%s must be an object", s.ID)
			}
			ext, err := normaliseAttrs(s.Attrs, obj)
			if err != nil {
				return nil, err
			}
			merge(out, s.ID, ext)
			continue
		}
		s, name := k.splitURN(key)
		a := s.attr(name)
		if s == k.Core && a == nil && strings.EqualFold(name, externalIDAttr.Name) {
			a = externalIDAttr
		}
		if a == nil || a.readOnly() || a.Mutability == "writeOnly" {
			continue
		}
		val, err := coerce(a, v)
		if err != nil {
			return nil, err
		}
		if s == k.Core {
			set(out, a.Name, val)
		} else {
			merge(out, s.ID, document{a.Name: val})
		}
	}
	return out, nil
}

// merge adds the attributes of ext to the extension urn of d.
func merge(d document, urn string, ext document) {
	have, _ := d[urn].(map[string]any)
	if have == nil {
		have = document{}
	}
	for name, v := range ext {
		set(have, name, v)
	}
	set(d, urn, have)
}

// set sets name to v in d, or deletes it when v is empty.
func set(d document, name string, v any) {
	if empty(v) {
		delete(d, name)
		return
	}
	d[name] = v
}

// empty reports whether v is no value: nil, "", an empty list or object.
func empty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

// normaliseAttrs normalises an object of attributes of attrs.
func normaliseAttrs(attrs []*attr, in document) (document, error) {
	out := document{}
	for key, v := range in {
		a := find(attrs, key)
		if a == nil || a.readOnly() || a.Mutability == "writeOnly" {
			continue
		}
		val, err := coerce(a, v)
		if err != nil {
			return nil, err
		}
		set(out, a.Name, val)
	}
	return out, nil
}

// coerce returns v as a value of attribute a, nil for none.
func coerce(a *attr, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if !a.Multi {
		return coerceOne(a, v)
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var out []any
	for _, e := range list {
		val, err := coerceOne(a, e)
		if err != nil {
			return nil, err
		}
		if !empty(val) {
			out = append(out, val)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// coerceOne returns v as one value of attribute a.
func coerceOne(a *attr, v any) (any, error) {
	switch a.Type {
	case tComplex:
		switch v := v.(type) {
		case nil:
			return nil, nil
		case map[string]any:
			return normaliseAttrs(a.Sub, v)
		case []any:
			return nil, invalidValue("%s takes one value", a.Name)
		}
		if a.sub("value") == nil {
			return nil, invalidValue("%s must be an object", a.Name)
		}
		s, err := scalar(a, v)
		if err != nil || s == "" {
			return nil, err
		}
		return document{"value": s}, nil
	case tBoolean:
		return boolean(a, v)
	}
	s, err := scalar(a, v)
	if s == "" {
		return nil, err
	}
	return s, err
}

// boolean returns v as a boolean: true and false, or the strings "true"
// and "false" in any case, as Entra ID sends them.
func boolean(a *attr, v any) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case bool:
		return v, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "":
			return nil, nil
		}
	}
	return nil, invalidValue("%s must be true or false", a.Name)
}

// scalar returns v as a string: a string as it is, a number or a boolean
// as JSON writes it.
func scalar(a *attr, v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case json.Number:
		return v.String(), nil
	case bool:
		return strconv.FormatBool(v), nil
	}
	return "", invalidValue("%s must be a %s", a.Name, a.Type)
}

// required checks that a resource of k has its required attributes.
func required(k *kind, d document) error {
	for _, a := range k.Core.Attrs {
		if !a.Required {
			continue
		}
		if s, _ := d[a.Name].(string); strings.TrimSpace(s) == "" {
			return invalidValue("%s is required", a.Name)
		}
	}
	return nil
}

// str returns the string at name in d, or "".
func str(d document, name string) string {
	s, _ := d[name].(string)
	return s
}

// invalidValue is a 400 error of type invalidValue.
func invalidValue(format string, args ...any) *Error {
	return &Error{Status: 400, Type: "invalidValue", Detail: fmt.Sprintf(format, args...)}
}
