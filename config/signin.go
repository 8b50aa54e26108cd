package config

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"

	"github.com/draftsmail/drafts/graph"
)

// refreshMargin is how long before its expiry a token is renewed.
const refreshMargin = 5 * time.Minute

// SignInOptions adjust NewSignIn; zero values are right for the program.
type SignInOptions struct {
	// HTTPClient talks to the sign-in service; nil means a default one.
	HTTPClient *http.Client
	// AuthorityURL replaces the cloud's sign-in host, e.g. a fake identity
	// provider in tests ("https://127.0.0.1:port"); the tenant is appended.
	// Instance discovery (a call to login.microsoftonline.com) is off then.
	AuthorityURL string
	// Store adjusts the token cache (keyring, timeouts).
	Store StoreOptions
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// SignIn signs drafts in to Microsoft Entra ID as the configuration says:
// a user with the device code flow (tokens cached in the Store), or the app
// itself with a client secret or certificate (tokens kept in memory only).
type SignIn struct {
	cfg       Config
	opts      SignInOptions
	authority string
	ctx       *signInContext
	now       func() time.Time

	store *Store
	pub   public.Client

	appMu   sync.Mutex
	app     *confidential.Client
	appCred confidential.Credential

	tokens *TokenSource
}

// Account is who is signed in.
type Account struct {
	// Username is the sign-in name (adele@contoso.com); for app-only
	// sign-in it names the app.
	Username string
	// TenantID is the account's home tenant, when known.
	TenantID string
	// AppOnly is true for app-only sign-in.
	AppOnly bool

	msal public.Account
}

// String is the user name and home tenant.
func (a Account) String() string {
	if a.TenantID != "" {
		return a.Username + " (tenant " + a.TenantID + ")"
	}
	return a.Username
}

func accountOf(a public.Account) Account {
	acct := Account{Username: graph.CleanLine(a.PreferredUsername), msal: a}
	if acct.Username == "" {
		acct.Username = "(an account without a user name)"
	}
	if _, tid, ok := strings.Cut(a.HomeAccountID, "."); ok {
		acct.TenantID = graph.CleanLine(tid)
	}
	return acct
}

// NoClientIDError explains how to get a client id and where to put it.
func NoClientIDError(cfg Config) error {
	where := "the config file"
	if cfg.ConfigFile != "" {
		where = cfg.ConfigFile
	}
	return fmt.Errorf("%w: signing in needs an app registration ('drafts login --help' shows how); put its id in %s as client_id or in %s, "+
		"then run 'drafts login' (or set %s, or try 'drafts --demo')",
		ErrNoClientID, where, EnvClientID, EnvAccessToken)
}

// Authority is the sign-in URL for the configured cloud and tenant.
func (c Config) Authority() string { return c.Cloud.LoginURL() + "/" + c.Tenant }

// NewSignIn prepares sign-in for cfg. It fails, with what to do, when the
// configuration cannot sign in: no client id, app-only without a mailbox, a
// secret or a certificate, or an unusable token cache directory.
func NewSignIn(cfg Config, opts SignInOptions) (*SignIn, error) {
	if cfg.ClientID == "" {
		return nil, NoClientIDError(cfg)
	}
	s := &SignIn{cfg: cfg, opts: opts, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	root := cfg.Cloud.LoginURL()
	if opts.AuthorityURL != "" {
		root = strings.TrimRight(opts.AuthorityURL, "/")
	}
	s.authority = root + "/" + cfg.Tenant
	s.ctx = &signInContext{clientID: cfg.ClientID, tenant: cfg.Tenant, appOnly: cfg.Auth.AppOnly(), cloud: cfg.Cloud}
	s.tokens = &TokenSource{s: s}
	hc := opts.HTTPClient
	if hc == nil {
		hc = defaultSignInHTTPClient()
	}
	s.opts.HTTPClient = hc

	if cfg.Auth.AppOnly() {
		if err := s.prepareApp(); err != nil {
			return nil, err
		}
		return s, nil
	}
	store, err := OpenStore(cfg.CacheDir, cfg.TokenStore, opts.Store)
	if err != nil {
		return nil, err
	}
	s.store = store
	pub, err := public.New(cfg.ClientID,
		public.WithAuthority(s.authority),
		public.WithCache(store),
		public.WithHTTPClient(hc),
		public.WithInstanceDiscovery(opts.AuthorityURL == ""))
	if err != nil {
		return nil, fmt.Errorf("cannot sign in to %s: %v", s.authority, err)
	}
	s.pub = pub
	return s, nil
}

func defaultSignInHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = 30 * time.Second
	return &http.Client{Transport: t}
}

// prepareApp checks the app-only settings and loads the credential.
func (s *SignIn) prepareApp() error {
	cfg := s.cfg
	switch strings.ToLower(cfg.Tenant) {
	case "common", "organizations", "consumers":
		return fmt.Errorf("app-only sign-in (auth = %s) needs your tenant, not %q: set tenant (or %s) to your tenant ID or domain, e.g. contoso.onmicrosoft.com", cfg.Auth, cfg.Tenant, EnvTenant)
	}
	if cfg.Mailbox == "" {
		return fmt.Errorf("app-only sign-in (auth = %s) has no user, so it cannot use your own mailbox (/me): name the mailbox with --mailbox shared@contoso.com, %s, or mailbox in the config file", cfg.Auth, EnvMailbox)
	}
	switch cfg.Auth {
	case AuthClientSecret:
		if cfg.ClientSecret == "" {
			return fmt.Errorf("auth is client-secret but no secret is set: set %s (or client_secret in a private config file)", EnvClientSecret)
		}
		cred, err := confidential.NewCredFromSecret(cfg.ClientSecret)
		if err != nil {
			return fmt.Errorf("the client secret cannot be used: %s", redact(err.Error()))
		}
		s.appCred = cred
	case AuthCertificate:
		if cfg.Certificate == "" {
			return fmt.Errorf("auth is certificate but no certificate file is set: set certificate in the config file or %s to a PEM file with the certificate and its private key", EnvCertificate)
		}
		pem, err := os.ReadFile(cfg.Certificate)
		if err != nil {
			return fmt.Errorf("cannot read the certificate %s (from %s): %v", cfg.Certificate, cfg.Origin("certificate"), errors.Unwrap(err))
		}
		certs, key, err := confidential.CertFromPEM(pem, "")
		if err != nil {
			return fmt.Errorf("the certificate file %s (from %s) cannot be used: %v; it must be PEM with the certificate and an unencrypted private key", cfg.Certificate, cfg.Origin("certificate"), err)
		}
		cred, err := confidential.NewCredFromCert(certs, key)
		if err != nil {
			return fmt.Errorf("the certificate file %s cannot be used: %v", cfg.Certificate, err)
		}
		s.appCred = cred
	}
	return s.resetApp()
}

// resetApp makes a fresh confidential client, with an empty token cache.
func (s *SignIn) resetApp() error {
	app, err := confidential.New(s.authority, s.cfg.ClientID, s.appCred,
		confidential.WithHTTPClient(s.opts.HTTPClient),
		confidential.WithInstanceDiscovery(s.opts.AuthorityURL == ""))
	if err != nil {
		return fmt.Errorf("cannot sign in to %s: %v", s.authority, err)
	}
	s.appMu.Lock()
	s.app = &app
	s.appMu.Unlock()
	return nil
}

// delegatedScopes adds the .Shared permissions when a mailbox other than
// the user's own is configured.
func (s *SignIn) delegatedScopes() []string { return s.cfg.Cloud.DelegatedScopes(s.cfg.Mailbox != "") }

// Authority is the sign-in URL in use.
func (s *SignIn) Authority() string { return s.authority }

// AppOnly reports whether this is app-only sign-in.
func (s *SignIn) AppOnly() bool { return s.cfg.Auth.AppOnly() }

// Store describes the token cache; ok is false for app-only sign-in, which
// keeps tokens in memory only.
func (s *SignIn) Store() (StoreInfo, bool) {
	if s.store == nil {
		return StoreInfo{}, false
	}
	return s.store.Info(), true
}

// TokenSource is the graph.TokenSource of this sign-in.
func (s *SignIn) TokenSource() *TokenSource { return s.tokens }

// Account returns who is signed in according to the token cache, without
// any network call; nil when nobody is. For app-only sign-in it is the app.
func (s *SignIn) Account(ctx context.Context) (*Account, error) {
	if s.AppOnly() {
		return &Account{Username: "the app " + s.cfg.ClientID + " (app-only)", TenantID: s.cfg.Tenant, AppOnly: true}, nil
	}
	accts, err := s.pub.Accounts(ctx)
	if err != nil {
		return nil, translate(err, s.ctx)
	}
	if len(accts) == 0 {
		return nil, nil
	}
	a := accountOf(accts[0])
	return &a, nil
}

// CheckSignedIn returns nil when a user is signed in (or the sign-in is
// app-only), and otherwise the error that says to run 'drafts login'.
func (s *SignIn) CheckSignedIn(ctx context.Context) error {
	a, err := s.Account(ctx)
	if err != nil {
		return err
	}
	if a == nil {
		return errNotSignedIn()
	}
	return nil
}

// DeviceCode is what the user needs to finish a device code sign-in: the
// page to open and the code to type there, before ExpiresAt.
type DeviceCode struct {
	// URL is the page to open, e.g. https://microsoft.com/devicelogin.
	URL string
	// Code is the code to enter there.
	Code string
	// ExpiresAt is when the code stops working (15 minutes after it is
	// issued).
	ExpiresAt time.Time
	// Message is the sign-in service's own instruction, cleaned.
	Message string
}

// Line is the one-line prompt for a terminal.
func (d DeviceCode) Line(now time.Time) string {
	mins := int(d.ExpiresAt.Sub(now).Round(time.Minute) / time.Minute)
	return fmt.Sprintf("To sign in, open %s and enter the code %s (expires in %d min, at %s; Ctrl-C cancels).",
		d.URL, d.Code, mins, d.ExpiresAt.Local().Format("15:04"))
}

// PendingLogin is a device code sign-in waiting for the user.
type PendingLogin struct {
	// Code is what to show the user.
	Code DeviceCode
	s    *SignIn
	dc   public.DeviceCode
}

// StartLogin asks the sign-in service for a device code. Show p.Code to the
// user, then call p.Wait. The TUI can draw p.Code as a screen; cancelling
// Wait's context (Ctrl-C) abandons the sign-in.
func (s *SignIn) StartLogin(ctx context.Context) (*PendingLogin, error) {
	if s.AppOnly() {
		return nil, fmt.Errorf("auth is %s: app-only sign-in needs no device code", s.cfg.Auth)
	}
	dc, err := s.pub.AcquireTokenByDeviceCode(ctx, s.delegatedScopes())
	if err != nil {
		return nil, translate(err, s.ctx)
	}
	code := DeviceCode{
		URL:       graph.CleanLine(dc.Result.VerificationURL),
		Code:      graph.CleanLine(dc.Result.UserCode),
		ExpiresAt: dc.Result.ExpiresOn,
		Message:   graph.CleanLine(dc.Result.Message),
	}
	if code.URL == "" || code.Code == "" {
		return nil, &SignInError{Advice: "the sign-in service sent no device code; check the cloud and tenant settings"}
	}
	return &PendingLogin{Code: code, s: s, dc: dc}, nil
}

// Wait blocks until the user has signed in on the other device, declined,
// the code expired, or ctx ends. On success the account is the only one in
// the token cache, and the TokenSource uses it.
func (p *PendingLogin) Wait(ctx context.Context) (Account, error) {
	s := p.s
	res, err := p.dc.AuthenticationResult(ctx)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return Account{}, fmt.Errorf("sign-in cancelled: %w", ctx.Err())
		case errors.Is(err, context.DeadlineExceeded):
			return Account{}, errExpired
		}
		return Account{}, translate(err, s.ctx)
	}
	// One account per cache: drop any earlier one.
	if accts, err := s.pub.Accounts(ctx); err == nil {
		for _, a := range accts {
			if a.HomeAccountID != res.Account.HomeAccountID {
				_ = s.pub.RemoveAccount(ctx, a)
			}
		}
	}
	s.tokens.signedIn(res.Account, res.AccessToken, res.ExpiresOn)
	return accountOf(res.Account), nil
}

