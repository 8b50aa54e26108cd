package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph/emulator"
)

// posts is how many sends the emulator saw.
// subjects lists the subjects of the visible drafts, in order.
func subjects(m model) []string {
	var out []string
	for i := range m.drafts.visibleLen() {
		out = append(out, m.drafts.at(i).subject())
	}
	return out
}

// selectSubject moves the selection to the draft with the given subject.
func selectSubject(t *testing.T, m model, subject string) model {
	t.Helper()
	for i, s := range subjects(m) {
		if s == subject {
			m.drafts.selectIndex(i)
			m.syncKeys() // as after the key press that would have moved there
			return m
		}
	}
	t.Fatalf("no draft %q in %q", subject, subjects(m))
	return m
}

func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func wantState(t *testing.T, m model, want state) {
	t.Helper()
	if m.state() != want {
		t.Fatalf("state %d, want %d", m.state(), want)
	}
}

func wantStatus(t *testing.T, m model, kind statusKind, contains string) {
	t.Helper()
	if m.status.kind != kind || !strings.Contains(m.status.text, contains) {
		t.Fatalf("status %d %q, want %d containing %q", m.status.kind, m.status.text, kind, contains)
	}
}

func fixture(t *testing.T, w, h int) (*env, model) {
	t.Helper()
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	return e, start(t, e.model(t), w, h)
}

func TestLoadListsDraftsNewestFirst(t *testing.T) {
	_, m := fixture(t, 80, 24)
	got := subjects(m)
	if len(got) != 6 || got[0] != "Q3 budget review — revised figures" || got[5] != "Old notes" {
		t.Fatalf("drafts %q", got)
	}
	if !strings.Contains(screen(m), "Drafts · 6") {
		t.Fatalf("no count in the title:\n%s", screen(m))
	}
	if m.load.loading || !m.load.loaded {
		t.Fatal("still loading")
	}
}

func TestFirstPageShowsBeforeTheRest(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.emu.SeedGenerated(250)
	m := e.model(t)
	m.opts.PageSize = 100
	m.load.pager = e.mb.Drafts(100)
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = next.(model)
	// Deliver the count and the first page only.
	m, _ = deliver(t, m, countCmd(m.load.ctx, m.mb, m.load.gen)())
	m, cmd := deliver(t, m, pageCmd(m.load.ctx, m.load.pager, m.load.gen)())
	if n := m.drafts.len(); n != 100 {
		t.Fatalf("%d drafts after the first page, want 100", n)
	}
	if !strings.Contains(screen(m), "Drafts · 250") || !strings.Contains(screen(m), "Loading… 100 of 250") {
		t.Fatalf("title while loading:\n%s", screen(m))
	}
	m, _ = drive(t, m, cmd)
	if n := m.drafts.len(); n != 250 || m.load.loading {
		t.Fatalf("%d drafts at the end (loading %v), want 250", n, m.load.loading)
	}
}

// deliver hands one message to the model.
func deliver(t *testing.T, m model, msg tea.Msg) (model, tea.Cmd) {
	t.Helper()
	next, cmd := m.Update(msg)
	return next.(model), cmd
}

func TestNavigationKeys(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.emu.SeedGenerated(30)
	m := start(t, e.model(t), 80, 24) // six rows a page
	steps := []struct {
		key  string
		want int
	}{
		{"j", 1}, {"down", 2}, {"k", 1}, {"up", 0}, {"G", 29}, {"g", 0}, {"pgdown", 6}, {"ctrl+f", 12}, {"b", 6}, {"home", 0},
	}
	for _, s := range steps {
		m = press(t, m, s.key)
		if got := m.drafts.index; got != s.want {
			t.Fatalf("after %q the selection is %d, want %d", s.key, got, s.want)
		}
	}
	m, _ = deliver(t, m, tea.MouseWheelMsg{Button: tea.MouseWheelDown, X: 5, Y: 5})
	if got := m.drafts.index; got != 1 {
		t.Fatalf("after the wheel the selection is %d, want 1", got)
	}
}

