package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/draftsmail/drafts/graph"
)

const ellipsis = "…"

// truncate cuts s to at most w terminal cells, ending in an ellipsis when
// something was cut. Wide characters (CJK, emoji) count as two cells.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, ellipsis)
}

// width is the number of terminal cells s takes.
func width(s string) int { return ansi.StringWidth(s) }

// spread lays left and right out on one line of exactly w cells: left is
// cut first, then right. Both are plain text; style them with the returned
// pieces' widths in mind, or use spreadStyled.
func spread(left, right string, w int) (l, gap, r string) {
	rw := width(right)
	if rw >= w {
		return "", "", truncate(right, w)
	}
	avail := w - rw
	if right != "" {
		avail-- // keep one space between them
	}
	l = truncate(left, avail)
	return l, strings.Repeat(" ", w-width(l)-rw), right
}

// ago says how long before now t was, the way people say it.
func ago(t, now time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	case d < 48*time.Hour:
		return "yesterday"
	case d < 7*24*time.Hour:
		return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
	}
	lt := t.In(loc)
	if lt.Year() == now.In(loc).Year() {
		return lt.Format("2 Jan")
	}
	return lt.Format("2 Jan 2006")
}

// longDate is a full date for the preview, with its age.
func longDate(t, now time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.In(loc).Format("Mon 2 Jan 2006 15:04") + " · " + ago(t, now, loc)
}

// shortName is how a recipient is named in a row: the first name, or the
// address when there is no name.
func shortName(r graph.Recipient) string {
	name := strings.TrimSpace(r.Name)
	if name == "" || strings.EqualFold(name, r.Address) {
		if r.Address == "" {
			return "(unnamed)"
		}
		return r.Address
	}
	// "Bowen, Megan" is Megan.
	if _, first, ok := strings.Cut(name, ","); ok && strings.TrimSpace(first) != "" {
		name = strings.TrimSpace(first)
	}
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return name
}

// recipientSummary names as many recipients as fit in w cells, then says
// how many more there are: "Megan, Alex +3 more".
func recipientSummary(rs []graph.Recipient, w int) string {
	if len(rs) == 0 {
		return "(no recipients)"
	}
	var b strings.Builder
	for i, r := range rs {
		name := shortName(r)
		sep := ""
		if i > 0 {
			sep = ", "
		}
		rest := len(rs) - i - 1
		more := ""
		if rest > 0 {
			more = fmt.Sprintf(" +%d more", rest)
		}
		if i > 0 && width(b.String())+width(sep+name)+width(more) > w {
			return b.String() + fmt.Sprintf(" +%d more", len(rs)-i)
		}
		b.WriteString(sep + name)
	}
	return b.String()
}

// fullRecipients lists every recipient in full, "Name <address>".
func fullRecipients(rs []graph.Recipient) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}

// subjectOf is the subject to show, never empty.
func subjectOf(m graph.Message) string { return graph.SubjectOr(m.Subject) }

// seconds formats a duration as people read it in a status line.
func seconds(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
}

// plainBody prepares a cleaned body for the viewport: tabs become spaces
// (a tab has no width of its own on screen) and line ends are unified.
func plainBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\t", "    ")
}

// count is n with its noun: "1 draft", "1,000 drafts".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}
