package graph_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// TestDraftKindsFromWhatGraphReturns: the demo's reply, reply-all and forward drafts (made
// through createReply…) and a new draft whose subject starts with "Re:" are told apart by the
// properties Graph returns, not by the subject; a German reply ("AW:") is a reply too.
func TestDraftKindsFromWhatGraphReturns(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{})
	emu.SeedDemo()
	msgs, err := c.ListDrafts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]graph.Kind{}
	for _, m := range msgs {
		kinds[m.Subject] = m.Kind
	}
	for subject, want := range map[string]graph.Kind{
		"RE: Cloud line in the Q3 figures": graph.KindReply,
		"FW: Board deck — final version":   graph.KindForward,
		"Re: Offsite venue shortlist":      graph.KindNew,
		"Q3 budget review":                 graph.KindNew,
	} {
		got, ok := kinds[subject]
		if !ok {
			for s := range kinds {
				if strings.HasPrefix(s, subject) {
					got, ok = kinds[s], true
				}
			}
		}
		if !ok || got != want {
			t.Errorf("%q: %v (listed %v), want %v", subject, got, ok, want)
		}
	}

	de, cde := startEmulator(t, emulator.Options{Language: "de", NoSendDelay: true})
	d := de.AddDraft(emulator.Draft{Subject: "Lieferanten", To: []emulator.Recipient{emulator.Addr("", "j@contoso.example")}})
	ctx := context.Background()
	if err := cde.Send(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	r, err := cde.CreateReply(ctx, de.Sent("")[0].ID, graph.Reply, "")
	if err != nil || !strings.HasPrefix(r.Subject, "AW:") {
		t.Fatalf("%+v %v", r, err)
	}
	f, err := cde.CreateReply(ctx, de.Sent("")[0].ID, graph.Forward, "")
	if err != nil {
		t.Fatal(err)
	}
	listed, _ := cde.ListDrafts(ctx)
	for _, m := range listed {
		want := map[string]graph.Kind{r.ID: graph.KindReply, f.ID: graph.KindForward}[m.ID]
		if m.Kind != want {
			t.Errorf("%q: %v, want %v", m.Subject, m.Kind, want)
		}
	}
}

// TestReplyAllIsToldByTheOriginal: a reply-all draft addresses the original's other recipients;
// a reply does not.
func TestReplyAllIsToldByTheOriginal(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{NoSendDelay: true})
	ctx := context.Background()
	d := emu.AddDraft(emulator.Draft{Subject: "Plan", To: []emulator.Recipient{emulator.Addr("Megan", "megan@contoso.example")},
		Cc: []emulator.Recipient{emulator.Addr("Alex", "alex@contoso.example")}})
	if err := c.Send(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	sent := emu.Sent("")[0]
	for kind, want := range map[graph.ReplyKind]graph.Kind{graph.Reply: graph.KindReply, graph.ReplyAll: graph.KindReplyAll} {
		r, err := c.CreateReply(ctx, sent.ID, kind, "")
		if err != nil {
			t.Fatal(err)
		}
		full, err := c.Message(ctx, r.ID)
		if err != nil || full.Kind != graph.KindReply || full.InReplyTo == "" {
			t.Fatalf("%s: %+v %v", kind, full, err)
		}
		orig, err := c.Original(ctx, full)
		if err != nil || orig == nil {
			t.Fatalf("%s: original %v %v", kind, orig, err)
		}
		if got := graph.ReplyAllOf(full, *orig, full.From.Address); got != want {
			t.Errorf("%s: %v, want %v (to %v)", kind, got, want, full.Recipients())
		}
	}
}

// TestForwardFindsItsOriginal: a forward names no In-Reply-To; its original is the message of
// its conversation whose index is one block shorter: not a reply of the same conversation.
func TestForwardFindsItsOriginal(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{NoSendDelay: true})
	ctx := context.Background()
	d := emu.AddDraft(emulator.Draft{Subject: "Plan", To: []emulator.Recipient{emulator.Addr("Megan", "megan@contoso.example")}})
	if err := c.Send(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	sent := emu.Sent("")[0]
	// A reply in the same conversation, sent: one level deeper than the original, like the
	// forward, so only the index tells them apart.
	r, err := c.CreateReply(ctx, sent.ID, graph.Reply, "ok")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Send(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	f, err := c.CreateReply(ctx, sent.ID, graph.Forward, "fyi")
	if err != nil {
		t.Fatal(err)
	}
	full, err := c.Message(ctx, f.ID)
	if err != nil || full.Kind != graph.KindForward || full.InReplyTo != "" {
		t.Fatalf("forward: %+v %v", full, err)
	}
	orig, err := c.Original(ctx, full)
	if err != nil || orig == nil || orig.ID != sent.ID {
		t.Fatalf("original of the forward: %+v %v, want %s", orig, err, sent.ID)
	}
	// A new message has no original.
	if o, err := c.Original(ctx, graph.Message{Kind: graph.KindForward, ConversationID: full.ConversationID}); o != nil || err != nil {
		t.Fatalf("a message with no index: %+v %v", o, err)
	}
}

func TestMarkCarried(t *testing.T) {
	fw := []graph.Attachment{{Name: "a.pdf", Kind: "file", Size: 10}, {Name: "A.pdf", Kind: "file", Size: 10},
		{Name: "b.png", Kind: "file", Size: 5}, {Name: "c.pdf", Kind: "file", Size: 11}}
	graph.MarkCarried(fw, []graph.Attachment{{Name: "a.pdf", Kind: "file", Size: 10}, {Name: "c.pdf", Kind: "file", Size: 12}})
	got := []bool{fw[0].FromOriginal, fw[1].FromOriginal, fw[2].FromOriginal, fw[3].FromOriginal}
	if want := []bool{true, false, false, false}; !slices.Equal(got, want) {
		t.Fatalf("marked %v, want %v (one original file marks one forward file; size must match)", got, want)
	}
}
