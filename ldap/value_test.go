package ldap

import (
	"strings"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
)

func TestFormatGUID(t *testing.T) {
	t.Parallel()
	// Windows shows these bytes as {0D8F7B29-5A3C-4C3E-9B6E-1F2A3B4C5D6E}.
	b := []byte{0x29, 0x7b, 0x8f, 0x0d, 0x3c, 0x5a, 0x3e, 0x4c, 0x9b, 0x6e, 0x1f, 0x2a, 0x3b, 0x4c, 0x5d, 0x6e}
	got, err := formatGUID(b)
	if err != nil || got != "0d8f7b29-5a3c-4c3e-9b6e-1f2a3b4c5d6e" {
		t.Errorf("formatGUID = %q, %v", got, err)
	}
	if _, err := formatGUID(b[:15]); err == nil {
		t.Error("15 bytes read as a GUID")
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	want := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"20240102030405Z", want, true},     // OpenLDAP
		{"20240102030405.0Z", want, true},   // Active Directory
		{"20240102040405+0100", want, true}, // with an offset
		{"", time.Time{}, true},             // absent
		{"2024-01-02T03:04:05Z", time.Time{}, false},
		{"yesterday", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := parseTime(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseTime(%q) = %v, %v", tt.in, got, err)
		}
	}
	if got := formatTime(want.In(time.FixedZone("CET", 3600))); got != "20240102030405.0Z" {
		t.Errorf("formatTime = %q", got)
	}
}

func TestDisabledRule(t *testing.T) {
	t.Parallel()
	uac := DisabledRule{Attribute: "userAccountControl", Mask: 2}
	locked := DisabledRule{Attribute: "pwdAccountLockedTime"}
	status := DisabledRule{Attribute: "employeeType", Values: []string{"disabled", "left"}}
	tests := []struct {
		name   string
		rule   DisabledRule
		values []string
		want   bool
		ok     bool
	}{
		{"uac normal", uac, []string{"512"}, false, true},
		{"uac disabled", uac, []string{"514"}, true, true},
		{"uac disabled, password never expires", uac, []string{"66050"}, true, true},
		{"uac password never expires", uac, []string{"66048"}, false, true},
		{"uac absent", uac, nil, false, true},
		{"uac not a number", uac, []string{"yes"}, false, false},
		{"locked", locked, []string{"000001010000Z"}, true, true},
		{"not locked", locked, nil, false, true},
		{"status left", status, []string{"Left"}, true, true},
		{"status employee", status, []string{"employee"}, false, true},
	}
	for _, tt := range tests {
		got, err := tt.rule.disabled(tt.values)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("%s: disabled = %t, %v", tt.name, got, err)
		}
	}
}

func TestDNKey(t *testing.T) {
	t.Parallel()
	same := [][2]string{
		{"CN=Sales,OU=Groups,DC=corp,DC=example", "cn=sales, ou=groups, dc=corp, dc=example"},
		{"uid=a\\,b,dc=x", "UID=A\\,B,DC=X"},
	}
	for _, p := range same {
		if dnKey(p[0]) != dnKey(p[1]) {
			t.Errorf("dnKey(%q) = %q, dnKey(%q) = %q", p[0], dnKey(p[0]), p[1], dnKey(p[1]))
		}
	}
	if dnKey("cn=a,dc=x") == dnKey("cn=b,dc=x") {
		t.Error("two DNs share a key")
	}
	// The fast path for plain DNs agrees with parsing them.
	for _, dn := range []string{"uid=b000001,ou=people,dc=example,dc=com", "CN=Person 1,OU=Staff,DC=corp",
		"CN=Sales-EU,OU=Groups,DC=corp", "cn=a=b,dc=x", "mail=a.b@x.example,dc=x", "cn=a_b,dc=x", "CN=ÅSA,DC=x"} {
		parsed, err := goldap.ParseDN(dn)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.ToLower(parsed.String()); dnKey(dn) != want {
			t.Errorf("dnKey(%q) = %q, want %q", dn, dnKey(dn), want)
		}
	}
	for _, dn := range []string{"", ",dc=x", "cn=a,", "cn=,dc=x", "cn=a,,dc=x"} {
		if _, ok := simpleDNKey(dn); ok {
			t.Errorf("simpleDNKey took %q as plain", dn)
		}
	}
	if got := memberDN("uid=a,dc=x#'0101'B"); got != "uid=a,dc=x" {
		t.Errorf("memberDN = %q", got)
	}
}
