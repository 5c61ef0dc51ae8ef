package csvio_test

import (
	"fmt"
	"slices"
	"testing"

	"allot/csvio"
	"allot/directory"
)

// disabledRows reads data with the e-mail in column "email" and column
// "disabled" mapped to directory.FieldDisabled, and writes each row as
// "LINE EMAIL disabled", "LINE EMAIL enabled" or "LINE error: REASON".
func disabledRows(t *testing.T, data, column string) []string {
	t.Helper()
	m := directory.Mapping{directory.FieldEmail: "email", directory.FieldDisabled: column}
	var got []string
	err := csvio.Files{}.Rows([]byte(data), m, func(r directory.ImportRow) error {
		switch {
		case r.Action == directory.RowError:
			got = append(got, fmt.Sprintf("%d error: %s", r.Line, r.Reason))
		case r.Disabled:
			got = append(got, fmt.Sprintf("%d %s disabled", r.Line, r.Email))
		default:
			got = append(got, fmt.Sprintf("%d %s enabled", r.Line, r.Email))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Rows: %v", err)
	}
	return got
}

// TestDisabledColumn checks how the values of a column that says whether an
// account is disabled read, as the column's name says them: either way
// round, as words, or as Active Directory's flags.
func TestDisabledColumn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		column   string
		disabled []string // values that mark the account disabled
		enabled  []string // values that do not
		bad      string   // a value that says neither
		reason   string   // what the row says of it
	}{
		{
			name: "Microsoft Entra's accountEnabled", column: "accountEnabled",
			disabled: []string{"FALSE", "False", "false", "No", "0"}, enabled: []string{"TRUE", "True", "yes", "1", ""},
			bad: "maybe", reason: `column "accountEnabled": "maybe" does not say whether the account is enabled: write TRUE or FALSE, or a state such as Active, Disabled or Suspended`,
		},
		{
			name: "Google Workspace's Suspended", column: "Suspended",
			disabled: []string{"True", "TRUE", "yes", "Y"}, enabled: []string{"False", "no", "N", ""},
			bad: "sometimes", reason: `column "Suspended": "sometimes" does not say whether the account is disabled: write TRUE or FALSE, or a state such as Active, Disabled or Suspended`,
		},
		{
			name: "Active Directory's Enabled, from PowerShell", column: "Enabled",
			disabled: []string{"False"}, enabled: []string{"True"},
		},
		{
			name: "a Disabled column", column: "Disabled",
			disabled: []string{"TRUE", "x", "Ja", "oui"}, enabled: []string{"FALSE", "nein", "non", " "},
		},
		{
			name: "a Status column, in words, in any language and case", column: "Status [READ ONLY]",
			disabled: []string{"Suspended", "DISABLED", "Inactive", "Deaktiviert", "gesperrt", "Désactivé", "Suspendido", "Archived"},
			enabled:  []string{"Active", "ACTIVE", "Enabled", "Aktiv", "actif", "Activo", "Attivo"},
			bad:      "On leave", reason: `column "Status [READ ONLY]": "On leave" does not say whether the account is disabled: write TRUE or FALSE, or a state such as Active, Disabled or Suspended`,
		},
		{
			name: "words say the same in a column either way round", column: "accountEnabled",
			disabled: []string{"Disabled", "Suspended"}, enabled: []string{"Active", "Enabled"},
		},
		{
			name: "German Aktiv, yes means enabled", column: "Aktiv",
			disabled: []string{"Nein", "falsch", "inaktiv"}, enabled: []string{"Ja", "wahr"},
		},
		{
			name: "Entra's bulk template: the words people see decide, not the bracket", column: "Block sign in (Yes/No) [accountEnabled] Required",
			disabled: []string{"Yes"}, enabled: []string{"No"},
		},
		{
			name: "Active Directory's userAccountControl: bit 2", column: "userAccountControl",
			disabled: []string{"514", "66050", "546", "2", "0x202"}, enabled: []string{"512", "66048", "544", "0x200", ""},
			bad: "NORMAL_ACCOUNT", reason: `column "userAccountControl": "NORMAL_ACCOUNT" is not a number: userAccountControl holds the flags of an Active Directory account, of which 2 marks it disabled`,
		},
		{
			name: "a column of no known name: yes means disabled, as the field says", column: "Gone",
			disabled: []string{"yes", "TRUE", "Suspended"}, enabled: []string{"no", "FALSE", "Active"},
			bad: "2024-05-01", reason: `column "Gone": "2024-05-01" does not say whether the account is disabled: write TRUE or FALSE, or a state such as Active, Disabled or Suspended`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := fmt.Sprintf("email,%q\r\n", tc.column)
			var want []string
			line := 2
			add := func(value, outcome string) {
				data += fmt.Sprintf("p%d@example.com,%q\r\n", line, value)
				want = append(want, fmt.Sprintf("%d p%d@example.com %s", line, line, outcome))
				line++
			}
			for _, v := range tc.disabled {
				add(v, "disabled")
			}
			for _, v := range tc.enabled {
				add(v, "enabled")
			}
			if tc.bad != "" {
				data += fmt.Sprintf("p%d@example.com,%q\r\n", line, tc.bad)
				want = append(want, fmt.Sprintf("%d error: %s", line, tc.reason))
			}
			if got := disabledRows(t, data, tc.column); !slices.Equal(got, want) {
				t.Errorf("rows of\n%s\ngot\n\t%q\nwant\n\t%q", data, got, want)
			}
		})
	}
}

// TestDisabledColumnNotMapped checks that a file whose disabled column is
// not chosen marks no one disabled, whatever the column holds.
func TestDisabledColumnNotMapped(t *testing.T) {
	t.Parallel()
	data := []byte("email,accountEnabled\nann@example.com,FALSE\nbob@example.com,maybe\n")
	var got []string
	err := csvio.Files{}.Rows(data, directory.Mapping{directory.FieldEmail: "email"}, func(r directory.ImportRow) error {
		got = append(got, fmt.Sprintf("%d %s %v %s", r.Line, r.Email, r.Disabled, r.Action))
		return nil
	})
	if want := []string{"2 ann@example.com false ", "3 bob@example.com false "}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Rows = %q, %v; want %q", got, err, want)
	}
}
