package csvio_test

import (
	"maps"
	"strings"
	"testing"

	"allot/csvio"
	"allot/directory"
)

// TestSuggest checks the mapping suggested for header rows of real exports.
// A want lists the header names expected for each field; a field left out
// is expected unmapped.
func TestSuggest(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		header string // comma-separated
		want   map[string]string
	}{
		{
			name:   "plain English",
			header: "Email,First Name,Last Name,Department,Manager,External ID",
			want:   map[string]string{directory.FieldEmail: "Email", directory.FieldFirstName: "First Name", directory.FieldLastName: "Last Name", directory.FieldDepartment: "Department", directory.FieldManager: "Manager", directory.FieldExternalID: "External ID"},
		},
		{
			name:   "Google Workspace",
			header: "First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Org Unit Path [Required],New Primary Email [UPLOAD ONLY],Recovery Email,Home Secondary Email,Work Secondary Email,Employee ID,Employee Type,Employee Title,Manager Email,Department,Cost Center",
			want:   map[string]string{directory.FieldEmail: "Email Address [Required]", directory.FieldFirstName: "First Name [Required]", directory.FieldLastName: "Last Name [Required]", directory.FieldDepartment: "Department", directory.FieldManager: "Manager Email", directory.FieldExternalID: "Employee ID"},
		},
		{
			name:   "Microsoft Entra download",
			header: "userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,usageLocation,authenticationEmail,alternateEmailAddress,companyName",
			want:   map[string]string{directory.FieldEmail: "mail", directory.FieldFirstName: "givenName", directory.FieldLastName: "surname", directory.FieldDepartment: "department", directory.FieldExternalID: "objectId", directory.FieldDisabled: "accountEnabled"},
		},
		{
			name:   "Microsoft Entra without mail: the sign-in name",
			header: "userPrincipalName,displayName,surname,givenName,objectId,department",
			want:   map[string]string{directory.FieldEmail: "userPrincipalName", directory.FieldFirstName: "givenName", directory.FieldLastName: "surname", directory.FieldDepartment: "department", directory.FieldExternalID: "objectId"},
		},
		{
			name:   "Microsoft Entra bulk-create template",
			header: "Name [displayName] Required,User name [userPrincipalName] Required,Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required,First name [givenName],Last name [surname],Job title [jobTitle],Department [department],Usage location [usageLocation]",
			want:   map[string]string{directory.FieldEmail: "User name [userPrincipalName] Required", directory.FieldFirstName: "First name [givenName]", directory.FieldLastName: "Last name [surname]", directory.FieldDepartment: "Department [department]", directory.FieldDisabled: "Block sign in (Yes/No) [accountEnabled] Required"},
		},
		{
			name:   "Active Directory attributes",
			header: "sAMAccountName,givenName,sn,mail,department,manager,employeeID,distinguishedName",
			want:   map[string]string{directory.FieldEmail: "mail", directory.FieldFirstName: "givenName", directory.FieldLastName: "sn", directory.FieldDepartment: "department", directory.FieldManager: "manager", directory.FieldExternalID: "employeeID"},
		},
		{
			name:   "German Excel",
			header: "Vorname,Nachname,E-Mail,Abteilung,Vorgesetzter,Personalnummer",
			want:   map[string]string{directory.FieldEmail: "E-Mail", directory.FieldFirstName: "Vorname", directory.FieldLastName: "Nachname", directory.FieldDepartment: "Abteilung", directory.FieldManager: "Vorgesetzter", directory.FieldExternalID: "Personalnummer"},
		},
		{
			name:   "French Excel",
			header: "Prénom,Nom,Adresse e-mail,Département,Responsable",
			want:   map[string]string{directory.FieldEmail: "Adresse e-mail", directory.FieldFirstName: "Prénom", directory.FieldLastName: "Nom", directory.FieldDepartment: "Département", directory.FieldManager: "Responsable"},
		},
		{
			name:   "French without accents",
			header: "Prenom,Nom,Courriel,Departement",
			want:   map[string]string{directory.FieldEmail: "Courriel", directory.FieldFirstName: "Prenom", directory.FieldLastName: "Nom", directory.FieldDepartment: "Departement"},
		},
		{
			name:   "German with the address spelt out",
			header: "Vorname,Nachname,E-Mail-Adresse,Abteilung",
			want:   map[string]string{directory.FieldEmail: "E-Mail-Adresse", directory.FieldFirstName: "Vorname", directory.FieldLastName: "Nachname", directory.FieldDepartment: "Abteilung"},
		},
		{
			name:   "French with a service",
			header: "Prénom,Nom,Courriel,Service",
			want:   map[string]string{directory.FieldEmail: "Courriel", directory.FieldFirstName: "Prénom", directory.FieldLastName: "Nom", directory.FieldDepartment: "Service"},
		},
		{
			name:   "Spanish",
			header: "Nombre,Apellido(s),Correo electrónico,Departamento",
			want:   map[string]string{directory.FieldEmail: "Correo electrónico", directory.FieldFirstName: "Nombre", directory.FieldLastName: "Apellido(s)", directory.FieldDepartment: "Departamento"},
		},
		{
			name:   "Italian",
			header: "Nome,Cognome,E-mail,Dipartimento",
			want:   map[string]string{directory.FieldEmail: "E-mail", directory.FieldFirstName: "Nome", directory.FieldLastName: "Cognome", directory.FieldDepartment: "Dipartimento"},
		},
		{
			name:   "Dutch",
			header: "Voornaam,Achternaam,E-mailadres,Afdeling",
			want:   map[string]string{directory.FieldEmail: "E-mailadres", directory.FieldFirstName: "Voornaam", directory.FieldLastName: "Achternaam", directory.FieldDepartment: "Afdeling"},
		},
		{
			name:   "upper case, and accents left out or written",
			header: "PRÉNOM,NOM,ADRESSE E-MAIL,DÉPARTEMENT,CORREO ELECTRONICO",
			want:   map[string]string{directory.FieldEmail: "ADRESSE E-MAIL", directory.FieldFirstName: "PRÉNOM", directory.FieldLastName: "NOM", directory.FieldDepartment: "DÉPARTEMENT"},
		},
		{
			name:   "longer names holding a foreign word",
			header: "Mitarbeiter Vorname,Mitarbeiter Nachname,Geschäftliche E-Mail,Abteilung (Kostenstelle)",
			want:   map[string]string{directory.FieldEmail: "Geschäftliche E-Mail", directory.FieldFirstName: "Mitarbeiter Vorname", directory.FieldLastName: "Mitarbeiter Nachname", directory.FieldDepartment: "Abteilung (Kostenstelle)"},
		},
		{
			name:   "Google Workspace's Suspended",
			header: "Email Address [Required],First Name [Required],Last Name [Required],Suspended",
			want:   map[string]string{directory.FieldEmail: "Email Address [Required]", directory.FieldFirstName: "First Name [Required]", directory.FieldLastName: "Last Name [Required]", directory.FieldDisabled: "Suspended"},
		},
		{
			name:   "Active Directory with userAccountControl",
			header: "sAMAccountName,mail,givenName,sn,userAccountControl",
			want:   map[string]string{directory.FieldEmail: "mail", directory.FieldFirstName: "givenName", directory.FieldLastName: "sn", directory.FieldDisabled: "userAccountControl"},
		},
		{
			name:   "Active Directory from PowerShell: Enabled",
			header: "SamAccountName,UserPrincipalName,Enabled,GivenName,Surname",
			want:   map[string]string{directory.FieldEmail: "UserPrincipalName", directory.FieldFirstName: "GivenName", directory.FieldLastName: "Surname", directory.FieldDisabled: "Enabled"},
		},
		{
			name:   "a status column",
			header: "Email,Name,Account Status",
			want:   map[string]string{directory.FieldEmail: "Email", directory.FieldDisabled: "Account Status"},
		},
		{
			name:   "when an account was disabled is not whether it is",
			header: "Email,Account Enabled Date,Suspended Since",
			want:   map[string]string{directory.FieldEmail: "Email"},
		},
		{
			name:   "an exact name beats a partial one for the disabled column",
			header: "Email,Account Enabled Date,Disabled",
			want:   map[string]string{directory.FieldEmail: "Email", directory.FieldDisabled: "Disabled"},
		},
		{
			name:   "HR system",
			header: "Employee ID,Given name,Family name,Work Email,Manager Email,Department,Hire Date",
			want:   map[string]string{directory.FieldEmail: "Work Email", directory.FieldFirstName: "Given name", directory.FieldLastName: "Family name", directory.FieldDepartment: "Department", directory.FieldManager: "Manager Email", directory.FieldExternalID: "Employee ID"},
		},
		{
			name:   "manager email before the user's",
			header: "Manager Email,E-mail Address,First Name,Last Name",
			want:   map[string]string{directory.FieldEmail: "E-mail Address", directory.FieldFirstName: "First Name", directory.FieldLastName: "Last Name", directory.FieldManager: "Manager Email"},
		},
		{
			name:   "username only",
			header: "Username,Full Name,Team",
			want:   map[string]string{directory.FieldEmail: "Username"},
		},
		{
			name:   "User name with a space",
			header: "User name,First name,Last name",
			want:   map[string]string{directory.FieldEmail: "User name", directory.FieldFirstName: "First name", directory.FieldLastName: "Last name"},
		},
		{
			name:   "partial names",
			header: "Employee E-mail,Employee First Name,Employee Last Name,Home Department,Reports To Manager,Badge,Employee Number (HR)",
			want:   map[string]string{directory.FieldEmail: "Employee E-mail", directory.FieldFirstName: "Employee First Name", directory.FieldLastName: "Employee Last Name", directory.FieldDepartment: "Home Department", directory.FieldManager: "Reports To Manager", directory.FieldExternalID: "Employee Number (HR)"},
		},
		{
			name:   "exact beats partial",
			header: "Recovery Email,Primary Email,Department Code,Department",
			want:   map[string]string{directory.FieldEmail: "Primary Email", directory.FieldDepartment: "Department"},
		},
		{
			name:   "the mail column beats the sign-in name wherever it is",
			header: "userPrincipalName,Email,id",
			want:   map[string]string{directory.FieldEmail: "Email", directory.FieldExternalID: "id"},
		},
		{
			name:   "required marks and odd spacing",
			header: "  EMAIL*  ,first_name,LAST-NAME,dept.",
			want:   map[string]string{directory.FieldEmail: "  EMAIL*  ", directory.FieldFirstName: "first_name", directory.FieldLastName: "LAST-NAME", directory.FieldDepartment: "dept."},
		},
		{
			name:   "a secondary address is never the user's",
			header: "Name,Recovery Email,Home Secondary Email",
			want:   map[string]string{},
		},
		{
			name:   "a name the header uses twice is never suggested: a mapping may not name it",
			header: "Email,Department,Dept,Department",
			want:   map[string]string{directory.FieldEmail: "Email", directory.FieldDepartment: "Dept"},
		},
		{
			name:   "nothing to map",
			header: "Name,Phone,City",
			want:   map[string]string{},
		},
		{
			name:   "empty header",
			header: "",
			want:   map[string]string{},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			header := strings.Split(tc.header, ",")
			got := make(map[string]string)
			used := make(map[int]string)
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
			if s := csvio.Suggest(header); len(s) != len(directory.ImportFields) {
				t.Errorf("Suggest returned %d fields, want all %d", len(s), len(directory.ImportFields))
			}
		})
	}
}

// TestColumn checks how a header is found by name.
