package csvio_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"allot/csvio"
)

// TestMaxBytes checks that a file over the size limit is refused with an
// error naming the limit.
func TestMaxBytes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		size int
		opt  csvio.Options
		want string // "": accepted
	}{
		{"default limit, just over", csvio.DefaultMaxBytes + 1, csvio.Options{}, "the file is larger than the limit of 50 MB"},
		{"default limit, well over", 61 << 20, csvio.Options{}, "the file is 61 MB, larger than the limit of 50 MB"},
		{"default limit, at it", csvio.DefaultMaxBytes, csvio.Options{}, ""},
		{"own limit", 3 << 10, csvio.Options{MaxBytes: 2 << 10}, "the file is 3 KB, larger than the limit of 2 KB"},
		{"own limit, at it", 2 << 10, csvio.Options{MaxBytes: 2 << 10}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte("email\n" + strings.Repeat("x", tc.size-len("email\n")))
			_, err := csvio.NewReader(data, tc.opt)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// TestMaxRows checks that the row after the last allowed one stops reading
// with an error naming the limit and its line, and that Next keeps
// returning that error.
func TestMaxRows(t *testing.T) {
	t.Parallel()
	in := "email\na@example.com\n\nb@example.com,extra\nc@example.com\nd@example.com\ne@example.com\n"
	r, err := csvio.NewReader([]byte(in), csvio.Options{MaxRows: 2})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for range 6 {
		rec, err := r.Next()
		if err != nil {
			got = append(got, err.Error())
		} else {
			got = append(got, rec.Field(0))
		}
	}
	want := []string{
		"a@example.com",
		"line 4: 2 fields, the header has 1",
		"c@example.com",
		"line 6: the file has more than the limit of 2 data rows",
		"line 6: the file has more than the limit of 2 data rows",
		"line 6: the file has more than the limit of 2 data rows",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	var e *csvio.Error
	if _, err := r.Next(); !errors.As(err, &e) || e.Skippable() {
		t.Errorf("error %v is skippable, want it to stop reading", err)
	}
}

// TestEOF checks that Next keeps returning io.EOF at the end.
func TestEOF(t *testing.T) {
	t.Parallel()
	r, err := csvio.NewReader([]byte("a\n1\n"), csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []error{nil, io.EOF, io.EOF} {
		if _, err := r.Next(); err != want {
			t.Errorf("call %d: %v, want %v", i+1, err, want)
		}
	}
}

// TestField checks that a missing column reads as "".
func TestField(t *testing.T) {
	t.Parallel()
	rec := csvio.Record{Line: 2, Fields: []string{"a", "b"}}
	for col, want := range map[int]string{-1: "", 0: "a", 1: "b", 2: "", 99: ""} {
		if got := rec.Field(col); got != want {
			t.Errorf("Field(%d) = %q, want %q", col, got, want)
		}
	}
}
