package csvio_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"allot/csvio"
)

// result is everything a Reader returned for one file.
type result struct {
	reader  *csvio.Reader
	records []csvio.Record
	errs    []*csvio.Error // row errors, in order
}

// readAll reads data to the end, collecting rows and row errors. It fails
// the test on any error that is not about one row.
func readAll(t testing.TB, data []byte, opt csvio.Options) result {
	t.Helper()
	r, err := csvio.NewReader(data, opt)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	res := result{reader: r}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return res
		}
		var e *csvio.Error
		if !errors.As(err, &e) && err != nil {
			t.Fatalf("Next returned %T %v, want an *Error", err, err)
		}
		switch {
		case e != nil && e.Skippable():
			res.errs = append(res.errs, e)
		case e != nil:
			t.Fatalf("Next: %v", e)
		default:
			res.records = append(res.records, rec)
		}
	}
}

// testdata returns the bytes of a file in testdata.
func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
