package ui

import (
	"fmt"
	"strings"

	"github.com/draftsmail/drafts/graph"
)

// A reply or forward carries the message it answers below its own text: the preview shows the
// new text first and folds the quoted thread (graph.QuoteStart) into one line (who wrote the
// earlier message, when, how many earlier messages), which t unfolds.

// foldedThread is the one line that stands for a quoted thread: its first header's writer and
// time, and how many earlier messages it holds.
func foldedThread(quote, key string) string {
	who, when, n := graph.QuoteHeaders(quote)
	s := "▸ quoted"
	if who != "" {
		s += ": " + who
	}
	if when != "" {
		s += ", " + when
	}
	if n > 1 {
		s += fmt.Sprintf(" (and %d earlier)", n-1)
	}
	if key == "" {
		return s // the key does not work where this is shown (under a dialog): not named
	}
	return s + " — " + key + " to unfold"
}

// filesLine names the attachments: name, kind (when not a file), inline images marked inline,
// a forward's files that came with the original marked so, size.
func filesLine(msg graph.Message) string {
	var parts []string
	for _, a := range msg.Attachments {
		p := a.Name
		var notes []string
		if a.Kind != "file" && a.Kind != "" {
			notes = append(notes, a.Kind)
		}
		if a.IsInline {
			notes = append(notes, "inline")
		}
		if a.FromOriginal {
			notes = append(notes, "from the original")
		}
		if a.Size > 0 {
			notes = append(notes, byteSize(a.Size))
		}
		if len(notes) > 0 {
			p += " (" + strings.Join(notes, ", ") + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

// byteSize writes a size as people read it: 980 B, 12 KB, 3.4 MB.
func byteSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
