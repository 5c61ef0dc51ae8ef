package mail

import (
	netmail "net/mail"
	"strings"
)

// checkAddress accepts a single bare e-mail address, such as
// ana@example.com, exactly as net/mail reads it: no display name, no
// surrounding spaces, no second address, no control character.
func checkAddress(field, s string) error {
	if s == "" {
		return invalid("the %s is missing", field)
	}
	if hasControl(s) {
		return invalid("the %s contains a line break or another control character", field)
	}
	a, err := netmail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return invalid("the %s %q is not a single bare e-mail address", field, s)
	}
	return nil
}

// parseFrom reads the sender, written "Name <address>" or as a bare
// address. The name must not hold a control character either.
func parseFrom(s string) (*netmail.Address, error) {
	if hasControl(s) {
		return nil, configError("the from address contains a line break or another control character")
	}
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return nil, configError("the from address %q is not valid: %v", s, err)
	}
	if hasControl(a.Name) {
		return nil, configError("the from name contains a control character")
	}
	return a, nil
}

// domainOf returns the part of an address after its last "@".
func domainOf(address string) string {
	return address[strings.LastIndexByte(address, '@')+1:]
}
