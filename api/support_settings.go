package api

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"allot"
	"allot/support"
)

// How the desk is set up: the routing table, the service-level policies,
// and each company's or partner's success contact and policy.

type supportRoute struct {
	Category string `json:"category" maxLength:"40" example:"member_access" doc:"A short key: lower-case letters, digits and underscores."`
	Label    string `json:"label" maxLength:"100" example:"Member access and invitations" doc:"What a requester chooses."`
	Team     string `json:"team" enum:"support,success" doc:"The team its requests go to."`
}

func toSupportRoute(r support.Route) supportRoute {
	return supportRoute{Category: r.Category, Label: r.Label, Team: string(r.Team)}
}

// supportRoutes lists the routing table to anyone signed in: a requester
// chooses among its categories.
func (s *Server) supportRoutes(ctx context.Context, _ *struct{}) (*listOutput[supportRoute], error) {
	rs, err := s.support.Routes(ctx)
	return list(rs, err, toSupportRoute)
}

type routesInput struct {
	Body struct {
		Routes []supportRoute `json:"routes" minItems:"1" maxItems:"100" doc:"Every category, in the order requesters are offered them."`
	}
}

// setSupportRoutes replaces the routing table; requests already open keep
// their team.
func (s *Server) setSupportRoutes(ctx context.Context, in *routesInput) (*listOutput[supportRoute], error) {
	rs := make([]support.Route, len(in.Body.Routes))
	for i, r := range in.Body.Routes {
		rs[i] = support.Route{Category: r.Category, Label: r.Label, Team: support.Team(r.Team)}
	}
	rs, err := s.support.SetRoutes(ctx, rs)
	return list(rs, err, toSupportRoute)
}

// supportPolicy is a set of service levels: targets per priority, counted
// on a calendar.
type supportPolicy struct {
	ID        int64          `json:"id" example:"2"`
	Name      string         `json:"name" example:"Business hours, Berlin"`
	Default   bool           `json:"default" doc:"The policy of every company without one of its own, nor a partner's."`
	Calendar  policyCalendar `json:"calendar"`
	Targets   policyTargets  `json:"targets"`
	UpdatedAt time.Time      `json:"updated_at"`
}

// policyCalendar says when a policy's clocks run.
type policyCalendar struct {
	Zone     string   `json:"zone,omitempty" maxLength:"100" example:"Europe/Berlin" doc:"The IANA time zone of the hours and dates; UTC when absent."`
	AllHours bool     `json:"all_hours,omitempty" doc:"Every hour of every day counts; the fields below are then ignored."`
	Days     []string `json:"days,omitempty" maxItems:"7" example:"[\"monday\",\"tuesday\",\"wednesday\",\"thursday\",\"friday\"]" doc:"The working days, in English, lower case; Monday to Friday when absent."`
	Opens    string   `json:"opens,omitempty" example:"09:00" doc:"When the working day begins, HH:MM in zone."`
	Closes   string   `json:"closes,omitempty" example:"17:00" doc:"When it ends, HH:MM in zone, up to 24:00."`
	Country  string   `json:"country,omitempty" maxLength:"2" example:"de" doc:"Whose public holidays are closed: at, au, be, ca, ch, de, es, fr, gb, ie, it, nl or us."`
	Holidays []string `json:"holidays,omitempty" maxItems:"366" example:"[\"2027-12-24\"]" doc:"Further closed dates, YYYY-MM-DD in zone."`
}

// policyTargets are a policy's targets for each priority.
type policyTargets struct {
	Low    targetMinutes `json:"low"`
	Normal targetMinutes `json:"normal"`
	High   targetMinutes `json:"high"`
	Urgent targetMinutes `json:"urgent"`
}

// targetMinutes are the working minutes a request of one priority is
// answered and resolved within.
type targetMinutes struct {
	FirstResponse int `json:"first_response_minutes" minimum:"1" maximum:"129600" example:"720" doc:"From the request to the team's first reply."`
	NextResponse  int `json:"next_response_minutes" minimum:"1" maximum:"129600" example:"1440" doc:"From a customer's message to the team's reply."`
	Resolution    int `json:"resolution_minutes" minimum:"1" maximum:"129600" example:"7200" doc:"From the request to its resolution, less the time waiting on the customer."`
}

