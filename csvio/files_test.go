package csvio_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
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
	none := map[string]int{directory.FieldEmail: -1, directory.FieldFirstName: -1, directory.FieldLastName: -1, directory.FieldDepartment: -1, directory.FieldManager: -1, directory.FieldExternalID: -1, directory.FieldDisabled: -1}
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
		hline    int      // the line of the header; 1 when 0
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
			suggest: mapping(map[string]int{directory.FieldEmail: 3, directory.FieldLastName: 2, directory.FieldFirstName: 4, directory.FieldExternalID: 5, directory.FieldDepartment: 8, directory.FieldDisabled: 9}),
		},
		{
			file: "entra-version-line.csv", encoding: "UTF-8 with BOM", delim: ',',
			header: []string{"userPrincipalName", "displayName", "givenName", "surname", "mail", "department", "jobTitle", "accountEnabled"},
			hline:  2, columns: 10,
			lines: []int{3, 4, 5, 6, 7, 8},
			cells: []cell{{0, 0, "megan.bowen@example.com"}, {1, 4, ""}, {2, 7, "FALSE"}, {3, 5, "Operations, EMEA"}, {5, 7, ""}},
			suggest: mapping(map[string]int{directory.FieldEmail: 4, directory.FieldFirstName: 2, directory.FieldLastName: 3,
				directory.FieldDepartment: 5, directory.FieldExternalID: 8, directory.FieldDisabled: 7}),
		},
		{
			file: "entra-bulk-template.csv", encoding: "UTF-8", delim: ',',
			header: []string{"Name [displayName] Required", "User name [userPrincipalName] Required"},
			hline:  2, columns: 9,
			lines: []int{3, 4, 5},
			cells: []cell{{0, 1, "chris.green@example.com"}, {1, 3, "Yes"}, {2, 3, "Maybe"}},
			suggest: mapping(map[string]int{directory.FieldEmail: 1, directory.FieldDisabled: 3, directory.FieldFirstName: 4,
				directory.FieldLastName: 5, directory.FieldDepartment: 7}),
		},
		{
			file: "german-users.csv", encoding: "Windows-1252", delim: ';',
			header: []string{"Vorname", "Nachname", "E-Mail-Adresse", "Abteilung", "Vorgesetzter", "Status"},
			hline:  4, columns: 6,
			lines: []int{5, 6, 7, 8},
			cells: []cell{{0, 1, "Weiß"}, {1, 5, "Deaktiviert"}, {2, 0, "Ümit"}, {3, 5, "Gesperrt"}},
			suggest: mapping(map[string]int{directory.FieldFirstName: 0, directory.FieldLastName: 1, directory.FieldEmail: 2,
				directory.FieldDepartment: 3, directory.FieldManager: 4, directory.FieldDisabled: 5}),
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
			suggest: mapping(map[string]int{directory.FieldFirstName: 0, directory.FieldLastName: 1, directory.FieldEmail: 2, directory.FieldExternalID: 16, directory.FieldManager: 19, directory.FieldDepartment: 20, directory.FieldDisabled: 23}),
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
			if want := max(tc.hline, 1); r.HeaderLine() != want {
				t.Errorf("header on line %d, want %d", r.HeaderLine(), want)
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

// TestInspectAndRowsOfExports reads directory exports as an import does:
// Inspect finds the header below a version line or a title and suggests
// the columns, the disabled column among them, and Rows reads each row
// with its true line and whether it is disabled.
func TestInspectAndRowsOfExports(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file     string
		hline    int
		disabled string   // the column suggested for directory.FieldDisabled
		rows     []string // "LINE EMAIL enabled|disabled" or "LINE error: REASON"
	}{
		{
			file: "entra-version-line.csv", hline: 2, disabled: "accountEnabled",
			rows: []string{"3 megan.bowen@example.com enabled", "4  enabled", "5 diego.siciliani@example.com disabled",
				"6 lynne.robbins@example.com enabled", "7 pradeep.gupta@example.com disabled", "8 joni.sherman@example.com enabled"},
		},
		{
			file: "entra-bulk-template.csv", hline: 2, disabled: "Block sign in (Yes/No) [accountEnabled] Required",
			rows: []string{"3 chris.green@example.com enabled", "4 alex.wilber@example.com disabled",
				`5 error: column "Block sign in (Yes/No) [accountEnabled] Required": "Maybe" does not say whether the account is disabled: ` +
					"write TRUE or FALSE, or a state such as Active, Disabled or Suspended"},
		},
		{
			file: "german-users.csv", hline: 4, disabled: "Status",
			rows: []string{"5 juergen.weiss@example.de enabled", "6 helene.lefevre@example.de disabled", "7 uemit.oeztuerk@example.de enabled",
				"8 renee.grosskopf@example.de disabled"},
		},
		{
			file: "google-workspace-users.csv", hline: 1, disabled: "Status [READ ONLY]",
			rows: []string{"2 amara.okonkwo@example.org enabled", "3 noah.fischer@example.org enabled", "4 sofia.rossi@example.org enabled",
				"5 yuki.tanaka@example.org disabled"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			data := testdata(t, tc.file)
			info, err := csvio.Files{}.Inspect(data)
			if err != nil {
				t.Fatal(err)
			}
			if info.HeaderLine != tc.hline || info.Suggested[directory.FieldDisabled] != tc.disabled {
				t.Errorf("header on line %d, disabled column %q; want %d, %q", info.HeaderLine, info.Suggested[directory.FieldDisabled],
					tc.hline, tc.disabled)
			}
			if want := len(tc.rows); info.Lines != want {
				t.Errorf("about %d rows, want %d", info.Lines, want)
			}
			var got []string
			err = csvio.Files{}.Rows(data, info.Suggested, func(r directory.ImportRow) error {
				switch {
				case r.Action == directory.RowError:
					got = append(got, fmt.Sprintf("%d error: %s", r.Line, r.Reason))
				case r.Disabled:
					got = append(got, fmt.Sprintf("%d %s disabled", r.Line, r.Email))
				default:
					got = append(got, fmt.Sprintf("%d %s enabled", r.Line, r.Email))
				}
				return nil
			})
			if err != nil || !slices.Equal(got, tc.rows) {
				t.Errorf("rows (%v)\n\t%s\nwant\n\t%s", err, strings.Join(got, "\n\t"), strings.Join(tc.rows, "\n\t"))
			}
		})
	}
}
