package ldap

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
)

// formatGUID writes a 16-byte Microsoft GUID in its canonical form. Windows
// stores the first three groups little-endian and the last two as they are,
// so the bytes 29 7b 8f 0d … read as 0d8f7b29-….
func formatGUID(b []byte) (string, error) {
	if len(b) != 16 {
		return "", fmt.Errorf("a GUID has 16 bytes, this value %d", len(b))
	}
	g := []byte{b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6]}
	g = append(g, b[8:]...)
	h := hex.EncodeToString(g)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// anchorOf returns the anchor of entry e as format says to write it.
func anchorOf(e *goldap.Entry, attr string, format AnchorFormat) (string, error) {
	raw := e.GetEqualFoldRawAttributeValue(attr)
	if len(raw) == 0 {
		return "", fmt.Errorf("entry %q has no %s", e.DN, attr)
	}
	if format == AnchorGUID {
		g, err := formatGUID(raw)
		if err != nil {
			return "", fmt.Errorf("entry %q: %s: %w", e.DN, attr, err)
		}
		return g, nil
	}
	return strings.ToLower(strings.TrimSpace(string(raw))), nil
}

// generalizedTime is the layout of LDAP's GeneralizedTime to the second.
// time.Parse also accepts a fraction after the seconds, as Active
// Directory writes them ("20240102030405.0Z").
const generalizedTime = "20060102150405Z0700"

// parseTime reads a GeneralizedTime; the zero time for an empty value.
func parseTime(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(generalizedTime, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a GeneralizedTime", v)
	}
	return t.UTC(), nil
}

// formatTime writes t as a GeneralizedTime in UTC, with the fraction ".0"
// that Active Directory expects and OpenLDAP accepts.
func formatTime(t time.Time) string {
	return t.UTC().Format("20060102150405") + ".0Z"
}

// disabled applies rule r to the values of its attribute.
func (r DisabledRule) disabled(values []string) (bool, error) {
	if len(values) == 0 {
		return false, nil
	}
	switch {
	case r.Mask != 0:
		n, err := strconv.ParseInt(strings.TrimSpace(values[0]), 10, 64)
		if err != nil {
			return false, fmt.Errorf("%s %q is not an integer", r.Attribute, values[0])
		}
		return n&r.Mask != 0, nil
	case len(r.Values) > 0:
		for _, v := range values {
			for _, d := range r.Values {
				if strings.EqualFold(strings.TrimSpace(v), d) {
					return true, nil
				}
			}
		}
		return false, nil
	}
	return true, nil
}

// dnKey returns a form of dn in which two spellings of one DN are equal:
// attribute types and values lower-cased, spaces around separators gone.
func dnKey(dn string) string {
	if k, ok := simpleDNKey(dn); ok {
		return k
	}
	parsed, err := goldap.ParseDN(dn)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(dn))
	}
	return strings.ToLower(parsed.String())
}

// simpleDNKey returns dnKey(dn) without parsing dn when it needs none: when
// it holds only letters, digits, '=', ',', '-', '.', '_' and '@', and every
// ',' and '=' stands between two such characters. A lower-case DN is then
// its own key, sharing its memory.
func simpleDNKey(dn string) (string, bool) {
	if dn == "" {
		return "", false
	}
	upper := false
	prevSep := true // at the start, a separator may not come first
	for i := 0; i < len(dn); i++ {
		c := dn[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '@':
			prevSep = false
		case c >= 'A' && c <= 'Z':
			upper, prevSep = true, false
		case c == '=' || c == ',':
			if prevSep {
				return "", false
			}
			prevSep = true
		default:
			return "", false
		}
	}
	if prevSep {
		return "", false
	}
	if upper {
		return strings.ToLower(dn), true
	}
	return dn, true
}

// memberDN strips the optional unique identifier ("#'0101'B") that
// uniqueMember values may carry after the DN.
func memberDN(v string) string {
	if i := strings.LastIndex(v, "#'"); i > 0 && strings.HasSuffix(v, "'B") {
		return v[:i]
	}
	return v
}

// first returns the first non-empty value of the first attribute in attrs
// that has one.
func first(e *goldap.Entry, attrs ...string) string {
	for _, a := range attrs {
		if a == "" {
			continue
		}
		for _, v := range e.GetEqualFoldAttributeValues(a) {
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return ""
}
