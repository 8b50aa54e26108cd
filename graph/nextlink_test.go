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
