package mail

import (
	"strings"
)

// stripQuoted returns the new text of a reply: what comes before the
// history it quotes, without the lines it quotes with ">" and without the
// signature after "-- ". The history starts at a line such as "On … wrote:"
// in English, French, German or Spanish (perhaps wrapped over three
// lines), at an "Original Message" line, or at a header block such as
// "From: … Sent: …" that Outlook puts above it.
func stripQuoted(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var kept []string
	for i, line := range lines {
		if historyStarts(lines, i) {
			break
		}
		if t := strings.TrimSpace(line); strings.HasPrefix(t, ">") {
			continue
		}
		kept = append(kept, strings.TrimRight(line, " \t\u00a0"))
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

// historyStarts reports whether the quoted history, or the signature,
// starts at line i.
func historyStarts(lines []string, i int) bool {
	t := strings.TrimSpace(lines[i])
	switch {
	case lines[i] == "-- " || t == "--":
		return true
	case separator(t):
		return true
	case headerBlock(lines, i):
		return true
	}
	return attribution(lines, i)
}

// separator reports whether t is a line that mail programs put above the
// message they forward or answer.
func separator(t string) bool {
	l := strings.ToLower(strings.Trim(t, "-_ *"))
	switch l {
	case "original message", "message d'origine", "message d’origine", "ursprüngliche nachricht", "mensaje original",
		"forwarded message", "message transféré", "weitergeleitete nachricht", "mensaje reenviado":
		return strings.HasPrefix(t, "-") || strings.HasPrefix(t, "_") || strings.HasPrefix(t, "*")
	}
	return false
}

// Headers by which Outlook starts the message it answers, in the
// languages allot writes: the first line of the block, and one of the
// lines after it.
var (
	fromHeaders = []string{"from:", "de :", "de:", "von:"}
	nextHeaders = []string{"sent:", "date:", "to:", "envoyé :", "envoyé:", "à :", "gesendet:", "an:", "datum:", "enviado:",
		"fecha:", "para:"}
)

// headerBlock reports whether a header block such as "From: … / Sent: …"
// starts at line i: a From line followed, within the next two lines, by
// another header.
func headerBlock(lines []string, i int) bool {
	if !hasPrefixFold(strings.TrimSpace(lines[i]), fromHeaders) {
		return false
	}
	for _, next := range lines[i+1 : min(i+3, len(lines))] {
		if hasPrefixFold(strings.TrimSpace(next), nextHeaders) {
			return true
		}
	}
	return false
}

// Attributions: how a line quoting a message starts, and how it ends,
// in English, French, German and Spanish.
var attributions = []struct{ start, end string }{
	{"on ", "wrote:"},
	{"le ", "a écrit :"},
	{"le ", "a écrit:"},
	{"am ", "schrieb:"},
	{"am ", ">:"}, // "Am 2. März 2026 schrieb Ana <ana@…>:"
	{"el ", "escribió:"},
}

// attribution reports whether an attribution such as "On Mon, 2 Mar 2026,
// Ana <ana@example.com> wrote:" starts at line i, on one line or wrapped
// over up to three.
func attribution(lines []string, i int) bool {
	t := strings.ToLower(strings.TrimSpace(lines[i]))
	joined := ""
	for k := i; k < min(i+3, len(lines)); k++ {
		next := strings.ToLower(strings.TrimSpace(lines[k]))
		if next == "" {
			return false
		}
		joined = strings.TrimSpace(joined + " " + next)
		for _, a := range attributions {
			if strings.HasPrefix(t, a.start) && strings.HasSuffix(joined, a.end) &&
				(a.end != ">:" || strings.Contains(joined, "schrieb")) {
				return true
			}
		}
	}
	return false
}

// hasPrefixFold reports whether s starts with one of prefixes, in any
// case.
func hasPrefixFold(s string, prefixes []string) bool {
	s = strings.ToLower(s)
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
