package mail_test

import (
	"fmt"
	"time"

	"allot/mail"
)

// The reminder sent 72 hours before a pool ends, to a manager in Paris: the
// pool ends at 23:30 UTC on 31 January, which is 00:30 on 1 February there.
func ExampleRender() {
	r, err := mail.Render(mail.Message{
		Kind:      mail.KindReminder,
		To:        mail.Recipient{Name: "Ana", Email: "ana@acme.example", Lang: "en-GB", Zone: "Europe/Paris"},
		Company:   "Acme Ltd",
		Product:   "Premium",
		Seats:     1200,
		Free:      199,
		EndsAt:    time.Date(2027, 1, 31, 23, 30, 0, 0, time.UTC),
		Offset:    72 * time.Hour,
		Link:      "https://allot.example/renew?pool=42",
		MessageID: "reminder.pool-42.72h",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Lang)
	fmt.Println(r.Subject)
	fmt.Print(r.Text)
	// Output:
	// en
	// Your Premium licences for Acme Ltd expire in 3 days
	// Hello Ana,
	//
	// The 1,200 Premium licences of Acme Ltd end on 1 February 2027 at 00:30 (Europe/Paris).
	//
	//   Product: Premium
	//   Company: Acme Ltd
	//   Licences: 1,200
	//   Allocated: 1,001
	//   Ends: 1 February 2027 at 00:30 (Europe/Paris)
	//
	// 1,001 learners lose access then, unless you renew.
	//
	// Renew the licences
	// https://allot.example/renew?pool=42
	//
	// You receive this e-mail because you manage licences for Acme Ltd. Times are given in the Europe/Paris time zone.
}
