package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"allot"

	"github.com/danielgtaylor/huma/v2"
)

// Keys keeps idempotency keys; the store is one.
type Keys interface {
	ClaimKey(ctx context.Context, owner, key, hash string, now time.Time, stale, expired time.Duration) (allot.KeyClaim, error)
	FinishKey(ctx context.Context, owner, key string, status int, contentType string, body []byte) error
	ReleaseKey(ctx context.Context, owner, key string) error
}

// How long a key is kept, and how long its first request may run before
// another process takes it for dead.
const (
	keyLifetime = 24 * time.Hour
	keyLease    = 10 * time.Minute
)

// idempotent makes a POST with an Idempotency-Key happen once: the same key
// and request replay the first response; the same key with another request
// is 422; a key whose first request still runs is 409. Keys belong to the
// signed-in user; a response of 500 or more frees its key for a retry. An
// operation the route table gives no key (traits.noKey) refuses one with
// 422, before anything happens: so no answer with a secret is ever kept.
func (s *Server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if r.Method != http.MethodPost || key == "" {
			next.ServeHTTP(w, r)
			return
		}
		op := s.operation(r)
		if why, _ := op.Metadata[noKeyMeta].(string); why != "" {
			WriteProblem(w, http.StatusUnprocessableEntity, "this request takes no Idempotency-Key: "+why, nil)
			return
		}
		p, err := allot.PrincipalFrom(r.Context())
		if s.keys == nil || err != nil {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > 255 {
			WriteProblem(w, http.StatusUnprocessableEntity, "an Idempotency-Key is at most 255 characters", nil)
			return
		}
		limit := bodyLimit(op)
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			WriteProblem(w, http.StatusRequestEntityTooLarge, "the body is larger than "+strconv.FormatInt(limit, 10)+" bytes", nil)
			return
		} else if err != nil {
			WriteProblem(w, http.StatusBadRequest, "the body could not be read", nil)
			return
		}
		sum := sha256.New()
		for _, part := range []string{r.URL.Path, r.URL.RawQuery, strconv.FormatInt(p.ActingCompanyID, 10)} {
			sum.Write([]byte(part))
			sum.Write([]byte{0})
		}
		sum.Write(body) // not copied to a string: it may be a file of many megabytes
		sum.Write([]byte{0})
		owner := strconv.FormatInt(p.UserID, 10)
		ctx := r.Context()
		claim, err := s.keys.ClaimKey(ctx, owner, key, hex.EncodeToString(sum.Sum(nil)), s.svc.Clock.Now(), keyLease, keyLifetime)
		switch {
		case err != nil:
			s.refuse(w, r, err)
			return
		case claim.Mismatch:
			WriteProblem(w, http.StatusUnprocessableEntity, "this Idempotency-Key was used with another request", nil)
			return
		case claim.InProgress:
			WriteProblem(w, http.StatusConflict, "the first request with this Idempotency-Key is still running", nil)
			return
		case !claim.New:
			w.Header().Set("Content-Type", claim.ContentType)
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(claim.Status)
			w.Write(claim.Body)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status >= 500 {
			err = s.keys.ReleaseKey(ctx, owner, key)
		} else {
			err = s.keys.FinishKey(ctx, owner, key, rec.status, rec.Header().Get("Content-Type"), rec.body.Bytes())
		}
		if err != nil {
			s.log.ErrorContext(ctx, "idempotency key not saved", "key", key, "err", err)
		}
	})
}

// operation returns the POST operation r is routed to; an empty one when
// there is none.
func (s *Server) operation(r *http.Request) *huma.Operation {
	_, pattern := s.mux.Handler(r)
	_, path, _ := strings.Cut(pattern, " ")
	if item := s.API.OpenAPI().Paths[path]; item != nil && item.Post != nil {
		return item.Post
	}
	return &huma.Operation{}
}

// bodyLimit is the largest body op reads: its MaxBodyBytes in the route
// table, less one byte since huma refuses a body that reaches it.
func bodyLimit(op *huma.Operation) int64 {
	if op.MaxBodyBytes > 0 {
		return op.MaxBodyBytes - 1
	}
	return MaxBodyBytes - 1
}

// recorder passes a response through and keeps a copy of it.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
