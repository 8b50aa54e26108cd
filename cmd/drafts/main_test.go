package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/graph/emulator"
)

// result is what one run of the command line printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// drafts runs the command line in-process with env as its environment and
// an empty standard input that is not a terminal.
func drafts(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	return runWith(context.Background(), stdio{in: strings.NewReader("")}, env, args...)
}

// onTerminal runs the command line as if typed on a terminal, with input
// as what the user types.
func onTerminal(t *testing.T, env map[string]string, input string, args ...string) result {
	t.Helper()
	return runWith(context.Background(), stdio{in: strings.NewReader(input), inTTY: true}, env, args...)
}

func runWith(ctx context.Context, s stdio, env map[string]string, args ...string) result {
	var out, errb bytes.Buffer
	s.out, s.err = &out, &errb
	code := run(ctx, args, s, func(k string) string { return env[k] })
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
	return emu, map[string]string{"DRAFTS_GRAPH_URL": base, "DRAFTS_ACCESS_TOKEN": "test-token", "DRAFTS_CACHE_DIR": t.TempDir()}
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
	if r.code != exitFailed || !strings.Contains(r.stdout, "not sent: this draft has no recipients") || emu.Count("POST", "/send") != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q, %d POSTs", r.code, r.stdout, r.stderr, emu.Count("POST", "/send"))
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
		{"send", "a", "b", "--at", "in 2h", "--yes"},
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
	root := (&app{}).rootCmd()
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			if sub.Name() != "help" {
				walk(sub, append(append([]string(nil), path...), sub.Name()))
			}
		}
	}
	walk(root, nil)
	if len(paths) < 9 {
		t.Fatalf("only %d commands found: %v", len(paths), paths)
	}
	for _, p := range paths {
		for _, args := range [][]string{append(append([]string(nil), p...), "--help"), append([]string{"--help"}, p...)} {
			r := drafts(t, nil, args...)
			if r.code != 0 || !strings.Contains(r.stdout, "Usage:") || r.stderr != "" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
			}
		}
	}
	for _, c := range []string{"", "send"} {
		r := drafts(t, nil, strings.Fields(c+" --help")...)
		for _, code := range []string{"Exit codes:", "0  success", "1  failure", "2  bad flags", "3  send accepted", "4  send outcome unknown"} {
			if !strings.Contains(r.stdout, code) {
				t.Errorf("drafts %s --help does not document %q", c, code)
			}
		}
	}
}

