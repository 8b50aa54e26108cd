package main

// The end-to-end suite of sends under faults: every way a send can go wrong, scripted in the
// Graph emulator, run through the built binary's full-screen interface in a pseudo-terminal and
// through 'drafts send --yes --json'. Each ends with exactly the right number of POSTs (1; 2
// only after a 429), a true final statement, and the draft never lost. docs/reliability.md names
// these tests; TestReliabilityDocNamesRealTests keeps it honest.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// sendFault is one scripted send and what must come of it.
type sendFault struct {
	name string
	// noRecipients makes the draft one Outlook refuses.
	noRecipients bool
	// sendDelay is how long the sent copy takes to show in Sent Items (default: at once).
	sendDelay time.Duration
	// rules are injected just before the send (their times computed then).
	rules func() []emulator.Rule
	// posts is the number of POSTs the server must see.
	posts int
	// gap is the least time between the first and the second POST (Retry-After).
	gap time.Duration
	// retryAt, if set by rules, is the earliest time the second POST may arrive.
	retryAt *time.Time
	// where the draft must end up: "drafts", "sent" or "deleted".
	where string
	// status is what the status line of the full-screen interface says at the end.
	status string
	// code, outcome and summary are what 'drafts send --yes --json' returns and prints.
	code    int
	outcome string
	summary string
}

// What a send that did not go out, and whose draft is still there, says.
const (
	stillDraft     = "Not sent: the draft is still in Drafts"
	stillDraftLong = "not sent: the draft is still in Drafts; send it again when ready (the answer to the send was unclear"
)

func onSend(f emulator.Fault) func() []emulator.Rule {
	return func() []emulator.Rule { return []emulator.Rule{{Method: "POST", Path: "/send", Times: 1, Fault: f}} }
}

