package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"allot"
	"allot/directory"
	"allot/world"
)

// postOnly posts a form without following the redirect that answers it, and
// returns the answer, where it sends to and the page's text.
func (c *client) postOnly(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	no := &http.Client{Jar: c.http.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := no.PostForm(c.s.srv.URL+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	res.Body.Close()
	return res, res.Header.Get("Location")
}

// sys is a context of the system, to read what the pages did.
var sys = allot.WithPrincipal(context.Background(), allot.System)

// acme is a context of the vendor admin managing Acme, to arrange what the
// pages show.
func (s *site) acme() context.Context { return s.w.As(world.Acting(s.w.Admin, s.w.Acme.Company)) }

// person returns the user with that e-mail.
func (s *site) person(t *testing.T, email string) allot.User {
	t.Helper()
	return world.Must(s.svc.UserByEmail(sys, email))(t)
}

// liveSeat returns the live seat of premium of the person with that e-mail.
func (s *site) liveSeat(t *testing.T, email string) allot.Seat {
	t.Helper()
	for _, seat := range world.Must(s.svc.Seats(sys, allot.SeatFilter{UserID: s.person(t, email).ID}))(t) {
		if seat.Live(s.svc.Clock.Now()) {
			return seat
		}
	}
	t.Fatalf("%s holds no live seat", email)
	return allot.Seat{}
}

// status returns the licence of premium of the person with that e-mail.
func (s *site) status(t *testing.T, email string) allot.Status {
	t.Helper()
	ms := world.Must(s.svc.Members(sys, s.ids["acme"], allot.MemberFilter{UserFilter: allot.UserFilter{Search: email}}))(t)
	for _, m := range ms {
		if m.Email == email {
			return m.Status
		}
	}
	t.Fatalf("%s is not among Acme's people", email)
	return ""
}

// id is a user's id as text.
func id(u allot.User) string { return strconv.FormatInt(u.ID, 10) }

// fieldError matches an input named name marked invalid and described by
// its error, and then the error's text.
func fieldError(name, errorID string) *regexp.Regexp {
	return regexp.MustCompile(`name="` + name + `"[^>]*aria-invalid="true" aria-describedby="` + errorID + `"(?s:.*?)<p class="field-error" id="` +
		errorID + `">([^<]*)</p>`)
}

func TestUsersGiveASeatFromTheMenu(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		world.Must(s.svc.Release(s.acme(), s.liveSeat(t, "learner0@acme.test").ID, allot.ReasonLeft))(t)
		l0 := s.person(t, "learner0@acme.test")

		_, body := cm.get("/company/users?status=released")
		expect(t, "released learner's menu", body, []string{`action="/company/users/` + id(l0) + `/seat"`, "Give a seat of Premium"}, nil)

		back := "/company/users?status=released&q=learner"
		res, to := cm.postOnly("/company/users/"+id(l0)+"/seat", url.Values{"product": {"premium"}, "back": {back}, "row": {id(l0)}})
		if res.StatusCode != http.StatusSeeOther || to != back {
			t.Fatalf("give a seat: status %d to %q, want back to the list as it was", res.StatusCode, to)
		}
		_, body = cm.get(back)
		expect(t, "after", body, []string{`<p class="flash" role="status">learner0@acme.test was given a seat of Premium until`}, nil)
		if st := s.status(t, "learner0@acme.test"); st != allot.StatusActive {
			t.Errorf("status %s, want active", st)
		}

		// A second seat is refused in the row, not in Add user; when the
		// list's filters leave the row out, above the list.
		res, body = cm.post("/company/users/"+id(l0)+"/seat", url.Values{"product": {"premium"}, "back": {"/company/users?q=learner0"}, "row": {id(l0)}})
		equalStatus(t, "a second seat", res.StatusCode, http.StatusConflict)
		expect(t, "a second seat", body, []string{`<details class="menu" open>`, `<p class="field-error" id="row-error">learner0@acme.test already holds a seat`},
			[]string{`<details class="filters" open>`, `role="alert"`})
		_, body = cm.post("/company/users/"+id(l0)+"/seat", url.Values{"product": {"premium"}, "back": {back}, "row": {id(l0)}})
		expect(t, "a second seat, filtered out", body, []string{`<p class="error" role="alert"`, `>learner0@acme.test already holds a seat`},
			[]string{`<details class="filters" open>`})

		// Another company's person is not found.
		globex := s.person(t, "learner@globex.test")
		res, _ = cm.post("/company/users/"+id(globex)+"/seat", url.Values{"product": {"premium"}})
		equalStatus(t, "another company's person", res.StatusCode, http.StatusNotFound)
		res, _ = cm.post("/company/users/"+id(l0)+"/seat", url.Values{"product": {"nope"}})
		equalStatus(t, "an unknown product", res.StatusCode, http.StatusUnprocessableEntity)
	})
}

