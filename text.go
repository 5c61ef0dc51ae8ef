package allot

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// What a name or an e-mail may hold. Names travel into mail headers, CSV
// files and pages: a control character in one (a CR/LF, a NUL) makes every
// mail about its person or company fail for good, and a direction override
// makes it read other than it is written. An e-mail address is an
// identifier besides: nothing in it may be invisible.

// CheckText returns an EINVALID error naming field when s may not be stored
// as a name (of a person, a company, a partner, a product, a token…): when
// it is not UTF-8, holds a control character, a line or paragraph
// separator, a direction control or U+FFFD, or has more than max
// characters. The empty string passes; a caller that needs a value says so.
func CheckText(field, s string, max int) error {
	if err := checkRunes(field, s, badInName); err != nil {
		return err
	}
	if utf8.RuneCountInString(s) > max {
		return Invalid(field, "at most %d characters", max)
	}
	return nil
}

// CheckName checks a required name, of at most MaxName characters.
func CheckName(field, s string) error {
	if s == "" {
		return Invalid(field, "a name is required")
	}
	return CheckText(field, s, MaxName)
}

// MaxName is the most characters the name of a company, a partner or a
// product may have.
const MaxName = 200

// MaxSearch is the most characters a search of a list may have: no name is
// longer. (The API's q parameters say the same with maxLength.)
const MaxSearch = 200

// checkEmailText returns an EINVALID error naming field when the e-mail s
// holds what no address may: what no name may, or any other invisible
// character (zero-width, soft hyphen, byte order mark, private use…) or a
// space of any kind.
func checkEmailText(field, s string) error {
	return checkRunes(field, s, func(r rune) string {
		if why := badInName(r); why != "" {
			return why
		}
		switch {
		case unicode.Is(unicode.C, r):
			return "an invisible character"
		case unicode.IsSpace(r) || unicode.Is(unicode.Z, r):
			return "a space"
		}
		return ""
	})
}

// badInName says what r is when no name may hold it, or "" when one may.
// Joiners (U+200C, U+200D) are allowed: Persian, Indic scripts and emoji
// need them.
func badInName(r rune) string {
	switch {
	case r == utf8.RuneError:
		return "U+FFFD, the mark of text read in the wrong encoding"
	case unicode.IsControl(r):
		return "a control character such as a line break"
	case r == '\u2028' || r == '\u2029':
		return "a line break"
	case unicode.Is(unicode.Bidi_Control, r):
		return "a direction control, which makes text read other than it is written"
	}
	return ""
}

// checkRunes returns an EINVALID error naming field for the first rune of s
// that bad says something of, or when s is not UTF-8.
func checkRunes(field, s string, bad func(rune) string) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "the text is not UTF-8: save the file or page as UTF-8 and try again")
	}
	for i, r := range s {
		if why := bad(r); why != "" {
			return Invalid(field, "character %d is %s (%s); remove it", utf8.RuneCountInString(s[:i])+1, why, codePoint(r))
		}
	}
	return nil
}

// codePoint names r as U+XXXX.
func codePoint(r rune) string { return fmt.Sprintf("U+%04X", r) }