// errExpired stands for a device code that ran out before the service said
// so itself.
var errExpired = &SignInError{Code: "expired_token", Advice: "the code expired before sign-in finished (a code lasts 15 minutes): run " + loginCmd + " again", SignInAgain: true}

// Login signs in. With the device code flow it calls show with the code
// and waits; app-only sign-in just fetches a token, which proves the
// secret or certificate works.
func (s *SignIn) Login(ctx context.Context, show func(DeviceCode)) (Account, error) {
	if s.AppOnly() {
		s.tokens.Invalidate("")
		if _, err := s.tokens.Token(ctx); err != nil {
			return Account{}, err
		}
		a, _ := s.Account(ctx)
		return *a, nil
	}
	p, err := s.StartLogin(ctx)
	if err != nil {
		return Account{}, err
	}
	if show != nil {
		show(p.Code)
	}
	return p.Wait(ctx)
}

// LogoutResult says what Logout did.
type LogoutResult struct {
	// Accounts were signed in and are now removed.
	Accounts []Account
	// Removed is true when a token cache file was deleted.
	Removed bool
	// Store is the cache that was cleared.
	Store StoreInfo
}

// Logout removes the signed-in account and every cached token: the cache
// file and its key in the OS keyring. It needs no client id, so it works
// even when the configuration is incomplete.
func Logout(ctx context.Context, cfg Config, opts SignInOptions) (LogoutResult, error) {
	var res LogoutResult
	if s, err := NewSignIn(cfg, opts); err == nil && !s.AppOnly() {
		if accts, err := s.pub.Accounts(ctx); err == nil {
			for _, a := range accts {
				res.Accounts = append(res.Accounts, accountOf(a))
				_ = s.pub.RemoveAccount(ctx, a)
			}
		}
	}
	store, err := OpenStore(cfg.CacheDir, cfg.TokenStore, opts.Store)
	if err != nil && cfg.TokenStore != StoreFile {
		// The keyring may be what fails; the file can still go.
		store, err = OpenStore(cfg.CacheDir, StoreFile, opts.Store)
	}
	if err != nil {
		return res, err
	}
	res.Store = store.Info()
	res.Removed, err = store.Remove(ctx)
	return res, err
}

