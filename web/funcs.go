package web

import (
	"html/template"
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
	// percent is part of whole, 0 to 100.
	"percent": func(part, whole int) int {
		if whole <= 0 {
			return 0
		}
		return min(100, part*100/whole)
	},
	// label turns a code (left_company, company_manager) into words.
	"label": func(s any) string {
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
		}
		str = strings.ReplaceAll(str, "_", " ")
		if str == "" {
			return "no licence"
		}
		return strings.ToUpper(str[:1]) + str[1:]
	},
	// live reports whether a licence with this status still holds a seat.
	"live": func(st allot.Status) bool {
		return st == allot.StatusActive || st == allot.StatusExpiring || st == allot.StatusScheduled
	},
	// action says in words what an audit event did.
	"action": actionText,
	"has": func(list []string, s string) bool {
		for _, v := range list {
			if v == s {
				return true
			}
		}
		return false
	},
}
