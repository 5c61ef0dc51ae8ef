package programme_test

import (
	"fmt"
	"time"

	"allot/programme"
)

// Two invitations in Berlin on the days its clocks change in 2027: 2:30 on
// 28 March never happens, so it is sent when the clocks jump to 3:00; 2:30 on
// 31 October happens twice, and it is sent the first time, in summer time.
func ExampleSendInstant() {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range []programme.Wall{
		{Year: 2027, Month: time.March, Day: 28, Hour: 2, Minute: 30},
		{Year: 2027, Month: time.October, Day: 31, Hour: 2, Minute: 30},
	} {
		r, err := programme.SendInstant(w, berlin)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(r.At.UTC().Format(time.RFC3339), r.Sentence())
	}
	// Output:
	// 2027-03-28T01:00:00Z 2:30 does not exist on 28 March 2027 in Europe/Berlin: clocks go forward; it is sent at 3:00, when they do.
	// 2027-10-31T00:30:00Z 2:30 happens twice on 31 October 2027 in Europe/Berlin: it is sent the first time.
}
