package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/draftsmail/drafts/graph/emulator"
	"github.com/draftsmail/drafts/ui"
)

// runTUI opens the full-screen interface on the configured mailbox, or on
// the built-in emulator with --demo. It returns when the user quits.
func (a *app) runTUI(cmd *cobra.Command) error {
	if !isTerminal(a.io.in) || !isTerminalWriter(a.io.out) {
		return usageErrorf("the drafts screen needs a terminal; in scripts use 'drafts list' and 'drafts send' (see 'drafts --help')")
	}
	c, stop, err := a.connect(cmd.Context())
	if err != nil {
		return err
	}
	defer stop()
	account := c.Mailbox()
	switch {
	case a.flags.Demo:
		account = "demo · " + emulator.DefaultUser
	case account == "":
		account = "your mailbox"
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	return ui.Run(cmd.Context(), c, ui.Options{Account: account, SendDeadline: cfg.SendWait, Input: a.io.in, Output: a.io.out})
}

// isTerminalWriter reports whether w is an interactive terminal.
func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
