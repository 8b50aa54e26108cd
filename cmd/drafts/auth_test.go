package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/config"
	"github.com/draftsmail/drafts/config/fakeidp"
	"github.com/draftsmail/drafts/graph/emulator"
)

const testClientID = "11111111-2222-3333-4444-555555555555"

// useFakeIdP points sign-in at a fake identity provider for one test.
func useFakeIdP(t *testing.T) *fakeidp.IdP {
	t.Helper()
	idp := fakeidp.New(t)
	signInOptions = config.SignInOptions{HTTPClient: idp.Client(), AuthorityURL: idp.URL()}
	t.Cleanup(func() { signInOptions = config.SignInOptions{} })
	return idp
}

// signInEnv is an environment with a client id and a private cache dir.
func signInEnv(t *testing.T) map[string]string {
	return map[string]string{
		config.EnvClientID:   testClientID,
		config.EnvCacheDir:   filepath.Join(t.TempDir(), "cache"),
		config.EnvTokenStore: "file",
	}
}

// graphFor starts an emulator that accepts only token, and points env at it.
func graphFor(t *testing.T, env map[string]string, token string) *emulator.Server {
	t.Helper()
	emu := emulator.New(emulator.Options{Token: token})
	emu.AddDraft(emulator.Draft{Subject: "hello", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	base, err := emu.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	env["DRAFTS_GRAPH_URL"] = base
	return emu
}

func noSecrets(t *testing.T, idp *fakeidp.IdP, rs ...result) {
	t.Helper()
	for _, r := range rs {
		for _, s := range idp.Secrets() {
			if strings.Contains(r.stdout+r.stderr, s) {
				t.Fatalf("a token appears in the output:\n%s\n%s", r.stdout, r.stderr)
			}
		}
	}
}

func TestLoginStatusListLogout(t *testing.T) {
	idp := useFakeIdP(t)
	env := signInEnv(t)

	before := drafts(t, env, "status")
	if before.code != 0 || !strings.Contains(before.stdout, "nobody (run 'drafts login')") {
		t.Fatalf("status before login: exit %d\n%s%s", before.code, before.stdout, before.stderr)
	}
	if r := drafts(t, env, "list"); r.code != exitFailed || !strings.Contains(r.stderr, "nobody is signed in") || !strings.Contains(r.stderr, "drafts login") {
		t.Fatalf("list before login: exit %d, %q", r.code, r.stderr)
	}

	login := drafts(t, env, "login")
	if login.code != 0 {
		t.Fatalf("login: exit %d\n%s%s", login.code, login.stdout, login.stderr)
	}
	prompt := strings.Split(strings.TrimSpace(login.stderr), "\n")
	if len(prompt) != 1 || !strings.Contains(prompt[0], "https://microsoft.com/devicelogin") || !strings.Contains(prompt[0], "FAKE-CODE") ||
		!strings.Contains(prompt[0], "15 min") || !strings.Contains(prompt[0], "Ctrl-C") {
		t.Fatalf("prompt: %q", login.stderr)
	}
	cacheFile := filepath.Join(env[config.EnvCacheDir], "token-cache")
	if !strings.Contains(login.stdout, "signed in as adele@contoso.example") || !strings.Contains(login.stdout, cacheFile) || !strings.Contains(login.stdout, "plain file") {
		t.Fatalf("login output: %q", login.stdout)
	}

	// The signed-in token reaches Graph.
	graphFor(t, env, idp.LastAccessToken())
	if r := drafts(t, env, "list", "--json"); r.code != 0 || !strings.Contains(r.stdout, "hello") {
		t.Fatalf("list: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}

	status := drafts(t, env, "status", "--mailbox", "shared@contoso.example")
	for _, want := range []string{
		"signed in:    adele@contoso.example (tenant " + fakeidp.DefaultUser.TenantID + ")",
		"tenant common", "app " + testClientID,
		"mailbox:      shared@contoso.example",
		"graph url:    " + env["DRAFTS_GRAPH_URL"],
		"token cache:  " + cacheFile,
		"mailbox", "--mailbox",
		"client_id", "env DRAFTS_CLIENT_ID",
		"confirm_send", "default",
	} {
		if !strings.Contains(status.stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, status.stdout)
		}
	}

	// Graph refuses the cached token (revoked, say): one silent refresh,
	// and the fresh token works.
	graphFor(t, env, idp.NextAccessToken())
	refreshes, _, _ := idp.Counts()
	if r := drafts(t, env, "list", "--json"); r.code != 0 {
		t.Fatalf("list after 401: exit %d, %s", r.code, r.stderr)
	}
	if after, _, _ := idp.Counts(); after != refreshes+1 {
		t.Fatalf("%d refreshes for one 401", after-refreshes)
	}

	// The refresh token is revoked too: one clear "sign in again".
	idp.RevokeAll()
	graphFor(t, env, "a-token-nobody-has")
	refreshes, _, _ = idp.Counts()
	r := drafts(t, env, "list")
	if r.code != exitFailed || !strings.Contains(r.stderr, "drafts login") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("revoked: exit %d, %q", r.code, r.stderr)
	}
	if after, _, _ := idp.Counts(); after != refreshes+1 {
		t.Fatalf("%d refresh attempts after revocation, want 1", after-refreshes)
	}

	// A text typed and not saved: logout leaves it, and says where.
	edits := filepath.Join(filepath.Dir(cacheFile), "edits")
	if err := os.MkdirAll(edits, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(edits, "0123.txt"), []byte("To: x@y\n\nmy words"), 0o600); err != nil {
		t.Fatal(err)
	}
	logout := drafts(t, env, "logout")
	if logout.code != 0 || !strings.Contains(logout.stdout, "signed out adele@contoso.example") || !strings.Contains(logout.stdout, "removed the token cache "+cacheFile) ||
		!strings.Contains(logout.stdout, "kept 1 text you typed and did not save, in "+edits) {
		t.Fatalf("logout: exit %d\n%s%s", logout.code, logout.stdout, logout.stderr)
	}
	if _, err := os.Stat(filepath.Join(edits, "0123.txt")); err != nil {
		t.Fatalf("logout took the text: %v", err)
	}
	if _, err := os.Stat(cacheFile); !os.IsNotExist(err) {
		t.Fatal("cache file left after logout")
	}
	after := drafts(t, env, "status")
	if !strings.Contains(after.stdout, "nobody (run 'drafts login')") {
		t.Fatalf("status after logout:\n%s", after.stdout)
	}
	noSecrets(t, idp, before, login, status, r, logout, after)
}

func TestLoginDeclinedAndMisconfiguredApp(t *testing.T) {
	idp := useFakeIdP(t)
	env := signInEnv(t)
	idp.Script(fakeidp.Pending, fakeidp.Declined)
	r := drafts(t, env, "login")
	if r.code != exitFailed || !strings.Contains(r.stderr, "sign-in failed: sign-in was declined") {
		t.Fatalf("declined: exit %d, %q", r.code, r.stderr)
	}
	idp.Fail(7000218, "invalid_client")
	r = drafts(t, env, "login")
	if r.code != exitFailed || !strings.Contains(r.stderr, "Allow public client flows") || !strings.Contains(r.stderr, "AADSTS7000218") {
		t.Fatalf("public client flows off: exit %d, %q", r.code, r.stderr)
	}
	noSecrets(t, idp, r)
}

func TestLoginWithoutClientIDExplainsRegistration(t *testing.T) {
	home := t.TempDir()
	r := drafts(t, map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}, "login")
	help := drafts(t, nil, "login", "--help")
	if !strings.Contains(help.stdout, "Allow public client flows") || !strings.Contains(help.stdout, "Mail.Send") {
		t.Fatalf("login --help does not explain the app registration: %q", help.stdout)
	}
	if r.code != exitFailed || !strings.Contains(r.stderr, "'drafts login --help' shows how") || !strings.Contains(r.stderr, filepath.Join(home, ".config", "drafts", "config.toml")) {
		t.Fatalf("exit %d, %q", r.code, r.stderr)
	}
}

func TestStatusWithAccessTokenOrDemo(t *testing.T) {
	r := drafts(t, map[string]string{config.EnvAccessToken: "super-secret-token"}, "status")
	if r.code != 0 || !strings.Contains(r.stdout, "using DRAFTS_ACCESS_TOKEN") || strings.Contains(r.stdout, "super-secret-token") ||
		!strings.Contains(r.stdout, "the drafts list is not kept between runs: DRAFTS_ACCESS_TOKEN names no account") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	r = drafts(t, nil, "status", "--demo")
	if r.code != 0 || !strings.Contains(r.stdout, "--demo") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	r = drafts(t, nil, "status")
	if r.code != 0 || !strings.Contains(r.stdout, "sign-in is not set up") || !strings.Contains(r.stdout, "problem:") {
		t.Fatalf("not set up: exit %d\n%s", r.code, r.stdout)
	}
}

func TestConfigInitAndFileErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "drafts", "config.toml")
	r := drafts(t, nil, "config", "init", "--config", path)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "wrote "+path {
		t.Fatalf("init: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if r := drafts(t, nil, "config", "init", "--config", path); r.code != exitFailed || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("second init: exit %d, %q", r.code, r.stderr)
	}
	if r := drafts(t, nil, "config", "init", "--config", path, "--force"); r.code != 0 {
		t.Fatalf("init --force: exit %d, %q", r.code, r.stderr)
	}
	st := drafts(t, map[string]string{config.EnvConfig: path}, "status")
	if st.code != 0 || !strings.Contains(st.stdout, path) || strings.Contains(st.stdout, "not found") {
		t.Fatalf("status with the example: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}

	os.WriteFile(path, []byte("client_id = \""+testClientID+"\"\nconfirm_send = \"no\"\n"), 0o600)
	r = drafts(t, nil, "list", "--config", path)
	if r.code != exitUsage || !strings.Contains(r.stderr, path+", line 2, key \"confirm_send\"") || !strings.Contains(r.stderr, "fix:") {
		t.Fatalf("bad file: exit %d, %q", r.code, r.stderr)
	}
}

func TestAppOnlyWithoutMailboxSaysSo(t *testing.T) {
	env := signInEnv(t)
	env[config.EnvAuth] = "client-secret"
	env[config.EnvClientSecret] = "s"
	env[config.EnvTenant] = "contoso.onmicrosoft.com"
	r := drafts(t, env, "list")
	if r.code != exitFailed || !strings.Contains(r.stderr, "--mailbox") || !strings.Contains(r.stderr, "app-only") {
		t.Fatalf("exit %d, %q", r.code, r.stderr)
	}
}

func TestAppOnlyListsASharedMailbox(t *testing.T) {
	idp := useFakeIdP(t)
	env := signInEnv(t)
	env[config.EnvAuth] = "client-secret"
	env[config.EnvClientSecret] = "fake-client-secret"
	env[config.EnvTenant] = "contoso.onmicrosoft.com"
	emu := graphFor(t, env, idp.NextAccessToken())
	emu.AddDraft(emulator.Draft{User: "shared@contoso.example", Subject: "from the shared mailbox"})
	r := drafts(t, env, "list", "--json", "--mailbox", "shared@contoso.example")
	if r.code != 0 || !strings.Contains(r.stdout, "from the shared mailbox") {
		t.Fatalf("exit %d, %q", r.code, r.stderr)
	}
	st := drafts(t, env, "status", "--mailbox", "shared@contoso.example")
	if !strings.Contains(st.stdout, "client-secret (app-only)") || !strings.Contains(st.stdout, "client_secret  set (hidden)") {
		t.Fatalf("status:\n%s", st.stdout)
	}
	noSecrets(t, idp, r, st)
}

func TestDemoNeverTouchesTheTokenCache(t *testing.T) {
	env := signInEnv(t)
	for _, args := range [][]string{{"list", "--demo"}, {"status", "--demo"}, {"login", "--demo"}, {"logout", "--demo"}} {
		if r := drafts(t, env, args...); r.code != 0 {
			t.Errorf("%v: exit %d, %q", args, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(env[config.EnvCacheDir]); !os.IsNotExist(err) {
		t.Fatalf("demo mode touched the token cache directory: %v", err)
	}
}

func TestDamagedCacheSaysSignInAgain(t *testing.T) {
	useFakeIdP(t)
	env := signInEnv(t)
	if r := drafts(t, env, "login"); r.code != 0 {
		t.Fatalf("login: exit %d, %q", r.code, r.stderr)
	}
	cacheFile := filepath.Join(env[config.EnvCacheDir], "token-cache")
	if err := os.WriteFile(cacheFile, []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := drafts(t, env, "list")
	if r.code != exitFailed || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, cacheFile) || !strings.Contains(r.stderr, "damaged") || !strings.Contains(r.stderr, "drafts login") {
		t.Fatalf("exit %d, %q", r.code, r.stderr)
	}
	if r := drafts(t, env, "login"); r.code != 0 {
		t.Fatalf("login again: exit %d, %q", r.code, r.stderr)
	}
	if r := drafts(t, env, "status"); !strings.Contains(r.stdout, "signed in:    adele@contoso.example") {
		t.Fatalf("status after login:\n%s", r.stdout)
	}
}

func TestLoginCtrlCStopsWaiting(t *testing.T) {
	idp := useFakeIdP(t)
	idp.Script(fakeidp.Pending) // the user never signs in
	env := signInEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- runWith(ctx, stdio{in: strings.NewReader("")}, env, "login") }()
	for {
		if _, devices, _ := idp.Counts(); devices > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case r := <-done:
		if r.code != exitCanceled || !strings.Contains(r.stderr, "interrupted") {
			t.Fatalf("exit %d, %q", r.code, r.stderr)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Ctrl-C did not stop the sign-in")
	}
}
