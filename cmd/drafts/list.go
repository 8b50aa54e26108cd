package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	json "github.com/goccy/go-json"
	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/sending"
)

func (a *app) listCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List all drafts, newest first",
		Long: `List all drafts of the mailbox, most recently changed first.

The table shows when each draft was last changed, its recipients, subject and id; use the id
with 'drafts send'. --json prints a JSON array of objects with id, subject, to, cc, bcc,
lastModified, internetMessageId, conversationId, hasAttachments and importance.

A list is printed whole or marked incomplete, never cut short silently. When a page cannot be
read, or Ctrl-C stops the listing, the exit code is 1 (130 after Ctrl-C) and standard error says
why; with --json nothing is printed on standard output (the array is printed once every page is
read); the table, printed page by page as they arrive, then ends with a line that says it is
incomplete.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, c, stop, err := a.client(cmd.Context())
			if err != nil {
				return err
			}
			defer stop()
			a.settleInterrupted(cmd.Context(), sending.Driver{Mailbox: c, Journal: a.journalFor(cfg, c)})
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
	LastModified      *string  `json:"lastModified"` // null when Graph's date was missing or unreadable
	InternetMessageID string   `json:"internetMessageId"`
	ConversationID    string   `json:"conversationId"`
	HasAttachments    bool     `json:"hasAttachments"`
	Importance        string   `json:"importance"`
}

// newDraftJSON is m as 'drafts list --json' shows it: recipients by
// address ([] when there are none; the three lists share one array), the
// date in UTC to the second, or null rather than the year 1.
func newDraftJSON(m graph.Message) draftJSON {
	d := draftJSON{
		ID: m.ID, Subject: m.Subject,
		InternetMessageID: m.InternetMessageID, ConversationID: m.ConversationID,
		HasAttachments: m.HasAttachments, Importance: string(m.Importance),
	}
	all := make([]string, 0, len(m.To)+len(m.Cc)+len(m.Bcc))
	list := func(rs []graph.Recipient) []string {
		start := len(all)
		for _, r := range rs {
			all = append(all, r.Address)
		}
		return all[start:len(all):len(all)]
	}
	d.To, d.Cc, d.Bcc = list(m.To), list(m.Cc), list(m.Bcc)
	if !m.LastModified.IsZero() {
		s := m.LastModified.UTC().Format(time.RFC3339)
		d.LastModified = &s
	}
	return d
}

// pageSource is what a listing reads: a *graph.Pager.
type pageSource interface {
	More() bool
	Next(ctx context.Context) ([]graph.Message, error)
}

// pageResult is one page of a listing, read ahead of the printing.
type pageResult struct {
	msgs []graph.Message
	err  error
	last bool // the listing ends with this page: it was read whole
}

// errListingStopped is returned when the pages stop coming without an
// error to say why; it is never the case that a listing ends silently.
var errListingStopped = errors.New("the listing stopped before its last page; try again")

// eachPage calls show with each page of p in order, reading ahead while
// show runs (a page waiting and the next on its way, at most). It returns nil only when the
// listing was read to its end: a page that fails, a cancelled ctx or an
// error from show stops it, and the error is returned, so a caller never
// takes part of a listing for all of it.
func eachPage(ctx context.Context, p pageSource, show func([]graph.Message) error) error {
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan pageResult, 1)
	go func() {
		defer close(ch)
		for {
			if err := ctx.Err(); err != nil {
				ch <- pageResult{err: err}
				return
			}
			msgs, err := p.Next(ctx)
			r := pageResult{msgs: msgs, err: err, last: err == nil && !p.More()}
			// Every result is delivered, errors above all: the reader
			// drains the channel before it returns.
			ch <- r
			if r.err != nil || r.last {
				return
			}
		}
	}()
	defer func() {
		cancel()
		for range ch { // let the reader finish (it stops at once) and end
		}
	}()
	for r := range ch {
		if r.err != nil {
			return r.err
		}
		if err := show(r.msgs); err != nil {
			return err
		}
		if r.last {
			return nil
		}
	}
	return errListingStopped // not reached: the reader ends on an error or the last page
}

// writeJSONList prints the drafts as one JSON array, and only once the
// listing has been read whole: a listing that fails or is interrupted
// part-way prints nothing on standard output (the caller reports the error
// and exits non-zero), so a script never reads part of the drafts as all
// of them. Pages are encoded as they arrive, while the next is fetched;
// what is held until the end is the encoded text, not the messages. Each
// draft is one line, the array's brackets and commas on lines of their own.
func writeJSONList(cmd *cobra.Command, w io.Writer, p pageSource) error {
	var chunks [][]byte // one a page, so that no page's text is copied again
	n, size := 0, 0     // drafts and bytes so far
	var page appendWriter
	enc := json.NewEncoder(&page) // encoding/json's output, by the library's encoder
	enc.SetEscapeHTML(false)
	err := eachPage(cmd.Context(), p, func(msgs []graph.Message) error {
		if len(msgs) == 0 {
			return nil
		}
		est := 512 * len(msgs)
		if n > 0 {
			est = (size/n + 16) * len(msgs)
		}
		page = make([]byte, 0, est)
		for _, m := range msgs {
			if n == 0 {
				page = append(page, "[\n"...)
			} else {
				page = append(page, ",\n"...)
			}
			n++
			d := newDraftJSON(m)
			if err := enc.Encode(&d); err != nil { // each value ends with a newline
				return err
			}
		}
		size += len(page)
		chunks = append(chunks, page)
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		chunks = append(chunks, []byte("[]\n"))
	} else {
		chunks = append(chunks, []byte("]\n"))
	}
	for _, c := range chunks {
		if _, err := w.Write(c); err != nil {
			return err
		}
	}
	return nil
}

// appendWriter is an io.Writer that appends to itself: the encoder writes
// each draft to it, and the separators are appended between them.
type appendWriter []byte

func (w *appendWriter) Write(p []byte) (int, error) {
	*w = append(*w, p...)
	return len(p), nil
}

// Column widths of the table, in terminal cells.
const (
	colWhen    = 16
	colTo      = 28
	colSubject = 48
)

// writeTable prints a fixed-width table, page by page (one write a page),
// reading the next page while one is printed. A listing that fails or is
// interrupted part-way prints nothing if no page came, else ends the rows
// with a line that says the table is incomplete (and the caller reports
// the error and exits non-zero): it never looks whole.
func writeTable(cmd *cobra.Command, w io.Writer, p pageSource) error {
	var b bytes.Buffer
	header := func() {
		fmt.Fprintf(&b, "%s  %s  %s  %s\n", pad("MODIFIED", colWhen), pad("TO", colTo), pad("SUBJECT", colSubject), "ID")
	}
	n := 0 // drafts printed
	err := eachPage(cmd.Context(), p, func(msgs []graph.Message) error {
		if len(msgs) == 0 {
			return nil
		}
		if n == 0 {
			header()
		}
		for _, m := range msgs {
			n++
			subject := graph.SubjectOr(m.Subject)
			fmt.Fprintf(&b, "%s  %s  %s  %s\n",
				pad(tableTime(m.LastModified), colWhen),
				pad(recipientSummary(m), colTo),
				pad(flags(m)+subject, colSubject),
				m.ID)
		}
		_, err := w.Write(b.Bytes())
		b.Reset()
		return err
	})
	if err != nil {
		if n > 0 {
			noun := "drafts"
			if n == 1 {
				noun = "draft"
			}
			fmt.Fprintf(w, "(incomplete: the listing stopped after %d %s; these are not all of them)\n", n, noun)
		}
		return err
	}
	if n == 0 {
		header()
		b.WriteString("(no drafts)\n")
		_, err = w.Write(b.Bytes())
	}
	return err
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

// tableTime is a date of the table; a date Graph did not give (or gave unreadable) is "?", not
// the year 1.
func tableTime(t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return t.Local().Format("2006-01-02 15:04")
}
