package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"allot"
	"allot/csvio"
	"allot/directory"
)

// The steps of the import wizard, as importData.Step names them.
const (
	stepUpload  = "upload"
	stepMapping = "mapping"
	stepWorking = "working" // a job reads or applies the file
	stepPreview = "preview"
	stepResult  = "result"
)

// importData is what the import wizard's page shows, whatever its step.
type importData struct {
	Company   allot.Company
	Kind      directory.ImportKind
	Step      string
	Import    directory.Import
	Back      string // the page the import belongs to
	Delimiter string // the file's delimiter in words

	// Renewals: the product to renew and the licences to draw from.
	renewalChoice
	PoolID int64  // the pool chosen; 0 for the licences that expire first
	From   string // the licences the seats come from, in words

	Fields      []mappingField        // the mapping form
	Errors      []directory.ImportRow // the first rows with errors
	Disabled    []directory.ImportRow // the first rows the file marks disabled
	Sample      []directory.ImportRow // a few rows that change something
	Total       int                   // the rows to read, as far as known
	MaxBytes    int
	ErrorsShown int

	Recent []directory.Import // the upload form: the company's latest imports, to carry one on
}

// Renewals reports whether the import renews expired learners.
func (d importData) Renewals() bool { return d.Kind == directory.ImportRenewals }

// Working reports whether the page waits for a job.
func (d importData) Working() bool { return d.Step == stepWorking }

// Stage is the wizard's step shown as current, from 1 (upload) to 4 (done).
func (d importData) Stage() int {
	switch {
	case d.Step == stepUpload:
		return 1
	case d.Step == stepMapping:
		return 2
	case d.Step == stepPreview || d.Import.Status == directory.ImportPreviewing:
		return 3
	}
	return 4
}

// Applying reports whether the import's changes are being made.
func (d importData) Applying() bool { return d.Import.Status == directory.ImportApplying }

// Failed reports whether the import's last step failed.
func (d importData) Failed() bool { return d.Import.Status == directory.ImportFailed }

// HeaderNote says which line of the file the header was found on when lines
// above it were skipped, such as a title or a version line; "" when the
// header is the first line.
func (d importData) HeaderNote() string {
	line := d.Import.HeaderLine
	switch {
	case line <= 1:
		return ""
	case line == 2:
		return "The header is on line 2; the line above it was skipped."
	}
	return fmt.Sprintf("The header is on line %d; the %d lines above it were skipped.", line, line-1)
}

// mappingField is one field of the mapping form: which of the file's
// columns holds it.
type mappingField struct {
	Field, Label, Hint string
	Required           bool
	Selected           string // the column chosen or suggested
}

// importFields are the labels of the fields an import maps.
var importFields = map[string][2]string{
	directory.FieldEmail:      {"E-mail", "the address each person signs in with"},
	directory.FieldFirstName:  {"First name", ""},
	directory.FieldLastName:   {"Last name", ""},
	directory.FieldDepartment: {"Department", ""},
	directory.FieldManager:    {"Manager", "who they report to"},
	directory.FieldExternalID: {"External ID", "their ID in your directory or HR system"},
	directory.FieldDisabled: {"Account disabled", "a column such as accountEnabled, Suspended or Status: " +
		"people it marks disabled are added or updated without a seat"},
}

// importPath is the page of import id.
func importPath(id int64) string { return "/company/imports/" + strconv.FormatInt(id, 10) }

// backTo is the page an import of kind starts from, and the menu entry its
// pages sit under: the users, or the expired licences (of the product).
func backTo(kind directory.ImportKind, productCode string) string {
	if kind == directory.ImportRenewals {
		return linkTo("/company/expired", nil, "product", productCode)
	}
	return "/company/users"
}

// recentImports is how many of a company's latest imports the upload form
// lists.
const recentImports = 10

// importKind names a kind of import in the list of recent ones.
func importKind(k directory.ImportKind) string {
	if k == directory.ImportRenewals {
		return "Renewal"
	}
	return "Users"
}

