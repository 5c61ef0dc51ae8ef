package scim

import "strings"

// The URNs of the schemas and messages allot speaks (RFC 7643, RFC 7644).
const (
	UserSchema       = "urn:ietf:params:scim:schemas:core:2.0:User"
	GroupSchema      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	EnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	listSchema       = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	patchSchema      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	errorSchema      = "urn:ietf:params:scim:api:messages:2.0:Error"
	configSchema     = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	typeSchema       = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	schemaSchema     = "urn:ietf:params:scim:schemas:core:2.0:Schema"
)

// The data types of attributes.
const (
	tString    = "string"
	tBoolean   = "boolean"
	tComplex   = "complex"
	tDateTime  = "dateTime"
	tReference = "reference"
)

// attr is an attribute of a schema, as RFC 7643 section 7 describes it.
// Names are matched without regard to case; documents keep Name's case.
type attr struct {
	Name       string
	Type       string
	Multi      bool
	Required   bool
	CaseExact  bool
	Mutability string // readWrite when empty
	Returned   string // default when empty
	Uniqueness string // none when empty
	Canonical  []string
	RefTypes   []string
	Sub        []*attr
	// Aliases are other names clients send for the attribute, such as a
	// group member's displayName for display.
	Aliases     []string
	Description string
}

// readOnly reports whether clients may not set the attribute.
func (a *attr) readOnly() bool { return a.Mutability == "readOnly" }

// sub returns the sub-attribute named name, or nil.
func (a *attr) sub(name string) *attr { return find(a.Sub, name) }

// find returns the attribute of attrs named name, or one of its aliases,
// or nil.
func find(attrs []*attr, name string) *attr {
	for _, a := range attrs {
		if strings.EqualFold(a.Name, name) {
			return a
		}
		for _, alias := range a.Aliases {
			if strings.EqualFold(alias, name) {
				return a
			}
		}
	}
	return nil
}

// schema is a schema of resources or of an extension.
type schema struct {
	ID, Name, Description string
	Attrs                 []*attr
}

// attr returns the schema's attribute named name, or nil.
func (s *schema) attr(name string) *attr { return find(s.Attrs, name) }

// kind is a resource type: its schema, its extensions and its endpoint.
type kind struct {
	Name       string // User or Group, also its type in the store
	Endpoint   string // /Users or /Groups
	Core       *schema
	Extensions []*schema
	// Key is the attribute whose value is unique in the company and
	// matched without regard to case (userName), or "".
	Key string
}

// schemaOf returns the schema of k whose URN is urn (any case), or nil.
func (k *kind) schemaOf(urn string) *schema {
	for _, s := range append([]*schema{k.Core}, k.Extensions...) {
		if strings.EqualFold(s.ID, urn) {
			return s
		}
	}
	return nil
}

// splitURN splits a path that starts with one of k's schema URNs into the
// schema and the rest; a path without one is of the core schema.
func (k *kind) splitURN(path string) (*schema, string) {
	for _, s := range append([]*schema{k.Core}, k.Extensions...) {
		if len(path) > len(s.ID) && strings.EqualFold(path[:len(s.ID)], s.ID) && path[len(s.ID)] == ':' {
			return s, path[len(s.ID)+1:]
		}
	}
	return k.Core, path
}

// Attributes of every resource (RFC 7643 section 3.1).
var (
	idAttr = &attr{Name: "id", Type: tString, CaseExact: true, Mutability: "readOnly", Returned: "always", Uniqueness: "server",
		Description: "A unique identifier for a SCIM resource as defined by the service provider."}
	externalIDAttr = &attr{Name: "externalId", Type: tString, CaseExact: true,
		Description: "An identifier for the resource as defined by the provisioning client."}
	metaAttr = &attr{Name: "meta", Type: tComplex, Mutability: "readOnly", Description: "Resource metadata.", Sub: []*attr{
		{Name: "resourceType", Type: tString, CaseExact: true, Mutability: "readOnly"},
		{Name: "created", Type: tDateTime, Mutability: "readOnly"},
		{Name: "lastModified", Type: tDateTime, Mutability: "readOnly"},
		{Name: "location", Type: tReference, Mutability: "readOnly", RefTypes: []string{"uri"}},
	}}
	commonAttrs = []*attr{idAttr, externalIDAttr, metaAttr}
)

// multi returns the sub-attributes of a multi-valued attribute such as
// emails: value, display, type of the canonical types, primary.
func multi(valueType string, types ...string) []*attr {
	return []*attr{
		{Name: "value", Type: valueType, Description: "The attribute's significant value."},
		{Name: "display", Type: tString, Description: "A human-readable name, primarily used for display purposes."},
		{Name: "type", Type: tString, Canonical: types, Description: "A label indicating the attribute's function."},
		{Name: "primary", Type: tBoolean, Description: "Whether this is the primary or preferred value."},
	}
}

