package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/config"
	"github.com/draftsmail/drafts/graph/compose"
	"github.com/draftsmail/drafts/graph/emulator"
)

func (a *app) loginCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "login",
		Short: "Sign in to your Microsoft 365 / Outlook mailbox (device code; once)",
		Long: `Sign in with the device code flow: drafts prints a web address and a code; open the address
on any device, enter the code and sign in. The code works for 15 minutes; Ctrl-C cancels.

Later runs renew the sign-in silently from the token cache ('drafts status' shows where it is)
until the sign-in expires or is revoked; then drafts asks you to run 'drafts login' again.

Signing in needs an app registration in Microsoft Entra ID, once:
  1. Entra admin center > App registrations > New registration (no redirect URI).
  2. Authentication > Allow public client flows: Yes.
  3. API permissions > Microsoft Graph > Delegated: Mail.ReadWrite and Mail.Send
     (for shared mailboxes also Mail.ReadWrite.Shared and Mail.Send.Shared).
  4. Put its Application (client) ID in the settings file as client_id ('drafts config init'
     writes a commented example) or in DRAFTS_CLIENT_ID; a single-tenant app also needs tenant.
With auth = client-secret or certificate (app-only), login only checks that the credentials work.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			if cfg.Demo {
				fmt.Fprintln(a.io.out, "demo mode needs no sign-in")
				return nil
			}
			if cfg.AccessToken != "" {
				fmt.Fprintln(a.io.err, "drafts: note: "+config.EnvAccessToken+" is set; it overrides this sign-in until you unset it")
			}
			s, err := a.signIn(cfg)
			if err != nil {
				return err
			}
			acct, err := s.Login(cmd.Context(), func(d config.DeviceCode) {
				fmt.Fprintln(a.io.err, d.Line(time.Now()))
			})
			if err != nil {
				if errors.Is(err, context.Canceled) {
					return err
				}
				return fmt.Errorf("sign-in failed: %w", err)
			}
			fmt.Fprintf(a.io.out, "signed in as %s\n", acct)
			if info, ok := s.Store(); ok {
				fmt.Fprintf(a.io.out, "token cache: %s\n", info)
			} else {
				fmt.Fprintln(a.io.out, "app-only sign-in: tokens are kept in memory only, never on disk")
			}
			return nil
		},
	}
}

func (a *app) logoutCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Sign out: remove the signed-in account and every cached token",
		Long: `Remove the signed-in account and its tokens: the token cache file and, if the cache was
encrypted, its key in the OS keyring, and the cached drafts list. The next run asks you to sign
in again. Text you typed in an editor and did not save is yours, not the account's: it stays,
and logout says where.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			if cfg.Demo {
				fmt.Fprintln(a.io.out, "demo mode has no sign-in: nothing to sign out")
				return nil
			}
			res, err := config.Logout(cmd.Context(), cfg, signInOptions)
			for _, acct := range res.Accounts {
				fmt.Fprintf(a.io.out, "signed out %s\n", acct)
			}
			if err != nil {
				return err
			}
			if len(res.Accounts) == 0 {
				fmt.Fprintln(a.io.out, "nobody was signed in")
			}
			if res.Removed {
				fmt.Fprintf(a.io.out, "removed the token cache %s\n", res.Store.Path)
			} else {
				fmt.Fprintf(a.io.out, "no token cache at %s\n", res.Store.Path)
			}
			if res.ListRemoved {
				fmt.Fprintf(a.io.out, "removed the cached drafts list %s\n", res.ListPath)
			}
			if n, edits := compose.Kept(cfg.CacheDir); n > 0 {
				fmt.Fprintf(a.io.out, "kept %d %s you typed and did not save, in %s (delete them with: rm -r %s)\n",
					n, map[bool]string{true: "text", false: "texts"}[n == 1], edits, edits)
			}
			if cfg.AccessToken != "" {
				fmt.Fprintln(a.io.err, "drafts: note: "+config.EnvAccessToken+" is still set in your environment")
			}
			return nil
		},
	}
}

func (a *app) statusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show who is signed in, the mailbox, Graph URL, token cache and settings",
		Long: `Show who is signed in (or that nobody is), the tenant, the mailbox, the Graph URL, where the
token cache is kept, and every setting in effect with where it came from (a flag, the
environment, the config file and line, or the default). Secrets are never shown. No network.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			a.writeStatus(cmd.Context(), a.io.out, cfg)
			return nil
		},
	}
}

// writeStatus prints the status report. It reads the token cache but never
// talks to the network, and never prints a secret.
func (a *app) writeStatus(ctx context.Context, w io.Writer, cfg config.Config) {
	row := func(k, v string) { fmt.Fprintf(w, "%-13s %s\n", k+":", v) }
	mailbox := cfg.Mailbox
	if mailbox == "" {
		mailbox = "your own"
	}
	var problem error
	switch {
	case cfg.Demo:
		row("signed in", "nobody needed: --demo uses the built-in emulator")
	case cfg.AccessToken != "":
		row("signed in", "using "+config.EnvAccessToken+" (overrides sign-in; the token is not checked here)")
		if cfg.CacheList && tokenSubject(cfg.AccessToken) == "" {
			// Kept per account: a list kept for nobody could be shown to another.
			row("note", "the drafts list is not kept between runs: "+config.EnvAccessToken+" names no account (it is not a JWT)")
		}
	default:
		s, err := config.NewSignIn(cfg, signInOptions)
		if err != nil {
			row("signed in", "nobody: sign-in is not set up (see below)")
			if f := cfg.TokenCacheFile(); f != "" && !cfg.Auth.AppOnly() {
				row("token cache", f)
			}
			problem = err
			break
		}
		acct, err := s.Account(ctx)
		switch {
		case err != nil:
			row("signed in", "unknown: the token cache cannot be read (see below)")
			problem = err
		case acct == nil:
			row("signed in", "nobody (run 'drafts login')")
		default:
			row("signed in", acct.String())
		}
		mode := "device code (delegated)"
		if s.AppOnly() {
			mode = string(cfg.Auth) + " (app-only)"
		}
		row("sign-in", fmt.Sprintf("%s, app %s, tenant %s, at %s", mode, cfg.ClientID, cfg.Tenant, s.Authority()))
		if info, ok := s.Store(); ok {
			row("token cache", info.String())
			for _, n := range info.Notes {
				row("note", n)
			}
		} else {
			row("token cache", "none: app-only tokens are kept in memory only")
		}
	}
	if cfg.Demo {
		// The demo never talks to the configured Graph: say where its requests go instead.
		row("mailbox", emulator.DefaultUser+" (the demo mailbox)")
		row("graph url", "http://127.0.0.1:<a free port>/v1.0, the built-in emulator started by each run (graph_url is not used)")
	} else {
		row("mailbox", mailbox)
		row("graph url", cfg.GraphURL)
	}
	if problem != nil {
		row("problem", problem.Error())
	}
	fmt.Fprintln(w, "\nsettings (flags > environment > config file > defaults):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range cfg.Settings() {
		v := s.Value
		if s.Key == "config" && cfg.ConfigFile != "" && !cfg.ConfigFound {
			v += " (not found: using defaults)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", s.Key, oneLine(v), s.Origin)
	}
	_ = tw.Flush()
}
