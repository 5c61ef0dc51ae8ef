package api

import (
	"context"
	"encoding/json"
	"time"

	"allot/webhook"

	"allot"
)

// webhookEndpoint is an address that receives events, with the secrets
// that sign them: those who manage it read them, to verify its deliveries.
type webhookEndpoint struct {
	ID             int64           `json:"id" example:"4"`
	PartnerID      int64           `json:"partner_id,omitempty" example:"3" doc:"The partner whose customers' events it receives; absent for the vendor's, which receives every tenant's."`
	URL            string          `json:"url" example:"https://hooks.example.com/allot"`
	Description    string          `json:"description,omitempty" example:"Seat changes for the learning platform"`
	Types          []string        `json:"types" example:"[\"seat.given\",\"seat.released\"]" doc:"The event types it receives."`
	Secret         string          `json:"secret" example:"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" doc:"The current secret, which signs every delivery."`
	Secrets        []webhookSecret `json:"secrets" doc:"The secrets that sign its deliveries now, the current first; after a rotation the one it replaced signs too, until its expires_at."`
	Disabled       bool            `json:"disabled" doc:"A disabled endpoint receives nothing: its pending deliveries wait until it is enabled, and the events recorded meanwhile are never delivered to it."`
	DisabledAt     *time.Time      `json:"disabled_at,omitempty"`
	DisabledReason string          `json:"disabled_reason,omitempty" example:"The endpoint answered 410 Gone." doc:"Why it was disabled."`
	FailingSince   *time.Time      `json:"failing_since,omitempty" doc:"Its first failed attempt since the last success; absent when it is not failing."`
	CreatedAt      time.Time       `json:"created_at"`
	CreatedBy      int64           `json:"created_by,omitempty" doc:"Who subscribed it."`
}

// webhookSecret is a key that signs deliveries.
type webhookSecret struct {
	Value     string     `json:"value" example:"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"When a previous secret stops signing; absent for the current one."`
}

func toWebhookEndpoint(e webhook.Endpoint) webhookEndpoint {
	out := webhookEndpoint{ID: e.ID, PartnerID: e.PartnerID, URL: e.URL, Description: e.Description, Types: e.Types,
		Secrets: mapSlice(e.Secrets, func(s webhook.Secret) webhookSecret {
			return webhookSecret{Value: s.Value, CreatedAt: s.CreatedAt, ExpiresAt: optTime(s.ExpiresAt)}
		}),
		Disabled: e.Disabled, DisabledAt: optTime(e.DisabledAt), DisabledReason: e.DisabledReason,
		FailingSince: optTime(e.FailingSince), CreatedAt: e.CreatedAt, CreatedBy: e.CreatedBy}
	if out.Types == nil {
		out.Types = []string{}
	}
	if len(e.Secrets) > 0 {
		out.Secret = e.Secrets[0].Value
	}
	return out
}

func (s *Server) webhookEndpoints(ctx context.Context, _ *struct{}) (*listOutput[webhookEndpoint], error) {
	es, err := s.webhooks.Endpoints(ctx)
	return list(es, err, toWebhookEndpoint)
}

type newWebhookInput struct {
	Body struct {
		URL         string   `json:"url" minLength:"1" maxLength:"2000" example:"https://hooks.example.com/allot" doc:"An HTTPS address on the internet: none inside allot's network."`
		Description string   `json:"description,omitempty" maxLength:"200" example:"Seat changes for the learning platform"`
		Types       []string `json:"types" minItems:"1" maxItems:"100" example:"[\"seat.given\",\"seat.released\"]" doc:"Event types, from GET /v1/webhook-types."`
		PartnerID   int64    `json:"partner_id,omitempty" minimum:"1" doc:"The vendor admin subscribes it for this partner; absent for the caller's own: the vendor's, or a partner manager's partner."`
	}
}

func (s *Server) createWebhook(ctx context.Context, in *newWebhookInput) (*body[webhookEndpoint], error) {
	e, err := s.webhooks.CreateEndpoint(ctx, webhook.NewEndpoint{PartnerID: in.Body.PartnerID, URL: in.Body.URL,
		Description: in.Body.Description, Types: in.Body.Types})
	return one(e, err, toWebhookEndpoint)
}

func (s *Server) webhookEndpoint(ctx context.Context, in *idInput) (*body[webhookEndpoint], error) {
	e, err := s.webhooks.Endpoint(ctx, in.ID)
	return one(e, err, toWebhookEndpoint)
}

type webhookChangeInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		URL         *string  `json:"url,omitempty" minLength:"1" maxLength:"2000"`
		Description *string  `json:"description,omitempty" maxLength:"200"`
		Types       []string `json:"types,omitempty" minItems:"1" maxItems:"100"`
		Enabled     *bool    `json:"enabled,omitempty" doc:"false disables it; true enables it again, clearing failing_since and resuming its pending deliveries. The events recorded while it was disabled are not delivered to it."`
	}
}

func (s *Server) updateWebhook(ctx context.Context, in *webhookChangeInput) (*body[webhookEndpoint], error) {
	e, err := s.webhooks.UpdateEndpoint(ctx, in.ID, webhook.EndpointChange{URL: in.Body.URL, Description: in.Body.Description,
		Types: in.Body.Types, Enabled: in.Body.Enabled})
	return one(e, err, toWebhookEndpoint)
}

func (s *Server) deleteWebhook(ctx context.Context, in *idInput) (*struct{}, error) {
	return nil, s.webhooks.DeleteEndpoint(ctx, in.ID)
}

func (s *Server) rotateWebhookSecret(ctx context.Context, in *idInput) (*body[webhookEndpoint], error) {
	e, err := s.webhooks.RotateSecret(ctx, in.ID)
	return one(e, err, toWebhookEndpoint)
}

