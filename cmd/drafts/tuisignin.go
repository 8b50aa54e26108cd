package main

import (
	"context"
	"errors"

	"github.com/draftsmail/drafts/config"
	"github.com/draftsmail/drafts/ui"
)

// signInOnScreen runs the device-code sign-in as a full screen: the code
// and address drafts shows itself, while MSAL waits for the user to finish
// in a browser.
func (a *app) signInOnScreen(ctx context.Context, cfg config.Config) error {
	s, err := a.signIn(cfg)
	if err != nil {
		return err
	}
	p, err := s.StartLogin(ctx)
	if err != nil {
		return err
	}
	code := ui.DeviceCode{URL: p.Code.URL, Code: p.Code.Code, ExpiresAt: p.Code.ExpiresAt}
	wait := func(ctx context.Context) error {
		_, err := p.Wait(ctx)
		return err
	}
	err = ui.SignIn(ctx, code, wait, ui.SignInOptions{Input: a.io.in, Output: a.io.out})
	if errors.Is(err, ui.ErrSignInCancelled) {
		return &exitError{code: exitFailed, msg: "sign-in cancelled: start drafts again, or run 'drafts login'"}
	}
	return err
}
