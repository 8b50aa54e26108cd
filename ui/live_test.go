package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph/emulator"
)

// quiet is a model with a quiet refresh every 30 s whose timer the test fires by hand.
type quiet struct {
	t      *testing.T
	m      model
	timers []tea.Msg
	noLink bool // the first delta request is made to fail
}

func startQuiet(t *testing.T, e *env) *quiet { return startQuietWith(t, e, false) }

func startQuietWith(t *testing.T, e *env, noLink bool) *quiet {
	t.Helper()
	q := &quiet{t: t, m: e.model(t), noLink: noLink}
	q.m.opts.Refresh = 30 * time.Second
	q.m.sends.after = func(d time.Duration, msg tea.Msg) tea.Cmd {
		if _, ok := msg.(refreshTickMsg); ok {
			if d != 30*time.Second {
				t.Errorf("quiet refresh armed for %v, want 30s", d)
			}
			q.timers = append(q.timers, msg)
			return nil
		}
		return func() tea.Msg { return msg }
	}
	q.m = start(t, q.m, 100, 30)
	if (q.m.live.link == "" && !q.noLink) || len(q.timers) != 1 {
		t.Fatalf("after the first load: delta link %q, %d refresh timers (want one)", q.m.live.link, len(q.timers))
	}
	return q
}

// tick fires the latest refresh timer and drives what it starts.
func (q *quiet) tick() {
	q.t.Helper()
	msg := q.timers[len(q.timers)-1]
	q.timers = nil
	next, cmd := q.m.Update(msg)
	q.m, _ = drive(q.t, next.(model), cmd)
}

// What another client does to Drafts reaches the list by itself: the quiet refresh asks
// Graph only what changed (one delta request, no listing), new and changed drafts are marked
// until selected, and a draft deleted elsewhere leaves.
func TestQuietRefreshAppliesWhatChangedElsewhere(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	q := startQuiet(t, e)
	before := q.m.drafts.len()
	gone, edited := q.m.drafts.all[1].id(), q.m.drafts.all[2].id()

	e.clock.Advance(time.Minute)
	if err := e.emu.DeleteElsewhere("", gone); err != nil {
		t.Fatal(err)
	}
	e.patch(t, edited, map[string]any{"subject": "Edited on the phone"})
	e.clock.Advance(time.Second)
	e.emu.AddDraft(emulator.Draft{Subject: "Written in Outlook", LastModified: e.clock.Now(), Created: e.clock.Now()})
	listings := e.emu.Count("GET", "/messages")

	q.tick()
	m := q.m
	if n := e.emu.Count("GET", "/messages"); n != listings {
		t.Fatalf("the quiet refresh listed Drafts again (%d listings, want %d): it should ask only what changed", n, listings)
	}
	if m.drafts.len() != before || m.drafts.contains(gone) {
		t.Fatalf("%d drafts after one added and one deleted elsewhere, want %d (the deleted one listed: %v)", m.drafts.len(), before, m.drafts.contains(gone))
	}
	view := screen(m)
	for _, want := range []string{"Written in Outlook", "● new", "Edited on the phone", "● changed"} {
		if !strings.Contains(view, want) {
			t.Fatalf("%q is not on screen:\n%s", want, view)
		}
	}
	// Newest first, as Graph lists: the new draft, then the edited one.
	if m.drafts.all[0].subject() != "Written in Outlook" || m.drafts.all[1].subject() != "Edited on the phone" {
		t.Fatalf("order after the refresh: %q, %q", m.drafts.all[0].subject(), m.drafts.all[1].subject())
	}
	// Selecting a marked draft clears its mark; the other keeps its own.
	for range m.drafts.len() { // with the keys, as a person would
		if d, _ := m.drafts.selected(); d.Subject == "Edited on the phone" {
			break
		}
		m = press(t, m, "k")
	}
	view = screen(m)
	if !strings.Contains(view, "● new") || strings.Contains(view, "● changed") {
		t.Fatalf("after selecting the changed draft, want only the new one marked:\n%s", view)
	}
	// r lists whole and finds the same: no marks appear or change, the list is the same.
	// The status line alone says the listing was made.
	m = press(t, m, "r")
	wantStatus(t, m, kindInfo, "Listed again: 6 drafts, as Outlook has them")
	m.status = status{}
	if got := screen(m); got != view {
		t.Fatalf("a whole listing after the quiet refresh shows something else:\n%s\nwant\n%s", got, view)
	}
}

