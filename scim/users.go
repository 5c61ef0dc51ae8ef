package scim

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"

	"allot"
	"allot/directory"
)

// provision provisions the person User r of document d stands for, when
// the person it makes differs from the one its document before made (or
// it has none yet), and sets r.UserID to them.
func (s *Service) provision(ctx context.Context, r *Resource, d, before document) error {
	users := func(id string) (Resource, error) { return s.get(ctx, r.CompanyID, userKind, id) }
	p, err := personOf(users, r.ID, d)
	if err != nil {
		return err
	}
	if before != nil && r.UserID != 0 {
		// A person the document before could not make is no person.
		if was, err := personOf(users, r.ID, before); err == nil && reflect.DeepEqual(p, was) {
			return nil
		}
	}
	u, err := s.Directory.Provision(ctx, r.CompanyID, p)
	if err != nil {
		return provisionError(err)
	}
	r.UserID = u.ID
	return nil
}

// attributeOf names the SCIM attribute of each field of a person.
var attributeOf = map[string]string{"email": "emails", "first_name": "name.givenName", "last_name": "name.familyName",
	"department": EnterpriseSchema + ":department", "manager": EnterpriseSchema + ":manager", "external_id": "id"}

// provisionError returns an error of provisioning as SCIM says it: a bad
// field names its attribute; an e-mail of another company's person is not
// unique.
func provisionError(err error) error {
	var e *allot.Error
	if !errors.As(err, &e) {
		return err
	}
	detail := e.Message
	if name, ok := attributeOf[e.Field]; ok {
		detail = name + ": " + e.Message
	}
	switch e.Code {
	case allot.EINVALID:
		return invalidValue("%s", detail)
	case allot.ECONFLICT:
		return &Error{Status: 409, Type: "uniqueness", Detail: detail}
	}
	return err
}

// personOf returns the person User id of document d makes, users finding
// the company's Users by id: its e-mail (the primary one, else a work one, else any,
// else its userName when it is one), names, department, manager (their
// e-mail when they are a User of the company, else as given) and whether
// it is active (when it does not say, it is).
func personOf(users func(id string) (Resource, error), id string, d document) (directory.Person, error) {
	p := directory.Person{ExternalID: id, Active: true}
	if a, ok := d["active"].(bool); ok {
		p.Active = a
	}
	var err error
	if p.Email, err = emailOf(d); err != nil {
		return p, err
	}
	if name, ok := d["name"].(map[string]any); ok {
		p.FirstName, p.LastName = str(name, "givenName"), str(name, "familyName")
	}
	ext, _ := d[EnterpriseSchema].(map[string]any)
	p.Department = str(ext, "department")
	if m, ok := ext["manager"].(map[string]any); ok {
		p.Manager, err = managerOf(users, m)
	}
	return p, err
}

// emailOf returns the e-mail a User's document gives allot: the first
// that is an e-mail of its primary ones, then of its work ones, then of
// the others, then its userName.
func emailOf(d document) (string, error) {
	var primary, work, other []string
	for _, e := range list(d["emails"]) {
		el, _ := e.(map[string]any)
		v := str(el, "value")
		switch {
		case el["primary"] == true:
			primary = append(primary, v)
		case strings.EqualFold(str(el, "type"), "work"):
			work = append(work, v)
		default:
			other = append(other, v)
		}
	}
	for _, v := range slices.Concat(primary, work, other, []string{str(d, "userName")}) {
		if e, err := allot.NormalizeEmail("email", v); err == nil {
			return e, nil
		}
	}
	return "", invalidValue("a user needs an e-mail address: in emails, or as its userName")
}

// managerOf returns a manager as a person's Manager: the e-mail of the
// User users finds by the id it gives, else its displayName, else the id
// as given.
func managerOf(users func(id string) (Resource, error), m document) (string, error) {
	id := str(m, "value")
	if id == "" {
		return str(m, "displayName"), nil
	}
	r, err := users(id)
	switch {
	case err == nil:
		d, err := decode(r)
		if err != nil {
			return "", err
		}
		if e, err := emailOf(d); err == nil {
			return e, nil
		}
	case !isNotFound(err):
		return "", err
	}
	if name := str(m, "displayName"); name != "" {
		return name, nil
	}
	return id, nil
}

// deprovision deprovisions the person User r stands for, unless another
// User of the company stands for them too (two Users of one e-mail). A
// person the company no longer has is deprovisioned already.
func (s *Service) deprovision(ctx context.Context, r Resource) error {
	if r.UserID == 0 {
		return nil
	}
	var others int
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		others, err = tx.CountSCIMResources(ResourceQuery{CompanyID: r.CompanyID, Type: userKind.Name, UserID: r.UserID})
		return err
	})
	if err != nil || others > 1 {
		return err
	}
	err = s.Directory.Deprovision(ctx, r.CompanyID, r.UserID)
	if allot.ErrorCode(err) == allot.ENOTFOUND {
		return nil
	}
	return err
}
