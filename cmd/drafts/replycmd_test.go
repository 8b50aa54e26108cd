package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/draftsmail/drafts/graph/emulator"
)

// attDemo is an emulator with the demo mailbox, and the environment pointing at it.
func attDemo(t *testing.T) (*emulator.Server, map[string]string) {
	t.Helper()
	emu, env := mailbox(t, emulator.Options{NoSendDelay: true})
	emu.SeedDemo()
	return emu, env
}

// attMessageIn is the message of folder whose subject is subject.
func attMessageIn(t *testing.T, emu *emulator.Server, folder, subject string) emulator.Message {
	t.Helper()
	for _, m := range emu.Messages("", folder) {
		if m.Subject == subject {
			return m
		}
	}
	t.Fatalf("no message %q in %s", subject, folder)
	return emulator.Message{}
}

// attDraftByID is the draft with id, or fails.
func attDraftByID(t *testing.T, emu *emulator.Server, id string) emulator.Message {
	t.Helper()
	for _, d := range emu.Drafts("") {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("no draft %s in Drafts", id)
	return emulator.Message{}
}

func attAddresses(rs []emulator.Recipient) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.EmailAddress.Address)
	}
	return out
}

// TestReplyCommandsPrintTheNewDraftsID: reply, reply-all and forward of a message in the Inbox
// print only the new draft's id (a script's $(…) takes it whole), and the draft is in Drafts,
// in the conversation, addressed as each kind is, with the comment above the quoted message.
func TestReplyCommandsPrintTheNewDraftsID(t *testing.T) {
	emu, env := attDemo(t)
	orig := attMessageIn(t, emu, "inbox", "Cloud line in the Q3 figures") // from Megan, Cc Alex
	for _, tc := range []struct {
		cmd, prefix string
		to          []string // To and Cc of the new draft
	}{
		{"reply", "RE: ", []string{"megan.bowen@contoso.example"}},
		{"reply-all", "RE: ", []string{"megan.bowen@contoso.example", "alex.wilber@contoso.example"}},
		{"forward", "FW: ", nil},
	} {
		before := len(emu.Drafts(""))
		r := drafts(t, env, tc.cmd, orig.ID, "--comment", "Answer from the "+tc.cmd+" test")
		if r.code != exitOK || r.stderr != "" || strings.Count(r.stdout, "\n") != 1 {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q", tc.cmd, r.code, r.stdout, r.stderr)
		}
		id := strings.TrimSuffix(r.stdout, "\n")
		d := attDraftByID(t, emu, id)
		if len(emu.Drafts("")) != before+1 || d.Subject != tc.prefix+orig.Subject || d.ConversationID != orig.ConversationID {
			t.Errorf("%s: draft %q in conversation %s (want %s)", tc.cmd, d.Subject, d.ConversationID, orig.ConversationID)
		}
		if got := append(attAddresses(d.ToRecipients), attAddresses(d.CcRecipients)...); strings.Join(got, ",") != strings.Join(tc.to, ",") {
			t.Errorf("%s: recipients %v, want %v", tc.cmd, got, tc.to)
		}
		if !strings.Contains(d.Body.Content, "Answer from the "+tc.cmd+" test") || !strings.Contains(d.Body.Content, "analytics cluster") {
			t.Errorf("%s: the body lacks the comment or the quoted message:\n%s", tc.cmd, d.Body.Content)
		}
	}

	// --json: the id, the subject and the kind.
	r := drafts(t, env, "reply-all", orig.ID, "--json")
	var out map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != exitOK {
		t.Fatalf("exit %d, stdout %q (%v)", r.code, r.stdout, err)
	}
	if d := attDraftByID(t, emu, out["id"]); out["subject"] != d.Subject || out["kind"] != "reply-all" || len(out) != 3 {
		t.Errorf("JSON %v", out)
	}

	// On a terminal, a line on stderr says where the draft is and how to write it.
	var stdout, stderr strings.Builder
	code := run(context.Background(), []string{"forward", orig.ID}, stdio{in: strings.NewReader(""), out: &stdout, err: &stderr, outTTY: true},
		func(k string) string { return env[k] })
	if id := strings.TrimSpace(stdout.String()); code != exitOK || !strings.Contains(stderr.String(), "'drafts edit "+id+"'") || !strings.Contains(stderr.String(), "FW: Cloud line") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// TestReplyToASentMessage: any message may be answered, one in Sent Items too.
func TestReplyToASentMessage(t *testing.T) {
	emu, env := attDemo(t)
	sent := emu.Sent("")[0]
	r := drafts(t, env, "forward", sent.ID, "--json")
	var out map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != exitOK {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if d := attDraftByID(t, emu, out["id"]); !strings.HasPrefix(d.Subject, "FW: ") || out["kind"] != "forward" {
		t.Errorf("draft %q, JSON %v", d.Subject, out)
	}
}

// TestReplyFailuresMakeNoDraft: an unknown message, a refusal and a lost answer are one line
// each, exit 1; only the lost answer says the draft may exist.
func TestReplyFailuresMakeNoDraft(t *testing.T) {
	emu, env := attDemo(t)
	orig := attMessageIn(t, emu, "inbox", "Lunch menu for Thursday")
	before := len(emu.Drafts(""))
	check := func(name string, r result, want string, mayExist bool) {
		t.Helper()
		if r.code != exitFailed || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q (want %q)", name, r.code, r.stdout, r.stderr, want)
		}
		if strings.Contains(r.stderr, "may exist") != mayExist {
			t.Errorf("%s: says the draft may exist: %v, want %v: %q", name, !mayExist, mayExist, r.stderr)
		}
	}
	check("unknown message", drafts(t, env, "reply", emu.UnusedID()), "no such message", false)
	emu.Inject(emulator.Rule{Method: "POST", Path: "/createReply", Times: 1, Fault: emulator.Denied("ErrorAccessDenied")})
	check("403", drafts(t, env, "reply", orig.ID), "Mail.ReadWrite", false)
	emu.Inject(emulator.Rule{Method: "POST", Path: "/createForward", Times: 1, Fault: emulator.Fault{DropBeforeAct: true}})
	check("dropped", drafts(t, env, "forward", orig.ID), "look in Drafts before making it again", true)
	if n := len(emu.Drafts("")); n != before {
		t.Errorf("%d drafts made", n-before)
	}
	if n := emu.Count("POST", "/createForward"); n != 1 {
		t.Errorf("%d createForward POSTs after a dropped answer, want 1 (never repeated)", n)
	}
}

func TestReplyUsageErrors(t *testing.T) {
	_, env := attDemo(t)
	for _, args := range [][]string{{"reply"}, {"reply-all", "a", "b"}, {"forward", " "}, {"reply", "x", "--nope"}} {
		r := drafts(t, env, args...)
		if r.code != exitUsage || strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "drafts: ") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}
