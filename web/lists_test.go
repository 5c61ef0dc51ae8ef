package web_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/web"
	"allot/world"
)

// shortLicences gives Beta's learner a seat of Coaching from a pool of one
// day, then gives Beta a second pool of Coaching of three days, and moves
// the clock a day and an hour on: the learner's seat has expired, and
// Beta's licences end in two days (one day and 23 hours).
func (s *site) shortLicences(t *testing.T) {
	t.Helper()
	w := s.w
	short := w.Assigned(allot.NewOrder{CompanyID: w.Beta.Company.ID, ProductCode: "coaching", Quantity: 1, TermDays: 1})
	world.Must(w.Svc.Allocate(w.As(w.Managing(w.Beta.Company)), w.Beta.Learner.ID, "coaching", short.ID))(t)
	w.Assigned(allot.NewOrder{CompanyID: w.Beta.Company.ID, ProductCode: "coaching", Quantity: 4, TermDays: 3})
	w.Clock.Advance(25 * time.Hour)
}

// waiting adds n learners to Beta beyond its free seats of Premium: they
// wait for one.
func (s *site) waiting(t *testing.T, n int) {
	t.Helper()
	w := s.w
	free := w.Beta.Pool.Quantity - 1
	for i := range free + n {
		world.Must(w.Svc.AddUser(w.As(w.Managing(w.Beta.Company)), allot.NewUser{Email: fmt.Sprintf("b%d@beta.test", i),
			CompanyID: w.Beta.Company.ID}))(t)
	}
}

// customerRows returns the rows of each customer of a customers page, by
// name.
func customerRows(body string) map[string]string {
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`(?s)<tbody class="customer" id="customer-\d+">(.*?)</tbody>`).FindAllStringSubmatch(body, -1) {
		name := regexp.MustCompile(`<span class="customer-name">([^<]*)</span>`).FindStringSubmatch(m[1])
		if name != nil {
			out[name[1]] = m[1]
		}
	}
	return out
}

func TestCustomersPerProductWithBadges(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		s.shortLicences(t)
		s.waiting(t, 2)
		pm := s.signIn(t, "pm@channel.test")
		res, body := pm.get("/customers")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", res.StatusCode, body)
		}
		expect(t, "the partner's customers", body, []string{`<p class="list-total">2 customers</p>`}, []string{"Globex", "Solo"})
		rows := customerRows(body)
		acme, beta := rows["Acme"], rows["Beta"]
		expect(t, "Acme", acme,
			[]string{"3 pending orders", `href="/orders?status=requested&company=` + s.id("acme") + `"`,
				// Premium and Coaching apart, never added together.
				"<td>Premium<br><span class=\"muted\">13 more on order</span></td>",
				`<td class="num">10</td><td class="num">3</td><td class="num">7</td>`,
				"<td>Coaching</td>", `<td class="num">10</td><td class="num">0</td><td class="num">10</td>`,
				`href="/transfer?from=` + s.id("acme") + `"`, `action="/manage/` + s.id("acme") + `"`},
			[]string{"Expires in", "expired learner", "for a seat", `<td class="num">20</td>`})
		expect(t, "Beta", beta,
			[]string{`<span class="badge expiring">Expires in 2 days</span>`, "1 pending order<", "1 expired learner<",
				"2 learners wait for a seat", "<td>Coaching</td>", `<td class="num">4</td><td class="num">0</td><td class="num">4</td>`,
				`<td class="num">10</td><td class="num">10</td><td class="num">0</td>`},
			// The pool of one day has ended: its seat is neither bought nor free.
			[]string{`<td class="num">5</td>`})

		// Sorting by name, down; the header says so.
		_, body = pm.get("/customers?sort=name&dir=desc")
		if b, a := strings.Index(body, `"customer-name">Beta`), strings.Index(body, `"customer-name">Acme`); b < 0 || a < b {
			t.Errorf("by name, down: Beta at %d, Acme at %d", b, a)
		}
		expect(t, "sorted down", body, []string{`<th aria-sort="descending"><a href="/customers?dir=asc&sort=name">Company</a></th>`,
			`<th class="hide-small" aria-sort="none"><a href="/customers?dir=desc&sort=since">Customer since</a></th>`}, nil)
		_, body = pm.get("/customers?sort=since&dir=desc")
		if b, a := strings.Index(body, `"customer-name">Beta`), strings.Index(body, `"customer-name">Acme`); b < 0 || a < b {
			t.Errorf("newest first: Beta at %d, Acme at %d", b, a)
		}
		res, body = pm.get("/customers?sort=partner")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `sort="partner" cannot be used`) {
			t.Errorf("an unknown sort: status %d\n%s", res.StatusCode, body)
		}

		// Another partner's customer is not found.
		if res, _ := pm.get("/customers?company=" + s.id("globex")); res.StatusCode != http.StatusNotFound {
			t.Errorf("a foreign customer: status %d, want 404", res.StatusCode)
		}
		// The vendor sees every customer, counted.
		_, body = s.signIn(t, "admin@vendor.test").get("/customers")
		expect(t, "the vendor's customers", body, []string{`<p class="list-total">4 customers</p>`, "Globex", "Solo"}, nil)
	})
}

