package web

import (
	"net/http"
	"strconv"
	"time"

	"allot"
	"allot/offline"
)

// keysData is the keys that sign offline tokens, for the vendor admin.
type keysData struct {
	Keys []offline.Key
	TTL  string // how long a token lasts at most, in words
	JWKS string // where the public keys are published
}

// keysPage shows the signing keys with their state: the one that signs,
// and those retired but published until every token they signed expired.
func (s *Server) keysPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActManageKeys); !ok {
		return
	}
	if s.tokens == nil {
		s.fail(w, r, allot.NotFound("offline tokens"))
		return
	}
	keys, err := s.tokens.Keys(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "keys", s.page(r, "Signing keys", keysData{Keys: keys, TTL: ttlText(s.tokens.Lifetime()), JWKS: s.base + "/.well-known/jwks.json"}))
}

// rotateKey makes a new key sign at once; the old one stays published.
func (s *Server) rotateKey(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActManageKeys); !ok {
		return
	}
	if s.tokens == nil {
		s.fail(w, r, allot.NotFound("offline tokens"))
		return
	}
	k, err := s.tokens.Rotate(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, "/signing-keys", "A new key signs the tokens from now on: "+k.ID+". The previous one stays published until every token it signed has expired.")
}

// keyLinks are the signing keys' page in p's menu, when p manages them.
func keyLinks(p allot.Principal) []link {
	if p.May(allot.ActManageKeys, p.Home()) {
		return []link{{"/signing-keys", "Signing keys"}}
	}
	return nil
}

// ttlText says how long ttl is, in minutes or hours.
func ttlText(ttl time.Duration) string {
	n, unit := int(ttl/time.Minute), "minute"
	if ttl%time.Hour == 0 {
		n, unit = int(ttl/time.Hour), "hour"
	}
	if n != 1 {
		unit += "s"
	}
	return strconv.Itoa(n) + " " + unit
}