// The quiet refresh waits while a dialog is open, re-arms after each look, and when Graph no
// longer knows the link, lists Drafts whole once and takes a new one.
func TestQuietRefreshWaitsAndRecovers(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	q := startQuiet(t, e)

	e.emu.AddDraft(emulator.Draft{Subject: "From a script", LastModified: e.clock.Now().Add(time.Second), Created: e.clock.Now()})
	q.m = press(t, q.m, "?") // a dialog is open: the timer waits
	deltas := e.emu.Count("GET", "/delta")
	q.tick()
	if e.emu.Count("GET", "/delta") != deltas || len(q.timers) != 1 {
		t.Fatalf("the quiet refresh ran under a dialog (%d delta requests, %d timers)", e.emu.Count("GET", "/delta")-deltas, len(q.timers))
	}
	q.m = press(t, q.m, "esc")
	q.tick()
	if s := screen(q.m); !strings.Contains(s, "From a script") || !strings.Contains(s, "● new") {
		t.Fatalf("the quiet refresh did not bring the new draft:\n%s", s)
	}
	if len(q.timers) != 1 {
		t.Fatalf("%d timers after a quiet refresh, want 1", len(q.timers))
	}

	e.emu.ExpireDeltaTokens()
	listings := e.emu.Count("GET", "/messages")
	q.tick()
	if e.emu.Count("GET", "/messages") != listings+1 {
		t.Fatalf("an expired link led to %d listings, want 1", e.emu.Count("GET", "/messages")-listings)
	}
	if q.m.live.link == "" || q.m.load.err != nil || len(q.timers) != 1 {
		t.Fatalf("after the expired link: link %q, err %v, %d timers", q.m.live.link, q.m.load.err, len(q.timers))
	}
}

// When the link for changes cannot be had at start, the quiet refresh does not die: its next
// tick lists Drafts whole and takes a link then.
func TestQuietRefreshWithoutALinkAtStart(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	e.emu.Inject(emulator.Rule{Method: "GET", Path: "/messages/delta", Times: 1, Fault: emulator.Fault{Status: http.StatusServiceUnavailable}})
	q := startQuietWith(t, e, true)
	if q.m.live.link != "" || q.m.load.err != nil {
		t.Fatalf("link %q, load error %v after a failed delta at start", q.m.live.link, q.m.load.err)
	}
	listings := e.emu.Count("GET", "/messages")
	e.emu.AddDraft(emulator.Draft{Subject: "Meanwhile", LastModified: e.clock.Now().Add(time.Second), Created: e.clock.Now()})
	q.tick()
	if e.emu.Count("GET", "/messages") != listings+1 || q.m.live.link == "" || len(q.timers) != 1 {
		t.Fatalf("after the tick: %d listings, link %q, %d timers", e.emu.Count("GET", "/messages")-listings, q.m.live.link, len(q.timers))
	}
	if !strings.Contains(screen(q.m), "Meanwhile") {
		t.Fatalf("the whole listing did not bring the new draft:\n%s", screen(q.m))
	}
}

// With the quiet refresh off, nothing asks Graph for a link it would never use.
func TestQuietRefreshOffAsksNothing(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	m := e.model(t)
	m.opts.Refresh = 0
	m = press(t, start(t, m, 100, 30), "r")
	if n := e.emu.Count("GET", "/delta"); n != 0 || m.live.link != "" {
		t.Fatalf("%d delta requests with the quiet refresh off", n)
	}
}