// webhookDelivery is one event on its way to one endpoint.
type webhookDelivery struct {
	ID            int64      `json:"id" example:"812"`
	EndpointID    int64      `json:"endpoint_id" example:"4"`
	EventID       int64      `json:"event_id" example:"5120" doc:"The audit log's event it carries."`
	MessageID     string     `json:"message_id" example:"msg_3f9a1c0e5b7d42a8e61f0c9b2d4a7e15" doc:"The webhook-id header: the same on every attempt and replay, for the receiver to ignore a delivery it has had."`
	Type          string     `json:"type" example:"seat.given"`
	Status        string     `json:"status" enum:"pending,delivered,failed" doc:"pending: waiting for its next attempt; delivered: the endpoint answered 2xx; failed: its attempts ran out, or the endpoint answered 410 Gone."`
	Attempts      int        `json:"attempts" example:"1"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	LastStatus    int        `json:"last_status,omitempty" example:"200" doc:"The HTTP status of the last attempt; absent when none answered."`
	LastError     string     `json:"last_error,omitempty" example:"The endpoint answered 503 Service Unavailable."`
	CreatedAt     time.Time  `json:"created_at"`
	DeliveredAt   *time.Time `json:"delivered_at,omitempty"`
}

func toWebhookDelivery(d webhook.Delivery) webhookDelivery {
	return webhookDelivery{ID: d.ID, EndpointID: d.EndpointID, EventID: d.EventID, MessageID: d.MessageID, Type: d.Type,
		Status: string(d.Status), Attempts: d.Attempts, NextAttemptAt: optTime(d.NextAttemptAt), LastStatus: d.LastStatus,
		LastError: d.LastError, CreatedAt: d.CreatedAt, DeliveredAt: optTime(d.DeliveredAt)}
}

type webhookDeliveriesInput struct {
	ID     int64  `path:"id" minimum:"1"`
	Status string `query:"status" enum:"pending,delivered,failed" doc:"Only the deliveries in this status."`
	Cursor string `query:"cursor" doc:"The next value of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

// webhookDeliveries lists an endpoint's deliveries, newest first; a
// foreign endpoint is not found.
func (s *Server) webhookDeliveries(ctx context.Context, in *webhookDeliveriesInput) (*listOutput[webhookDelivery], error) {
	before, err := cursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	ds, err := s.webhooks.Deliveries(ctx, webhook.DeliveryFilter{EndpointID: in.ID, Status: webhook.DeliveryStatus(in.Status),
		BeforeID: before, Limit: in.Limit})
	return paged(ds, err, in.Limit, func(d webhook.Delivery) int64 { return d.ID }, toWebhookDelivery)
}

// webhookAttempt is one try of a delivery.
type webhookAttempt struct {
	N          int       `json:"n" example:"1" doc:"1 for the first attempt."`
	At         time.Time `json:"at"`
	Status     int       `json:"status,omitempty" example:"503" doc:"The HTTP status it answered; absent when none came."`
	DurationMS int64     `json:"duration_ms" example:"84"`
	Error      string    `json:"error,omitempty" example:"The endpoint answered 503 Service Unavailable." doc:"Why it failed; absent when it did not."`
	Response   string    `json:"response,omitempty" doc:"The start of the response's body."`
}

// webhookDeliveryDetail is a delivery with its endpoint, its attempts,
// newest first, and the body every attempt sent.
type webhookDeliveryDetail struct {
	Delivery webhookDelivery  `json:"delivery"`
	Endpoint webhookEndpoint  `json:"endpoint"`
	Attempts []webhookAttempt `json:"attempts" doc:"Its attempts, newest first."`
	Payload  json.RawMessage  `json:"payload" doc:"The JSON body every attempt sends, signed with the webhook-id and webhook-timestamp headers."`
}

func toWebhookDeliveryDetail(d webhook.DeliveryDetail) webhookDeliveryDetail {
	out := webhookDeliveryDetail{Delivery: toWebhookDelivery(d.Delivery), Endpoint: toWebhookEndpoint(d.Endpoint),
		Attempts: mapSlice(d.Attempts, func(a webhook.Attempt) webhookAttempt {
			return webhookAttempt{N: a.N, At: a.At, Status: a.Status, DurationMS: a.Duration.Milliseconds(), Error: a.Error, Response: a.Response}
		}),
		Payload: json.RawMessage(d.Payload)}
	if !json.Valid(out.Payload) {
		// Never a body that breaks the answer: what was sent, as a string.
		out.Payload, _ = json.Marshal(string(d.Payload))
	}
	return out
}

func (s *Server) webhookDelivery(ctx context.Context, in *idInput) (*body[webhookDeliveryDetail], error) {
	d, err := s.webhooks.Delivery(ctx, in.ID)
	return one(d, err, toWebhookDeliveryDetail)
}

func (s *Server) replayWebhookDelivery(ctx context.Context, in *idInput) (*body[webhookDelivery], error) {
	d, err := s.webhooks.Replay(ctx, in.ID)
	return one(d, err, toWebhookDelivery)
}

// webhookType is a kind of event an endpoint may receive.
type webhookType struct {
	Name        string `json:"name" example:"seat.given"`
	Description string `json:"description" example:"A learner got a seat."`
}

// webhookTypes lists the event types to anyone signed in: they are the
// same for every caller, and say nothing of any tenant.
func (s *Server) webhookTypes(ctx context.Context, _ *struct{}) (*listOutput[webhookType], error) {
	_, err := allot.PrincipalFrom(ctx)
	return list(webhook.Types(), err, func(t webhook.Type) webhookType { return webhookType{Name: t.Name, Description: t.Description} })
}
