package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
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

func TestSeedIsDeterministic(t *testing.T) {
	render := func() []byte {
		e := newEnv(t, Options{})
		e.s.SeedDemo()
		e.s.SeedGenerated(50)
		var buf bytes.Buffer
		for _, m := range append(e.s.Drafts(""), e.s.Sent("")...) {
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			buf.Write(b)
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