func TestOrdersCountsSortAndAssignConfirmation(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		pm := s.signIn(t, "pm@channel.test")
		_, body := pm.get("/orders")
		// Channel One's: the world's PO-acme and PO-beta, PO-A1 and PO-B2
		// requested; Acme's Premium and Coaching and Beta's Premium assigned.
		expect(t, "the requested tab", body, []string{">Requested (4)</a>", ">Assigned (3)</a>", ">Cancelled / rejected (0)</a>",
			`<p class="list-total">4 orders</p>`,
			`action="/orders/` + s.id("a1") + `/assign" data-confirm="Assign 5 licences of Premium to Acme? Their term of 12 months starts today."`,
			"Assign 5 licences of Premium</button>"}, []string{"PO-G1"})

		// The counts follow the filters.
		_, body = pm.get("/orders?status=assigned&company=" + s.id("beta"))
		expect(t, "Beta's assigned", body, []string{">Requested (1)</a>", `aria-current="page">Assigned (1)</a>`, `<p class="list-total">1 order</p>`}, nil)

		// Oldest first, by the Requested column.
		_, body = pm.get("/orders?status=requested&sort=requested&dir=asc")
		ids := regexp.MustCompile(`<tr id="order-(\d+)">`).FindAllStringSubmatch(body, -1)
		var got []int64
		for _, m := range ids {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			got = append(got, n)
		}
		if len(got) != 4 || got[0] > got[1] || got[1] > got[2] || got[2] > got[3] || got[3] != s.ids["b2"] {
			t.Errorf("oldest first: orders %v", got)
		}
		expect(t, "sorted up", body, []string{`<th aria-sort="ascending"><a href="/orders?dir=desc&sort=requested&status=requested">Requested</a></th>`,
			`<input type="hidden" name="sort" value="requested">`}, nil)
		res, _ := pm.get("/orders?dir=sideways")
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("an unknown direction: status %d, want 422", res.StatusCode)
		}
	})
}

