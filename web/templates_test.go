package web_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// inline matches what the Content-Security-Policy refuses in a page: a
// script or a style element without a source, a style attribute, an event
// handler attribute, or a javascript: address.
var inline = regexp.MustCompile(`(?i)<script(\s[^>]*)?>\s*[^<\s]|<style[\s>]|\sstyle\s*=|\son[a-z]+\s*=|javascript:`)

// TestTemplatesHoldNothingInline checks every template and static file of
// the dashboard for what the Content-Security-Policy would refuse, so that
// a page never relies on it.
func TestTemplatesHoldNothingInline(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("templates", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, loc := range inline.FindAllIndex(b, -1) {
			line := 1 + bytes.Count(b[:loc[0]], []byte("\n"))
			t.Errorf("%s:%d: %q is refused by the Content-Security-Policy: move it to static/", name, line, b[loc[0]:loc[1]])
		}
	}
}
