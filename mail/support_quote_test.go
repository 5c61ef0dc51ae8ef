package mail

import (
	"strings"
	"testing"
)

// TestStripQuoted checks that a reply keeps its new text and loses the
// history it quotes, as the mail programs of each language write it.
func TestStripQuoted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"gmail, english", "It is the sign-in page.\n\nOn Mon, 2 Mar 2026 at 10:00, Allot <support+abc@allot.example> wrote:\n> Which page?\n> Thanks",
			"It is the sign-in page."},
		{"attribution wrapped over two lines", "Here.\r\n\r\nOn Mon, 2 Mar 2026 at 10:00, Allot Support Desk <\r\nsupport+abc@allot.example> wrote:\r\n\r\n> Which page?",
			"Here."},
		{"french", "C'est la page de connexion.\n\nLe lun. 2 mars 2026 à 10:00, Allot <support+abc@allot.example> a écrit :\n> Quelle page ?",
			"C'est la page de connexion."},
		{"german", "Die Anmeldeseite.\n\nAm Mo., 2. März 2026 um 10:00 Uhr schrieb Allot <support+abc@allot.example>:\n> Welche Seite?",
			"Die Anmeldeseite."},
		{"spanish", "La página de inicio.\n\nEl lun, 2 mar 2026 a las 10:00, Allot (<support+abc@allot.example>) escribió:\n> ¿Qué página?",
			"La página de inicio."},
		{"outlook header block", "See the file.\n\nFrom: Allot <support+abc@allot.example>\nSent: Monday, March 2, 2026 10:00 AM\nTo: Ana\nSubject: Which page?\n\nWhich page?",
			"See the file."},
		{"outlook in german", "Anbei.\n\nVon: Allot <support+abc@allot.example>\nGesendet: Montag, 2. März 2026 10:00\nAn: Ana",
			"Anbei."},
		{"original message", "Done.\n\n-----Original Message-----\nWhich page?", "Done."},
		{"message d'origine", "Fait.\n\n-------- Message d'origine --------\nQuelle page ?", "Fait."},
		{"signature", "Thanks.\n-- \nAna Martín\nAcme Ltd", "Thanks."},
		{"answers between quoted lines", "> Which page?\nThe sign-in page.\n> Which browser?\nFirefox.", "The sign-in page.\nFirefox."},
		{"no history", "Line one.\n\nLine two.  \n", "Line one.\n\nLine two."},
		{"a sentence that starts as an attribution", "On Monday I tried again.\nIt failed.", "On Monday I tried again.\nIt failed."},
		{"a from line alone", "From: the login page\nit fails.", "From: the login page\nit fails."},
		{"only history", "On Mon, 2 Mar 2026, Allot <support+abc@allot.example> wrote:\n> Which page?", ""},
	}
	for _, tt := range tests {
		if got := stripQuoted(tt.in); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestHTMLText checks the text an HTML reply shows, without its quoted
// history.
func TestHTMLText(t *testing.T) {
	t.Parallel()
	in := `<html><head><style>p{color:red}</style><title>x</title></head><body>` +
		`<div dir="ltr">It is the <b>sign-in</b>&nbsp;page &amp; it fails.<br>Ana</div><br>` +
		`<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, 2 Mar 2026, Allot &lt;support+abc@allot.example&gt; wrote:<br></div>` +
		`<blockquote class="gmail_quote">Which <blockquote>nested</blockquote>page?</blockquote></div><script>alert(1)</script></body></html>`
	if got, want := stripQuoted(htmlText(in)), "It is the sign-in page & it fails.\nAna"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

// TestReadReply reads replies as mail programs send them: multipart with
// quoted-printable text and a base64 attachment, HTML alone, a charset
// other than UTF-8, and an absence notice.
func TestReadReply(t *testing.T) {
	t.Parallel()
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
	tests := []struct {
		name  string
		raw   string
		from  string
		text  string
		files map[string]string // by name, the data
		auto  bool
	}{
		{"multipart with an attachment", "From: =?utf-8?q?Ana_Mart=C3=ADn?= <ana@acme.example>\r\nTo: support+abc@allot.example\r\nSubject: Re: x\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n" +
			"--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n" +
			"--inner\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
			"C'est la page de connexion, voil=C3=A0.\r\n\r\nOn Mon, 2 Mar 2026, Allot <support+abc@allot.example> wrote:\r\n> Which page?\r\n" +
			"--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML is not read when there is text</p>\r\n--inner--\r\n" +
			"--outer\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"=?utf-8?q?=C3=A9cran.png?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			"iVBORw0KGgoAAAAN\r\nSUhEUg==\r\n--outer--\r\n",
			"ana@acme.example", "C'est la page de connexion, voilà.", map[string]string{"écran.png": png}, false},
		{"html alone", "From: ana@acme.example\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Fixed, thanks.</p><blockquote>old</blockquote>",
			"ana@acme.example", "Fixed, thanks.", nil, false},
		{"latin-1", "From: ana@acme.example\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nL'=E9cran reste blanc.",
			"ana@acme.example", "L'écran reste blanc.", nil, false},
		{"an absence notice", "From: ana@acme.example\r\nAuto-Submitted: auto-replied\r\n\r\nI am away.",
			"ana@acme.example", "I am away.", nil, true},
	}
	for _, tt := range tests {
		rep, err := readReply(strings.NewReader(tt.raw))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if rep.From != tt.from || rep.Text != tt.text || rep.Auto != tt.auto {
			t.Errorf("%s: from %q, text %q, automatic %v; want %q, %q, %v", tt.name, rep.From, rep.Text, rep.Auto, tt.from, tt.text, tt.auto)
		}
		if len(rep.Attachments) != len(tt.files) {
			t.Errorf("%s: %d attachments, want %d", tt.name, len(rep.Attachments), len(tt.files))
		}
		for _, a := range rep.Attachments {
			if want, ok := tt.files[a.Name]; !ok || string(a.Data) != want {
				t.Errorf("%s: attachment %q of %q, want %q", tt.name, a.Name, a.Data, tt.files)
			}
		}
	}
	for _, bad := range []string{"no header at all", "From: a@b.example, c@d.example\r\n\r\nx", "To: a@b.example\r\n\r\nx"} {
		if _, err := readReply(strings.NewReader(bad)); err == nil {
			t.Errorf("readReply(%q) read it", bad)
		}
	}
}
