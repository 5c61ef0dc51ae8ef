package ldap_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jimlambrt/gldap"

	"allot/ldap"
)

// Every fault ends a read with an error and no people: a read is all or
// nothing, so that a half-read directory never looks like people deleted.
func TestFaultsReturnNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// setUp changes the directory or its config before the read; ctx
		// is cancelled by cancel.
		setUp   func(t *testing.T, d *fakeDir, cfg *ldap.Config, cancel func())
		wantErr func(error) bool
	}{
		{
			name: "bad credentials",
			setUp: func(t *testing.T, d *fakeDir, cfg *ldap.Config, _ func()) {
				cfg.Password = "not-the-password"
			},
			wantErr: func(err error) bool { return errors.Is(err, ldap.ErrCredentials) },
		},
		{
			name: "the server goes away mid-page",
			setUp: func(t *testing.T, d *fakeDir, cfg *ldap.Config, _ func()) {
				p := &proxy{}
				cfg.URL = "ldap://" + p.start(t, strings.TrimPrefix(cfg.URL, "ldap://"))
				d.page = func(n int, w *gldap.ResponseWriter, r *gldap.Request, rest []fakeEntry) bool {
					if n < 3 {
						return true
					}
					d.writeEntries(w, r, rest[:100])
					p.cut()
					return false
				}
			},
			wantErr: func(err error) bool { return err != nil },
		},
		{
			name: "the server answers a page with an error",
			setUp: func(t *testing.T, d *fakeDir, cfg *ldap.Config, _ func()) {
				d.page = func(n int, w *gldap.ResponseWriter, r *gldap.Request, rest []fakeEntry) bool {
					if n < 2 {
						return true
					}
					d.writeEntries(w, r, rest[:10])
					_ = w.Write(r.NewSearchDoneResponse(gldap.WithResponseCode(gldap.ResultBusy)))
					return false
				}
			},
			wantErr: func(err error) bool { return err != nil && strings.Contains(err.Error(), "Busy") },
		},
		{
			name: "the server falls silent mid-page",
			setUp: func(t *testing.T, d *fakeDir, cfg *ldap.Config, _ func()) {
				cfg.Timeout = 2 * time.Second // long enough for the pages before to come on a loaded machine
				silent := make(chan struct{})
				t.Cleanup(func() { close(silent) })
				d.page = func(n int, w *gldap.ResponseWriter, r *gldap.Request, rest []fakeEntry) bool {
					if n < 2 {
						return true
					}
					d.writeEntries(w, r, rest[:10])
					<-silent
					return false
				}
			},
			wantErr: func(err error) bool { return err != nil && strings.Contains(err.Error(), "timed out") },
		},
		{
			name: "an entry's objectGUID is not 16 bytes",
			setUp: func(t *testing.T, d *fakeDir, cfg *ldap.Config, _ func()) {
				d.people[1800].attrs["objectGUID"] = []string{"short"}
			},
			wantErr: func(err error) bool { return err != nil && strings.Contains(err.Error(), "CN=Person 1800") },
		},
		{
			name: "the read is cancelled",
			setUp: func(t *testing.T, d *fakeDir, cfg *ldap.Config, cancel func()) {
				d.page = func(n int, w *gldap.ResponseWriter, r *gldap.Request, rest []fakeEntry) bool {
					if n == 2 {
						cancel()
					}
					return true
				}
			},
			wantErr: func(err error) bool { return errors.Is(err, context.Canceled) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := adDirectory()
			cfg := adConfig(d.start(t))
			cfg.PageSize = 500
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tt.setUp(t, d, &cfg, cancel)
			src := mustNew(t, cfg)
			res, err := src.ReadAll(ctx)
			if res != nil || !tt.wantErr(err) {
				t.Errorf("read: %d people, error %v", peopleIn(res), err)
			}
		})
	}
}

func peopleIn(r *ldap.Result) int {
	if r == nil {
		return 0
	}
	return len(r.People)
}