// userSchema is RFC 7643 section 4.1's User, but for groups, which allot
// does not list on its users (a Group lists its members); a password is
// accepted and never stored nor returned.
var userSchema = &schema{ID: UserSchema, Name: "User", Description: "User Account", Attrs: []*attr{
	{Name: "userName", Type: tString, Required: true, Uniqueness: "server",
		Description: "Unique identifier for the User, typically used by the user to directly authenticate to the service provider."},
	{Name: "name", Type: tComplex, Description: "The components of the user's real name.", Sub: []*attr{
		{Name: "formatted", Type: tString, Description: "The full name, formatted for display."},
		{Name: "familyName", Type: tString, Description: "The family name of the User."},
		{Name: "givenName", Type: tString, Description: "The given name of the User."},
		{Name: "middleName", Type: tString, Description: "The middle name(s) of the User."},
		{Name: "honorificPrefix", Type: tString, Description: "The honorific prefix(es) of the User."},
		{Name: "honorificSuffix", Type: tString, Description: "The honorific suffix(es) of the User."},
	}},
	{Name: "displayName", Type: tString, Description: "The name of the User, suitable for display to end-users."},
	{Name: "nickName", Type: tString, Description: "The casual way to address the user."},
	{Name: "profileUrl", Type: tReference, RefTypes: []string{"external"}, Description: "A URI of the User's online profile."},
	{Name: "title", Type: tString, Description: "The user's title, such as \"Vice President\"."},
	{Name: "userType", Type: tString, Description: "The relationship between the organization and the user."},
	{Name: "preferredLanguage", Type: tString, Description: "The User's preferred written or spoken language."},
	{Name: "locale", Type: tString, Description: "The User's default location for localizing."},
	{Name: "timezone", Type: tString, Description: "The User's time zone in the IANA format."},
	{Name: "active", Type: tBoolean, Description: "The User's administrative status; an inactive user holds no seat."},
	{Name: "password", Type: tString, Mutability: "writeOnly", Returned: "never", Description: "Not kept: people sign in to allot by its own means."},
	{Name: "emails", Type: tComplex, Multi: true, Sub: multi(tString, "work", "home", "other"), Description: "Email addresses for the user."},
	{Name: "phoneNumbers", Type: tComplex, Multi: true, Sub: multi(tString, "work", "home", "mobile", "fax", "pager", "other"),
		Description: "Phone numbers for the User."},
	{Name: "ims", Type: tComplex, Multi: true, Sub: multi(tString, "aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"),
		Description: "Instant messaging addresses for the User."},
	{Name: "photos", Type: tComplex, Multi: true, Sub: multi(tReference, "photo", "thumbnail"), Description: "URLs of photos of the User."},
	{Name: "addresses", Type: tComplex, Multi: true, Description: "A physical mailing address for this User.", Sub: []*attr{
		{Name: "formatted", Type: tString, Description: "The full mailing address, formatted for display."},
		{Name: "streetAddress", Type: tString, Description: "The full street address component."},
		{Name: "locality", Type: tString, Description: "The city or locality component."},
		{Name: "region", Type: tString, Description: "The state or region component."},
		{Name: "postalCode", Type: tString, Description: "The zip code or postal code component."},
		{Name: "country", Type: tString, Description: "The country name component."},
		{Name: "type", Type: tString, Canonical: []string{"work", "home", "other"}, Description: "A label indicating the attribute's function."},
		{Name: "primary", Type: tBoolean, Description: "Whether this is the primary address."},
	}},
	{Name: "entitlements", Type: tComplex, Multi: true, Sub: multi(tString), Description: "A list of entitlements for the User."},
	{Name: "roles", Type: tComplex, Multi: true, Sub: multi(tString), Description: "A list of roles for the User."},
	{Name: "x509Certificates", Type: tComplex, Multi: true, Sub: multi(tString), Description: "A list of certificates issued to the User."},
}}

// enterpriseSchema is RFC 7643 section 4.3's enterprise extension. Its
// manager may be given as the manager's bare id.
var enterpriseSchema = &schema{ID: EnterpriseSchema, Name: "EnterpriseUser", Description: "Enterprise User", Attrs: []*attr{
	{Name: "employeeNumber", Type: tString, Description: "A string identifier, typically numeric or alphanumeric, assigned to a person."},
	{Name: "costCenter", Type: tString, Description: "Identifies the name of a cost center."},
	{Name: "organization", Type: tString, Description: "Identifies the name of an organization."},
	{Name: "division", Type: tString, Description: "Identifies the name of a division."},
	{Name: "department", Type: tString, Description: "Identifies the name of a department."},
	{Name: "manager", Type: tComplex, Description: "The User's manager.", Sub: []*attr{
		{Name: "value", Type: tString, Description: "The id of the SCIM resource representing the User's manager."},
		{Name: "$ref", Type: tReference, RefTypes: []string{"User"}, Description: "The URI of the SCIM resource representing the User's manager."},
		{Name: "displayName", Type: tString, Mutability: "readOnly", Description: "The displayName of the User's manager."},
	}},
}}

// groupSchema is RFC 7643 section 4.2's Group. Its members are Users of the
// same company; a member's displayName is read as its display.
var groupSchema = &schema{ID: GroupSchema, Name: "Group", Description: "Group", Attrs: []*attr{
	{Name: "displayName", Type: tString, Required: true, Description: "A human-readable name for the Group."},
	{Name: "members", Type: tComplex, Multi: true, Description: "A list of members of the Group.", Sub: []*attr{
		{Name: "value", Type: tString, Mutability: "immutable", Description: "Identifier of the member of this Group."},
		{Name: "$ref", Type: tReference, Mutability: "immutable", RefTypes: []string{"User", "Group"}, Description: "The URI of the member."},
		{Name: "display", Type: tString, Aliases: []string{"displayName"}, Description: "A human-readable name of the member."},
		{Name: "type", Type: tString, Mutability: "immutable", Canonical: []string{"User", "Group"}, Description: "The type of the member."},
	}},
}}

// The resource types.
var (
	userKind  = &kind{Name: "User", Endpoint: "/Users", Core: userSchema, Extensions: []*schema{enterpriseSchema}, Key: "userName"}
	groupKind = &kind{Name: "Group", Endpoint: "/Groups", Core: groupSchema}
	kinds     = []*kind{userKind, groupKind}
	schemas   = []*schema{userSchema, groupSchema, enterpriseSchema}
)
