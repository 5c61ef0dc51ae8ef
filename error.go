package allot

import (
	"errors"
	"fmt"
)

// Error codes. They are few on purpose: every adapter maps each of them to
// one response (an HTTP status, an exit code) in one table.
const (
	EINVALID      = "invalid"      // the input is wrong; the message says which field and why
	ENOTFOUND     = "not_found"    // no such thing, or it belongs to another tenant
	ECONFLICT     = "conflict"     // the state forbids it now (no free seat, already assigned…)
	EFORBIDDEN    = "forbidden"    // the principal's role may never do this
	EUNAUTHORIZED = "unauthorized" // no principal, or bad credentials
	EINTERNAL     = "internal"     // a bug or an outage; the detail is for the log only
)

// Error is the one error type of allot's domain. Code is one of the E*
// constants; Message is safe to show to the user; Field names the input at
// fault for EINVALID errors, when there is one.
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("allot %s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("allot %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming the field at fault.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns an ENOTFOUND error for a thing of the given kind.
func NotFound(kind string) *Error {
	return &Error{Code: ENOTFOUND, Message: kind + " not found"}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the message of its
// *Error, or a generic text for internal errors, whose detail must not leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "internal error"
}

// Renamed returns err with its field named as names says, when it has one
// there: for a surface whose form or body names a field otherwise than the
// service does.
func Renamed(err error, names map[string]string) error {
	var e *Error
	if errors.As(err, &e) {
		if name, ok := names[e.Field]; ok {
			c := *e
			c.Field = name
			return &c
		}
	}
	return err
}
