package scim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"allot"
)

// newID returns a new resource id: 128 random bits, as a UUID.
func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// fill sets r's document and the fields the store finds it by from d.
func fill(r *Resource, k *kind, d document) error {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("scim document: %w", err)
	}
	r.Document, r.ExternalID, r.DisplayName = b, str(d, "externalId"), strings.ToLower(str(d, "displayName"))
	if k.Key != "" {
		r.UserName = strings.ToLower(str(d, k.Key))
	}
	return nil
}

// decode returns r's document.
func decode(r Resource) (document, error) {
	d := document{}
	if err := json.Unmarshal(r.Document, &d); err != nil {
		return nil, fmt.Errorf("scim resource %s: %w", r.ID, err)
	}
	return d, nil
}

// kindOf returns the kind of resources of type typ.
func kindOf(typ string) *kind {
	for _, k := range kinds {
		if k.Name == typ {
			return k
		}
	}
	return nil
}

func (s *Service) now() time.Time { return s.Ledger.Clock.Now().UTC().Truncate(time.Millisecond) }

// get returns resource id of kind k of company companyID.
func (s *Service) get(ctx context.Context, companyID int64, k *kind, id string) (Resource, error) {
	var r Resource
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		r, err = tx.SCIMResource(companyID, k.Name, id)
		return err
	})
	if allot.ErrorCode(err) == allot.ENOTFOUND {
		return r, notFound(k, id)
	}
	return r, err
}

// create stores a resource of kind k from what the client sent, then
// provisions what it stands for. The resource is stored first, so that
// a userName taken is refused before anything happens, and deleted when
// provisioning is refused.
func (s *Service) create(ctx context.Context, companyID int64, k *kind, in document) (Resource, error) {
	d, err := normalise(k, in)
	if err != nil {
		return Resource{}, err
	}
	if err := required(k, d); err != nil {
		return Resource{}, err
	}
	now := s.now()
	r := Resource{CompanyID: companyID, Type: k.Name, ID: newID(), Created: now, Modified: now, Version: 1}
	if err := fill(&r, k, d); err != nil {
		return Resource{}, err
	}
	if err := s.Store.Write(ctx, func(tx Tx) error { return tx.CreateSCIMResource(r) }); err != nil {
		return Resource{}, taken(k, d, err)
	}
	created := r
	if err := s.effects(ctx, k, &r, d, nil); err != nil {
		if derr := s.Store.Write(ctx, func(tx Tx) error { return tx.DeleteSCIMResource(companyID, k.Name, r.ID) }); derr != nil {
			s.Ledger.Log.Error("scim: a resource whose provisioning failed stays", "id", r.ID, "err", derr)
		}
		return Resource{}, err
	}
	if r.UserID != created.UserID {
		r.Version++
		return s.save(ctx, k, r, d)
	}
	return r, nil
}

// taken returns err, saying which userName is taken when it is a
// conflict.
func taken(k *kind, d document, err error) error {
	if allot.ErrorCode(err) == allot.ECONFLICT && k.Key != "" {
		return &Error{Status: 409, Type: "uniqueness", Detail: fmt.Sprintf("%s %q is another %s's", k.Key, str(d, k.Key), k.Name)}
	}
	return err
}

// save saves r, whose version the caller moved on.
func (s *Service) save(ctx context.Context, k *kind, r Resource, d document) (Resource, error) {
	err := s.Store.Write(ctx, func(tx Tx) error { return tx.UpdateSCIMResource(r) })
	if err != nil && !isStale(err) {
		err = taken(k, d, err)
	}
	return r, err
}

// maxAttempts is how often a change is tried when its resource changes
// meanwhile.
const maxAttempts = 5

// change changes resource id of kind k of company companyID into what fn
// makes of its document, provisions what it stands for, and saves it
// when it did not change meanwhile; otherwise it starts again from the
// resource as it is now.
func (s *Service) change(ctx context.Context, companyID int64, k *kind, id string, fn func(document) (document, error)) (Resource, error) {
	for attempt := 1; ; attempt++ {
		old, err := s.get(ctx, companyID, k, id)
		if err != nil {
			return old, err
		}
		before, err := decode(old)
		if err != nil {
			return old, err
		}
		d, err := fn(clone(before).(map[string]any))
		if err != nil {
			return old, err
		}
		r := old
		if err := fill(&r, k, d); err != nil {
			return old, err
		}
		if err := s.keyFree(ctx, k, r, old); err != nil {
			return old, taken(k, d, err)
		}
		if err := s.effects(ctx, k, &r, d, before); err != nil {
			return old, err
		}
		r.Modified, r.Version = s.now(), old.Version+1
		r, err = s.save(ctx, k, r, d)
		if isStale(err) && attempt < maxAttempts {
			continue
		}
		return r, err
	}
}

// keyFree returns ECONFLICT when r's userName, changed since old, is
// another resource's: a change is refused before it provisions anything.
func (s *Service) keyFree(ctx context.Context, k *kind, r, old Resource) error {
	if k.Key == "" || r.UserName == old.UserName {
		return nil
	}
	return s.Store.Read(ctx, func(tx Tx) error {
		rs, err := tx.SCIMResources(ResourceQuery{CompanyID: r.CompanyID, Type: k.Name, Field: FieldUserName, Value: r.UserName, Limit: 2})
		if err == nil && slices.ContainsFunc(rs, func(o Resource) bool { return o.ID != r.ID }) {
			return allot.Errorf(allot.ECONFLICT, "userName taken")
		}
		return err
	})
}

// replace replaces resource id's document by what the client sent (PUT).
func (s *Service) replace(ctx context.Context, companyID int64, k *kind, id string, in document) (Resource, error) {
	d, err := normalise(k, in)
	if err != nil {
		return Resource{}, err
	}
	if err := required(k, d); err != nil {
		return Resource{}, err
	}
	return s.change(ctx, companyID, k, id, func(document) (document, error) { return d, nil })
}

// patchResource applies a PATCH's operations to resource id.
func (s *Service) patchResource(ctx context.Context, companyID int64, k *kind, id string, ops []patchOp) (Resource, error) {
	return s.change(ctx, companyID, k, id, func(d document) (document, error) { return k.patch(d, ops) })
}

// effects provisions what resource r of document d stands for, before
// (nil for a new one) its document was before: a User's person, a
// Group's members.
func (s *Service) effects(ctx context.Context, k *kind, r *Resource, d, before document) error {
	if k == userKind {
		return s.provision(ctx, r, d, before)
	}
	return s.setMembers(ctx, r, d, before)
}

// remove deletes resource id and what it stands for: a User's person is
// deprovisioned, unless another User of the company stands for them too,
// and leaves the groups it was a member of; a Group's members leave it.
func (s *Service) remove(ctx context.Context, companyID int64, k *kind, id string) error {
	r, err := s.get(ctx, companyID, k, id)
	if err != nil {
		return err
	}
	if k == userKind {
		err = s.deprovision(ctx, r)
	} else {
		err = s.Directory.SetGroup(ctx, companyID, r.ID, nil)
	}
	if err != nil {
		return err
	}
	err = s.Store.Write(ctx, func(tx Tx) error { return tx.DeleteSCIMResource(companyID, k.Name, id) })
	if allot.ErrorCode(err) == allot.ENOTFOUND {
		return notFound(k, id)
	}
	if err == nil && k == userKind {
		err = s.leaveGroups(ctx, companyID, id)
	}
	return err
}
