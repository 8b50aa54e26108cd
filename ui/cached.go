package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// Instant start: the drafts list kept from the last run (Options.Cached) is on screen in the
// first frame, marked as cached in the sub-header, while Graph is asked only what changed since
// (its delta link) — or, with no link, listed whole and swapped in at the end, as a refresh.
// Once Graph has answered, the list is Graph's and the mark goes; if it cannot answer, the
// cached list stays, marked, and the status says why. After each listing and each change, the
// list is kept again for the next start (Options.SaveList), off the screen's goroutine.

// Cached is a drafts list kept from an earlier run.
type Cached struct {
	Drafts []graph.Message // as listed, no bodies: the first ones, for the first frame
	Total  int             // how many drafts the cached list holds, Drafts and the rest
	// Rest reads the others (in a command, once), handing them to each a chunk at a time;
	// nil when there are none.
	Rest  func(each func([]graph.Message)) error
	Link  string // the delta link to ask what changed since; "" when none
	Saved time.Time
}

// Messages of the cached list.
type (
	// listSavedMsg says whether the list was kept for the next start.
	listSavedMsg struct{ err error }
	// cachedRestMsg carries the rest of the cached list, made rows.
	cachedRestMsg struct {
		pages []listPage
		err   error
	}
)

// startCached puts the cached list's first drafts on screen and prepares what Init asks: the
// rest of it, then the changes since its link (or a whole listing).
func (m *model) startCached(c Cached) {
	m.drafts.setPages(newListPage(c.Drafts))
	m.load.loaded = true
	m.live.cached, m.live.cachedAt, m.live.link, m.live.rest = true, c.Saved, c.Link, c.Rest
	m.live.cachedTotal = c.Total
	m.live.cacheLinked = c.Link != ""
	if c.Rest == nil {
		m.askSinceCache()
	}
}

// askSinceCache prepares the question to Graph once the cached list is whole: what changed
// since its link, or, with no link of its own, a whole listing swapped in when complete (a link
// from now that came meanwhile says nothing of what changed before it).
func (m *model) askSinceCache() {
	if m.live.cacheLinked && m.live.link != "" {
		m.live.asking = true
		return
	}
	m.newLoad()
}

// startCmd is what Init asks for the list: the rest of the cached list; the changes since its
// link; or the first page (and, for a fresh start, the count) of a listing.
func (m model) startCmd() tea.Cmd {
	switch {
	case m.live.cached && m.live.rest != nil:
		rest := m.live.rest
		return func() tea.Msg {
			var pages []listPage
			if err := rest(func(msgs []graph.Message) { pages = append(pages, newListPage(msgs)) }); err != nil {
				return cachedRestMsg{err: err}
			}
			return cachedRestMsg{pages: pages}
		}
	case m.live.cached && m.live.asking:
		return deltaCmd(m.ctx, m.mb, m.live.link)
	}
	return m.loadCmd()
}

// cachedRest puts the rest of the cached list on screen and asks Graph what changed since; a
// cached list damaged past its first drafts is listed again, whole.
func (m model) cachedRest(msg cachedRestMsg) (model, tea.Cmd) {
	if m.live.rest == nil || !m.live.cached {
		m.live.rest = nil
		return m, nil // Graph answered first (r): the list is Graph's
	}
	m.live.rest = nil
	if msg.err != nil {
		m.status = warning(sentence(msg.err.Error()) + "; listing again")
		m.live.link = ""
	} else {
		for _, p := range msg.pages {
			m.drafts.appendPage(p)
		}
	}
	m.askSinceCache()
	m, sync := m.synced()
	return m, tea.Batch(sync, m.startCmd(), releaseCmd(m.drafts.len())) // the rest's decoding, even if Graph never answers
}

// answered is the list's being Graph's again, after a listing or a delta: the cached mark
// goes, and the list is kept for the next start.
func (m *model) answered() tea.Cmd {
	m.live.cached, m.live.cacheErr = false, nil
	return m.saveList()
}

// saveList keeps the list on screen, with the delta link, for the next start (nil when there
// is nowhere to keep it). Rows are never changed, so the command may read them while the
// screen goes on.
func (m model) saveList() tea.Cmd {
	save := m.opts.SaveList
	if save == nil || m.load.loading || m.live.cached {
		return nil // nothing to keep, or not Graph's list yet (part of it, or only the cache's)
	}
	rows, link, now, ctx := m.drafts.all, m.live.link, m.now(), m.ctx
	drafts := func(yield func(graph.Message) bool) {
		for _, r := range rows {
			if !yield(r.message()) {
				return
			}
		}
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, journalTimeout)
		defer cancel()
		err := save(ctx, drafts, len(rows), link, now)
		releaseMemory(len(rows))
		return listSavedMsg{err: err}
	}
}

// listSaved says once in a run that the list could not be kept (the next start lists whole).
func (m model) listSaved(msg listSavedMsg) (model, tea.Cmd) {
	if msg.err != nil && !m.live.saveWarned {
		m.live.saveWarned = true
		m.status = warning("The drafts list could not be kept for the next start: " + graph.Describe(msg.err))
	}
	return m, nil
}

// cachedNote is the sub-header's word on a cached list: how old it is, and whether it is being
// updated or could not be.
func (m model) cachedNote() string {
	if !m.live.cached {
		return ""
	}
	s := " · cached " + ago(m.live.cachedAt, m.now(), m.loc)
	if m.live.cacheErr != nil {
		return s + ", not updated: r retries"
	}
	return s + ", updating…"
}
