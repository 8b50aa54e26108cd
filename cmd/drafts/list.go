package main

import (
	"bytes"
	"context"
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
			a.settleInterrupted(cmd.Context(), sending.Driver{Mailbox: c, Journal: journalFor(cfg, c)})
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

// pageResult is one page of a listing, read ahead of the printing.
type pageResult struct {
	msgs []graph.Message
	err  error
}

// readAhead reads the pages of p in a goroutine, at most two pages ahead,
// so the next page is on its way while one is printed. It stops after an
// error, or when ctx ends.
func readAhead(ctx context.Context, p *graph.Pager) <-chan pageResult {
	ch := make(chan pageResult, 1)
	go func() {
		defer close(ch)
		for p.More() {
			msgs, err := p.Next(ctx)
			select {
			case ch <- pageResult{msgs, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return ch
}

// writeJSONList streams the drafts as one JSON array, page by page: each
// page is printed (in one write) as soon as it is read, while the next one
// is fetched, and memory stays bounded by a few pages.
func writeJSONList(cmd *cobra.Command, w io.Writer, p *graph.Pager) error {
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	var buf []byte
	n := 0
	for page := range readAhead(ctx, p) {
		buf = buf[:0]
		for _, m := range page.msgs {
			if n == 0 {
				buf = append(buf, "[\n"...)
			} else {
				buf = append(buf, ",\n"...)
			}
			n++
			buf = appendDraftJSON(buf, m)
		}
		if page.err != nil {
			if n > 0 {
				buf = append(buf, "]\n"...)
			}
			_, _ = w.Write(buf)
			return page.err
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	if n == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	_, err := io.WriteString(w, "]\n")
	return err
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
	b = append(b, `,"lastModified":"`...)
	b = m.LastModified.UTC().AppendFormat(b, time.RFC3339)
	b = append(b, `","internetMessageId":`...)
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
// reading the next page while one is printed.
func writeTable(cmd *cobra.Command, w io.Writer, p *graph.Pager) error {
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s  %s  %s  %s\n", pad("MODIFIED", colWhen), pad("TO", colTo), pad("SUBJECT", colSubject), "ID")
	n := 0
	for page := range readAhead(ctx, p) {
		for _, m := range page.msgs {
			n++
			subject := graph.SubjectOr(m.Subject)
			fmt.Fprintf(&b, "%s  %s  %s  %s\n",
				pad(m.LastModified.Local().Format("2006-01-02 15:04"), colWhen),
				pad(recipientSummary(m), colTo),
				pad(flags(m)+subject, colSubject),
				m.ID)
		}
		if _, err := w.Write(b.Bytes()); err != nil {
			return err
		}
		b.Reset()
		if page.err != nil {
			return page.err
		}
	}
	if n == 0 {
		b.WriteString("(no drafts)\n")
	}
	_, err := w.Write(b.Bytes())
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