func TestUnknownCommandSuggestsOne(t *testing.T) {
	for args, want := range map[string]string{"lsit": `did you mean "list"?`, "config inti": `did you mean "init"?`, "status extra": "takes no arguments"} {
		r := drafts(t, nil, strings.Fields(args)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "--help") || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

func TestSendAsksOnATerminal(t *testing.T) {
	for _, tc := range []struct {
		input string
		sent  bool
	}{
		{"y\n", true},
		{"YES\n", true},
		{"n\n", false},
		{"\n", false},
		{"", false},        // end of input
		{"no\ny\n", false}, // only one line is read
		{"yep\n", false},   // only y or yes
	} {
		emu, env := mailbox(t, emulator.Options{NoSendDelay: true})
		d := emu.AddDraft(emulator.Draft{Subject: "Quarterly numbers", To: []emulator.Recipient{emulator.Addr("Alex", "alexw@contoso.example")}})
		r := onTerminal(t, env, tc.input, "send", d.ID)
		posts := emu.Count("POST", "/send")
		if !strings.Contains(r.stderr, "Subject: Quarterly numbers") || !strings.Contains(r.stderr, "alexw@contoso.example") || !strings.Contains(r.stderr, "Send it now? [y/N]") {
			t.Errorf("%q: the question does not show the draft: %q", tc.input, r.stderr)
		}
		switch {
		case tc.sent && (r.code != exitOK || posts != 1):
			t.Errorf("%q: exit %d, %d POSTs; want sent", tc.input, r.code, posts)
		case !tc.sent && (r.code != exitFailed || posts != 0 || !strings.Contains(r.stderr, "not sent")):
			t.Errorf("%q: exit %d, %d POSTs, stderr %q; want not sent", tc.input, r.code, posts, r.stderr)
		}
	}
}

func TestSendQuestionEndsOnCtrlC(t *testing.T) {
	emu, env := mailbox(t, emulator.Options{NoSendDelay: true})
	d := emu.AddDraft(emulator.Draft{Subject: "x", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	pr, pw := io.Pipe() // a terminal nobody types on
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- runWith(ctx, stdio{in: pr, inTTY: true}, env, "send", d.ID) }()
	for emu.Count("GET", d.ID) == 0 { // the draft is fetched just before the question
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case r := <-done:
		if r.code != exitCanceled || emu.Count("POST", "/send") != 0 || !strings.Contains(r.stderr, "interrupted") {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Ctrl-C did not end the question")
	}
}

// servedEmulator is 'drafts emulator ARGS' run in this process.
type servedEmulator struct {
	cancel context.CancelFunc
	done   chan int
	once   sync.Once
	code   int
}

// serveEmulator starts 'drafts emulator ARGS' and returns it with the first n lines it printed
// (the base URL, then with --tls the CA file), trimmed; what it prints after is read and dropped.
// It is stopped when the test ends, if not before.
func serveEmulator(t *testing.T, n int, args ...string) (*servedEmulator, []string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	e := &servedEmulator{cancel: cancel, done: make(chan int, 1)}
	go func() {
		e.done <- run(ctx, append([]string{"emulator"}, args...), stdio{in: strings.NewReader(""), out: pw, err: io.Discard}, func(string) string { return "" })
		pw.Close()
	}()
	t.Cleanup(func() { e.stop() })
	rd := bufio.NewReader(pr)
	lines := make([]string, n)
	for i := range lines {
		l, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		lines[i] = strings.TrimSpace(l)
	}
	go io.Copy(io.Discard, rd)
	return e, lines
}

// stop ends the emulator as Ctrl-C does and returns its exit code (-1 if it did not stop).
func (e *servedEmulator) stop() int {
	e.once.Do(func() {
		e.cancel()
		select {
		case e.code = <-e.done:
		case <-time.After(10 * time.Second):
			e.code = -1
		}
	})
	return e.code
}

func TestEmulatorCommandServesAndStops(t *testing.T) {
	emu, lines := serveEmulator(t, 1, "--addr", "127.0.0.1:0", "--drafts", "3")
	base := lines[0]
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/v1.0") {
		t.Fatalf("first line %q is not a base URL", base)
	}
	r := drafts(t, map[string]string{"DRAFTS_GRAPH_URL": base, "DRAFTS_ACCESS_TOKEN": "x", "DRAFTS_CACHE_DIR": t.TempDir()}, "list", "--json")
	var got []any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 3 {
		t.Fatalf("listing the served emulator: %d drafts, %v", len(got), err)
	}
	if code := emu.stop(); code != 0 {
		t.Fatalf("exit %d after Ctrl-C (-1: it did not stop)", code)
	}
	if _, err := http.Get(base); err == nil {
		t.Fatal("still serving after stop")
	}
}

// TestSendWithoutHomeKeepsAJournalAndSaysWhere: with no HOME and no DRAFTS_CACHE_DIR, a send is
// still journaled (in a private directory of the temporary directory) and a note says where;
// never an unjournaled send without a word.
func TestSendWithoutHomeKeepsAJournalAndSaysWhere(t *testing.T) {
	emu, env := mailbox(t, emulator.Options{NoSendDelay: true})
	delete(env, "DRAFTS_CACHE_DIR")
	tmp := t.TempDir()
	env["TMPDIR"] = tmp
	d := emu.AddDraft(emulator.Draft{Subject: "no home", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	r := drafts(t, env, "send", d.ID, "--yes")
	dir := filepath.Join(tmp, fmt.Sprintf("drafts-%d", os.Getuid()))
	if r.code != exitOK || !strings.Contains(r.stderr, "the send journal is kept in "+dir) {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if fi, err := os.Stat(dir); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
		t.Fatalf("journal directory %s: %v %v", dir, fi, err)
	}
	// A place that is not private is refused: nothing is sent without its record.
	other := t.TempDir()
	env["TMPDIR"] = other
	bad := filepath.Join(other, fmt.Sprintf("drafts-%d", os.Getuid()))
	if err := os.Symlink(t.TempDir(), bad); err != nil {
		t.Fatal(err)
	}
	d2 := emu.AddDraft(emulator.Draft{Subject: "linked", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	r = drafts(t, env, "send", d2.ID, "--yes")
	if r.code != exitFailed || emu.Count("POST", "/send") != 1 || !strings.Contains(r.stdout, "could not be recorded") {
		t.Fatalf("a linked journal directory: exit %d, %d POSTs, stdout %q", r.code, emu.Count("POST", "/send"), r.stdout)
	}
}

// TestVersionAndCompletion: drafts --version names the version; drafts completion writes a
// script for each shell Cobra knows.
func TestVersionAndCompletion(t *testing.T) {
	r := drafts(t, nil, "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "drafts ") || !strings.Contains(r.stdout, "go1.") {
		t.Fatalf("--version: exit %d, %q", r.code, r.stdout)
	}
	for shell, want := range map[string]string{"bash": "bash completion", "zsh": "#compdef drafts", "fish": "complete -c drafts", "powershell": "Register-ArgumentCompleter"} {
		r := drafts(t, nil, "completion", shell)
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("completion %s: exit %d, %.80q", shell, r.code, r.stdout)
		}
	}
}

// Completion never offers file names where a draft's id belongs; attach's files after its ID
// complete as files.
func TestCompletionOffersNoFilesForIDs(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "send", ""}, ":4"},         // ShellCompDirectiveNoFileComp
		{[]string{"__complete", "edit", ""}, ":4"},         //
		{[]string{"__complete", "attach", ""}, ":4"},       // the ID
		{[]string{"__complete", "attach", "ID", ""}, ":0"}, // the FILEs: ShellCompDirectiveDefault
	} {
		r := drafts(t, nil, c.args...)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if r.code != 0 || len(lines) == 0 || lines[len(lines)-1] != c.want {
			t.Errorf("%v: exit %d, %q, want the directive %s", c.args, r.code, r.stdout, c.want)
		}
	}
}

// TestEmulatorLatencyDelaysEveryAnswer: --latency D holds each answer at least D (a lower
// bound: a slow machine only makes it longer); a negative one is a usage error.
func TestEmulatorLatencyDelaysEveryAnswer(t *testing.T) {
	if r := drafts(t, map[string]string{}, "emulator", "--latency", "-1s"); r.code != exitUsage {
		t.Fatalf("--latency -1s: exit %d", r.code)
	}
	_, lines := serveEmulator(t, 1, "--addr", "127.0.0.1:0", "--drafts", "1", "--latency", "300ms")
	base := lines[0]
	req, _ := http.NewRequest("GET", base+"/me/mailFolders/drafts/messages?$top=1", nil)
	req.Header.Set("Authorization", "Bearer x")
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if took := time.Since(start); res.StatusCode != 200 || took < 300*time.Millisecond {
		t.Fatalf("status %d after %v, want 200 after at least 300ms", res.StatusCode, took)
	}
}

func TestTokenSubject(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for tok, want := range map[string]string{
		enc(`{}`) + "." + enc(`{"tid":"T","oid":"O1"}`) + ".sig":             "T/o1",
		enc(`{}`) + "." + enc(`{"tid":"T","upn":"Adele@Contoso.com"}`) + ".": "T/adele@contoso.com",
		"opaque-token": "",
		"a.b":          "",
		enc(`{}`) + "." + enc(`not json`) + ".sig":    "",
		enc(`{}`) + "." + enc(`{"tid":"T"}`) + ".sig": "",
	} {
		if got := tokenSubject(tok); got != want {
			t.Errorf("tokenSubject(%q) = %q, want %q", tok, got, want)
		}
	}
}

// A shell completion knows four shells; another word is exit 2 with one line, and nothing on
// stdout for a script to save as a completion script.
func TestCompletionOfAnUnknownShellIsAUsageError(t *testing.T) {
	for _, args := range [][]string{{"completion", "tcsh"}, {"completion"}} {
		r := drafts(t, map[string]string{}, args...)
		if r.code != exitUsage || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := drafts(t, map[string]string{}, "completion", "bash"); r.code != 0 || !strings.Contains(r.stdout, "bash completion") {
		t.Errorf("completion bash: exit %d", r.code)
	}
}

// 'drafts emulator --faults': a fault scripted over HTTP reaches a client of the emulator (here
// drafts itself): a send refused as Graph refuses one.
func TestEmulatorFaultsOverHTTP(t *testing.T) {
	_, lines := serveEmulator(t, 1, "--addr", "127.0.0.1:0", "--faults")
	base := lines[0]
	rule := `{"method":"POST","path":"/send","times":1,"fault":{"status":403,"code":"ErrorSendAsDenied"}}`
	res, err := http.Post(strings.TrimSuffix(base, "/v1.0")+"/_emulator/faults", "application/json", strings.NewReader(rule))
	if err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("posting the rule: %v %v", res, err)
	}
	res.Body.Close()
	env := map[string]string{"DRAFTS_GRAPH_URL": base, "DRAFTS_ACCESS_TOKEN": "x", "HOME": t.TempDir()}
	list := drafts(t, env, "list", "--json")
	var ds []struct{ ID, Subject string }
	if err := json.Unmarshal([]byte(list.stdout), &ds); err != nil || len(ds) == 0 {
		t.Fatalf("list: %v %q", err, list.stdout)
	}
	r := drafts(t, env, "send", ds[0].ID, "--yes")
	if r.code != exitFailed || !strings.Contains(r.stdout+r.stderr, "not sent") {
		t.Fatalf("send with the fault: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
