package scim

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"

	filter "github.com/scim2/filter-parser/v2"
)

// maxFilter is the longest filter read, in bytes.
const maxFilter = 4096

// parseFilter parses a filter of RFC 7644 section 3.4.2.2. A value compared
// that is a bare word rather than a JSON string (userName sw O, a date
// without quotes) is read as the string it spells, as some clients send
// them.
func parseFilter(s string) (filter.Expression, error) {
	if len(s) > maxFilter {
		return nil, invalidFilter("the filter is too long")
	}
	e, err := filter.ParseFilter([]byte(s))
	if err != nil {
		q, changed := quoteBare(s)
		if !changed {
			return nil, invalidFilter("the filter cannot be read: " + s)
		}
		if e, err = filter.ParseFilter([]byte(q)); err != nil {
			return nil, invalidFilter("the filter cannot be read: " + s)
		}
	}
	return e, nil
}

// compareOps are the comparison operators, which take a value.
var compareOps = map[string]bool{"eq": true, "ne": true, "co": true, "sw": true, "ew": true, "gt": true, "ge": true, "lt": true, "le": true}

// number is a JSON number.
var number = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// quoteBare returns s with each bare word compared (after an attribute and
// a comparison operator) quoted as a JSON string, unless it is true, false,
// null or a number, and whether it changed anything.
func quoteBare(s string) (string, bool) {
	var (
		b       strings.Builder
		changed bool
		words   []string // the words since the last bracket; "" for a string
	)
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '(' || c == ')' || c == '[' || c == ']':
			b.WriteByte(c)
			if c != ' ' {
				words = nil
			}
			i++
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(s))
			b.WriteString(s[i:j])
			words = append(words, "")
			i = j
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(` ()[]"`, rune(s[j])) {
				j++
			}
			w := s[i:j]
			n := len(words)
			if n >= 2 && compareOps[strings.ToLower(words[n-1])] && words[n-2] != "" && !literal(w) {
				q, _ := json.Marshal(w)
				b.Write(q)
				changed = true
			} else {
				b.WriteString(w)
			}
			words = append(words, w)
			i = j
		}
	}
	return b.String(), changed
}

// literal reports whether w is a JSON literal a filter compares with.
func literal(w string) bool {
	switch strings.ToLower(w) {
	case "true", "false", "null":
		return true
	}
	return number.MatchString(w)
}

// checkFilter refuses a filter that compares a boolean attribute by order
// or with a value that is neither true nor false, whatever the resources.
func (k *kind) checkFilter(e filter.Expression) error {
	return checkIn(e, func(p filter.AttributePath) *attr {
		a, _ := k.values(p, document{})
		return a
	})
}

// checkIn checks filter e, whose attributes lookup finds.
func checkIn(e filter.Expression, lookup func(filter.AttributePath) *attr) error {
	switch e := e.(type) {
	case *filter.LogicalExpression:
		if err := checkIn(e.Left, lookup); err != nil {
			return err
		}
		return checkIn(e.Right, lookup)
	case *filter.NotExpression:
		return checkIn(e.Expression, lookup)
	case *filter.ValuePath:
		a := lookup(e.AttributePath)
		if a == nil {
			return nil
		}
		return checkIn(e.ValueFilter, func(p filter.AttributePath) *attr {
			sub, _ := elemValues(a, p, document{})
			return sub
		})
	case *filter.AttributeExpression:
		a, op := lookup(e.AttributePath), strings.ToLower(string(e.Operator))
		if a == nil || a.Type != tBoolean || op == "pr" || e.CompareValue == nil {
			return nil
		}
		if op != "eq" && op != "ne" {
			return invalidFilter(a.Name + " is true or false: it compares with eq and ne only")
		}
		if _, err := boolean(a, e.CompareValue); err != nil {
			return invalidFilter(a.Name + " is true or false")
		}
	}
	return nil
}

// match reports whether resource d of kind k matches filter e.
// Attribute names are matched without regard to case; a comparison of
// strings is without regard to case unless the attribute is case-exact;
// a multi-valued attribute matches when one of its values does.
func (k *kind) match(e filter.Expression, d document) (bool, error) {
	return matchIn(e, func(p filter.AttributePath) (*attr, []any) { return k.values(p, d) })
}

// matchIn reports whether filter e matches what lookup finds.
func matchIn(e filter.Expression, lookup func(filter.AttributePath) (*attr, []any)) (bool, error) {
	switch e := e.(type) {
	case *filter.LogicalExpression:
		left, err := matchIn(e.Left, lookup)
		if err != nil {
			return false, err
		}
		if left == (strings.ToLower(string(e.Operator)) == string(filter.OR)) {
			return left, nil
		}
		return matchIn(e.Right, lookup)
	case *filter.NotExpression:
		m, err := matchIn(e.Expression, lookup)
		return !m, err
	case *filter.ValuePath:
		a, elems := lookup(e.AttributePath)
		if a == nil || a.Type != tComplex {
			return false, nil
		}
		for _, el := range elems {
			el, ok := el.(map[string]any)
			if !ok {
				continue
			}
			m, err := matchIn(e.ValueFilter, func(p filter.AttributePath) (*attr, []any) { return elemValues(a, p, el) })
			if m || err != nil {
				return m, err
			}
		}
		return false, nil
	case *filter.AttributeExpression:
		a, vals := lookup(e.AttributePath)
		return compare(a, strings.ToLower(string(e.Operator)), vals, unescape(e.CompareValue))
	}
	return false, invalidFilter("the filter cannot be read")
}

