package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"

	"allot/support"
)

// reply is a mail received in answer to one of the desk's, as read: who
// sent it, its new text, and its files.
type reply struct {
	From        string // the From header's address
	Text        string // the new text, quoted history removed
	Attachments []support.Upload
	// Auto is set for a mail no person wrote: an absence notice, a
	// delivery report. It joins no request.
	Auto bool
}

// maxParts bounds how many parts, at every depth, a reply is read in, and
// maxDepth how deep multiparts nest: enough for any mail a person sends.
const (
	maxParts = 100
	maxDepth = 8
)

// readReply reads a mail as it came in: its sender from the From header,
// its text from its first text/plain part (or else its first text/html
// part, as text), decoded and in UTF-8, with the history it quotes
// removed, and the parts it attaches. It reads r to its end.
func readReply(r io.Reader) (reply, error) {
	defer io.Copy(io.Discard, r)
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return reply{}, fmt.Errorf("read the header: %w", err)
	}
	var rep reply
	if rep.From, err = sender(msg.Header); err != nil {
		return reply{}, err
	}
	rep.Auto = automatic(msg.Header)
	w := walker{}
	if err := w.walk(textproto.MIMEHeader(msg.Header), msg.Body, 0); err != nil {
		return reply{}, err
	}
	text := w.plain
	if text == "" && w.html != "" {
		text = htmlText(w.html)
	}
	rep.Text, rep.Attachments = stripQuoted(text), w.files
	return rep, nil
}

// words decodes RFC 2047 encoded words in any charset golang.org/x/text
// knows.
var words = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, err
	}
	return enc.NewDecoder().Reader(r), nil
}}

// sender returns the one address of the From header.
func sender(h netmail.Header) (string, error) {
	from, err := (&netmail.AddressParser{WordDecoder: words}).ParseList(h.Get("From"))
	if err != nil || len(from) != 1 {
		return "", fmt.Errorf("the From header %q does not hold one address", h.Get("From"))
	}
	return from[0].Address, nil
}

// automatic reports whether a mail was sent by a program rather than a
// person (RFC 3834's Auto-Submitted, the Precedence of lists and
// vacation notices, a delivery report).
func automatic(h netmail.Header) bool {
	if a := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); a != "" && a != "no" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list", "auto_reply":
		return true
	}
	media, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return h.Get("X-Autoreply") != "" || h.Get("X-Autorespond") != "" || media == "multipart/report"
}

// walker collects a mail's text and files as it walks its parts.
type walker struct {
	plain, html string
	files       []support.Upload
	parts       int
}

// walk reads one part, with header h and body r, at depth: a multipart's
// parts in turn; an attachment as a file; the first plain and HTML texts.
// Other parts, such as the images a message shows inline, are skipped.
func (w *walker) walk(h textproto.MIMEHeader, r io.Reader, depth int) error {
	if w.parts++; w.parts > maxParts || depth > maxDepth {
		return errors.New("the message has too many parts")
	}
	media, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		media, params = "text/plain", map[string]string{} // RFC 2045's default
	}
	disposition, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	switch {
	case strings.HasPrefix(media, "multipart/"):
		return w.walkMultipart(r, params["boundary"], depth)
	case disposition == "attachment":
		return w.attach(h, r, dparams["filename"], params["name"])
	case media == "text/plain" && w.plain == "":
		w.plain, err = decodeText(h, r, params["charset"])
	case media == "text/html" && w.html == "":
		w.html, err = decodeText(h, r, params["charset"])
	}
	return err
}

// walkMultipart walks a multipart's parts.
func (w *walker) walkMultipart(r io.Reader, boundary string, depth int) error {
	if boundary == "" {
		return errors.New("a multipart has no boundary")
	}
	mr := multipart.NewReader(r, boundary)
	for {
		p, err := mr.NextRawPart() // each part decoded by walk, as its header says
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read a part: %w", err)
		}
		if err := w.walk(p.Header, p, depth+1); err != nil {
			return err
		}
	}
}

