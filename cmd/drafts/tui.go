package main

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/config"
	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
	"github.com/draftsmail/drafts/graph/sending"
	"github.com/draftsmail/drafts/ui"
)

// runTUI opens the full-screen interface on the configured mailbox, or on
// the built-in emulator with --demo. It returns when the user quits.
func (a *app) runTUI(cmd *cobra.Command) error {
	if !a.io.inTTY || !a.io.outTTY {
		return usageErrorf("the drafts screen needs a terminal; in scripts use 'drafts list' and 'drafts send' (see 'drafts --help')")
	}
	if err := a.dumbTerminal(); err != nil {
		return err
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	c, stop, err := a.connect(cmd.Context(), cfg)
	if config.IsSignInRequired(err) {
		// Nobody is signed in (or the sign-in expired): sign in on
		// the screen, then carry on into the drafts.
		if err = a.signInOnScreen(cmd.Context(), cfg); err == nil {
			c, stop, err = a.connect(cmd.Context(), cfg)
		}
	}
	if err != nil {
		return err
	}
	defer stop()
	account := c.Mailbox()
	switch {
	case cfg.Demo:
		account = "demo · " + emulator.DefaultUser
	case account == "":
		account = "your mailbox"
	}
	opts := ui.Options{Account: account, SendDeadline: cfg.SendWait, UndoSend: cfg.UndoSend, Input: a.io.in, Output: a.io.out,
		Journal: a.journalFor(cfg, c)} // settled at start, in the interface
	opts.Refresh = cfg.Refresh
	opts.Now = a.now                  // nil but in the demo
	opts.OpenURL = a.opener(cfg.Demo) // o: the draft in Outlook on the web
	opts.Editor, _ = a.editorCommand()
	if dir, err := a.downloadsDir(); err == nil {
		opts.Downloads = dir // w saves a draft's files there; without one, w is off
	}
	if cfg.Demo {
		// The demo's drafts live as long as the program: so does the text typed for them,
		// kept in a private directory of its own, not among the user's real kept edits.
		if dir, err := os.MkdirTemp("", "drafts-demo-"); err == nil {
			defer os.RemoveAll(dir)
			cfg.CacheDir = dir
		}
	}
	if k, _, err := a.keeperFor(cfg); err == nil {
		opts.Edits = k // without a place to keep the user's text, e and n say so
	}
	a.listCacheFor(cmd.Context(), cfg, c, &opts)
	opts.After, opts.Ephemeral = a.io.err, cfg.Demo
	return ui.Run(cmd.Context(), c, opts)
}

// listCacheFor gives the screen the drafts list kept from the last run, to show at once, and
// the means to keep it for the next (not in demo mode, nor with cache_list = false). A cache
// that cannot be opened or used is said in the first status line; the list then waits for
// Graph, as without one.
func (a *app) listCacheFor(ctx context.Context, cfg config.Config, c *graph.Client, opts *ui.Options) {
	if cfg.Demo || !cfg.CacheList || cfg.CacheDir == "" || a.who == "" {
		return // (with no account known, one account's list could be shown to another)
	}
	key := sending.MailboxKey(c.BaseURL(), c.Mailbox()) + " as " + a.who
	lc, err := config.OpenListCache(cfg, key, config.StoreOptions{})
	if err != nil {
		opts.Notice = "The drafts list is not kept between runs: " + err.Error()
		return
	}
	l, ok, note := lc.Load(ctx, graph.DefaultPageSize) // the first frame; the rest in a command
	if ok {
		opts.Cached = &ui.Cached{Drafts: l.Drafts, Total: l.Count, Rest: l.Rest, Link: l.DeltaLink, Saved: l.Saved}
	}
	opts.Notice = note
	opts.SaveList = lc.Save
}
