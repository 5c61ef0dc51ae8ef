package csvio_test

import (
	"maps"
	"strings"
	"testing"

	"allot/csvio"
)

// TestSuggest checks the mapping suggested for header rows of real exports.
// A want lists the header names expected for each field; a field left out
// is expected unmapped.
func TestSuggest(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		header string // comma-separated
		want   map[csvio.Field]string
	}{
		{
			name:   "plain English",
			header: "Email,First Name,Last Name,Department,Manager,External ID",
			want:   map[csvio.Field]string{csvio.Email: "Email", csvio.FirstName: "First Name", csvio.LastName: "Last Name", csvio.Department: "Department", csvio.Manager: "Manager", csvio.ExternalID: "External ID"},
		},
		{
			name:   "Google Workspace",
			header: "First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Org Unit Path [Required],New Primary Email [UPLOAD ONLY],Recovery Email,Home Secondary Email,Work Secondary Email,Employee ID,Employee Type,Employee Title,Manager Email,Department,Cost Center",
			want:   map[csvio.Field]string{csvio.Email: "Email Address [Required]", csvio.FirstName: "First Name [Required]", csvio.LastName: "Last Name [Required]", csvio.Department: "Department", csvio.Manager: "Manager Email", csvio.ExternalID: "Employee ID"},
		},
		{
			name:   "Microsoft Entra download",
			header: "userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,usageLocation,authenticationEmail,alternateEmailAddress,companyName",
			want:   map[csvio.Field]string{csvio.Email: "mail", csvio.FirstName: "givenName", csvio.LastName: "surname", csvio.Department: "department", csvio.ExternalID: "objectId"},
		},
		{
			name:   "Microsoft Entra without mail: the sign-in name",
			header: "userPrincipalName,displayName,surname,givenName,objectId,department",
			want:   map[csvio.Field]string{csvio.Email: "userPrincipalName", csvio.FirstName: "givenName", csvio.LastName: "surname", csvio.Department: "department", csvio.ExternalID: "objectId"},
		},
		{
			name:   "Microsoft Entra bulk-create template",
			header: "Name [displayName] Required,User name [userPrincipalName] Required,Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required,First name [givenName],Last name [surname],Job title [jobTitle],Department [department],Usage location [usageLocation]",
			want:   map[csvio.Field]string{csvio.Email: "User name [userPrincipalName] Required", csvio.FirstName: "First name [givenName]", csvio.LastName: "Last name [surname]", csvio.Department: "Department [department]"},
		},
		{
			name:   "Active Directory attributes",
			header: "sAMAccountName,givenName,sn,mail,department,manager,employeeID,distinguishedName",
			want:   map[csvio.Field]string{csvio.Email: "mail", csvio.FirstName: "givenName", csvio.LastName: "sn", csvio.Department: "department", csvio.Manager: "manager", csvio.ExternalID: "employeeID"},
		},
		{
			name:   "German Excel",
			header: "Vorname,Nachname,E-Mail,Abteilung,Vorgesetzter,Personalnummer",
			want:   map[csvio.Field]string{csvio.Email: "E-Mail", csvio.FirstName: "Vorname", csvio.LastName: "Nachname", csvio.Department: "Abteilung", csvio.Manager: "Vorgesetzter", csvio.ExternalID: "Personalnummer"},
		},
		{
			name:   "French Excel",
			header: "Prénom,Nom,Adresse e-mail,Département,Responsable",
			want:   map[csvio.Field]string{csvio.Email: "Adresse e-mail", csvio.FirstName: "Prénom", csvio.LastName: "Nom", csvio.Department: "Département", csvio.Manager: "Responsable"},
		},
		{
			name:   "French without accents",
			header: "Prenom,Nom,Courriel,Departement",
			want:   map[csvio.Field]string{csvio.Email: "Courriel", csvio.FirstName: "Prenom", csvio.LastName: "Nom", csvio.Department: "Departement"},
		},
		{
			name:   "HR system",
			header: "Employee ID,Given name,Family name,Work Email,Manager Email,Department,Hire Date",
			want:   map[csvio.Field]string{csvio.Email: "Work Email", csvio.FirstName: "Given name", csvio.LastName: "Family name", csvio.Department: "Department", csvio.Manager: "Manager Email", csvio.ExternalID: "Employee ID"},
		},
		{
			name:   "manager email before the user's",
			header: "Manager Email,E-mail Address,First Name,Last Name",
			want:   map[csvio.Field]string{csvio.Email: "E-mail Address", csvio.FirstName: "First Name", csvio.LastName: "Last Name", csvio.Manager: "Manager Email"},
		},
		{
			name:   "username only",
			header: "Username,Full Name,Team",
			want:   map[csvio.Field]string{csvio.Email: "Username"},
		},
		{
			name:   "User name with a space",
			header: "User name,First name,Last name",
			want:   map[csvio.Field]string{csvio.Email: "User name", csvio.FirstName: "First name", csvio.LastName: "Last name"},
		},
		{
			name:   "partial names",
			header: "Employee E-mail,Employee First Name,Employee Last Name,Home Department,Reports To Manager,Badge,Employee Number (HR)",
			want:   map[csvio.Field]string{csvio.Email: "Employee E-mail", csvio.FirstName: "Employee First Name", csvio.LastName: "Employee Last Name", csvio.Department: "Home Department", csvio.Manager: "Reports To Manager", csvio.ExternalID: "Employee Number (HR)"},
		},
		{
			name:   "exact beats partial",
			header: "Recovery Email,Primary Email,Department Code,Department",
			want:   map[csvio.Field]string{csvio.Email: "Primary Email", csvio.Department: "Department"},
		},
		{
			name:   "the mail column beats the sign-in name wherever it is",
			header: "userPrincipalName,Email,id",
			want:   map[csvio.Field]string{csvio.Email: "Email", csvio.ExternalID: "id"},
		},
		{
			name:   "required marks and odd spacing",
			header: "  EMAIL*  ,first_name,LAST-NAME,dept.",
			want:   map[csvio.Field]string{csvio.Email: "  EMAIL*  ", csvio.FirstName: "first_name", csvio.LastName: "LAST-NAME", csvio.Department: "dept."},
		},
		{
			name:   "a secondary address is never the user's",
			header: "Name,Recovery Email,Home Secondary Email",
			want:   map[csvio.Field]string{},
		},
		{
			name:   "nothing to map",
			header: "Name,Phone,City",
			want:   map[csvio.Field]string{},
		},
		{
			name:   "empty header",
			header: "",
			want:   map[csvio.Field]string{},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			header := strings.Split(tc.header, ",")
			got := make(map[csvio.Field]string)
			used := make(map[int]csvio.Field)
			for f, col := range csvio.Suggest(header) {
				if col < 0 {
					continue
				}
				if other, ok := used[col]; ok {
					t.Errorf("column %d suggested for both %s and %s", col, other, f)
				}
				used[col], got[f] = f, header[col]
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("Suggest:\n\tgot  %v\n\twant %v", got, tc.want)
			}
			if s := csvio.Suggest(header); len(s) != len(csvio.Fields) {
				t.Errorf("Suggest returned %d fields, want all %d", len(s), len(csvio.Fields))
			}
		})
	}
}

// TestColumn checks how a header is found by name.
