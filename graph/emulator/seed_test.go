package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSeedDemo(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	drafts, sent := e.s.Drafts(""), e.s.Sent("")
	if len(drafts) < 12 || len(sent) < 3 || len(sent) > 5 {
		t.Fatalf("%d drafts, %d sent", len(drafts), len(sent))
	}
	var noRecipients, emptySubject, longSubject, high, html, attachments, bcc, many, nonASCII, rtl int
	for _, m := range drafts {
		if !m.IsDraft || m.SentDateTime != nil {
			t.Errorf("%q is not a draft", m.Subject)
		}
		if !m.hasRecipients() {
			noRecipients++
		}
		if m.Subject == "" {
			emptySubject++
		}
		if utf8.RuneCountInString(m.Subject) > 120 {
			longSubject++
		}
		if m.Importance == "high" {
			high++
		}
		if m.Body.ContentType == "html" {
			html++
		}
		if m.HasAttachments {
			attachments++
		}
		if len(m.BccRecipients) > 0 {
			bcc++
		}
		if len(m.ToRecipients)+len(m.CcRecipients) > 4 {
			many++
		}
		all := m.Subject + m.Body.Content
		for _, r := range m.ToRecipients {
			all += r.EmailAddress.Name
		}
		if strings.ContainsFunc(all, func(r rune) bool { return r > 0x2E80 }) {
			nonASCII++
		}
		if strings.ContainsFunc(all, func(r rune) bool { return r >= 0x0590 && r <= 0x06FF }) {
			rtl++
		}
		if strings.Contains(strings.ToLower(all), "lorem") {
			t.Errorf("lorem ipsum in %q", m.Subject)
		}
	}
	if noRecipients != 1 || emptySubject != 1 || longSubject < 1 || high != 1 || html < 2 || attachments < 2 ||
		bcc < 1 || many < 1 || nonASCII < 1 || rtl < 1 {
		t.Fatalf("norcpt %d empty %d long %d high %d html %d att %d bcc %d many %d unicode %d rtl %d",
			noRecipients, emptySubject, longSubject, high, html, attachments, bcc, many, nonASCII, rtl)
	}
	// Varied ages: minutes to weeks.
	newest, oldest := drafts[0].LastModifiedDateTime, drafts[len(drafts)-1].LastModifiedDateTime
	if now := e.clock.Now(); now.Sub(newest).Hours() > 1 || now.Sub(oldest).Hours() < 24*14 {
		t.Fatalf("ages %v .. %v", newest, oldest)
	}
	// The draft without recipients cannot be sent.
	for _, m := range drafts {
		if !m.hasRecipients() {
			resp, data := e.do(http.MethodPost, "/me/messages/"+m.ID+"/send", "")
			wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidRecipients")
		}
	}
}

// TestSeedDemoInboxResponsesAndFiles: the demo mailbox has received mail in its Inbox, reply,
// reply-all and forward drafts made from it (told apart as a client would, kindOf), and real
// files: one over 3 MB, an inline image, one carried by a forward; the sent reply is in the
// conversation of the message it answers.
func TestSeedDemoInboxResponsesAndFiles(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	inbox := e.list("/me/mailFolders/inbox/messages?$top=100")
	unread := 0
	for _, m := range inbox.Value {
		if !m.IsRead {
			unread++
		}
	}
	if len(inbox.Value) < 5 || unread == 0 {
		t.Fatalf("inbox: %d messages, %d unread", len(inbox.Value), unread)
	}
	kinds := map[string]int{}
	var forwardWithFile, large, inline bool
	for _, m := range e.s.Drafts("") {
		k := kindOf(e, m.ID)
		kinds[k]++
		for _, a := range e.s.Attachments("", m.ID) {
			switch {
			case k == "forward" && bytes.HasPrefix(a.Content, []byte("%PDF-1.4")) && bytes.HasSuffix(a.Content, []byte("%%EOF\n")):
				forwardWithFile = true
			case a.Size > maxPostAttachment:
				large = int64(len(a.Content)) == a.Size && a.ContentType == "text/csv" &&
					bytes.HasPrefix(a.Content, []byte("date,cost_centre,")) && bytes.HasSuffix(a.Content, []byte("\r\n"))
			case a.IsInline:
				_, err := png.Decode(bytes.NewReader(a.Content))
				inline = err == nil && strings.Contains(m.Body.Content, "cid:"+a.ContentID)
			}
		}
	}
	if kinds["reply"] < 1 || kinds["replyAll"] < 1 || kinds["forward"] < 1 || kinds["reply"]+kinds["replyAll"]+kinds["forward"] < 4 {
		t.Fatalf("kinds %v", kinds)
	}
	if !forwardWithFile || !large || !inline {
		t.Fatalf("files: forwarded %v, large %v, inline %v", forwardWithFile, large, inline)
	}
	var deck Message
	for _, m := range inbox.Value {
		if m.Subject == "Board deck — final version" {
			deck = m
		}
	}
	conv := e.list("/me/messages?$filter=" + url.QueryEscape("conversationId eq '"+deck.ConversationID+"'"))
	if deck.ID == "" || len(conv.Value) != 3 { // the message, Adele's sent reply, the forward draft
		t.Fatalf("board deck conversation: %v", subjects(conv.Value))
	}
	if p := props(e, deck.ID, propLastVerb, propIconIndex); p[propLastVerb] != "102" || p[propIconIndex] != "261" {
		t.Fatalf("answered message %v", p)
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	render := func() []byte {
		e := newEnv(t, Options{})
		e.s.SeedDemo()
		e.s.SeedGenerated(50)
		var buf bytes.Buffer
		for _, m := range append(append(e.s.Drafts(""), e.s.Sent("")...), e.s.Messages("", "inbox")...) {
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			buf.Write(b)
			for _, a := range e.s.Attachments("", m.ID) {
				fmt.Fprintf(&buf, "%s %s %s %d %x", a.ID, a.Name, a.ContentType, a.Size, sha256.Sum256(a.Content))
			}
		}
		return buf.Bytes()
	}
	if a, b := render(), render(); !bytes.Equal(a, b) {
		t.Fatal("two seeded servers differ")
	}
}

func TestSeedGenerated(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedGenerated(10000)
	drafts := e.s.Drafts("")
	if len(drafts) != 10000 {
		t.Fatalf("%d drafts", len(drafts))
	}
	ids := map[string]bool{}
	imids := map[string]bool{}
	for _, m := range drafts {
		if ids[m.ID] || imids[m.InternetMessageID] {
			t.Fatalf("duplicate id for %q", m.Subject)
		}
		ids[m.ID], imids[m.InternetMessageID] = true, true
		if m.Subject == "" || len(m.ToRecipients) == 0 || m.BodyPreview == "" {
			t.Fatalf("implausible %+v", m)
		}
	}
	p := e.list("/me/mailFolders/drafts/messages?$count=true&$top=1")
	if *p.Count != 10000 {
		t.Fatalf("count %d", *p.Count)
	}
}

func TestSeedGenerated100k(t *testing.T) {
	if testing.Short() {
		t.Skip("large mailbox: skipped with -short")
	}
	s := New(Options{}) // runs in CI too, with -race (about 5 s)
	s.SeedGenerated(100000)
	if n := len(s.Drafts("")); n != 100000 {
		t.Fatalf("%d drafts", n)
	}
}