func (t targetMinutes) targets() support.Targets {
	return support.Targets{FirstResponse: time.Duration(t.FirstResponse) * time.Minute,
		NextResponse: time.Duration(t.NextResponse) * time.Minute, Resolution: time.Duration(t.Resolution) * time.Minute}
}

func toTargetMinutes(t support.Targets) targetMinutes {
	return targetMinutes{FirstResponse: minutes(t.FirstResponse), NextResponse: minutes(t.NextResponse), Resolution: minutes(t.Resolution)}
}

// weekdays are the days of the week as the API spells them, by
// time.Weekday.
var weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

func toSupportPolicy(p support.Policy) supportPolicy {
	c := p.Calendar
	cal := policyCalendar{Zone: c.Zone, AllHours: c.AllHours, Country: c.Country, Holidays: c.Holidays}
	if !c.AllHours {
		cal.Opens, cal.Closes = clockOf(c.Open), clockOf(c.Close)
		for _, d := range c.Days {
			cal.Days = append(cal.Days, weekdays[d])
		}
	}
	return supportPolicy{ID: p.ID, Name: p.Name, Default: p.Default, Calendar: cal, UpdatedAt: p.UpdatedAt,
		Targets: policyTargets{Low: toTargetMinutes(p.For(support.Low)), Normal: toTargetMinutes(p.For(support.Normal)),
			High: toTargetMinutes(p.For(support.High)), Urgent: toTargetMinutes(p.For(support.Urgent))}}
}

