package main

import (
	"strings"
	"testing"
	"time"
)

// TestDemoClock: with DRAFTS_DEMO_NOW the demo's mailbox is dated from that time, so two runs
// list the same drafts with the same dates (the recorded demos depend on it); a bad value is
// exit 2.
func TestDemoClock(t *testing.T) {
	env := map[string]string{"DRAFTS_CACHE_DIR": t.TempDir(), envDemoNow: "2026-03-10T14:00:00Z"}
	first := drafts(t, env, "list", "--demo")
	second := drafts(t, env, "list", "--demo")
	if first.code != exitOK || first.stdout != second.stdout {
		t.Fatalf("exit %d; two runs differ:\n%s\n%s", first.code, first.stdout, second.stdout)
	}
	newest := time.Date(2026, 3, 10, 13, 48, 0, 0, time.UTC).In(time.Local).Format("2006-01-02 15:04")
	if !strings.Contains(first.stdout, newest) {
		t.Fatalf("the newest draft is not 12 minutes before the demo's clock:\n%s", first.stdout)
	}
	env[envDemoNow] = "yesterday"
	if r := drafts(t, env, "list", "--demo"); r.code != exitUsage || !strings.Contains(r.stderr, envDemoNow) {
		t.Fatalf("a bad clock: exit %d, %q", r.code, r.stderr)
	}
}
