package main

import (
	"context"
	"fmt"

	"github.com/draftsmail/drafts/config"
	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// demoToken is the bearer token the in-process emulator is given and
// accepts; it is no secret.
const demoToken = "drafts-demo"

// signInOptions adjusts sign-in. The program leaves it zero; tests point it
// at a fake identity provider.
var signInOptions config.SignInOptions

// connect returns a Graph client for the mailbox cfg names. With --demo it
// first starts the emulator with the demo mailbox on a loopback port (and
// never touches the token cache or keyring); the returned close function
// stops it. Otherwise the token is DRAFTS_ACCESS_TOKEN if set, else the
// signed-in account's (refreshed silently from the token cache), else the
// error says to run 'drafts login' (config.IsSignInRequired) or how to
// configure sign-in.
func (a *app) connect(ctx context.Context, cfg config.Config) (*graph.Client, func(), error) {
	if cfg.Demo {
		return a.connectDemo(cfg)
	}
	if cfg.AccessToken != "" {
		c, err := cfg.NewClient("", nil, nil)
		return c, func() {}, err
	}
	s, err := a.signIn(cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := s.CheckSignedIn(ctx); err != nil {
		return nil, nil, err
	}
	c, err := cfg.NewClient("", s.TokenSource(), nil)
	if err != nil {
		return nil, nil, err
	}
	return c, func() {}, nil
}

func (a *app) connectDemo(cfg config.Config) (*graph.Client, func(), error) {
	emu := emulator.New(emulator.Options{Token: demoToken})
	emu.SeedDemo()
	base, err := emu.Start("127.0.0.1:0")
	if err != nil {
		return nil, nil, fmt.Errorf("start the demo emulator: %w", err)
	}
	cfg.Mailbox = ""
	c, err := cfg.NewClient(base, graph.StaticToken(demoToken), nil)
	if err != nil {
		_ = emu.Close()
		return nil, nil, err
	}
	return c, func() { _ = emu.Close() }, nil
}

// signIn prepares sign-in for cfg and prints, on stderr, anything the token
// cache had to fix or could not read.
func (a *app) signIn(cfg config.Config) (*config.SignIn, error) {
	s, err := config.NewSignIn(cfg, signInOptions)
	if err != nil {
		return nil, err
	}
	if info, ok := s.Store(); ok {
		for _, n := range info.Notes {
			fmt.Fprintln(a.io.err, "drafts: note: "+n)
		}
	}
	return s, nil
}