func sendFaults() []sendFault {
	sent := func(f sendFault) sendFault {
		f.where, f.code, f.outcome = "sent", exitOK, "sent"
		if f.posts == 0 {
			f.posts = 1
		}
		if f.status == "" {
			f.status = "is in Sent Items after"
		}
		return f
	}
	notSent := func(f sendFault) sendFault {
		if f.where == "" {
			f.where = "drafts"
		}
		f.posts, f.code, f.outcome = 1, exitFailed, "not-sent"
		if f.noRecipients {
			f.posts = 0 // a send that cannot succeed is not made
		}
		return f
	}
	var retryAt time.Time
	return []sendFault{
		sent(sendFault{name: "202 accepted", summary: "sent: in Sent Items after"}),
		sent(sendFault{name: "202 after a slow answer (2 s)", rules: onSend(emulator.Fault{Delay: 2 * time.Second}), summary: "sent: in Sent Items after"}),
		sent(sendFault{name: "202, copy slow to show in Sent Items", sendDelay: 1500 * time.Millisecond, summary: "sent: in Sent Items after"}),
		sent(sendFault{name: "connection dropped after the send happened", rules: onSend(emulator.Fault{DropAfterAct: true}),
			summary: "sent: the copy is in Sent Items (the answer to the send was unclear"}),
		sent(sendFault{name: "connection dropped after the send, copy slow to show", sendDelay: 1500 * time.Millisecond,
			rules: onSend(emulator.Fault{DropAfterAct: true}), summary: "sent: the copy is in Sent Items (the answer to the send was unclear"}),
		notSent(sendFault{name: "connection dropped before the send happened", rules: onSend(emulator.Fault{DropBeforeAct: true}),
			status: stillDraft, summary: stillDraftLong}),
		notSent(sendFault{name: "500", rules: onSend(emulator.ServerError(500)), status: stillDraft, summary: stillDraftLong}),
		notSent(sendFault{name: "502", rules: onSend(emulator.ServerError(502)), status: stillDraft, summary: stillDraftLong}),
		notSent(sendFault{name: "503", rules: onSend(emulator.ServerError(503)), status: stillDraft, summary: stillDraftLong}),
		notSent(sendFault{name: "504", rules: onSend(emulator.ServerError(504)), status: stillDraft, summary: stillDraftLong}),
		sent(sendFault{name: "504 after the send happened", rules: onSend(emulator.Fault{Gone: emulator.GoneSent, Status: 504}),
			summary: "sent: the copy is in Sent Items (the answer to the send was unclear: Graph answered 504"}),
		sent(sendFault{name: "429 Retry-After 1.5 s, then 202", rules: onSend(emulator.Throttled("1.5")), posts: 2, gap: 1500 * time.Millisecond,
			summary: "sent: in Sent Items after"}),
		sent(sendFault{name: "429 Retry-After as an HTTP date, then 202", posts: 2, retryAt: &retryAt, summary: "sent: in Sent Items after",
			rules: func() []emulator.Rule {
				retryAt = time.Now().Add(2 * time.Second).Truncate(time.Second)
				return onSend(emulator.Throttled(emulator.RetryAfterDate(retryAt)))()
			}}),
		notSent(sendFault{name: "429 Retry-After 3600", rules: onSend(emulator.Throttled("3600")),
			status: "Not sent: Graph is throttling this mailbox: wait 1h0m0s", summary: "not sent: Graph is throttling this mailbox: wait 1h0m0s, then try again"}),
		notSent(sendFault{name: "no recipients: never posted", noRecipients: true, summary: "not sent: this draft has no recipients"}),
		notSent(sendFault{name: "403 ErrorSendAsDenied", rules: onSend(emulator.Denied("ErrorSendAsDenied")),
			status: "Not sent: you may not send as this draft's From address", summary: "not sent: you may not send as this draft's From address"}),
		notSent(sendFault{name: "403 ErrorAccessDenied", rules: onSend(emulator.Denied("ErrorAccessDenied")),
			status: "Not sent: drafts needs the Mail.Send permission", summary: "not sent: drafts needs the Mail.Send permission"}),
		notSent(sendFault{name: "403 ErrorQuotaExceeded", rules: onSend(emulator.Denied("ErrorQuotaExceeded")),
			status: "Not sent: the mailbox is over its size quota", summary: "not sent: the mailbox is over its size quota"}),
		notSent(sendFault{name: "401 expired token (not a documented refusal: looked)", rules: onSend(emulator.ExpiredToken()),
			status: stillDraft, summary: stillDraftLong}),
		notSent(sendFault{name: "409 (not a documented refusal: looked)", rules: onSend(emulator.Fault{Status: 409, Code: "ErrorIrresolvableConflict"}),
			status: stillDraft, summary: stillDraftLong}),
		notSent(sendFault{name: "400 with escape sequences in Graph's message", rules: onSend(emulator.Fault{Status: 400, Code: "ErrorWeird\x1b]0;PWNED-TITLE\x07",
			Message: "bad \x1b]52;c;UFdORUQ=\x07\x1b[2J\x1b[8mPWNED-HIDDEN request"}), status: "Not sent: Graph said 400 ErrorWeird", summary: "not sent: Graph said 400 ErrorWeird"}),
		sent(sendFault{name: "404, the draft was sent elsewhere", rules: onSend(emulator.Fault{Gone: emulator.GoneSent}),
			status: "Already sent elsewhere: ", summary: "sent: the draft had already left Drafts, and its copy is in Sent Items"}),
		notSent(sendFault{name: "404, the draft was deleted elsewhere", where: "deleted", rules: onSend(emulator.Fault{Gone: emulator.GoneDeleted}),
			status: "Not sent: this draft no longer exists in Drafts", summary: "not sent: this draft no longer exists in Drafts and has no copy in Sent Items"}),
	}
}