// TokenSource hands Graph the access token of the sign-in, renewing it
// silently from the cached refresh token. It implements graph.TokenSource
// and graph.TokenInvalidator. Once the refresh token is refused (expired,
// revoked), every call returns the same "sign in again" error without
// asking the service again, until a new Login.
type TokenSource struct {
	s *SignIn

	mu      sync.Mutex
	account *public.Account
	token   string
	expires time.Time
	stuck   error
}

var (
	_ graph.TokenSource      = (*TokenSource)(nil)
	_ graph.TokenInvalidator = (*TokenSource)(nil)
)

// Token returns a valid access token.
func (t *TokenSource) Token(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stuck != nil {
		return "", t.stuck
	}
	if t.token != "" && t.s.now().Add(refreshMargin).Before(t.expires) {
		return t.token, nil
	}
	s := t.s
	var res public.AuthResult
	var err error
	if s.AppOnly() {
		s.appMu.Lock()
		app := s.app
		s.appMu.Unlock()
		res, err = app.AcquireTokenByCredential(ctx, s.cfg.Cloud.AppScopes())
	} else {
		if t.account == nil {
			accts, aerr := s.pub.Accounts(ctx)
			if aerr != nil {
				return "", translate(aerr, s.ctx)
			}
			if len(accts) == 0 {
				return "", errNotSignedIn()
			}
			t.account = &accts[0]
		}
		res, err = s.pub.AcquireTokenSilent(ctx, s.delegatedScopes(), public.WithSilentAccount(*t.account))
	}
	if err != nil {
		e := translate(err, s.ctx)
		if IsSignInRequired(e) {
			t.stuck = e
		}
		return "", e
	}
	t.token, t.expires = res.AccessToken, res.ExpiresOn
	return t.token, nil
}

// Invalidate drops a token Graph refused (401), so the next Token fetches
// a new one with the refresh token (or, app-only, with the credential).
func (t *TokenSource) Invalidate(token string) {
	t.mu.Lock()
	if token == "" || token == t.token {
		t.token, t.expires = "", time.Time{}
	}
	t.mu.Unlock()
	s := t.s
	if s.store != nil && token != "" {
		s.store.forget(token)
	}
	if s.AppOnly() {
		_ = s.resetApp()
	}
}

// signedIn starts over with a fresh sign-in.
func (t *TokenSource) signedIn(a public.Account, token string, expires time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.account, t.token, t.expires, t.stuck = &a, token, expires, nil
}
