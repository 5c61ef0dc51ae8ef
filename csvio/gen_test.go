package csvio_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// generate rewrites the files in testdata from the texts below. The files
// are committed and the tests read them; TestTestdata fails when a file and
// its text differ. After changing a text, run
//
//	go test ./csvio/ -run TestTestdata -generate
var generate = flag.Bool("generate", false, "rewrite testdata files from gen_test.go")

// sample is one testdata file: its text, written with "\n" line ends and
// "¶" for a line break inside a quoted cell (always "\n", as Excel writes
// it), and how to turn the text into the file's bytes.
type sample struct {
	name string
	text string
	crlf bool
	bom  bool              // a UTF-8 byte-order mark
	enc  encoding.Encoding // nil for UTF-8
}

var samples = []sample{
	{name: "excel-utf8-bom.csv", crlf: true, bom: true, text: `First Name,Last Name,Email,Department,Manager,Employee ID
Zoë,Martin,zoe.martin@example.com,Marketing,ana.silva@example.com,E1001
José,García,jose.garcia@example.com,Sales,ana.silva@example.com,E1002
Ana,Silva,ana.silva@example.com,Management,,E1000
Björn,Ångström,bjorn.angstrom@example.com,Engineering,ana.silva@example.com,E1003
Chloé,Dubois,chloe.dubois@example.com,"Research, Development",bjorn.angstrom@example.com,E1004
Łukasz,Nowak,lukasz.nowak@example.com,Engineering,bjorn.angstrom@example.com,E1005
`},
	{name: "excel-european.csv", crlf: true, enc: charmap.Windows1252, text: `Vorname;Nachname;E-Mail;Abteilung;Personalnummer;;
Jürgen;Weiß;juergen.weiss@example.de;Vertrieb;1001;;
Hélène;Lefèvre;helene.lefevre@example.fr;Comptabilité;1002;;
Søren;Østergaard;soren.ostergaard@example.dk;Logistik;1003;;
;;;;;;
Ümit;Öztürk;uemit.oeztuerk@example.de;Einkauf;1004;;
Frédérique;Maßmann;frederique.massmann@example.de;"Forschung; Entwicklung";1005;;
Renée;Großkopf;renee.grosskopf@example.de;Budget (€);1006;;
`},
	{name: "google-sheets.csv", text: `Email,First name,Last name,Team,Notes
priya.raman@example.org,Priya,Raman,"Platform, Infrastructure",Started in March
tom.okafor@example.org,Tom,Okafor,Design,"Prefers ""Tom"", not ""Thomas"""
mei.chen@example.org,Mei,Chen,"Data, Analytics","Part-time, Mon–Wed"
lars.berg@example.org,Lars,Berg,Design,
ines.moreau@example.org,Inès,Moreau,"Platform, Infrastructure","On leave until 1 May, back after"`},
	{name: "entra-users.csv", crlf: true, text: `userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,physicalDeliveryOfficeName,city,postalCode,telephoneNumber,mobile,authenticationPhoneNumber,authenticationAlternativePhoneNumber,authenticationEmail,alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification,companyName,creationType,directorySynced,invitationState,identityIssuer,createdDateTime
megan.bowen@example.com,Megan Bowen,Bowen,megan.bowen@example.com,Megan,5f1c9a3e-2b7d-4c1e-9a0f-3d2e8b6c4a11,Member,Marketing Manager,Marketing,True,US,"100 Harbor Way, Suite 2",WA,United States,Building 2,Seattle,98101,+1 206 555 0100,,,,,,,,,Example Corp,,,,example.com,2023-04-12T09:15:02Z
adele.vance@example.com,Adele Vance,Vance,,Adele,8a2d4f6b-1c3e-4d5f-8a9b-0c1d2e3f4a55,Member,Retail Manager,Retail,True,US,,,,,,,,,,,adele.personal@example.net,,,,,Example Corp,,True,,example.com,2022-11-03T14:22:41Z
diego.siciliani@example.com,Diego Siciliani,Siciliani,diego.siciliani@example.com,Diego,2c4e6a8b-3d5f-4e7a-9b1c-2d3e4f5a6b77,Member,HR Manager,HR,False,IT,,,,,Milan,,,,,,,,,,,Example Corp,,True,,example.com,2021-06-30T08:00:00Z
kim.lee_partner.example.org#EXT#@example.onmicrosoft.com,Kim Lee (Partner),Lee,kim.lee@partner.example.org,Kim,7e9a1b3c-4d5e-4f6a-8b7c-9d0e1f2a3b99,Guest,,,True,,,,,,,,,,,,,,,,,,Invitation,,Accepted,ExternalAzureAD,2024-01-08T17:45:10Z
lynne.robbins@example.com,Lynne Robbins,Robbins,,Lynne,1b3d5f7a-9c2e-4a6b-8d0f-1e2a3b4c5d22,Member,Planner,"Operations, EMEA",True,GB,,,,,London,,,,,,,,,,,Example Corp,,,,example.com,2024-03-19T10:05:33Z
`},
	{name: "entra-version-line.csv", crlf: true, bom: true, text: `version:v1.0
userPrincipalName,displayName,givenName,surname,mail,department,jobTitle,accountEnabled,objectId,userType
megan.bowen@example.com,Megan Bowen,Megan,Bowen,megan.bowen@example.com,Marketing,Marketing Manager,TRUE,5f1c9a3e-2b7d-4c1e-9a0f-3d2e8b6c4a11,Member
adele.vance@example.com,Adele Vance,Adele,Vance,,Retail,Retail Manager,TRUE,8a2d4f6b-1c3e-4d5f-8a9b-0c1d2e3f4a55,Member
diego.siciliani@example.com,Diego Siciliani,Diego,Siciliani,diego.siciliani@example.com,HR,HR Manager,FALSE,2c4e6a8b-3d5f-4e7a-9b1c-2d3e4f5a6b77,Member
lynne.robbins@example.com,Lynne Robbins,Lynne,Robbins,lynne.robbins@example.com,"Operations, EMEA",Planner,True,1b3d5f7a-9c2e-4a6b-8d0f-1e2a3b4c5d22,Member
pradeep.gupta@example.com,Pradeep Gupta,Pradeep,Gupta,pradeep.gupta@example.com,Finance,Accountant,False,6d8f0a2c-4e6a-4b8c-9d0e-2f4a6c8e0b33,Member
joni.sherman@example.com,Joni Sherman,Joni,Sherman,joni.sherman@example.com,Legal,Paralegal,,9e1a3c5e-7a9c-4e1a-8c3e-5a7c9e1a3c44,Member
`},
	{name: "entra-bulk-template.csv", text: `version:v1.0
Name [displayName] Required,User name [userPrincipalName] Required,Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required,First name [givenName],Last name [surname],Job title [jobTitle],Department [department],Usage location [usageLocation]
Chris Green,chris.green@example.com,Welcome-2026!,No,Chris,Green,Analyst,Finance,US
Alex Wilber,alex.wilber@example.com,Welcome-2026!,Yes,Alex,Wilber,Designer,Marketing,US
Isaiah Langer,isaiah.langer@example.com,Welcome-2026!,Maybe,Isaiah,Langer,Sales Rep,Sales,US
`},
	{name: "german-users.csv", crlf: true, enc: charmap.Windows1252, text: `Benutzerliste Personalabteilung;;;;;
Stand: 01.03.2026;;;;;
;;;;;
Vorname;Nachname;E-Mail-Adresse;Abteilung;Vorgesetzter;Status
Jürgen;Weiß;juergen.weiss@example.de;Vertrieb;;Aktiv
Hélène;Lefèvre;helene.lefevre@example.de;Buchhaltung;juergen.weiss@example.de;Deaktiviert
Ümit;Öztürk;uemit.oeztuerk@example.de;Einkauf;juergen.weiss@example.de;aktiv
Renée;Großkopf;renee.grosskopf@example.de;Forschung;juergen.weiss@example.de;Gesperrt
`},
	{name: "google-workspace-users.csv", text: `First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Password Hash Function [UPLOAD ONLY],Org Unit Path [Required],New Primary Email [UPLOAD ONLY],Recovery Email,Home Secondary Email,Work Secondary Email,Recovery Phone [MUST BE IN THE E.164 FORMAT],Work Phone,Home Phone,Mobile Phone,Work Address,Home Address,Employee ID,Employee Type,Employee Title,Manager Email,Department,Cost Center,Last Sign In [READ ONLY],Status [READ ONLY]
Amara,Okonkwo,amara.okonkwo@example.org,****,,/,,amara.o@example.net,,,+15555550101,,,,,,EMP-0042,Full-time,Engineer,noah.fischer@example.org,Engineering,CC-100,2024/05/02 09:12:44,Active
Noah,Fischer,noah.fischer@example.org,****,,/Engineering,,,,,,,,,,,EMP-0007,Full-time,Head of Engineering,,Engineering,CC-100,2024/05/03 08:01:10,Active
Sofia,Rossi,sofia.rossi@example.org,****,,/Sales,,,,,,"+39 02 5555 0199",,,,,EMP-0113,Contractor,Account Executive,noah.fischer@example.org,Sales,CC-200,Never logged in,Active
Yuki,Tanaka,yuki.tanaka@example.org,****,,/Sales/APAC,,,,,,,,,,,EMP-0150,Full-time,Sales Lead,sofia.rossi@example.org,Sales,CC-210,2024/04/28 23:59:59,Suspended
`},
	{name: "excel-unicode-text.txt", crlf: true, enc: unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), text: "Email\tFirst Name\tLast Name\tDepartment\tNotes\n" +
		"marten.lind@example.com\tMårten\tLind\tSupport\tTeam 🚀 lead\n" +
		"ngoc.tran@example.com\tNgọc\tTrần\tFinance\t\"Budget\tand\ttax\"\n" +
		"li.lei@example.com\t雷\t李\tEngineering\t\n" +
		"aoife.nimurchu@example.com\tAoife\tNí Mhurchú\tLegal\t\"Says \"\"hello\"\"¶twice\"\n" +
		"zeynep.yilmaz@example.com\tZeynep\tYılmaz\tSupport\t\n"},
	{name: "utf16be.csv", enc: unicode.UTF16(unicode.BigEndian, unicode.UseBOM), text: `email,given name,family name,department,employee id
olga.ivanova@example.com,Ольга,Иванова,Финансы,R-17
kwame.mensah@example.com,Kwame,Mensah,Ops 𝔸,R-18
eleni.papadopoulou@example.com,Ελένη,Παπαδοπούλου,Legal,R-19
`},
	{name: "quoted-newlines.csv", crlf: true, text: `Email,Name,Address,Notes
ana@example.com,Ana,"12 Rue de la Paix¶75002 Paris",
ben@example.com,Ben,1 Main Street,"Said ""call me Benny"""
cy@example.com,Cy,"Flat 3¶221B Baker Street¶London NW1 6XE","Prefers ""Cy""¶over the phone"
di@example.com,Di,,

ed@example.com,Ed,"Postfach 12 34, 10115 Berlin","a, b"
fran@example.com,Fran,"¶",last
`},
	{name: "mixed.csv", text: `email,first_name,last_name,department,notes
ann@example.com,Ann,Archer,Sales,ok
bob@example.com,Bob,Baker,"Sales" Team,text after a closing quote
cat@example.com,Cat,Carter,IT,"27"" monitor"
dan@example.com,Dan,Dunn,IT,5" screen

eve@example.com,Eve,Evans,HR,too,many,fields
,,,,
fay@example.com,Fay,Fox,HR,,,,
gus@example.com,Gus,Gray,"Ops,quote never closed
hal@example.com,Hal,Hill,Ops,swallowed unless recovered
ivy@example.com,Ivy,Irwin,"Ops",the quote that ends Gus's field
   
jon@example.com,Jon,Jones,Ops,"fine, quoted"
kay@example.com,Kay,Kent,"Sales, never closed
lee@example.com,Lee,Lowe,Sales,after the last bad quote
`},
}

// TestTestdata checks that every testdata file holds its text, or, with
// -generate, writes it.
func TestTestdata(t *testing.T) {
	for _, s := range samples {
		text := s.text
		if s.crlf {
			text = strings.ReplaceAll(text, "\n", "\r\n")
		}
		text = strings.ReplaceAll(text, "¶", "\n")
		b := []byte(text)
		if s.bom {
			b = append([]byte("\uFEFF"), b...)
		}
		if s.enc != nil {
			var err error
			if b, err = s.enc.NewEncoder().Bytes(b); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		file := filepath.Join("testdata", s.name)
		if *generate {
			if err := os.WriteFile(file, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got, err := os.ReadFile(file); err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s differs from its text in gen_test.go (%v): run with -generate", file, err)
		}
	}
}
