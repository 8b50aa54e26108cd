package graph_test

import (
	"context"
	"testing"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestPagesDecodeWithNextLinkFirstOrLast: where @odata.nextLink sits in a page (after "value",
// as Graph puts it for messages, or before it) changes nothing for the client.
func TestPagesDecodeWithNextLinkFirstOrLast(t *testing.T) {
	for _, first := range []bool{false, true} {
		emu, c := startEmulator(t, emulator.Options{NextLinkFirst: first})
		emu.SeedGenerated(23)
		p := c.Drafts(10)
		ids := map[string]bool{}
		for p.More() {
			msgs, err := p.Next(context.Background())
			if err != nil {
				t.Fatalf("first=%v: %v", first, err)
			}
			for _, m := range msgs {
				ids[m.ID] = true
			}
		}
		if len(ids) != 23 || p.Pages != 3 {
			t.Fatalf("first=%v: %d drafts in %d pages, want 23 in 3", first, len(ids), p.Pages)
		}
	}
}
