// Package csvio reads the CSV files people upload and writes CSV that is
// safe to open in a spreadsheet.
//
// Every upload goes through one Reader, so every upload accepts the same
// files and reports problems the same way. A Reader takes the whole file in
// memory (callers keep it under Options.MaxBytes) and decodes it as it
// reads, without a decoded copy.
//
// # Encodings
//
// The encoding is decided from the bytes: a UTF-8 byte-order mark means
// UTF-8 (Excel's "CSV UTF-8"); a UTF-16 byte-order mark means UTF-16 little-
// or big-endian (Excel's "Unicode text", which is tab-separated); otherwise
// the file is UTF-8 when all of it is valid UTF-8, and Windows-1252 (Excel's
// plain "CSV" in western European locales) when it is not. A file with a
// UTF-8 mark but invalid bytes, a UTF-16 file of odd length, a zip archive
// such as an .xlsx workbook and a file holding NUL bytes are refused.
//
// # Delimiters
//
// A first line that is exactly "sep=," "sep=;" or "sep=<tab>", which Excel
// writes and reads, names the delimiter and is skipped. Otherwise the header
// line decides: whichever of comma, semicolon and tab it holds most often
// outside quotes, and comma on a tie or when it holds none.
//
// # Header
//
// The header is the first line that is not blank, unless that line names
// no e-mail column and one of the 20 lines below it looks like the header
// of a list of people: export templates put a title, a version line
// ("version:v1.0") or a date above their header. Such a line names an
// e-mail column exactly ("Email", "mail", "E-Mail-Adresse",
// "userPrincipalName"…) among at least one other name, has more names than
// any line above it has fields filled, and is followed by a row of data
// rather than by another header. The lines above the header are skipped,
// and HeaderLine says where it was found, so that a caller can tell the
// person who uploaded the file.
//
// # Rows
//
// Lines may end in CRLF, LF or a lone CR. A quoted field may hold
// delimiters, doubled quotes and line breaks; a quote inside a field that
// does not start with one is an ordinary character, so 5" screen reads as
// written. Line breaks inside a quoted field read as "\n", and spaces
// around a quoted field are dropped. Blank lines and lines whose fields are
// all empty or spaces are skipped. Header names are trimmed of spaces; data
// fields are otherwise returned as they are. A row may be shorter than the header; a row longer than the
// header is an error unless the extra fields are empty, as the trailing
// ";;" Excel writes are. Record.Line and Error.Line count lines as a text
// editor does, so the line a row starts on can be shown to the user.
//
// # Errors and recovery
//
// Every problem is an *Error with a line, a column and a reason written for
// the person who uploaded the file. Problems with the whole file (too large,
// too many rows, not decodable, empty, no header) stop reading. Problems
// with one row have Row set: Next may be called again, and reading goes on,
// so a bad row never hides the good rows after it. Valid CSV always reads
// as written; recovery only starts where the text stops being valid.
//
// A field is quoted when its first character, after any spaces, is a
// quote. When text follows the closing quote of a field that stayed on its
// line ("Sales" Team), that line is reported and skipped.
//
// The one problem that can swallow rows is a quote that is never closed:
// everything after it, line breaks included, would read as one field. Such
// a quote is noticed where the text after it stops reading as a quoted
// field: at a later quote followed by text (most often the opening quote of
// the next quoted field), at the end of the file, or after 1 MB. A quoted
// field that ran over line breaks and then ends in one of these ways is
// reported at the line of its opening quote, and reading resumes at the
// line after that one, parsing the following lines afresh, so the rows the
// quote had swallowed come back. At worst, the pieces of a genuinely broken
// multi-line field come back as rows of their own, which the caller's
// checks on each row then reject.
//
// The blind spot: when the value of the next quoted field after a stray
// quote starts with a delimiter or a line break (a note that begins with an
// empty line, say), its opening quote reads as the stray quote's closing
// one, and the rows in between become one field. The file is then valid CSV and nothing tells the two
// readings apart, so the reader keeps the valid one.
//
// Each of these steps looks at each byte a bounded number of times (the
// lines the header is looked for among, a few times each), so reading takes
// time in proportion to the size of the file whatever it holds.
package csvio