// addSendDraft adds the draft a case sends.
func addSendDraft(g *graphServer, f sendFault, i int) emulator.Message {
	d := emulator.Draft{Subject: fmt.Sprintf("Case %02d: %s", i, f.name)}
	if !f.noRecipients {
		d.To = []emulator.Recipient{emulator.Addr("Megan Bowen", "megan.bowen@contoso.example")}
	}
	return g.AddDraft(d)
}

// checkSendRequests checks the POSTs the server saw against the case.
func checkSendRequests(t *testing.T, g *graphServer, f sendFault) {
	t.Helper()
	recs := g.sendRecords()
	if len(recs) != f.posts {
		t.Fatalf("%d POSTs, want %d", len(recs), f.posts)
	}
	for _, r := range recs {
		if r.ContentLength != 0 || !r.Bearer {
			t.Errorf("a POST without Content-Length: 0 or token: %+v", r)
		}
	}
	if len(recs) == 2 {
		if gap := recs[1].Time.Sub(recs[0].Time); gap < f.gap {
			t.Errorf("the POST was repeated %s after the 429, before Retry-After's %s", gap, f.gap)
		}
		if f.retryAt != nil && recs[1].Time.Before(*f.retryAt) {
			t.Errorf("the POST was repeated at %s, before Retry-After's date %s", recs[1].Time, *f.retryAt)
		}
	}
}

// TestE2ESendFaultsInTheTUI sends one draft per fault through the full-screen interface (s, then
// y three times: key repeat) and reads the outcome off the screen.
func TestE2ESendFaultsInTheTUI(t *testing.T) {
	e2e(t)
	for i, f := range sendFaults() {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			g := newGraph(t, emulator.Options{SendDelay: f.sendDelay})
			d := addSendDraft(g, f, i)
			s := startTUI(t, newE2EEnv(t, g.base), 80, 24)
			s.waitFor("1 of 1", d.Subject[:8])
			if f.rules != nil {
				for _, r := range f.rules() {
					g.Inject(r)
				}
			}
			s.keys("s")
			if f.noRecipients { // the dialog offers no y: pressing it does nothing
				s.waitFor("This draft cannot be sent", "n/esc close")
				s.keys("yyy")
				s.keys("n")
				s.waitUntil("the dialog closed", func(scr string) bool { return !strings.Contains(scr, "cannot be sent") })
				checkSendRequests(t, g, f)
				return
			}
			s.waitFor("Send this draft now?")
			s.keys("yyy")
			s.waitUntil(fmt.Sprintf("the status line saying %q", f.status), func(string) bool {
				return strings.Contains(s.statusLine(), f.status)
			})
			status := s.statusLine()
			checkSendRequests(t, g, f)
			if got := g.where(d.InternetMessageID); got != f.where {
				t.Fatalf("the draft is in %q, want %q; the status says %q", got, f.where, status)
			}
			if f.where == "drafts" {
				if !strings.Contains(strings.ToLower(status), "not sent") {
					t.Errorf("the status %q does not say it was not sent", status)
				}
				if !strings.Contains(s.screen(), d.Subject[:8]) {
					t.Errorf("the draft left the list:\n%s", s.screen())
				}
			}
			if f.where == "sent" {
				s.waitFor("No drafts") // the list was refreshed: the draft left it
			}
			s.quit()
			if g.posts() != f.posts {
				t.Fatalf("%d POSTs after quitting, want %d", g.posts(), f.posts)
			}
		})
	}
}