// importSummary says in a few words what an import's rows do: what was done
// once it is applied, what the preview found before; "—" before a preview.
func importSummary(imp directory.Import) string {
	n, done := imp.Counts, imp.Status == directory.ImportApplied
	switch {
	case imp.Status == directory.ImportPreviewing:
		return fmt.Sprintf("%d%% read", imp.Percent())
	case imp.Status == directory.ImportUploaded || n.Rows == 0:
		return "—"
	}
	var parts []string
	add := func(count int, applied, previewed string) {
		if count == 0 {
			return
		}
		if done {
			parts = append(parts, num(count)+" "+applied)
		} else {
			parts = append(parts, num(count)+" "+previewed)
		}
	}
	if imp.Kind == directory.ImportRenewals {
		renewed := " to renew"
		if done {
			renewed = " renewed"
		}
		parts = append(parts, num(n.Renew)+renewed)
		add(n.Errors, "not", "not")
		return strings.Join(parts, ", ")
	}
	add(n.Create, "created", "to create")
	add(n.Update, "updated", "to update")
	add(n.Unchanged, "unchanged", "unchanged")
	if n.Errors > 0 {
		parts = append(parts, plural(n.Errors, "error", "errors"))
	}
	if len(parts) == 0 {
		return "no rows"
	}
	return strings.Join(parts, ", ")
}

// usersImport is the upload form of a users import.
func (s *Server) usersImport(w http.ResponseWriter, r *http.Request) {
	s.renderUpload(w, r, directory.ImportUsers, nil)
}

// renewalsImport is the upload form of a renewal by file, for the product
// (and pool) of the query.
func (s *Server) renewalsImport(w http.ResponseWriter, r *http.Request) {
	s.renderUpload(w, r, directory.ImportRenewals, nil)
}

func (s *Server) renderUpload(w http.ResponseWriter, r *http.Request, kind directory.ImportKind, formErr error) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	recent, err := s.dir.Imports(r.Context(), c.ID, recentImports)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := importData{Company: c, Kind: kind, Step: stepUpload, MaxBytes: directory.MaxImportBytes, Back: backTo(kind, ""), Recent: recent}
	title := "Import users"
	if kind == directory.ImportRenewals {
		choice, err := s.renewalChoice(r, c, r.FormValue("product"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		data.renewalChoice, data.PoolID = choice, formInt(r, "pool_id")
		data.Back, title = backTo(kind, choice.Product.Code), "Renew by CSV"
	}
	v := s.page(r, title, data)
	v.Path = backTo(kind, "")
	s.renderForm(w, r, "company_import", v, formErr)
}

// createImport keeps an uploaded file and leads to the choice of its
// columns.
func (s *Server) createImport(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	name, data, err := readUpload(r)
	kind := directory.ImportKind(r.PostForm.Get("kind"))
	if kind != directory.ImportRenewals {
		kind = directory.ImportUsers
	}
	if err != nil {
		s.renderUpload(w, r, kind, err)
		return
	}
	in := directory.NewImport{CompanyID: c.ID, Kind: directory.ImportKind(r.PostForm.Get("kind")), ProductCode: r.PostForm.Get("product"),
		PoolID: formInt(r, "pool_id"), FileName: name, Data: data}
	imp, err := s.dir.UploadImport(r.Context(), in)
	if err != nil {
		s.renderUpload(w, r, kind, err)
		return
	}
	msg := imp.FileName + " was uploaded. Choose the columns to import; nothing changes until you confirm."
	if imp.Kind == directory.ImportRenewals {
		msg = imp.FileName + " was uploaded. Choose the column that holds the e-mail; nothing changes until you confirm."
	}
	s.done(w, r, importPath(imp.ID), msg)
}

// readUpload reads a multipart form with a file in its field "file", of at
// most directory.MaxImportBytes, into r.PostForm and the name and contents of
// the file. Its errors are for the field "file".
func readUpload(r *http.Request) (name string, data []byte, err error) {
	form := url.Values{}
	defer func() {
		r.PostForm, r.Form = form, r.URL.Query()
		for k, vs := range form {
			r.Form[k] = append(r.Form[k], vs...)
		}
	}()
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, allot.Invalid("file", "choose a file to upload")
	}
	chosen := false
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		switch {
		case err == io.EOF:
			if !chosen {
				return "", nil, allot.Invalid("file", "choose a file to upload")
			}
			return name, data, nil
		case err != nil || parts > 20:
			return "", nil, allot.Invalid("file", "the upload was cut short; try again")
		case p.FormName() == "file":
			name, chosen = p.FileName(), p.FileName() != ""
			data, err = io.ReadAll(io.LimitReader(p, directory.MaxImportBytes+1))
			if err != nil {
				return "", nil, allot.Invalid("file", "the upload was cut short; try again")
			}
			if len(data) > directory.MaxImportBytes {
				// Read on, up to a limit, so that the browser gets the
				// answer instead of a broken connection.
				io.Copy(io.Discard, io.LimitReader(p, directory.MaxImportBytes))
				return "", nil, allot.Invalid("file", "the file is larger than %d MB, the most one import reads: split it into smaller files",
					directory.MaxImportBytes>>20)
			}
		case p.FormName() != "":
			value, err := io.ReadAll(io.LimitReader(p, 1024))
			if err != nil {
				return "", nil, allot.Invalid("file", "the upload was cut short; try again")
			}
			form.Add(p.FormName(), string(value))
		}
	}
}

