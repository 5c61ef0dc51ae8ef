package web

import (
	"html/template"
	"strings"
	"testing"
)

// A field is tied to its error: described by its hint and its error, and
// marked invalid, only when it has one; the error's paragraph has the id
// the field names, and its text is escaped.
func TestFieldAttrsAndError(t *testing.T) {
	page := template.Must(template.New("form").Funcs(funcs).Parse(
		`<input name="email"{{fieldAttrs .Errors "email"}}>{{fieldError .Errors "email"}}` +
			`<textarea name="emails"{{fieldAttrs .Errors "emails" "emails-help"}}></textarea>{{fieldError .Errors "emails"}}`))
	for _, c := range []struct {
		name   string
		errors map[string]string
		want   string
	}{
		{"no error", nil,
			`<input name="email"><textarea name="emails" aria-describedby="emails-help"></textarea>`},
		{"errors", map[string]string{"email": `not an <e-mail> address`, "emails": "no e-mail"},
			`<input name="email" aria-invalid="true" aria-describedby="email-error"><p class="field-error" id="email-error">not an &lt;e-mail&gt; address</p>` +
				`<textarea name="emails" aria-invalid="true" aria-describedby="emails-help emails-error"></textarea><p class="field-error" id="emails-error">no e-mail</p>`},
	} {
		var out strings.Builder
		if err := page.Execute(&out, map[string]any{"Errors": c.errors}); err != nil {
			t.Fatal(err)
		}
		if out.String() != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, out.String(), c.want)
		}
	}
}
