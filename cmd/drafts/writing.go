package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/compose"
)

// editExitCodes and newExitCodes are the exit codes of edit and new, for their --help.
const (
	editExitCodes = `Exit codes:
    0  saved, or nothing changed (then nothing is written)
    1  not saved: the editor failed or was not found, an address is wrong, the text is too
       large, the draft changed elsewhere or is gone, or Graph refused; your text is kept
       and the message says where
    2  bad flags or arguments, or a bad settings file or DRAFTS_* variable
  130  interrupted by Ctrl-C`
	newExitCodes = `Exit codes:
    0  created
    1  not created: left untouched or empty, the editor failed or was not found, an address
       typed in it is wrong, the text is too large, or Graph refused; what you typed in the
       editor is kept and the message says where
    2  bad flags or arguments (a bad address in --to, --cc or --bcc; nothing to create), or
       a bad settings file or DRAFTS_* variable
  130  interrupted by Ctrl-C`
)

// writing is what the edit and new commands share: the editor run on a text, what it leaves
// kept before anything else (compose.Keeper, under key: the draft id, or "new"), and the ways a
// save ends without saving, each saying where the text is kept.
type writing struct {
	a      *app
	keeper *compose.Keeper
	key    string // the keeper's key
	again  string // the command that offers the kept text back, e.g. "drafts edit ID"
}

// editor runs the editor on text and returns what it left, which is kept first when it is not
// text itself. An editor that exits non-zero saves nothing: its text is kept, and the error
// says where.
func (w *writing) editor(ctx context.Context, text []byte) ([]byte, error) {
	unlock, free, err := w.keeper.LockEditor(w.key)
	if err != nil {
		return nil, w.stopped(err)
	}
	if !free {
		return nil, &exitError{code: exitFailed, msg: "this draft's text is open in an editor in another drafts process: finish it there first", known: true}
	}
	defer unlock()
	edited, err := w.a.runEditor(ctx, w.keeper.EditorFile(w.key), text, func(b []byte) error {
		if bytes.Equal(b, text) {
			return nil
		}
		return w.keeper.Save(w.key, b)
	})
	var failed *errEditorFailed
	var e *exitError
	switch {
	case errors.As(err, &failed):
		return nil, w.notSaved(failed.Error() + ": nothing saved")
	case errors.As(err, &e) && e.known: // said all there is to say (where the text is left)
		return nil, err
	case errors.As(err, &e):
		return nil, w.notSaved(e.msg)
	case err != nil:
		return nil, w.stopped(err)
	case compose.Emptied(edited):
		w.drop()
		if w.key == "new" {
			return nil, &exitError{code: exitFailed, msg: "the text was emptied: no draft created", known: true}
		}
		return nil, &exitError{code: exitFailed, msg: "the text was emptied: nothing saved, the draft is unchanged", known: true}
	}
	return edited, nil
}

// kept reports whether text is kept for the key.
func (w *writing) kept() bool {
	_, _, ok := w.keeper.Load(w.key)
	return ok
}

// drop forgets the kept text: it was saved, or the user chose to drop it.
func (w *writing) drop() {
	if err := w.keeper.Drop(w.key); err != nil {
		fmt.Fprintln(w.a.io.err, "drafts: note: the kept text could not be removed: "+oneLine(err.Error()))
	}
}

// keep keeps text for the key, saying so if it cannot.
func (w *writing) keep(text []byte) {
	if err := w.keeper.Save(w.key, text); err != nil {
		fmt.Fprintln(w.a.io.err, "drafts: note: your text could not be kept: "+oneLine(err.Error()))
	}
}

// notSaved is the end of a command that saved nothing: exit 1 with why, and where the text is
// kept, when it is. Its outcome is certain, Ctrl-C or not: the message is always printed.
func (w *writing) notSaved(why string) error {
	if w.kept() {
		why += "; your text is kept in " + w.keeper.Path(w.key) + ": run '" + w.again + "' to go on with it"
	}
	return &exitError{code: exitFailed, msg: why, known: true}
}

