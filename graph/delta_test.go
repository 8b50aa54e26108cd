package graph_test

import (
	"context"
	"testing"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// TestDraftsDeltaGivesOnlyWhatChanged: a link taken before the listing; then a draft added, one
// edited, one deleted and one sent elsewhere: the delta has the two as changed and the two as
// removed, nothing else, and its next link has nothing; an expired link is IsSyncExpired.
func TestDraftsDeltaGivesOnlyWhatChanged(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{NoSendDelay: true})
	to := []emulator.Recipient{emulator.Addr("", "a@contoso.example")}
	for i := 0; i < 25; i++ {
		emu.AddDraft(emulator.Draft{Subject: "old", To: to})
	}
	edited := emu.AddDraft(emulator.Draft{Subject: "to edit", To: to})
	deleted := emu.AddDraft(emulator.Draft{Subject: "to delete", To: to})
	sent := emu.AddDraft(emulator.Draft{Subject: "to send", To: to})
	ctx := context.Background()
	d0, err := c.DraftsDelta(ctx, "")
	if err != nil || d0.Link == "" || len(d0.Changed)+len(d0.Removed) != 0 {
		t.Fatalf("latest: %+v %v", d0, err)
	}
	added := emu.AddDraft(emulator.Draft{Subject: "new one", To: to})
	subject := "edited"
	if _, err := c.UpdateDraft(ctx, edited.ID, "", graph.DraftFields{Subject: &subject}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteDraft(ctx, deleted.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := emu.SendElsewhere("", sent.ID); err != nil {
		t.Fatal(err)
	}
	d1, err := c.DraftsDelta(ctx, d0.Link)
	if err != nil {
		t.Fatal(err)
	}
	changed := map[string]string{}
	for _, m := range d1.Changed {
		changed[m.ID] = m.Subject
	}
	if len(changed) != 2 || changed[added.ID] != "new one" || changed[edited.ID] != "edited" {
		t.Fatalf("changed %v", changed)
	}
	removed := map[string]bool{}
	for _, id := range d1.Removed {
		removed[id] = true
	}
	if len(removed) != 2 || !removed[deleted.ID] || !removed[sent.ID] {
		t.Fatalf("removed %v", d1.Removed)
	}
	d2, err := c.DraftsDelta(ctx, d1.Link)
	if err != nil || len(d2.Changed)+len(d2.Removed) != 0 || d2.Link == "" {
		t.Fatalf("nothing changed: %+v %v", d2, err)
	}
	emu.ExpireDeltaTokens()
	if _, err := c.DraftsDelta(ctx, d2.Link); !graph.IsSyncExpired(err) {
		t.Fatalf("an expired link: %v", err)
	}
}
