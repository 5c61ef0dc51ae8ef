package api_test

import (
	"testing"

	"allot/storetest"
)

// TestProductURL checks that a product may name where its learners use it,
// at an https address only.
func TestProductURL(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Backends[0])
	e.run(t, []scenario{
		{name: "an https address", request: request{who: "admin", method: "POST", path: "/v1/products",
			body: `{"code":"vr","name":"VR","url":"https://vr.example.com/start"}`},
			status: 201, want: []string{`"code":"vr"`, `"url":"https://vr.example.com/start"`}},
		{name: "listed", request: request{who: "acme-learner", method: "GET", path: "/v1/products"},
			status: 200, want: []string{`"url":"https://vr.example.com/start"`}},
		{name: "not http", request: request{who: "admin", method: "POST", path: "/v1/products",
			body: `{"code":"ar","name":"AR","url":"http://ar.example.com"}`},
			status: 422, want: []string{`"code":"invalid"`, `"location":"body.url"`, "https"}},
		{name: "nor a script", request: request{who: "admin", method: "POST", path: "/v1/products",
			body: `{"code":"ar","name":"AR","url":"javascript:alert(1)"}`},
			status: 422, want: []string{`"location":"body.url"`}},
	})
}
