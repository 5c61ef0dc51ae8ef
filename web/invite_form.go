package web

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"allot"
	"allot/programme"
)

// wizard is what the invite wizard's steps chose so far. Each step's form
// carries the earlier choices forward in hidden fields, so that the wizard
// keeps no state between requests and works without a script. Its fields
// are named as the programme service names them in its errors, so that an
// error is shown beside the field it is about.
type wizard struct {
	Programme   int64
	Mode        string // modeSubscription or modeExperiences
	PoolID      string
	Starts      string // the date the access starts, 2027-03-28; today when empty
	Experiences []experienceRow
	Emails      string
	Lang        string
	Send        string // sendNow or sendLater
	Date, Time  string // when a later sending goes out, on the clocks of Zone
	Zone        string
	RemindDays  string
	Reviewed    string // the review's choices as last shown: see fingerprint
}

// experienceRow is one experience as the form holds it: a product's code,
// a length of 3, 6 or 12 months or lengthDays, and the days of the latter.
type experienceRow struct {
	Product, Length, Days string
}

// The wizard's choices of where seats come from, and of when to send.
const (
	modeSubscription = "subscription"
	modeExperiences  = "experiences"
	sendNow          = "now"
	sendLater        = "later"
	lengthDays       = "days"
	defaultTime      = "09:00" // a later sending goes out at 9:00 unless told otherwise
)

// inviteStep is a step of the wizard: its name, and the fields its form
// edits.
type inviteStep struct {
	Name, Label string
	Fields      []string
}

// inviteSteps are the wizard's steps, in order.
var inviteSteps = []inviteStep{
	{"programme", "Programme", []string{"programme"}},
	{"seats", "Seats", []string{"mode", "pool_id", "starts", "product", "length", "days"}},
	{"emails", "E-mails", []string{"emails"}},
	{"review", "Review", []string{"lang", "send", "date", "time", "zone", "remind_days", "reviewed"}},
}

// readWizard reads the wizard's choices from a form or a query. An
// experience without a product is left out: choosing none removes it.
func readWizard(v url.Values) wizard {
	id, _ := strconv.ParseInt(strings.TrimSpace(v.Get("programme")), 10, 64)
	wz := wizard{Programme: id, Mode: v.Get("mode"), PoolID: strings.TrimSpace(v.Get("pool_id")),
		Starts: strings.TrimSpace(v.Get("starts")), Emails: v.Get("emails"), Lang: v.Get("lang"), Send: v.Get("send"),
		Date: strings.TrimSpace(v.Get("date")), Time: strings.TrimSpace(v.Get("time")), Zone: strings.TrimSpace(v.Get("zone")),
		RemindDays: strings.TrimSpace(v.Get("remind_days")), Reviewed: v.Get("reviewed")}
	products, lengths, days := v["product"], v["length"], v["days"]
	for i, code := range products {
		if code = strings.TrimSpace(code); code == "" {
			continue
		}
		row := experienceRow{Product: code}
		if i < len(lengths) {
			row.Length = lengths[i]
		}
		if i < len(days) {
			row.Days = strings.TrimSpace(days[i])
		}
		wz.Experiences = append(wz.Experiences, row)
	}
	if wz.Send != sendLater {
		wz.Send = sendNow
	}
	// What the review's fields show when nothing was chosen yet, so that
	// the review's fingerprint is of what its form sends.
	wz.Time, wz.RemindDays = cmp.Or(wz.Time, defaultTime), cmp.Or(wz.RemindDays, "0")
	return wz
}

// values returns the wizard's choices as form values.
func (wz wizard) values() url.Values {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	if wz.Programme != 0 {
		v.Set("programme", strconv.FormatInt(wz.Programme, 10))
	}
	set("mode", wz.Mode)
	set("pool_id", wz.PoolID)
	set("starts", wz.Starts)
	for _, e := range wz.Experiences {
		v.Add("product", e.Product)
		v.Add("length", e.Length)
		v.Add("days", e.Days)
	}
	set("emails", wz.Emails)
	set("lang", wz.Lang)
	set("send", wz.Send)
	set("date", wz.Date)
	set("time", wz.Time)
	set("zone", wz.Zone)
	set("remind_days", wz.RemindDays)
	set("reviewed", wz.Reviewed)
	return v
}