// TestE2ESendFaultsOnTheCommandLine sends one draft per fault with 'drafts send ID --yes --json'.
func TestE2ESendFaultsOnTheCommandLine(t *testing.T) {
	e2e(t)
	for i, f := range sendFaults() {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			g := newGraph(t, emulator.Options{SendDelay: f.sendDelay})
			d := addSendDraft(g, f, i)
			env := newE2EEnv(t, g.base)
			if f.rules != nil {
				for _, r := range f.rules() {
					g.Inject(r)
				}
			}
			r := cli(t, env, "send", d.ID, "--yes", "--json", "--wait", "20s")
			var out sendJSON
			if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
				t.Fatalf("exit %d, stdout %q is not JSON (%v); stderr %q", r.code, r.stdout, err, r.stderr)
			}
			if r.code != f.code || out.Outcome != f.outcome || !strings.Contains(out.Summary, f.summary) || out.ID != d.ID {
				t.Fatalf("exit %d, %+v; want exit %d, outcome %s, summary with %q", r.code, out, f.code, f.outcome, f.summary)
			}
			// Anything but a send that went through says so on stderr too, in one line.
			if said := strings.Contains(r.stderr, "drafts: "+out.Summary); said != (out.Outcome != "sent") {
				t.Errorf("outcome %s, and stderr says it %v: %q", out.Outcome, said, r.stderr)
			}
			checkSendRequests(t, g, f)
			if got := g.where(d.InternetMessageID); got != f.where {
				t.Fatalf("the draft is in %q, want %q", got, f.where)
			}
			if (out.SentID != "") != (f.where == "sent") {
				t.Errorf("sentId %q for a draft now in %s", out.SentID, f.where)
			}
			// A settled send leaves nothing in the journal.
			if _, err := os.Stat(filepath.Join(env.cacheDir, "sends.json")); !os.IsNotExist(err) {
				t.Errorf("the send journal was not cleared after a settled send: %v", err)
			}
		})
	}
}

// TestE2ESendCommandTextOutput checks the words of 'drafts send' without --json: progress on
// stderr, the outcome as one line on stdout.
func TestE2ESendCommandTextOutput(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	d := g.AddDraft(emulator.Draft{Subject: "Plain", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	g.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Fault{DropAfterAct: true}})
	r := cli(t, newE2EEnv(t, g.base), "send", d.ID, "--yes")
	if r.code != exitOK || strings.Count(r.stdout, "\n") != 1 || !strings.HasPrefix(r.stdout, "sent: ") {
		t.Fatalf("exit %d, stdout %q", r.code, r.stdout)
	}
	for _, want := range []string{"sending…", "the answer was unclear", "looking in Sent Items and Drafts"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q: %q", want, r.stderr)
		}
	}
	if g.posts() != 1 {
		t.Fatalf("%d POSTs", g.posts())
	}
}

// TestE2ESendKeyIsDeadWhileInFlight holds the POST in the server while s and y are pressed
// again and again, and q asks before quitting; one POST goes out.
func TestE2ESendKeyIsDeadWhileInFlight(t *testing.T) {
	e2e(t)
	g := newGraph(t, emulator.Options{})
	d := g.AddDraft(emulator.Draft{Subject: "Only once", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	hold := make(chan struct{})
	g.Inject(emulator.Rule{Method: "POST", Path: "/send", Fault: emulator.Fault{Hold: hold}})
	s := startTUI(t, newE2EEnv(t, g.base), 80, 24)
	s.waitFor("1 of 1")
	s.keys("s")
	s.waitFor("Send this draft now?")
	s.keys("y")
	s.waitFor("Sending “Only once”")
	for i := 0; i < 5; i++ {
		s.keys("sy")
	}
	// Keys are handled in order: once help shows, every s and y before it was handled.
	s.keys("?")
	if scr := s.waitFor("Keys"); strings.Contains(scr, "Send this draft now?") {
		t.Fatalf("the send dialog opened again while the send was in flight:\n%s", scr)
	}
	s.keys("?")
	s.waitFor("1 of 1")
	s.keys("q")
	s.waitFor("y quit")
	s.keys("n")
	if n := g.posts(); n != 1 {
		t.Fatalf("%d POSTs while the first was in flight", n)
	}
	close(hold)
	s.waitFor("is in Sent Items after")
	s.quit()
	if n := g.posts(); n != 1 || g.where(d.InternetMessageID) != "sent" {
		t.Fatalf("%d POSTs, draft in %s", n, g.where(d.InternetMessageID))
	}
}
