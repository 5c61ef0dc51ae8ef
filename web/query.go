package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"allot"
)

// query reads the values of a list page's query. A value the page cannot
// use is an error naming its parameter, the first of which err keeps: the
// page answers it (422, saying what is wrong) instead of guessing or
// failing. An empty or absent value is the zero value.
type query struct {
	url.Values
	err error
}

// readQuery returns the query of r to read.
func readQuery(r *http.Request) *query { return &query{Values: r.URL.Query()} }

// id returns the value of name as the number of a row: a whole number from 1.
func (q *query) id(name string) int64 {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		q.fail(name, v, "a row's number is a whole number from 1")
		return 0
	}
	return n
}

// count returns the value of name as a whole number from 0 to max.
func (q *query) count(name string, max int) int {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > max {
		q.fail(name, v, "a whole number from 0 to "+strconv.Itoa(max))
		return 0
	}
	return n
}

// flag returns whether the value of name is 1; 0 or nothing is no.
func (q *query) flag(name string) bool {
	switch v := q.Get(name); v {
	case "", "0":
		return false
	case "1":
		return true
	default:
		q.fail(name, v, "1 for yes, 0 or nothing for no")
		return false
	}
}

// text returns the value of name trimmed: text to search for, at most
// allot.MaxSearch characters, that a name could hold.
func (q *query) text(name string) string {
	v := strings.TrimSpace(q.Get(name))
	if err := allot.CheckText(name, v, allot.MaxSearch); err != nil {
		q.fail(name, v, allot.ErrorMessage(err))
		return ""
	}
	return v
}

// fail keeps the error of the first value that cannot be used: it names
// the parameter and shows the start of the value.
func (q *query) fail(name, v, why string) {
	if q.err != nil {
		return
	}
	if utf8.RuneCountInString(v) > 20 {
		v = string([]rune(v)[:20]) + "…"
	}
	q.err = allot.Invalid(name, "%s=%s cannot be used: %s", name, strconv.Quote(v), why)
}
