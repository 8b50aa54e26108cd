package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
	"github.com/draftsmail/drafts/graph/sending"
)

// manyDrafts are n sendable drafts in a fresh mailbox, by id.
func manyDrafts(t *testing.T, n int) (*emulator.Server, map[string]string, []string) {
	t.Helper()
	emu, env := mailbox(t, emulator.Options{NoSendDelay: true})
	var ids []string
	for i := range n {
		d := emu.AddDraft(emulator.Draft{Subject: "Batch " + string(rune('A'+i)), Body: "Hello.",
			To: []emulator.Recipient{emulator.Addr("Megan Bowen", "megan.bowen@contoso.example")}})
		ids = append(ids, d.ID)
	}
	return emu, env, ids
}

// TestSendManyJSONLines: several ids send each draft once, a JSON outcome per draft (also for
// an id that is no draft), the POSTs a Pace apart, and the weightiest exit code.
func TestSendManyJSONLines(t *testing.T) {
	t.Parallel()
	emu, env, ids := manyDrafts(t, 3)
	args := []string{"send", ids[0], ids[1], "AAMkNoSuchDraft", ids[2], ids[0], "--yes", "--json"}
	r := drafts(t, env, args...)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 4 {
		t.Fatalf("want 4 JSON lines (3 drafts, 1 bad id; the repeated id once), got %d:\n%s\nstderr:\n%s", len(lines), r.stdout, r.stderr)
	}
	outcomes := map[string]string{}
	for _, l := range lines {
		var o sendJSON
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("not JSON: %q (%v)", l, err)
		}
		outcomes[o.ID] = o.Outcome
	}
	for _, id := range ids {
		if outcomes[id] != "sent" {
			t.Errorf("%s: %q, want sent", id, outcomes[id])
		}
	}
	if outcomes["AAMkNoSuchDraft"] != "not-sent" || r.code != exitFailed {
		t.Errorf("the bad id: %q, exit %d; want not-sent and exit %d", outcomes["AAMkNoSuchDraft"], r.code, exitFailed)
	}
	if strings.Contains(r.stderr, "\":\n") { // a draft's heading ("Subject":) with no warning under it
		t.Errorf("stderr names drafts with nothing to say about them:\n%s", r.stderr)
	}
	var posts []time.Time
	for _, rec := range emu.Requests() {
		if rec.Method == "POST" && strings.HasSuffix(rec.Path, "/send") {
			posts = append(posts, rec.Time)
		}
	}
	if len(posts) != 3 {
		t.Fatalf("%d POSTs, want 3", len(posts))
	}
	// Each POST has its slot, a Pace after the one before; a loaded machine may run one
	// request late (see TestE2EFiveMarkedDraftsFiveSends), so a second apart at least.
	for i := 1; i < len(posts); i++ {
		if gap := posts[i].Sub(posts[i-1]); gap < time.Second {
			t.Errorf("POSTs %d and %d are %v apart, under the pace of %v", i, i+1, gap, sending.Pace)
		}
	}
}

// TestSendManyAsksOnce: on a terminal one question covers every draft, and no sends nothing.
func TestSendManyAsksOnce(t *testing.T) {
	t.Parallel()
	emu, env, ids := manyDrafts(t, 2)
	r := onTerminal(t, env, "n\n", "send", ids[0], ids[1])
	if strings.Count(r.stderr, "[y/N]") != 1 || !strings.Contains(r.stderr, "Send these 2 drafts now") ||
		!strings.Contains(r.stderr, "1. Subject: Batch A") || !strings.Contains(r.stderr, "2. Subject: Batch B") {
		t.Fatalf("the question:\n%s", r.stderr)
	}
	if r.code != exitFailed || emu.Count("POST", "/send") != 0 {
		t.Fatalf("exit %d, %d POSTs: answered n", r.code, emu.Count("POST", "/send"))
	}
}

func TestSendManyRefusesAt(t *testing.T) {
	t.Parallel()
	_, env, ids := manyDrafts(t, 2)
	r := drafts(t, env, "send", ids[0], ids[1], "--at", "in 2h", "--yes")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--at sends one draft later") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
}

