package ldap_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"allot/ldap"
)

func validConfig() ldap.Config {
	return ldap.Config{
		Preset:   ldap.PresetActiveDirectory,
		URL:      "ldaps://dc1.corp.example",
		BindDN:   "CN=svc-allot,OU=Service,DC=corp,DC=example",
		Password: "secret",
		BaseDN:   "OU=Staff,DC=corp,DC=example",
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		set    func(*ldap.Config)
		fields []string // the fields the errors name, in order; none: valid
	}{
		{"valid", func(c *ldap.Config) {}, nil},
		{"StartTLS on ldap://", func(c *ldap.Config) { c.URL = "ldap://dc1.corp.example:389" }, nil},
		{"a UPN as bind DN", func(c *ldap.Config) { c.BindDN = "svc-allot@corp.example" }, nil},
		{"a down-level name as bind DN", func(c *ldap.Config) { c.BindDN = `CORP\svc-allot` }, nil},
		{"scope by a group, in chain", func(c *ldap.Config) { c.ScopeGroup = "CN=Allot,OU=Groups,DC=corp,DC=example" }, nil},
		{"empty", func(c *ldap.Config) { *c = ldap.Config{} }, []string{"Preset", "URL", "BindDN", "Password", "BaseDN"}},
		{"unknown preset", func(c *ldap.Config) { c.Preset = "novell" }, []string{"Preset"}},
		{"http URL", func(c *ldap.Config) { c.URL = "https://dc1" }, []string{"URL"}},
		{"URL with a DN", func(c *ldap.Config) { c.URL = "ldap://dc1/dc=example" }, []string{"URL"}},
		{"URL without host", func(c *ldap.Config) { c.URL = "ldap://" }, []string{"URL"}},
		{"StartTLS on ldaps://", func(c *ldap.Config) { c.TLS = ldap.TLSStartTLS }, []string{"TLS"}},
		{"no TLS on ldaps://", func(c *ldap.Config) { c.TLS = ldap.TLSNone }, []string{"TLS"}},
		{"skip verify without TLS", func(c *ldap.Config) {
			c.URL, c.TLS, c.SkipVerify = "ldap://dc1", ldap.TLSNone, true
		}, []string{"TLS"}},
		{"unknown TLS", func(c *ldap.Config) { c.TLS = "ssl" }, []string{"TLS"}},
		{"CA not PEM", func(c *ldap.Config) { c.CAPEM = "not a certificate" }, []string{"CAPEM"}},
		{"bind DN not a DN", func(c *ldap.Config) { c.BindDN = "svc-allot" }, []string{"BindDN"}},
		{"base DN not a DN", func(c *ldap.Config) { c.BaseDN = "Staff" }, []string{"BaseDN"}},
		{"depth", func(c *ldap.Config) { c.Depth = "deep" }, []string{"Depth"}},
		{"filter", func(c *ldap.Config) { c.Filter = "(objectClass=user" }, []string{"Filter"}},
		{"group filter", func(c *ldap.Config) { c.GroupFilter = "objectClass=group" }, []string{"GroupFilter"}},
		{"group base DN", func(c *ldap.Config) { c.GroupBaseDN = "Groups" }, []string{"GroupBaseDN"}},
		{"groups", func(c *ldap.Config) { c.Groups = "tokenGroups" }, []string{"Groups"}},
		{"scope rule without group", func(c *ldap.Config) { c.ScopeRule = ldap.ScopeMember }, []string{"ScopeRule"}},
		{"scope group not a DN", func(c *ldap.Config) { c.ScopeGroup = "Allot" }, []string{"ScopeGroup"}},
		{"in chain on OpenLDAP", func(c *ldap.Config) {
			c.Preset, c.ScopeGroup, c.ScopeRule = ldap.PresetOpenLDAP, "cn=allot,dc=example", ldap.ScopeInChain
		}, []string{"ScopeRule"}},
		{"page size", func(c *ldap.Config) { c.PageSize = -1 }, []string{"PageSize"}},
		{"timeout", func(c *ldap.Config) { c.Timeout = -1 }, []string{"Timeout"}},
		{"anchor the DN", func(c *ldap.Config) { c.Mapping.Anchor = "distinguishedName" }, []string{"Mapping.Anchor"}},
		{"anchor the e-mail", func(c *ldap.Config) { c.Mapping.Anchor = "mail" }, []string{"Mapping.Anchor"}},
		{"anchor format", func(c *ldap.Config) { c.Mapping.AnchorFormat = "base64" }, []string{"Mapping.AnchorFormat"}},
		{"no e-mail attribute", func(c *ldap.Config) { c.Mapping.Email = []string{} }, []string{"Mapping.Email"}},
		{"attribute with a space", func(c *ldap.Config) { c.Mapping.FirstName = "given Name" }, []string{"Mapping.FirstName"}},
		{"attribute with a parenthesis", func(c *ldap.Config) { c.Mapping.Department = []string{"dept)"} }, []string{"Mapping.Department"}},
		{"negative mask", func(c *ldap.Config) { c.Mapping.Disabled = ldap.DisabledRule{Attribute: "x", Mask: -2} }, []string{"Mapping.Disabled.Mask"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := validConfig()
			tt.set(&cfg)
			err := cfg.Validate()
			var fes ldap.FieldErrors
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("valid config refused: %v", err)
				}
				return
			}
			if !errors.As(err, &fes) || !errors.Is(err, ldap.ErrConfig) {
				t.Fatalf("error %v (%T), want FieldErrors", err, err)
			}
			var got []string
			for _, fe := range fes {
				got = append(got, fe.Field)
			}
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields %q, want %q: %v", got, tt.fields, err)
			}
			if _, err := ldap.New(cfg); !errors.Is(err, ldap.ErrConfig) {
				t.Errorf("New accepted what Validate refused: %v", err)
			}
		})
	}
}

func TestConfigPresetsFillOnlyWhatIsEmpty(t *testing.T) {
	t.Parallel()
	cfg := validConfig()
	cfg.Mapping.Email = []string{"userPrincipalName"}
	src, err := ldap.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := src.Config()
	m := got.Mapping
	if m.Anchor != "objectGUID" || m.AnchorFormat != ldap.AnchorGUID || !slices.Equal(m.Email, []string{"userPrincipalName"}) ||
		m.Disabled.Attribute != "userAccountControl" || m.Disabled.Mask != 2 || m.Changed != "whenChanged" {
		t.Errorf("active directory mapping %+v", m)
	}
	if got.PageSize != ldap.DefaultPageSize || got.Groups != ldap.GroupsMemberOf || got.GroupBaseDN != cfg.BaseDN ||
		got.Depth != ldap.DepthSubtree || got.Filter == "" {
		t.Errorf("defaults %+v", got)
	}

	cfg = validConfig()
	cfg.Preset = ldap.PresetOpenLDAP
	cfg.ScopeGroup = "cn=staff,ou=groups,dc=example,dc=com"
	got = mustNew(t, cfg).Config()
	if got.Mapping.Anchor != "entryUUID" || got.Mapping.AnchorFormat != ldap.AnchorText || got.ScopeRule != ldap.ScopeMember ||
		got.Mapping.Disabled.Attribute != "pwdAccountLockedTime" || got.Mapping.Changed != "modifyTimestamp" {
		t.Errorf("openldap config %+v", got)
	}
}

func TestConfigNeverPrintsThePassword(t *testing.T) {
	t.Parallel()
	cfg := validConfig()
	cfg.Password = "hunter2-secret"
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg)} {
		if strings.Contains(s, cfg.Password) {
			t.Errorf("printed the password: %s", s)
		}
	}
}