// unescape returns a string compared as JSON reads it: the parser keeps
// its escapes.
func unescape(v any) any {
	s, ok := v.(string)
	if !ok || !strings.Contains(s, `\`) {
		return v
	}
	var out string
	if json.Unmarshal([]byte(`"`+s+`"`), &out) != nil {
		return s
	}
	return out
}

// values returns the attribute path p names in resource d and its values:
// the elements of a multi-valued one, a sub-attribute's values across
// them, and for a multi-valued complex attribute without a sub-attribute
// each element's value when compared.
func (k *kind) values(p filter.AttributePath, d document) (*attr, []any) {
	a, container := k.locate(p.URI(), p.AttributeName, d)
	if a == nil {
		return nil, nil
	}
	v := container[a.Name]
	if p.SubAttribute == nil {
		return a, list(v)
	}
	sub := a.sub(*p.SubAttribute)
	if sub == nil {
		return nil, nil
	}
	var out []any
	for _, el := range list(v) {
		if el, ok := el.(map[string]any); ok {
			out = append(out, list(el[sub.Name])...)
		}
	}
	return sub, out
}

// locate returns the attribute name of the schema urn (any schema of k
// when empty, the core first) and the object of d that holds it.
func (k *kind) locate(urn, name string, d document) (*attr, document) {
	if urn != "" {
		s := k.schemaOf(urn)
		if s == nil {
			return nil, nil
		}
		return attrOf(k, s, name), container(k, s, d)
	}
	for _, s := range append([]*schema{k.Core}, k.Extensions...) {
		if a := attrOf(k, s, name); a != nil {
			return a, container(k, s, d)
		}
	}
	return nil, nil
}

// attrOf returns attribute name of schema s, the common attributes being
// of the core schema.
func attrOf(k *kind, s *schema, name string) *attr {
	if a := s.attr(name); a != nil {
		return a
	}
	if s == k.Core {
		return find(commonAttrs, name)
	}
	return nil
}

// container returns the object of d holding the attributes of schema s.
func container(k *kind, s *schema, d document) document {
	if s == k.Core {
		return d
	}
	ext, _ := d[s.ID].(map[string]any)
	return ext
}

// elemValues returns the sub-attribute of a that p names in element el of
// a, and its value, for a value filter such as emails[type eq "work"].
func elemValues(a *attr, p filter.AttributePath, el document) (*attr, []any) {
	sub := a.sub(p.AttributeName)
	if sub == nil || p.SubAttribute != nil {
		return nil, nil
	}
	return sub, list(el[sub.Name])
}

// list returns v as a list: itself when it is one, else one value.
func list(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}

// compare reports whether one of the values vals of attribute a compares
// to cv by operator op; ne is true when none is equal.
func compare(a *attr, op string, vals []any, cv any) (bool, error) {
	if op == "pr" {
		for _, v := range vals {
			if !empty(v) {
				return true, nil
			}
		}
		return false, nil
	}
	if !compareOps[op] {
		return false, invalidFilter("unknown operator " + op)
	}
	if a != nil && a.Type == tComplex {
		// A complex attribute compares by its value (emails co "x").
		var inner []any
		for _, v := range vals {
			if el, ok := v.(map[string]any); ok {
				inner = append(inner, el["value"])
			}
		}
		a, vals = a.sub("value"), inner
	}
	if op == "ne" {
		eq, err := compare(a, "eq", vals, cv)
		return !eq, err
	}
	if cv == nil {
		if op != "eq" {
			return false, invalidFilter("null compares with eq and ne only")
		}
		m, err := compare(a, "pr", vals, nil)
		return !m, err
	}
	if a == nil {
		return false, nil
	}
	for _, v := range vals {
		m, err := compareOne(a, op, v, cv)
		if m || err != nil {
			return m, err
		}
	}
	if a.Type == tBoolean && op != "eq" {
		return false, invalidFilter(a.Name + " is true or false: it compares with eq and ne only")
	}
	return false, nil
}

// compareOne compares value v of attribute a to cv by operator op.
func compareOne(a *attr, op string, v, cv any) (bool, error) {
	if a.Type == tBoolean {
		if op != "eq" {
			return false, invalidFilter(a.Name + " is true or false: it compares with eq and ne only")
		}
		b, err := boolean(a, cv)
		if err != nil {
			return false, invalidFilter(a.Name + " is true or false")
		}
		return v == b, nil
	}
	s, ok := v.(string)
	if !ok {
		return false, nil
	}
	c := compared(cv)
	if a.Type == tDateTime {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			if u, err := time.Parse(time.RFC3339Nano, c); err == nil {
				return order(op, t.Compare(u)), nil
			}
		}
	}
	if !a.CaseExact {
		s, c = strings.ToLower(s), strings.ToLower(c)
	}
	switch op {
	case "co":
		return strings.Contains(s, c), nil
	case "sw":
		return strings.HasPrefix(s, c), nil
	case "ew":
		return strings.HasSuffix(s, c), nil
	}
	return order(op, strings.Compare(s, c)), nil
}

// compared returns the value a filter compares with as a string.
func compared(cv any) string {
	switch cv := cv.(type) {
	case string:
		return cv
	case int:
		return strconv.Itoa(cv)
	case float64:
		return strconv.FormatFloat(cv, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(cv)
	}
	return ""
}

// order reports whether a comparison's result c satisfies op.
func order(op string, c int) bool {
	switch op {
	case "eq":
		return c == 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	}
	return false
}
