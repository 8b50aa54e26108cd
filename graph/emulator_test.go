package graph_test

import (
	"context"
	"runtime"
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

// TestDraftStateAgainstEmulator: the one GET the send engine verifies a draft with (and checks it
// after an unclear answer) carries its changeKey and deferred-send time, and a draft that was
// sent or deleted is reported gone, without an error.
func TestDraftStateAgainstEmulator(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{NoSendDelay: true})
	d := emu.AddDraft(emulator.Draft{Subject: "State", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	other := emu.AddDraft(emulator.Draft{Subject: "Deleted", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	ctx := context.Background()
	st, err := c.DraftState(ctx, d.ID)
	if err != nil || !st.Exists || st.ChangeKey == "" || st.ChangeKey != d.ChangeKey || !st.DeferredUntil.IsZero() {
		t.Fatalf("DraftState = %+v, %v; want it there with changeKey %q and no deferred time", st, err, d.ChangeKey)
	}
	at := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	if err := c.SetDeferredSend(ctx, d.ID, at); err != nil {
		t.Fatal(err)
	}
	after, err := c.DraftState(ctx, d.ID)
	if err != nil || !after.Exists || !after.DeferredUntil.Equal(at) || after.ChangeKey == st.ChangeKey {
		t.Fatalf("after SetDeferredSend: %+v, %v; want the time %v and a new changeKey", after, err, at)
	}
	if err := c.SetDeferredSend(ctx, d.ID, graph.DeferredReset); err != nil {
		t.Fatal(err)
	}
	if err := c.Send(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if err := emu.DeleteElsewhere("", other.ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{d.ID, other.ID} {
		if st, err := c.DraftState(ctx, id); st.Exists || err != nil {
			t.Fatalf("DraftState(%s) after it left Drafts = %+v, %v; want gone, no error", id, st, err)
		}
	}
	for _, r := range emu.Requests() {
		if r.Method == "GET" && strings.Contains(r.Path, "/messages/") && (!strings.Contains(r.Path, "changeKey") || strings.Contains(r.Path, "body")) {
			t.Fatalf("DraftState asked for the wrong fields: %s", r.Path)
		}
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

// BenchmarkHeldDraft100k lists 100,000 drafts from the emulator (100 pages
// of 1,000, as the full-screen program holds them) and reports the live
// heap they take per draft once listed (B/draft): the Messages, their
// strings and their recipients, after a garbage collection.
func BenchmarkHeldDraft100k(b *testing.B) {
	const n = 100_000
	emu, c := startEmulator(b, emulator.Options{})
	emu.SeedGenerated(n)
	var perDraft float64
	for b.Loop() {
		b.StopTimer()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.GC() // a second time, to empty the pools' victim caches
		runtime.ReadMemStats(&before)
		b.StartTimer()
		msgs, err := c.ListDrafts(context.Background())
		b.StopTimer()
		if err != nil || len(msgs) != n {
			b.Fatalf("%d drafts, %v", len(msgs), err)
		}
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&after)
		perDraft = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
		runtime.KeepAlive(msgs)
		b.StartTimer()
	}
	b.ReportMetric(perDraft, "B/draft")
}

// TestCancelScheduledBringsTheDraftBack: a send later waiting in the Outbox, cancelled, is a
// draft again with no send time, and never goes out; once its time came, cancelling says 404.
func TestCancelScheduledBringsTheDraftBack(t *testing.T) {
	clock := time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	emu, c := startEmulator(t, emulator.Options{NoSendDelay: true, Now: now})
	ctx := context.Background()
	d := emu.AddDraft(emulator.Draft{Subject: "Later", To: []emulator.Recipient{emulator.Addr("Megan", "megan@contoso.example")}})
	if err := c.SetDeferredSend(ctx, d.ID, clock.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := c.Send(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	out, err := c.Scheduled(ctx)
	if err != nil || len(out) != 1 {
		t.Fatalf("scheduled %+v %v", out, err)
	}
	back, err := c.CancelScheduled(ctx, out[0].ID)
	if err != nil || !back.IsDraft || back.Subject != "Later" || back.IsScheduled(clock) {
		t.Fatalf("cancelled: %+v %v", back, err)
	}
	clock = clock.Add(2 * time.Hour)
	if n := len(emu.Sent("")); n != 0 {
		t.Fatalf("%d sent after a cancel", n)
	}
	if _, err := c.CancelScheduled(ctx, out[0].ID); !graph.IsNotFound(err) {
		t.Fatalf("cancel of what is no longer in the Outbox: %v", err)
	}
}
