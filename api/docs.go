package api

import (
	"cmp"
	"html/template"
	"io"
	"net/http"
	"slices"

	"github.com/danielgtaylor/huma/v2"
)

// docs serves a page describing every operation of the API, made from the
// OpenAPI document itself, with nothing loaded from elsewhere.
func (s *Server) docs(w http.ResponseWriter, r *http.Request) {
	type param struct {
		Name, In, Description string
		Required              bool
	}
	type operation struct {
		ID, Method, Path, Summary, Body string
		Params                          []param
		Statuses                        []string
	}
	type group struct {
		Tag        string
		Operations []operation
	}
	doc := s.API.OpenAPI()
	var groups []group
	for path, item := range doc.Paths {
		for method, o := range map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "PATCH": item.Patch, "DELETE": item.Delete} {
			if o == nil {
				continue
			}
			op := operation{ID: o.OperationID, Method: method, Path: path, Summary: o.Summary}
			for _, p := range o.Parameters {
				op.Params = append(op.Params, param{p.Name, p.In, p.Description, p.Required})
			}
			if o.RequestBody != nil {
				if c := o.RequestBody.Content["application/json"]; c != nil && c.Schema != nil {
					op.Body = c.Schema.Ref
				}
			}
			for status := range o.Responses {
				op.Statuses = append(op.Statuses, status)
			}
			slices.Sort(op.Statuses)
			tag := "Other"
			if len(o.Tags) > 0 {
				tag = o.Tags[0]
			}
			i := slices.IndexFunc(groups, func(g group) bool { return g.Tag == tag })
			if i < 0 {
				groups = append(groups, group{Tag: tag})
				i = len(groups) - 1
			}
			groups[i].Operations = append(groups[i].Operations, op)
		}
	}
	slices.SortFunc(groups, func(a, b group) int { return cmp.Compare(a.Tag, b.Tag) })
	for _, g := range groups {
		slices.SortFunc(g.Operations, func(a, b operation) int {
			return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Method, b.Method))
		})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := docsPage.Execute(w, map[string]any{"Info": doc.Info, "Groups": groups}); err != nil {
		s.log.Error("docs page", "err", err)
	}
}

// docsCSS serves the docs page's style: a file of its own, as the
// Content-Security-Policy allows no style inline.
func docsCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	io.WriteString(w, docsStyle)
}

const docsStyle = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
h2{margin-top:2.5rem;border-bottom:1px solid #dde}
.op{margin:1.2rem 0;padding:.6rem .9rem;border-left:4px solid #8aa;background:#f7f8fa}
.m{font-weight:700;display:inline-block;min-width:4.2rem}
.GET{color:#176}.POST{color:#153}.PATCH{color:#740}.DELETE{color:#911}
code{font-family:ui-monospace,monospace}
table{border-collapse:collapse;margin:.4rem 0}td{padding:.1rem .6rem .1rem 0;vertical-align:top}
.muted{color:#667}
`

var docsPage = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Info.Title}} API</title>
<link rel="stylesheet" href="/docs.css"></head><body>
<h1>{{.Info.Title}} API <span class="muted">{{.Info.Version}}</span></h1>
<p>{{.Info.Description}}</p>
<p>The machine-readable description: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are
<code>application/problem+json</code> with a stable <code>code</code>: invalid, not_found, conflict, forbidden,
unauthorized, internal, rate_limited.</p>
{{range .Groups}}<h2>{{.Tag}}</h2>
{{range .Operations}}<div class="op" id="{{.ID}}"><div><span class="m {{.Method}}">{{.Method}}</span> <code>{{.Path}}</code></div>
<div>{{.Summary}}</div>
{{if .Params}}<table>{{range .Params}}<tr><td><code>{{.Name}}</code></td><td class="muted">{{.In}}{{if .Required}}, required{{end}}</td><td>{{.Description}}</td></tr>{{end}}</table>{{end}}
{{if .Body}}<div class="muted">Body: <code>{{.Body}}</code></div>{{end}}
<div class="muted">Answers: {{range $i, $s := .Statuses}}{{if $i}}, {{end}}{{$s}}{{end}}</div></div>
{{end}}{{end}}
</body></html>
`))
