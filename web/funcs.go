package web

import (
	"fmt"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"allot"
)

// funcs are the helpers templates may call.
var funcs = template.FuncMap{
	// date shows an instant as a day in the viewer's zone; "—" for none.
	"date": func(t time.Time, loc *time.Location) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(loc).Format("2 Jan 2006")
	},
	// datetime shows an instant to the minute in the viewer's zone.
	"datetime": func(t time.Time, loc *time.Location) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(loc).Format("2 Jan 2006 15:04 MST")
	},
	// iso is an instant for a <time datetime> attribute.
	"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	// num writes a count with thousands separated: 12,000.
	"num": num,
	// plural writes a count with its noun: "1 row", "2 rows".
	"plural": plural,
	// megabytes is a size in bytes in whole megabytes.
	"megabytes": func(n int) int { return n >> 20 },
	// percent is part of whole, 0 to 100.
	"percent": func(part, whole int) int {
		if whole <= 0 {
			return 0
		}
		return min(100, part*100/whole)
	},
	// label turns a code (left_company, company_manager) into words.
	"label": labelText,
	// live reports whether a licence with this status still holds a seat.
	"live": func(st allot.Status) bool {
		return st == allot.StatusActive || st == allot.StatusExpiring || st == allot.StatusScheduled
	},
	// offset says in words when a reminder goes out.
	"offset": offsetText,
	// action says in words what an audit event did.
	"action": actionText,
	// importKind names a kind of import; importSummary says what its rows do.
	"importKind":    importKind,
	"importSummary": importSummary,
	// inc is i+1: the number of the row of index i.
	"inc": func(i int) int { return i + 1 },
	// join writes a list of words with sep between them.
	"join": strings.Join,
	// fieldErrors returns the errors of a group of fields: of name, and of
	// each field under it (experiences[0] and experiences[0].days).
	"fieldErrors": fieldErrors,
	// fieldAttrs and fieldError tie a field to its error: the field's
	// aria-invalid and aria-describedby (after the ids of its hints), and
	// the paragraph of the error those name.
	"fieldAttrs": fieldAttrs,
	"fieldError": fieldError,
	"has": func(list []string, s string) bool {
		for _, v := range list {
			if v == s {
				return true
			}
		}
		return false
	},
}

// offsetText says in words when a reminder offset d before the end of
// licences is: "30 days before the end", "72 hours before the end", "on the
// last day". Offsets are written as FormatOffsets writes them: days from a
// week up, hours below.
func offsetText(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d == 0:
		return "on the last day"
	case d%day == 0 && d >= 7*day:
		return fmt.Sprintf("%d days before the end", d/day)
	case d == time.Hour:
		return "1 hour before the end"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours before the end", d/time.Hour)
	}
	return d.String() + " before the end"
}

// num writes n with its thousands separated by commas: 12,000.
func num(n int) string {
	s := strconv.Itoa(n)
	start := 0
	if n < 0 {
		start = 1
	}
	for i := len(s) - 3; i > start; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// plural writes n with the noun one when n is 1 and many otherwise: "1
// row", "12,000 rows".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return num(n) + " " + many
}

// fieldErrors returns the messages of errs about the field name and the
// fields under it, name.something, in the order of their fields' names.
func fieldErrors(errs map[string]string, name string) []string {
	var fields []string
	for f := range errs {
		if f == name || strings.HasPrefix(f, name+".") {
			fields = append(fields, f)
		}
	}
	slices.Sort(fields)
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = errs[f]
	}
	return out
}

// labelText turns a code (left_company, company_manager) into words: "Left
// company"; no status is "no licence".
func labelText(s any) string {
	var str string
	switch v := s.(type) {
	case string:
		str = v
	case allot.Status:
		str = string(v)
	case allot.Role:
		str = string(v)
	case allot.OrderStatus:
		str = string(v)
	case allot.JobStatus:
		str = string(v)
	}
	str = strings.ReplaceAll(str, "_", " ")
	if str == "" {
		return "no licence"
	}
	return strings.ToUpper(str[:1]) + str[1:]
}

// fieldAttrs are the attributes of the form field name: when errs has an
// error for it, aria-invalid, and aria-describedby naming its hints then
// its error. They are empty for a field without hints or error.
func fieldAttrs(errs map[string]string, name string, hints ...string) template.HTMLAttr {
	var attrs string
	ids := hints
	if errs[name] != "" {
		attrs = ` aria-invalid="true"`
		ids = append(ids[:len(ids):len(ids)], name+"-error")
	}
	if len(ids) > 0 {
		attrs += ` aria-describedby="` + html.EscapeString(strings.Join(ids, " ")) + `"`
	}
	return template.HTMLAttr(attrs)
}

// fieldError is the paragraph showing the error errs has for the form
// field name, whose id fieldAttrs names; empty when there is none.
func fieldError(errs map[string]string, name string) template.HTML {
	msg := errs[name]
	if msg == "" {
		return ""
	}
	return template.HTML(`<p class="field-error" id="` + html.EscapeString(name+"-error") + `">` + html.EscapeString(msg) + `</p>`)
}
