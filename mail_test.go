package allot_test

import (
	"slices"
	"testing"

	"allot"
	"allot/storetest"
	"allot/world"
)

// recipients returns the e-mails that mails of kind are queued to, sorted.
func recipients(f *world.Fixture, kind string) []string {
	var out []string
	for email := range f.Mails(kind) {
		out = append(out, email)
	}
	slices.Sort(out)
	return out
}

// TestOrderMails checks who hears of an order: a request goes to those who
// may assign it and answer for the company (the partner's managers; a direct
// customer's account manager, or the vendor's admins when it has none), the
// requester aside; a rejection, with its reason, and a cancellation go to the
// requester, unless they decided it themself. Each is queued once, under the
// order's key.
func TestOrderMails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		w := world.New(t, b)
		sys := w.As(w.Admin)
		pm, cm := w.Users["pm"], w.Users["acme cm"]
		o := world.Must(w.Svc.RequestOrder(w.Ctx(t, "acme cm"), allot.NewOrder{CompanyID: w.Acme.Company.ID, ProductCode: "premium", Quantity: 2}))(t)
		got := w.Mails(allot.MailRequested)
		var mails []allot.Mail
		for _, m := range got[pm.Email] {
			if m.OrderID == o.ID {
				mails = append(mails, m)
			}
		}
		if len(mails) != 1 {
			t.Fatalf("the partner's manager has %d mails of the request, want 1", len(mails))
		}
		if m := mails[0]; m.Reader != allot.ReaderPartner || m.By != cm.Name() || m.Seats != 2 || m.Product != "Premium" {
			t.Errorf("the request mail: %+v", m)
		}
		for _, who := range []string{"acme cm", "am", "admin", "pm2"} {
			for _, m := range got[w.Users[who].Email] {
				if m.OrderID == o.ID {
					t.Errorf("%s hears of the request of order %d", who, o.ID)
				}
			}
		}

		// A direct customer's order waits for its account manager; one
		// without, for the vendor's admins.
		am := w.Users["am"]
		direct, _ := world.Must2(w.Svc.CreateCompany(sys, allot.NewCompany{Name: "Direct", AccountManagerID: am.ID}))(t)
		d := world.Must(w.Svc.RequestOrder(w.Ctx(t, "admin"), allot.NewOrder{CompanyID: direct.ID, ProductCode: "premium", Quantity: 1}))(t)
		s := world.Must(w.Svc.RequestOrder(w.Ctx(t, "solo cm"), allot.NewOrder{CompanyID: w.Solo.Company.ID, ProductCode: "premium", Quantity: 1}))(t)
		told := map[int64][]string{}
		for email, ms := range w.Mails(allot.MailRequested) {
			for _, m := range ms {
				told[m.OrderID] = append(told[m.OrderID], email)
			}
		}
		if !slices.Equal(told[d.ID], []string{am.Email}) {
			t.Errorf("the direct customer's order waits for %v, want its account manager", told[d.ID])
		}
		if !slices.Contains(told[s.ID], w.Users["admin"].Email) || slices.Contains(told[s.ID], am.Email) {
			t.Errorf("an order of a customer without an account manager waits for %v, want the vendor's admins", told[s.ID])
		}

		// Decisions: the requester hears, unless they decided.
		world.Must(w.Svc.RejectOrder(w.Ctx(t, "pm"), o.ID, "Ordered twice"))(t)
		rejected := w.Mails(allot.MailRejected)
		if len(rejected) != 1 || len(rejected[cm.Email]) != 1 {
			t.Fatalf("rejection mails: %v, want one to the requester", rejected)
		}
		if m := rejected[cm.Email][0]; m.Reason != "Ordered twice" || m.Reader != allot.ReaderCompany || m.By != pm.Name() {
			t.Errorf("the rejection mail: %+v", m)
		}
		own := world.Must(w.Svc.RequestOrder(w.Ctx(t, "acme cm"), allot.NewOrder{CompanyID: w.Acme.Company.ID, ProductCode: "premium", Quantity: 1}))(t)
		world.Must(w.Svc.CancelOrder(w.Ctx(t, "acme cm"), own.ID))(t)
		if got := recipients(w.Fixture, allot.MailCancelled); len(got) != 0 {
			t.Errorf("an order cancelled by its requester is told to %v", got)
		}
		world.Must(w.Svc.CancelOrder(w.Ctx(t, "am"), s.ID))(t)
		if got := recipients(w.Fixture, allot.MailCancelled); !slices.Equal(got, []string{w.Users["solo cm"].Email}) {
			t.Errorf("an order cancelled by another is told to %v, want its requester", got)
		}
	})
}

