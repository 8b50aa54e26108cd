package ui

import (
	"fmt"
	"strings"

	"github.com/draftsmail/drafts/graph"
)

// A reply or forward carries the message it answers below its own text: the preview shows the
// new text first and folds the quoted thread into one line (who wrote the earlier message, when,
// how many earlier messages), which t unfolds.

// quoteStart is where the quoted thread starts in a body as text (HTML already converted): the
// line of underscores Outlook writes, or a header block (From: then Sent: or Date:), or
// "-----Original Message-----". -1 when there is none.
func quoteStart(body string) int {
	for _, m := range []string{"\n________________________________", "\n-----Original Message-----"} {
		if i := strings.Index(body, m); i >= 0 {
			return i + 1
		}
	}
	lines := strings.SplitAfter(body, "\n")
	pos := 0
	for i, l := range lines {
		if hasLabel(l, "From") {
			sent, more := false, false
			for _, next := range lines[i+1 : min(i+5, len(lines))] {
				sent = sent || hasLabel(next, "Sent") || hasLabel(next, "Date")
				more = more || hasLabel(next, "To") || hasLabel(next, "Subject")
			}
			// A block at the very top (a reply with no text of its own yet) must look like a
			// whole header block, not a line of the user's that starts with "From:".
			if sent && (i > 0 || more) {
				return pos
			}
		}
		pos += len(l)
	}
	return -1
}

// hasLabel reports whether line is a header line "Label: …" (bold markers of HTML removed).
func hasLabel(line, label string) bool {
	l := strings.TrimLeft(strings.TrimSpace(line), "*")
	return strings.HasPrefix(l, label+":")
}

// foldedThread is the one line that stands for a quoted thread: its first header's writer and
// time, and how many earlier messages it holds.
func foldedThread(quote, key string) string {
	who, when := "", ""
	for _, l := range strings.Split(quote, "\n") {
		l = strings.TrimLeft(strings.TrimSpace(l), "*")
		switch {
		case who == "" && strings.HasPrefix(l, "From:"):
			who = strings.TrimSpace(strings.TrimPrefix(l, "From:"))
			if i := strings.Index(who, " <"); i > 0 {
				who = who[:i] // the name says who; the address is in the unfolded thread
			}
		case when == "" && (strings.HasPrefix(l, "Sent:") || strings.HasPrefix(l, "Date:")):
			when = strings.TrimSpace(l[strings.IndexByte(l, ':')+1:])
		}
	}
	n := 0
	for _, l := range strings.Split(quote, "\n") {
		if hasLabel(l, "From") {
			n++
		}
	}
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
