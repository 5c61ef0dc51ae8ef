// Package articles is the help centre's starter set: articles written for
// allot itself, one Markdown file each, with a small front matter naming
// its title and audiences:
//
//	---
//	title: Allocating seats
//	audiences: company_managers, partner_managers
//	---
//	The text, in Markdown.
package articles

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

//go:embed *.md
var files embed.FS

// Article is one article of the starter set.
type Article struct {
	Name      string // its file's name
	Title     string
	Audiences []string // company_managers, partner_managers, members
	Body      string   // Markdown
}

// All returns the starter set, in the order of its files' names.
func All() ([]Article, error) {
	names, err := fs.Glob(files, "*.md")
	if err != nil {
		return nil, err
	}
	out := make([]Article, 0, len(names))
	for _, name := range names {
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		a, err := parse(string(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		a.Name = name
		out = append(out, a)
	}
	return out, nil
}

// parse reads a file of the starter set: its front matter between two
// lines of three dashes, then its body.
func parse(file string) (Article, error) {
	rest, ok := strings.CutPrefix(strings.ReplaceAll(file, "\r\n", "\n"), "---\n")
	if !ok {
		return Article{}, fmt.Errorf("no front matter")
	}
	front, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		return Article{}, fmt.Errorf("the front matter does not end")
	}
	a := Article{Body: strings.TrimSpace(body)}
	for line := range strings.SplitSeq(front, "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return Article{}, fmt.Errorf("a line of the front matter is no key: value: %q", line)
		}
		switch value = strings.TrimSpace(value); strings.TrimSpace(key) {
		case "title":
			if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
				value = value[1 : len(value)-1] // quoted, as a title holding a colon may be
			}
			a.Title = value
		case "audiences":
			for aud := range strings.SplitSeq(value, ",") {
				a.Audiences = append(a.Audiences, strings.TrimSpace(aud))
			}
		default:
			return Article{}, fmt.Errorf("unknown key %q in the front matter", key)
		}
	}
	if a.Title == "" || len(a.Audiences) == 0 || a.Body == "" {
		return Article{}, fmt.Errorf("a title, audiences and a text are required")
	}
	return a, nil
}
