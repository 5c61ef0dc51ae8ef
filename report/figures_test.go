package report_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"allot"
	"allot/programme"
	"allot/report"
	"allot/storetest"
	"allot/world"
)

// totals returns the last row of report r's table, its total, as numbers
// from the second column on.
func totals(t *testing.T, r report.Report) []int {
	t.Helper()
	if len(r.Table.Rows) == 0 {
		t.Fatalf("%s: no rows", r.Kind.Name)
	}
	return numbers(r.Table.Rows[len(r.Table.Rows)-1][1:])
}

// numbers returns the cells' numbers.
func numbers(cells []report.Cell) []int {
	out := make([]int, len(cells))
	for i, c := range cells {
		out[i] = int(c.Number)
	}
	return out
}

// seatFigures counts, from the held seats and pools read through the
// kernel, what the seats report shows: bought, allocated, free and active
// within days.
func seatFigures(l *ledger, pools []allot.Pool, seats []held, days int) []int {
	now := l.Clock.Now()
	bought, used := 0, 0
	for _, p := range pools {
		if p.Live(now) {
			bought += p.Quantity
			used += p.Used
		}
	}
	return []int{bought, used, bought - used, active(seats, now, days)}
}

// active counts the seats whose learner logged in within days of now.
func active(seats []held, now time.Time, days int) int {
	n := 0
	for _, h := range seats {
		if !h.user.LastLoginAt.IsZero() && !h.user.LastLoginAt.Before(now.AddDate(0, 0, -days)) {
			n++
		}
	}
	return n
}

// TestSeatFigures checks the seats and activity reports against a count of
// the ledger read seat by seat through the kernel, for the vendor, a
// partner and a company, and the candidates to reclaim against the same.
func TestSeatFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		l := newLedger(t, b)
		all := []world.Customer{l.Acme, l.Beta, l.Globex, l.Solo}
		scopes := []struct {
			name string
			who  string
			f    report.Filter
			cs   []world.Customer
		}{
			{"vendor", "admin", report.Filter{}, all},
			{"partner", "pm", report.Filter{}, []world.Customer{l.Acme, l.Beta}},
			{"partner named", "am", report.Filter{PartnerID: l.Partner.ID}, []world.Customer{l.Acme, l.Beta}},
			{"company", "globex cm", report.Filter{}, []world.Customer{l.Globex}},
			{"company named", "pm2", report.Filter{CompanyID: l.Globex.Company.ID}, []world.Customer{l.Globex}},
		}
		for _, sc := range scopes {
			ctx := l.Ctx(t, sc.who)
			pools, seats := l.ledgerPools(t, sc.cs...), l.heldSeats(t, sc.cs...)
			used := 0
			for _, p := range pools {
				if p.Live(l.Clock.Now()) {
					used += p.Used
				}
			}
			if used != len(seats) {
				t.Fatalf("%s: the live pools count %d seats used, the seats listed are %d", sc.name, used, len(seats))
			}
			for _, days := range []int{7, 30, 90} {
				f := sc.f
				f.Days = days
				r := world.Must(l.Reports.Read(ctx, report.Seats, f))(t)
				if got, want := totals(t, r), seatFigures(l, pools, seats, days); !slices.Equal(got, want) {
					t.Errorf("%s, %d days: seats %v, want %v", sc.name, days, got, want)
				}
			}
			r := world.Must(l.Reports.Read(ctx, report.Activity, sc.f))(t)
			now := l.Clock.Now()
			a7, a30, a90 := active(seats, now, 7), active(seats, now, 30), active(seats, now, 90)
			never := 0
			for _, h := range seats {
				if h.user.LastLoginAt.IsZero() {
					never++
				}
			}
			want := []int{len(seats), a7, a30, a90, len(seats) - never - a90, never}
			if got := totals(t, r); !slices.Equal(got, want) {
				t.Errorf("%s: activity %v, want %v", sc.name, got, want)
			}
			if a7 == 0 || a90 == a30 || never == 0 {
				t.Fatalf("%s: the ledger lacks a figure: %v", sc.name, want)
			}
			checkCandidates(t, l, sc.name, world.Must(l.Reports.Read(ctx, report.Candidates, sc.f))(t), seats)
		}
	})
}