// clockOf spells minutes after midnight as HH:MM.
func clockOf(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// minuteOf reads HH:MM as minutes after midnight, naming field when it
// cannot; 24:00 is the end of the day.
func minuteOf(field, hhmm string) (int, error) {
	var h, m int
	if n, err := fmt.Sscanf(hhmm, "%2d:%2d", &h, &m); err != nil || n != 2 || len(hhmm) != 5 || h < 0 || m < 0 || m > 59 || h*60+m > 24*60 {
		return 0, allot.Invalid(field, "%q is not a time of day such as 09:00", hhmm)
	}
	return h*60 + m, nil
}

// calendar is the domain's calendar of c.
func (c policyCalendar) calendar() (support.Calendar, error) {
	cal := support.Calendar{Zone: c.Zone, AllHours: c.AllHours, Country: strings.ToLower(c.Country), Holidays: c.Holidays}
	if c.AllHours {
		return cal, nil
	}
	for _, d := range c.Days {
		i := slices.Index(weekdays, strings.ToLower(d))
		if i < 0 {
			return cal, allot.Invalid("calendar.days", "%q is not a day of the week such as monday", d)
		}
		cal.Days = append(cal.Days, time.Weekday(i))
	}
	var err error
	if cal.Open, err = minuteOf("calendar.opens", c.Opens); err != nil {
		return cal, err
	}
	cal.Close, err = minuteOf("calendar.closes", c.Closes)
	return cal, err
}

// policyFields are where a policy's body holds the fields the domain
// names otherwise: the hours of its calendar and its targets in minutes.
var policyFields = func() map[string]string {
	m := map[string]string{"calendar.open": "calendar.opens", "calendar.close": "calendar.closes"}
	for _, pr := range support.Priorities {
		for _, k := range []string{"first_response", "next_response", "resolution"} {
			f := "targets." + string(pr) + "." + k
			m[f] = f + "_minutes"
		}
	}
	return m
}()

func (s *Server) supportPolicies(ctx context.Context, _ *struct{}) (*listOutput[supportPolicy], error) {
	ps, err := s.support.Policies(ctx)
	return list(ps, err, toSupportPolicy)
}

// policyFieldsIn is what a new or changed policy says.
type policyFieldsIn struct {
	Name     string         `json:"name" maxLength:"100" example:"Business hours, Berlin"`
	Default  bool           `json:"default,omitempty" doc:"Make it the default policy: the one before is no longer."`
	Calendar policyCalendar `json:"calendar"`
	Targets  policyTargets  `json:"targets"`
}

// policy is the domain's policy id of f.
func (f policyFieldsIn) policy(id int64) (support.Policy, error) {
	cal, err := f.Calendar.calendar()
	if err != nil {
		return support.Policy{}, err
	}
	return support.Policy{ID: id, Name: f.Name, Default: f.Default, Calendar: cal, Targets: map[support.Priority]support.Targets{
		support.Low: f.Targets.Low.targets(), support.Normal: f.Targets.Normal.targets(),
		support.High: f.Targets.High.targets(), support.Urgent: f.Targets.Urgent.targets()}}, nil
}

type newPolicyInput struct {
	Body policyFieldsIn
}

func (s *Server) createSupportPolicy(ctx context.Context, in *newPolicyInput) (*body[supportPolicy], error) {
	return s.savePolicy(ctx, 0, in.Body)
}

type policyInput struct {
	ID   int64 `path:"id" minimum:"1" example:"2"`
	Body policyFieldsIn
}

// putSupportPolicy changes a policy: requests keep the due times they
// have; the targets started from then on follow it.
func (s *Server) putSupportPolicy(ctx context.Context, in *policyInput) (*body[supportPolicy], error) {
	return s.savePolicy(ctx, in.ID, in.Body)
}

func (s *Server) savePolicy(ctx context.Context, id int64, f policyFieldsIn) (*body[supportPolicy], error) {
	pol, err := f.policy(id)
	if err != nil {
		return nil, err
	}
	pol, err = s.support.SavePolicy(ctx, pol)
	return one(pol, allot.Renamed(err, policyFields), toSupportPolicy)
}

// supportAccount is how the desk serves a company or a partner's
// customers.
type supportAccount struct {
	CompanyID int64  `json:"company_id,omitempty" doc:"The company whose account it is; absent for a partner's."`
	PartnerID int64  `json:"partner_id,omitempty" doc:"The partner whose account it is, serving its customers without one of their own."`
	SuccessID int64  `json:"success_id,omitempty" doc:"The customer success manager copied on requests and escalated to; absent for none."`
	Success   string `json:"success,omitempty" example:"success@vendor.example" doc:"Their e-mail."`
	PolicyID  int64  `json:"policy_id,omitempty" doc:"The service-level policy of its requests; absent for the default one."`
}

func toSupportAccount(a support.Account) supportAccount {
	return supportAccount{CompanyID: a.CompanyID, PartnerID: a.PartnerID, SuccessID: a.SuccessID, Success: a.Success, PolicyID: a.PolicyID}
}

// companySupportAccount answers with the account that serves a company:
// its own, else its partner's (partner_id says so), else none (empty).
func (s *Server) companySupportAccount(ctx context.Context, in *idInput) (*body[supportAccount], error) {
	a, err := s.support.AccountOf(ctx, in.ID)
	return one(a, err, toSupportAccount)
}

func (s *Server) partnerSupportAccount(ctx context.Context, in *idInput) (*body[supportAccount], error) {
	a, err := s.support.PartnerAccount(ctx, in.ID)
	return one(a, err, toSupportAccount)
}

type accountInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		SuccessID int64 `json:"success_id,omitempty" minimum:"0" doc:"One of the vendor's customer success managers; none when absent."`
		PolicyID  int64 `json:"policy_id,omitempty" minimum:"0" doc:"One of the policies; the default one when absent."`
	}
}

func (s *Server) putCompanySupportAccount(ctx context.Context, in *accountInput) (*body[supportAccount], error) {
	a, err := s.support.SetAccount(ctx, support.Account{CompanyID: in.ID, SuccessID: in.Body.SuccessID, PolicyID: in.Body.PolicyID})
	return one(a, err, toSupportAccount)
}

func (s *Server) putPartnerSupportAccount(ctx context.Context, in *accountInput) (*body[supportAccount], error) {
	a, err := s.support.SetAccount(ctx, support.Account{PartnerID: in.ID, SuccessID: in.Body.SuccessID, PolicyID: in.Body.PolicyID})
	return one(a, err, toSupportAccount)
}
