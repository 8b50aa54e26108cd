package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
	"github.com/draftsmail/drafts/graph/sending"
)

// TestE2EFiveMarkedDraftsFiveSends drives the built binary in a pseudo-terminal: five drafts
// marked with space, one question for all, and an undo during the countdown that sends none;
// then the same five sent, with exactly five POSTs, each draft's copy in Sent Items.
func TestE2EFiveMarkedDraftsFiveSends(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	now := time.Now()
	to := []emulator.Recipient{emulator.Addr("Megan Bowen", "megan.bowen@contoso.example")}
	g.AddDraft(emulator.Draft{Subject: "Not this one", To: to, LastModified: now.Add(-time.Hour)})
	for i := range 5 {
		g.AddDraft(emulator.Draft{Subject: fmt.Sprintf("Batch %d", 5-i), To: to, LastModified: now.Add(-time.Duration(5-i) * time.Minute)})
	}
	env := newE2EEnv(t, g.base)
	env.vars["DRAFTS_UNDO_SEND"] = "1m" // long enough to undo; the second batch is sent with "send now"
	s := startTUI(t, env, 100, 30)
	s.waitFor("1 of 6", "Batch 1")
	send := func() {
		s.keys("s")
		s.waitFor("Send these 5 drafts now?", "y send 5")
		s.keys("y")
		s.waitFor("Sending 5 drafts in", "u undo")
	}

	for range 5 {
		s.keys(" ")
	}
	s.waitFor("5 marked")
	send()
	s.keys("u")
	s.waitFor("Not sent: 5 drafts are still drafts", "5 marked") // taken back, and marked again
	if n := g.posts(); n != 0 {
		t.Fatalf("%d POSTs after the undo, want none", n)
	}

	send()
	s.keys("q") // the quit question: send now, and quit once they are out
	s.waitFor("Quit before sending?", "s send now")
	s.keys("s")
	if code := s.waitExit(); code != 0 {
		t.Fatalf("exit %d after send now:\n%s", code, s.screen())
	}
	if n := g.posts(); n != 5 {
		t.Fatalf("%d POSTs, want 5", n)
	}
	// Each POST has its slot, a Pace after the one before (exactly so with a test clock:
	// TestBatchPostsOneATurn, TestPacerSpacesPosts). Here, on the wall clock, a request can
	// reach the server late by however long a loaded machine takes to run it (0.8 s seen
	// under the race detector), so only "not together" is checked: a second apart at least.
	recs := g.sendRecords()
	for i := 1; i < len(recs); i++ {
		if gap := recs[i].Time.Sub(recs[i-1].Time); gap < time.Second {
			t.Errorf("POSTs %d and %d are %v apart: the batch must keep Exchange's pace (%v)", i, i+1, gap, sending.Pace)
		}
	}
	sent := map[string]bool{}
	for _, m := range g.Messages("", "sentitems") {
		sent[m.Subject] = true
	}
	for i := 1; i <= 5; i++ {
		if !sent[fmt.Sprintf("Batch %d", i)] {
			t.Errorf("Batch %d is not in Sent Items", i)
		}
	}
	if sent["Not this one"] {
		t.Errorf("an unmarked draft was sent")
	}
}