// companyImport returns the company a page is about and its import {id}:
// 404 for an import of any other company.
func (s *Server) companyImport(w http.ResponseWriter, r *http.Request) (allot.Company, directory.Import, bool) {
	c, ok := s.managed(w, r)
	if !ok {
		return c, directory.Import{}, false
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	imp, err := s.dir.Import(r.Context(), id)
	if err == nil && imp.CompanyID != c.ID {
		err = allot.NotFound("import") // a partner's other customer
	}
	if err != nil {
		s.fail(w, r, err)
		return c, imp, false
	}
	return c, imp, true
}

// importPage shows the step import {id} is at.
func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	c, imp, ok := s.companyImport(w, r)
	if !ok {
		return
	}
	s.renderImport(w, r, c, imp, "", nil)
}

// renderImport renders the page of imp at step, or at the step it is at
// when step is empty, with formErr next to its field.
func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, c allot.Company, imp directory.Import, step string, formErr error) {
	data, err := s.importData(r, c, imp, step)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Import users"
	if imp.Kind == directory.ImportRenewals {
		title = "Renew by CSV"
	}
	v := s.page(r, title, data)
	v.Path = backTo(imp.Kind, "")
	s.renderForm(w, r, "company_import", v, formErr)
}

// importData gathers what the page of imp shows at step.
func (s *Server) importData(r *http.Request, c allot.Company, imp directory.Import, step string) (importData, error) {
	ctx := r.Context()
	d := importData{Company: c, Kind: imp.Kind, Import: imp, Step: step, Back: backTo(imp.Kind, ""),
		Delimiter: csvio.DelimiterName(imp.Delimiter), Total: max(imp.Total, imp.Done), PoolID: imp.PoolID, MaxBytes: directory.MaxImportBytes}
	if d.Step == "" {
		switch imp.Status {
		case directory.ImportPreviewing, directory.ImportApplying:
			d.Step = stepWorking
		case directory.ImportPreviewed:
			d.Step = stepPreview
			if r.URL.Query().Get("change") == "1" {
				d.Step = stepMapping
			}
		case directory.ImportApplied:
			d.Step = stepResult
		default:
			d.Step = stepMapping
		}
	}
	if imp.Kind == directory.ImportRenewals {
		byID, _, err := s.products(r)
		if err != nil {
			return d, err
		}
		d.Product = byID[imp.ProductID]
		d.Back = backTo(imp.Kind, d.Product.Code)
		d.From = "the licences that expire first"
		if imp.PoolID != 0 {
			pools, err := s.svc.Pools(ctx, c.ID)
			if err != nil {
				return d, err
			}
			for _, p := range pools {
				if p.ID == imp.PoolID {
					d.From = "the licences until " + p.EndsAt.In(zone(r)).Format("2 Jan 2006")
				}
			}
		}
	}
	switch d.Step {
	case stepMapping:
		d.Fields = mappingFields(r, imp)
	case stepPreview, stepResult:
		var err error
		if d.Errors, err = s.dir.ImportRows(ctx, directory.ImportRowFilter{ImportID: imp.ID, Action: directory.RowError, Limit: 100}); err != nil {
			return d, err
		}
		d.ErrorsShown = len(d.Errors)
		if imp.Kind == directory.ImportUsers && imp.Mapping[directory.FieldDisabled] != "" {
			if d.Disabled, err = s.dir.ImportRows(ctx, directory.ImportRowFilter{ImportID: imp.ID, Disabled: true, Limit: 10}); err != nil {
				return d, err
			}
		}
		actions := []directory.RowAction{directory.RowCreate, directory.RowUpdate}
		if imp.Kind == directory.ImportRenewals {
			actions = []directory.RowAction{directory.RowRenew}
		}
		for _, a := range actions {
			rows, err := s.dir.ImportRows(ctx, directory.ImportRowFilter{ImportID: imp.ID, Action: a, Limit: 10})
			if err != nil {
				return d, err
			}
			d.Sample = append(d.Sample, rows...)
		}
		slices.SortFunc(d.Sample, func(a, b directory.ImportRow) int { return a.Line - b.Line })
	}
	return d, nil
}

