package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"allot"
	"allot/webhook"
)

// webhooksData is the list of the endpoints the viewer manages, with
// their totals.
type webhooksData struct {
	Endpoints                         []endpointRow
	Enabled, Disabled, Failing, Total int
}

// endpointRow is an endpoint with whose events it receives.
type endpointRow struct {
	webhook.Endpoint
	Owner string // the partner's name, or "" for the vendor's
}

// partnerNames returns the names of the partners the viewer sees, by ID.
func (s *Server) partnerNames(ctx context.Context) (map[int64]string, error) {
	ps, err := s.svc.Partners(ctx, allot.PartnerFilter{Limit: allot.MaxLimit})
	names := make(map[int64]string, len(ps))
	for _, p := range ps {
		names[p.ID] = p.Name
	}
	return names, err
}

// endpointRows names the owner of each endpoint.
func (s *Server) endpointRows(ctx context.Context, es ...webhook.Endpoint) ([]endpointRow, error) {
	names, err := s.partnerNames(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]endpointRow, len(es))
	for i, e := range es {
		rows[i] = endpointRow{Endpoint: e, Owner: names[e.PartnerID]}
		if e.PartnerID != 0 && rows[i].Owner == "" {
			rows[i].Owner = "Partner " + strconv.FormatInt(e.PartnerID, 10)
		}
	}
	return rows, nil
}

