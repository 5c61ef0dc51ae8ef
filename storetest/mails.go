package storetest

import (
	"testing"
	"time"

	"allot"
)

var mailTests = []test{
	{"RoundTrip", testMailRoundTrip},
	{"Filter", testMailFilter},
}

func mailID(m allot.SentMail) int64 { return m.ID }

func testMailRoundTrip(t *testing.T, s Stores) {
	m := allot.SentMail{JobKey: "mail:reminder:1", CompanyID: 7, Kind: allot.MailReminder, To: "ana@acme.test",
		Subject: "Renew", Text: "Hello Ana,\n\nRenew.", HTML: `<p lang="en">Hello Ana,</p>`, Status: allot.MailSent, At: t0.In(elsewhere)}
	write(t, s, func(tx allot.Tx) error {
		ok, err := tx.RecordMail(&m)
		if err == nil && (!ok || m.ID == 0) {
			t.Errorf("RecordMail: recorded %v with ID %d, want a new mail", ok, m.ID)
		}
		return err
	})
	want := m
	want.At = t0
	got := read(t, s, func(tx allot.Tx) ([]allot.SentMail, error) { return tx.Mails(allot.MailFilter{ID: m.ID}) })
	sameIDs(t, "Mails by ID", got, mailID, m.ID)
	if len(got) == 1 {
		same(t, "mail", got[0], want)
	}
}

func testMailFilter(t *testing.T, s Stores) {
	ms := []allot.SentMail{
		{CompanyID: 1, Kind: allot.MailReminder, To: "ana@acme.test"},      // 0
		{CompanyID: 1, Kind: allot.MailExpired, To: "bea@acme.test"},       // 1
		{CompanyID: 2, Kind: allot.MailReminder, To: "Ana.B@Other.test"},   // 2
		{CompanyID: 2, Kind: allot.MailWelcome, To: "a_b%c@other.test"},    // 3
		{CompanyID: 0, Kind: allot.MailReset, To: "staff@vendor.test"},     // 4
		{CompanyID: 1, Kind: allot.MailReminder, To: "carl@acme.test"},     // 5
		{CompanyID: 1, Kind: allot.MailReminder, To: "anabel@acme.test"},   // 6
		{CompanyID: 2, Kind: allot.MailExpired, To: "axb-c@other.test"},    // 7
		{CompanyID: 1, Kind: allot.MailSeatGiven, To: "learner@acme.test"}, // 8
	}
	write(t, s, func(tx allot.Tx) error {
		for i := range ms {
			ms[i].JobKey, ms[i].Subject, ms[i].Status = "mail:"+string(rune('a'+i)), "S", allot.MailSent
			ms[i].At = t0.Add(time.Duration(i) * time.Minute)
			if _, err := tx.RecordMail(&ms[i]); err != nil {
				return err
			}
		}
		return nil
	})
	id := func(is ...int) []int64 {
		out := make([]int64, len(is))
		for k, i := range is {
			out[k] = ms[i].ID
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    allot.MailFilter
		want []int64 // newest first
	}{
		{"every mail", allot.MailFilter{}, id(8, 7, 6, 5, 4, 3, 2, 1, 0)},
		{"one company", allot.MailFilter{CompanyID: 1}, id(8, 6, 5, 1, 0)},
		{"one kind", allot.MailFilter{Kind: allot.MailReminder}, id(6, 5, 2, 0)},
		{"a kind of a company", allot.MailFilter{CompanyID: 2, Kind: allot.MailReminder}, id(2)},
		{"part of an address, in any case", allot.MailFilter{To: "ANA"}, id(6, 2, 0)},
		{"an address's percent and underscore as written", allot.MailFilter{To: "a_b%"}, id(3)},
		{"a recipient, a kind and a company", allot.MailFilter{CompanyID: 1, Kind: allot.MailReminder, To: "ana"}, id(6, 0)},
		{"one mail by ID", allot.MailFilter{ID: ms[3].ID}, id(3)},
		{"an ID of another company", allot.MailFilter{ID: ms[3].ID, CompanyID: 1}, nil},
		{"the job key", allot.MailFilter{JobKey: "mail:e"}, id(4)},
		{"no such kind", allot.MailFilter{Kind: "none"}, nil},
		{"older than a mail", allot.MailFilter{Kind: allot.MailReminder, BeforeID: ms[5].ID}, id(2, 0)},
		{"a page", allot.MailFilter{To: "acme", Limit: 2}, id(8, 6)},
	} {
		got := read(t, s, func(tx allot.Tx) ([]allot.SentMail, error) { return tx.Mails(tc.f) })
		sameIDs(t, tc.name, got, mailID, tc.want...)
		// The count is of every mail the filter selects, whatever its page.
		f := tc.f
		f.BeforeID, f.Limit = 0, 0
		all := read(t, s, func(tx allot.Tx) ([]allot.SentMail, error) { f.Limit = allot.MaxLimit; return tx.Mails(f) })
		n := read(t, s, func(tx allot.Tx) (int, error) { return tx.CountMails(tc.f) })
		same(t, tc.name+": CountMails", n, len(all))
	}
}