func TestProductPickersStartWithTheCompanyProduct(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		selectedProduct := regexp.MustCompile(`(?s)<select name="product"[^>]*>.*?<option value="([^"]*)" selected>`)
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/orders")
		if m := selectedProduct.FindStringSubmatch(body); m == nil || m[1] != "premium" {
			t.Errorf("request licences: product %v selected, want premium, Acme's default", m)
		}
		res, body := cm.post("/company/orders", url.Values{"product": {"coaching"}, "quantity": {"10"}})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("request: status %d\n%s", res.StatusCode, body)
		}
		if !regexp.MustCompile(`Order \d+ requested: 10 licences of Coaching\. You will be told`).MatchString(body) {
			t.Errorf("the confirmation does not name the product\n%s", body)
		}
		res, body = cm.post("/company/orders", url.Values{"quantity": {"10"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="product-error"`) {
			t.Errorf("no product: status %d, want 422 with the error beside the product\n%s", res.StatusCode, body)
		}

		// A partner's new customer starts with the product its customers
		// order most; a partner without orders is asked to choose.
		_, body = s.signIn(t, "pm@channel.test").get("/customers/new")
		if m := selectedProduct.FindStringSubmatch(body); m == nil || m[1] != "premium" {
			t.Errorf("new customer: product %v selected, want premium", m)
		}
		_, body = s.signIn(t, "pm@east.test").get("/customers/new")
		if m := selectedProduct.FindStringSubmatch(body); m == nil || m[1] != "" || !strings.Contains(body, "Choose a product") {
			t.Errorf("new customer of a partner without orders: product %v selected, want a choice asked", m)
		}
	})
}

func TestLicencesShowExpiredApartAndWhatIsOnOrder(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		s.shortLicences(t)
		cm := s.signIn(t, "cm@beta.test")
		res, body := cm.post("/company/orders", url.Values{"product": {"coaching"}, "quantity": {"6"}})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("request: status %d\n%s", res.StatusCode, body)
		}
		_, body = cm.get("/company/licences")
		live, expired, _ := strings.Cut(body, `<h2 id="expired-heading">Expired</h2>`)
		if expired == "" {
			t.Fatalf("no Expired section\n%s", body)
		}
		expect(t, "what is live", live,
			[]string{"<strong>Coaching</strong>:\n    4 free of 4 (0 used);", "6 more on order</a>, requested 3 Mar 2026.",
				"<strong>Premium</strong>:\n    9 free of 10 (1 used);\n    <a href=\"/company/orders\">1 more on order</a>, requested 2 Mar 2026."},
			[]string{"5 free", "of 5"})
		expect(t, "what expired", expired, []string{"<td>Coaching</td>", `<td class="num">1</td><td class="num">1</td>`}, []string{"Premium"})

		_, body = cm.get("/company/expired?product=coaching")
		expect(t, "renewing while seats are on order", body,
			[]string{"learner@beta.test", "6 licences of Coaching are on order (requested 3 Mar 2026); they can be renewed once the order is assigned."},
			[]string{"Request more licences"})
		_, body = cm.get("/company/expired?product=premium")
		expect(t, "nothing expired of Premium", body, nil, []string{"on order"})
		expect(t, "only Beta's", body, nil, []string{"Acme"})
	})
}

func TestAuditLogInWordsFilteredAndExported(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		if res, _ := cm.post("/company/orders", url.Values{"product": {"premium"}, "quantity": {"2"}}); res.StatusCode != http.StatusOK {
			t.Fatalf("request: status %d", res.StatusCode)
		}
		cmID := strconv.FormatInt(s.w.Users["acme cm"].ID, 10)
		_, body := cm.get("/company/audit")
		expect(t, "the company's log", body,
			[]string{"Requested an order", "Gave a seat", "Added a person", `<a href="/company/users/` + cmID + `">`,
				`<a href="/company/orders#order-`, `>seat of `, "Download as CSV", "entries</p>"},
			[]string{">order.request<", ">seat.allocate<", "<td>order ", "user " + cmID})

		_, body = cm.get("/company/audit?action=order.request&person=cm@acme.test")
		expect(t, "filtered", body, []string{`<p class="list-total">1 entry</p>`, "Requested an order",
			`<option value="order.request" selected>Requested an order</option>`, `value="cm@acme.test"`, "Clear filters"},
			[]string{"<td>Gave a seat</td>"})
		_, body = cm.get("/company/audit?action=order.request&from=2026-03-01&to=2026-03-01")
		expect(t, "before anything", body, []string{"Nothing recorded matches these filters."}, []string{"Requested an order</td>"})

		for _, c := range []struct{ query, field, want string }{
			{"from=yesterday", "from", "give a date such as 2026-03-31"},
			{"from=2026-03-05&to=2026-03-01", "to", "the end date comes before the start date"},
			{"action=order.teleport", "action", "no action order.teleport is recorded"},
			{"person=nobody@acme.test", "person", "no one among your people has the e-mail or number nobody@acme.test"},
			{"person=pm2@channel2.test", "person", "no one among your people"},
		} {
			res, body := cm.get("/company/audit?" + c.query)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `<p class="field-error" id="`+c.field+`-error">`+c.want) {
				t.Errorf("%s: status %d, want 422 and %q beside %s\n%s", c.query, res.StatusCode, c.want, c.field, body)
			}
		}

		records := cm.download("/company/audit.csv?action=order.request", `^acme-audit-\d{4}-\d\d-\d\d\.csv$`)
		if len(records) < 3 || strings.Join(records[0], ",") != "at,actor_email,actor,manage_mode,company_id,company,action,what,subject_type,subject_id,subject,before,after" {
			t.Fatalf("the CSV: %v", records)
		}
		for _, r := range records[1:] {
			if r[6] != "order.request" || r[7] != "Requested an order" || r[5] != "Acme" {
				t.Errorf("a row of the filtered CSV: %v", r)
			}
		}
		if records[1][1] != "cm@acme.test" {
			t.Errorf("the newest request by %s, want cm@acme.test", records[1][1])
		}

		// The partner's log names the customers and links to them; another
		// partner's customer is not found, in the page and the file.
		pm := s.signIn(t, "pm@channel.test")
		_, body = pm.get("/audit?company=" + s.id("acme") + "&action=order.request")
		expect(t, "the partner's log", body, []string{`<a href="/customers?company=` + s.id("acme") + `">Acme</a>`,
			`href="/orders?status=assigned,cancelled,rejected,requested&company=` + s.id("acme") + `#order-`},
			[]string{">Beta</a>", ">Globex</a>"})
		for _, path := range []string{"/audit?company=" + s.id("globex"), "/audit.csv?company=" + s.id("globex")} {
			if res, _ := pm.get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", path, res.StatusCode)
			}
		}
		records = pm.download("/audit.csv?action=order.request", `^audit-\d{4}-\d\d-\d\d\.csv$`)
		for _, r := range records[1:] {
			if r[5] == "Globex" {
				t.Errorf("the partner's file holds Globex: %v", r)
			}
		}
		// A request is the desk's to open, for the vendor's staff.
		_, body = s.signIn(t, "admin@vendor.test").get("/audit?action=partner.create")
		expect(t, "the vendor's log", body, []string{"Created a partner"}, []string{"partner.create<"})
	})
}

// TestEveryActionHasWords reads the code for the actions it records, as
// Record's argument, an Action field or a variable named action, and wants
// words for each in the audit log.
func TestEveryActionHasWords(t *testing.T) {
	action := regexp.MustCompile(`^"([a-z_]+\.[a-z_]+)"$`)
	found := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "storetest" {
			return filepath.SkipDir // the suite's own events are no one's actions
		}
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		note := func(e ast.Expr) {
			if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if m := action.FindStringSubmatch(lit.Value); m != nil {
					found[m[1]] = path
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Record" && len(n.Args) >= 4 {
					note(n.Args[3])
				} else if ok && sel.Sel.Name == "AuditEvent" && len(n.Args) == 3 {
					note(n.Args[2])
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Action" {
					note(n.Value)
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == "action" && i < len(n.Rhs) {
						note(n.Rhs[i])
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 40 {
		t.Fatalf("found only %d actions in the code: %v", len(found), found)
	}
	for a, path := range found {
		if words := web.ActionText(a); words == a {
			t.Errorf("%s (recorded in %s) has no words in the audit log", a, path)
		}
	}
}
