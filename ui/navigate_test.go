package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph/emulator"
)

func click(t *testing.T, m model, x, y int, b tea.MouseButton) model {
	t.Helper()
	next, cmd := m.Update(tea.MouseClickMsg{X: x, Y: y, Button: b})
	m, _ = drive(t, next.(model), cmd)
	return m
}

func selectedSubject(m model) string {
	d, _ := m.drafts.selected()
	return d.Subject
}

// TestClickSelectsARow: a left click on either line of a row selects it (the preview follows);
// a click on the blank line between rows, on the preview pane, with another button, or under a
// dialog selects nothing. The view asks for mouse reports.
func TestClickSelectsARow(t *testing.T) {
	_, m := fixture(t, 120, 30)
	if mode := m.View().MouseMode; mode != tea.MouseModeCellMotion {
		t.Fatalf("mouse mode %v", mode)
	}
	row := func(i, line int) int { return chromeTop + i*(rowLines+rowSpacing) + line }
	m = click(t, m, 5, row(2, 0), tea.MouseLeft)
	if got := selectedSubject(m); got != "URGENT: Fabrikam contract renewal expires Friday" || m.preview.msg.Subject != got {
		t.Fatalf("a click on row 3 selected %q, the preview shows %q", got, m.preview.msg.Subject)
	}
	m = click(t, m, 5, row(1, 1), tea.MouseLeft) // the To: line of row 2
	if got := selectedSubject(m); got != "Team lunch on Thursday?" {
		t.Fatalf("a click on row 2's second line selected %q", got)
	}
	for name, c := range map[string]struct {
		x, y int
		b    tea.MouseButton
	}{
		"the blank line between rows": {5, row(0, 2), tea.MouseLeft},
		"the preview pane":            {m.drafts.width + 5, row(0, 0), tea.MouseLeft},
		"the right button":            {5, row(0, 0), tea.MouseRight},
		"the header":                  {5, 0, tea.MouseLeft},
		"below the last row":          {5, row(6, 0), tea.MouseLeft},
	} {
		if got := selectedSubject(click(t, m, c.x, c.y, c.b)); got != "Team lunch on Thursday?" {
			t.Errorf("a click on %s selected %q", name, got)
		}
	}
	under := press(t, m, "s") // the confirm dialog
	under = click(t, under, 5, row(0, 0), tea.MouseLeft)
	if c, ok := under.confirmOpen(); !ok || c.draft.Subject != "Team lunch on Thursday?" || selectedSubject(under) != "Team lunch on Thursday?" {
		t.Errorf("a click under the confirm dialog changed the selection or closed it")
	}
	sent := press(t, press(t, m, "s", "y"), "tab")
	sent = click(t, sent, 5, row(0, 0), tea.MouseLeft)
	if d, ok := sent.sent.list.selected(); !ok || sent.sent.list.index != 0 {
		t.Errorf("a click on Sent Items' first row: %v %v", d.Subject, ok)
	}
	_, demo := demoFixture(t, 100, 30)
	demo = press(t, demo, "tab", "/")
	if demo = click(t, demo, 5, row(1, 0), tea.MouseLeft); demo.sent.list.index != 0 {
		t.Error("a click while the filter is typed moved the selection")
	}
	if demo = click(t, press(t, demo, "esc"), 5, row(1, 0), tea.MouseLeft); demo.sent.list.index != 1 {
		t.Errorf("a click on Sent Items' second row: index %d", demo.sent.list.index)
	}
}

// TestFullViewStepsAndGoesBack: J and K show the next and previous draft full screen (and
// select it in the list), only where there is one; q goes back to the list like esc, never
// out; q in the help over the full view closes the help.
func TestFullViewStepsAndGoesBack(t *testing.T) {
	_, m := fixture(t, 80, 24)
	m = press(t, m, "enter")
	if m.view != stateFull || m.keys.PrevDraft.Enabled() || !m.keys.NextDraft.Enabled() {
		t.Fatalf("full view of the first draft: view %v, K on %v, J on %v", m.view, m.keys.PrevDraft.Enabled(), m.keys.NextDraft.Enabled())
	}
	m = press(t, m, "J")
	if m.preview.msg.Subject != "Team lunch on Thursday?" || selectedSubject(m) != "Team lunch on Thursday?" || !strings.Contains(screen(m), "Lunch is on me") {
		t.Fatalf("J shows %q (selected %q):\n%s", m.preview.msg.Subject, selectedSubject(m), screen(m))
	}
	m = press(t, m, "K")
	if m.preview.msg.Subject != "Q3 budget review — revised figures" {
		t.Fatalf("K shows %q", m.preview.msg.Subject)
	}
	m = press(t, m, "K") // no previous draft: nothing happens, not a scroll either
	if m.preview.msg.Subject != "Q3 budget review — revised figures" || m.preview.vp.YOffset() != 0 {
		t.Fatalf("K on the first draft: %q, offset %d", m.preview.msg.Subject, m.preview.vp.YOffset())
	}
	last := press(t, m, "J", "J", "J", "J", "J")
	if last.preview.msg.Subject != "Old notes" || last.keys.NextDraft.Enabled() || !last.keys.PrevDraft.Enabled() {
		t.Fatalf("the last draft: %q, J on %v", last.preview.msg.Subject, last.keys.NextDraft.Enabled())
	}
	help := press(t, m, "?")
	if s := screen(help); !strings.Contains(s, "J") || !strings.Contains(s, "next draft") || !strings.Contains(s, "q/esc") || strings.Contains(s, "q     quit") {
		t.Fatalf("the help over the full view:\n%s", s)
	}
	if back := press(t, help, "q"); back.state() != stateFull {
		t.Fatalf("q in the help over the full view: state %v", back.state())
	}
	next, cmd := m.Update(keyMsg("q"))
	m = next.(model)
	if m.view != stateList || cmd != nil && fmt.Sprint(cmd()) == fmt.Sprint(tea.Quit()) {
		t.Fatalf("q in the full view: view %v", m.view)
	}
	if got := screen(m); !strings.Contains(got, "1 of 6") {
		t.Fatalf("not back on the list:\n%s", got)
	}
}