func equalStatus(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s: status %d, want %d", what, got, want)
	}
}

func TestUsersFillWaiting(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		acme := s.ids["acme"]
		world.Must(s.svc.SetFillWaiting(s.acme(), acme, false))(t)
		for i := range 9 { // 7 seats are free
			world.Must(s.svc.AddUser(s.acme(), allot.NewUser{CompanyID: acme, Email: "w" + strconv.Itoa(i) + "@acme.test"}))(t)
		}
		if st := s.status(t, "w7@acme.test"); st != allot.StatusUnlicensed {
			t.Fatalf("w7: %s, want unlicensed", st)
		}
		world.Must(s.svc.Release(s.acme(), s.liveSeat(t, "w0@acme.test").ID, allot.ReasonLeft))(t)

		_, body := cm.get("/company/users")
		expect(t, "list", body, []string{`action="/company/users/fill"`, "Give free seats to everyone waiting"}, nil)
		res, to := cm.postOnly("/company/users/fill", url.Values{"back": {"/company/users?status=unlicensed"}})
		if res.StatusCode != http.StatusSeeOther || to != "/company/users?status=unlicensed" {
			t.Fatalf("fill: status %d to %q", res.StatusCode, to)
		}
		_, body = cm.get(to)
		expect(t, "filled", body, []string{`<p class="flash" role="status">1 seat was given; 1 learner still waits: no seat is free for them.`,
			"w8@acme.test"}, []string{"w7@acme.test"})
		_, body = cm.post("/company/users/fill", nil)
		expect(t, "nothing free", body, []string{"No seat is free: 1 learner still waits for one."}, nil)

		learner := s.signIn(t, "learner@acme.test")
		res, _ = learner.post("/company/users/fill", nil)
		equalStatus(t, "a learner", res.StatusCode, http.StatusForbidden)
	})
}

func TestUsersReallocatePicker(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		acme := s.ids["acme"]
		for _, e := range [][2]string{{"anna.free@acme.test", "Anna"}, {"anne.free@acme.test", "Anne"}} {
			u := world.Must(s.svc.AddUser(s.acme(), allot.NewUser{CompanyID: acme, Email: e[0], FirstName: e[1]}))(t)
			for _, seat := range world.Must(s.svc.Seats(sys, allot.SeatFilter{UserID: u.ID}))(t) {
				world.Must(s.svc.Release(s.acme(), seat.ID, allot.ReasonOther))(t)
			}
		}
		seat := s.liveSeat(t, "learner1@acme.test")
		l1 := s.person(t, "learner1@acme.test")
		path := "/company/seats/" + strconv.FormatInt(seat.ID, 10) + "/reallocate"

		_, body := cm.get("/company/users")
		expect(t, "the picker", body, []string{`<datalist id="seatless">`, `<option value="anna.free@acme.test">Anna</option>`,
			`<input name="to" list="seatless" required`}, []string{`<option value="learner@acme.test">`})

		back := "/company/users?q=acme&status=active"
		for _, c := range []struct {
			name, to, want string
			status         int
		}{
			{"nothing typed", " ", "type the e-mail or the name of the person", http.StatusUnprocessableEntity},
			{"nobody", "zzz", `nobody of Acme without a seat of this product matches "zzz"`, http.StatusUnprocessableEntity},
			{"several", "free", `2 people match "free", such as anna.free@acme.test, anne.free@acme.test`, http.StatusUnprocessableEntity},
			{"someone with a seat", "learner@acme.test", "nobody of Acme without a seat", http.StatusUnprocessableEntity},
			{"another company's person", "learner@globex.test", "nobody of Acme without a seat", http.StatusUnprocessableEntity},
		} {
			res, body := cm.post(path, url.Values{"to": {c.to}, "product": {"premium"}, "back": {back}, "row": {id(l1)}})
			equalStatus(t, c.name, res.StatusCode, c.status)
			if m := fieldError("to", "to-error").FindStringSubmatch(body); m == nil || !strings.Contains(m[1], c.want) {
				t.Errorf("%s: want %q beside the picker\n%s", c.name, c.want, body)
			}
			expect(t, c.name, body, []string{`<details class="menu" open>`, `name="q" value="acme"`},
				[]string{`<details class="filters" open>`, `id="email-error"`})
		}

		res, to := cm.postOnly(path, url.Values{"to": {"anne"}, "product": {"premium"}, "back": {back}, "row": {id(l1)}})
		if res.StatusCode != http.StatusSeeOther || to != back {
			t.Fatalf("reallocate: status %d to %q, want back to %q", res.StatusCode, to, back)
		}
		if st := s.status(t, "anne.free@acme.test"); st != allot.StatusActive {
			t.Errorf("anne: %s, want active", st)
		}

		globexSeat := s.liveSeat(t, "learner@globex.test")
		res, _ = cm.post("/company/seats/"+strconv.FormatInt(globexSeat.ID, 10)+"/reallocate", url.Values{"to": {"anna.free@acme.test"}})
		equalStatus(t, "another company's seat", res.StatusCode, http.StatusNotFound)
	})
}