// checkCandidates checks that candidates report r lists exactly the held
// seats whose learner did not log in within its days.
func checkCandidates(t *testing.T, l *ledger, name string, r report.Report, seats []held) {
	t.Helper()
	since := l.Clock.Now().AddDate(0, 0, -r.Filter.Days)
	var want, got []string
	for _, h := range seats {
		if h.user.LastLoginAt.Before(since) {
			want = append(want, h.user.Email+" "+strconv.FormatInt(h.pool.ID, 10))
		}
	}
	for _, row := range r.Table.Rows {
		got = append(got, row[1].Text+" "+row[4].Text)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) || len(want) == 0 {
		t.Errorf("%s: candidates %v, want %v", name, got, want)
	}
}

// TestPeriodFigures checks the expiries, renewals and invitations reports
// against the pools, the renewal mails and the programme's members.
func TestPeriodFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		l := newLedger(t, b)
		ctx := l.Ctx(t, "admin")
		now := l.Clock.Now()

		// Expiries: the pools ending in each of the next 12 months.
		r := world.Must(l.Reports.Read(ctx, report.Expiries, report.Filter{}))(t)
		want := map[string][3]int{}
		for _, p := range l.ledgerPools(t, l.Acme, l.Beta, l.Globex, l.Solo) {
			if !p.EndsAt.Before(now) && p.EndsAt.Before(now.AddDate(1, 0, 0)) {
				m := p.EndsAt.UTC().Format("2006-01")
				n := want[m]
				want[m] = [3]int{n[0] + 1, n[1] + p.Quantity, n[2] + p.Used}
			}
		}
		months := 0
		for _, row := range r.Table.Rows {
			got := numbers(row[1:])
			w := want[row[0].Text]
			if !slices.Equal(got, w[:]) {
				t.Errorf("expiries in %s: %v, want %v", row[0].Text, got, w)
			}
			if got[0] > 0 {
				months++
			}
		}
		if len(r.Table.Rows) != 12 || months < 2 {
			t.Errorf("expiries: %d rows, %d months with pools; want 12 rows and pools in 2 months at least", len(r.Table.Rows), months)
		}

		// Renewals: one for each renewal mail.
		renewed := len(l.Mails(allot.MailSeatRenewed))
		if got := totalOf(world.Must(l.Reports.Read(ctx, report.Renewals, report.Filter{}))(t), 1); got != renewed || renewed == 0 {
			t.Errorf("renewals: %d, want the %d renewal mails", got, renewed)
		}
		if got := totalOf(world.Must(l.Reports.Read(l.Ctx(t, "pm2"), report.Renewals, report.Filter{}))(t), 1); got != 0 {
			t.Errorf("renewals seen by Channel Two: %d, want none: Acme renewed", got)
		}

		// Invitations: sent, accepted, waiting and scheduled, as the
		// programme's members stand.
		var sent, accepted, scheduled int
		for _, m := range world.Must(l.Programs.Members(l.As(l.Globex.CM), l.Leaders.ID))(t) {
			switch m.Status(now) {
			case programme.StatusScheduled:
				scheduled++
			case programme.StatusAccepted, programme.StatusActive:
				sent++
				accepted++
			case programme.StatusInvited:
				sent++
			}
		}
		inv := world.Must(l.Reports.Read(ctx, report.Invitations, report.Filter{}))(t)
		got := []int{totalOf(inv, 1), totalOf(inv, 2), totalOf(inv, 3), totalOf(inv, 4)}
		if w := []int{sent, accepted, sent - accepted, scheduled}; !slices.Equal(got, w) || accepted == 0 || scheduled == 0 {
			t.Errorf("invitations sent, accepted, waiting, scheduled: %v, want %v", got, w)
		}
	})
}

// totalOf adds up column col of report r's rows.
func totalOf(r report.Report, col int) int {
	n := 0
	for _, row := range r.Table.Rows {
		n += int(row[col].Number)
	}
	return n
}
