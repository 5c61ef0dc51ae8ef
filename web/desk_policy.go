package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"allot"
	"allot/support"
)

// policyForm is a service-level policy as its form holds it. Its inputs
// are named as the service names the fields in its errors
// (targets.urgent.first_response, calendar.zone), so that an error is
// shown beside its field.
type policyForm struct {
	Key       string // names the form on the page: policy-ID, or policy-new
	ID        int64
	Default   bool
	AllHours  bool
	Days      []dayChoice
	Name      formField
	Targets   []targetRow
	Calendar  []formField // opens, closes, zone, country
	Holidays  formField
	DaysError *formField // the error about the days, when there is one
	vals      map[string]string
}

// formField is one input of a form, with its error.
type formField struct {
	Name, Label, Value string
	Kind               string // "textarea"; an input otherwise
	Placeholder, List  string
	Size               int
	Hide               bool   // its label is for screen readers: a table's headers show it
	ID                 string // its error's element
	Error              string
}

// targetRow is the targets of one priority, in hours.
type targetRow struct {
	Label string
	Cells []formField
}

// dayChoice is a day of the week a calendar may work.
type dayChoice struct {
	Value   int
	Label   string
	Checked bool
}

// targetNames are the names of a priority's targets in the service's
// fields, with their words.
var targetNames = []struct{ Name, Label string }{
	{"first_response", "first response"}, {"next_response", "next response"}, {"resolution", "resolution"},
}

// policyFormOf returns the form of pol.
func policyFormOf(pol support.Policy) policyForm {
	c := pol.Calendar
	vals := map[string]string{"name": pol.Name, "calendar.zone": c.Zone, "calendar.country": c.Country,
		"calendar.holidays": strings.Join(c.Holidays, "\n"), "calendar.open": clockText(c.Open), "calendar.close": clockText(c.Close)}
	if c.Close == 0 {
		vals["calendar.open"], vals["calendar.close"] = "09:00", "17:00" // where a calendar of working hours starts from
	}
	for _, pr := range support.Priorities {
		t := pol.Targets[pr]
		for i, d := range []time.Duration{t.FirstResponse, t.NextResponse, t.Resolution} {
			vals["targets."+string(pr)+"."+targetNames[i].Name] = hoursText(d)
		}
	}
	return newPolicyForm(pol.ID, pol.Default, c.AllHours, dayChoices(c.Days), vals)
}

// newPolicyForm returns the form of policy id with the values of its
// inputs by name.
func newPolicyForm(id int64, isDefault, allHours bool, days []dayChoice, vals map[string]string) policyForm {
	f := policyForm{Key: "policy-new", ID: id, Default: isDefault, AllHours: allHours, Days: days, vals: vals}
	if id != 0 {
		f.Key = "policy-" + strconv.FormatInt(id, 10)
	}
	f.Name = f.field("name", "Name", "", 24)
	for _, pr := range slices.Backward(support.Priorities) {
		row := targetRow{Label: priorityTexts[pr]}
		for _, t := range targetNames {
			c := f.field("targets."+string(pr)+"."+t.Name, priorityTexts[pr]+" "+t.Label+", hours", "", 5)
			c.Hide = true
			row.Cells = append(row.Cells, c)
		}
		f.Targets = append(f.Targets, row)
	}
	f.Calendar = []formField{f.field("calendar.open", "Opens at", "09:00", 6), f.field("calendar.close", "Closes at", "17:00", 6),
		f.field("calendar.zone", "Time zone", "Europe/Berlin", 18), f.field("calendar.country", "Public holidays of (country code)", "de", 4)}
	f.Calendar[3].List = "countries"
	f.Holidays = f.field("calendar.holidays", "Further closed dates, one a line (2027-12-24)", "", 0)
	f.Holidays.Kind = "textarea"
	return f
}

// field returns the input of the form named name.
func (f *policyForm) field(name, label, placeholder string, size int) formField {
	return formField{Name: name, Label: label, Value: f.vals[name], Placeholder: placeholder, Size: size,
		ID: f.Key + "-" + strings.NewReplacer(".", "-", "_", "-").Replace(name) + "-error"}
}

// mark shows message beside the input named field; the form as a whole
// shows it when no input has that name.
func (f *policyForm) mark(field, message string) {
	fields := []*formField{&f.Name, &f.Holidays}
	for i := range f.Calendar {
		fields = append(fields, &f.Calendar[i])
	}
	for i := range f.Targets {
		for j := range f.Targets[i].Cells {
			fields = append(fields, &f.Targets[i].Cells[j])
		}
	}
	for _, ff := range fields {
		if ff.Name == field {
			ff.Error = message
			return
		}
	}
	f.DaysError = &formField{ID: f.Key + "-days-error", Error: message}
}

// dayChoices returns the days of the week from Monday, those of days
// checked; Monday to Friday when days is empty, as the calendar reads it.
func dayChoices(days []time.Weekday) []dayChoice {
	if len(days) == 0 {
		days = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	out := make([]dayChoice, 7)
	for i := range out {
		d := time.Weekday((i + 1) % 7)
		out[i] = dayChoice{Value: int(d), Label: d.String(), Checked: slices.Contains(days, d)}
	}
	return out
}

// readPolicyForm reads a policy's form as it was sent.
func readPolicyForm(v url.Values) policyForm {
	id, _ := strconv.ParseInt(v.Get("id"), 10, 64)
	vals := map[string]string{}
	for name := range v {
		vals[name] = v.Get(name)
	}
	days := dayChoices(nil)
	for i := range days {
		days[i].Checked = slices.Contains(v["calendar.days"], strconv.Itoa(days[i].Value))
	}
	return newPolicyForm(id, v.Get("default") == "1", v.Get("calendar.all_hours") != "0", days, vals)
}

// policy returns the policy the form says; EINVALID names a field that is
// not a number of hours or a time of day. The service checks the rest.
func (f policyForm) policy() (support.Policy, error) {
	pol := support.Policy{ID: f.ID, Name: strings.TrimSpace(f.vals["name"]), Default: f.Default, Targets: map[support.Priority]support.Targets{},
		Calendar: support.Calendar{Zone: strings.TrimSpace(f.vals["calendar.zone"]), AllHours: f.AllHours,
			Country: strings.TrimSpace(f.vals["calendar.country"])}}
	for _, pr := range support.Priorities {
		var ds [3]time.Duration
		for i, t := range targetNames {
			name := "targets." + string(pr) + "." + t.Name
			var err error
			if ds[i], err = parseHours(name, f.vals[name]); err != nil {
				return pol, err
			}
		}
		pol.Targets[pr] = support.Targets{FirstResponse: ds[0], NextResponse: ds[1], Resolution: ds[2]}
	}
	if f.AllHours {
		return pol, nil
	}
	for _, d := range f.Days {
		if d.Checked {
			pol.Calendar.Days = append(pol.Calendar.Days, time.Weekday(d.Value))
		}
	}
	if len(pol.Calendar.Days) == 0 {
		return pol, allot.Invalid("calendar.days", "choose the days the desk works, or count every hour")
	}
	var err error
	if pol.Calendar.Open, err = parseClock("calendar.open", f.vals["calendar.open"]); err != nil {
		return pol, err
	}
	if pol.Calendar.Close, err = parseClock("calendar.close", f.vals["calendar.close"]); err != nil {
		return pol, err
	}
	pol.Calendar.Holidays = strings.FieldsFunc(f.vals["calendar.holidays"], func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == ' '
	})
	return pol, nil
}
