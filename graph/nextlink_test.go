package graph_test

import (
	"context"
	"testing"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestPagesDecodeWithNextLinkFirstOrLast: where @odata.nextLink sits in a page (before "value",
// as Graph puts it for messages, or after it) changes nothing for the client.
func TestPagesDecodeWithNextLinkFirstOrLast(t *testing.T) {
	for _, last := range []bool{false, true} {
		emu, c := startEmulator(t, emulator.Options{NextLinkLast: last})
		emu.SeedGenerated(23)
		p := c.Drafts(10)
		ids := map[string]bool{}
		for p.More() {
			msgs, err := p.Next(context.Background())
			if err != nil {
				t.Fatalf("last=%v: %v", last, err)
			}
			for _, m := range msgs {
				ids[m.ID] = true
			}
		}
		if len(ids) != 23 || p.Pages != 3 {
			t.Fatalf("last=%v: %d drafts in %d pages, want 23 in 3", last, len(ids), p.Pages)
		}
	}
}

// TestDeltaDecodesWithLinksFirstOrLast: the same for a delta's pages and its deltaLink.
func TestDeltaDecodesWithLinksFirstOrLast(t *testing.T) {
	for _, last := range []bool{false, true} {
		emu, c := startEmulator(t, emulator.Options{NextLinkLast: last})
		ctx := context.Background()
		d0, err := c.DraftsDelta(ctx, "")
		if err != nil || d0.Link == "" {
			t.Fatalf("last=%v: latest %+v %v", last, d0, err)
		}
		for range 25 {
			emu.AddDraft(emulator.Draft{Subject: "new"})
		}
		d1, err := c.DraftsDelta(ctx, d0.Link)
		if err != nil || len(d1.Changed) != 25 || d1.Link == "" || d1.Link == d0.Link {
			t.Fatalf("last=%v: %d changed, link %q, %v", last, len(d1.Changed), d1.Link, err)
		}
	}
}