// hiddenField is a choice an earlier or later step made, carried through
// a step's form.
type hiddenField struct {
	Name, Value string
}

// hidden returns the choices the form of step does not edit, to carry in
// its hidden fields, sorted by name.
func (wz wizard) hidden(step string) []hiddenField {
	v := wz.values()
	for _, st := range inviteSteps {
		if st.Name == step {
			for _, f := range st.Fields {
				v.Del(f)
			}
		}
	}
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	slices.Sort(names)
	var out []hiddenField
	for _, name := range names {
		for _, value := range v[name] {
			out = append(out, hiddenField{name, value})
		}
	}
	return out
}

// fingerprint sums up the review's choices, so that a confirmation can
// tell whether the manager saw the review of what they confirm: when it
// goes out, in which zone and language.
func (wz wizard) fingerprint() string {
	parts := []string{wz.Send, wz.Zone, wz.Lang, wz.RemindDays}
	if wz.Send == sendLater {
		parts = append(parts, wz.Date, wz.Time)
	}
	return strings.Join(parts, "|")
}

// invite turns the choices into what the programme service plans and
// confirms. A value that is not a number or a date is EINVALID naming its
// field, as the service names them.
func (wz wizard) invite() (programme.Invite, error) {
	in := programme.Invite{ProgrammeID: wz.Programme, Emails: wz.Emails, Lang: wz.Lang, Zone: wz.Zone}
	var err error
	switch wz.Mode {
	case modeSubscription:
		if wz.PoolID != "" {
			if in.PoolID, err = strconv.ParseInt(wz.PoolID, 10, 64); err != nil || in.PoolID < 1 {
				return in, allot.Invalid("pool_id", "choose one of the subscriptions")
			}
		}
	case modeExperiences:
		if in.Experiences, err = wz.experiences(); err != nil {
			return in, err
		}
	}
	if wz.Starts != "" {
		if in.Starts, err = programme.ParseWall(wz.Starts, ""); err != nil {
			return in, allot.Invalid("starts", "%q is not a date such as 2027-03-28", wz.Starts)
		}
	}
	if wz.Send == sendLater {
		if in.At, err = programme.ParseWall(wz.Date, wz.Time); err != nil {
			return in, err
		}
	}
	if wz.RemindDays != "" {
		if in.RemindDays, err = strconv.Atoi(wz.RemindDays); err != nil {
			return in, allot.Invalid("remind_days", "%q is not a number of days", wz.RemindDays)
		}
	}
	return in, nil
}

// experiences returns the experiences of the rows: a length in months,
// or a custom number of days.
func (wz wizard) experiences() ([]programme.Experience, error) {
	out := make([]programme.Experience, len(wz.Experiences))
	for i, row := range wz.Experiences {
		out[i].Product = row.Product
		if row.Length != lengthDays {
			out[i].Months, _ = strconv.Atoi(row.Length)
			continue
		}
		days, err := strconv.Atoi(row.Days)
		if err != nil {
			return nil, allot.Invalid(experienceField(i, "days"), "give the access's length as a number of days, 1 to %d", programme.MaxDays)
		}
		out[i].Days = days
	}
	return out, nil
}

// experienceField is the name the programme service gives a field of
// experience i.
func experienceField(i int, name string) string {
	return "experiences[" + strconv.Itoa(i) + "]." + name
}

// stepOf returns the step whose form has the field an error names: the
// seats for the subscription, the experiences and the start; the review
// for the language and when to send; the e-mails for the rest, which are
// about the people invited or the seats free for them.
func stepOf(field string) string {
	switch {
	case field == "programme":
		return "programme"
	case field == "pool_id" || field == "starts" || strings.HasPrefix(field, "experiences"):
		return "seats"
	case slices.Contains(inviteSteps[3].Fields, field):
		return "review"
	}
	return "emails"
}
