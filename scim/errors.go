package scim

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"allot"
)

// Error is a SCIM error (RFC 7644 section 3.12): an HTTP status, a
// scimType for some 400s and 409s, and a detail safe to show.
type Error struct {
	Status int
	Type   string
	Detail string
}

func (e *Error) Error() string {
	if e.Type != "" {
		return "scim " + strconv.Itoa(e.Status) + " " + e.Type + ": " + e.Detail
	}
	return "scim " + strconv.Itoa(e.Status) + ": " + e.Detail
}

// statuses maps each of allot's error codes to the SCIM surface's status
// and scimType: the one table of this surface.
var statuses = map[string]Error{
	allot.EINVALID:      {Status: http.StatusBadRequest, Type: "invalidValue"},
	allot.ENOTFOUND:     {Status: http.StatusNotFound},
	allot.ECONFLICT:     {Status: http.StatusConflict, Type: "uniqueness"},
	allot.EFORBIDDEN:    {Status: http.StatusForbidden},
	allot.EUNAUTHORIZED: {Status: http.StatusUnauthorized},
	allot.EINTERNAL:     {Status: http.StatusInternalServerError},
}

// scimError returns err as a SCIM error: itself when it is one, else by
// its allot code. An internal error's detail goes to the log, never to the
// client.
func scimError(err error, log *slog.Logger) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	code := allot.ErrorCode(err)
	out := statuses[code]
	out.Detail = allot.ErrorMessage(err)
	if code == allot.EINTERNAL {
		log.Error("scim: internal error", "err", err)
	}
	return &out
}

// writeError writes err as a SCIM error response.
func writeError(w http.ResponseWriter, err error, log *slog.Logger) {
	e := scimError(err, log)
	body := map[string]any{"schemas": []string{errorSchema}, "status": strconv.Itoa(e.Status), "detail": e.Detail}
	if e.Type != "" {
		body["scimType"] = e.Type
	}
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="allot SCIM"`)
	}
	writeJSON(w, e.Status, body)
}

// writeJSON writes v as a SCIM response with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code, b = http.StatusInternalServerError, []byte(`{"schemas":["`+errorSchema+`"],"status":"500","detail":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/scim+json; charset=utf-8")
	w.WriteHeader(code)
	w.Write(b)
}

// Errors of the protocol, by RFC 7644's scimType.
func invalidFilter(detail string) *Error {
	return &Error{Status: http.StatusBadRequest, Type: "invalidFilter", Detail: detail}
}

func invalidPath(detail string) *Error {
	return &Error{Status: http.StatusBadRequest, Type: "invalidPath", Detail: detail}
}

func invalidSyntax(detail string) *Error {
	return &Error{Status: http.StatusBadRequest, Type: "invalidSyntax", Detail: detail}
}

func noTarget(detail string) *Error {
	return &Error{Status: http.StatusBadRequest, Type: "noTarget", Detail: detail}
}

func mutability(detail string) *Error {
	return &Error{Status: http.StatusBadRequest, Type: "mutability", Detail: detail}
}

func notFound(k *kind, id string) *Error {
	return &Error{Status: http.StatusNotFound, Detail: k.Name + " " + id + " not found"}
}
