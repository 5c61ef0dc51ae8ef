package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"allot"
	"allot/mail"
	"allot/programme"
)

// inviteData is one step of the invite wizard.
type inviteData struct {
	Company    allot.Company
	Step       string
	Steps      []wizardStep
	W          wizard
	Hidden     []hiddenField // the choices the step's form carries
	Programmes []programme.Programme
	Programme  programme.Programme
	Names      map[string]string // product names by code
	Today      string            // in the invitation's zone, for the start date

	// The seats step.
	Pools   []poolChoice
	Months  []int
	MaxDays int

	// The e-mails and review steps.
	Plan      *programme.Plan
	Shown     []string // the people invited, the first of them
	More      int      // and how many more
	Languages []language
	Zones     []string
	MaxRemind int
	Sentence  string // when the invitations go out, and why then
	Shifted   bool   // the clocks change over the time asked for
	Reviewed  string // the review's choices shown: see wizard.fingerprint
	Changed   bool   // a confirmation was asked for choices not reviewed

	Preview    *mail.Rendered
	PreviewURL string // the preview's HTML, as its own sandboxed document
}

// wizardStep is one step in the wizard's list of steps.
type wizardStep struct {
	Label         string
	Current, Done bool
}

// poolChoice is a subscription the seats can come from.
type poolChoice struct {
	allot.Pool
	Product string
	Access  string // the access a member invited now would get
	Full    bool
}

// language is a language an invitation is written in.
type language struct {
	Code, Name string
}

// languageNames name the invitations' languages in their own words.
var languageNames = map[string]string{"en": "English", "fr": "Français", "de": "Deutsch", "es": "Español"}

// shownInvitees is how many of the people invited the review lists.
const shownInvitees = 50

// inviting returns the company whose members the wizard invites, when the
// viewer may manage its programmes.
func (s *Server) inviting(w http.ResponseWriter, r *http.Request) (allot.Company, bool) {
	c, ok := s.managed(w, r)
	if !ok {
		return c, false
	}
	p, _ := allot.PrincipalFrom(r.Context())
	if err := p.Must(allot.ActManageProgrammes, c); err != nil {
		s.fail(w, r, err)
		return c, false
	}
	return c, true
}

// invitePage starts the wizard: with the programme to choose, or at its
// seats when the query names the programme (the programmes' links do).
func (s *Server) invitePage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.inviting(w, r)
	if !ok {
		return
	}
	wz := readWizard(r.URL.Query())
	step := "programme"
	if wz.Programme != 0 {
		step = "seats"
	}
	s.showInvite(w, r, c, wz, step, nil)
}

