package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

// Exit codes, documented in the root command's help and the README.
const (
	exitOK      = 0 // done; for send: sent and seen in Sent Items
	exitFailed  = 1 // failed; for send: not sent
	exitUsage   = 2 // bad flags or arguments
	exitPending = 3 // send accepted by Outlook, not yet seen in Sent Items
	exitUnknown = 4 // send outcome unknown: look in Sent Items before sending again
	// exitCanceled is Ctrl-C's, where the command would otherwise fail;
	// for list: nothing was printed as if it were the whole list.
	exitCanceled = 130
)

const exitCodesHelp = `Exit codes:
    0  success (send: sent and seen in Sent Items)
    1  failure (send: not sent; the draft is unchanged)
    2  bad flags, arguments or settings (a flag, a DRAFTS_* variable, the config file)
    3  send accepted by Outlook but not yet seen in Sent Items (do not resend)
    4  send outcome unknown (look in Sent Items before sending again)
  130  interrupted by Ctrl-C (list: nothing printed as if it were the whole list)`

// exitError carries an exit code and a one-line message (which may be empty
// when the command already printed what happened).
type exitError struct {
	code int
	msg  string
	// known marks an outcome that is certain even though Ctrl-C ended the
	// command (a send taken back during --undo): the code is kept.
	known bool
	// cause is the error behind it, when there is one (Graph's 404 behind "no such message"),
	// for callers that tell errors apart (errors.As, graph.IsNotFound).
	cause error
}

func (e *exitError) Error() string { return e.msg }

// Unwrap is the error behind it.
func (e *exitError) Unwrap() error { return e.cause }

func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, msg: fmt.Sprintf(format, args...)}
}

// exitCode returns the process exit code for err.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return exitFailed
}

// noArgs rejects positional arguments with a usage exit code.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q (see '%s --help')", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}