func (s *Server) webhooksPage(w http.ResponseWriter, r *http.Request) {
	es, err := s.webhooks.Endpoints(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := webhooksData{Total: len(es)}
	if data.Endpoints, err = s.endpointRows(r.Context(), es...); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, e := range es {
		switch {
		case e.Disabled:
			data.Disabled++
		case !e.FailingSince.IsZero():
			data.Failing++
			data.Enabled++
		default:
			data.Enabled++
		}
	}
	s.render(w, http.StatusOK, "webhooks", s.page(r, "Webhooks", data))
}

// newWebhookData is the form that subscribes an endpoint.
type newWebhookData struct {
	Types  []webhook.Type
	Owners []choice // the vendor admin's choice of owner; none for a partner's manager, whose partner owns it
	Picked []string // the types ticked
}

func (s *Server) newWebhookPage(w http.ResponseWriter, r *http.Request) {
	s.renderNewWebhook(w, r, nil)
}

// renderNewWebhook shows the form, with formErr beside its field.
func (s *Server) renderNewWebhook(w http.ResponseWriter, r *http.Request, formErr error) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	if err := p.Must(allot.ActManageWebhooks, p.Home()); err != nil {
		s.fail(w, r, err)
		return
	}
	data := newWebhookData{Types: webhook.Types(), Picked: r.PostForm["type"]}
	if p.PartnerID == 0 {
		names, err := s.partnerNames(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		data.Owners = []choice{{"", "The vendor: every customer's events"}}
		for id, name := range names {
			data.Owners = append(data.Owners, choice{strconv.FormatInt(id, 10), name + ": its customers' events"})
		}
		slices.SortFunc(data.Owners[1:], func(a, b choice) int { return strings.Compare(a.Label, b.Label) })
	}
	s.renderForm(w, r, "webhooks_new", s.page(r, "New webhook endpoint", data), formErr)
}

// createWebhook subscribes an endpoint for the owner the form names; the
// service decides whose it is for a partner's manager.
func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) {
	_, ok := s.me(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	in := webhook.NewEndpoint{URL: strings.TrimSpace(r.PostForm.Get("url")),
		Description: strings.TrimSpace(r.PostForm.Get("description")), Types: r.PostForm["type"]}
	if owner := r.PostForm.Get("partner_id"); owner != "" {
		var err error
		if in.PartnerID, err = strconv.ParseInt(owner, 10, 64); err != nil || in.PartnerID < 1 {
			s.renderNewWebhook(w, r, allot.Invalid("partner_id", "choose the vendor or one of the partners"))
			return
		}
	}
	e, err := s.webhooks.CreateEndpoint(r.Context(), in)
	if err != nil {
		s.renderNewWebhook(w, r, err)
		return
	}
	s.done(w, r, endpointPath(e.ID), "The endpoint is subscribed: verify its deliveries with the secret below.")
}

// endpointPath is where an endpoint's page is.
func endpointPath(id int64) string { return "/webhooks/" + strconv.FormatInt(id, 10) }

// deliveryTabs are the tabs of an endpoint's deliveries and the status each
// shows.
var deliveryTabs = []struct {
	Label  string
	Status webhook.DeliveryStatus
}{{"All", ""}, {"Pending", webhook.DeliveryPending}, {"Delivered", webhook.DeliveryDelivered}, {"Failed", webhook.DeliveryFailed}}

// endpointData is an endpoint's page: its secrets and a page of its
// deliveries, newest first.
type endpointData struct {
	endpointRow
	Current     webhook.Secret
	Previous    []webhook.Secret // after a rotation, the secrets that still sign
	Types       []webhook.Type   // those it receives, described
	Deliveries  []webhook.Delivery
	Tabs        []listTab
	Status      string
	Shown       string // how many deliveries the tab holds, in words
	Next, First string
}

func (s *Server) endpointPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.webhooks.Endpoint(ctx, pathID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := readQuery(r)
	status := webhook.DeliveryStatus(q.Get("status"))
	if !slices.ContainsFunc(deliveryTabs, func(t struct {
		Label  string
		Status webhook.DeliveryStatus
	}) bool {
		return t.Status == status
	}) {
		q.fail("status", string(status), "a status is pending, delivered or failed")
	}
	before := q.id("before")
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	rows, err := s.endpointRows(ctx, e)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := endpointData{endpointRow: rows[0], Status: string(status)}
	if len(e.Secrets) > 0 {
		data.Current, data.Previous = e.Secrets[0], e.Secrets[1:]
	}
	for _, t := range webhook.Types() {
		if slices.Contains(e.Types, t.Name) {
			data.Types = append(data.Types, t)
		}
	}
	path := endpointPath(e.ID)
	for _, t := range deliveryTabs {
		n, err := s.countDeliveries(ctx, e.ID, t.Status)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if t.Status == status {
			data.Shown = n
		}
		data.Tabs = append(data.Tabs, listTab{t.Label + " (" + n + ")", linkTo(path, nil, "status", string(t.Status)) + "#deliveries", t.Status == status})
	}
	ds, err := s.webhooks.Deliveries(ctx, webhook.DeliveryFilter{EndpointID: e.ID, Status: status, BeforeID: before, Limit: listPageSize + 1})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	kept := url.Values{"status": {string(status)}}
	if len(ds) > listPageSize {
		ds = ds[:listPageSize]
		data.Next = linkTo(path, kept, "before", strconv.FormatInt(ds[len(ds)-1].ID, 10)) + "#deliveries"
	}
	if before != 0 {
		data.First = linkTo(path, kept) + "#deliveries"
	}
	data.Deliveries = ds
	s.render(w, http.StatusOK, "webhooks_endpoint", s.page(r, "Webhook endpoint", data))
}

// countDeliveries says how many deliveries of an endpoint have a status
// (any, for ""), counting up to allot.MaxLimit: "500+" beyond.
func (s *Server) countDeliveries(ctx context.Context, id int64, status webhook.DeliveryStatus) (string, error) {
	ds, err := s.webhooks.Deliveries(ctx, webhook.DeliveryFilter{EndpointID: id, Status: status, Limit: allot.MaxLimit + 1})
	if len(ds) > allot.MaxLimit {
		return num(allot.MaxLimit) + "+", err
	}
	return num(len(ds)), err
}

// endpointAction is a button of an endpoint's page: it does act to the
// endpoint, then says what it did.
func (s *Server) endpointAction(act func(ctx context.Context, id int64) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := pathID(r)
		msg, err := act(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.done(w, r, endpointPath(id), msg)
	}
}

func (s *Server) rotateWebhookSecret(ctx context.Context, id int64) (string, error) {
	_, err := s.webhooks.RotateSecret(ctx, id)
	return "The endpoint has a new secret. The previous one signs its deliveries too for 24 hours: give the receiver the new one by then.", err
}

// switchWebhook enables or disables an endpoint.
func (s *Server) switchWebhook(on bool) func(ctx context.Context, id int64) (string, error) {
	return func(ctx context.Context, id int64) (string, error) {
		_, err := s.webhooks.UpdateEndpoint(ctx, id, webhook.EndpointChange{Enabled: &on})
		if on {
			return "The endpoint is enabled: its pending deliveries are sent again. The events recorded while it was disabled are not delivered to it.", err
		}
		return "The endpoint is disabled: nothing is sent to it until it is enabled again, and the events recorded meanwhile are never delivered to it.", err
	}
}

// deleteWebhook deletes an endpoint and goes back to the list.
func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	if err := s.webhooks.DeleteEndpoint(r.Context(), pathID(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, "/webhooks", "The endpoint is deleted: nothing more is sent to it.")
}

// deliveryData is a delivery's page: its attempts and what they send.
type deliveryData struct {
	webhook.DeliveryDetail
	Owner   string
	Payload string // the body, indented
}

func (s *Server) deliveryPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.webhooks.Delivery(r.Context(), pathID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.endpointRows(r.Context(), d.Endpoint)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := deliveryData{DeliveryDetail: d, Owner: rows[0].Owner, Payload: string(d.Payload)}
	var b bytes.Buffer
	if json.Indent(&b, d.Payload, "", "  ") == nil {
		data.Payload = b.String()
	}
	s.render(w, http.StatusOK, "webhooks_delivery", s.page(r, "Webhook delivery", data))
}

// replayDelivery makes a delivery due again now.
func (s *Server) replayDelivery(w http.ResponseWriter, r *http.Request) {
	d, err := s.webhooks.Replay(r.Context(), pathID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, fmt.Sprintf("/webhooks/deliveries/%d", d.ID), "The delivery is sent again now, with the same webhook-id.")
}

// webhookLinks is the menu's link to the webhooks, for those who manage
// some: the vendor admin and partners' managers.
func webhookLinks(p allot.Principal) []link {
	if !p.May(allot.ActManageWebhooks, p.Home()) {
		return nil
	}
	return []link{{"/webhooks", "Webhooks"}}
}
