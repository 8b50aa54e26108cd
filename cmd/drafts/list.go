package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
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
			cfg, err := a.config()
			if err != nil {
				return err
			}
			c, stop, err := a.connect(cmd.Context(), cfg)
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
// what is held until the end is the encoded text, not the messages.
func writeJSONList(cmd *cobra.Command, w io.Writer, p pageSource) error {
	var chunks [][]byte // one a page, so that no page's text is copied again
	n, size := 0, 0     // drafts and bytes so far
	err := eachPage(cmd.Context(), p, func(msgs []graph.Message) error {
		if len(msgs) == 0 {
			return nil
		}
		est := 512 * len(msgs)
		if n > 0 {
			est = (size/n + 16) * len(msgs)
		}
		buf := make([]byte, 0, est)
		for _, m := range msgs {
			if n == 0 {
				buf = append(buf, "[\n"...)
			} else {
				buf = append(buf, ",\n"...)
			}
			n++
			buf = appendDraftJSON(buf, m)
		}
		size += len(buf)
		chunks = append(chunks, buf)
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

// appendDraftJSON appends the draftJSON of m and a newline, exactly as
// encoding/json's Encoder with SetEscapeHTML(false) writes it, without its
// reflection and allocations (a test compares the two).
func appendDraftJSON(b []byte, m graph.Message) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, m.ID)
	b = append(b, `,"subject":`...)
	b = appendJSONString(b, m.Subject)
	b = append(b, `,"to":`...)
	b = appendAddresses(b, m.To)
	b = append(b, `,"cc":`...)
	b = appendAddresses(b, m.Cc)
	b = append(b, `,"bcc":`...)
	b = appendAddresses(b, m.Bcc)
	if m.LastModified.IsZero() {
		b = append(b, `,"lastModified":null,"internetMessageId":`...)
	} else {
		b = append(b, `,"lastModified":"`...)
		b = m.LastModified.UTC().AppendFormat(b, time.RFC3339)
		b = append(b, `","internetMessageId":`...)
	}
	b = appendJSONString(b, m.InternetMessageID)
	b = append(b, `,"conversationId":`...)
	b = appendJSONString(b, m.ConversationID)
	b = append(b, `,"hasAttachments":`...)
	b = strconv.AppendBool(b, m.HasAttachments)
	b = append(b, `,"importance":`...)
	b = appendJSONString(b, string(m.Importance))
	return append(b, "}\n"...)
}

func appendAddresses(b []byte, rs []graph.Recipient) []byte {
	b = append(b, '[')
	for i, r := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, r.Address)
	}
	return append(b, ']')
}

// appendJSONString appends s as a JSON string the way encoding/json does
// without HTML escaping: quote, backslash and control characters escaped
// (\b \f \n \r \t by name), invalid UTF-8 as \ufffd, U+2028 and U+2029 as
// escapes.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
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
