package directory_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"allot"
	"allot/directory"
	"allot/storetest"
	"allot/world"
)

// entraCSV is shaped like a Microsoft Entra ID export of users, as its bulk
// operations write them: a version line above the header, accountEnabled
// TRUE or FALSE. Adele has no mail (line 4); Diego, disabled, is a learner
// already, with a seat (line 5); Pradeep is new and disabled (line 7);
// Joni's account says nothing (line 8); line 9 says neither.
const entraCSV = "\uFEFFversion:v1.0\r\n" +
	"userPrincipalName,displayName,givenName,surname,mail,department,accountEnabled,objectId\r\n" +
	"megan.bowen@example.com,Megan Bowen,Megan,Bowen,megan.bowen@example.com,Marketing,TRUE,5f1c9a3e\r\n" +
	"adele.vance@example.com,Adele Vance,Adele,Vance,,Retail,TRUE,8a2d4f6b\r\n" +
	"diego.siciliani@example.com,Diego Siciliani,Diego,Siciliani,diego.siciliani@example.com,HR,FALSE,2c4e6a8b\r\n" +
	"lynne.robbins@example.com,Lynne Robbins,Lynne,Robbins,lynne.robbins@example.com,\"Operations, EMEA\",True,1b3d5f7a\r\n" +
	"pradeep.gupta@example.com,Pradeep Gupta,Pradeep,Gupta,pradeep.gupta@example.com,Finance,False,6d8f0a2c\r\n" +
	"joni.sherman@example.com,Joni Sherman,Joni,Sherman,joni.sherman@example.com,Legal,,9e1a3c5e\r\n" +
	"isaiah.langer@example.com,Isaiah Langer,Isaiah,Langer,isaiah.langer@example.com,Sales,maybe,0a1b2c3d\r\n"

