package main

import (
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/config/fakeidp"
	"github.com/draftsmail/drafts/graph/emulator"
)

// signInScreenSetup is a signed-out user with a client id, a fake identity
// provider that answers device-code polls every second, and a mailbox.
func signInScreenSetup(t *testing.T, script ...fakeidp.Outcome) (map[string]string, *fakeidp.IdP) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end; skipped with -short")
	}
	idp := useFakeIdP(t)
	idp.PollInterval = 1
	idp.Script(script...)
	env := signInEnv(t)
	env["HOME"] = t.TempDir()
	g := emulator.New(emulator.Options{})
	g.SeedDemo()
	base, err := g.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Close() })
	env["DRAFTS_GRAPH_URL"] = base
	return env, idp
}

// TestTUISignsInOnScreenThenShowsTheDrafts: 'drafts' with nobody signed in
// shows the device code itself, and goes on to the drafts once the user
// has signed in, with the account cached for the next run.
func TestTUISignsInOnScreenThenShowsTheDrafts(t *testing.T) {
	env, idp := signInScreenSetup(t, fakeidp.Pending, fakeidp.Success)
	s := startInProcess(t, env, 80, 24)
	s.waitFor("Sign in to Microsoft 365", "https://microsoft.com/devicelogin", "FAKE-CODE", "more.")
	s.waitFor(demoListed)
	s.quit()
	if _, codes, _ := idp.Counts(); codes != 1 {
		t.Fatalf("%d device codes asked for, want 1", codes)
	}
	if r := drafts(t, env, "status"); !strings.Contains(r.stdout, fakeidp.DefaultUser.Username) {
		t.Fatalf("the sign-in was not kept:\n%s", r.stdout)
	}
}

// TestTUISignInCancelled: q on the sign-in screen leaves with one line and
// exit code 1, and nothing is cached.
func TestTUISignInCancelled(t *testing.T) {
	env, _ := signInScreenSetup(t, fakeidp.Pending)
	s := startInProcess(t, env, 80, 24)
	s.waitFor("FAKE-CODE")
	s.keys("q")
	if code := s.waitExit(); code != exitFailed {
		t.Fatalf("exit %d, want %d", code, exitFailed)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(string(s.rawBytes()), "sign-in cancelled") {
		if time.Now().After(deadline) {
			t.Fatalf("no line says the sign-in was cancelled:\n%s", s.screen())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if r := drafts(t, env, "status"); strings.Contains(r.stdout, fakeidp.DefaultUser.Username) {
		t.Fatalf("an account was cached after a cancelled sign-in:\n%s", r.stdout)
	}
}
