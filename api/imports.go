package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"allot"
	"allot/csvio"
	"allot/directory"

	"github.com/danielgtaylor/huma/v2"
)

// uploadOp registers the upload of a file: the request's body is the file
// itself, of up to directory.MaxImportBytes.
func uploadOp[I, O any](s *Server, h func(context.Context, *I) (*O, error)) func(huma.Operation) {
	return func(o huma.Operation) {
		text := &huma.Schema{Type: "string"}
		o.RequestBody = &huma.RequestBody{
			Description: fmt.Sprintf("The file itself, of at most %d MB: its header names the columns, on the first line or below a "+
				"title or version line (header_line says where it was found); UTF-8 with or without a byte-order mark, UTF-16 or "+
				"Windows-1252; separated by commas, semicolons or tabs.", directory.MaxImportBytes>>20),
			Content: map[string]*huma.MediaType{"text/csv": {Schema: text}, "text/plain": {Schema: text},
				"application/octet-stream": {Schema: &huma.Schema{Type: "string", Format: "binary"}}},
		}
		o.MaxBodyBytes = directory.MaxImportBytes + 1 // huma refuses a body that reaches the limit
		o.BodyReadTimeout = 10 * time.Minute
		op(s, h)(o)
		// huma requires a raw body and answers an empty one 400; the domain
		// answers it 422, saying that the file is empty, as for any other
		// file it cannot read.
		o.RequestBody.Required = false
	}
}

type uploadInput struct {
	ID       int64                `path:"id" minimum:"1"`
	Kind     directory.ImportKind `query:"kind" required:"true" enum:"users,renewals" doc:"users adds and updates the company's users; renewals renews learners whose seat expired."`
	Product  string               `query:"product" maxLength:"40" example:"premium" doc:"renewals: the product to renew."`
	PoolID   int64                `query:"pool_id" minimum:"1" doc:"renewals: the pool to draw from; the pools that expire first when absent."`
	FileName string               `query:"file_name" maxLength:"255" example:"people.csv" doc:"The file's name, to show it again."`
	RawBody  []byte
}

func (s *Server) uploadImport(ctx context.Context, in *uploadInput) (*body[fileImport], error) {
	imp, err := s.dir.UploadImport(ctx, directory.NewImport{CompanyID: in.ID, Kind: in.Kind, ProductCode: in.Product, PoolID: in.PoolID,
		FileName: in.FileName, Data: in.RawBody})
	if err != nil {
		// The file is the body; the other fields are in the query.
		var e *allot.Error
		where := "query"
		if errors.As(err, &e) && e.Field == "file" {
			where = "body"
		}
		return nil, s.problem(ctx, err, where)
	}
	return &body[fileImport]{Body: toImport(imp)}, nil
}

type importsInput struct {
	ID    int64 `path:"id" minimum:"1"`
	Limit int   `query:"limit" minimum:"1" maximum:"100" default:"20" doc:"How many of the latest imports to list. The list has no next page: it is the latest ones only."`
}

// imports answers with a company's latest imports, newest first: a list of
// at most in.Limit, without a cursor, since older imports are of no use to
// carry on with.
func (s *Server) imports(ctx context.Context, in *importsInput) (*listOutput[fileImport], error) {
	is, err := s.dir.Imports(ctx, in.ID, in.Limit)
	return list(is, err, toImport)
}

func (s *Server) getImport(ctx context.Context, in *idInput) (*body[fileImport], error) {
	imp, err := s.dir.Import(ctx, in.ID)
	return one(imp, err, toImport)
}

type previewInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Mapping map[string]string `json:"mapping" example:"{\"email\":\"E-mail Address\",\"first_name\":\"First Name\"}" doc:"For each field (email, required; first_name, last_name, department, manager, external_id, disabled), the name of the file's column that holds it. disabled is a column that says whether the person's account is disabled, such as accountEnabled, Suspended, Status or userAccountControl: a person it marks disabled is added or updated without a seat, and keeps a seat they hold. A renewal maps only the email."`
	}
}

func (s *Server) previewImport(ctx context.Context, in *previewInput) (*body[fileImport], error) {
	imp, err := s.dir.PreviewImport(ctx, in.ID, directory.Mapping(in.Body.Mapping))
	return one(imp, err, toImport)
}

type confirmInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body *struct {
		Welcome bool `json:"welcome,omitempty" doc:"Send each person the import adds a welcome mail with a link to choose their password."`
	}
}

func (s *Server) confirmImport(ctx context.Context, in *confirmInput) (*body[fileImport], error) {
	imp, err := s.dir.ConfirmImport(ctx, in.ID, in.Body != nil && in.Body.Welcome)
	return one(imp, err, toImport)
}

type importRowsInput struct {
	ID       int64               `path:"id" minimum:"1"`
	Action   directory.RowAction `query:"action" enum:"create,update,unchanged,renew,error" doc:"Only the rows that will do this."`
	Disabled bool                `query:"disabled" doc:"Only the rows the file marks disabled."`
	Cursor   string              `query:"cursor" doc:"The next value of the previous page: a line of the file."`
	Limit    int                 `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

func (s *Server) importRows(ctx context.Context, in *importRowsInput) (*listOutput[importRow], error) {
	after, err := cursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	rows, err := s.dir.ImportRows(ctx, directory.ImportRowFilter{ImportID: in.ID, Action: in.Action, Disabled: in.Disabled,
		AfterLine: int(after), Limit: in.Limit})
	return paged(rows, err, in.Limit, func(r directory.ImportRow) int64 { return int64(r.Line) }, toImportRow)
}

// importErrors answers with the rows of an import that change nothing: the
// line, the e-mail and the reason, then the other fields it mapped.
func (s *Server) importErrors(ctx context.Context, in *idInput) (*huma.StreamResponse, error) {
	imp, err := s.dir.Import(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return s.csvFile("import-"+strconv.FormatInt(imp.ID, 10)+"-errors.csv", func(ctx context.Context, w io.Writer) error {
		return csvio.ImportErrors(ctx, s.dir, imp, w)
	}), nil
}
