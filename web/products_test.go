package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"allot/storetest"
)

// TestProductURL checks that the Products page takes where a product's
// learners use it, at an https address only, and links to it.
func TestProductURL(t *testing.T) {
	s := newSite(t, storetest.Backends[0])
	admin := s.signIn(t, "admin@vendor.test")
	res, body := admin.post("/products", url.Values{"code": {"ar"}, "name": {"AR"}, "url": {"http://ar.example.com"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an http address: status %d, want 422", res.StatusCode)
	}
	expect(t, "an http address", body, []string{`<p class="field-error" id="url-error">the address starts with https://</p>`, `value="http://ar.example.com"`}, nil)

	res, body = admin.post("/products", url.Values{"code": {"vr"}, "name": {"VR"}, "url": {"https://vr.example.com/start"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", res.StatusCode, body)
	}
	expect(t, "the products", body, []string{`<a href="https://vr.example.com/start">https://vr.example.com/start</a>`}, []string{"ar.example.com"})
}
