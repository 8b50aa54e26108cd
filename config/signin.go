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
		return s.notSignedIn()
	}
	return nil
}

// notSignedIn is the error when the token cache holds no account: why the
// cache file could not be used, when that is the reason, else that nobody
// has signed in.
func (s *SignIn) notSignedIn() error {
	if s.store != nil {
		if p := s.store.problem(); p != "" {
			return &SignInError{Advice: p, SignInAgain: true}
		}
	}
	return errNotSignedIn()
}
