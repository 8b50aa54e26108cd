package config

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"

	"github.com/draftsmail/drafts/graph"
)

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
				if s.store != nil {
					_, _ = RemoveListCache(s.store.dir) // the earlier account's drafts list
				}
			}
		}
	}
	s.tokens.signedIn(res.Account, res.AccessToken, res.ExpiresOn)
	return accountOf(res.Account), nil
}

// errExpired stands for a device code that ran out before the service said
// so itself.
var errExpired = func() error {
	advice, again := oauthAdvice["expired_token"](nil)
	return &SignInError{Code: "expired_token", Advice: advice, SignInAgain: again}
}()

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
	// ListRemoved is true when the cached drafts list was deleted; ListPath is where it was.
	ListRemoved bool
	ListPath    string
}

// Logout removes the signed-in account and every cached token: the cache
// file and its key in the OS keyring. It needs no client id, so it works
// even when the configuration is incomplete.
func Logout(ctx context.Context, cfg Config, opts SignInOptions) (LogoutResult, error) {
	var res LogoutResult
	var store *Store
	if s, err := NewSignIn(cfg, opts); err == nil && !s.AppOnly() {
		store = s.store
		if accts, err := s.pub.Accounts(ctx); err == nil {
			for _, a := range accts {
				res.Accounts = append(res.Accounts, accountOf(a))
				_ = s.pub.RemoveAccount(ctx, a)
			}
		}
	}
	if store == nil {
		var err error
		store, err = OpenStore(cfg.CacheDir, cfg.TokenStore, opts.Store)
		if err != nil && cfg.TokenStore != StoreFile {
			// The keyring may be what fails; the file can still go.
			store, err = OpenStore(cfg.CacheDir, StoreFile, opts.Store)
		}
		if err != nil {
			return res, err
		}
	}
	res.Store = store.Info()
	var err error
	res.Removed, err = store.Remove(ctx)
	res.ListPath = filepath.Join(store.dir, listCacheName)
	if removed, lerr := RemoveListCache(store.dir); lerr == nil {
		res.ListRemoved = removed
	} else if err == nil {
		err = fmt.Errorf("cannot remove the cached drafts list %s: %w", res.ListPath, lerr)
	}
	return res, err
}
