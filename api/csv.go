package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"allot/csvio"

	"github.com/danielgtaylor/huma/v2"
)

// csvOp registers a handler that answers with a CSV file: the operation's
// success is documented as text/csv instead of JSON.
func csvOp[I any](s *Server, h func(context.Context, *I) (*huma.StreamResponse, error)) func(huma.Operation) {
	return func(o huma.Operation) {
		o.Responses = map[string]*huma.Response{"200": {
			Description: "A CSV file: UTF-8 with a byte-order mark, comma-separated, CRLF line ends. A cell that would start " +
				"with = + - @ or a tab is prefixed with a single quote, so that no spreadsheet reads it as a formula.",
			Headers: map[string]*huma.Param{"Content-Disposition": {Schema: &huma.Schema{Type: "string"},
				Description: "attachment, with the file's name.", Example: `attachment; filename=users.csv`}},
			Content: map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: "string"}}},
		}}
		op(s, h)(o)
	}
}

// csvFile answers with a CSV file named name that write writes as it reads,
// so that a large file is never held whole. Check what can be refused
// before: an error before the first byte is still answered as a problem,
// but after it the status has gone, and the connection is cut so that the
// client cannot take a partial file for a whole one.
func (s *Server) csvFile(name string, write func(context.Context, io.Writer) error) *huma.StreamResponse {
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		ctx := hc.Context()
		w := &lazyWriter{open: func() io.Writer {
			csvio.DownloadHeaders(name, hc.SetHeader)
			hc.SetStatus(http.StatusOK)
			return hc.BodyWriter()
		}}
		err := write(ctx, w)
		switch {
		case err == nil && w.w == nil:
			w.open() // an empty file
		case err == nil:
		case w.w == nil:
			var p *Problem
			if errors.As(s.problem(ctx, err, "query"), &p) {
				hc.SetHeader("Content-Type", "application/problem+json")
				hc.SetStatus(p.Status)
				json.NewEncoder(hc.BodyWriter()).Encode(p)
			}
		default:
			if !errors.Is(err, context.Canceled) {
				s.log.ErrorContext(ctx, "file cut short", "file", name, "err", err)
			}
			panic(http.ErrAbortHandler)
		}
	}}
}

// lazyWriter opens the writer it writes to with its first write.
type lazyWriter struct {
	open func() io.Writer
	w    io.Writer
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	if l.w == nil {
		l.w = l.open()
	}
	return l.w.Write(p)
}