func TestFilterTakesKeysAndEscClears(t *testing.T) {
	e, m := fixture(t, 80, 24)
	m = press(t, m, "/")
	if !m.drafts.filtering() {
		t.Fatal("/ did not start the filter")
	}
	// App keys are off while typing: these are letters of the filter.
	for _, k := range []string{"s", "q", "r", "y"} {
		var cmd tea.Cmd
		m, cmd = pressOnly(m, k)
		if quits(cmd) {
			t.Fatalf("%q quit while filtering", k)
		}
		m, _ = drive(t, m, cmd)
	}
	wantState(t, m, stateList)
	if e.posts() != 0 {
		t.Fatal("a key sent while filtering")
	}
	m = clearFilterInput(t, m)
	m = press(t, m, "l", "u", "n", "c", "h", "enter")
	if got := subjects(m); len(got) != 1 || got[0] != "Team lunch on Thursday?" {
		t.Fatalf("filtered %q", got)
	}
	if !strings.Contains(screen(m), "Filter “lunch” · 1 of 6") {
		t.Fatalf("filter line:\n%s", screen(m))
	}
	// Recipients match too.
	m = press(t, m, "esc")
	if len(subjects(m)) != 6 {
		t.Fatal("esc did not clear the filter")
	}
	m = press(t, m, "/", "i", "n", "ê", "s", "enter")
	if got := subjects(m); len(got) != 2 {
		t.Fatalf("filter by recipient: %q", got)
	}
}

// clearFilterInput empties the filter being typed.
func clearFilterInput(t *testing.T, m model) model {
	t.Helper()
	m.drafts.input.SetValue("")
	return m
}

func TestPreviewFetchesBodyOnceAndCaches(t *testing.T) {
	e, m := fixture(t, 120, 30)
	if !m.wide {
		t.Fatal("120 columns is not wide")
	}
	first, _ := m.drafts.selected()
	if !m.preview.body || !strings.Contains(screen(m), "revised Q3 figures after Tuesday's review") {
		t.Fatalf("preview without the body:\n%s", screen(m))
	}
	m = press(t, m, "j", "k", "j", "k")
	if n := e.emu.Count("GET", "/messages/"+first.ID); n != 1 {
		t.Fatalf("the first draft was fetched %d times, want 1", n)
	}
	m = press(t, m, "enter")
	wantState(t, m, stateFull)
	if n := e.emu.Count("GET", "/messages/"+first.ID); n != 1 {
		t.Fatalf("the full view fetched again (%d)", n)
	}
	m = press(t, m, "esc")
	wantState(t, m, stateList)
}

func TestNarrowHidesPreviewUntilEnter(t *testing.T) {
	e, m := fixture(t, 80, 24)
	first, _ := m.drafts.selected()
	if m.wide || e.emu.Count("GET", "/messages/"+first.ID) != 0 {
		t.Fatal("a narrow list fetched a body nobody sees")
	}
	m = press(t, m, "enter")
	wantState(t, m, stateFull)
	if !strings.Contains(screen(m), "Could you confirm by Thursday?") {
		t.Fatalf("full view:\n%s", screen(m))
	}
	for _, k := range []string{"j", "pgdown", "G", "g", "k"} {
		m = press(t, m, k)
		wantState(t, m, stateFull)
	}
	m = press(t, m, "s")
	wantState(t, m, stateConfirm)
	m = press(t, m, "n")
	wantState(t, m, stateFull)
	m = press(t, m, "esc")
	wantState(t, m, stateList)
}

func TestRefreshShowsNewDrafts(t *testing.T) {
	e, m := fixture(t, 80, 24)
	e.emu.AddDraft(emulator.Draft{Subject: "Written in Outlook just now", To: []emulator.Recipient{lee}})
	m = press(t, m, "r")
	if got := subjects(m); len(got) != 7 || got[0] != "Written in Outlook just now" {
		t.Fatalf("after r: %q", got)
	}
}

func TestHelpShowsKeysOfTheViewBelow(t *testing.T) {
	_, m := fixture(t, 80, 24)
	m = press(t, m, "?")
	wantState(t, m, stateHelp)
	s := screen(m)
	for _, want := range []string{"send", "filter", "refresh", "close help", "g/home"} {
		if !strings.Contains(s, want) {
			t.Fatalf("help without %q:\n%s", want, s)
		}
	}
	m = press(t, m, "?")
	wantState(t, m, stateList)
	m = press(t, m, "?", "esc")
	wantState(t, m, stateList)
}
