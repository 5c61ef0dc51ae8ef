package directory_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/directory"
	"allot/storetest"
	"allot/world"
)

// listReader is a directory held in a list: a full read gives everyone, a
// read from a mark those changed since (their index at or after it).
type listReader struct {
	people *[]directory.Person
	marks  *[]string // the marks it was read from
	fail   error
}

func (r listReader) Read(_ context.Context, mark string) ([]directory.Person, string, error) {
	*r.marks = append(*r.marks, mark)
	if r.fail != nil {
		return nil, "", r.fail
	}
	from := 0
	if mark != "" {
		from = int(mark[0] - '0')
	}
	return (*r.people)[from:], string(rune('0' + len(*r.people))), nil
}

// TestConnections: a connection is checked by its source and keeps its
// secret; a full read then an incremental one from the mark it left; a
// failed read is a failed run that changes nothing; the periodic look
// queues one run of a due connection a minute, whichever process looks;
// another company's manager finds no such connection.
func TestConnections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acme := w.Acme.Company.ID
		people := []directory.Person{{ExternalID: "1", Email: "one@acme.test", Active: true}}
		var marks []string
		var fail error
		w.Dir.Sources = map[string]directory.Source{"ldap": {
			Check: func(config string) error {
				if !strings.HasPrefix(config, "{") {
					return errors.New("the config is JSON")
				}
				return nil
			},
			Open: func(config, secret string) (directory.Reader, error) {
				if secret != "s3cret" {
					return nil, errors.New("invalid credentials")
				}
				return listReader{&people, &marks, fail}, nil
			},
		}}
		cm := w.As(w.Acme.CM)
		_, err := w.Dir.Connect(cm, directory.NewConnection{CompanyID: acme, Kind: "ldap", Config: "nope", Secret: "s3cret"})
		world.WantError(t, err, allot.EINVALID, "config")
		_, err = w.Dir.Connect(cm, directory.NewConnection{CompanyID: acme, Kind: "ldap", Config: "{}"})
		world.WantError(t, err, allot.EINVALID, "secret")
		_, err = w.Dir.Connect(cm, directory.NewConnection{CompanyID: acme, Kind: "ldap", Config: "{}", Secret: "s3cret", Every: time.Minute})
		world.WantError(t, err, allot.EINVALID, "every")
		c := world.Must(w.Dir.Connect(cm, directory.NewConnection{CompanyID: acme, Kind: "ldap", Config: "{}", Secret: "s3cret"}))(t)
		if c.Secret != "" || c.Every != directory.DefaultEvery {
			t.Errorf("connected %+v: no secret shown, read every %s", c, directory.DefaultEvery)
		}
		if _, err := w.Dir.SyncNow(w.As(w.Globex.CM), c.ID, false, false); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's manager syncing: %v, want not found", err)
		}

		r := world.Must(w.Dir.SyncNow(cm, c.ID, false, false))(t)
		if !r.Full || r.Add != 1 || r.Status != directory.SyncApplied {
			t.Errorf("the first run %+v: full, one added", r)
		}
		people = append(people, directory.Person{ExternalID: "2", Email: "two@acme.test", Active: true})
		r = world.Must(w.Dir.SyncNow(cm, c.ID, false, false))(t)
		if r.Full || r.Add != 1 || r.Unchanged != 0 || marks[1] != "1" {
			t.Errorf("the incremental run %+v read from %q: one added from mark 1", r, marks[1])
		}

		// The secret is kept when a new config comes without one.
		world.Must(w.Dir.Connect(cm, directory.NewConnection{CompanyID: acme, Kind: "ldap", Config: `{"base":"dc=acme"}`}))(t)
		fail = errors.New("server went away")
		w.Clock.Advance(time.Hour)
		_, err = w.Dir.SyncNow(cm, c.ID, false, false)
		if allot.ErrorCode(err) != allot.ECONFLICT || !strings.Contains(allot.ErrorMessage(err), "server went away") {
			t.Errorf("a failed read: %v", err)
		}
		runs := world.Must(w.Dir.SyncRuns(cm, acme, 1))(t)
		if runs[0].Status != directory.SyncFailed || marks[len(marks)-1] != "" {
			t.Errorf("the failed run %+v, read from %q (a new config reads whole)", runs[0], marks[len(marks)-1])
		}

		// Due again after the interval: the periodic look queues one run
		// however many times it looks in the minute.
		fail = nil
		w.Clock.Advance(directory.DefaultEvery)
		sys := context.Background()
		for range 2 {
			if err := w.Dir.QueueDue(sys, allot.Job{}); err != nil {
				t.Fatal(err)
			}
		}
		var jobs []allot.Job
		w.Svc.Store.Read(sys, func(tx allot.Tx) error {
			jobs, err = tx.Jobs(allot.JobFilter{Kind: directory.JobSync, Limit: 10})
			return err
		})
		if len(jobs) != 1 {
			t.Fatalf("%d sync jobs queued, want 1", len(jobs))
		}
		if err := w.Dir.RunSync(sys, jobs[0]); err != nil {
			t.Fatal(err)
		}
		runs = world.Must(w.Dir.SyncRuns(cm, acme, 1))(t)
		if runs[0].Status != directory.SyncApplied || !runs[0].Full || runs[0].Unchanged != 2 {
			t.Errorf("the queued run %+v", runs[0])
		}

		if err := w.Dir.Disconnect(w.As(w.Globex.CM), acme, "ldap"); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's manager disconnecting: %v, want not found", err)
		}
		if err := w.Dir.Disconnect(cm, acme, "ldap"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Dir.ConnectionOf(cm, acme, "ldap"); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("after disconnecting: %v, want not found", err)
		}
		if err := w.Dir.QueueDue(sys, allot.Job{}); err != nil {
			t.Fatal(err)
		}
		if users := world.Must(w.Svc.Users(cm, allot.UserFilter{CompanyID: acme, Search: "one@"}))(t); len(users) != 1 {
			t.Errorf("after disconnecting, the people it provisioned: %d, want them kept", len(users))
		}
	})
}
