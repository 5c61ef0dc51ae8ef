package api_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/directory"
	"allot/programme"
	"allot/scim"
	"allot/storetest"
	"allot/support"
	"allot/webhook"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// The OpenAPI document at /openapi.json is a valid OpenAPI 3.1 document
// (checked by libopenapi-validator), describes exactly the routes of
// routes.go with their error statuses, and every route it documents
// answers with a documented status and a body of the documented schema.
// One backend is enough: the document does not depend on the store.

// routeOp is one operation: a method, a path and an operation ID.
type routeOp struct{ method, path, id string }

// routeTable reads the route table of routes.go: every composite literal
// whose first three elements are a method, a path and an operation ID.
func routeTable(t *testing.T) []routeOp {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "routes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []routeOp
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || len(lit.Elts) < 3 {
			return true
		}
		var s [3]string
		for i := range s {
			b, ok := lit.Elts[i].(*ast.BasicLit)
			if !ok || b.Kind != token.STRING {
				return true
			}
			s[i], _ = strconv.Unquote(b.Value)
		}
		switch s[0] {
		case "GET", "POST", "PUT", "PATCH", "DELETE":
			out = append(out, routeOp{s[0], s[1], s[2]})
		}
		return true
	})
	if len(out) < 30 {
		t.Fatalf("found %d routes in routes.go: has the table changed shape?", len(out))
	}
	return out
}

// openAPIDoc is the part of the document the structural checks read.
type openAPIDoc struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

