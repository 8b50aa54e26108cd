package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/graph"
)

func (a *app) listCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List all drafts, newest first",
		Long: `List all drafts of the mailbox, most recently changed first.

The table shows when each draft was last changed, its recipients, subject and id; use the id
with 'drafts send'. --json prints a JSON array of objects with id, subject, to, cc, bcc,
lastModified, internetMessageId, conversationId, hasAttachments and importance.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			c, stop, err := a.connect(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer stop()
			p := c.Drafts(0)
			if asJSON {
				return writeJSONList(cmd, a.io.out, p)
			}
			return writeTable(cmd, a.io.out, p)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array instead of a table")
	return cmd
}

// draftJSON is one draft in 'drafts list --json'.
type draftJSON struct {
	ID                string   `json:"id"`
	Subject           string   `json:"subject"`
	To                []string `json:"to"`
	Cc                []string `json:"cc"`
	Bcc               []string `json:"bcc"`
	LastModified      string   `json:"lastModified"`
	InternetMessageID string   `json:"internetMessageId"`
	ConversationID    string   `json:"conversationId"`
	HasAttachments    bool     `json:"hasAttachments"`
	Importance        string   `json:"importance"`
}

func addresses(rs []graph.Recipient) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Address
	}
	return out
}

// writeJSONList streams the drafts as one JSON array, page by page, so the
// first drafts are printed before the last page is fetched and memory stays
// bounded by a page.
func writeJSONList(cmd *cobra.Command, w io.Writer, p *graph.Pager) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	sep := "[\n"
	n := 0
	for p.More() {
		msgs, err := p.Next(cmd.Context())
		for _, m := range msgs {
			fmt.Fprint(w, sep)
			sep = ",\n"
			n++
			_ = enc.Encode(draftJSON{
				ID: m.ID, Subject: m.Subject,
				To: addresses(m.To), Cc: addresses(m.Cc), Bcc: addresses(m.Bcc),
				LastModified:      m.LastModified.UTC().Format(time.RFC3339),
				InternetMessageID: m.InternetMessageID, ConversationID: m.ConversationID,
				HasAttachments: m.HasAttachments, Importance: string(m.Importance),
			})
		}
		if err != nil {
			if n > 0 {
				fmt.Fprintln(w, "]")
			}
			return err
		}
	}
	if n == 0 {
		fmt.Fprintln(w, "[]")
		return nil
	}
	fmt.Fprintln(w, "]")
	return nil
}

// Column widths of the table, in terminal cells.
const (
	colWhen    = 16
	colTo      = 28
	colSubject = 48
)

// writeTable prints a fixed-width table, page by page.
func writeTable(cmd *cobra.Command, w io.Writer, p *graph.Pager) error {
	fmt.Fprintf(w, "%s  %s  %s  %s\n", pad("MODIFIED", colWhen), pad("TO", colTo), pad("SUBJECT", colSubject), "ID")
	n := 0
	for p.More() {
		msgs, err := p.Next(cmd.Context())
		for _, m := range msgs {
			n++
			subject := m.Subject
			if subject == "" {
				subject = "(no subject)"
			}
			fmt.Fprintf(w, "%s  %s  %s  %s\n",
				pad(m.LastModified.Local().Format("2006-01-02 15:04"), colWhen),
				pad(recipientSummary(m), colTo),
				pad(flags(m)+subject, colSubject),
				m.ID)
		}
		if err != nil {
			return err
		}
	}
	if n == 0 {
		fmt.Fprintln(w, "(no drafts)")
	}
	return nil
}

// recipientSummary is the first recipient and a count of the others.
func recipientSummary(m graph.Message) string {
	all := m.Recipients()
	if len(all) == 0 {
		return "(no recipients)"
	}
	first := all[0].Address
	if first == "" {
		first = all[0].Name
	}
	if len(all) > 1 {
		return fmt.Sprintf("%s +%d", first, len(all)-1)
	}
	return first
}

// flags marks high importance and attachments before the subject.
func flags(m graph.Message) string {
	s := ""
	if m.Importance == graph.ImportanceHigh {
		s += "! "
	}
	if m.HasAttachments {
		s += "@ "
	}
	return s
}

// pad truncates s to width cells (with an ellipsis) and pads it with spaces,
// measuring wide characters (CJK, emoji) as the terminal does.
func pad(s string, width int) string {
	s = ansi.Truncate(s, width, "…")
	if gap := width - ansi.StringWidth(s); gap > 0 {
		s += strings.Repeat(" ", gap)
	}
	return s
}
