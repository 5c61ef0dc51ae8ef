package mail

import (
	"reflect"
	"testing"
)

// TestBlocks checks how a plain text reads as HTML: paragraphs at blank
// lines, lines kept apart, lists, and addresses as links without the
// punctuation after them.
func TestBlocks(t *testing.T) {
	t.Parallel()
	text := func(s string) []run { return []run{{Text: s}} }
	tests := []struct {
		name string
		in   string
		want []block
	}{
		{"one paragraph", "Hello Ana,", []block{{Lines: [][]run{text("Hello Ana,")}}}},
		{"paragraphs and lines", "One\ntwo\r\n\r\n\nThree", []block{
			{Lines: [][]run{text("One"), text("two")}}, {Lines: [][]run{text("Three")}}}},
		{"a list between paragraphs", "Steps:\n- sign in\n* choose\n  a product\n• done\nThanks", []block{
			{Lines: [][]run{text("Steps:")}},
			{Items: [][]run{text("sign in"), text("choose a product"), text("done")}},
			{Lines: [][]run{text("Thanks")}}}},
		{"a numbered list", "1. first\n2) second\n- other", []block{
			{Items: [][]run{text("first"), text("second")}, Ordered: true},
			{Items: [][]run{text("other")}}}},
		{"not a list", "-5 degrees\n2026. A year", []block{{Lines: [][]run{text("-5 degrees"), text("2026. A year")}}}},
		{"links", "See https://a.example/x?y=1&z=2. Or (http://b.example/p_(1)), <https://c.example>", []block{{Lines: [][]run{{
			{Text: "See "}, {Text: "https://a.example/x?y=1&z=2", Href: "https://a.example/x?y=1&z=2"},
			{Text: ". Or ("}, {Text: "http://b.example/p_(1)", Href: "http://b.example/p_(1)"},
			{Text: "), <"}, {Text: "https://c.example", Href: "https://c.example"}, {Text: ">"}}}}}},
		{"no link", "xhttps://a.example, https://, javascript:alert(1)", []block{{Lines: [][]run{
			text("xhttps://a.example, https://, javascript:alert(1)")}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := blocks(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("blocks(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
			}
		})
	}
}

// TestAddressParts checks where a long address may break: after its
// slashes and the separators of its query, never inside its scheme.
func TestAddressParts(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"https://a.example":                 {"https://a.example"},
		"https://a.example/":                {"https://a.example/"},
		"https://a.example/x/y?z=1&w=2#top": {"https://a.example/", "x/", "y?", "z=", "1&", "w=", "2#", "top"},
		"plain":                             {"plain"},
	} {
		if got := addressParts(in); !reflect.DeepEqual(got, want) {
			t.Errorf("addressParts(%q) = %q, want %q", in, got, want)
		}
	}
}
