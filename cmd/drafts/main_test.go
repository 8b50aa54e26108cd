package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// result is what one run of the command line printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// drafts runs the command line in-process with env as its environment.
func drafts(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, err: &errb}, func(k string) string { return env[k] })
	return result{code, out.String(), errb.String()}
}

// mailbox starts an emulator and returns it with the environment that
// points drafts at it.
func mailbox(t *testing.T, opts emulator.Options) (*emulator.Server, map[string]string) {
	t.Helper()
	emu := emulator.New(opts)
	base, err := emu.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	return emu, map[string]string{"DRAFTS_GRAPH_URL": base, "DRAFTS_ACCESS_TOKEN": "test-token"}
}

func TestListDemoTable(t *testing.T) {
	r := drafts(t, nil, "list", "--demo")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if !strings.HasPrefix(lines[0], "MODIFIED") || len(lines) < 13 {
		t.Fatalf("table:\n%s", r.stdout)
	}
}

func TestListJSON(t *testing.T) {
	emu, env := mailbox(t, emulator.Options{})
	emu.SeedGenerated(1500)
	r := drafts(t, env, "list", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout[:200])
	}
	if len(got) != 1500 {
		t.Fatalf("%d drafts, want 1500", len(got))
	}
	for _, k := range []string{"id", "subject", "to", "lastModified", "internetMessageId"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("field %q missing", k)
		}
	}
}

func TestListJSONEmptyMailboxIsEmptyArray(t *testing.T) {
	_, env := mailbox(t, emulator.Options{})
	r := drafts(t, env, "list", "--json")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestSendYesWaitsForSentItems(t *testing.T) {
	emu, env := mailbox(t, emulator.Options{SendDelay: 200 * time.Millisecond})
	d := emu.AddDraft(emulator.Draft{Subject: "Ship it", To: []emulator.Recipient{emulator.Addr("", "alexw@contoso.example")}})
	// Flags after the argument, and before it.
	for _, args := range [][]string{{"send", d.ID, "--yes", "--json"}} {
		r := drafts(t, env, args...)
		if r.code != exitOK {
			t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
		}
		var out sendJSON
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.Outcome != "sent" || out.SentID == "" {
			t.Fatalf("output %q (%v)", r.stdout, err)
		}
	}
	if n := emu.Count("POST", "/send"); n != 1 {
		t.Fatalf("%d POSTs", n)
	}
}

func TestSendFlagsBeforeArgument(t *testing.T) {
	emu, env := mailbox(t, emulator.Options{NoSendDelay: true})
	d := emu.AddDraft(emulator.Draft{Subject: "Ship it", To: []emulator.Recipient{emulator.Addr("", "alexw@contoso.example")}})
	r := drafts(t, env, "send", "--yes", d.ID)
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "sent: in Sent Items after") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "accepted by Outlook") {
		t.Errorf("progress missing from stderr: %q", r.stderr)
	}
}

func TestSendRefusesWithoutYesWhenNotATerminal(t *testing.T) {
	emu, env := mailbox(t, emulator.Options{})
	d := emu.AddDraft(emulator.Draft{Subject: "x", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	r := drafts(t, env, "send", d.ID)
	if r.code != exitUsage || !strings.Contains(r.stderr, "--yes") || emu.Count("POST", "/send") != 0 {
		t.Fatalf("exit %d, stderr %q, posts %d", r.code, r.stderr, emu.Count("POST", "/send"))
	}
}

func TestSendPendingExitCode(t *testing.T) {
	emu, env := mailbox(t, emulator.Options{SendDelay: time.Hour})
	d := emu.AddDraft(emulator.Draft{Subject: "slow", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	r := drafts(t, env, "send", d.ID, "--yes", "--wait", "700ms")
	if r.code != exitPending || !strings.Contains(r.stdout, "not in Sent Items yet") {
		t.Fatalf("exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestSendNoRecipientsFails(t *testing.T) {
	emu, env := mailbox(t, emulator.Options{})
	d := emu.AddDraft(emulator.Draft{Subject: "nobody"})
	r := drafts(t, env, "send", d.ID, "--yes")
	if r.code != exitFailed || !strings.Contains(r.stdout, "no valid recipient") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if len(emu.Drafts("")) != 1 {
		t.Fatal("draft lost")
	}
}

func TestSendUnknownIDFails(t *testing.T) {
	_, env := mailbox(t, emulator.Options{})
	r := drafts(t, env, "send", "AAMkAGnope", "--yes")
	if r.code != exitFailed || strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "drafts: ") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"list", "--nope"},
		{"send"},
		{"send", "a", "b", "--yes"},
		{"list", "extra"},
		{"emulator", "--drafts", "-1"},
	} {
		r := drafts(t, nil, args...)
		if r.code != exitUsage || strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "drafts: ") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

func TestNoTokenSaysWhatToDo(t *testing.T) {
	r := drafts(t, nil, "list")
	if r.code != exitFailed || !strings.Contains(r.stderr, "DRAFTS_ACCESS_TOKEN") || !strings.Contains(r.stderr, "--demo") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	const secret = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.very-secret"
	_, env := mailbox(t, emulator.Options{Token: "a-different-token"})
	env["DRAFTS_ACCESS_TOKEN"] = secret
	r := drafts(t, env, "list")
	if r.code == 0 || !strings.Contains(r.stderr, "sign in again") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, secret) || strings.Contains(r.stdout+r.stderr, "very-secret") {
		t.Fatal("token printed")
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, c := range []string{"list", "send", "emulator"} {
		r := drafts(t, nil, c, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Usage:") {
			t.Errorf("%s --help: exit %d, %q", c, r.code, r.stdout)
		}
	}
	r := drafts(t, nil, "send", "--help")
	if !strings.Contains(r.stdout, "Exit codes:") {
		t.Error("send --help does not document exit codes")
	}
}

func TestEmulatorCommandServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"emulator", "--addr", "127.0.0.1:0", "--drafts", "3"}, stdio{in: strings.NewReader(""), out: pw, err: io.Discard}, func(string) string { return "" })
		pw.Close()
	}()
	base, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	base = strings.TrimSpace(base)
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/v1.0") {
		t.Fatalf("first line %q is not a base URL", base)
	}
	go io.Copy(io.Discard, pr)
	r := drafts(t, map[string]string{"DRAFTS_GRAPH_URL": base, "DRAFTS_ACCESS_TOKEN": "x"}, "list", "--json")
	var got []any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 3 {
		t.Fatalf("listing the served emulator: %d drafts, %v", len(got), err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after Ctrl-C", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("emulator did not stop")
	}
	if _, err := http.Get(base); err == nil {
		t.Fatal("still serving after stop")
	}
}