func TestUsersBulk(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		l, l0, l1 := s.person(t, "learner@acme.test"), s.person(t, "learner0@acme.test"), s.person(t, "learner1@acme.test")
		back := "/company/users?sort=name&dir=desc"

		// Release two: asked first, naming the count and the product;
		// nothing changes before the confirmation.
		form := url.Values{"action": {"release"}, "ids": {id(l0), id(l1)}, "product": {"premium"}, "back": {back}}
		res, body := cm.post("/company/users/bulk", form)
		equalStatus(t, "ask", res.StatusCode, http.StatusOK)
		expect(t, "ask", body, []string{"<h1>Release 2 seats of Premium?</h1>", "Release 2 seats</button>", `name="confirm" value="1"`,
			`name="reason"`, "learner0@acme.test", "learner1@acme.test"}, nil)
		if st := s.status(t, "learner0@acme.test"); st != allot.StatusActive {
			t.Fatalf("asking released: %s", st)
		}
		form.Set("confirm", "1")
		form.Set("reason", allot.ReasonLeft)
		res, to := cm.postOnly("/company/users/bulk", form)
		if res.StatusCode != http.StatusSeeOther || to != back {
			t.Fatalf("release: status %d to %q", res.StatusCode, to)
		}
		_, body = cm.get(to)
		expect(t, "released", body, []string{`<p class="flash" role="status">2 seats of Premium released: free again.`}, nil)
		for _, e := range []string{"learner0@acme.test", "learner1@acme.test"} {
			if st := s.status(t, e); st != allot.StatusReleased {
				t.Errorf("%s: %s, want released", e, st)
			}
		}

		// Give seats to three when one holds a seat already: asked for two,
		// and the one is left out, saying why.
		form = url.Values{"action": {"seat"}, "ids": {id(l), id(l0), id(l1)}, "product": {"premium"}, "back": {back}}
		_, body = cm.post("/company/users/bulk", form)
		expect(t, "ask seats", body, []string{"<h1>Give a seat of Premium to 2 people?</h1>", "left out:</strong> already holds a seat until"}, nil)
		// Only one seat is free by then: one is given, the other says why
		// not, and the given one stays given.
		for i := range 8 {
			world.Must(s.svc.AddUser(s.acme(), allot.NewUser{CompanyID: s.ids["acme"], Email: "fill" + strconv.Itoa(i) + "@acme.test"}))(t)
		}
		form.Set("confirm", "1")
		res, body = cm.post("/company/users/bulk", form)
		equalStatus(t, "partly", res.StatusCode, http.StatusOK)
		expect(t, "partly", body, []string{"<h1>1 person done, 2 not</h1>", "given a seat until", "no free seat of this product in Acme",
			"already holds a seat until"}, nil)
		if st := s.status(t, "learner0@acme.test"); st != allot.StatusActive {
			t.Errorf("learner0 after the partial run: %s, want active", st)
		}

		// Removing oneself is left out.
		me := s.person(t, "cm@acme.test")
		_, body = cm.post("/company/users/bulk", url.Values{"action": {"remove"}, "ids": {id(me), id(l1)}, "product": {"premium"}})
		expect(t, "remove", body, []string{"<h1>Remove 1 person from Acme? Their seats go back to the pools.</h1>",
			"left out:</strong> you cannot remove yourself"}, nil)

		// Errors beside the bulk form; another company's person is not
		// found.
		for _, c := range []struct {
			name   string
			form   url.Values
			status int
			want   string
		}{
			{"nobody chosen", url.Values{"action": {"release"}}, http.StatusUnprocessableEntity, "choose the people first"},
			{"no action", url.Values{"ids": {id(l)}}, http.StatusUnprocessableEntity, "choose what to do"},
			{"nobody to release", url.Values{"action": {"release"}, "ids": {id(l1)}}, http.StatusUnprocessableEntity,
				"1 person chosen: none holds a seat of this product to release"},
		} {
			res, body := cm.post("/company/users/bulk", c.form)
			equalStatus(t, c.name, res.StatusCode, c.status)
			expect(t, c.name, body, []string{`aria-describedby="ids-error"`, `<p class="field-error" id="ids-error">` + c.want}, nil)
		}
		globex := s.person(t, "learner@globex.test")
		res, _ = cm.post("/company/users/bulk", url.Values{"action": {"release"}, "ids": {id(l), id(globex)}})
		equalStatus(t, "another company's person", res.StatusCode, http.StatusNotFound)
		if st := s.status(t, "learner@acme.test"); st != allot.StatusActive {
			t.Errorf("learner after a refused bulk: %s", st)
		}
	})
}

