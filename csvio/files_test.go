package csvio_test

import (
	"maps"
	"slices"
	"testing"

	"allot/csvio"
	"allot/directory"
)

// cell is the value expected in column col of the row-th record (0-based).
type cell struct {
	row, col int
	want     string
}

// at is where a row error is expected.
type at struct{ line, column int }

// TestFiles reads each testdata file, shaped like a real export, and checks
// what a caller sees: encoding, delimiter, header, the line of every record,
// chosen values, the suggested mapping and the row errors.
func TestFiles(t *testing.T) {
	t.Parallel()
	none := map[string]int{directory.FieldEmail: -1, directory.FieldFirstName: -1, directory.FieldLastName: -1, directory.FieldDepartment: -1, directory.FieldManager: -1, directory.FieldExternalID: -1}
	mapping := func(set map[string]int) map[string]int {
		m := maps.Clone(none)
		maps.Copy(m, set)
		return m
	}
	cases := []struct {
		file     string
		encoding string
		delim    rune
		header   []string // the first names of the header
		columns  int
		lines    []int // Record.Line of every record, in order
		cells    []cell
		suggest  map[string]int
		errs     []at
	}{
		{
			file: "excel-utf8-bom.csv", encoding: "UTF-8 with BOM", delim: ',',
			header:  []string{"First Name", "Last Name", "Email", "Department", "Manager", "Employee ID"},
			columns: 6,
			lines:   []int{2, 3, 4, 5, 6, 7},
			cells: []cell{
				{0, 0, "Zoë"}, {1, 0, "José"}, {1, 1, "García"}, {3, 1, "Ångström"},
				{4, 3, "Research, Development"}, {5, 0, "Łukasz"}, {2, 4, ""}, {5, 5, "E1005"},
			},
			suggest: mapping(map[string]int{directory.FieldFirstName: 0, directory.FieldLastName: 1, directory.FieldEmail: 2, directory.FieldDepartment: 3, directory.FieldManager: 4, directory.FieldExternalID: 5}),
		},
		{
			file: "excel-european.csv", encoding: "Windows-1252", delim: ';',
			header:  []string{"Vorname", "Nachname", "E-Mail", "Abteilung", "Personalnummer", "", ""},
			columns: 7,
			lines:   []int{2, 3, 4, 6, 7, 8}, // line 5 is ";;;;;;"
			cells: []cell{
				{0, 0, "Jürgen"}, {0, 1, "Weiß"}, {1, 0, "Hélène"}, {1, 3, "Comptabilité"},
				{2, 1, "Østergaard"}, {3, 0, "Ümit"}, {4, 3, "Forschung; Entwicklung"}, {5, 3, "Budget (€)"}, {5, 6, ""},
			},
			suggest: mapping(map[string]int{directory.FieldFirstName: 0, directory.FieldLastName: 1, directory.FieldEmail: 2, directory.FieldDepartment: 3, directory.FieldExternalID: 4}),
		},
		{
			file: "google-sheets.csv", encoding: "UTF-8", delim: ',',
			header:  []string{"Email", "First name", "Last name", "Team", "Notes"},
			columns: 5,
			lines:   []int{2, 3, 4, 5, 6},
			cells: []cell{
				{0, 3, "Platform, Infrastructure"}, {1, 4, `Prefers "Tom", not "Thomas"`},
				{2, 4, "Part-time, Mon–Wed"}, {3, 4, ""}, {4, 1, "Inès"}, {4, 4, "On leave until 1 May, back after"},
			},
			suggest: mapping(map[string]int{directory.FieldEmail: 0, directory.FieldFirstName: 1, directory.FieldLastName: 2}),
		},
		{
			file: "entra-users.csv", encoding: "UTF-8", delim: ',',
			header:  []string{"userPrincipalName", "displayName", "surname", "mail", "givenName", "objectId"},
			columns: 32,
			lines:   []int{2, 3, 4, 5, 6},
			cells: []cell{
				{0, 3, "megan.bowen@example.com"}, {1, 3, ""}, {1, 0, "adele.vance@example.com"},
				{3, 0, "kim.lee_partner.example.org#EXT#@example.onmicrosoft.com"}, {3, 6, "Guest"},
				{4, 8, "Operations, EMEA"}, {0, 11, "100 Harbor Way, Suite 2"}, {4, 31, "2024-03-19T10:05:33Z"},
			},
			suggest: mapping(map[string]int{directory.FieldEmail: 3, directory.FieldLastName: 2, directory.FieldFirstName: 4, directory.FieldExternalID: 5, directory.FieldDepartment: 8}),
		},
		{
			file: "google-workspace-users.csv", encoding: "UTF-8", delim: ',',
			header:  []string{"First Name [Required]", "Last Name [Required]", "Email Address [Required]", "Password [Required]"},
			columns: 24,
			lines:   []int{2, 3, 4, 5},
			cells: []cell{
				{0, 2, "amara.okonkwo@example.org"}, {0, 16, "EMP-0042"}, {0, 19, "noah.fischer@example.org"},
				{1, 19, ""}, {2, 11, "+39 02 5555 0199"}, {3, 5, "/Sales/APAC"}, {3, 23, "Suspended"},
			},
			suggest: mapping(map[string]int{directory.FieldFirstName: 0, directory.FieldLastName: 1, directory.FieldEmail: 2, directory.FieldExternalID: 16, directory.FieldManager: 19, directory.FieldDepartment: 20}),
		},
		{
			file: "excel-unicode-text.txt", encoding: "UTF-16LE", delim: '\t',
			header:  []string{"Email", "First Name", "Last Name", "Department", "Notes"},
			columns: 5,
			lines:   []int{2, 3, 4, 5, 7}, // the Notes of line 5 run onto line 6
			cells: []cell{
				{0, 1, "Mårten"}, {0, 4, "Team 🚀 lead"}, {1, 1, "Ngọc"}, {1, 2, "Trần"}, {1, 4, "Budget\tand\ttax"},
				{2, 1, "雷"}, {3, 2, "Ní Mhurchú"}, {3, 4, "Says \"hello\"\ntwice"}, {4, 2, "Yılmaz"},
			},
			suggest: mapping(map[string]int{directory.FieldEmail: 0, directory.FieldFirstName: 1, directory.FieldLastName: 2, directory.FieldDepartment: 3}),
		},
		{
			file: "utf16be.csv", encoding: "UTF-16BE", delim: ',',
			header:  []string{"email", "given name", "family name", "department", "employee id"},
			columns: 5,
			lines:   []int{2, 3, 4},
			cells:   []cell{{0, 1, "Ольга"}, {0, 3, "Финансы"}, {1, 3, "Ops 𝔸"}, {2, 2, "Παπαδοπούλου"}, {2, 4, "R-19"}},
			suggest: mapping(map[string]int{directory.FieldEmail: 0, directory.FieldFirstName: 1, directory.FieldLastName: 2, directory.FieldDepartment: 3, directory.FieldExternalID: 4}),
		},
		{
			file: "quoted-newlines.csv", encoding: "UTF-8", delim: ',',
			header:  []string{"Email", "Name", "Address", "Notes"},
			columns: 4,
			lines:   []int{2, 4, 5, 9, 11, 12},
			cells: []cell{
				{0, 2, "12 Rue de la Paix\n75002 Paris"}, {1, 3, `Said "call me Benny"`},
				{2, 2, "Flat 3\n221B Baker Street\nLondon NW1 6XE"}, {2, 3, "Prefers \"Cy\"\nover the phone"},
				{3, 0, "di@example.com"}, {4, 3, "a, b"}, {5, 2, "\n"}, {5, 3, "last"},
			},
			suggest: mapping(map[string]int{directory.FieldEmail: 0}),
		},
		{
			file: "mixed.csv", encoding: "UTF-8", delim: ',',
			header:  []string{"email", "first_name", "last_name", "department", "notes"},
			columns: 5,
			// Every good row: ann, cat, dan, fay, hal, ivy, jon, lee.
			lines: []int{2, 4, 5, 9, 11, 12, 14, 16},
			cells: []cell{
				{1, 4, `27" monitor`}, {2, 4, `5" screen`}, {3, 0, "fay@example.com"},
				{4, 0, "hal@example.com"}, {5, 3, "Ops"}, {6, 4, "fine, quoted"}, {7, 0, "lee@example.com"},
			},
			suggest: mapping(map[string]int{directory.FieldEmail: 0, directory.FieldFirstName: 1, directory.FieldLastName: 2, directory.FieldDepartment: 3}),
			errs: []at{
				{3, 4},  // "Sales" Team: text after a closing quote
				{7, 0},  // seven fields, the header has five
				{10, 4}, // Gus's quote, closed by mistake by Ivy's on line 12
				{15, 4}, // Kay's quote, never closed
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			res := readAll(t, testdata(t, tc.file), csvio.Options{})
			r := res.reader
			if got := r.Encoding(); got != tc.encoding {
				t.Errorf("encoding %q, want %q", got, tc.encoding)
			}
			if got := r.Delimiter(); got != tc.delim {
				t.Errorf("delimiter %q, want %q", got, tc.delim)
			}
			h := r.Header()
			if len(h) != tc.columns || !slices.Equal(h[:min(len(h), len(tc.header))], tc.header) {
				t.Errorf("header %q (%d columns), want %q… (%d columns)", h, len(h), tc.header, tc.columns)
			}
			var lines []int
			for _, rec := range res.records {
				lines = append(lines, rec.Line)
			}
			if !slices.Equal(lines, tc.lines) {
				t.Errorf("record lines %v, want %v", lines, tc.lines)
			}
			for _, c := range tc.cells {
				if c.row >= len(res.records) {
					t.Errorf("no record %d", c.row)
					continue
				}
				if got := res.records[c.row].Field(c.col); got != c.want {
					t.Errorf("record %d column %d: %q, want %q", c.row, c.col, got, c.want)
				}
			}
			if got := csvio.Suggest(h); !maps.Equal(got, tc.suggest) {
				t.Errorf("Suggest: %v, want %v", got, tc.suggest)
			}
			var errs []at
			for _, e := range res.errs {
				errs = append(errs, at{e.Line, e.Column})
			}
			if !slices.Equal(errs, tc.errs) {
				t.Errorf("row errors at %v, want %v (%v)", errs, tc.errs, res.errs)
			}
		})
	}
}

// TestRowsReadTheNamedColumn reads the column the mapping names, not one
// whose name is only alike.
func TestRowsReadTheNamedColumn(t *testing.T) {
	t.Parallel()
	data := []byte("Email,E-mail,Name\r\nold@x.test,new@x.test,Ann\r\n")
	var got []string
	err := csvio.Files{}.Rows(data, directory.Mapping{directory.FieldEmail: "E-mail"}, func(r directory.ImportRow) error {
		got = append(got, r.Email)
		return nil
	})
	if err != nil || !slices.Equal(got, []string{"new@x.test"}) {
		t.Errorf("Rows = %q, %v; want the e-mail of column E-mail, new@x.test", got, err)
	}
}
