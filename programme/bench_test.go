package programme_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/programme"
	"allot/storetest"
)

// benchInvitees is how many people one confirmation of BenchmarkConfirm
// invites: as many as one invitation may.
const benchInvitees = programme.MaxInvite

// BenchmarkConfirm measures confirming an invitation of benchInvitees
// people new to the company into a subscription, in one call: the people
// added, their seats reserved, the invitations stored and their mails
// queued, sent now or scheduled. One operation is one confirmation; each
// has a subscription of its own, made with the timer stopped. On every
// backend:
//
//	go test -run '^$' -bench Confirm -benchtime 1x -count 3 ./programme/
func BenchmarkConfirm(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		for _, when := range []string{"now", "scheduled"} {
			b.Run(when, func(b *testing.B) {
				c := newConfirmBench(b, be)
				for i := range b.N {
					b.StopTimer()
					in := c.invite(b, fmt.Sprintf("%s%d", when, i))
					if when == "scheduled" {
						in.At = programme.Wall{Year: 2026, Month: time.March, Day: 9, Hour: 9}
					}
					b.StartTimer()
					done, err := c.programs.Confirm(c.ctx, in)
					if err != nil {
						b.Fatal(err)
					}
					if len(done.IDs) != benchInvitees {
						b.Fatalf("%d invitations, want %d", len(done.IDs), benchInvitees)
					}
				}
				b.ReportMetric(float64(b.N*benchInvitees)/b.Elapsed().Seconds(), "invitations/s")
			})
		}
	})
}

// confirmBench is a company whose manager invites people to a programme.
type confirmBench struct {
	svc      *allot.Service
	programs *programme.Service
	company  allot.Company
	pg       programme.Programme
	ctx      context.Context // the manager's
}

// newConfirmBench makes a fresh store of kind be with a company, its
// manager and a programme of one product.
func newConfirmBench(b *testing.B, be storetest.Backend) *confirmBench {
	b.Helper()
	db := be.Open(b)
	c := &confirmBench{svc: allot.NewService(db, allot.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), nil)}
	c.programs = &programme.Service{Ledger: c.svc, Store: db.Programme()}
	sys := allot.WithPrincipal(context.Background(), allot.System)
	if _, err := c.svc.CreateProduct(sys, allot.Product{Code: "premium", Name: "Premium"}); err != nil {
		b.Fatal(err)
	}
	var err error
	if c.company, _, err = c.svc.CreateCompany(sys, allot.NewCompany{Name: "Heron Ltd"}); err != nil {
		b.Fatal(err)
	}
	cm, err := c.svc.AddUser(sys, allot.NewUser{Email: "cm@heron.test", Role: allot.RoleCompanyManager, CompanyID: c.company.ID})
	if err != nil {
		b.Fatal(err)
	}
	c.ctx = allot.WithPrincipal(context.Background(), cm.Principal())
	if c.pg, err = c.programs.Create(c.ctx, programme.NewProgramme{CompanyID: c.company.ID, Name: "Onboarding",
		Products: []string{"premium"}}); err != nil {
		b.Fatal(err)
	}
	return c
}

// invite returns an invitation of benchInvitees new people, their
// addresses starting with prefix, into a new subscription of as many seats.
func (c *confirmBench) invite(b *testing.B, prefix string) programme.Invite {
	b.Helper()
	sys := allot.WithPrincipal(context.Background(), allot.System)
	o, err := c.svc.RequestOrder(sys, allot.NewOrder{CompanyID: c.company.ID, ProductCode: "premium", Quantity: benchInvitees})
	if err != nil {
		b.Fatal(err)
	}
	_, pool, err := c.svc.AssignOrder(sys, o.ID)
	if err != nil {
		b.Fatal(err)
	}
	var emails strings.Builder
	for i := range benchInvitees {
		fmt.Fprintf(&emails, "%s.%d@heron.test\n", prefix, i)
	}
	return programme.Invite{ProgrammeID: c.pg.ID, PoolID: pool.ID, Emails: emails.String()}
}