// TestSeatMails checks that a learner hears of their seat: given (until
// when), released, and renewed; a learner removed hears nothing of it, nor
// a learner just added (their welcome mail tells them).
func TestSeatMails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		r := world.NewRenewal(t, b, 3)
		if given := r.Mails(allot.MailSeatGiven); len(given) != 0 {
			t.Errorf("learners given a seat as they were added have mails of it: %v", given)
		}
		if got := recipients(r.Fixture, allot.MailSeatReleased); !slices.Equal(got, []string{r.Cat.Email}) {
			t.Errorf("released seats are told to %v, want cat, who was released (not dan, who was removed)", got)
		}
		world.Must(r.Svc.Allocate(r.As(r.CM), r.Cat.ID, "premium", 0))(t)
		given := r.Mails(allot.MailSeatGiven)
		if len(given) != 1 || len(given[r.Cat.Email]) != 1 {
			t.Fatalf("a seat given to cat is told to %v, want her alone", given)
		}
		if m := given[r.Cat.Email][0]; m.Reader != allot.ReaderLearner || !m.EndsAt.Equal(r.Seat(r.Cat, "premium").EndsAt) ||
			m.Product != "Premium" || m.Company != r.Company.Name {
			t.Errorf("Cat's mail: %+v", m)
		}
		world.Must(r.Svc.Renew(r.As(r.CM), allot.Renewal{CompanyID: r.Company.ID, ProductCode: "premium", UserIDs: []int64{r.Ann.ID}}))(t)
		if got := recipients(r.Fixture, allot.MailSeatRenewed); !slices.Equal(got, []string{r.Ann.Email}) {
			t.Errorf("renewed seats are told to %v, want ann", got)
		}
		if n := len(r.Mails(allot.MailSeatGiven)[r.Ann.Email]); n != 0 {
			t.Errorf("ann has %d mails of a seat given after her renewal, want none", n)
		}
	})
}

// TestCompanyMailsOff checks that a company may turn kinds of mail off,
// all being on by default: none of them is queued about it then, and other
// companies' mail goes on. Only kinds that may be turned off are named.
func TestCompanyMailsOff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		w := world.New(t, b)
		acme := w.Acme.Company
		if !acme.Tells(allot.MailSeatGiven) || !acme.Tells(allot.MailRequested) {
			t.Fatalf("a new company turned mail off: %q", acme.MailsOff)
		}
		on := []string{allot.MailAssigned, allot.MailReminder, allot.MailExpired, allot.MailRejected, allot.MailCancelled,
			allot.MailSeatRenewed, allot.MailSeatReleased}
		c := world.Must(w.Svc.SetCompanyMails(w.Ctx(t, "acme cm"), acme.ID, on))(t)
		if c.Tells(allot.MailSeatGiven) || c.Tells(allot.MailRequested) || !c.Tells(allot.MailReminder) {
			t.Errorf("after turning two kinds off: %q", c.MailsOff)
		}
		if got := world.Must(w.Svc.Company(w.Ctx(t, "acme cm"), acme.ID))(t); got.MailsOff != c.MailsOff {
			t.Errorf("stored %q, want %q", got.MailsOff, c.MailsOff)
		}
		// A seat of coaching given to a learner of each: Acme's is not told.
		learner := world.Must(w.Svc.User(w.As(w.Admin), w.NewSeat(t, w.Acme, "coaching").UserID))(t)
		other := world.Must(w.Svc.User(w.As(w.Admin), w.NewSeat(t, w.Globex, "coaching").UserID))(t)
		given := w.Mails(allot.MailSeatGiven)
		if len(given[learner.Email]) != 0 || len(given[other.Email]) != 1 {
			t.Errorf("seats given: %d mails to Acme's learner, %d to Globex's; want 0 and 1", len(given[learner.Email]), len(given[other.Email]))
		}
		o := world.Must(w.Svc.RequestOrder(w.Ctx(t, "acme cm"), allot.NewOrder{CompanyID: acme.ID, ProductCode: "premium", Quantity: 1}))(t)
		for _, ms := range w.Mails(allot.MailRequested) {
			for _, m := range ms {
				if m.OrderID == o.ID {
					t.Errorf("a request of Acme is told to %s", m.Email)
				}
			}
		}
		if n := world.Must(w.Svc.Notifications(w.Ctx(t, "acme cm"), acme.ID))(t); len(n.Coming) == 0 {
			t.Error("no reminder to come while reminders are on")
		}
		world.Must(w.Svc.SetCompanyMails(w.Ctx(t, "pm"), acme.ID, nil))(t)
		if n := world.Must(w.Svc.Notifications(w.Ctx(t, "acme cm"), acme.ID))(t); len(n.Coming) != 0 {
			t.Errorf("%d reminders to come while every mail is off", len(n.Coming))
		}
		_, err := w.Svc.SetCompanyMails(w.Ctx(t, "acme cm"), acme.ID, []string{allot.MailWelcome})
		world.WantError(t, err, allot.EINVALID, "mails")
		_, err = w.Svc.SetCompanyMails(w.Ctx(t, "acme learner"), acme.ID, on)
		if allot.ErrorCode(err) == "" {
			t.Error("a learner set the company's mails")
		}
		_, err = w.Svc.SetCompanyMails(w.Ctx(t, "globex cm"), acme.ID, on)
		world.WantError(t, err, allot.ENOTFOUND, "")
	})
}
