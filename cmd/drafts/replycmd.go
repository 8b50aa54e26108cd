package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/graph"
)

// replyKinds are the commands that make a draft from a message, with what each makes.
var replyKinds = []struct {
	name  string // the command, and the "kind" of its JSON
	kind  graph.ReplyKind
	short string
	what  string // the draft it makes, in a sentence
}{
	{"reply", graph.Reply, "Make a reply draft to a message; prints the new draft's id", "a reply to its sender"},
	{"reply-all", graph.ReplyAll, "Make a reply-to-all draft to a message; prints the new draft's id", "a reply to its sender and every other recipient"},
	{"forward", graph.Forward, "Make a forward draft of a message; prints the new draft's id", "a forward (with no recipients yet: add them with 'drafts edit')"},
}

// replyCmds are reply, reply-all and forward.
func (a *app) replyCmds() []*cobra.Command {
	var cmds []*cobra.Command
	for _, k := range replyKinds {
		var (
			comment string
			asJSON  bool
		)
		cmd := &cobra.Command{
			Use:   k.name + " MESSAGE_ID [--comment TEXT] [--json]",
			Short: k.short,
			Long: `Make ` + k.what + ` of the message with the given id, as Outlook does: a draft in Drafts,
in the same conversation, with the message quoted below --comment (your text, if given). The
message may be any message of the mailbox: in the Inbox, in Sent Items, anywhere.

It prints the new draft's id, for 'drafts edit', 'drafts attach' and 'drafts send'; --json
prints {"id": …, "subject": …, "kind": "` + k.name + `"} instead.

Exit codes:
    0  made: the new draft is in Drafts
    1  not made: no such message, Graph refused, or another failure (if the answer was lost on
       the way, the draft may exist all the same: the message says so)
    2  bad flags or arguments, or a bad settings file or DRAFTS_* variable
  130  interrupted by Ctrl-C`,
			Args: exactArgs(1, "the id of one message"),
			RunE: func(cmd *cobra.Command, args []string) error {
				id := args[0]
				if strings.TrimSpace(id) == "" {
					return usageErrorf("the message id is empty: give the id of a message")
				}
				_, c, stop, err := a.client(cmd.Context())
				if err != nil {
					return err
				}
				defer stop()
				m, err := c.CreateReply(cmd.Context(), id, k.kind, comment)
				switch {
				case graph.IsNotFound(err):
					return &exitError{code: exitFailed, msg: "there is no such message (it may have been moved or deleted); no draft made"}
				case err != nil:
					if cmd.Context().Err() != nil {
						return err
					}
					return &exitError{code: exitFailed, msg: "no " + k.name + " made: " + graph.Describe(err) + lostAnswer(err)}
				}
				if asJSON {
					enc := json.NewEncoder(a.io.out)
					enc.SetEscapeHTML(false)
					return enc.Encode(struct {
						ID      string `json:"id"`
						Subject string `json:"subject"`
						Kind    string `json:"kind"`
					}{m.ID, m.Subject, k.name})
				}
				fmt.Fprintln(a.io.out, m.ID)
				if a.io.outTTY {
					fmt.Fprintf(a.io.err, "drafts: %s %s is in Drafts: 'drafts edit %s' to write it\n", k.name, quoted(m.Subject), m.ID)
				}
				return nil
			},
		}
		cmd.Flags().StringVar(&comment, "comment", "", "your text, above the quoted message")
		cmd.Flags().BoolVar(&asJSON, "json", false, `print {"id": …, "subject": …, "kind": …} of the new draft`)
		cmds = append(cmds, cmd)
	}
	return cmds
}
