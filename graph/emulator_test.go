package graph_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// These tests run the client against the project's Graph emulator over
// real HTTP on loopback.

func startEmulator(t testing.TB, opts emulator.Options) (*emulator.Server, *graph.Client) {
	t.Helper()
	emu := emulator.New(opts)
	base, err := emu.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	c, err := graph.New(graph.Options{BaseURL: base, Tokens: graph.StaticToken("test-token")})
	if err != nil {
		t.Fatal(err)
	}
	return emu, c
}

func TestListDraftsAcrossManyPages(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{})
	emu.SeedGenerated(2500)
	p := c.Drafts(1000)
	var all []graph.Message
	for p.More() {
		msgs, err := p.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, msgs...)
	}
	if len(all) != 2500 || p.Pages != 3 {
		t.Fatalf("got %d drafts in %d pages, want 2500 in 3", len(all), p.Pages)
	}
	seen := map[string]bool{}
	for i, m := range all {
		if seen[m.ID] {
			t.Fatalf("draft %s listed twice", m.ID)
		}
		seen[m.ID] = true
		if i > 0 && m.LastModified.After(all[i-1].LastModified) {
			t.Fatalf("not newest first at %d", i)
		}
		if m.HasBody || m.Body != "" {
			t.Fatal("listing carried a body")
		}
	}
	if n := emu.Count("GET", "/mailFolders/drafts/messages"); n != 3 {
		t.Fatalf("%d listing requests, want 3", n)
	}
}

func TestOpenDraftGivesTextBody(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{})
	d := emu.AddDraft(emulator.Draft{
		Subject:  "Offsite agenda",
		BodyType: "html",
		Body:     "<html><body><p>Hello <b>team</b>,</p><ul><li>Day 1</li><li>Day 2</li></ul><script>x()</script></body></html>",
		To:       []emulator.Recipient{emulator.Addr("Alex Wilber", "alexw@contoso.example")},
	})
	m, err := c.Message(context.Background(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !m.HasBody || !strings.Contains(m.Body, "Hello team") || !strings.Contains(m.Body, "Day 2") || strings.Contains(m.Body, "<") || strings.Contains(m.Body, "x()") {
		t.Fatalf("body = %q", m.Body)
	}
	if m.Subject != "Offsite agenda" || len(m.To) != 1 || m.To[0].Address != "alexw@contoso.example" {
		t.Fatalf("message = %+v", m)
	}
}

func TestHostileFieldsAreCleanedAtDecode(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{})
	emu.AddDraft(emulator.Draft{
		Subject: "Invoice\x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x07due\x1b[2J",
		To:      []emulator.Recipient{emulator.Addr("Mallory\u202e\u200bgpj.exe", "m@contoso.example")},
	})
	msgs, err := c.ListDrafts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := msgs[0].Subject; got != "Invoice due" {
		t.Fatalf("subject = %q, want %q", got, "Invoice due")
	}
	if got := msgs[0].To[0].Name; got != "Mallorygpj.exe" {
		t.Fatalf("name = %q", got)
	}
}

func TestSendAndConfirmAgainstEmulator(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{SendDelay: 300 * time.Millisecond})
	d := emu.AddDraft(emulator.Draft{Subject: "Ship it", To: []emulator.Recipient{emulator.Addr("", "alexw@contoso.example")}})
	drafts, err := c.ListDrafts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := c.SendAndConfirm(context.Background(), drafts[0], graph.SendOptions{PollDelay: func(int) time.Duration { return 100 * time.Millisecond }})
	if r.Outcome != graph.OutcomeSent || r.Copy == nil {
		t.Fatalf("result = %+v", r)
	}
	if r.Copy.ID == d.ID || r.Copy.InternetMessageID != d.InternetMessageID || r.Copy.IsDraft {
		t.Fatalf("copy = %+v; want a new id, the same internetMessageId, not a draft", r.Copy)
	}
	if r.Elapsed < 300*time.Millisecond {
		t.Fatalf("seen after %v, before the emulator's send delay", r.Elapsed)
	}
	if n := emu.Count("POST", "/send"); n != 1 {
		t.Fatalf("%d POSTs", n)
	}
	left, _ := c.ListDrafts(context.Background())
	if len(left) != 0 {
		t.Fatalf("draft still listed: %+v", left)
	}
	if ok, err := c.DraftExists(context.Background(), d.ID); ok || err != nil {
		t.Fatalf("DraftExists(old id) = %v, %v", ok, err)
	}
	sent, err := c.LatestSent(context.Background(), 5)
	if err != nil || len(sent) != 1 || sent[0].ID != r.Copy.ID {
		t.Fatalf("LatestSent = %+v, %v", sent, err)
	}
}

func TestSendDroppedAfterActAgainstEmulator(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{NoSendDelay: true})
	emu.AddDraft(emulator.Draft{Subject: "Dropped", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{DropAfterAct: true}})
	drafts, _ := c.ListDrafts(context.Background())
	r := c.SendAndConfirm(context.Background(), drafts[0], graph.SendOptions{})
	if r.Outcome != graph.OutcomeSent || !r.Reconciled || emu.Count("POST", "/send") != 1 {
		t.Fatalf("result = %+v after %d POSTs", r, emu.Count("POST", "/send"))
	}
	if len(emu.Sent("")) != 1 {
		t.Fatalf("%d messages in Sent Items, want exactly 1", len(emu.Sent("")))
	}
}

func TestFindSentCopyByConversationAgainstEmulator(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{NoSendDelay: true})
	emu.AddDraft(emulator.Draft{Subject: "No Message-ID", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	drafts, err := c.ListDrafts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := c.Send(context.Background(), drafts[0].ID); err != nil {
		t.Fatal(err)
	}
	d := drafts[0]
	d.InternetMessageID = "" // as for a draft whose Message-ID is not known
	copy, err := c.FindSentCopy(context.Background(), d, start)
	if err != nil || copy == nil || copy.ConversationID != d.ConversationID || copy.IsDraft {
		t.Fatalf("FindSentCopy = %+v, %v; want the sent copy", copy, err)
	}
}

func TestSendWithoutRecipientsIsRefusedAgainstEmulator(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{NoSendDelay: true})
	emu.AddDraft(emulator.Draft{Subject: "Nobody"})
	drafts, _ := c.ListDrafts(context.Background())
	r := c.SendAndConfirm(context.Background(), drafts[0], graph.SendOptions{})
	if r.Outcome != graph.OutcomeNotSent || !graph.IsInvalidRecipients(r.Err) {
		t.Fatalf("result = %+v", r)
	}
	if len(emu.Drafts("")) != 1 {
		t.Fatal("the draft was lost")
	}
}

// BenchmarkListDrafts10k lists 10,000 drafts from the emulator over
// loopback HTTP, as 'drafts list' does (10 pages of 1,000).
func BenchmarkListDrafts10k(b *testing.B) {
	emu, c := startEmulator(b, emulator.Options{})
	emu.SeedGenerated(10000)
	b.ReportAllocs()
	for b.Loop() {
		msgs, err := c.ListDrafts(context.Background())
		if err != nil || len(msgs) != 10000 {
			b.Fatalf("%d drafts, %v", len(msgs), err)
		}
	}
}
