package csvio

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"allot/directory"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// names holds, for each field, the header names that mean it, best first,
// written as key writes them. A header equal to one of them is an exact
// match. The Microsoft Entra sign-in name (userPrincipalName) comes after
// every mail column, so "mail" wins when an export has both.
var names = map[string][]string{
	directory.FieldEmail: {"email", "emailaddress", "mail", "primaryemail", "workemail", "emailadresse",
		"adresseemail", "emailadres", "courriel", "correo", "correoelectronico", "indirizzoemail",
		"userprincipalname", "upn", "username", "login", "signinname"},
	directory.FieldFirstName: {"firstname", "givenname", "first", "forename", "vorname", "prenom", "nombre", "nome", "voornaam"},
	directory.FieldLastName: {"lastname", "surname", "sn", "familyname", "last", "nachname", "nom", "nomdefamille", "apellido", "apellidos",
		"cognome", "achternaam"},
	directory.FieldDepartment: {"department", "dept", "abteilung", "departement", "departamento", "dipartimento", "afdeling", "division",
		"service"},
	directory.FieldManager: {"manager", "manageremail", "managermail", "managerupn", "managerusername",
		"linemanager", "supervisor", "vorgesetzter", "responsable"},
	directory.FieldExternalID: {"externalid", "employeeid", "employeenumber", "personnelnumber", "personalnummer",
		"staffid", "objectid", "id"},
	directory.FieldDisabled: {"accountenabled", "enabled", "disabled", "accountdisabled", "suspended", "useraccountcontrol",
		"blocksignin", "status", "accountstatus", "userstatus", "active", "isactive"},
}

// parts holds, for each field, words that a header containing them likely
// means, and words that rule a header out even so ("Recovery Email" is not
// the user's address). A partial match always ranks below an exact one.
var parts = map[string]struct{ in, out []string }{
	directory.FieldEmail:      {[]string{"email", "mail"}, []string{"manager", "recovery", "secondary", "alternate", "authentication", "other", "personal", "home"}},
	directory.FieldFirstName:  {[]string{"firstname", "givenname", "forename", "vorname", "prenom", "voornaam"}, nil},
	directory.FieldLastName:   {[]string{"lastname", "surname", "familyname", "nachname", "achternaam", "cognome"}, nil},
	directory.FieldDepartment: {[]string{"department", "abteilung", "departement", "departamento", "dipartimento", "afdeling", "dept"}, nil},
	directory.FieldManager:    {[]string{"manager", "supervisor", "vorgesetzte"}, nil},
	directory.FieldExternalID: {[]string{"employeeid", "employeenumber", "externalid", "objectid", "personnelnumber", "staffid"}, nil},
	directory.FieldDisabled: {[]string{"accountenabled", "accountdisabled", "accountstatus", "useraccountcontrol", "suspended"},
		[]string{"date", "time", "reason", "since", "until", "when"}},
}

// exact is the lowest score of an exact match: partial ones score below.
const exact = 500

// emailColumn reports whether one of header's names is an e-mail column's,
// by an exact name only when exactOnly.
func emailColumn(header []string, exactOnly bool) bool {
	least := 1
	if exactOnly {
		least = exact
	}
	for _, h := range header {
		if score(directory.FieldEmail, aliases(h)) >= least {
			return true
		}
	}
	return false
}

// Suggest returns, for each field of directory.ImportFields, the index of the
// header column most likely to hold it, or -1. Exact names beat partial
// ones, earlier names in a field's list beat later ones, and each column
// goes to one field at most. A column whose name the header uses twice is
// never suggested: a mapping names columns by their name.
func Suggest(header []string) map[string]int {
	type match struct {
		field string
		col   int
		score int
	}
	var matches []match
	for col, h := range header {
		if slices.Index(header, h) != col || slices.Contains(header[col+1:], h) {
			continue // named twice: a mapping could not tell the columns apart
		}
		keys := aliases(h)
		for _, f := range directory.ImportFields {
			if s := score(f, keys); s > 0 {
				matches = append(matches, match{f, col, s})
			}
		}
	}
	slices.SortStableFunc(matches, func(a, b match) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.col, b.col))
	})
	got := make(map[string]int, len(directory.ImportFields))
	for _, f := range directory.ImportFields {
		got[f] = -1
	}
	used := make(map[int]bool)
	for _, m := range matches {
		if got[m.field] < 0 && !used[m.col] {
			got[m.field], used[m.col] = m.col, true
		}
	}
	return got
}

// score rates how well a header, written as its keys, names field f: 0 for
// not at all.
func score(f string, keys []string) int {
	best := 0
	for _, k := range keys {
		if i := slices.Index(names[f], k); i >= 0 {
			best = max(best, 1000-i)
		}
		p := parts[f]
		for i, w := range p.in {
			if strings.Contains(k, w) && !slices.ContainsFunc(p.out, func(o string) bool { return strings.Contains(k, o) }) {
				best = max(best, 100-i)
			}
		}
	}
	return best
}

// aliases returns the keys a header may be known by: the whole name, the
// name before any bracket, and each bracketed part, so that Entra's
// "User name [userPrincipalName] Required" is known as "username" and
// "userprincipalname".
func aliases(h string) []string {
	keys := []string{key(h)}
	if i := strings.IndexAny(h, "[("); i > 0 {
		keys = append(keys, key(h[:i]))
	}
	for s := h; ; {
		i := strings.IndexByte(s, '[')
		j := strings.IndexByte(s[max(i, 0):], ']')
		if i < 0 || j < 0 {
			break
		}
		keys = append(keys, key(s[i+1:i+j]))
		s = s[i+j+1:]
	}
	return keys
}

// key writes a header name in the form names are compared in: lower case,
// without accents, a trailing note in brackets or parentheses, a trailing
// "*" (a required mark), spaces, dashes, underscores and dots.
func key(s string) string {
	s = strings.TrimSpace(s)
	for {
		t := strings.TrimSuffix(strings.TrimSpace(s), "*")
		if n := len(t); n > 0 && (t[n-1] == ']' || t[n-1] == ')') {
			if i := strings.LastIndexAny(t, "[("); i > 0 {
				t = t[:i]
			}
		}
		t = strings.TrimSpace(t)
		if t == s {
			break
		}
		s = t
	}
	folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn))), s)
	if err == nil {
		s = folded
	}
	return strings.Map(func(c rune) rune {
		switch c {
		case ' ', '-', '_', '.', '\u00a0':
			return -1
		}
		return unicode.ToLower(c)
	}, s)
}
