package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"allot"
)

var txTests = []test{
	{"WriteRollsBackOnError", testWriteRollsBack},
	{"WriteRollsBackAfterFailedStatement", testWriteRollsBackAfterFailure},
	{"WriteRollsBackOnPanic", testWritePanics},
	{"ReadSeesCommitted", testReadSeesCommitted},
	{"ReadIsOneSnapshot", testReadSnapshot},
	{"ReadDoesNotWrite", testReadDoesNotWrite},
}

// nothingWritten fails the test when s holds a partner, a product or a user.
func nothingWritten(t *testing.T, s allot.Store) {
	t.Helper()
	if ps := read(t, s, func(tx allot.Tx) ([]allot.Partner, error) { return tx.Partners(allot.PartnerFilter{}) }); len(ps) != 0 {
		t.Errorf("partners written: %+v", ps)
	}
	if ps := read(t, s, func(tx allot.Tx) ([]allot.Product, error) { return tx.Products() }); len(ps) != 0 {
		t.Errorf("products written: %+v", ps)
	}
	if us := read(t, s, func(tx allot.Tx) ([]allot.User, error) {
		return tx.Users(allot.UserFilter{IncludeRemoved: true})
	}); len(us) != 0 {
		t.Errorf("users written: %+v", us)
	}
}

// writeSome writes a partner, a product and a user in tx.
func writeSome(tx allot.Tx) error {
	if err := tx.CreatePartner(&allot.Partner{Name: "Channel One", CreatedAt: t0}); err != nil {
		return err
	}
	if err := tx.CreateProduct(&allot.Product{Code: "premium", Name: "Premium", TermMonths: 12, CreatedAt: t0}); err != nil {
		return err
	}
	return tx.CreateUser(&allot.User{Email: "admin@vendor.test", Role: allot.RoleVendorAdmin, CreatedAt: t0})
}

func testWriteRollsBack(t *testing.T, s Stores) {
	boom := errors.New("boom")
	err := s.Write(t.Context(), func(tx allot.Tx) error {
		if err := writeSome(tx); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Errorf("Write returned %v, want fn's error as is", err)
	}
	nothingWritten(t, s)

	refused := allot.Errorf(allot.EFORBIDDEN, "no")
	err = s.Write(t.Context(), func(tx allot.Tx) error {
		if err := writeSome(tx); err != nil {
			return err
		}
		return refused
	})
	wantCode(t, "Write of a refused fn", err, allot.EFORBIDDEN)
	nothingWritten(t, s)
}

func testWriteRollsBackAfterFailure(t *testing.T, s Stores) {
	err := s.Write(t.Context(), func(tx allot.Tx) error {
		if err := writeSome(tx); err != nil {
			return err
		}
		return tx.CreateUser(&allot.User{Email: "admin@vendor.test", Role: allot.RoleVendorAdmin, CreatedAt: t0})
	})
	wantCode(t, "Write with a duplicate user", err, allot.ECONFLICT)
	nothingWritten(t, s)
}

// testWritePanics checks that a panic in fn goes on up through Write, which
// rolls back and leaves the store able to write again.
func testWritePanics(t *testing.T, s Stores) {
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("Write's panic: %v, want fn's panic", p)
			}
		}()
		s.Write(t.Context(), func(tx allot.Tx) error {
			if err := writeSome(tx); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	nothingWritten(t, s)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := s.Write(ctx, writeSome); err != nil {
		t.Errorf("Write after a panic: %v", err)
	}
}

func testReadSeesCommitted(t *testing.T, s Stores) {
	nothingWritten(t, s)
	write(t, s, writeSome)
	u := read(t, s, func(tx allot.Tx) (allot.User, error) { return tx.UserByEmail("admin@vendor.test") })
	if u.ID == 0 || u.Role != allot.RoleVendorAdmin {
		t.Errorf("user read after the commit: %+v", u)
	}
	ps := read(t, s, func(tx allot.Tx) ([]allot.Partner, error) { return tx.Partners(allot.PartnerFilter{}) })
	if len(ps) != 1 || ps[0].Name != "Channel One" {
		t.Errorf("partners read after the commit: %+v", ps)
	}
	// A commit from another goroutine is seen as well.
	done := make(chan error)
	go func() {
		done <- s.Write(t.Context(), func(tx allot.Tx) error {
			return tx.CreatePartner(&allot.Partner{Name: "Channel Two", CreatedAt: t0})
		})
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	ps = read(t, s, func(tx allot.Tx) ([]allot.Partner, error) { return tx.Partners(allot.PartnerFilter{}) })
	if len(ps) != 2 {
		t.Errorf("partners read after a second commit: %+v", ps)
	}
}

// testReadSnapshot checks that a read transaction sees one snapshot: what
// another transaction commits meanwhile does not appear in it.
func testReadSnapshot(t *testing.T, s Stores) {
	write(t, s, writeSome)
	err := s.Read(t.Context(), func(tx allot.Tx) error {
		before, err := tx.Partners(allot.PartnerFilter{})
		if err != nil {
			return err
		}
		done := make(chan error)
		go func() {
			done <- s.Write(t.Context(), func(tx allot.Tx) error {
				return tx.CreatePartner(&allot.Partner{Name: "Channel Two", CreatedAt: t0})
			})
		}()
		if err := <-done; err != nil {
			return err
		}
		after, err := tx.Partners(allot.PartnerFilter{})
		if err != nil {
			return err
		}
		if len(before) != 1 || len(after) != len(before) {
			t.Errorf("one read transaction saw %d partners, then %d after another committed", len(before), len(after))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ps := read(t, s, func(tx allot.Tx) ([]allot.Partner, error) { return tx.Partners(allot.PartnerFilter{}) })
	if len(ps) != 2 {
		t.Errorf("a new read transaction saw %d partners, want 2", len(ps))
	}
}

func testReadDoesNotWrite(t *testing.T, s Stores) {
	err := s.Read(t.Context(), writeSome)
	if err == nil {
		t.Error("writing in a read transaction succeeded")
	}
	nothingWritten(t, s)
}