func TestUsersListSortsAndCounts(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/users")
		expect(t, "count", body, []string{`<p class="users-count" role="status">4 people · licences of Premium</p>`,
			`<th aria-sort="none">`, `href="/company/users?dir=asc&sort=name"`}, nil)

		_, body = cm.get("/company/users?q=learner&sort=email&dir=desc")
		expect(t, "filtered", body, []string{"3 people match these filters, of 4 people", `<th aria-sort="descending">`,
			`href="/company/users?dir=asc&q=learner&sort=email"`, `name="back" value="/company/users?dir=desc&q=learner&sort=email"`}, nil)
		i1, i0, i := strings.Index(body, "learner1@acme.test</span>"), strings.Index(body, "learner0@acme.test</span>"), strings.Index(body, "learner@acme.test</span>")
		if !(i < i1 && i1 < i0) || i < 0 { // '@' comes after '1'
			t.Errorf("e-mails descending: learner at %d, learner1 at %d, learner0 at %d", i, i1, i0)
		}
		for _, bad := range []string{"sort=password", "dir=up", "page=x"} {
			res, _ := cm.get("/company/users?" + bad)
			equalStatus(t, bad, res.StatusCode, http.StatusUnprocessableEntity)
		}
		_, body = cm.get("/company/users?select=all")
		if n := regexp.MustCompile(`name="ids" value="\d+" form="bulk" aria-label="[^"]*" checked>`).FindAllString(body, -1); len(n) != 4 {
			t.Errorf("select all: %d boxes checked, want 4", len(n))
		}
		expect(t, "select all", body, []string{`name="back" value="/company/users"`}, []string{`value="/company/users?select=all"`})
	})
}