// With --json every way a send ends gives each id a JSON outcome: a bad flag, no --yes off a
// terminal, a bad setting.
func TestSendJSONEvenWhenItEndsBeforeTheSend(t *testing.T) {
	t.Parallel()
	_, env, ids := manyDrafts(t, 2)
	for name, tc := range map[string]struct {
		args  []string
		env   map[string]string
		code  int
		lines int // one per id
	}{
		"bad --undo":   {[]string{"send", ids[0], ids[1], "--json", "--yes", "--undo", "-1s"}, env, exitUsage, 2},
		"no --yes":     {[]string{"send", ids[0], "--json"}, env, exitUsage, 1},
		"bad setting":  {[]string{"send", ids[0], "--json", "--yes"}, map[string]string{"DRAFTS_SEND_WAIT": "soon", "DRAFTS_ACCESS_TOKEN": "x"}, exitUsage, 1},
		"unknown flag": {[]string{"send", ids[0], ids[1], "--json", "--bogus"}, env, exitUsage, 2},
		"bad value":    {[]string{"send", "--wait", "soon", ids[0], "--json"}, env, exitUsage, 1},
	} {
		r := drafts(t, tc.env, tc.args...)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if r.code != tc.code || len(lines) != tc.lines {
			t.Errorf("%s: exit %d, stdout %q", name, r.code, r.stdout)
			continue
		}
		for _, l := range lines {
			var o sendJSON
			if err := json.Unmarshal([]byte(l), &o); err != nil || o.Outcome != "not-sent" || o.Error == "" {
				t.Errorf("%s: %q is not a not-sent outcome with its reason (%v)", name, l, err)
			}
		}
	}
}

// Hints say what a script should do: an answer no or an undo is nothing to fix; a draft that is
// gone has no id to send again.
func TestSendJSONHints(t *testing.T) {
	t.Parallel()
	emu, env, ids := manyDrafts(t, 3)
	if err := emu.DeleteElsewhere("", ids[1]); err != nil {
		t.Fatal(err)
	}
	r := drafts(t, env, "send", ids[0], ids[1], "--yes", "--json", "--wait", "0")
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var o sendJSON
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		if o.ID == ids[1] && !strings.Contains(o.Hint, "no draft has this id") {
			t.Errorf("a draft gone: hint %q", o.Hint)
		}
	}
	r = onTerminal(t, env, "n\n", "send", ids[2], "--json")
	var o sendJSON
	if err := json.Unmarshal([]byte(strings.TrimSpace(r.stdout)), &o); err != nil || o.Outcome != "not-sent" ||
		!strings.Contains(o.Error, "you answered no") || strings.Contains(o.Summary, "not sent: not sent") || !strings.Contains(o.Hint, "send it again when ready") {
		t.Fatalf("answered no: %q (%v)", r.stdout, err)
	}
}

// rm --json gives an outcome however it ends.
func TestRmJSONWhenItFails(t *testing.T) {
	t.Parallel()
	_, env, _ := manyDrafts(t, 1)
	r := drafts(t, env, "rm", "AAMkNoSuchDraft", "--yes", "--json")
	var o struct{ ID, Outcome, Error string }
	if err := json.Unmarshal([]byte(strings.TrimSpace(r.stdout)), &o); err != nil || o.Outcome != "not-discarded" || o.Error == "" || r.code != exitFailed {
		t.Fatalf("exit %d, stdout %q (%v)", r.code, r.stdout, err)
	}
}

// The same id given twice is sent once, and standard error says so; the question is then about
// one draft.
func TestSendManyNamesARepeatedID(t *testing.T) {
	t.Parallel()
	emu, env, ids := manyDrafts(t, 1)
	r := onTerminal(t, env, "n\n", "send", ids[0], ids[0], ids[0])
	if strings.Count(r.stderr, "is given more than once; it counts once") != 1 || !strings.Contains(r.stderr, "Send this draft now? [y/N]") {
		t.Fatalf("stderr:\n%s", r.stderr)
	}
	if r.code != exitFailed || emu.Count("POST", "/send") != 0 {
		t.Fatalf("exit %d, %d POSTs: answered n", r.code, emu.Count("POST", "/send"))
	}
}

// A subject is named whole up to 80 characters, then cut.
func TestShortSubject(t *testing.T) {
	if got := shortSubject(strings.Repeat("é", 80)); got != strings.Repeat("é", 80) {
		t.Fatalf("80: %q", got)
	}
	if got := shortSubject(strings.Repeat("x", 100_000)); got != strings.Repeat("x", 79)+"…" {
		t.Fatalf("100,000: %d runes", len([]rune(got)))
	}
	if got := shortSubject(" "); got != graph.NoSubject {
		t.Fatalf("blank: %q", got)
	}
}