// stopped is the end of a command that failed with err (Graph's, the network's, Ctrl-C):
// nothing saved, and where the text is kept.
func (w *writing) stopped(err error) error {
	if errors.Is(err, context.Canceled) {
		if w.kept() {
			fmt.Fprintf(w.a.io.err, "drafts: nothing saved; your text is kept in %s: run '%s' to go on with it\n", w.keeper.Path(w.key), w.again)
		}
		return err
	}
	return w.notSaved(graph.Describe(err) + "; nothing saved")
}

// retry says why the text cannot be saved as it is. On a terminal it asks whether to edit it
// again (true); otherwise, or when the answer is no, the command ends with the text kept.
func (w *writing) retry(ctx context.Context, why string) (bool, error) {
	if !w.a.io.inTTY {
		return false, w.notSaved(why)
	}
	fmt.Fprintln(w.a.io.err, "drafts: "+why)
	if answer, ok := w.a.ask(ctx, "Edit again? [Y/n] "); yesByDefault(answer, ok, false) {
		return true, nil
	}
	return false, w.notSaved("not saved")
}

// offerKept returns the text kept from an earlier run, and when it was kept, when there is one
// and the user takes it: on a terminal the user is asked (no drops it), elsewhere it is taken
// with a note.
func (w *writing) offerKept(ctx context.Context, what string) ([]byte, time.Time) {
	text, at, ok := w.keeper.Load(w.key)
	if !ok {
		return nil, time.Time{}
	}
	where, when := w.keeper.Path(w.key), at.Local().Format("Mon 2 Jan 15:04")
	if !w.a.io.inTTY {
		fmt.Fprintf(w.a.io.err, "drafts: note: opening the text you wrote for %s on %s, which was not saved (kept in %s)\n", what, when, where)
		return text, at
	}
	q := fmt.Sprintf("You wrote text for %s on %s that was not saved (kept in %s).\nGo on with it? [Y/n] (n drops it) ", what, when, where)
	if answer, ok := w.a.ask(ctx, q); yesByDefault(answer, ok, true) {
		return text, at
	}
	w.drop()
	return nil, time.Time{}
}

// problem is the words for a text that cannot be read: the header or address to fix.
func problem(err error) string {
	var fe *compose.FieldError
	if errors.As(err, &fe) {
		return "cannot save: " + graph.CleanLine(fe.Error())
	}
	return "cannot save: " + graph.CleanLine(err.Error())
}

// subjectNote says, when the subject typed had control characters that were cleaned, that it
// was; else "".
func subjectNote(text []byte, d compose.Draft) string {
	head, _, _ := strings.Cut(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n\n")
	for _, line := range strings.Split(head, "\n") {
		name, value, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(name), "subject") && strings.TrimSpace(value) != d.Subject {
			return "drafts: note: control characters in the subject were removed or shown as symbols"
		}
	}
	return ""
}

// fieldNames names the fields f sets, for "changed: Subject, Cc".
func fieldNames(f graph.DraftFields) []string {
	var names []string
	if f.To != nil {
		names = append(names, "To")
	}
	if f.Cc != nil {
		names = append(names, "Cc")
	}
	if f.Bcc != nil {
		names = append(names, "Bcc")
	}
	if f.Subject != nil {
		names = append(names, "Subject")
	}
	if f.Body != nil {
		names = append(names, "the text")
	}
	return names
}

// changedElsewhere says what differs between two versions of a draft, as the editor shows them.
func changedElsewhere(before, now graph.EditSource) string {
	_, a, _ := compose.Start(before, nil)
	_, b, _ := compose.Start(now, nil)
	if names := fieldNames(compose.Changes(a, b, &graph.Body{})); len(names) > 0 {
		return "changed there: " + strings.Join(names, ", ")
	}
	return "in a part the editor does not show: the quoted message, attachments, importance or flags"
}

// quoted is a subject as the command line quotes it.
func quoted(subject string) string { return "“" + shortSubject(subject) + "”" }

// shortSubject is a subject as a message names it: whole up to 80 characters, else cut with an
// ellipsis (a subject of 100,000 characters is not repeated in every line about it).
func shortSubject(subject string) string {
	s := graph.SubjectOr(subject)
	if utf8.RuneCountInString(s) <= 80 {
		return s
	}
	return string([]rune(s)[:79]) + "…"
}