// invite is every step's form: its "go" button names the step to show
// next, which checks the steps before it; "add" adds an experience,
// "leave" leaves out the addresses that cannot be invited, "preview" shows
// the mail under the review, and "confirm" invites.
func (s *Server) invite(w http.ResponseWriter, r *http.Request) {
	c, ok := s.inviting(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	wz := readWizard(r.PostForm)
	switch step := r.PostForm.Get("go"); step {
	case "add":
		wz.Mode = modeExperiences
		wz.Experiences = append(wz.Experiences, experienceRow{})
		s.showInvite(w, r, c, wz, "seats", nil)
	case "leave":
		if pl, _ := s.plan(r.Context(), wz); len(pl.Emails) > 0 {
			wz.Emails = strings.Join(pl.Emails, "\n")
		}
		s.showInvite(w, r, c, wz, "review", nil)
	case "confirm":
		s.confirmInvite(w, r, c, wz)
	case "seats", "emails", "review", "preview":
		s.showInvite(w, r, c, wz, step, nil)
	default:
		s.showInvite(w, r, c, wz, "programme", nil)
	}
}

// confirmInvite invites as the review said, once the manager saw the
// review of the choices they confirm.
func (s *Server) confirmInvite(w http.ResponseWriter, r *http.Request, c allot.Company, wz wizard) {
	if wz.Reviewed != wz.fingerprint() {
		s.showInvite(w, r, c, wz, "review", errChanged)
		return
	}
	in, err := wz.invite()
	if err != nil {
		s.showInvite(w, r, c, wz, stepOf(fieldOf(err)), err)
		return
	}
	done, err := s.programs.Confirm(r.Context(), in)
	if err != nil {
		s.showInvite(w, r, c, wz, stepOf(fieldOf(err)), err)
		return
	}
	to := "/company/programmes/" + strconv.FormatInt(wz.Programme, 10)
	if done.Scheduled > 0 {
		to = "/company/invitations"
	}
	s.done(w, r, to, done.Sentence())
}

// errChanged is why a confirmation was not done: the review shown was of
// other choices.
var errChanged = errors.New("review changed")

// fieldOf is the field an error names, "" for none.
func fieldOf(err error) string {
	var e *allot.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// showInvite shows step want of the wizard, with formErr beside its field.
// Each step needs those before it: when one of them is wrong, that step is
// shown instead, with what is wrong.
func (s *Server) showInvite(w http.ResponseWriter, r *http.Request, c allot.Company, wz wizard, want string, formErr error) {
	ctx := r.Context()
	d := &inviteData{Company: c, W: wz, Names: map[string]string{}, Months: programme.Months, MaxDays: programme.MaxDays,
		MaxRemind: programme.MaxRemindDays, Zones: zoneChoices}
	step, preview := want, want == "preview"
	if preview {
		step = "review"
	}
	if step != "programme" {
		if err := s.loadProgramme(r, c, d); err != nil {
			step, formErr = "programme", err
		}
	}
	if step == "emails" && formErr == nil {
		if err := s.checkSeats(ctx, d.W); err != nil {
			step, formErr = stepOf(fieldOf(err)), err
		}
	}
	if step == "review" {
		step, formErr = s.review(ctx, r, d, preview, formErr)
	}
	if step == "emails" && d.Plan == nil && formErr != nil && strings.TrimSpace(d.W.Emails) != "" {
		if pl, err := s.plan(ctx, d.W); err == nil || len(pl.Problems) > 0 || len(pl.Merged) > 0 {
			d.Plan = &pl
		}
	}
	if err := s.loadStep(ctx, c, d, step); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Preview != nil {
		framesMail(w)
	}
	v := s.page(r, "Invite members", d)
	if formErr == nil {
		s.render(w, http.StatusOK, "company_invite", v)
		return
	}
	var e *allot.Error
	switch {
	case errors.Is(formErr, errChanged):
		s.render(w, http.StatusOK, "company_invite", v)
		return
	case !errors.As(formErr, &e) || e.Code == allot.EINTERNAL || e.Code == allot.ENOTFOUND && e.Field == "":
		s.fail(w, r, formErr)
		return
	}
	field := e.Field
	if field == "" {
		field = "emails" // too few free seats for the people given
	}
	v.Errors[field] = e.Message
	s.render(w, statusFor(formErr), "company_invite", v)
}

// loadProgramme puts the wizard's programme into d, with the defaults it
// gives: its language, and the manager's time zone.
func (s *Server) loadProgramme(r *http.Request, c allot.Company, d *inviteData) error {
	if d.W.Programme == 0 {
		return allot.Invalid("programme", "choose the programme to invite members to")
	}
	pg, err := s.programs.Get(r.Context(), d.W.Programme)
	switch {
	case allot.ErrorCode(err) == allot.ENOTFOUND || err == nil && pg.CompanyID != c.ID:
		return allot.Invalid("programme", "choose one of the programmes of %s", c.Name)
	case err != nil:
		return err
	}
	d.Programme = pg
	d.W.Lang = cmp.Or(d.W.Lang, pg.Lang)
	if d.W.Zone == "" {
		d.W.Zone = s.managerZone(r)
	}
	if len(d.W.Experiences) == 0 {
		row := experienceRow{Length: "12"}
		if len(pg.Products) == 1 {
			row.Product = pg.Products[0]
		}
		d.W.Experiences = []experienceRow{row}
	}
	return nil
}

// managerZone is the time zone of the signed-in manager's account; the
// zone of their browser when the account names none but the default.
func (s *Server) managerZone(r *http.Request) string {
	p, _ := allot.PrincipalFrom(r.Context())
	u, err := s.svc.User(r.Context(), p.UserID)
	if err == nil && u.Zone != "" && u.Zone != allot.DefaultZone {
		return u.Zone
	}
	return zone(r).String()
}

// checkSeats checks the seats step: the subscription or the experiences,
// and the start of the access. Whom to invite is not asked yet, which the
// programme service says last when nothing else is wrong.
func (s *Server) checkSeats(ctx context.Context, wz wizard) error {
	wz.Emails, wz.Send, wz.RemindDays = "", sendNow, ""
	_, err := s.plan(ctx, wz)
	if allot.ErrorCode(err) == allot.EINVALID && fieldOf(err) == "emails" {
		return nil
	}
	return err
}

// plan is the programme service's plan of the wizard's choices.
func (s *Server) plan(ctx context.Context, wz wizard) (programme.Plan, error) {
	in, err := wz.invite()
	if err != nil {
		return programme.Plan{}, err
	}
	return s.programs.Plan(ctx, in)
}

// review puts the plan of the wizard's choices into d, and with preview
// the mail its first person would get. It returns the step to show
// instead when the plan finds something wrong: addresses that cannot be
// invited are corrected on the e-mails step.
func (s *Server) review(ctx context.Context, r *http.Request, d *inviteData, preview bool, formErr error) (string, error) {
	pl, err := s.plan(ctx, d.W)
	switch {
	case err != nil:
		if formErr == nil || errors.Is(formErr, errChanged) {
			formErr = err
		}
		if len(pl.Problems) > 0 {
			d.Plan = &pl
		}
		return stepOf(fieldOf(formErr)), formErr
	case len(pl.Problems) > 0:
		d.Plan = &pl
		return "emails", allot.Invalid("emails", "%s cannot be invited: correct %s, or leave %s out",
			plural(len(pl.Problems), "address", "addresses"), pick(len(pl.Problems), "it", "them"), pick(len(pl.Problems), "it", "them"))
	}
	d.Plan, d.Reviewed, d.Changed = &pl, d.W.fingerprint(), errors.Is(formErr, errChanged)
	d.Shown, d.More = pl.Emails[:min(len(pl.Emails), shownInvitees)], max(len(pl.Emails)-shownInvitees, 0)
	if !pl.Now {
		d.Sentence, d.Shifted = pl.Send.Sentence(), pl.Send.Shift != programme.NoShift
	}
	if preview {
		first := d.W
		first.Emails, first.Reviewed = pl.Emails[0], ""
		in, _ := first.invite()
		m, err := s.programs.Preview(ctx, in, s.baseURL(r))
		if err != nil {
			return "review", err
		}
		d.Preview, d.PreviewURL = &m, "/company/invite/mail?"+first.values().Encode()
	}
	return "review", formErr
}

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// loadStep loads what step shows besides the plan: the programmes to
// choose from, or the subscriptions.
func (s *Server) loadStep(ctx context.Context, c allot.Company, d *inviteData, step string) error {
	d.Step = step
	d.Hidden = d.W.hidden(step)
	current := slices.IndexFunc(inviteSteps, func(st inviteStep) bool { return st.Name == step })
	for i, st := range inviteSteps {
		d.Steps = append(d.Steps, wizardStep{Label: st.Label, Current: i == current, Done: i < current})
	}
	for _, code := range allot.Languages {
		d.Languages = append(d.Languages, language{code, cmp.Or(languageNames[code], code)})
	}
	if d.W.Zone != "" && !slices.Contains(d.Zones, d.W.Zone) {
		d.Zones = append([]string{d.W.Zone}, d.Zones...)
	}
	now := s.svc.Clock.Now()
	loc, err := programme.LoadZone(d.W.Zone)
	if err != nil {
		loc = time.UTC
	}
	d.Today = now.In(loc).Format(time.DateOnly)
	products, err := s.svc.Products(ctx)
	if err != nil {
		return err
	}
	byID := map[int64]allot.Product{}
	for _, pr := range products {
		d.Names[pr.Code], byID[pr.ID] = pr.Name, pr
	}
	switch step {
	case "programme":
		d.Programmes, err = s.programs.List(ctx, c.ID)
		if d.W.Programme == 0 && len(d.Programmes) == 1 {
			d.W.Programme = d.Programmes[0].ID // the one programme there is to choose
		}
	case "seats":
		d.Pools, err = s.poolChoices(ctx, c, d.Programme, byID, now)
		if open := slices.DeleteFunc(slices.Clone(d.Pools), func(p poolChoice) bool { return p.Full }); d.W.PoolID == "" && len(open) == 1 {
			d.W.PoolID = strconv.FormatInt(open[0].ID, 10) // the one subscription there is to choose
		}
	}
	return err
}

// poolChoices returns the live subscriptions of the programme's products,
// those that end first first.
func (s *Server) poolChoices(ctx context.Context, c allot.Company, pg programme.Programme, products map[int64]allot.Product, now time.Time) ([]poolChoice, error) {
	pools, err := s.svc.Pools(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var out []poolChoice
	for _, pool := range pools {
		pr := products[pool.ProductID]
		if pool.Live(now) && slices.Contains(pg.Products, pr.Code) {
			out = append(out, poolChoice{Pool: pool, Product: pr.Name, Access: accessLength(now, pool.EndsAt), Full: pool.Free() <= 0})
		}
	}
	slices.SortStableFunc(out, func(a, b poolChoice) int { return a.EndsAt.Compare(b.EndsAt) })
	return out, nil
}

// accessLength says how long an access from from to to lasts, in months
// and days: "5 months 12 days", "12 months", "3 days".
func accessLength(from, to time.Time) string {
	months := 0
	for !from.AddDate(0, months+1, 0).After(to) {
		months++
	}
	days := int(to.Sub(from.AddDate(0, months, 0)).Hours() / 24)
	var parts []string
	if months > 0 {
		parts = append(parts, plural(months, "month", "months"))
	}
	if days > 0 || months == 0 {
		parts = append(parts, plural(days, "day", "days"))
	}
	return strings.Join(parts, " ")
}

// baseURL is where the links of a previewed mail point: the address
// configured, or the one the request reached the dashboard at.
func (s *Server) baseURL(r *http.Request) string {
	if s.base != "" {
		return s.base
	}
	scheme := "https"
	if r.TLS == nil {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}

// zoneChoices are the time zones the wizard suggests; any IANA zone may be
// typed.
var zoneChoices = []string{
	"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid",
	"Europe/Rome", "Europe/Amsterdam", "Europe/Brussels", "Europe/Zurich", "Europe/Stockholm", "Europe/Warsaw",
	"Europe/Athens", "Europe/Helsinki", "Europe/Istanbul", "Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata",
	"Asia/Singapore", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "America/St_Johns",
	"America/Halifax", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
	"America/Mexico_City", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
}
