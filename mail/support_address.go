package mail

import (
	netmail "net/mail"
	"strings"
)

// ReplyAddress is the address the support desk's mail is answered to, such
// as support@allot.example. Each request has an address of its own beside
// it, support+TOKEN@allot.example, whose token names the request: a reply
// finds its request by the address it was sent to, whatever its subject
// became. The zero ReplyAddress is none: support mail then says to answer
// on the request's page.
type ReplyAddress struct {
	local, domain string // lower case
}

// ParseReplyAddress reads a bare address such as support@allot.example.
// Its local part may not hold a "+", which separates the token. An empty s
// is the zero ReplyAddress. The error wraps ErrInvalid.
func ParseReplyAddress(s string) (ReplyAddress, error) {
	if s == "" {
		return ReplyAddress{}, nil
	}
	if err := checkAddress("support reply address", s); err != nil {
		return ReplyAddress{}, configError("the support reply address %q is not a bare e-mail address such as support@example.com", s)
	}
	a, _ := netmail.ParseAddress(s)
	at := strings.LastIndexByte(a.Address, '@')
	local, domain := a.Address[:at], a.Address[at+1:]
	if strings.Contains(local, "+") || strings.HasPrefix(local, `"`) {
		return ReplyAddress{}, configError("the support reply address %q may not hold a \"+\" or quotes before its \"@\": each request's address adds +TOKEN there", s)
	}
	return ReplyAddress{local: strings.ToLower(local), domain: strings.ToLower(domain)}, nil
}

// IsZero reports whether a is none.
func (a ReplyAddress) IsZero() bool { return a.local == "" }

// String returns the address, empty for none.
func (a ReplyAddress) String() string {
	if a.IsZero() {
		return ""
	}
	return a.local + "@" + a.domain
}

// For returns the address of the request whose reply token is token.
func (a ReplyAddress) For(token string) string {
	return a.local + "+" + token + "@" + a.domain
}

// Token returns the token of addr, one of a's requests' addresses, in lower
// case; false when addr is not one: another local part or domain, no
// token, or a token of other characters than letters and digits.
func (a ReplyAddress) Token(addr string) (string, bool) {
	at := strings.LastIndexByte(addr, '@')
	if a.IsZero() || at < 0 || !strings.EqualFold(addr[at+1:], a.domain) {
		return "", false
	}
	local, token, ok := strings.Cut(addr[:at], "+")
	if !ok || !strings.EqualFold(local, a.local) || token == "" || len(token) > 64 {
		return "", false
	}
	for _, c := range token {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", false
		}
	}
	return strings.ToLower(token), true
}
