package csvio

import (
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// The names Encoding returns.
const (
	encUTF8    = "UTF-8"
	encUTF8BOM = "UTF-8 with BOM"
	encUTF16LE = "UTF-16LE"
	encUTF16BE = "UTF-16BE"
	encCP1252  = "Windows-1252"
)

// chunk is how many decoded bytes the reader asks for at a time.
const chunk = 64 << 10

// decode finds the encoding of data and returns its name and the text as
// UTF-8, read as a stream. UTF-8 input is used in place, without a copy.
func decode(data []byte) (string, *text, *Error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		rest := data[3:]
		if !utf8.Valid(rest) {
			return "", nil, fatal(badLine(rest), "the file is marked as UTF-8 but this line is not valid UTF-8; save the file again as CSV UTF-8")
		}
		return encUTF8BOM, &text{b: rest}, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return utf16(encUTF16LE, unicode.LittleEndian, data[2:])
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16(encUTF16BE, unicode.BigEndian, data[2:])
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "", nil, fatal(0, "the file is a zip archive, such as an Excel workbook (.xlsx), not CSV; save it as CSV UTF-8 and upload that")
	case bytes.IndexByte(data, 0) >= 0:
		return "", nil, fatal(0, "the file contains NUL bytes, so it is not CSV text (a UTF-16 file needs its byte-order mark)")
	case utf8.Valid(data):
		return encUTF8, &text{b: data}, nil
	}
	dec := charmap.Windows1252.NewDecoder()
	return encCP1252, &text{r: transform.NewReader(bytes.NewReader(data), dec)}, nil
}

// utf16 returns the text of UTF-16 data whose byte-order mark was removed.
// Unpaired surrogates become U+FFFD.
func utf16(name string, order unicode.Endianness, data []byte) (string, *text, *Error) {
	if len(data)%2 != 0 {
		return "", nil, fatal(0, "the file is marked as %s but has an odd number of bytes, so it is cut short or damaged", name)
	}
	dec := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder()
	return name, &text{r: transform.NewReader(bytes.NewReader(data), dec)}, nil
}

// badLine returns the 1-based line of the first byte of b that is not valid
// UTF-8.
func badLine(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return 1 + bytes.Count(b[:i], []byte{'\n'})
		}
		i += n
	}
	return 0
}

// text is decoded input read through a window: b holds the bytes read so
// far that are still needed, from the start of the record being parsed.
// With r nil, b is all of the input.
type text struct {
	b   []byte
	r   io.Reader
	err error // a read error other than io.EOF
}

// more reads more input into b and reports whether any came. It only ever
// appends, so positions into b stay valid while a record is parsed.
func (t *text) more() bool {
	for t.r != nil {
		if len(t.b) == cap(t.b) {
			nb := make([]byte, len(t.b), max(2*cap(t.b), chunk))
			copy(nb, t.b)
			t.b = nb
		}
		n, err := t.r.Read(t.b[len(t.b):cap(t.b)])
		t.b = t.b[:len(t.b)+n]
		if err != nil {
			if err != io.EOF {
				t.err = err
			}
			t.r = nil
		}
		if n > 0 {
			return true
		}
	}
	return false
}

// drop forgets the bytes before pos, which no record needs any more, and
// returns where pos is now. Input used in place is never moved.
func (t *text) drop(pos int) int {
	if t.r == nil || pos < chunk/2 {
		return pos
	}
	n := copy(t.b, t.b[pos:])
	t.b = t.b[:n]
	return 0
}
