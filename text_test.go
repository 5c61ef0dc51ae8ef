package allot_test

import (
	"strconv"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

// TestNamesRefuseControlCharacters checks that no name enters the ledger
// with a control character (a CR/LF in a name breaks every mail about its
// person or company for good), a direction override, U+FFFD or bytes that
// are not UTF-8, and that the error names the field; while names in any
// script, with the joiners some scripts need, still enter.
func TestNamesRefuseControlCharacters(t *testing.T) {
	f := world.Setup(t, storetest.Backends[0])
	admin, pm, cm := f.As(f.Admin), f.As(f.PM), f.As(f.CM)
	n := 0
	email := func() string { n++; return "p" + strconv.Itoa(n) + "@acme.test" }
	creates := map[string]func(name string) error{
		"first_name": func(s string) error {
			_, err := f.Svc.AddUser(cm, allot.NewUser{Email: email(), FirstName: s, CompanyID: f.Company.ID})
			return err
		},
		"last_name": func(s string) error {
			_, err := f.Svc.AddUser(cm, allot.NewUser{Email: email(), LastName: s, CompanyID: f.Company.ID})
			return err
		},
		"department": func(s string) error {
			_, err := f.Svc.CreateStaff(admin, allot.NewUser{Email: email(), Department: s, Role: allot.RoleAccountManager})
			return err
		},
		"company": func(s string) error {
			_, _, err := f.Svc.CreateCompany(pm, allot.NewCompany{Name: s})
			return err
		},
		"partner": func(s string) error {
			_, err := f.Svc.CreatePartner(admin, allot.Partner{Name: s})
			return err
		},
		"product": func(s string) error {
			n++
			_, err := f.Svc.CreateProduct(admin, allot.Product{Code: "p" + strconv.Itoa(n), Name: s})
			return err
		},
		"token": func(s string) error {
			_, _, err := f.Svc.CreateToken(pm, s, time.Time{})
			return err
		},
	}
	fields := map[string]string{"company": "name", "partner": "name", "product": "name", "token": "name"}
	bad := map[string]string{
		"CR LF":           "Ann\r\nBcc: all@acme.test",
		"LF":              "Ann\nSmith",
		"NUL":             "Ann\x00",
		"tab":             "Ann\tSmith",
		"escape":          "Ann\x1b[31m",
		"DEL":             "Ann\x7f",
		"C1 control":      "Ann\u0085Smith",
		"line separator":  "Ann\u2028Smith",
		"right-to-left":   "Ann\u202egnp.exe",
		"isolate":         "Ann\u2067x",
		"replacement":     "Ann\ufffd",
		"not UTF-8":       "Ann\xff",
		"control at ends": "\x00Ann\x00",
	}
	for what, create := range creates {
		field := fields[what]
		if field == "" {
			field = what
		}
		for name, s := range bad {
			t.Run(what+"/"+name, func(t *testing.T) {
				world.WantError(t, create(s), allot.EINVALID, field)
			})
		}
		for _, s := range []string{"Zoë Ødegård", "محمد", "می\u200cخواهم", "李小龍", "O'Brien-Smith"} {
			t.Run(what+"/good "+s, func(t *testing.T) {
				world.WantError(t, create(s), "", "")
			})
		}
	}
}

// TestEmailsRefuseInvisibleCharacters checks that an e-mail address holds
// nothing that reads other than it is: no direction override, no
// zero-width or other invisible character, no U+FFFD and no space of any
// kind; the error names the field.
func TestEmailsRefuseInvisibleCharacters(t *testing.T) {
	for name, s := range map[string]string{
		"right-to-left override": "ann\u202e@acme.test",
		"left-to-right mark":     "ann\u200e@acme.test",
		"zero-width space":       "an\u200bn@acme.test",
		"zero-width joiner":      "an\u200dn@acme.test",
		"byte order mark":        "\ufeffann@acme.test",
		"soft hyphen":            "an\u00adn@acme.test",
		"replacement":            "ann\ufffd@acme.test",
		"not UTF-8":              "ann\xff@acme.test",
		"no-break space":         "an\u00a0n@acme.test",
		"line separator":         "ann@acme\u2028.test",
		"private use":            "ann\ue000@acme.test",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := allot.NormalizeEmail("email", s)
			world.WantError(t, err, allot.EINVALID, "email")
		})
	}
	for _, s := range []string{"ann@acme.test", "zoë@acme.test", " Ann@Acme.Test "} {
		if _, err := allot.NormalizeEmail("email", s); err != nil {
			t.Errorf("NormalizeEmail(%q): %v", s, err)
		}
	}
}
