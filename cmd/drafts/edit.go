package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/compose"
)

func (a *app) editCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "edit ID",
		Short: "Edit a draft in your editor: To, Cc, Bcc, Subject and your text",
		Long: `Open the draft with the given id (see 'drafts list') in your editor, as a header block (To,
Cc, Bcc, Subject; addresses as "Name <address>", separated by commas; lines starting with #
are ignored), a blank line, and the text. On save, every address is checked, then only what
changed is written, against the version read when the editor opened (If-Match).

For a reply or forward you edit your own text: it is written back above the quoted message,
which stays as it was. An HTML draft stays HTML (your text becomes its paragraphs).

What you typed is kept in a private file in the cache directory (edits/) until it is saved:
after a bad address, a failed save, an editor that exits non-zero, or a crash, the next
'drafts edit ID' offers it back. A bad address on a terminal offers the editor again at once.

If the draft changed elsewhere (in Outlook) while the editor was open, nothing is overwritten:
drafts says what changed there, and on a terminal asks whether to reopen the editor on the new
version, with your text below it as # lines to copy from, or to drop your edit. Elsewhere it
exits 1 with your text kept, and the next 'drafts edit ID' opens the new version that way.

` + editorHelp + `

` + editExitCodes,
		Args: exactArgs(1, "the id of one draft"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			if err := idArg("draft", id); err != nil {
				return err
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			w, c, stop, err := a.writingFor(cmd.Context(), cfg, id, "drafts edit "+id)
			if err != nil {
				return err
			}
			defer stop()
			return a.editDraft(cmd.Context(), c, w, id)
		},
	}
}

// Why saveEdit did not save.
var (
	errChanged = errors.New("the draft changed elsewhere")
	errGone    = errors.New("the draft is gone")
)

// editDraft is one edit of the draft id, as compose's session describes it: read it, open the
// editor (on the kept text, if the user takes it), keep what the editor leaves, parse it (a bad
// address: again), write what changed against the version read, and after a conflict reopen on
// the new version or drop the edit.
func (a *app) editDraft(ctx context.Context, c *graph.Client, w *writing, id string) error {
	src, err := c.DraftForEdit(ctx, id)
	switch {
	case graph.IsNotFound(err):
		return w.notSaved("there is no draft with this id (sent, deleted or moved elsewhere?): see 'drafts list'")
	case err != nil:
		return w.stopped(err)
	case !src.Message.IsDraft:
		return w.notSaved("that message is not a draft (it was sent); nothing to edit")
	}
	kept, keptAt := w.offerKept(ctx, "this draft")
	text, orig, _ := compose.Start(src, kept)
	if kept != nil && src.Message.LastModified.After(keptAt) {
		fmt.Fprintln(a.io.err, "drafts: note: the draft was changed elsewhere after your text was kept: the editor shows its new version, and your text below it as # lines to copy from")
		text = compose.Conflict(src, kept)
	}
	for {
		edited, err := w.editor(ctx, text)
		if err != nil {
			return err
		}
		fields, draft, err := compose.Finish(src, orig, edited)
		if err != nil {
			again, err := w.retry(ctx, problem(err))
			if !again {
				return err
			}
			text = edited
			continue
		}
		if note := subjectNote(edited, draft); note != "" {
			fmt.Fprintln(a.io.err, note)
		}
		if fields.Empty() {
			w.drop()
			fmt.Fprintln(a.io.out, "no changes: nothing saved")
			return nil
		}
		saved, err := saveEdit(ctx, c, id, src, fields)
		switch {
		case err == nil:
			w.drop()
			fmt.Fprintf(a.io.out, "saved %s (changed: %s)\n", quoted(saved.Subject), strings.Join(fieldNames(fields), ", "))
			return nil
		case graph.IsTooLarge(err):
			again, err := w.retry(ctx, graph.Describe(err))
			if !again {
				return err
			}
			text = edited
			continue
		case errors.Is(err, errGone):
			return w.notSaved("the draft was sent or deleted elsewhere while you edited it; nothing saved")
		case !errors.Is(err, errChanged):
			return w.stopped(err)
		}
		// Changed elsewhere: nothing was written. Read the new version and say what changed.
		now, err := c.DraftForEdit(ctx, id)
		switch {
		case graph.IsNotFound(err) || err == nil && !now.Message.IsDraft:
			return w.notSaved("the draft was sent or deleted elsewhere while you edited it; nothing saved")
		case err != nil:
			return w.stopped(err)
		}
		why := "the draft was changed elsewhere while you edited it (" + changedElsewhere(src, now) + "); nothing was overwritten"
		merge := compose.Conflict(now, edited)
		if !a.io.inTTY {
			w.keep(merge) // the next edit opens the new version with this text below it
			return w.notSaved(why)
		}
		fmt.Fprintln(a.io.err, "drafts: "+why)
		answer, ok := a.ask(ctx, "[r]eopen on the new version with your text below it, or [d]rop your edit? ")
		switch {
		case ok && (answer == "r" || answer == "reopen"):
			src, text = now, merge
			_, orig, _ = compose.Start(now, nil)
		case ok && (answer == "d" || answer == "drop"):
			w.drop()
			return &exitError{code: exitFailed, msg: "your edit is dropped; the draft stays as it was changed elsewhere", known: true}
		default:
			w.keep(merge)
			return w.notSaved("not saved")
		}
	}
}

// saveEdit writes f to the draft, against the version src was read at: the version is read
// again first (a server that ignored If-Match would overwrite), then the PATCH carries it. It
// returns errChanged when the draft changed since, errGone when it is no longer a draft.
func saveEdit(ctx context.Context, c *graph.Client, id string, src graph.EditSource, f graph.DraftFields) (graph.Message, error) {
	st, err := c.DraftState(ctx, id)
	switch {
	case err != nil:
		return graph.Message{}, err
	case !st.Exists:
		return graph.Message{}, errGone
	case st.ChangeKey != src.Message.ChangeKey:
		return graph.Message{}, errChanged
	}
	m, err := c.UpdateDraft(ctx, id, src.ETag, f)
	switch {
	case graph.IsConflict(err):
		return graph.Message{}, errChanged
	case graph.IsNotFound(err):
		return graph.Message{}, errGone
	}
	return m, err
}
