package mail

import (
	"errors"
	"net/textproto"

	gomail "github.com/wneessen/go-mail"
)

// Error is a failure to send a message. It tells the caller whether the same
// message is worth sending again later.
type Error struct {
	// Code is the SMTP reply code when the server refused (421, 451, 550…),
	// 0 when the failure came before any answer.
	Code int
	// Temp is true when a later attempt may succeed: the server could not be
	// reached, the connection broke or timed out, the context ended, or the
	// server answered with a 4xx code. It is false for invalid messages and
	// 5xx answers.
	Temp bool
	Err  error
}

// Error returns the underlying error's text.
func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether sending the same message again later may
// succeed.
func (e *Error) Temporary() bool { return e.Temp }

// Temporary reports whether err, returned by a Sender, is worth retrying.
// Errors that are not an *Error are not.
func Temporary(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Temp
}

// permanent wraps an error that no retry can fix, such as an invalid message.
func permanent(err error) *Error { return &Error{Err: err} }

// classify wraps an error of go-mail or of the network. A server's reply
// decides by its code: 4xx is temporary, 5xx permanent. A message go-mail
// could not even write is permanent. Everything else happened on the way
// (refused or broken connection, timeout, TLS handshake, cancelled context)
// and is temporary, so the message stays queued rather than lost.
func classify(err error) *Error {
	if code := replyCode(err); code >= 400 && code < 600 {
		return &Error{Code: code, Temp: code < 500, Err: err}
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		switch se.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
			return &Error{Err: err}
		}
	}
	return &Error{Temp: true, Err: err}
}

// replyCode returns the SMTP reply code carried by err, or 0.
func replyCode(err error) int {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	return 0
}