func TestPersonPageAndEdit(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		l0 := s.person(t, "learner0@acme.test")
		path := "/company/users/" + id(l0)
		world.Must(s.svc.Release(s.acme(), s.liveSeat(t, "learner0@acme.test").ID, allot.ReasonNeverLoggedIn))(t)

		res, body := cm.get(path)
		equalStatus(t, "page", res.StatusCode, http.StatusOK)
		expect(t, "page", body, []string{"<h1>learner0@acme.test</h1>", "<h2>Seats</h2>", "released 2 Mar 2026: Never logged in",
			"<h2>Events</h2>", "Released a seat", "Gave a seat", "Added a person", `href="` + path + `/edit"`}, nil)

		_, body = cm.get(path + "/edit")
		expect(t, "edit", body, []string{`<form method="post" action="` + path + `"`, `name="first_name"`, `<select name="role"`}, nil)
		res, to := cm.postOnly(path, url.Values{"first_name": {"Lee"}, "last_name": {"Zed"}, "department": {"Sales"}, "role": {"company_manager"}})
		if res.StatusCode != http.StatusSeeOther || to != path {
			t.Fatalf("save: status %d to %q", res.StatusCode, to)
		}
		_, body = cm.get(path)
		expect(t, "saved", body, []string{"Saved: Lee Zed's details are up to date.", "<h1>Lee Zed</h1>", "<dd>Sales</dd>", "<dd>Company manager</dd>"}, nil)

		for _, c := range []struct {
			name, field, value, want string
			status                   int
		}{
			{"a line break", "first_name", "Lee\r\nBcc: x", "control character", http.StatusUnprocessableEntity},
			{"too long", "department", strings.Repeat("d", 201), "at most 200 characters", http.StatusUnprocessableEntity},
			{"a vendor role", "role", "vendor_admin", "a learner or a company manager", http.StatusUnprocessableEntity},
		} {
			res, body := cm.post(path, url.Values{c.field: {c.value}})
			equalStatus(t, c.name, res.StatusCode, c.status)
			if c.field == "role" {
				expect(t, c.name, body, []string{`aria-describedby="role-error"`, `<p class="field-error" id="role-error">` + "a company's person is " + c.want}, nil)
				continue
			}
			if m := fieldError(c.field, c.field+"-error").FindStringSubmatch(body); m == nil || !strings.Contains(m[1], c.want) {
				t.Errorf("%s: want %q beside %s\n%s", c.name, c.want, c.field, body)
			}
		}
		// One's own role shows, and cannot change.
		me := s.person(t, "cm@acme.test")
		_, body = cm.get("/company/users/" + id(me) + "/edit")
		expect(t, "own edit", body, []string{"<p>Role: Company manager</p>"}, []string{`<select name="role"`})
		res, body = cm.post("/company/users/"+id(me), url.Values{"role": {"learner"}})
		equalStatus(t, "own role", res.StatusCode, http.StatusConflict)
		expect(t, "own role", body, []string{`<p class="field-error" id="role-error">you cannot change your own role`}, nil)

		// The directory's fields.
		dee := world.Must(s.dir.Provision(s.w.As(world.Acting(s.w.Admin, s.w.Acme.Company)), s.ids["acme"], directory.Person{ExternalID: "dee-1",
			Email: "dee@acme.test", FirstName: "Dee", Active: true}))(t)
		_, body = cm.get("/company/users/" + id(dee) + "/edit")
		expect(t, "owned", body, []string{`readonly aria-describedby="first_name-hint"`, "The company's directory owns the first name: change it there."}, nil)
		res, body = cm.post("/company/users/"+id(dee), url.Values{"first_name": {"Didi"}})
		equalStatus(t, "owned", res.StatusCode, http.StatusUnprocessableEntity)
		expect(t, "owned", body, []string{"the company's directory owns the first name of dee@acme.test: change it there"}, nil)

		// Isolation and access.
		globex := s.person(t, "learner@globex.test")
		for _, p := range []string{"/company/users/" + id(globex), "/company/users/" + id(globex) + "/edit", "/company/users/999999"} {
			res, _ := cm.get(p)
			equalStatus(t, p, res.StatusCode, http.StatusNotFound)
		}
		res, _ = cm.post("/company/users/"+id(globex), url.Values{"first_name": {"X"}})
		equalStatus(t, "edit another company's person", res.StatusCode, http.StatusNotFound)
		if u := s.person(t, "learner@globex.test"); u.FirstName == "X" {
			t.Error("another company's person was changed")
		}
		learner := s.signIn(t, "learner@acme.test")
		res, _ = learner.get(path)
		equalStatus(t, "a learner", res.StatusCode, http.StatusForbidden)
	})
}
