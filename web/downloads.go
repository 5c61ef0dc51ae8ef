package web

import (
	"net/http"
	"path"
	"strings"
	"unicode"

	"allot"
	"allot/csvio"
)

// download is a CSV file sent as an attachment. Its headers go out with its
// first byte, so that an error met before any byte is written can still be
// answered with a page.
type download struct {
	w       http.ResponseWriter
	name    string
	started bool
}

func newDownload(w http.ResponseWriter, name string) *download {
	return &download{w: w, name: name}
}

func (d *download) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		csvio.DownloadHeaders(d.name, d.w.Header().Set)
	}
	return d.w.Write(p)
}

// finishDownload answers the error that ended a download: with an error
// page when nothing was sent yet, otherwise by cutting the connection, so
// that a file cut short is never taken for a whole one.
func (s *Server) finishDownload(w http.ResponseWriter, r *http.Request, d *download, err error) {
	switch {
	case err == nil:
		return
	case d.started:
		s.log.Error("download cut short", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	case allot.ErrorCode(err) == allot.EINVALID:
		v := s.page(r, http.StatusText(http.StatusBadRequest), nil)
		v.Errors[""] = allot.ErrorMessage(err)
		s.render(w, http.StatusBadRequest, "error", v)
	default:
		s.fail(w, r, err)
	}
}

// exportUsers downloads the company's users that the users page's filters
// show, with their seats, as CSV safe to open in a spreadsheet.
func (s *Server) exportUsers(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	q := readQuery(r)
	f := s.memberFilter(q)
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	name := []string{slug(c.Name), "users"}
	if st := q.Get("status"); st != "" {
		name = append(name, slug(st))
	}
	name = append(name, s.svc.Clock.Now().In(zone(r)).Format("2006-01-02"))
	out := newDownload(w, strings.Join(name, "-")+".csv")
	s.finishDownload(w, r, out, csvio.ExportMembers(r.Context(), s.svc, c.ID, f, out))
}

// slug writes a name for a file name: lower-case letters and digits, words
// joined by dashes.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(name) {
		switch {
		case unicode.IsLetter(c) || unicode.IsDigit(c):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(c)
			dash = false
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "company"
	}
	return b.String()
}

// importErrors downloads the rows of import {id} that change nothing, each
// with its line, reason and the fields read from it, as safe CSV.
func (s *Server) importErrors(w http.ResponseWriter, r *http.Request) {
	_, imp, ok := s.companyImport(w, r)
	if !ok {
		return
	}
	out := newDownload(w, baseName(imp.FileName)+"-errors.csv")
	s.finishDownload(w, r, out, csvio.ImportErrors(r.Context(), s.dir, imp, out))
}

// baseName is a file's name without its extension, for the name of a file
// made from it.
func baseName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if name = strings.TrimSuffix(name, path.Ext(name)); name == "" || name == "." || name == "/" {
		return "import"
	}
	return name
}
