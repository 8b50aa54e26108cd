package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/compose"
)

// maxBodyFile bounds what --body-file reads: well past Graph's limit (which is then reported
// as such), short of exhausting memory.
const maxBodyFile = 4 * graph.MaxWriteBytes

func (a *app) newCmd() *cobra.Command {
	var (
		to, cc, bcc []string
		subject     string
		bodyFile    string
		asJSON      bool
	)
	cmd := &cobra.Command{
		Use:   "new [--to ADDR] [--cc ADDR] [--bcc ADDR] [--subject S] [--body-file F|-] [--json]",
		Short: "Write a new draft (in your editor on a terminal)",
		Long: `Make a new draft in Drafts (outside any thread).

With --body-file (- reads standard input), or when standard input is not a terminal, the draft
is made at once from the flags; with nothing given at all, nothing is made (exit 2). On a
terminal without --body-file, your editor opens on the header block filled from the flags (To,
Cc, Bcc, Subject; addresses as "Name <address>", separated by commas), a blank line, and room
for the text; a draft left untouched or empty is not created (exit 1).

--to, --cc and --bcc may be repeated, and each may hold several addresses separated by commas;
every address is checked first. Control characters in --subject are removed. What you typed in
the editor is kept in a private file in the cache directory until the draft is made; the next
'drafts new' on a terminal offers it back. --json prints {"id": …} of the new draft.

` + editorHelp + `

` + newExitCodes,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			head, err := flagDraft(to, cc, bcc, subject)
			if err != nil {
				return err
			}
			if head.Subject != strings.TrimSpace(subject) {
				fmt.Fprintln(a.io.err, "drafts: note: control characters in --subject were removed or shown as symbols")
			}
			given := cmd.Flags().Changed("body-file")
			if given {
				if head.Text, err = a.readBodyFile(bodyFile); err != nil {
					return err
				}
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			if given || !a.io.inTTY {
				if head.Empty() {
					return usageErrorf("nothing to create: give --to, --cc, --subject or --body-file (or run 'drafts new' on a terminal to write it in your editor)")
				}
				c, stop, err := a.connect(cmd.Context(), cfg)
				if err != nil {
					return err
				}
				defer stop()
				m, err := c.CreateDraft(cmd.Context(), newFields(head))
				if err != nil {
					return &exitError{code: exitFailed, msg: "not created: " + graph.Describe(err) + lostAnswer(err)}
				}
				a.created(m, asJSON)
				return nil
			}
			w, c, stop, err := a.writingFor(cmd.Context(), cfg, "new", "drafts new")
			if err != nil {
				return err
			}
			defer stop()
			return a.writeNew(cmd.Context(), c, w, head, asJSON)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&to, "to", nil, `a To recipient, "Name <address>" or the address (repeat it, or separate with commas)`)
	f.StringArrayVar(&cc, "cc", nil, "a Cc recipient (repeat it, or separate with commas)")
	f.StringArrayVar(&bcc, "bcc", nil, "a Bcc recipient (repeat it, or separate with commas)")
	f.StringVar(&subject, "subject", "", "the subject")
	f.StringVar(&bodyFile, "body-file", "", "the text of the draft, from this file (- for standard input); no editor is opened")
	f.BoolVar(&asJSON, "json", false, `print {"id": …} of the new draft`)
	return cmd
}

// writeNew writes a new draft in the editor, starting from head (or from the text kept from
// an earlier run, if the user takes it), and makes it; an untouched or empty one is not made.
func (a *app) writeNew(ctx context.Context, c *graph.Client, w *writing, head compose.Draft, asJSON bool) error {
	start := compose.Format(head, false)
	text := start
	if kept, _ := w.offerKept(ctx, "a new draft"); kept != nil {
		text = kept
	}
	for {
		edited, err := w.editor(ctx, text)
		if err != nil {
			return err
		}
		d, err := compose.Parse(edited)
		if err != nil {
			again, err := w.retry(ctx, problem(err))
			if !again {
				return err
			}
			text = edited
			continue
		}
		if bytes.Equal(edited, start) || d.Empty() {
			w.drop()
			why := "not created: the draft was left as it was opened"
			if d.Empty() {
				why = "not created: the draft is empty"
			}
			return &exitError{code: exitFailed, msg: why, known: true}
		}
		if note := subjectNote(edited, d); note != "" {
			fmt.Fprintln(a.io.err, note)
		}
		m, err := c.CreateDraft(ctx, newFields(d))
		switch {
		case graph.IsTooLarge(err):
			again, err := w.retry(ctx, graph.Describe(err))
			if !again {
				return err
			}
			text = edited
			continue
		case err != nil:
			if ctx.Err() != nil {
				return w.stopped(err)
			}
			return w.notSaved("not created: " + graph.Describe(err) + lostAnswer(err))
		}
		w.drop()
		a.created(m, asJSON)
		return nil
	}
}

// flagDraft is the draft the flags describe, every address checked as the editor's are (a
// bad one is a usage error naming it), the subject cleaned.
func flagDraft(to, cc, bcc []string, subject string) (compose.Draft, error) {
	list := func(vs []string) string {
		return strings.NewReplacer("\r", ",", "\n", ",").Replace(strings.Join(vs, ", "))
	}
	d, err := compose.Parse([]byte("To: " + list(to) + "\nCc: " + list(cc) + "\nBcc: " + list(bcc) + "\nSubject:\n"))
	if err != nil {
		var fe *compose.FieldError
		if errors.As(err, &fe) {
			return d, usageErrorf("--%s: %q %s", strings.ToLower(fe.Field), graph.CleanLine(fe.Value), fe.Why)
		}
		return d, usageErrorf("%s", graph.CleanLine(err.Error()))
	}
	d.Subject = strings.TrimSpace(graph.CleanLine(subject))
	return d, nil
}

// readBodyFile reads the text of --body-file: a file, or standard input for "-".
func (a *app) readBodyFile(name string) (string, error) {
	var r io.Reader
	if name == "-" {
		r = a.io.in
	} else {
		f, err := os.Open(name)
		if err != nil {
			return "", usageErrorf("--body-file: %s", oneLine(err.Error()))
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxBodyFile+1))
	if err != nil {
		return "", usageErrorf("--body-file: %s", oneLine(err.Error()))
	}
	if len(b) > maxBodyFile {
		return "", &exitError{code: exitFailed, msg: "not created: " + graph.ErrTooLarge.Error()}
	}
	return string(b), nil
}

// newFields are the fields of a new draft: what d has. The text is a text body.
func newFields(d compose.Draft) graph.DraftFields {
	var f graph.DraftFields
	if d.Subject != "" {
		f.Subject = &d.Subject
	}
	if len(d.To) > 0 {
		f.To = &d.To
	}
	if len(d.Cc) > 0 {
		f.Cc = &d.Cc
	}
	if len(d.Bcc) > 0 {
		f.Bcc = &d.Bcc
	}
	if strings.TrimSpace(d.Text) != "" {
		f.Body = &graph.Body{ContentType: "text", Content: d.Text}
	}
	return f
}

// created prints the new draft: its id as JSON, or a line.
func (a *app) created(m graph.Message, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(a.io.out)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(struct {
			ID string `json:"id"`
		}{m.ID})
		return
	}
	fmt.Fprintf(a.io.out, "created %s: %s\n", quoted(m.Subject), m.ID)
}

// lostAnswer is what to add when a create's answer was not Graph's refusal: it may have been
// made all the same.
func lostAnswer(err error) string {
	var t *graph.TransportError
	e, ok := graph.AsError(err)
	if ok && e.Status >= 500 || errors.As(err, &t) && !t.Unsent() || errors.Is(err, context.DeadlineExceeded) {
		return " (if the answer was lost on the way, the draft may exist: look in Drafts before making it again)"
	}
	return ""
}
