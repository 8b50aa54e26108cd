package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestBadGraphURLIsABadSetting: a Graph URL no request could use is exit 2, like every other bad
// setting, from the flag or the environment, with nothing on stdout; one without /v1.0 or /beta
// names the fix.
func TestBadGraphURLIsABadSetting(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"flag, not a URL", nil, []string{"--graph-url", "ftp://x", "list"}, "--graph-url"},
		{"environment, not a URL", map[string]string{"DRAFTS_GRAPH_URL": "notaurl"}, []string{"list"}, "DRAFTS_GRAPH_URL"},
		{"plain http to a remote host", nil, []string{"--graph-url", "http://graph.microsoft.com/v1.0", "list"}, "plain http"},
		{"no version", nil, []string{"--graph-url", "https://graph.microsoft.com", "list"}, "end it with /v1.0 (or /beta), like https://graph.microsoft.com/v1.0"},
		{"no version, trailing slash", map[string]string{"DRAFTS_GRAPH_URL": "https://graph.microsoft.us/"}, []string{"send", "x", "--yes"}, "/v1.0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{"DRAFTS_ACCESS_TOKEN": "x", "DRAFTS_CACHE_DIR": t.TempDir()}
			for k, v := range c.env {
				env[k] = v
			}
			r := drafts(t, env, c.args...)
			if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d naming %q", r.code, r.stdout, r.stderr, exitUsage, c.want)
			}
		})
	}
	for _, ok := range []string{"https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/beta/", "https://graph.microsoft.us/v1.0"} {
		if r := drafts(t, map[string]string{"DRAFTS_CACHE_DIR": t.TempDir()}, "--graph-url", ok, "status"); r.code != exitOK {
			t.Errorf("%s refused: exit %d, %s", ok, r.code, r.stderr)
		}
	}
}

// TestSendUndoHasUndoSendsLimit: --undo takes what the setting undo_send takes, at most 2m.
func TestSendUndoHasUndoSendsLimit(t *testing.T) {
	_, env := mailbox(t, emulator.Options{})
	r := drafts(t, env, "send", "some-id", "--yes", "--undo", "2m1s")
	if r.code != exitUsage || !strings.Contains(r.stderr, "2m0s") {
		t.Fatalf("--undo 2m1s: exit %d, %q", r.code, r.stderr)
	}
}

// TestStatusDemoShowsTheEmulator: with --demo, status names the emulator and the demo mailbox,
// not a Graph URL the demo never uses.
func TestStatusDemoShowsTheEmulator(t *testing.T) {
	r := drafts(t, map[string]string{"DRAFTS_CACHE_DIR": t.TempDir(), "DRAFTS_GRAPH_URL": "https://graph.microsoft.us/v1.0"}, "status", "--demo")
	if r.code != exitOK || !strings.Contains(r.stdout, "graph url:    http://127.0.0.1:") || !strings.Contains(r.stdout, "emulator") ||
		!strings.Contains(r.stdout, "mailbox:      adele.vance@contoso.example") {
		t.Fatalf("exit %d:\n%s", r.code, r.stdout)
	}
}

// TestSendJSONHasAHintInEveryFailure: a script asking for --json gets one JSON outcome with a
// hint whatever goes wrong: a malformed id, an id no draft has, a draft Graph refuses (400).
func TestSendJSONHasAHintInEveryFailure(t *testing.T) {
	emu, env := mailbox(t, emulator.Options{})
	nobody := emu.AddDraft(emulator.Draft{Subject: "nobody"})
	cases := []struct{ id, hint string }{
		{"NOPE", "'drafts list --json' gives the ids"},
		{"AAMkAGnope", "'drafts list --json' gives the ids"},
		{nobody.ID, "the draft is unchanged"},
	}
	for _, c := range cases {
		r := drafts(t, env, "send", c.id, "--yes", "--json")
		var out sendJSON
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || strings.Count(r.stdout, "\n") != 1 {
			t.Fatalf("%s: stdout %q is not one JSON line: %v", c.id, r.stdout, err)
		}
		if r.code != exitFailed || out.Outcome != "not-sent" || !strings.Contains(out.Hint, c.hint) {
			t.Errorf("%s: exit %d, outcome %q, hint %q; want a hint with %q", c.id, r.code, out.Outcome, out.Hint, c.hint)
		}
	}
	if sendHint("sent", nil) != "" || sendHint("scheduled", nil) != "" || !strings.Contains(sendHint("unknown", nil), "Sent Items") {
		t.Error("hints for sent, scheduled or unknown are wrong")
	}
}

// TestManPage: 'drafts man' prints a roff man page made from the commands' help: every
// command, the exit codes, nothing on stderr.
func TestManPage(t *testing.T) {
	r := drafts(t, map[string]string{}, "man")
	if r.code != exitOK || r.stderr != "" || !strings.HasPrefix(r.stdout, ".TH DRAFTS 1 ") {
		t.Fatalf("exit %d, stderr %q, start %q", r.code, r.stderr, r.stdout[:min(len(r.stdout), 40)])
	}
	for _, want := range []string{".SH NAME", ".SH SYNOPSIS", ".SH COMMANDS", `\fBsend\fP`, `\fBlist\fP`, `\fBcompletion\fP`, "Exit codes", "DRAFTS_ACCESS_TOKEN"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the man page has no %q", want)
		}
	}
	if r := drafts(t, map[string]string{}, "man", "extra"); r.code != exitUsage {
		t.Errorf("drafts man extra: exit %d", r.code)
	}
}

// TestManPageReadsAsText: the man page keeps the help's sentences whole (no paragraph per line),
// a line starting with ' is text (roff would drop it), and the header fits.
func TestManPageReadsAsText(t *testing.T) {
	in := ".TH DRAFTS 1 \"d\" \"drafts\" \"A long description\"\n.SH X\nfirst half,\n.PP\nsecond half.\n.PP\n.PP\n  drafts --demo\n.PP\nnext\n.PP\n'quoted' word\n"
	want := ".TH DRAFTS 1 \"d\" \"drafts\" \"User Commands\"\n.SH X\nfirst half,\nsecond half.\n.PP\n  drafts --demo\n.br\nnext\n\\&'quoted' word\n"
	if got := tidyRoff(in); got != want {
		t.Fatalf("tidyRoff:\n%s\nwant\n%s", got, want)
	}
	r := drafts(t, map[string]string{}, "man")
	if strings.Contains(r.stdout, "\n'") || strings.Contains(r.stdout, ".PP\n.PP") {
		t.Errorf("the man page has a line roff drops, or an empty paragraph")
	}
}