// ctrlKey delivers ctrl+r (a letter) and drives what it starts.
func ctrlKey(t *testing.T, m model, r rune) model {
	t.Helper()
	next, cmd := m.Update(tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl})
	m, _ = drive(t, next.(model), cmd)
	return m
}

// TestPageKeys: ctrl+f and ctrl+b move a page down and up in the list, and scroll the full view.
func TestPageKeys(t *testing.T) {
	_, m := fixture(t, 80, 12) // a page of two drafts
	per := m.drafts.perPage()
	m = ctrlKey(t, m, 'f')
	if m.drafts.index != per {
		t.Fatalf("ctrl+f: index %d, want %d", m.drafts.index, per)
	}
	m = ctrlKey(t, m, 'b')
	if m.drafts.index != 0 {
		t.Fatalf("ctrl+b: index %d", m.drafts.index)
	}
	full := ctrlKey(t, press(t, m, "enter"), 'f')
	if full.preview.vp.YOffset() == 0 {
		t.Fatal("ctrl+f did not scroll the full view")
	}
	if full = ctrlKey(t, full, 'b'); full.preview.vp.YOffset() != 0 {
		t.Fatal("ctrl+b did not scroll the full view back")
	}
}

// TestCopyID: c puts the selected draft's id on the clipboard (OSC 52, through Bubble Tea) and
// the status says so with the id; in the full view too.
func TestCopyID(t *testing.T) {
	_, m := fixture(t, 80, 24)
	m = press(t, m, "j")
	d, _ := m.drafts.selected()
	for _, m := range []model{m, press(t, m, "enter")} {
		next, cmd := m.Update(keyMsg("c"))
		m = next.(model)
		if cmd == nil || fmt.Sprint(cmd()) != d.ID {
			t.Fatalf("c: the clipboard gets %v, want %q", cmd, d.ID)
		}
		if s := m.status.text; !strings.Contains(s, "Team lunch") || !strings.Contains(s, d.ID) || !strings.Contains(s, "clipboard") {
			t.Fatalf("status %q", s)
		}
	}
}

// opener records the addresses o gives the browser.
type opener struct {
	urls []string
	err  error
}

func (o *opener) open(_ context.Context, u string) error {
	o.urls = append(o.urls, u)
	return o.err
}

// TestOpenInOutlook: o gives the selected draft's webLink to the opener (reading the draft
// first when the list did not select the link), and the status says what happened; no opener,
// no o.
func TestOpenInOutlook(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	var o opener
	m := e.model(t)
	m.opts.OpenURL = o.open
	m = start(t, m, 80, 24) // narrow: the body of the selected draft is not read
	d, _ := m.drafts.selected()
	m = press(t, m, "o")
	want := "https://outlook.office365.com/owa/?ItemID="
	if len(o.urls) != 1 || !strings.HasPrefix(o.urls[0], want) || !strings.Contains(o.urls[0], "viewmodel=ReadMessageItem") {
		t.Fatalf("opened %q", o.urls)
	}
	if !strings.Contains(m.status.text, "Opened “"+d.Subject[:10]) {
		t.Fatalf("status %q", m.status.text)
	}
	o.err = errors.New("no xdg-open")
	m = press(t, m, "enter", "o")
	if len(o.urls) != 2 || m.status.kind != kindErr || !strings.Contains(m.status.text, "no xdg-open") {
		t.Fatalf("a failed opener: %q, status %q", o.urls, m.status.text)
	}
	_, plain := fixture(t, 80, 24)
	if plain.keys.OpenWeb.Enabled() || strings.Contains(screen(press(t, plain, "?")), "open in Outlook") {
		t.Fatal("o is offered without an opener")
	}
}

// TestWebLinkMustBeHTTPS: the link from the server reaches the browser only as an https address.
func TestWebLinkMustBeHTTPS(t *testing.T) {
	for link, ok := range map[string]bool{
		"https://outlook.office365.com/owa/?ItemID=AAMk&exvsurl=1&viewmodel=ReadMessageItem": true,
		"":                          false,
		"file:///etc/passwd":        false,
		"javascript:alert(1)":       false,
		"http://outlook.office.com": false,
		"https:///nohost":           false,
		"/relative":                 false,
	} {
		if err := checkWebLink(link); (err == nil) != ok {
			t.Errorf("%q: %v", link, err)
		}
	}
}
