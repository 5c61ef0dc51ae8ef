package csvio

import (
	"fmt"
	"strconv"
	"strings"
)

// account is how a column says whether an account is disabled, as its name
// tells: directory exports say it either way round.
type account int

const (
	// accountOff columns say yes of a disabled account: Disabled,
	// Suspended (Google Workspace), Block sign in (Microsoft Entra's
	// templates), and any column whose name does not say otherwise.
	accountOff account = iota
	// accountOn columns say yes of an enabled one: accountEnabled
	// (Microsoft Entra), Enabled (Active Directory's PowerShell), Active.
	accountOn
	// accountControl is Active Directory's userAccountControl: a number
	// whose bit 2 (value 2, ACCOUNTDISABLE) marks a disabled account.
	accountControl
)

// accountOf returns how column name says whether an account is disabled:
// by the first of its keys (its whole name, the name before a bracket, the
// bracketed parts) that says, so that Entra's "Block sign in (Yes/No)
// [accountEnabled]" reads as the words people see.
func accountOf(name string) account {
	for _, k := range aliases(name) {
		switch {
		case strings.Contains(k, "useraccountcontrol"):
			return accountControl
		case containsAny(k, offWords):
			return accountOff
		case containsAny(k, onWords):
			return accountOn
		}
	}
	return accountOff
}

// offWords and onWords are parts of column names that say a yes means
// disabled, or enabled. The words for disabled are looked for first:
// "inactive" holds "active".
var (
	offWords = []string{"disabled", "suspend", "block", "inactiv", "inaktiv", "deactiv", "deaktiv", "gesperrt", "locked"}
	onWords  = []string{"enabled", "active", "activ", "aktiv", "actif", "attivo", "actief"}
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// states holds the values that say the state of an account whatever the
// column: true for disabled, false for enabled. Keys are written as key
// writes them.
var states = map[string]bool{
	"active": false, "enabled": false, "activated": false, "aktiv": false, "actif": false,
	"activo": false, "activa": false, "attivo": false, "actief": false,
	"disabled": true, "suspended": true, "inactive": true, "deactivated": true, "blocked": true, "archived": true,
	"terminated": true, "deleted": true, "deaktiviert": true, "inaktiv": true, "gesperrt": true, "desactive": true,
	"inactif": true, "suspendu": true, "bloque": true, "desactivado": true, "inactivo": true, "suspendido": true,
	"bloqueado": true, "disattivato": true, "sospeso": true, "bloccato": true, "inattivo": true,
	"uitgeschakeld": true, "gedeactiveerd": true, "geblokkeerd": true, "inactief": true,
}

// answers holds the values that answer yes (true) or no (false).
var answers = map[string]bool{
	"true": true, "yes": true, "y": true, "1": true, "x": true, "on": true, "ja": true, "wahr": true, "oui": true, "vrai": true,
	"si": true, "verdadero": true, "vero": true, "waar": true,
	"false": false, "no": false, "n": false, "0": false, "off": false, "nein": false, "falsch": false, "non": false,
	"faux": false, "falso": false, "nee": false, "onwaar": false,
}

// disabled reads value, from a column of kind a named column: whether it
// marks the account disabled. An empty value says nothing, and so does not.
// A value that says neither is an error naming the value and the column.
func (a account) disabled(column, value string) (bool, error) {
	k := key(value)
	if k == "" {
		return false, nil
	}
	if a == accountControl {
		digits, base := k, 10
		if hex, ok := strings.CutPrefix(k, "0x"); ok {
			digits, base = hex, 16
		}
		flags, err := strconv.ParseUint(digits, base, 32)
		if err != nil {
			return false, fmt.Errorf("column %q: %q is not a number: userAccountControl holds the flags of an Active Directory account, of which 2 marks it disabled",
				column, value)
		}
		return flags&2 != 0, nil
	}
	if off, ok := states[k]; ok {
		return off, nil
	}
	if yes, ok := answers[k]; ok {
		return yes == (a == accountOff), nil
	}
	what := "disabled"
	if a == accountOn {
		what = "enabled"
	}
	return false, fmt.Errorf("column %q: %q does not say whether the account is %s: write TRUE or FALSE, or a state such as Active, Disabled or Suspended",
		column, value, what)
}
