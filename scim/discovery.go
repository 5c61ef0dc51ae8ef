package scim

import (
	"strings"
)

// serviceProviderConfig says what allot's SCIM supports (RFC 7643 section
// 5), and only that: PATCH and filters; no bulk, sort, ETags nor password
// change.
func serviceProviderConfig(base string) document {
	off := map[string]bool{"supported": false}
	return document{
		"schemas":          []string{configSchema},
		"documentationUri": "https://datatracker.ietf.org/doc/html/rfc7644",
		"patch":            map[string]bool{"supported": true},
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": MaxResults},
		"changePassword":   off,
		"sort":             off,
		"etag":             off,
		"authenticationSchemes": []map[string]any{{
			"type": "oauthbearertoken", "name": "OAuth Bearer Token", "primary": true,
			"description": "The company's SCIM token, made on its settings page or by allot's API, as a bearer token.",
		}},
		"meta": map[string]string{"resourceType": "ServiceProviderConfig", "location": base + Prefix + "/ServiceProviderConfig"},
	}
}

// resourceType returns resource type k as /ResourceTypes shows it.
func resourceType(k *kind, base string) document {
	exts := []map[string]any{}
	for _, e := range k.Extensions {
		exts = append(exts, map[string]any{"schema": e.ID, "required": false})
	}
	return document{
		"schemas": []string{typeSchema}, "id": k.Name, "name": k.Name, "endpoint": k.Endpoint,
		"description": k.Core.Description, "schema": k.Core.ID, "schemaExtensions": exts,
		"meta": map[string]string{"resourceType": "ResourceType", "location": base + Prefix + "/ResourceTypes/" + k.Name},
	}
}

// schemaDoc returns schema s as /Schemas shows it (RFC 7643 section 7).
func schemaDoc(s *schema, base string) document {
	attrs := make([]document, len(s.Attrs))
	for i, a := range s.Attrs {
		attrs[i] = attrDoc(a)
	}
	return document{
		"schemas": []string{schemaSchema}, "id": s.ID, "name": s.Name, "description": s.Description, "attributes": attrs,
		"meta": map[string]string{"resourceType": "Schema", "location": base + Prefix + "/Schemas/" + s.ID},
	}
}

// attrDoc returns attribute a as a schema shows it, its defaults spelled
// out.
func attrDoc(a *attr) document {
	or := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	d := document{
		"name": a.Name, "type": a.Type, "multiValued": a.Multi, "description": a.Description, "required": a.Required,
		"mutability": or(a.Mutability, "readWrite"), "returned": or(a.Returned, "default"),
	}
	if a.Type != tComplex && a.Type != tBoolean {
		d["caseExact"], d["uniqueness"] = a.CaseExact, or(a.Uniqueness, "none")
	}
	if len(a.Canonical) > 0 {
		d["canonicalValues"] = a.Canonical
	}
	if a.Type == tReference {
		d["referenceTypes"] = a.RefTypes
	}
	if len(a.Sub) > 0 {
		subs := make([]document, len(a.Sub))
		for i, s := range a.Sub {
			subs[i] = attrDoc(s)
		}
		d["subAttributes"] = subs
	}
	return d
}

// listOf returns a ListResponse of all of docs.
func listOf(docs []document) document {
	return document{"schemas": []string{listSchema}, "totalResults": len(docs), "startIndex": 1, "itemsPerPage": len(docs),
		"Resources": docs}
}

// schemaByID returns the schema of URN id (any case), or nil.
func schemaByID(id string) *schema {
	for _, s := range schemas {
		if strings.EqualFold(s.ID, id) {
			return s
		}
	}
	return nil
}
