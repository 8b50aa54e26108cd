package compose

import (
	"bytes"
	"errors"
	"strings"

	"github.com/draftsmail/drafts/graph"
)

// An edit, as the screen and the command line both run it:
//
//  1. Start: the draft as read (DraftForEdit) gives the editor's text — or the text the user
//     typed last time, when the Keeper still holds it (a save that failed, a crash).
//  2. The editor runs on it; what it leaves is kept (Keeper.Save) before anything else.
//  3. Finish: the text is parsed (a bad address: the editor again, the text kept), and what
//     changed is written with the etag read at step 1 (UpdateDraft). Nothing changed: nothing
//     is written.
//  4. A conflict (the draft changed on the server meanwhile): nothing is overwritten; Conflict
//     gives the new version's text with the user's own below it, as comments, for the editor.
//  5. Saved: the kept text is dropped.

// Start is the editor's text for src, and the draft as it is, to compare the edit with. kept,
// if not nil, is what the user typed last time, offered instead.
func Start(src graph.EditSource, kept []byte) (text []byte, orig Draft, quoted bool) {
	own, quoted := Own(src)
	m := src.Message
	orig = Draft{To: m.To, Cc: m.Cc, Bcc: m.Bcc, Subject: m.Subject, Text: own}
	if kept != nil {
		return kept, orig, quoted
	}
	return Format(orig, quoted), orig, quoted
}

// Finish reads the editor's text and returns what to write: the fields that changed (the body
// spliced above the quoted thread), and the draft as edited. An error names the field to fix.
func Finish(src graph.EditSource, orig Draft, text []byte) (graph.DraftFields, Draft, error) {
	edited, err := Parse(text)
	if err != nil {
		return graph.DraftFields{}, Draft{}, err
	}
	if edited.Text != orig.Text && threadUnfound(src) {
		return graph.DraftFields{}, Draft{}, ErrThreadUnfound
	}
	body := Splice(src.Body, edited.Text)
	return Changes(orig, edited, &body), edited, nil
}

// ErrThreadUnfound: the draft quotes a thread (its own text is shorter than its body) in a form
// Splice does not know, so writing the text would write over the thread.
var ErrThreadUnfound = errors.New("the quoted thread of this draft is in a form drafts cannot find, so its text cannot be changed here without losing the thread: " +
	"change the text in Outlook, or put it back as it was to save the other fields")

// threadUnfound reports whether src has a quoted thread below its own text that Splice would
// not keep.
func threadUnfound(src graph.EditSource) bool {
	if src.UniqueBody.Content == "" || quoteStart(src.Body) >= 0 {
		return false
	}
	return asText(src.UniqueBody) != asText(src.Body)
}

// Conflict is the editor's text after a conflict: the draft as it is now on the server, and
// under it, as comment lines, what the user had typed, to copy from.
func Conflict(now graph.EditSource, mine []byte) []byte {
	text, _, _ := Start(now, nil)
	var b bytes.Buffer
	b.Write(text)
	b.WriteString("\n" + comment + " ---- The draft was changed elsewhere while you edited it; above is its new version.\n")
	b.WriteString(comment + " ---- Your edit, kept below: copy what you want above, then save.\n")
	for _, l := range strings.Split(strings.TrimRight(string(mine), "\n"), "\n") {
		b.WriteString(comment + " " + l + "\n")
	}
	return b.Bytes()
}
