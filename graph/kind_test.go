package graph_test

import (
	"context"
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
