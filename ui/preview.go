package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/draftsmail/drafts/graph"
)

// preview shows one message: its headers, then its body as wrapped text
// in a scrollable viewport. It is the pane beside the list on a wide
// terminal and the full view behind 'enter'.
type preview struct {
	vp   viewport.Model
	msg  graph.Message
	has  bool  // a message is shown
	body bool  // msg carries its body
	err  error // opening the message failed
	// unfolded shows a reply's quoted thread whole; folded, it is one line (t toggles).
	unfolded bool
	// threadKey is the key that unfolds the thread, as the fold line names it.
	threadKey string
}

func newPreview(keys keyMap) preview {
	vp := viewport.New()
	vp.SoftWrap = true
	vp.MouseWheelEnabled = true
	vp.KeyMap = keys.viewportKeys()
	return preview{vp: vp}
}

func (p *preview) setSize(w, h int) {
	p.vp.SetWidth(max(w, 1))
	p.vp.SetHeight(max(h, 1))
}

// show puts msg in the pane; another message than before starts at the top.
func (p *preview) show(msg graph.Message, body bool, err error) {
	if !p.has || msg.ID != p.msg.ID {
		p.vp.GotoTop()
		p.unfolded = false
	}
	p.msg, p.has, p.body, p.err = msg, true, body, err
}

// hasThread reports whether the message shown has a quoted thread to fold or unfold.
func (p preview) hasThread() bool {
	return p.has && p.body && graph.QuoteStart(plainBody(p.msg.Body), p.msg.Kind != graph.KindNew) >= 0
}

// clear empties the pane.
func (p *preview) clear() {
	p.msg, p.has, p.body, p.err = graph.Message{}, false, false, nil
	p.vp.SetContent("")
}

// render lays the message out for the current width and styles.
func (p *preview) render(st styles, now time.Time, loc *time.Location) {
	if !p.has {
		p.vp.SetContent("")
		return
	}
	p.vp.SetContent(previewContent(p.msg, p.body, p.err, st, p.vp.Width(), now, loc, p.unfolded, p.threadKey))
}

// update scrolls the body.
func (p preview) update(msg tea.Msg) (preview, tea.Cmd) {
	var cmd tea.Cmd
	p.vp, cmd = p.vp.Update(msg)
	return p, cmd
}

func (p preview) view() string { return p.vp.View() }

// labelWidth is the width of the header labels ("Subject  ").
const labelWidth = 9

// previewContent is the text of the pane: headers, a rule, the body.
func previewContent(msg graph.Message, body bool, err error, st styles, w int, now time.Time, loc *time.Location, unfolded bool, key string) string {
	var lines []string
	field := func(label, value string, vs lipgloss.Style) {
		if w <= labelWidth+1 {
			lines = append(lines, vs.Render(truncate(label+": "+value, w)))
			return
		}
		wrapped := strings.Split(ansi.Wrap(value, w-labelWidth, " "), "\n")
		for i, l := range wrapped {
			prefix := strings.Repeat(" ", labelWidth)
			if i == 0 {
				prefix = st.label.Render(label + strings.Repeat(" ", labelWidth-width(label)))
			}
			lines = append(lines, prefix+vs.Render(l))
		}
	}
	plain := lipgloss.NewStyle()
	from := msg.From.String()
	if from == "" {
		from = "(you)"
	}
	field("From", from, plain)
	to := "(nobody yet)"
	if len(msg.To) > 0 {
		to = strings.Join(fullRecipients(msg.To), ", ")
	}
	field("To", to, plain)
	if len(msg.Cc) > 0 {
		field("Cc", strings.Join(fullRecipients(msg.Cc), ", "), plain)
	}
	if len(msg.Bcc) > 0 {
		field("Bcc", strings.Join(fullRecipients(msg.Bcc), ", "), plain)
	}
	subjStyle := st.dialogTitle
	if msg.Subject == "" {
		subjStyle = st.noSubject
	}
	field("Subject", subjectOf(msg), subjStyle)
	if msg.IsDraft || msg.Sent.IsZero() {
		field("Saved", longDate(msg.LastModified, now, loc), st.meta)
	} else {
		field("Sent", longDate(msg.Sent, now, loc), st.meta)
	}
	if msg.Kind != graph.KindNew {
		field("Kind", msg.Kind.String(), st.meta)
	}
	switch {
	case len(msg.Attachments) > 0:
		field("Files", attachMrk+" "+filesLine(msg), st.meta)
	case msg.HasAttachments:
		field("Files", attachMrk+" attached", st.meta)
	}
	if msg.Importance == graph.ImportanceHigh {
		field("Flag", importantMrk+" high importance", st.important)
	}
	lines = append(lines, st.divider.Render(strings.Repeat("─", max(w, 1))))

	switch {
	case body && strings.TrimSpace(msg.Body) == "":
		lines = append(lines, st.faint.Render("(no text)"))
	case body:
		// Wrapped at word boundaries here; the viewport's soft wrap
		// only has to catch what cannot be broken. A quoted thread is one line until unfolded.
		text := plainBody(msg.Body)
		if q := graph.QuoteStart(text, msg.Kind != graph.KindNew); q >= 0 && !unfolded {
			lines = append(lines, ansi.Wrap(strings.TrimRight(text[:q], "\n "), max(w, 1), " "), "",
				st.faint.Render(ansi.Wrap(foldedThread(text[q:], key), max(w, 1), " ")))
			break
		}
		lines = append(lines, ansi.Wrap(text, max(w, 1), " "))
	case err != nil:
		lines = append(lines, st.bad.Render(ansi.Wrap("Could not open it: "+graph.Describe(err), max(w, 1), " ")))
	default:
		// The list keeps no preview line (a row holds no body text): the text comes whole.
		lines = append(lines, st.faint.Render("Loading the full text…"))
	}
	return strings.Join(lines, "\n")
}
