package ui

import (
	"cmp"
	"context"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// The list stays true by itself: Graph's delta query says what changed in Drafts since the
// last look, and only that is applied. A link "from now" is taken at start, alongside the first
// listing (when that fails, the next tick lists whole and tries again); then a quiet refresh
// every Options.Refresh (paused while a dialog is open or a
// listing runs, backing off under throttling) asks for the changes. r still lists Drafts whole:
// what the user asks for is the surest answer, and the link stays good across it. Drafts that appear or change meanwhile
// are marked new or changed until they are selected. An expired link falls back to a full
// listing, once, and a new link.

// live is the state of keeping the list true.
type live struct {
	link     string        // the delta link, "" until one is known
	gen      int           // tells the current refresh timer from older ones
	interval time.Duration // the wait before the next quiet refresh (grows under throttling)
	asking   bool          // a delta query is in flight
	fresh    map[string]freshness

	// The list kept from the last run (cached.go): on screen until Graph has answered.
	cached     bool
	cachedAt   time.Time
	cacheErr   error                             // why Graph could not be asked, while the cached list stays
	saveWarned bool                              // a failure to keep the list was said once
	rest       func(func([]graph.Message)) error // reads the rest of the cached list, until it has
	// cachedTotal is how many drafts the cached list holds: the count on screen until its rest
	// is read.
	cachedTotal int
	// cacheLinked is set when the cached list came with its own delta link.
	cacheLinked bool
}

// freshness marks a draft that appeared or changed while the user looked.
type freshness uint8

const (
	freshNew freshness = iota + 1
	freshChanged
)

// maxRefreshWait bounds the quiet refresh's back-off under throttling.
const maxRefreshWait = 5 * time.Minute

// Messages of keeping the list true.
type (
	// deltaMsg is what a delta query found, or why it failed; latest is set for the link from now.
	deltaMsg struct {
		delta  graph.Delta
		err    error
		latest bool
	}
	// refreshTickMsg is the quiet refresh's timer.
	refreshTickMsg struct{ gen int }
)

// deltaCmd asks what changed since link ("" for a link from now).
func deltaCmd(ctx context.Context, mb Mailbox, link string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, pageTimeout)
		defer cancel()
		d, err := mb.DraftsDelta(ctx, link)
		return deltaMsg{delta: d, err: err, latest: link == ""}
	}
}

// firstLink asks for a link from now alongside the first listing, when the quiet refresh is on
// (off, nothing uses one: no request).
func (m model) firstLink() tea.Cmd {
	if m.opts.Refresh <= 0 || m.live.link != "" { // a cached link is asked by startCmd
		return nil
	}
	return deltaCmd(m.ctx, m.mb, "")
}

// armRefresh starts the quiet refresh's timer, when it is on.
func (m *model) armRefresh() tea.Cmd {
	if m.opts.Refresh <= 0 {
		return nil
	}
	if m.live.interval <= 0 {
		m.live.interval = m.opts.Refresh
	}
	m.live.gen++
	gen := m.live.gen
	return m.sends.after(m.live.interval, refreshTickMsg{gen: gen})
}

// askChanges starts a delta query, unless one is in flight.
func (m *model) askChanges() tea.Cmd {
	if m.live.asking {
		return nil
	}
	m.live.asking = true
	return deltaCmd(m.ctx, m.mb, m.live.link)
}

// updateLive handles the timer and what delta queries found.
func (m model) updateLive(msg tea.Msg) (model, tea.Cmd) {
	switch msg := msg.(type) {
	case refreshTickMsg:
		if msg.gen != m.live.gen {
			return m, nil
		}
		if m.top() != nil || m.load.loading {
			return m, m.armRefresh() // paused while a dialog is open or a listing runs
		}
		if m.live.link == "" {
			// The link could not be had (at start, or after it expired): list whole, and take
			// a link from now alongside.
			m, reload := m.reload()
			return m, tea.Batch(reload, m.askChanges())
		}
		return m, m.askChanges()
	case deltaMsg:
		m.live.asking = false
		var save tea.Cmd
		switch {
		case msg.err == nil && msg.latest:
			m.live.link = msg.delta.Link
			save = m.saveList() // the list with a link from now, for the next start
		case msg.err == nil:
			m.live.link, m.live.interval = msg.delta.Link, m.opts.Refresh
			m.applyDelta(msg.delta)
			if m.live.cached || len(msg.delta.Changed)+len(msg.delta.Removed) > 0 {
				save = m.answered()
			}
		case graph.IsSyncExpired(msg.err):
			// Graph no longer knows the link: list again, whole, and take a new one.
			m.live.link = ""
			m, reload := m.reload()
			return m, tea.Batch(reload, m.askChanges())
		case graph.IsThrottled(msg.err):
			m.live.interval = min(max(m.live.interval*2, m.opts.Refresh), maxRefreshWait)
		}
		if msg.err != nil && m.live.cached {
			// The cached list could not be brought up to date: it stays, marked, and says why.
			m.live.cacheErr = msg.err
			m.status = failure("Could not update the cached list: " + graph.Describe(msg.err) + " — press r to retry")
		}
		// Any other failure is quiet: the list on screen stays, the next tick asks again,
		// and r lists Drafts whole, saying what went wrong.
		m, sync := m.synced()
		return m, tea.Batch(sync, save, m.armRefresh())
	}
	return m, nil
}

// applyDelta puts what changed into the list: removed drafts leave it, changed ones are
// replaced, new ones added; the list stays newest first and the selection where it was. The
// drafts that did not change stay the list's own, filter text and all, so a quiet refresh
// allocates for what changed, not for the whole list. New and changed drafts are marked until
// selected.
func (m *model) applyDelta(d graph.Delta) {
	if len(d.Changed)+len(d.Removed) == 0 {
		return
	}
	gone := make(map[string]bool, len(d.Removed))
	for _, id := range d.Removed {
		gone[id] = true
	}
	l := &m.drafts
	changed := make(map[string]*row, len(d.Changed))
	fresh := rowsOf(d.Changed)
	for i := range fresh {
		changed[fresh[i].id()] = &fresh[i]
	}
	if m.live.fresh == nil {
		m.live.fresh = map[string]freshness{}
	}
	k := make(keptPage, 0, len(l.all)+len(fresh))
	for _, old := range l.all {
		id := old.id()
		c := changed[id]
		delete(changed, id)
		switch {
		case gone[id]:
			delete(m.live.fresh, id)
		case c != nil && !old.same(c):
			k = append(k, c)
			if m.live.fresh[id] != freshNew {
				m.live.fresh[id] = freshChanged
			}
			m.takeNewer(c)
		default:
			k = append(k, old)
		}
	}
	for i := range fresh {
		c := &fresh[i]
		if id := c.id(); changed[id] == c && !gone[id] {
			k = append(k, c)
			m.live.fresh[id] = freshNew
		}
	}
	slices.SortStableFunc(k, func(a, b *row) int { return cmp.Compare(b.modified, a.modified) })
	l.setKept(k)
	m.load.total = l.len()
	m.sends.forgetGone(l.contains)
	m.pruneMarks()
	m.leaveGoneDraft()
}

// seen clears the mark of the draft selected: the user has seen it.
func (m *model) seen() {
	if len(m.live.fresh) == 0 {
		return
	}
	if d, ok := m.drafts.selected(); ok {
		if _, marked := m.live.fresh[d.ID]; marked {
			delete(m.live.fresh, d.ID)
		}
	}
}
