package mail

import (
	htmltemplate "html/template"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The HTML body says what the text body says, from the same sentences: the
// HTML layout hands every sentence of a page (the greeting, lead, detail,
// quoted message, facts and footer) to blocks, which reads the plain text
// the text layout prints and returns its paragraphs, lists and links as
// values. html/template writes them, so every character of the text is
// escaped and only http and https addresses become links. A new kind's
// wording is written once, in the lang_*.go files, and its HTML comes with
// it.

// block is a paragraph of a text, or a list.
type block struct {
	Lines   [][]run // a paragraph's lines, as the text breaks them
	Items   [][]run // a list's items; nil for a paragraph
	Ordered bool    // the list's items are numbered
}

// run is a piece of a line: plain text, or an address that links to itself.
type run struct {
	Text string
	Href string // the address Text links to; "" for plain text
}

// addressParts returns the pieces of address addr that a line may break
// between: after each "/", "?", "&", "=" and "#" past its "://". The HTML
// layout puts a <wbr> between them, so that a long address wraps at its
// slashes rather than at any letter, and does not widen the mail.
func addressParts(addr string) []string {
	var parts []string
	start := strings.Index(addr, "://") + len("://")
	if start < len("://") {
		start = 0
	}
	for i := start; i < len(addr); i++ {
		if strings.IndexByte("/?&=#", addr[i]) >= 0 && i+1 < len(addr) {
			parts = append(parts, addr[:i+1])
			addr, i = addr[i+1:], -1
		}
	}
	return append(parts, addr)
}

// blocks returns the paragraphs and lists of text s. A blank line ends a
// paragraph; lines starting with "- ", "* " or "• " are the items of a
// list, and lines starting with a number and ". " or ") " those of a
// numbered one; an indented line after an item goes on with it.
func blocks(s string) []block {
	var (
		out []block
		cur *block
	)
	end := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	for _, line := range strings.Split(s, "\n") {
		text := strings.TrimSpace(line)
		item, ordered, isItem := listItem(text)
		switch {
		case text == "":
			end()
		case isItem:
			if cur == nil || cur.Items == nil || cur.Ordered != ordered {
				end()
				cur = &block{Items: [][]run{}, Ordered: ordered}
			}
			cur.Items = append(cur.Items, runs(item))
		case cur != nil && cur.Items != nil && len(cur.Items) > 0 && (line[0] == ' ' || line[0] == '\t'):
			last := len(cur.Items) - 1
			cur.Items[last] = joinRuns(appendText(cur.Items[last], " "), runs(text))
		default:
			if cur != nil && cur.Items != nil {
				end()
			}
			if cur == nil {
				cur = &block{}
			}
			cur.Lines = append(cur.Lines, runs(text))
		}
	}
	end()
	return out
}

// listItem returns the text of line when it is an item of a list, and
// whether the list is numbered.
func listItem(line string) (item string, ordered, ok bool) {
	for _, bullet := range []string{"- ", "* ", "• "} {
		if rest, found := strings.CutPrefix(line, bullet); found && strings.TrimSpace(rest) != "" {
			return strings.TrimSpace(rest), false, true
		}
	}
	digits := strings.IndexFunc(line, func(r rune) bool { return r < '0' || r > '9' })
	if digits < 1 || digits > 3 {
		return "", false, false
	}
	rest := line[digits:]
	if (strings.HasPrefix(rest, ". ") || strings.HasPrefix(rest, ") ")) && strings.TrimSpace(rest[2:]) != "" {
		return strings.TrimSpace(rest[2:]), true, true
	}
	return "", false, false
}

// runs splits a line into plain text and the http and https addresses it
// holds, each of which links to itself. An address ends at a space, at a
// quote or angle bracket, and before the punctuation that closes a sentence
// or a bracket opened before it.
func runs(line string) []run {
	var out []run
	for line != "" {
		at := linkStart(line)
		if at < 0 {
			break
		}
		n := strings.IndexFunc(line[at:], func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(`<>"`, r)
		})
		if n < 0 {
			n = len(line) - at
		}
		addr := trimLink(line[at : at+n])
		if u, err := url.Parse(addr); err != nil || u.Host == "" {
			out = appendText(out, line[:at+n])
			line = line[at+n:]
			continue
		}
		out = appendText(out, line[:at])
		out = append(out, run{Text: addr, Href: addr})
		line = line[at+len(addr):]
	}
	return appendText(out, line)
}

// linkStart returns where the first address of line starts, or -1. An
// address starts with http:// or https:// after a character that is not a
// letter or digit.
func linkStart(line string) int {
	if !strings.Contains(line, "://") {
		return -1
	}
	from := 0
	for {
		i := strings.Index(strings.ToLower(line[from:]), "http")
		if i < 0 {
			return -1
		}
		i += from
		rest := strings.ToLower(line[i:])
		before, _ := utf8.DecodeLastRuneInString(line[:i])
		if (strings.HasPrefix(rest, "https://") || strings.HasPrefix(rest, "http://")) &&
			(i == 0 || !unicode.IsLetter(before) && !unicode.IsDigit(before)) {
			return i
		}
		from = i + len("http")
	}
}

// trimLink takes off the end of addr what closes its sentence rather than
// belongs to it: final punctuation, and a closing bracket it did not open.
func trimLink(addr string) string {
	for {
		last, size := utf8.DecodeLastRuneInString(addr)
		switch {
		case strings.ContainsRune(".,;:!?'’»", last):
		case last == ')' && strings.Count(addr, "(") < strings.Count(addr, ")"):
		case last == ']' && strings.Count(addr, "[") < strings.Count(addr, "]"):
		default:
			return addr
		}
		addr = addr[:len(addr)-size]
	}
}

// joinRuns returns the runs of a followed by those of b, the plain text
// where they meet joined.
func joinRuns(a, b []run) []run {
	for _, r := range b {
		if r.Href == "" {
			a = appendText(a, r.Text)
		} else {
			a = append(a, r)
		}
	}
	return a
}

// appendText adds plain text s to out, joined to the plain text before it.
func appendText(out []run, s string) []run {
	if s == "" {
		return out
	}
	if n := len(out); n > 0 && out[n-1].Href == "" {
		out[n-1].Text += s
		return out
	}
	return append(out, run{Text: s})
}

// htmlFuncs are the functions the HTML layout writes a text with.
var htmlFuncs = htmltemplate.FuncMap{"blocks": blocks, "runs": runs, "parts": addressParts}
