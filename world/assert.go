package world

import (
	"errors"
	"testing"

	"allot"
)

// Must returns a function that fails the test on err and returns v:
// Must(svc.Call(…))(t).
func Must[T any](v T, err error) func(t testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// Must2 is Must for calls that return two values and an error.
func Must2[T, U any](v T, w U, err error) func(t testing.TB) (T, U) {
	return func(t testing.TB) (T, U) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v, w
	}
}

// WantError fails the test unless err has the code want ("" for no error)
// and, when field is not empty, names that field.
func WantError(t testing.TB, err error, want, field string) {
	t.Helper()
	if got := allot.ErrorCode(err); got != want {
		t.Fatalf("error code = %q, want %q (error: %v)", got, want, err)
	}
	if field == "" {
		return
	}
	if got := FieldOf(err); got != field {
		t.Fatalf("error %v names field %q, want %q", err, got, field)
	}
}

// FieldOf returns the field an *allot.Error in err's chain names.
func FieldOf(err error) string {
	var e *allot.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// Emails returns the users' e-mails, in order.
func Emails(us []allot.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Email
	}
	return out
}