// mappingFields are the fields imp maps, each with the column chosen: the
// one just sent, or chosen before, or suggested.
func mappingFields(r *http.Request, imp directory.Import) []mappingField {
	chosen := imp.Suggested
	if len(imp.Mapping) > 0 {
		chosen = imp.Mapping
	}
	fields := imp.Kind.Fields()
	out := make([]mappingField, len(fields))
	for i, f := range fields {
		out[i] = mappingField{Field: f, Label: importFields[f][0], Hint: importFields[f][1], Required: f == directory.FieldEmail,
			Selected: chosen[f]}
		if sent, ok := r.PostForm["mapping."+f]; ok {
			out[i].Selected = sent[0]
		}
	}
	return out
}

// previewImport reads the file with the columns chosen, in a job.
func (s *Server) previewImport(w http.ResponseWriter, r *http.Request) {
	c, imp, ok := s.companyImport(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	m := directory.Mapping{}
	for _, f := range mappingFields(r, imp) {
		if col := r.PostForm.Get("mapping." + f.Field); col != "" {
			m[f.Field] = col
		}
	}
	if _, err := s.dir.PreviewImport(r.Context(), imp.ID, m); err != nil {
		if s.sentTwice(w, r, imp.ID, err, directory.ImportPreviewing) {
			return
		}
		step := stepMapping
		if allot.ErrorCode(err) == allot.ECONFLICT {
			step = "" // the import went on meanwhile: show where it is
		}
		s.renderImport(w, r, c, imp, step, err)
		return
	}
	s.done(w, r, importPath(imp.ID), "Columns chosen. Nothing changes until you confirm the preview.")
}

// confirmImport applies the import as previewed, in a job.
func (s *Server) confirmImport(w http.ResponseWriter, r *http.Request) {
	c, imp, ok := s.companyImport(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	if _, err := s.dir.ConfirmImport(r.Context(), imp.ID, r.PostForm.Get("welcome") != ""); err != nil {
		if s.sentTwice(w, r, imp.ID, err, directory.ImportApplying, directory.ImportApplied) {
			return
		}
		s.renderImport(w, r, c, imp, "", err)
		return
	}
	msg := fmt.Sprintf("Import of %s confirmed.", imp.FileName)
	if imp.Kind == directory.ImportRenewals {
		msg = "Renewal of " + plural(imp.Counts.Renew, "learner", "learners") + " confirmed."
	}
	s.done(w, r, importPath(imp.ID), msg)
}

// sentTwice answers a form sent a second time, by a double click or a
// reload: when err is a conflict and the import is now in one of the
// statuses the first sending led to, it leads to the import's page.
func (s *Server) sentTwice(w http.ResponseWriter, r *http.Request, id int64, err error, after ...directory.ImportStatus) bool {
	if allot.ErrorCode(err) != allot.ECONFLICT {
		return false
	}
	imp, ierr := s.dir.Import(r.Context(), id)
	if ierr != nil || !slices.Contains(after, imp.Status) {
		return false
	}
	http.Redirect(w, r, importPath(id), http.StatusSeeOther)
	return true
}
