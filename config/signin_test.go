package config

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"

	"github.com/draftsmail/drafts/config/fakeidp"
)

const testClientID = "11111111-2222-3333-4444-555555555555"

// signInEnv is a configuration pointing at a private cache directory with
// the plain file store (no keyring in tests unless a test brings a fake).
func signInConfig(t *testing.T, extra map[string]string) Config {
	t.Helper()
	m := map[string]string{EnvClientID: testClientID, EnvCacheDir: filepath.Join(t.TempDir(), "cache"), EnvTokenStore: "file"}
	for k, v := range extra {
		m[k] = v
	}
	c, err := Load(Flags{}, env(m))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newSignIn(t *testing.T, idp *fakeidp.IdP, cfg Config) *SignIn {
	t.Helper()
	s, err := NewSignIn(cfg, SignInOptions{HTTPClient: idp.Client(), AuthorityURL: idp.URL()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// assertNoSecret fails if any issued token or secret appears in text.
func assertNoSecret(t *testing.T, idp *fakeidp.IdP, texts ...string) {
	t.Helper()
	all := strings.Join(texts, "\n")
	for _, s := range idp.Secrets() {
		if s != "" && strings.Contains(all, s) {
			t.Fatalf("a secret (%.12s…) appears in output:\n%s", s, all)
		}
	}
	if strings.Contains(all, "S3CR3T") {
		t.Fatalf("token material in output:\n%s", all)
	}
}

func TestDeviceCodeLoginThenSilentRefreshInANewProcess(t *testing.T) {
	ctx := context.Background()
	idp := fakeidp.New(t)
	idp.Script(fakeidp.Pending, fakeidp.Pending, fakeidp.Success)
	idp.SetAccessTokenLifetime(60) // inside the refresh margin: the next run must refresh
	cfg := signInConfig(t, nil)

	s := newSignIn(t, idp, cfg)
	if a, err := s.Account(ctx); err != nil || a != nil {
		t.Fatalf("before login: account %v, err %v", a, err)
	}
	if err := s.CheckSignedIn(ctx); !IsSignInRequired(err) || !strings.Contains(err.Error(), "drafts login") {
		t.Fatalf("CheckSignedIn before login = %v", err)
	}
	var shown DeviceCode
	acct, err := s.Login(ctx, func(d DeviceCode) { shown = d })
	if err != nil {
		t.Fatal(err)
	}
	if shown.Code != "FAKE-CODE" || shown.URL != "https://microsoft.com/devicelogin" || time.Until(shown.ExpiresAt) < 14*time.Minute {
		t.Fatalf("device code shown: %+v", shown)
	}
	line := shown.Line(time.Now())
	for _, want := range []string{"https://microsoft.com/devicelogin", "FAKE-CODE", "15 min", "Ctrl-C"} {
		if !strings.Contains(line, want) {
			t.Errorf("prompt line %q lacks %q", line, want)
		}
	}
	if acct.Username != fakeidp.DefaultUser.Username || acct.TenantID != fakeidp.DefaultUser.TenantID {
		t.Fatalf("account = %+v", acct)
	}
	if got := idp.LastScope(); !strings.Contains(got, "Mail.ReadWrite") || !strings.Contains(got, "Mail.Send") || !strings.Contains(got, "offline_access") {
		t.Fatalf("scope = %q", got)
	}
	first := idp.LastAccessToken()

	// The cache file is private.
	info, _ := s.Store()
	fi, err := os.Stat(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("cache mode %04o", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(info.Path)); di.Mode().Perm() != 0o700 {
		t.Fatalf("cache dir mode %04o", di.Mode().Perm())
	}

	// A new process: a new SignIn reading the same file refreshes silently.
	s2 := newSignIn(t, idp, cfg)
	a2, err := s2.Account(ctx)
	if err != nil || a2 == nil || a2.Username != fakeidp.DefaultUser.Username {
		t.Fatalf("second run account %v, err %v", a2, err)
	}
	refreshes, devices, _ := idp.Counts()
	tok, err := s2.TokenSource().Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r2, d2, _ := idp.Counts()
	if tok == first || r2 != refreshes+1 || d2 != devices {
		t.Fatalf("second run: token %q (first %q), refreshes %d->%d, device codes %d->%d", tok, first, refreshes, r2, devices, d2)
	}
	// A token good for an hour is reused, from memory and across runs.
	idp.SetAccessTokenLifetime(3600)
	s3 := newSignIn(t, idp, cfg)
	t3, err := s3.TokenSource().Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t3b, _ := s3.TokenSource().Token(ctx)
	r3, _, _ := idp.Counts()
	if t3 != t3b || r3 != r2+1 {
		t.Fatalf("third run refreshed %d times for two calls", r3-r2)
	}
	s4 := newSignIn(t, idp, cfg)
	if t4, _ := s4.TokenSource().Token(ctx); t4 != t3 {
		t.Fatalf("fourth run got %q, want the cached %q", t4, t3)
	}
	if r4, _, _ := idp.Counts(); r4 != r3 {
		t.Fatal("a valid cached token was refreshed anyway")
	}
}

// signedIn signs in to idp with cfg and returns the SignIn.
func signedIn(t *testing.T, idp *fakeidp.IdP, cfg Config) *SignIn {
	t.Helper()
	s := newSignIn(t, idp, cfg)
	if _, err := s.Login(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestInvalidateForcesASilentRefresh(t *testing.T) {
	ctx := context.Background()
	idp := fakeidp.New(t)
	cfg := signInConfig(t, nil)
	signedIn(t, idp, cfg)
	ts := newSignIn(t, idp, cfg).TokenSource()
	bad, err := ts.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before, _, _ := idp.Counts()
	ts.Invalidate(bad) // Graph said 401
	fresh, err := ts.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	after, _, _ := idp.Counts()
	if fresh == bad || after != before+1 {
		t.Fatalf("after Invalidate: same token %v, refreshes %d->%d", fresh == bad, before, after)
	}
	// The refused token is gone from the cache: a new process gets the
	// fresh one.
	if again, _ := newSignIn(t, idp, cfg).TokenSource().Token(ctx); again != fresh {
		t.Fatalf("new process got %q, want %q", again, fresh)
	}
}

func TestRevokedRefreshTokenAsksToSignInOnceWithoutALoop(t *testing.T) {
	ctx := context.Background()
	idp := fakeidp.New(t)
	cfg := signInConfig(t, nil)
	signedIn(t, idp, cfg)
	idp.RevokeAll()
	ts := newSignIn(t, idp, cfg).TokenSource()
	tok, _ := ts.Token(ctx) // the cached access token is still good
	ts.Invalidate(tok)      // but Graph refused it
	before, _, _ := idp.Counts()
	_, err := ts.Token(ctx)
	if !IsSignInRequired(err) || !strings.Contains(err.Error(), "drafts login") || !strings.Contains(err.Error(), "AADSTS700082") {
		t.Fatalf("err = %v", err)
	}
	for i := 0; i < 5; i++ {
		if _, err2 := ts.Token(ctx); err2 == nil || err2.Error() != err.Error() {
			t.Fatalf("call %d: %v", i, err2)
		}
	}
	if after, _, _ := idp.Counts(); after != before+1 {
		t.Fatalf("%d refresh attempts, want exactly 1", after-before)
	}
	assertNoSecret(t, idp, err.Error())
	// Signing in again clears it.
	if _, err := ts.s.Login(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Token(ctx); err != nil {
		t.Fatalf("after a new login: %v", err)
	}
}

func TestDeviceCodeOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script []fakeidp.Outcome
		want   string
	}{
		{"declined", []fakeidp.Outcome{fakeidp.Pending, fakeidp.Declined}, "declined"},
		{"expired", []fakeidp.Outcome{fakeidp.Expired}, "expired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idp := fakeidp.New(t)
			idp.Script(tc.script...)
			s := newSignIn(t, idp, signInConfig(t, nil))
			_, err := s.Login(context.Background(), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "drafts login") || !IsSignInRequired(err) {
				t.Fatalf("err = %v", err)
			}
			if a, _ := s.Account(context.Background()); a != nil {
				t.Fatalf("signed in as %v after %s", a, tc.name)
			}
		})
	}
}

func TestSharedMailboxAsksForSharedScopes(t *testing.T) {
	idp := fakeidp.New(t)
	s := newSignIn(t, idp, signInConfig(t, map[string]string{EnvMailbox: "shared@contoso.example"}))
	if _, err := s.Login(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Mail.ReadWrite.Shared", "Mail.Send.Shared"} {
		if !strings.Contains(idp.LastScope(), want) {
			t.Errorf("scope %q lacks %s", idp.LastScope(), want)
		}
	}
}

func TestLoginCancelled(t *testing.T) {
	idp := fakeidp.New(t)
	idp.Script(fakeidp.Pending)
	s := newSignIn(t, idp, signInConfig(t, nil))
	ctx, cancel := context.WithCancel(context.Background())
	p, err := s.StartLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cancel() // Ctrl-C
	_, err = p.Wait(ctx)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("err = %v", err)
	}
}

func TestEntraErrorsBecomeAdvice(t *testing.T) {
	for _, tc := range []struct {
		code   int
		oauth  string
		want   string
		signIn bool
	}{
		{7000218, "invalid_client", "Allow public client flows", false},
		{65001, "invalid_grant", "consent", true},
		{65004, "access_denied", "declined the permissions", true},
		{50126, "invalid_grant", "wrong user name or password", true},
		{53003, "access_denied", "Conditional Access", false},
		{50020, "invalid_request", "does not belong to tenant", true},
		{90072, "invalid_request", "does not belong to tenant", true},
		{700016, "unauthorized_client", "not known in tenant", false},
		{700082, "invalid_grant", "drafts login", true},
		{99999, "invalid_request", "the sign-in service said: scripted failure", false},
	} {
		idp := fakeidp.New(t)
		idp.Fail(tc.code, tc.oauth)
		s := newSignIn(t, idp, signInConfig(t, nil))
		_, err := s.Login(context.Background(), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || IsSignInRequired(err) != tc.signIn {
			t.Errorf("AADSTS%d: err = %v (sign-in required %v)", tc.code, err, IsSignInRequired(err))
			continue
		}
		if !strings.Contains(err.Error(), "AADSTS") || strings.Contains(err.Error(), "Trace ID") {
			t.Errorf("AADSTS%d: code missing or trace id kept: %v", tc.code, err)
		}
	}
}

func TestAppOnlyWithClientSecret(t *testing.T) {
	ctx := context.Background()
	idp := fakeidp.New(t)
	cfg := signInConfig(t, map[string]string{EnvAuth: "client-secret", EnvClientSecret: "fake-client-secret", EnvTenant: "contoso.onmicrosoft.com", EnvMailbox: "shared@contoso.example"})
	s := newSignIn(t, idp, cfg)
	tok, err := s.TokenSource().Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(idp.LastScope(), "https://graph.microsoft.com/.default") {
		t.Fatalf("scope = %q", idp.LastScope())
	}
	if _, ok := s.Store(); ok {
		t.Fatal("app-only sign-in must not keep a token cache on disk")
	}
	if again, _ := s.TokenSource().Token(ctx); again != tok {
		t.Fatal("token not reused")
	}
	s.TokenSource().Invalidate(tok)
	fresh, err := s.TokenSource().Token(ctx)
	if _, _, creds := idp.Counts(); err != nil || fresh == tok || creds != 2 {
		t.Fatalf("after Invalidate: %v, same %v, %d grants", err, fresh == tok, creds)
	}
	a, err := s.Login(ctx, nil)
	if err != nil || !a.AppOnly {
		t.Fatalf("app-only login: %+v, %v", a, err)
	}

	bad := cfg
	bad.ClientSecret = "wrong"
	_, err = newSignIn(t, idp, bad).TokenSource().Token(ctx)
	if err == nil || !strings.Contains(err.Error(), "client secret is wrong") {
		t.Fatalf("wrong secret: %v", err)
	}
	assertNoSecret(t, idp, err.Error())
}

func TestAppOnlyNeedsMailboxTenantAndCredential(t *testing.T) {
	base := map[string]string{EnvAuth: "client-secret", EnvClientSecret: "s", EnvTenant: "contoso.onmicrosoft.com", EnvMailbox: "shared@contoso.example"}
	for _, tc := range []struct {
		drop, set, want string
	}{
		{drop: EnvMailbox, want: "--mailbox"},
		{drop: EnvTenant, want: "needs your tenant"},
		{drop: EnvClientSecret, want: EnvClientSecret},
		{set: EnvAuth + "=certificate", want: EnvCertificate},
		{set: EnvCertificate + "=/nonexistent/cert.pem", want: "cannot read the certificate"},
	} {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		delete(m, tc.drop)
		if k, v, ok := strings.Cut(tc.set, "="); ok {
			m[k] = v
			if k == EnvCertificate {
				m[EnvAuth] = "certificate"
			}
		}
		_, err := NewSignIn(signInConfig(t, m), SignInOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v", tc, err)
		}
	}
}

func TestNoClientIDSaysHowToRegister(t *testing.T) {
	cfg := signInConfig(t, nil)
	cfg.ClientID = ""
	_, err := NewSignIn(cfg, SignInOptions{})
	if !errors.Is(err, ErrNoClientID) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"app registration", "'drafts login --help'", "client_id", EnvClientID, EnvAccessToken, "--demo"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

func TestLogoutRemovesAccountAndCache(t *testing.T) {
	ctx := context.Background()
	idp := fakeidp.New(t)
	cfg := signInConfig(t, nil)
	info, _ := signedIn(t, idp, cfg).Store()
	res, err := Logout(ctx, cfg, SignInOptions{HTTPClient: idp.Client(), AuthorityURL: idp.URL()})
	if err != nil || !res.Removed || len(res.Accounts) != 1 || res.Accounts[0].Username != fakeidp.DefaultUser.Username {
		t.Fatalf("logout: %+v, %v", res, err)
	}
	if _, err := os.Stat(info.Path); !os.IsNotExist(err) {
		t.Fatalf("cache file still there: %v", err)
	}
	if err := newSignIn(t, idp, cfg).CheckSignedIn(ctx); !IsSignInRequired(err) {
		t.Fatalf("after logout: %v", err)
	}
	// Logging out twice, or without a client id, is fine.
	cfg.ClientID = ""
	if res, err := Logout(ctx, cfg, SignInOptions{}); err != nil || res.Removed {
		t.Fatalf("second logout: %+v, %v", res, err)
	}
}

func TestEncryptedCacheWithKeyringKey(t *testing.T) {
	ctx := context.Background()
	idp := fakeidp.New(t)
	kr := newFakeKeyring()
	cfg := signInConfig(t, map[string]string{EnvTokenStore: "auto"})
	opts := SignInOptions{HTTPClient: idp.Client(), AuthorityURL: idp.URL(), Store: StoreOptions{Keyring: kr}}
	s, err := NewSignIn(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, nil); err != nil {
		t.Fatal(err)
	}
	info, _ := s.Store()
	if !info.Encrypted || !strings.Contains(info.Description, "keyring") {
		t.Fatalf("store: %+v", info)
	}
	raw, err := os.ReadFile(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, idp, string(raw))
	if strings.Contains(string(raw), "AccessToken") {
		t.Fatal("cache file is not encrypted")
	}
	s2, err := NewSignIn(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := s2.TokenSource().Token(ctx); err != nil || tok != idp.LastAccessToken() {
		t.Fatalf("second run: %v", err)
	}
	// Without the key (another machine, keyring wiped) the cache is
	// unreadable: nobody is signed in, and the store says why.
	kr.wipe()
	s3, err := NewSignIn(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s3.CheckSignedIn(ctx); !IsSignInRequired(err) {
		t.Fatalf("without key: %v", err)
	}
	info3, _ := s3.Store()
	if len(info3.Notes) == 0 || !strings.Contains(strings.Join(info3.Notes, " "), "could not be decrypted") {
		t.Fatalf("notes: %v", info3.Notes)
	}
	// A new login overwrites it with a new key.
	if _, err := s3.Login(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := newSignInWith(t, cfg, opts).TokenSource().Token(ctx); err != nil {
		t.Fatal(err)
	}
}

func newSignInWith(t *testing.T, cfg Config, opts SignInOptions) *SignIn {
	t.Helper()
	s, err := NewSignIn(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTranslateNeverRepeatsABody(t *testing.T) {
	const tok = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
	raw := `{"access_token":"` + tok + `","refresh_token":"M.C123-opaque-refresh","id_token":"broken"}`
	for _, err := range []error{
		msalerrors.InvalidJsonErr{Err: fmt.Errorf("json decode error: bad\nraw message was: %s", raw)},
		fmt.Errorf("wrapped: %w", msalerrors.InvalidJsonErr{Err: errors.New(raw)}),
		errors.New("something odd: " + tok),
	} {
		got := translate(err, &signInContext{}).Error()
		if strings.Contains(got, tok) || strings.Contains(got, "M.C123") {
			t.Fatalf("leaked: %s", got)
		}
	}
}

func TestServerTextIsCleaned(t *testing.T) {
	body := `{"error":"invalid_request","error_description":"AADSTS99999: evil \u001b]0;pwned\u0007 text \u009b2J","correlation_id":"\u001b[2J"}`
	ce := msalerrors.CallErr{Err: errors.New("http call(x)(POST) error: reply status code was 400:\n" + body)}
	got := translate(ce, &signInContext{}).Error()
	if strings.ContainsAny(got, "\x1b\x07\u009b") || !strings.Contains(got, "evil") {
		t.Fatalf("%q", got)
	}
}

func TestDamagedCacheAsksToSignInAgainAndLoginRepairsIt(t *testing.T) {
	ctx := context.Background()
	idp := fakeidp.New(t)
	cfg := signInConfig(t, nil)
	info, _ := signedIn(t, idp, cfg).Store()
	if err := os.WriteFile(info.Path, []byte("{\"Account\": tru"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := newSignIn(t, idp, cfg)
	err := s.CheckSignedIn(ctx)
	if !IsSignInRequired(err) || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), info.Path) || !strings.Contains(err.Error(), "drafts login") {
		t.Fatalf("CheckSignedIn = %v", err)
	}
	if _, err := s.TokenSource().Token(ctx); !IsSignInRequired(err) || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("Token = %v", err)
	}
	if _, err := s.Login(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := newSignIn(t, idp, cfg).CheckSignedIn(ctx); err != nil {
		t.Fatalf("after a new login: %v", err)
	}
}

// switchable is a transport that fails like a network that is down while
// down is set.
type switchable struct {
	down atomic.Bool
	next http.RoundTripper
}

func (s *switchable) RoundTrip(r *http.Request) (*http.Response, error) {
	if s.down.Load() {
		return nil, errors.New("dial tcp: connect: network is unreachable")
	}
	return s.next.RoundTrip(r)
}

func TestNetworkDownIsNotASignInProblem(t *testing.T) {
	ctx := context.Background()
	idp := fakeidp.New(t)
	idp.SetAccessTokenLifetime(60) // the next run must refresh
	cfg := signInConfig(t, nil)
	signedIn(t, idp, cfg)
	net := &switchable{next: idp.Client().Transport}
	net.down.Store(true)
	s, err := NewSignIn(cfg, SignInOptions{HTTPClient: &http.Client{Transport: net}, AuthorityURL: idp.URL()})
	if err != nil {
		t.Fatal(err)
	}
	ts := s.TokenSource()
	_, err = ts.Token(ctx)
	if err == nil || IsSignInRequired(err) || !strings.Contains(err.Error(), "cannot reach the sign-in service") || !strings.Contains(err.Error(), "network") || strings.ContainsAny(err.Error(), "\n") {
		t.Fatalf("err = %v", err)
	}
	assertNoSecret(t, idp, err.Error())
	// Not stuck: once the network is back, the refresh goes through.
	net.down.Store(false)
	if _, err := ts.Token(ctx); err != nil {
		t.Fatalf("after the network is back: %v", err)
	}
}

func TestKeyringRefusingTheKeyFailsLoginWithTheFix(t *testing.T) {
	idp := fakeidp.New(t)
	kr := newFakeKeyring()
	kr.refuseSet = errors.New("the collection is locked")
	cfg := signInConfig(t, map[string]string{EnvTokenStore: "auto"})
	s, err := NewSignIn(cfg, SignInOptions{HTTPClient: idp.Client(), AuthorityURL: idp.URL(), Store: StoreOptions{Keyring: kr}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Login(context.Background(), nil)
	if err == nil || !strings.HasPrefix(err.Error(), "cannot keep the token cache key in the OS keyring (the collection is locked)") || !strings.Contains(err.Error(), `token_store = "file"`) {
		t.Fatalf("err = %v", err)
	}
	assertNoSecret(t, idp, err.Error())
	// Nothing was written in plain text instead.
	info, _ := s.Store()
	if _, err := os.Stat(info.Path); !os.IsNotExist(err) {
		t.Fatalf("a cache file was written: %v", err)
	}
}