type docOperation struct {
	OperationID string `json:"operationId"`
	Summary     string `json:"summary"`
	Parameters  []struct {
		Name     string `json:"name"`
		In       string `json:"in"`
		Required bool   `json:"required"`
	} `json:"parameters"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema map[string]any `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

// operationMethods are the keys of a path item that are operations.
var operationMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func getDocument(t *testing.T, e *env) []byte {
	t.Helper()
	res, body := e.do(request{method: "GET", path: "/openapi.json"})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "json") {
		t.Fatalf("GET /openapi.json: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	return []byte(body)
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Backends[0])
	raw := getDocument(t, e)
	doc, err := libopenapi.NewDocument(raw)
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.GetVersion(); !strings.HasPrefix(v, "3.1.") {
		t.Fatalf("OpenAPI %s, want 3.1", v)
	}
	if _, err := doc.BuildV3Model(); err != nil {
		t.Fatalf("build the document's model (its references): %v", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if valid, errs := v.ValidateDocument(); !valid || len(errs) > 0 {
		for _, err := range errs {
			t.Error(err)
		}
		t.Fatal("the document is not a valid OpenAPI 3.1 document")
	}

	// Every $ref resolves within the document.
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	refs := 0
	walkRefs(tree, func(ref string) {
		refs++
		if _, ok := resolveRef(tree, ref); !ok {
			t.Errorf("$ref %s resolves to nothing in the document", ref)
		}
	})
	if refs == 0 {
		t.Error("no $ref in the document: the check above asserts nothing")
	}
}

// walkRefs calls f with the value of every $ref in v.
func walkRefs(v any, f func(string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" {
				f(s)
			}
			walkRefs(x, f)
		}
	case []any:
		for _, x := range v {
			walkRefs(x, f)
		}
	}
}

// resolveRef resolves a local JSON reference (#/a/b) in doc.
func resolveRef(doc any, ref string) (any, bool) {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	v := doc
	for _, k := range strings.Split(p, "/") {
		k = strings.ReplaceAll(strings.ReplaceAll(k, "~1", "/"), "~0", "~")
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Backends[0])
	var doc openAPIDoc
	if err := json.Unmarshal(getDocument(t, e), &doc); err != nil {
		t.Fatal(err)
	}
	var documented []routeOp
	ids := map[string]bool{}
	for path, item := range doc.Paths {
		for m, rawOp := range item {
			if !slices.Contains(operationMethods, m) {
				continue
			}
			var op docOperation
			if err := json.Unmarshal(rawOp, &op); err != nil {
				t.Fatalf("%s %s: %v", m, path, err)
			}
			r := routeOp{strings.ToUpper(m), path, op.OperationID}
			documented = append(documented, r)
			t.Run(op.OperationID, func(t *testing.T) { checkOperation(t, r, op) })
			if ids[op.OperationID] {
				t.Errorf("operationId %s twice", op.OperationID)
			}
			ids[op.OperationID] = true
		}
	}
	table := routeTable(t)
	for _, r := range table {
		if !slices.Contains(documented, r) {
			t.Errorf("%s %s (%s) of routes.go is not in the document", r.method, r.path, r.id)
		}
	}
	for _, r := range documented {
		if !slices.Contains(table, r) {
			t.Errorf("%s %s (%s) of the document is not in routes.go", r.method, r.path, r.id)
		}
	}
}

// checkOperation checks one operation of the document: its ID and
// summary, its path parameters, a success response, and the error statuses
// routes.go documents, each a problem+json Problem.
func checkOperation(t *testing.T, r routeOp, op docOperation) {
	if op.OperationID == "" || strings.TrimSpace(op.Summary) == "" {
		t.Errorf("%s %s: operationId %q, summary %q", r.method, r.path, op.OperationID, op.Summary)
	}
	for _, seg := range strings.Split(r.path, "/") {
		name, ok := strings.CutPrefix(seg, "{")
		if !ok {
			continue
		}
		name = strings.TrimSuffix(name, "}")
		if !slices.ContainsFunc(op.Parameters, func(p struct {
			Name     string `json:"name"`
			In       string `json:"in"`
			Required bool   `json:"required"`
		}) bool {
			return p.Name == name && p.In == "path" && p.Required
		}) {
			t.Errorf("%s %s: no required path parameter %s", r.method, r.path, name)
		}
	}
	success := false
	for status := range op.Responses {
		success = success || strings.HasPrefix(status, "2")
	}
	if !success {
		t.Errorf("%s %s documents no success response", r.method, r.path)
	}
	errors := []int{401, 403, 404, 422}
	switch {
	case r.id == "login" || r.id == "forgot-password":
		errors = []int{401, 422, 429}
	case r.method == "POST" || r.method == "PATCH" || r.method == "PUT":
		errors = append(errors, 409, 413)
	}
	for _, status := range errors {
		resp, ok := op.Responses[strconv.Itoa(status)]
		if !ok {
			t.Errorf("%s %s does not document %d", r.method, r.path, status)
			continue
		}
		if ref, _ := resp.Content["application/problem+json"].Schema["$ref"].(string); ref != "#/components/schemas/Problem" {
			t.Errorf("%s %s: %d is not a Problem in application/problem+json: %+v", r.method, r.path, status, resp.Content)
		}
	}
}

// docCall is how TestEveryDocumentedRouteAnswers calls an operation:
// {name} in the path, query and body is the env's id of that name.
type docCall struct {
	query, body string
	contentType string // of the body; JSON when empty
	company     string // Allot-Company, when set
	slug        string // {slug} in the path: an article of the starter set
	want        int    // the status, when it is known
}

var docCalls = map[string]docCall{
	"login":            {body: `{"email":"am@vendor.test","password":"` + Password + `"}`, want: 200},
	"logout":           {want: 204},
	"forgot-password":  {body: `{"email":"nobody@vendor.test"}`, want: 200},
	"send-welcome":     {company: "{acme}", want: 200},
	"list-programmes":  {want: 200},
	"create-programme": {body: `{"name":"Onboarding","products":["premium"]}`, want: 201},
	"get-programme":    {want: 200},
	"get-me":           {want: 200},
	"change-password":  {body: `{"current_password":"not it at all","new_password":"a new password here"}`, want: 422},
	"list-tokens":      {want: 200},
	"create-token":     {body: `{"name":"docs"}`, want: 201},
	"revoke-token":     {want: 200},
	"enter-company":    {body: `{"company_id":{acme}}`, want: 422}, // a token keeps no session
	"leave-company":    {want: 204},
	"list-partners":    {want: 200},
	"create-partner":   {body: `{"name":"Partner three"}`, want: 201},
	"get-partner":      {want: 200},
	"list-companies":   {query: "q=ac", want: 200},
	"create-company":   {body: `{"name":"New Co","partner_id":{partner1},"first_order":{"product":"premium","quantity":3}}`, want: 201},
	"get-company":      {want: 200},
	"update-company":   {body: `{"suspended":false}`, want: 200},
	"list-products":    {want: 200},
	"create-product":   {body: `{"code":"ai-coach","name":"AI coach"}`, want: 201},
	"create-staff":     {body: `{"email":"new.agent@vendor.test","role":"support_agent"}`, want: 201},
	"list-members":     {query: "limit=10", want: 200},
	"add-user":         {body: `{"email":"new@acme.test","first_name":"Ada"}`, company: "{acme}", want: 201},
	"get-user":         {want: 200},
	"remove-user":      {company: "{acme}", want: 200},
	"update-user":      {body: `{"department":"Sales"}`, company: "{acme}", want: 200},
	"export-members":   {query: "status=active", want: 200},
	"upload-import": {query: "kind=users&file_name=people.csv", body: "E-mail;Name\r\nann@acme.test;Ann\r\n", contentType: "text/csv",
		company: "{acme}", want: 201},
	"list-imports":      {query: "limit=5", want: 200},
	"get-import":        {want: 200},
	"preview-import":    {body: `{"mapping":{"email":"email"}}`, company: "{acme}", want: 200},
	"confirm-import":    {company: "{acme}", want: 200},
	"list-import-rows":  {query: "action=error", want: 200},
	"get-import-errors": {want: 200},
	"list-orders":       {query: "status=requested,assigned&sort=oldest", want: 200},
	"request-order":     {body: `{"company_id":{acme},"product":"premium","quantity":2,"po_ref":"PO-9"}`, want: 201},
	"get-order":         {want: 200},
	"assign-order":      {want: 200},
	"cancel-order":      {want: 200},
	"reject-order":      {body: `{"reason":"over the contract"}`, want: 200},
	"list-pools":        {want: 200},
	"list-seats":        {query: "company_id={acme}&held=true", want: 200},
	"allocate-seat":     {body: `{"user_id":{acme.cm},"product":"premium"}`, company: "{acme}", want: 201},
	"release-seat":      {body: `{"reason":"other"}`, company: "{acme}", want: 200},
	"reallocate-seat":   {body: `{"user_id":{globex.cm}}`, company: "{globex}", want: 200},
	"list-expired":      {query: "product=premium", want: 200},
	"renew":             {body: `{"product":"premium","all":true}`, company: "{acme}", want: 422}, // nobody expired
	"transfer-seats":    {body: `{"to_company_id":{beta},"count":2}`, want: 201},
	"fill-waiting":      {company: "{acme}", want: 200},
	"set-fill-waiting":  {body: `{"on":true}`, company: "{acme}", want: 200},
	"list-events":       {query: "limit=5", want: 200},
	"list-reports":      {want: 200},
	"get-report":        {slug: "seats", query: "days=30", want: 200},
	"check":             {query: "user=learner@solo.test&product=premium", want: 200},
	"record-login":      {body: `{"user":"learner@solo.test"}`, want: 204},

	// The vendor's endpoints made by the test: one read, changed and
	// rotated, with the deliveries of the world's seats, one of which is
	// replayed; one deleted.
	"list-webhooks":           {want: 200},
	"create-webhook":          {body: `{"url":"https://203.0.113.10/docs","types":["seat.given","order.assigned"],"description":"Docs"}`, want: 201},
	"get-webhook":             {want: 200},
	"update-webhook":          {body: `{"description":"Changed","enabled":true}`, want: 200},
	"delete-webhook":          {want: 204},
	"rotate-webhook-secret":   {want: 200},
	"list-webhook-deliveries": {query: "status=pending&limit=5", want: 200},
	"get-webhook-delivery":    {want: 200},
	"replay-webhook-delivery": {want: 200},
	"list-webhook-types":      {want: 200},

	// Acme's and Channel One's single sign-on, connected by the test.
	// Acme's SCIM token, made by the test: read, revoked, made again.
	"get-company-scim":          {want: 200},
	"revoke-company-scim-token": {want: 204},
	"new-company-scim-token":    {want: 201},

	"get-company-sso":    {want: 200},
	"put-company-sso":    {body: `{"issuer":"https://login.acme.example","client_id":"allot","client_secret":"s","domains":["acme.test"]}`, want: 200},
	"delete-company-sso": {want: 204},
	"get-partner-sso":    {want: 200},
	"put-partner-sso":    {body: `{"issuer":"https://login.channel.example","client_id":"allot","client_secret":"s","domains":["channel.test"]}`, want: 200},
	"delete-partner-sso": {want: 204},

	// Acme's LDAP directory, its group mapping and a run the safety limit
	// held, made by the test.
	"list-directory-groups": {want: 200},
	"map-directory-group":   {body: `{"group":"cn=doc,dc=acme","product":"coaching"}`, company: "{acme}", want: 201},
	"unmap-directory-group": {company: "{acme}", want: 204},
	"get-directory-ldap":    {want: 200},
	"put-directory-ldap":    {body: `{"preset":"openldap","url":"ldap://ldap.acme.test","bind_dn":"cn=allot,dc=acme","password":"s3cret","base_dn":"dc=acme"}`, company: "{acme}", want: 200},
	"sync-directory-ldap":   {body: `{"full":true,"preview":true}`, company: "{acme}", want: 200},
	"list-directory-runs":   {query: "limit=5", want: 200},
	"confirm-directory-run": {company: "{acme}", want: 200},
	"delete-directory-ldap": {company: "{acme}", want: 204},
	"get-directory-owned":   {want: 200},
	"put-directory-owned":   {body: `{"fields":["email","department"]}`, company: "{acme}", want: 200},

	// Acme's programme Leaders, and the invitations to it the test makes.
	"plan-invitations":       {body: `{"pool_id":{acme.pool},"emails":"plan@acme.test","send_date":"2026-06-01","send_time":"09:00","zone":"Europe/Paris"}`, want: 200},
	"preview-invitation":     {body: `{"pool_id":{acme.pool},"emails":"preview@acme.test","lang":"de"}`, want: 200},
	"create-invitations":     {body: `{"pool_id":{acme.pool},"emails":"doc@acme.test, doc2@acme.test","send_date":"2026-06-01","send_time":"09:00","zone":"Europe/Paris"}`, want: 201},
	"list-invitations":       {query: "scheduled=true", want: 200},
	"list-programme-members": {query: "status=scheduled,invited", want: 200},
	"reschedule-invitation":  {body: `{"send_date":"2026-06-02","send_time":"10:30","lang":"fr"}`, want: 200},
	"cancel-invitation":      {want: 200},
	"send-invitation-now":    {want: 200},
	"resend-invitation":      {want: 200},

	// The help centre's starter set, installed by the test.
	"list-help-articles":  {query: "drafts=true&limit=5", want: 200},
	"get-help-article":    {slug: "ordering-licences", want: 200},
	"search-help":         {query: "q=renew%20expired&limit=5", want: 200},
	"create-help-article": {body: `{"title":"Reading the audit log","body":"Open **Audit log**.","audiences":["company_managers"],"published":true}`, want: 201},
	"update-help-article": {slug: "two-step-sign-in", body: `{"published":false}`, want: 200},
	"delete-help-article": {slug: "reports-and-exports", want: 204},

	// A request of Acme's learner with a file, opened by the test; the
	// default policy it made.
	"list-support-requests":       {query: "queue=true&active=true&team=support&limit=10", want: 200},
	"open-support-request":        {body: `{"company_id":{acme},"subject":"Help","body":"Please","category":"technical","priority":"urgent"}`, want: 201},
	"get-support-request":         {want: 200},
	"update-support-request":      {body: `{"priority":"high","assignee_id":{agent}}`, want: 200},
	"write-support-message":       {body: `{"body":"More","attachments":[{"name":"a.txt","data":"aGVsbG8="}]}`, want: 201},
	"reply-support-request":       {body: `{"body":"Done","status":"solved"}`, want: 201},
	"note-support-request":        {body: `{"body":"Checked the seat"}`, want: 201},
	"escalate-support-request":    {body: `{"reason":"They plan a rollout"}`, want: 200},
	"copy-support-success":        {want: 200},
	"get-support-licences":        {want: 200},
	"get-support-attachment":      {want: 200},
	"list-support-routes":         {want: 200},
	"put-support-routes":          {body: `{"routes":[{"category":"technical","label":"Technical problem","team":"support"}]}`, want: 200},
	"list-support-policies":       {want: 200},
	"create-support-policy":       {body: `{"name":"Berlin","calendar":{"zone":"Europe/Berlin","opens":"09:00","closes":"17:00","country":"de"},"targets":{"low":{"first_response_minutes":720,"next_response_minutes":1440,"resolution_minutes":7200},"normal":{"first_response_minutes":720,"next_response_minutes":1440,"resolution_minutes":7200},"high":{"first_response_minutes":720,"next_response_minutes":1440,"resolution_minutes":7200},"urgent":{"first_response_minutes":720,"next_response_minutes":1440,"resolution_minutes":7200}}}`, want: 201},
	"put-support-policy":          {body: standardPolicy, want: 200},
	"get-home":                    {want: 200},
	"list-renewals":               {query: "partner_id={partner1}&limit=10", want: 200},
	"get-company-support-account": {want: 200},
	"put-company-support-account": {body: `{"success_id":{success}}`, want: 200},
	"get-partner-support-account": {want: 200},
	"put-partner-support-account": {body: `{}`, want: 200},
	"get-reclaim-rules":           {want: 200},
	"put-reclaim-rules":           {body: `{"rules":[{"days":90,"warn_days":14},{"product":"coaching","days":30}]}`, company: "{acme}", want: 200},
	"preview-reclaim-rules":       {want: 200},
	"list-signing-keys":           {want: 200},
	"rotate-signing-key":          {want: 201},
}

// pathIDs names the env's id each operation's {id} stands for.
var pathIDs = map[string]string{
	"revoke-token": "tok.spare", "get-partner": "partner1",
	"get-company": "acme", "update-company": "acme", "list-members": "acme", "add-user": "acme", "list-pools": "acme",
	"list-expired": "acme", "renew": "acme", "transfer-seats": "acme.pool", "fill-waiting": "acme", "set-fill-waiting": "acme",
	"get-user": "acme.learner", "update-user": "acme.cm", "remove-user": "acme.learner", "send-welcome": "acme.cm", "list-programmes": "acme", "create-programme": "acme", "get-programme": "acme.programme",
	"plan-invitations": "acme.programme", "preview-invitation": "acme.programme", "create-invitations": "acme.programme",
	"list-invitations": "acme", "list-programme-members": "acme.programme", "reschedule-invitation": "inv.reschedule",
	"cancel-invitation": "inv.cancel", "send-invitation-now": "inv.send", "resend-invitation": "inv.sent",
	"get-order": "acme.order", "assign-order": "acme.order", "cancel-order": "globex.order", "reject-order": "solo.order",
	"release-seat": "acme.seat", "reallocate-seat": "globex.seat",
	"export-members": "acme", "upload-import": "acme", "list-imports": "acme",
	"get-import": "import.previewed", "list-import-rows": "import.previewed", "get-import-errors": "import.previewed",
	"confirm-import": "import.previewed", "preview-import": "import.uploaded",
	"get-company-sso": "acme", "put-company-sso": "acme", "delete-company-sso": "acme",
	"get-company-scim": "acme", "new-company-scim-token": "acme", "revoke-company-scim-token": "acme",
	"get-partner-sso": "partner1", "put-partner-sso": "partner1", "delete-partner-sso": "partner1",
	"list-directory-groups": "acme", "map-directory-group": "acme", "unmap-directory-group": "acme", "get-directory-ldap": "acme",
	"put-directory-ldap": "acme", "sync-directory-ldap": "acme", "list-directory-runs": "acme", "confirm-directory-run": "run.held",
	"delete-directory-ldap": "acme", "get-directory-owned": "acme", "put-directory-owned": "acme",
	"get-support-request": "support.request", "update-support-request": "support.request", "write-support-message": "support.request",
	"reply-support-request": "support.request", "note-support-request": "support.request", "escalate-support-request": "support.request",
	"copy-support-success": "support.request", "get-support-licences": "support.request", "get-support-attachment": "support.attachment",
	"put-support-policy": "support.policy", "get-company-support-account": "acme", "put-company-support-account": "acme",
	"get-partner-support-account": "partner1", "put-partner-support-account": "partner1",
	"get-reclaim-rules": "acme", "put-reclaim-rules": "acme", "preview-reclaim-rules": "acme",
	"get-webhook": "hook", "update-webhook": "hook", "rotate-webhook-secret": "hook", "list-webhook-deliveries": "hook",
	"delete-webhook": "hook.spare", "get-webhook-delivery": "hook.delivery", "replay-webhook-delivery": "hook.delivery",
}

func TestEveryDocumentedRouteAnswers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Backends[0])
	raw := getDocument(t, e)
	libdoc, err := libopenapi.NewDocument(raw)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(libdoc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	var doc openAPIDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	admin := must(e.svc.User(allot.WithPrincipal(context.Background(), allot.System), e.ids["admin"]))(t)
	tok, _, err := e.svc.CreateToken(allot.WithPrincipal(context.Background(), admin.Principal()), "spare", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	e.ids["tok.spare"] = tok.ID
	upload := directory.NewImport{CompanyID: e.ids["acme"], Kind: directory.ImportUsers, Data: []byte("email\nnew@acme.test\nbad e-mail\n")}
	e.ids["import.uploaded"] = must(e.dir.UploadImport(actingIn(e.ids["acme"]), upload))(t).ID
	previewed := must(e.dir.UploadImport(actingIn(e.ids["acme"]), upload))(t).ID
	must(e.dir.PreviewImport(actingIn(e.ids["acme"]), previewed, directory.Mapping{directory.FieldEmail: "email"}))(t)
	if err := e.dir.RunImportStep(context.Background(), previewed); err != nil {
		t.Fatal(err)
	}
	e.ids["import.previewed"] = previewed
	e.ids["acme.programme"] = must(e.programs.Create(actingIn(e.ids["acme"]), programme.NewProgramme{CompanyID: e.ids["acme"],
		Name: "Leaders", Products: []string{"premium"}}))(t).ID
	// Invitations to it: three scheduled (to move, to cancel and to send
	// now) and one sent (to send again).
	scheduled := must(e.programs.Confirm(actingIn(e.ids["acme"]), programme.Invite{ProgrammeID: e.ids["acme.programme"],
		PoolID: e.ids["acme.pool"], Emails: "move@acme.test cancel@acme.test send@acme.test",
		At: programme.Wall{Year: 2026, Month: time.June, Day: 1, Hour: 9}, Zone: "Europe/Paris"}))(t)
	sent := must(e.programs.Confirm(actingIn(e.ids["acme"]), programme.Invite{ProgrammeID: e.ids["acme.programme"],
		PoolID: e.ids["acme.pool"], Emails: "sent@acme.test"}))(t)
	e.ids["inv.reschedule"], e.ids["inv.cancel"], e.ids["inv.send"] = scheduled.IDs[0], scheduled.IDs[1], scheduled.IDs[2]
	e.ids["inv.sent"] = sent.IDs[0]
	// Acme and Channel One have single sign-on, which is read, then
	// disconnected and connected again.
	accounts := &account.Service{Ledger: e.svc, Store: e.db.Account()}
	sys := allot.WithPrincipal(context.Background(), allot.System)
	for o, domain := range map[account.Owner]string{{CompanyID: e.ids["acme"]}: "acme.test", {PartnerID: e.ids["partner1"]}: "channel.test"} {
		must(accounts.Connect(sys, o, account.ConnectionInput{Issuer: "https://login.example.test", ClientID: "allot", ClientSecret: "s",
			Domains: []string{domain}}))(t)
	}
	// Acme has an LDAP directory, whose mapping is removed, and a run the
	// safety limit held, which is confirmed.
	e.ids["mapping"], e.ids["run.held"] = e.heldRun(t)
	// Acme has a SCIM token, which is read, revoked, then made again.
	scims := &scim.Service{Ledger: e.svc, Store: e.db.SCIM(), Directory: e.dir}
	must2(scims.NewToken(allot.WithPrincipal(context.Background(), allot.System), e.ids["acme"]))(t)
	must(e.support.InstallStarter(allot.WithPrincipal(context.Background(), allot.System)))(t)
	// Acme's learner asks the desk, with a file; the request is read, changed,
	// answered and escalated, its file read, the policy it follows changed.
	learner := must(e.svc.User(sys, e.ids["acme-learner"]))(t).Principal()
	req := must(e.support.Open(allot.WithPrincipal(context.Background(), learner), support.NewRequest{Subject: "Locked out",
		Body: "No seat", Category: "member_access", Attachments: []support.Upload{{Name: "steps.txt", Data: []byte("1. sign in")}}}))(t)
	e.ids["support.request"], e.ids["support.policy"] = req.ID, req.PolicyID
	e.ids["support.attachment"] = must(e.support.Get(sys, req.ID))(t).Messages[0].Attachments[0].ID
	// The vendor's endpoint of seats given, with the deliveries of the
	// world's, and a spare one to delete.
	e.ids["hook"] = must(e.webhooks.CreateEndpoint(sys, webhook.NewEndpoint{URL: "https://203.0.113.10/allot", Types: []string{"seat.given"}}))(t).ID
	e.ids["hook.spare"] = must(e.webhooks.CreateEndpoint(sys, webhook.NewEndpoint{URL: "https://203.0.113.11/spare", Types: []string{"user.added"}}))(t).ID
	deliverAll(t, e.svc, e.webhooks, false)
	if ds := must(e.webhooks.Deliveries(sys, webhook.DeliveryFilter{EndpointID: e.ids["hook"], Limit: 1}))(t); len(ds) == 1 {
		e.ids["hook.delivery"] = ds[0].ID
	} else {
		t.Fatal("no delivery of the world's seats to the vendor's endpoint")
	}

	var ops []routeOp
	for path, item := range doc.Paths {
		for m, rawOp := range item {
			if !slices.Contains(operationMethods, m) {
				continue
			}
			var op docOperation
			if err := json.Unmarshal(rawOp, &op); err != nil {
				t.Fatal(err)
			}
			ops = append(ops, routeOp{strings.ToUpper(m), path, op.OperationID})
		}
	}
	// Reads first, then writes, each in the order of their paths, so that
	// a write does not change what a read finds.
	slices.SortFunc(ops, func(a, b routeOp) int {
		if (a.method == "GET") != (b.method == "GET") {
			if a.method == "GET" {
				return -1
			}
			return 1
		}
		return strings.Compare(a.path+" "+a.method, b.path+" "+b.method)
	})
	for _, r := range ops {
		t.Run(r.id, func(t *testing.T) {
			c, ok := docCalls[r.id]
			if !ok {
				t.Fatalf("no call of %s in docCalls: add one", r.id)
			}
			path := strings.ReplaceAll(r.path, "{slug}", c.slug)
			if strings.Contains(path, "{id}") {
				name, ok := pathIDs[r.id]
				if !ok {
					t.Fatalf("no id of %s in pathIDs: add one", r.id)
				}
				path = strings.ReplaceAll(path, "{id}", "{"+name+"}")
			}
			if c.query != "" {
				path += "?" + c.query
			}
			req, err := http.NewRequest(r.method, e.srv.URL+e.path(path), strings.NewReader(e.path(c.body)))
			if err != nil {
				t.Fatal(err)
			}
			if c.body != "" {
				req.Header.Set("Content-Type", cmp.Or(c.contentType, "application/json"))
			}
			if r.id != "login" {
				req.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
			}
			if c.company != "" {
				req.Header.Set("Allot-Company", e.path(c.company))
			}
			res, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			ct := res.Header.Get("Content-Type")
			switch {
			case res.StatusCode == http.StatusMethodNotAllowed, res.StatusCode == http.StatusNotFound && ct != "application/problem+json":
				t.Fatalf("%s %s: the router answers %d %s: %s", r.method, path, res.StatusCode, ct, body)
			case res.StatusCode >= 500:
				t.Fatalf("%s %s: %d %s", r.method, path, res.StatusCode, body)
			case c.want != 0 && res.StatusCode != c.want:
				t.Errorf("%s %s: %d, want %d\n%s", r.method, path, res.StatusCode, c.want, body)
			}
			var op docOperation
			json.Unmarshal(doc.Paths[r.path][strings.ToLower(r.method)], &op)
			if _, ok := op.Responses[strconv.Itoa(res.StatusCode)]; !ok {
				t.Errorf("%s %s answers %d, which the document does not list", r.method, path, res.StatusCode)
			}

			// The body is what the document says the status carries.
			req.Body = io.NopCloser(strings.NewReader(e.path(c.body)))
			res.Body = io.NopCloser(bytes.NewReader(body))
			if valid, errs := v.ValidateHttpResponse(req, res); !valid {
				for _, err := range errs {
					t.Errorf("%s %s: %d response: %v", r.method, path, res.StatusCode, err)
				}
				t.Logf("body: %s", body)
			}
		})
	}
}

// TestResponseValidationFails shows that the response validation above
// can fail: a body that breaks its schema is refused.
func TestResponseValidationFails(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Backends[0])
	libdoc, err := libopenapi.NewDocument(getDocument(t, e))
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(libdoc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	for _, bad := range []string{
		`{"id":"twelve","name":"acme","suspended":false,"created_at":"2026-03-02T09:00:00Z"}`,
		`{"id":12,"name":"acme","created_at":"2026-03-02T09:00:00Z"}`,
	} {
		req, _ := http.NewRequest("GET", e.srv.URL+fmt.Sprintf("/v1/companies/%d", e.ids["acme"]), nil)
		res := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(bad)), Request: req}
		if valid, _ := v.ValidateHttpResponse(req, res); valid {
			t.Errorf("the body %s passes as a company", bad)
		}
	}
}
