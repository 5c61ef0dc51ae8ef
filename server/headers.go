package server

import "net/http"

// contentSecurityPolicy lets a page of allot load only what allot serves:
// its own script, stylesheet and images, fetched from its own origin;
// nothing inline (no script, no style, no style attribute, no event
// handler), no plugin, no base address of its own, and no other site may
// frame it. It leaves forms free (no form-action): the sign-in form goes on
// to a person's identity provider when they sign in with single sign-on,
// and a browser holds a redirect after a form to form-action.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets on every response the headers that keep a page of
// allot its own: the Content-Security-Policy, X-Frame-Options for the
// browsers that know no frame-ancestors, nosniff so that a download or an
// API answer is never run as a page or a script, and a Referrer-Policy that
// tells no other site which page of allot a link was followed from.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}
