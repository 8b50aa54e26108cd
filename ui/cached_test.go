package ui

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// keptList records what the screen keeps for the next start.
type keptList struct {
	drafts []graph.Message
	link   string
	saves  int
	err    error // answered to every save
}

func (k *keptList) save(_ context.Context, ds iter.Seq[graph.Message], count int, link string, _ time.Time) error {
	k.drafts = slices.Collect(ds)
	if len(k.drafts) != count {
		return fmt.Errorf("%d drafts, not the %d said", len(k.drafts), count)
	}
	k.link, k.saves = link, k.saves+1
	return k.err
}

// cachedRun is a first run with the quiet refresh on, which keeps the list and a link; then a
// draft written elsewhere; then a second model started from what was kept, sized but not yet
// started (no request made).
func cachedRun(t *testing.T) (*env, *keptList, model) {
	t.Helper()
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	kept := &keptList{}
	first := e.model(t)
	first.opts.Refresh, first.opts.SaveList = 30*time.Second, kept.save
	first.sends.after = func(d time.Duration, msg tea.Msg) tea.Cmd {
		if _, ok := msg.(refreshTickMsg); ok {
			return nil
		}
		return func() tea.Msg { return msg }
	}
	first = start(t, first, 100, 30)
	if kept.saves == 0 || kept.link == "" || len(kept.drafts) != first.drafts.len() {
		t.Fatalf("the first run kept %d drafts with link %q (%d saves)", len(kept.drafts), kept.link, kept.saves)
	}
	e.clock.Advance(time.Minute)
	e.emu.AddDraft(emulator.Draft{Subject: "Written on the phone", LastModified: e.clock.Now(), Created: e.clock.Now()})

	m := e.model(t) // for its context and poll delay; the model is made again from the cache
	m = newModel(m.ctx, e.mb, Options{Account: m.opts.Account, Now: e.clock.Now, PollDelay: m.opts.PollDelay,
		Cached: &Cached{Drafts: append([]graph.Message(nil), kept.drafts[:2]...), Total: len(kept.drafts), Link: kept.link, Saved: e.clock.Now().Add(-time.Minute),
			Rest: func(each func([]graph.Message)) error {
				each(slices.Clone(kept.drafts[2:3]))
				each(slices.Clone(kept.drafts[3:]))
				return nil
			}},
		SaveList: kept.save})
	m.loc = time.UTC
	m.sends.after = func(_ time.Duration, msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
	next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	return e, kept, next.(model)
}

// The list kept from the last run is on screen before Graph is asked anything, marked cached;
// then one delta request (no listing) brings what changed meanwhile, marked new, the cached
// mark goes, and the list is kept again with the new link.
func TestCachedListIsOnScreenBeforeGraphAnswers(t *testing.T) {
	e, kept, m := cachedRun(t)
	s := screen(m)
	if !strings.Contains(s, "Team lunch on Thursday?") || !strings.Contains(s, "cached 1 min ago, updating…") || strings.Contains(s, "Written on the phone") ||
		!strings.Contains(s, "Drafts · 6") || !strings.Contains(s, "1 of 6 · newest first") {
		t.Fatalf("the first frame, before any request (the count is the cached list's, all 6):\n%s", s)
	}
	if m.drafts.len() != 2 {
		t.Fatalf("the first frame holds %d drafts, want the first 2 (the rest is read in a command)", m.drafts.len())
	}
	oldLink, saves := kept.link, kept.saves
	listings, deltas := e.emu.Count("GET", "/messages"), e.emu.Count("GET", "/delta")
	m, _ = drive(t, m, m.Init())
	if n := e.emu.Count("GET", "/messages") - listings; n != 0 {
		t.Fatalf("a start from the cache listed Drafts (%d listings): it should ask only what changed", n)
	}
	if n := e.emu.Count("GET", "/delta") - deltas; n != 1 {
		t.Fatalf("%d delta requests at start, want 1", n)
	}
	s = screen(m)
	if !strings.Contains(s, "Written on the phone") || !strings.Contains(s, "● new") || strings.Contains(s, "cached") {
		t.Fatalf("after the delta:\n%s", s)
	}
	if m.drafts.len() != 7 {
		t.Fatalf("%d drafts after the start, want the 6 cached and the new one", m.drafts.len())
	}
	if kept.saves == saves || kept.link == oldLink || len(kept.drafts) != m.drafts.len() {
		t.Fatalf("the list was not kept again with the new link (%d saves, link changed %v)", kept.saves-saves, kept.link != oldLink)
	}
}

// A cached link Graph no longer knows leads to one whole listing, swapped in at its end; the
// cached list stays on screen meanwhile.
func TestCachedListWithAnExpiredLinkListsOnce(t *testing.T) {
	e, _, m := cachedRun(t)
	e.emu.ExpireDeltaTokens()
	listings := e.emu.Count("GET", "/messages")
	m, _ = drive(t, m, m.Init())
	if n := e.emu.Count("GET", "/messages") - listings; n != 1 {
		t.Fatalf("%d listings after an expired link, want 1", n)
	}
	if s := screen(m); !strings.Contains(s, "Written on the phone") || strings.Contains(s, "cached") {
		t.Fatalf("after the listing:\n%s", s)
	}
}

// When Graph cannot be reached, the cached list stays, marked, and the status says why and
// what to do; a failure to keep the list is said once.
func TestCachedListStaysWhenGraphIsDown(t *testing.T) {
	e, kept, m := cachedRun(t)
	e.emu.Inject(emulator.Rule{Method: "GET", Path: "/delta", Fault: emulator.Fault{Status: 503, Code: "ServiceUnavailable"}})
	kept.err = errors.New("disk full")
	m, _ = drive(t, m, m.Init())
	s := screen(m)
	if !strings.Contains(s, "cached 1 min ago, not updated: r retries") || !strings.Contains(m.status.text, "Could not update the cached list") {
		t.Fatalf("Graph down:\n%s\nstatus %q", s, m.status.text)
	}
	e.emu.ClearFaults()
	m = press(t, m, "r")
	if s := screen(m); strings.Contains(s, "cached") || !strings.Contains(s, "Written on the phone") {
		t.Fatalf("after r:\n%s", s)
	}
	if !strings.Contains(m.status.text, "could not be kept for the next start: disk full") {
		t.Fatalf("status %q", m.status.text)
	}
}

// A cached list damaged past its first drafts is listed again, whole, and says so.
func TestCachedListDamagedLaterIsListedAgain(t *testing.T) {
	e, _, m := cachedRun(t)
	m.live.rest = func(func([]graph.Message)) error { return errors.New("the cached drafts list /x is damaged") }
	listings := e.emu.Count("GET", "/messages")
	m, _ = drive(t, m, m.Init())
	if n := e.emu.Count("GET", "/messages") - listings; n != 1 || m.drafts.len() != 7 {
		t.Fatalf("%d listings, %d drafts; want 1 listing of all 7", n, m.drafts.len())
	}
	if !strings.Contains(m.status.text, "is damaged; listing again") || strings.Contains(screen(m), "cached 1 min ago") {
		t.Fatalf("status %q\n%s", m.status.text, screen(m))
	}
}

// A cache without a link of its own is listed whole, even when a link from now arrives before
// the rest of the cached list: that link says nothing of what changed before it. Until Graph's
// list is whole, nothing is kept.
func TestCacheWithoutALinkIsListedWhole(t *testing.T) {
	e, kept, m := cachedRun(t)
	m.live.link, m.live.cacheLinked = "", false
	m.opts.Refresh = 30 * time.Second
	saves := kept.saves
	// The link from now first, then the rest of the cache.
	m, _ = deliver(t, m, deltaMsg{delta: graph.Delta{Link: "from-now"}, latest: true})
	if kept.saves != saves {
		t.Fatalf("a part of the cached list was kept as the list (%d saves)", kept.saves-saves)
	}
	listings := e.emu.Count("GET", "/messages")
	m, cmd := deliver(t, m, m.startCmd()())
	m, _ = drive(t, m, cmd)
	if n := e.emu.Count("GET", "/messages") - listings; n != 1 || !strings.Contains(screen(m), "Written on the phone") {
		t.Fatalf("%d listings; screen:\n%s", n, screen(m))
	}
	if kept.saves == saves || len(kept.drafts) != 7 {
		t.Fatalf("the whole list was not kept: %d saves, %d drafts", kept.saves-saves, len(kept.drafts))
	}
}

// A whole listing that fails leaves the cached list marked as not updated.
func TestCachedListMarkedWhenItsListingFails(t *testing.T) {
	e, _, m := cachedRun(t)
	m.live.link, m.live.cacheLinked = "", false
	e.emu.Inject(emulator.Rule{Method: "GET", Path: "/mailFolders/drafts/messages", Fault: emulator.Fault{Status: 503, Code: "ServiceUnavailable"}})
	m, _ = drive(t, m, m.Init())
	if s := screen(m); !strings.Contains(s, "not updated: r retries") {
		t.Fatalf("after a failed listing:\n%s", s)
	}
}