// TestImportEntraExport imports an Entra ID export with a version line
// above its header, with its accountEnabled column chosen or not: the
// header is found and said, errors keep their true lines, and the people it
// marks disabled are added or updated without a seat, keeping a seat they
// hold; importing it again changes nothing.
func TestImportEntraExport(t *testing.T) {
	wantHeader := []string{"userPrincipalName", "displayName", "givenName", "surname", "mail", "department", "accountEnabled", "objectId"}
	cases := []struct {
		name     string
		disabled string // the column chosen for the disabled field
		counts   directory.ImportCounts
		reasons  []string
		notes    []string // the rows marked disabled, as "line action: reason"
		status   map[string]allot.Status
		welcomed []string
		used     int
	}{
		{
			name: "accountEnabled chosen", disabled: "accountEnabled",
			counts: directory.ImportCounts{Rows: 7, Create: 4, Update: 1, Errors: 2, Licensed: 3, Disabled: 1},
			reasons: []string{
				`04: column "mail": e-mail is required`,
				`09: column "accountEnabled": "maybe" does not say whether the account is enabled: write TRUE or FALSE, or a state such as Active, Disabled or Suspended`,
			},
			notes: []string{
				"5 update: disabled in the file: no seat given; the seat they hold is kept, as a file never releases seats",
				"7 create: disabled in the file: no seat given",
			},
			status: map[string]allot.Status{"megan.bowen@example.com": allot.StatusActive, "diego.siciliani@example.com": allot.StatusActive,
				"lynne.robbins@example.com": allot.StatusActive, "pradeep.gupta@example.com": "", "joni.sherman@example.com": allot.StatusActive},
			welcomed: []string{"joni.sherman@example.com", "lynne.robbins@example.com", "megan.bowen@example.com"},
			used:     4,
		},
		{
			name: "accountEnabled left out: everyone new gets a seat", disabled: "",
			counts:  directory.ImportCounts{Rows: 7, Create: 5, Update: 1, Errors: 1, Licensed: 5},
			reasons: []string{`04: column "mail": e-mail is required`},
			status: map[string]allot.Status{"megan.bowen@example.com": allot.StatusActive, "diego.siciliani@example.com": allot.StatusActive,
				"lynne.robbins@example.com": allot.StatusActive, "pradeep.gupta@example.com": allot.StatusActive,
				"joni.sherman@example.com": allot.StatusActive, "isaiah.langer@example.com": allot.StatusActive},
			welcomed: []string{"isaiah.langer@example.com", "joni.sherman@example.com", "lynne.robbins@example.com", "megan.bowen@example.com",
				"pradeep.gupta@example.com"},
			used: 6,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, b storetest.Backend) {
				f := world.Setup(t, b)
				pool := f.Pool(f.Company, 10)
				diego := f.Learner(f.Company, "diego.siciliani@example.com")
				seat := f.Seat(diego, "premium")

				imp := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers, FileName: "UsersExport.csv"}, entraCSV)
				if imp.HeaderLine != 2 || !slices.Equal(imp.Header, wantHeader) {
					t.Fatalf("header %q on line %d, want %q on line 2", imp.Header, imp.HeaderLine, wantHeader)
				}
				wantSuggested := directory.Mapping{directory.FieldEmail: "mail", directory.FieldFirstName: "givenName",
					directory.FieldLastName: "surname", directory.FieldDepartment: "department", directory.FieldExternalID: "objectId",
					directory.FieldDisabled: "accountEnabled"}
				if !maps.Equal(imp.Suggested, wantSuggested) {
					t.Errorf("suggested %v, want %v", imp.Suggested, wantSuggested)
				}
				m := maps.Clone(imp.Suggested)
				if tc.disabled == "" {
					delete(m, directory.FieldDisabled)
				}
				imp = preview(f, imp.ID, m)
				if imp.Status != directory.ImportPreviewed || imp.Counts != tc.counts {
					t.Fatalf("preview: %s %q %+v, want %+v", imp.Status, imp.Error, imp.Counts, tc.counts)
				}
				if got := reasons(f, imp.ID); !slices.Equal(got, tc.reasons) {
					t.Errorf("reasons\n%q\nwant\n%q", got, tc.reasons)
				}
				if got := disabledNotes(f, imp.ID); !slices.Equal(got, tc.notes) {
					t.Errorf("rows marked disabled\n%q\nwant\n%q", got, tc.notes)
				}

				world.Must(f.Dir.ConfirmImport(f.As(f.CM), imp.ID, true))(t)
				if err := f.Dir.RunImportStep(t.Context(), imp.ID); err != nil {
					t.Fatal(err)
				}
				imp = world.Must(f.Dir.Import(f.As(f.CM), imp.ID))(t)
				if imp.Status != directory.ImportApplied || imp.Counts != tc.counts {
					t.Fatalf("applied: %s %q %+v, want %+v", imp.Status, imp.Error, imp.Counts, tc.counts)
				}
				after := members(f, t)
				for email, st := range tc.status {
					if got, ok := after[email]; !ok || got != st {
						t.Errorf("%s is %q (a member: %v), want %q", email, got, ok, st)
					}
				}
				if s := f.Seat(diego, "premium"); s.ID != seat.ID || !s.ReleasedAt.IsZero() {
					t.Errorf("diego's seat is %+v, want seat %d kept", s, seat.ID)
				}
				if u := world.Must(f.Svc.UserByEmail(f.As(f.CM), "pradeep.gupta@example.com"))(t); tc.disabled != "" &&
					(u.FirstName != "Pradeep" || u.Department != "Finance" || len(f.Seats(u, "premium")) != 0) {
					t.Errorf("pradeep is %+v with %d seats, want added with his fields and no seat", u, len(f.Seats(u, "premium")))
				}
				if got := slices.Sorted(maps.Keys(f.Mails(allot.MailWelcome))); !slices.Equal(got, tc.welcomed) {
					t.Errorf("welcome mails to %q, want %q", got, tc.welcomed)
				}
				if p := f.Reload(pool); p.Used != tc.used {
					t.Errorf("pool used %d, want %d", p.Used, tc.used)
				}

				// The same file again changes nothing, and gives no seat.
				again := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers}, entraCSV)
				again = preview(f, again.ID, m)
				want := directory.ImportCounts{Rows: 7, Unchanged: tc.counts.Create + tc.counts.Update, Errors: tc.counts.Errors}
				if again.Counts != want {
					t.Fatalf("second preview %+v, want %+v", again.Counts, want)
				}
				if again = confirm(f, again.ID); again.Status != directory.ImportApplied || f.Reload(pool).Used != tc.used ||
					!maps.Equal(members(f, t), after) {
					t.Errorf("the second import changed something: %s, pool %d", again.Status, f.Reload(pool).Used)
				}
			})
		})
	}
}

