package api

import (
	"context"
	"errors"
	"net/http"

	"allot"

	"github.com/danielgtaylor/huma/v2"
)

// statusOf is the one table from allot's error codes to HTTP statuses.
var statusOf = map[string]int{
	allot.EINVALID:      http.StatusUnprocessableEntity,
	allot.ENOTFOUND:     http.StatusNotFound,
	allot.ECONFLICT:     http.StatusConflict,
	allot.EFORBIDDEN:    http.StatusForbidden,
	allot.EUNAUTHORIZED: http.StatusUnauthorized,
	allot.EINTERNAL:     http.StatusInternalServerError,
}

// codeOf is the stable code of a response status, for the errors that huma
// itself answers (validation, body size, unknown content type).
func codeOf(status int) string {
	for code, s := range statusOf {
		if s == status {
			return code
		}
	}
	switch {
	case status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge || status == http.StatusUnsupportedMediaType:
		return allot.EINVALID
	case status == http.StatusTooManyRequests:
		return "rate_limited"
	case status >= 500:
		return allot.EINTERNAL
	}
	return "error"
}

// Problem is an RFC 9457 problem detail with allot's stable error code.
type Problem struct {
	huma.ErrorModel
	Code string `json:"code" enum:"invalid,not_found,conflict,forbidden,unauthorized,internal,rate_limited,error" doc:"A stable code for the kind of problem."`
}

// newProblem makes every error huma writes a Problem; it is installed as
// huma.NewError when the server is made.
func newProblem(status int, msg string, errs ...error) huma.StatusError {
	p := &Problem{ErrorModel: huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: msg}, Code: codeOf(status)}
	for _, err := range errs {
		if err != nil {
			p.Add(err)
		}
	}
	return p
}

// problem turns an error of the domain into the Problem sent to the client;
// the field at fault is located in the request's in (body or query).
// Internal errors are logged and answered with a generic body.
func (s *Server) problem(ctx context.Context, err error, in string) error {
	code := allot.ErrorCode(err)
	status := statusOf[code]
	if code == allot.EINTERNAL {
		if errors.Is(err, context.Canceled) {
			s.log.DebugContext(ctx, "client went away", "err", err) // nobody reads the answer
		} else {
			s.log.ErrorContext(ctx, "request failed", "err", err)
		}
		return &Problem{ErrorModel: huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: "internal error"}, Code: code}
	}
	var e *allot.Error
	errors.As(err, &e)
	p := &Problem{ErrorModel: huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: e.Message}, Code: code}
	if e.Field != "" {
		p.Errors = []*huma.ErrorDetail{{Message: e.Message, Location: in + "." + e.Field}}
	}
	return p
}

// WriteProblem writes a Problem outside huma (in middleware).
func WriteProblem(w http.ResponseWriter, status int, detail string, header http.Header) {
	for k, v := range header {
		w.Header()[k] = v
	}
	writeJSONType(w, "application/problem+json", status, &Problem{
		ErrorModel: huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: detail}, Code: codeOf(status)})
}
