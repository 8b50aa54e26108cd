package main

import (
	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/config"
	"github.com/draftsmail/drafts/graph/emulator"
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
	if k, _, err := a.keeperFor(cfg); err == nil {
		opts.Edits = k // without a place to keep the user's text, e and n say so
	}
	return ui.Run(cmd.Context(), c, opts)
}