// disabledNotes returns the import's rows marked disabled as
// "line action: reason".
func disabledNotes(f *world.Fixture, id int64) []string {
	f.T.Helper()
	var out []string
	for _, r := range world.Must(f.Dir.ImportRows(f.As(f.CM), directory.ImportRowFilter{ImportID: id, Disabled: true}))(f.T) {
		out = append(out, fmt.Sprintf("%d %s: %s", r.Line, r.Action, r.Reason))
	}
	return out
}

// TestImportGermanFile imports a file as German Excel saves it
// (Windows-1252, semicolons) with a title above its header: the header is
// found and its German names suggested, a Status column of Aktiv and
// Deaktiviert is read, and a bad row says its true line.
func TestImportGermanFile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		f.Pool(f.Company, 10)
		text := "Mitarbeiterliste Vertrieb;;;;\r\n" +
			"Stand: 01.03.2026;;;;\r\n" +
			"\r\n" +
			"Vorname;Nachname;E-Mail-Adresse;Abteilung;Status\r\n" +
			"Jürgen;Weiß;juergen.weiss@example.de;Vertrieb;Aktiv\r\n" +
			"Hélène;Lefèvre;helene.lefevre@example.de;Buchhaltung;Deaktiviert\r\n" +
			"Ümit;Öztürk;uemit.oeztuerk(at)example.de;Einkauf;Aktiv\r\n" +
			"Renée;Großkopf;renee.grosskopf@example.de;Forschung;im Urlaub\r\n"
		data, err := charmap.Windows1252.NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		imp := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers, FileName: "Mitarbeiter.csv"}, data)
		wantSuggested := directory.Mapping{directory.FieldFirstName: "Vorname", directory.FieldLastName: "Nachname",
			directory.FieldEmail: "E-Mail-Adresse", directory.FieldDepartment: "Abteilung", directory.FieldDisabled: "Status"}
		if imp.HeaderLine != 4 || imp.Encoding != "Windows-1252" || imp.Delimiter != ";" || !maps.Equal(imp.Suggested, wantSuggested) {
			t.Fatalf("header on line %d, %s, %q, suggested %v; want line 4, Windows-1252, ;, %v",
				imp.HeaderLine, imp.Encoding, imp.Delimiter, imp.Suggested, wantSuggested)
		}
		imp = preview(f, imp.ID, imp.Suggested)
		if want := (directory.ImportCounts{Rows: 4, Create: 2, Errors: 2, Licensed: 1, Disabled: 1}); imp.Counts != want {
			t.Fatalf("preview %+v, want %+v", imp.Counts, want)
		}
		wantReasons := []string{
			`07: column "E-Mail-Adresse": "uemit.oeztuerk(at)example.de" is not a valid e-mail address`,
			`08: column "Status": "im Urlaub" does not say whether the account is disabled: write TRUE or FALSE, or a state such as Active, Disabled or Suspended`,
		}
		if got := reasons(f, imp.ID); !slices.Equal(got, wantReasons) {
			t.Errorf("reasons\n%q\nwant\n%q", got, wantReasons)
		}
		if imp = confirm(f, imp.ID); imp.Status != directory.ImportApplied {
			t.Fatalf("confirm: %s %q", imp.Status, imp.Error)
		}
		got := members(f, t)
		if got["juergen.weiss@example.de"] != allot.StatusActive || got["helene.lefevre@example.de"] != "" {
			t.Errorf("Jürgen is %q, Hélène %q; want active, and no seat", got["juergen.weiss@example.de"], got["helene.lefevre@example.de"])
		}
		u := world.Must(f.Svc.UserByEmail(f.As(f.CM), "helene.lefevre@example.de"))(t)
		if u.FirstName != "Hélène" || u.LastName != "Lefèvre" || u.Department != "Buchhaltung" {
			t.Errorf("Hélène is %+v", u)
		}
	})
}
