package main

import (
	"strings"
	"testing"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestE2EReplyFromSentItemsGoesOutInTheConversation makes a reply from Sent Items in the built
// binary (tab, r), finds it selected in Drafts as a reply with its quoted thread folded, sends
// it (s, y), and finds its copy in Sent Items in the original's conversation.
func TestE2EReplyFromSentItemsGoesOutInTheConversation(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	d := g.AddDraft(emulator.Draft{Subject: "Quarterly review", Body: "Shall we meet on Thursday at 10?",
		To: []emulator.Recipient{emulator.Addr("Megan Bowen", "megan.bowen@contoso.example")}})
	s := startTUI(t, newE2EEnv(t, g.base), 120, 32)
	s.waitFor("1 of 1", "Quarterly review")
	s.keys("s")
	s.waitFor("Send this draft now?")
	s.keys("y")
	s.waitUntil("the send", func(string) bool { return strings.Contains(s.statusLine(), "is in Sent Items after") })
	s.keys("\t")
	s.waitFor("✓ just sent", "r reply")
	s.keys("r")
	s.waitUntil("the reply draft", func(string) bool {
		return strings.Contains(s.statusLine(), "“RE: Quarterly review” is in Drafts, with the quoted thread")
	})
	s.waitFor("Kind     reply", "▸ quoted", "t to unfold")
	s.keys("s")
	s.waitFor("Send this draft now?", "Kind     reply")
	s.keys("y")
	s.waitUntil("the reply's send", func(string) bool {
		return strings.Contains(s.statusLine(), "“RE: Quarterly review” is in Sent Items after")
	})
	var original, reply *emulator.Message
	for _, m := range g.Sent("") {
		switch {
		case m.InternetMessageID == d.InternetMessageID:
			original = &m
		case strings.HasPrefix(m.Subject, "RE: "):
			reply = &m
		}
	}
	if original == nil || reply == nil || reply.ConversationID != original.ConversationID || g.posts() != 2 {
		t.Fatalf("Sent Items %+v; %d POSTs", g.Sent(""), g.posts())
	}
	s.quit()
}
