package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"allot"
	"allot/csvio"
	"allot/directory"
	"allot/scim"
)

// scimPeople are the people Stark's identity provider provisions: the
// first three are in its design team, whose members hold a seat of
// premium; the fourth is in no mapped group, and holds none; the last one
// it deactivated.
var scimPeople = []struct {
	first, last string
	active      bool
}{{"Iris", "Vale", true}, {"Omar", "Reyes", true}, {"Lina", "Park", true}, {"Theo", "Grant", true}, {"Ruth", "Moss", false}}

// directorySync gives Stark a SCIM connection, as its identity provider
// would use it: a token, people and a group sent over SCIM, and the group
// mapped to premium. It returns the token, for trying SCIM by hand.
func (l *loader) directorySync(store Store, c allot.Company) string {
	dir := &directory.Service{Ledger: l.svc, Store: store.Directory(), Files: csvio.Files{}}
	svc := &scim.Service{Ledger: l.svc, Store: store.SCIM(), Directory: dir}
	var manager allot.User
	l.do(func() (err error) {
		manager, err = l.svc.UserByEmail(l.ctx, "manager@stark.demo")
		return err
	})
	var token string
	l.do(func() (err error) {
		_, token, err = svc.NewToken(l.as(manager), c.ID)
		return err
	})
	client := scimClient{h: scim.New(scim.Config{Service: svc}), token: token}
	var group string
	l.do(func() (err error) {
		group, err = client.send(http.MethodPost, "/Groups", map[string]any{
			"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": "Design team"})
		if err != nil {
			return err
		}
		_, err = dir.MapGroup(l.as(manager), c.ID, group, "premium")
		return err
	})
	var members []map[string]string
	for i, p := range scimPeople {
		l.do(func() error {
			email := fmt.Sprintf("%s.%s@stark.demo", strings.ToLower(p.first), strings.ToLower(p.last))
			id, err := client.send(http.MethodPost, "/Users", map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
				"userName": email, "active": p.active, "name": map[string]string{"givenName": p.first, "familyName": p.last},
				"emails": []map[string]any{{"value": email, "type": "work", "primary": true}}})
			if i < 3 {
				members = append(members, map[string]string{"value": id})
			}
			return err
		})
	}
	l.do(func() error {
		_, err := client.send(http.MethodPatch, "/Groups/"+group, map[string]any{
			"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
			"Operations": []map[string]any{{"op": "add", "path": "members", "value": members}}})
		return err
	})
	return token
}

// scimClient sends SCIM requests to allot's SCIM surface in this process,
// as an identity provider would over HTTP.
type scimClient struct {
	h     http.Handler
	token string
}

// send sends doc to path and returns the id of the resource it answers
// with, if any.
func (c scimClient) send(method, path string, doc map[string]any) (string, error) {
	body, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	r := httptest.NewRequest(method, scim.Prefix+path, bytes.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+c.token)
	r.Header.Set("Content-Type", "application/scim+json")
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	var answer struct{ ID string }
	if w.Code >= 300 || w.Code != http.StatusNoContent && json.Unmarshal(w.Body.Bytes(), &answer) != nil {
		return "", fmt.Errorf("SCIM %s %s: %d %s", method, path, w.Code, w.Body.String())
	}
	return answer.ID, nil
}
