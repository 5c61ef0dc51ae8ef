package store_test

import (
	"context"
	"testing"
	"time"

	"allot"
	"allot/storetest"
)

func TestMailsAndJobsByCompany(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		db := b.Open(t)
		ctx := context.Background()
		var recorded []bool
		err := db.Write(ctx, func(tx allot.Tx) error {
			for _, m := range []allot.SentMail{
				{JobKey: "k1", CompanyID: 1, Kind: "reminder", To: "a@x.test", Subject: "S", Text: "T", HTML: "<p>H</p>", Status: allot.MailSent, At: at},
				{JobKey: "k1", CompanyID: 1, Kind: "reminder", To: "a@x.test", Subject: "again", Status: allot.MailSent, At: at},
				{JobKey: "k2", CompanyID: 2, Kind: "expired", To: "b@x.test", Subject: "S2", Status: allot.MailKept, At: at},
			} {
				ok, err := tx.RecordMail(&m)
				if err != nil {
					return err
				}
				recorded = append(recorded, ok)
			}
			for i, c := range []int64{1, 2, 1} {
				j := allot.Job{Kind: "mail", Key: string(rune('a' + i)), CompanyID: c, RunAt: at, CreatedAt: at}
				if _, err := tx.Enqueue(&j); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if recorded[0] != true || recorded[1] != false || recorded[2] != true {
			t.Errorf("recorded %v, want the second mail with the same job key refused", recorded)
		}
		db.Read(ctx, func(tx allot.Tx) error {
			ms, err := tx.Mails(allot.MailFilter{CompanyID: 1})
			if err != nil || len(ms) != 1 || ms[0].Subject != "S" || ms[0].HTML != "<p>H</p>" || !ms[0].At.Equal(at) {
				t.Errorf("mails of company 1: %+v, %v", ms, err)
			}
			js, err := tx.Jobs(allot.JobFilter{CompanyID: 1})
			if err != nil || len(js) != 2 || js[0].CompanyID != 1 {
				t.Errorf("jobs of company 1: %+v, %v", js, err)
			}
			return nil
		})
	})
}
