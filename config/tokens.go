package config

import (
	"context"
	"sync"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"

	"github.com/draftsmail/drafts/graph"
)

// refreshMargin is how long before its expiry a token is renewed.
const refreshMargin = 5 * time.Minute

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
				return "", s.notSignedIn()
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
