package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/graph"
)

func (a *app) rmCmd() *cobra.Command {
	var yes, asJSON bool
	cmd := &cobra.Command{
		Use:   "rm ID [--yes] [--json]",
		Short: "Discard a draft: Graph moves it to Deleted Items",
		Long: `Discard the draft with the given id (see 'drafts list'). Graph moves it to Deleted Items,
where Outlook can restore it.

On a terminal it shows the subject and every recipient and asks y/N first; --yes skips the
question, and is required when standard input is not a terminal. A draft changed elsewhere
since it was shown is not discarded (run it again to see the new version).

Exit codes:
    0  discarded: moved to Deleted Items
    1  not discarded: the answer was not y, the draft changed elsewhere or is already gone
       (sent, deleted or moved), or another failure
    2  bad flags or arguments (no --yes without a terminal), or a bad settings file or
       DRAFTS_* variable
  130  interrupted by Ctrl-C`,
		Args: exactArgs(1, "the id of one draft"),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			id := args[0]
			if asJSON { // a script that asked for JSON gets an outcome however the command ends
				out := &wroteWriter{Writer: a.io.out}
				a.io.out = out
				defer func() {
					if err != nil && !out.wrote {
						writeNotDiscardedJSON(out, id, err)
					}
				}()
			}
			if err := idArg("draft", id); err != nil {
				return err
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			if !yes && !a.io.inTTY {
				return usageErrorf("refusing to discard without --yes: standard input is not a terminal to ask on")
			}
			c, stop, err := a.connect(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer stop()
			gone := &exitError{code: exitFailed, msg: "there is no such draft: it is already gone (sent, deleted or moved elsewhere); nothing discarded"}
			d, err := c.Message(cmd.Context(), id)
			switch {
			case graph.IsNotFound(err):
				return gone
			case err != nil:
				return err
			case !d.IsDraft:
				return &exitError{code: exitFailed, msg: "that message is not a draft (it was sent); nothing discarded"}
			}
			if !yes && !confirm(cmd.Context(), a.io.in, a.io.err, d, func() {}, "Discard it (move it to Deleted Items)? [y/N] ") {
				fmt.Fprintln(a.io.err, "not discarded")
				return &exitError{code: exitFailed}
			}
			err = c.DeleteDraft(cmd.Context(), id, graph.ETagOf(d.ChangeKey))
			switch {
			case graph.IsConflict(err):
				return &exitError{code: exitFailed, msg: "the draft was changed elsewhere since it was read; not discarded: run 'drafts rm " + id + "' again to see the new version"}
			case graph.IsNotFound(err):
				return gone
			case err != nil:
				return err
			}
			if asJSON {
				enc := json.NewEncoder(a.io.out)
				enc.SetEscapeHTML(false)
				return enc.Encode(struct {
					ID      string `json:"id"`
					Outcome string `json:"outcome"`
					Folder  string `json:"folder"`
				}{id, "discarded", "deleteditems"})
			}
			fmt.Fprintf(a.io.out, "discarded %s: moved to Deleted Items\n", quoted(d.Subject))
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "discard without asking")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the outcome as JSON")
	return cmd
}

// writeNotDiscardedJSON is the JSON outcome of a discard that was not made, with why.
func writeNotDiscardedJSON(w io.Writer, id string, err error) {
	why := graph.Describe(err)
	var e *exitError
	if errors.As(err, &e) && e.msg != "" {
		why = e.msg
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(struct {
		ID      string `json:"id"`
		Outcome string `json:"outcome"`
		Error   string `json:"error"`
	}{id, "not-discarded", why})
}
