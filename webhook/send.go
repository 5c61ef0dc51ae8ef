package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// Limits of reading a response: at most maxRead bytes of it are read, and
// the first maxExcerpt kept with the attempt.
const (
	maxRead    = 64 << 10
	maxExcerpt = 1 << 10
)

// Outcomes of an attempt, as ObserveAttempt is told.
const (
	OutcomeDelivered = "delivered"
	OutcomeFailed    = "failed"
	OutcomeRefused   = "refused" // the address was inside the network allot runs in
)

// response is what an attempt came to.
type response struct {
	attempt    Attempt
	outcome    string
	retryAfter time.Duration // asked by a 429 or 503; 0 when not
}

// timeout is how long an attempt may take.
func (s *Service) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return DefaultTimeout
}

// lease is how long a claim holds: long enough for a whole batch to be
// sent, concurrency at a time, each attempt taking its timeout at most.
func (s *Service) lease() time.Duration {
	if s.Lease > 0 {
		return s.Lease
	}
	return claimBatch/concurrency*s.timeout() + 10*time.Second
}

// httpClient is the client deliveries go out through: no proxy from the
// environment, every connection to an address checkIP allows, and no
// redirect followed.
func (s *Service) httpClient() *http.Client {
	s.clientOnce.Do(func() {
		dialer := &net.Dialer{Timeout: s.timeout(), Control: s.dialControl, Resolver: s.Resolver}
		s.client = &http.Client{
			Transport: &http.Transport{
				Proxy:               nil,
				DialContext:         dialer.DialContext,
				TLSHandshakeTimeout: s.timeout(),
				MaxIdleConns:        256,
				MaxIdleConnsPerHost: concurrency,
				IdleConnTimeout:     90 * time.Second,
				ForceAttemptHTTP2:   true,
			},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	})
	return s.client
}

// send makes attempt c.Attempts of claim c to endpoint e at now: the
// claim's body, signed by each of e's live secrets.
func (s *Service) send(ctx context.Context, e Endpoint, c Claim, now time.Time) response {
	r := response{attempt: Attempt{DeliveryID: c.ID, N: c.Attempts, At: now}}
	sig, err := signatures(e, c, now)
	if err != nil {
		r.attempt.Error, r.outcome = err.Error(), OutcomeFailed
		return r
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(c.Payload))
	if err != nil {
		r.attempt.Error, r.outcome = "the address cannot be requested: "+err.Error(), OutcomeFailed
		return r
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "allot-webhooks")
	req.Header.Set("webhook-id", c.MessageID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	start := time.Now()
	resp, err := s.httpClient().Do(req)
	if err != nil {
		r.attempt.Duration = time.Since(start)
		r.attempt.Error, r.outcome = s.failure(err), OutcomeFailed
		if errors.As(err, new(*refusal)) {
			r.outcome = OutcomeRefused
		}
		return r
	}
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxRead))
	resp.Body.Close()
	r.attempt.Duration = time.Since(start)
	r.attempt.Status, r.attempt.Response = resp.StatusCode, excerpt(body)
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		r.outcome = OutcomeDelivered
		return r
	case code >= 300 && code < 400:
		r.attempt.Error = fmt.Sprintf("answered %d, a redirect to %q: redirects are not followed", code, resp.Header.Get("Location"))
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable:
		r.retryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
		r.attempt.Error = fmt.Sprintf("answered %d %s", code, http.StatusText(code))
	default:
		r.attempt.Error = fmt.Sprintf("answered %d %s", code, http.StatusText(code))
	}
	if readErr != nil && r.attempt.Error == "" {
		r.attempt.Error = "the response could not be read: " + readErr.Error()
	}
	r.outcome = OutcomeFailed
	return r
}

// failure says in a sentence why a request came to no response.
func (s *Service) failure(err error) string {
	var ref *refusal
	switch {
	case errors.As(err, &ref):
		return ref.Error()
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Sprintf("no response within %s", s.timeout())
	}
	return "no response: " + err.Error()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// signatures returns the webhook-signature header of claim c at now: one
// "v1,…" per live secret of e, space-separated, as the Standard Webhooks
// specification writes them during a rotation: two at most, a rotation
// keeping the secret it replaces only.
func signatures(e Endpoint, c Claim, now time.Time) (string, error) {
	var sigs []string
	for _, secret := range e.live(now) {
		wh, err := standardwebhooks.NewWebhook(secret.Value)
		if err != nil {
			return "", fmt.Errorf("the endpoint's secret cannot sign: %w", err)
		}
		sig, err := wh.Sign(c.MessageID, now, c.Payload)
		if err != nil {
			return "", fmt.Errorf("signing failed: %w", err)
		}
		sigs = append(sigs, sig)
	}
	if len(sigs) == 0 {
		return "", errors.New("the endpoint has no live secret: rotate it")
	}
	return strings.Join(sigs, " "), nil
}

// excerpt returns the start of a response's body, as valid UTF-8.
func excerpt(body []byte) string {
	if len(body) > maxExcerpt {
		body = body[:maxExcerpt]
		for len(body) > 0 && !utf8.Valid(body) {
			body = body[:len(body)-1]
		}
	}
	return strings.ToValidUTF8(string(body), "\uFFFD")
}

// retryAfter reads a Retry-After header, in seconds or as a date; 0 when
// there is none or it cannot be read.
func retryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return t.Sub(now)
	}
	return 0
}

// observe tells ObserveAttempt of r, when it is set.
func (s *Service) observe(r response) {
	if s.ObserveAttempt != nil {
		s.ObserveAttempt(r.outcome, r.attempt.Duration)
	}
}
