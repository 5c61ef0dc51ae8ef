package csvio_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"allot/csvio"
)

// benchRows is the number of data rows in the benchmark file.
const benchRows = 100_000

// benchFile returns a user export of benchRows rows and six columns, some
// quoted, with accents.
func benchFile() string {
	var b strings.Builder
	b.WriteString("Email,First Name,Last Name,Department,Manager,Employee ID\r\n")
	depts := []string{"Sales", "Engineering", `"Research, Development"`, "Support", "Finance"}
	for i := range benchRows {
		fmt.Fprintf(&b, "user%d@example.com,Zoë,Martín-%d,%s,manager%d@example.com,E%06d\r\n",
			i, i, depts[i%len(depts)], i%100, i)
	}
	return b.String()
}

// BenchmarkReader reads the whole file per iteration and reports rows read
// per second, in each encoding the reader decodes.
func BenchmarkReader(b *testing.B) {
	text := benchFile()
	cases := []struct {
		name string
		enc  encoding.Encoding
	}{
		{"UTF-8", nil},
		{"UTF-16LE", unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)},
		{"Windows-1252", charmap.Windows1252},
	}
	for _, tc := range cases {
		data := []byte(text)
		if tc.enc != nil {
			var err error
			if data, err = tc.enc.NewEncoder().Bytes(data); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				r, err := csvio.NewReader(data, csvio.Options{})
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					_, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != benchRows {
					b.Fatalf("read %d rows, want %d", n, benchRows)
				}
			}
			b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