// attach keeps an attached part as a file named by its disposition's
// filename, or else its type's name.
func (w *walker) attach(h textproto.MIMEHeader, r io.Reader, names ...string) error {
	data, err := io.ReadAll(transferDecoded(h, r))
	if err != nil {
		return fmt.Errorf("read an attachment: %w", err)
	}
	name := ""
	for _, n := range names {
		if n != "" {
			name = n
			break
		}
	}
	if decoded, err := words.DecodeHeader(name); err == nil {
		name = decoded
	}
	w.files = append(w.files, support.Upload{Name: name, Data: data})
	return nil
}

// transferDecoded undoes a part's Content-Transfer-Encoding.
func transferDecoded(h textproto.MIMEHeader, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &spaceless{r: r})
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}

// spaceless drops the line ends and spaces base64 is wrapped with.
type spaceless struct{ r io.Reader }

func (s *spaceless) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		kept := p[:0]
		for _, c := range p[:n] {
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				kept = append(kept, c)
			}
		}
		if len(kept) > 0 || err != nil {
			return len(kept), err
		}
	}
}

// decodeText reads a text part in its charset and returns it as UTF-8:
// a charset it does not know is read as UTF-8, and bytes that are not
// replaced.
func decodeText(h textproto.MIMEHeader, r io.Reader, charset string) (string, error) {
	data, err := io.ReadAll(transferDecoded(h, r))
	if err != nil {
		return "", fmt.Errorf("read the text: %w", err)
	}
	switch cs := strings.ToLower(strings.TrimSpace(charset)); cs {
	case "", "utf-8", "utf8", "us-ascii":
	default:
		if enc, err := htmlindex.Get(cs); err == nil {
			if out, err := enc.NewDecoder().Bytes(data); err == nil {
				data = out
			}
		}
	}
	return strings.ToValidUTF8(string(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))), "\uFFFD"), nil
}

// htmlText returns the text an HTML body shows, line by line: blocks and
// breaks end lines, what a blockquote quotes is left out, and so are
// scripts, styles and the head.
func htmlText(s string) string {
	var b strings.Builder
	skip := map[string]int{} // open elements whose content is dropped
	for s != "" {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			lt = len(s)
		}
		if skipping(skip) == 0 {
			b.WriteString(collapse(html.UnescapeString(s[:lt])))
		}
		s = s[lt:]
		if s == "" {
			break
		}
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s, "-->")
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		gt := strings.IndexByte(s, '>')
		if gt < 0 {
			break
		}
		name, closing := tagName(s[1:gt])
		s = s[gt+1:]
		switch name {
		case "script", "style", "head", "blockquote":
			if closing {
				skip[name] = max(skip[name]-1, 0)
			} else {
				skip[name]++
			}
		case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr", "pre", "ul", "ol":
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// skipping counts the open elements whose content is dropped.
func skipping(skip map[string]int) int {
	n := 0
	for _, v := range skip {
		n += v
	}
	return n
}

// tagName returns the lower-case name of a tag, without "<" and ">", and
// whether it closes an element.
func tagName(tag string) (string, bool) {
	closing := strings.HasPrefix(tag, "/")
	tag = strings.TrimPrefix(tag, "/")
	end := strings.IndexAny(tag, " \t\r\n/")
	if end < 0 {
		end = len(tag)
	}
	return strings.ToLower(tag[:end]), closing
}

// collapse writes a run of HTML text as it shows: every run of white
// space is one space.
func collapse(s string) string {
	if strings.TrimSpace(s) == "" {
		if s == "" {
			return ""
		}
		return " "
	}
	lead, trail := "", ""
	if first, _ := utf8.DecodeRuneInString(s); unicode.IsSpace(first) {
		lead = " "
	}
	if last, _ := utf8.DecodeLastRuneInString(s); unicode.IsSpace(last) {
		trail = " "
	}
	return lead + strings.Join(strings.Fields(s), " ") + trail
}
