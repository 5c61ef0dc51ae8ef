package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/mail"

	"github.com/chromedp/chromedp"
)

// longAddress is longer than a phone's line: it must wrap, not widen the page.
const longAddress = "https://docs.allot.example/licences/orders/rejected/why-an-order-is-rejected-and-what-to-do-next?order=PO-2026-114&company=acme-logistics"

// recordRejection records the mail telling Acme Logistics' manager that an
// order was rejected, with a long reason, as the mail job writes it.
func recordRejection(b *browser) allot.SentMail {
	b.t.Helper()
	reason := "The budget for this quarter is spent, and the purchasing department asks every team to wait " +
		"until the next one before it orders more licences. Read " + longAddress + " before you ask again, " +
		"and name the learners who are waiting so that the order can be assigned at once."
	r, err := mail.Render(mail.Message{Kind: mail.KindRejected, To: mail.Recipient{Name: "Morgan <Manager>", Email: "manager@acme.demo", Lang: "en", Zone: browserZone},
		Company: "Acme Logistics", Product: "Premium awareness training", Seats: 12, By: "Vera Admin", Reason: reason,
		Link: "https://allot.example/company/orders?status=cancelled,rejected", MessageID: "rejected.browser"})
	if err != nil {
		b.t.Fatal(err)
	}
	m := allot.SentMail{JobKey: "mail/rejected/browser", CompanyID: b.companyID("Acme Logistics"), Kind: allot.MailRejected,
		To: "manager@acme.demo", Subject: r.Subject, Text: r.Text, HTML: r.HTML, Status: allot.MailKept, At: demoNow.Add(-time.Hour)}
	err = b.svc.Store.Write(context.Background(), func(tx allot.Tx) error { _, err := tx.RecordMail(&m); return err })
	if err != nil {
		b.t.Fatal(err)
	}
	return m
}

// brokenWords returns the words of the open mail body that the browser
// breaks over two lines, besides the addresses (which break when they are
// longer than a line), and how many lines the long address takes.
func brokenWords(b *browser) (broken []string, addressLines int) {
	b.t.Helper()
	var got struct {
		Broken  []string
		Address int
	}
	got = eval[struct {
		Broken  []string
		Address int
	}](b, fmt.Sprintf(`(() => {
		const pre = document.querySelector(".mail-item details[open] pre.mail-body"), nodes = [];
		const walk = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
		let text = "";
		for (let n; (n = walk.nextNode()); ) { nodes.push([n, text.length]); text += n.textContent; }
		const at = i => { let k = nodes.length - 1; while (k > 0 && nodes[k][1] > i) { k--; } return [nodes[k][0], i - nodes[k][1]]; };
		const lines = (from, to) => { const r = document.createRange(); r.setStart(...at(from)); r.setEnd(...at(to));
			return new Set(Array.from(r.getClientRects(), c => Math.round(c.top))).size; };
		const out = {Broken: [], Address: 0};
		for (const m of text.matchAll(/\S+/g)) {
			const n = lines(m.index, m.index + m[0].length);
			if (m[0].includes(%s)) { out.Address = Math.max(out.Address, n); } else if (n > 1 && !m[0].startsWith("http")) { out.Broken.push(m[0]); }
		}
		return out;
	})()`, jsString(longAddress)))
	return got.Broken, got.Address
}

// TestSentMailInBrowser reads a long mail in Sent mail and in the
// company's Notifications at a laptop's and a phone's width: the kind
// filter narrows the list, the body wraps between words and only the long
// address breaks, no page is wider than the screen, and the HTML part is
// shown in its frame.
func TestSentMailInBrowser(t *testing.T) {
	b := newBrowser(t)
	m := recordRejection(b)
	for _, who := range []struct{ email, path string }{{"admin@allot.demo", "/outbox"}, {"manager@acme.demo", "/company/notifications"}} {
		b.signIn(who.email)
		for _, width := range []int64{1366, 390} {
			at := fmt.Sprintf("%s at %d px", who.path, width)
			b.do(chromedp.EmulateViewport(width, 900))
			b.open(who.path)
			b.do(chromedp.SetValue(css(`select[name=kind]`), allot.MailRejected))
			b.click(`form.mail-filters button[type=submit]`)
			if got := eval[string](b, `location.pathname + " " + new URLSearchParams(location.search).get("kind")`); got != who.path+" rejected" {
				t.Errorf("%s: the filter leads to %s, want %s filtered by kind", at, got, who.path)
			}
			b.noError()
			if n := b.count(".mail-item"); n != 1 {
				t.Fatalf("%s: filtered by kind, %d mails are listed, want the rejection alone:\n%s", at, n, b.text("main"))
			}
			if got := b.text("#mails-count"); !strings.HasPrefix(got, "1 mail matches these filters") {
				t.Errorf("%s: the count says %q", at, got)
			}
			b.do(chromedp.Click(css(".mail-open > summary")), chromedp.WaitVisible(css("pre.mail-body")))
			style := eval[[]string](b, `(() => { const s = getComputedStyle(document.querySelector("pre.mail-body"));
				return [s.whiteSpace, s.overflowWrap, s.wordBreak]; })()`)
			if strings.Join(style, " ") != "pre-wrap break-word normal" {
				t.Errorf("%s: the body wraps with white-space, overflow-wrap, word-break %v, want pre-wrap break-word normal", at, style)
			}
			broken, lines := brokenWords(b)
			if len(broken) > 0 {
				t.Errorf("%s: words broken over two lines: %q", at, broken)
			}
			if width == 390 && lines < 2 {
				t.Errorf("%s: the long address takes %d line, want it wrapped", at, lines)
			}
			if over := eval[bool](b, `(() => { const p = document.querySelector("pre.mail-body"); return p.scrollWidth > p.clientWidth; })()`); over {
				t.Errorf("%s: the body overflows its box", at)
			}
			if sw, iw := eval[int64](b, `document.documentElement.scrollWidth`), eval[int64](b, `innerWidth`); sw > iw {
				t.Errorf("%s: the page is %d px wide in a %d px window", at, sw, iw)
			}

			b.do(chromedp.Click(css(`.mail-part:not([open]) > summary`)), chromedp.WaitVisible(css("iframe.mail-frame")))
			src := eval[string](b, `document.querySelector("iframe.mail-frame").src`)
			b.do(chromedp.Poll[chromedp.Void](fmt.Sprintf(`performance.getEntriesByName(%s).length > 0`, jsString(src)), chromedp.WithPollingTimeout(10*time.Second)))
			frame := eval[[]float64](b, `(() => { const r = document.querySelector("iframe.mail-frame").getBoundingClientRect(); return [r.width, r.height, r.right]; })()`)
			if frame[0] < 300 || frame[1] < 300 || frame[2] > float64(width) {
				t.Errorf("%s: the HTML part's frame is %v (width, height, right edge)", at, frame)
			}
			if eval[bool](b, `document.querySelector("pre.mail-body").checkVisibility()`) {
				t.Errorf("%s: the text stays open beside the HTML part", at)
			}
			body := eval[string](b, fmt.Sprintf(`(() => { const x = new XMLHttpRequest(); x.open("GET", %s, false); x.send(); return x.responseText; })()`, jsString(src)))
			if body != m.HTML || !strings.Contains(body, `<a href="`+strings.ReplaceAll(longAddress, "&", "&amp;")+`"`) || !strings.Contains(body, "Morgan &lt;Manager&gt;") {
				t.Errorf("%s: the frame shows another HTML than the mail's:\n%s", at, body)
			}
		}
		b.do(chromedp.EmulateViewport(1366, 900))
		b.signOut()
	}
}
