package ui

import (
	"context"
	"os/exec"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// state is what the screen shows and what the keys do.
type state int

const (
	stateList    state = iota // the drafts, with the preview beside them on a wide terminal
	stateFull                 // one draft on the whole screen
	stateConfirm              // "Send this draft now?"
	stateSent                 // the latest messages in Sent Items
	stateInbox                // the latest messages in the Inbox
	stateHelp                 // every key
	stateQuit                 // "Quit while sending?"
	stateWhen                 // "Send later": when?
	stateRead                 // a message of Sent Items or the Inbox on the whole screen (reader.go)
)

// model is the root of the program and its only tea.Model. Children are
// plain values with update and view methods; all I/O is in commands.
type model struct {
	ctx  context.Context
	mb   Mailbox
	opts Options
	now  func() time.Time
	loc  *time.Location

	view     state     // the view: the list, one draft full screen, or Sent Items
	overlays []overlay // the dialogs open over it, the top one last (overlay.go)

	width, height int
	wide          bool // the preview pane is beside the list
	tooSmall      bool

	styles  styles
	keys    keyMap
	help    help.Model
	spinner spinner.Model

	drafts  messageList
	preview preview
	sent    sentView
	inbox   inboxView
	reader  reader
	status  status

	load       loader
	bodies     map[string]graph.Message // drafts opened once, by id
	openFailed map[string]bool          // drafts that could not be opened, until 'r'
	opening    string                   // the draft being fetched, or ""
	sends      sendQueue                // every send of the run: held, in flight, settled
	confirmGen int                      // the latest opening of the confirm dialog
	edit       editing                  // what an edit remembers between its steps (edit.go)
	live       live                     // keeping the list true: the delta link, the quiet refresh (live.go)
	marked     map[string]bool          // the drafts marked to send together, by id (marks.go)
	// selectAfterLoad is the draft to select when the list in flight has loaded (a saved edit).
	selectAfterLoad string
	// exec runs an outside program (the editor) with the terminal: tea.ExecProcess.
	exec       func(*exec.Cmd, tea.ExecCallback) tea.Cmd
	statusRows int // the status area's height the screen was laid out for
}

// loader tracks the loading of the drafts list, page by page. Until a
// complete list has been shown, each page goes on screen as it arrives; a
// later load (a refresh) collects its pages and swaps the whole list at the
// end, so the rows do not jump around under the user.
type loader struct {
	gen      int                // a new load ignores the pages of an older one
	ctx      context.Context    // the requests of this load
	stop     context.CancelFunc // ends them when a new load starts
	pager    *graph.Pager
	loading  bool
	loaded   bool       // a complete list has been shown at least once
	incoming []keptPage // a refresh's pages so far, holding the drafts on screen that they repeat
	reuse    reuse      // where a refresh finds the drafts on screen it repeats
	received int        // drafts received by this load so far
	total    int        // the folder's count while loading, 0 if unknown
	err      error
}

func newModel(ctx context.Context, mb Mailbox, opts Options) model {
	opts = opts.withDefaults()
	keys := newKeyMap()
	m := model{
		ctx:        ctx,
		mb:         mb,
		opts:       opts,
		now:        opts.Now,
		loc:        time.Local,
		keys:       keys,
		help:       help.New(),
		spinner:    spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		drafts:     newMessageList(keys),
		preview:    newPreview(keys),
		sent:       newSentView(keys),
		inbox:      newInboxView(keys),
		reader:     reader{pane: newPreview(keys)},
		bodies:     map[string]graph.Message{},
		openFailed: map[string]bool{},
		sends:      newSendQueue(ctx, mb, opts.Journal, opts.sendOptions()),
		exec:       tea.ExecProcess,
	}
	m.setStyles(newStyles(true))
	if c := opts.Cached; c != nil && len(c.Drafts) > 0 {
		m.startCached(*c) // on screen at once; Init asks what changed since
	} else {
		m.newLoad() // the first page is read in Init
	}
	if opts.Notice != "" {
		m.status = warning(sentence(opts.Notice))
	}
	m.syncKeys()
	return m
}

// Init asks the terminal for its background colour and starts loading the
// drafts: the count and the first page at once. It also reads the sends an
// earlier run left unsettled in the journal, to settle them.
func (m model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.startCmd(), pendingSendsCmd(m.ctx, m.opts.Journal), m.firstLink())
}

// Update routes a message: terminal events first, then results of I/O,
// then keys by state. It ends by switching on exactly the keys that work
// in the new state.
func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := m.update(msg)
	bw, _ := m.bodySize()
	switch c := m.top().(type) {
	case confirmDialog:
		m.setTop(c.reflow(m.styles, bw))
	case confirmMany:
		m.setTop(c.reflow(m.styles, bw))
	}
	m.syncKeys()
	m.preview.vp.KeyMap = m.keys.viewportKeys() // the full views' scrolling keys, as on now
	m.reader.pane.vp.KeyMap = m.preview.vp.KeyMap
	m.syncThreadKey()
	if m.statusHeight() != m.statusRows {
		m.layout() // the status area grew or shrank: the body gets the rest
	}
	return m, cmd
}

func (m model) update(msg tea.Msg) (model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m.synced() // a wider screen shows the preview: its draft is fetched
	case tea.BackgroundColorMsg:
		m.setStyles(newStylesFor(msg.IsDark(), m.styles.profile))
		return m, nil
	case tea.ColorProfileMsg:
		m.setStyles(newStylesFor(m.styles.isDark, msg.Profile))
		return m, nil
	case spinner.TickMsg:
		if !m.busy() {
			return m, nil // the spinner stops until work starts again
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	case tea.MouseWheelMsg:
		return m.updateWheel(msg)
	case tea.MouseClickMsg:
		return m.updateClick(msg)
	case draftsPageMsg, draftsFailedMsg, draftCountMsg, draftOpenedMsg, openFailedMsg:
		return m.updateLoad(msg)
	case sendStepMsg, pendingSendsMsg, reconfirmMsg:
		m, cmd := m.updateSend(msg)
		if q, ok := m.top().(quitQuestion); ok && !m.mustAskToQuit() && len(q.leaving) > 0 && m.wentOut(q.leaving) {
			return m, tea.Batch(cmd, tea.Quit) // "send now" was a choice to quit
		}
		// Otherwise the question stays open, even with nothing left to ask about (it says so):
		// closing by itself, it would hand the user's next key — n for "stay" — to the list,
		// where n writes a new draft.
		return m, cmd
	case localChecksMsg, tipChecksMsg, confirmFilesMsg:
		return m.updateChecks(msg)
	case manyCheckMsg:
		return m.updateManyChecks(msg)
	case listSavedMsg:
		return m.listSaved(msg)
	case cachedRestMsg:
		return m.cachedRest(msg)
	case scheduledCancelledMsg:
		return m.scheduledCancelled(msg)
	case editSourceMsg, editorDoneMsg, editSavedMsg:
		return m.updateEdit(msg)
	case discardTickMsg:
		var cmd tea.Cmd
		m.sends, cmd = m.sends.discardTicked(msg, m.now())
		return m, cmd
	case discardedMsg:
		return m.discarded(msg)
	case respondedMsg:
		return m.responded(msg)
	case refreshTickMsg, deltaMsg:
		return m.updateLive(msg)
	case filesSavedMsg:
		return m.filesSaved(msg)
	case webOpenedMsg:
		return m.webOpened(msg)
	case readOpenedMsg:
		return m.readOpened(msg)
	case inboxListedMsg:
		m.inbox = m.inbox.update(msg)
		if msg.err != nil && m.view == stateInbox && m.inbox.list.len() > 0 {
			m.status = failure("Could not list the Inbox: " + graph.Describe(msg.err) + "; the list shown is the last one read")
		}
		return m, nil
	case scheduledListedMsg:
		m.sent = m.sent.update(msg)
		return m, nil
	case sentListedMsg:
		m.sent = m.sent.update(msg)
		return m, nil
	case sentListFailedMsg:
		m.sent = m.sent.update(msg)
		if msg.gen == m.sent.gen && m.view == stateSent && m.sent.list.len() > 0 {
			// No key named: r is reply in Sent Items, and the status outlives the view (the help
			// names the key that refreshes where the user is).
			m.status = failure("Could not list Sent Items: " + graph.Describe(msg.err) + "; the list shown is the last one read")
		}
		return m, nil
	}
	// Anything else (the filter's cursor) is the list's.
	var cmd tea.Cmd
	m.drafts, cmd = m.drafts.update(msg)
	m, sync := m.synced()
	return m, tea.Batch(cmd, sync)
}

// busy reports whether something is in flight, to keep the spinner going.
func (m model) busy() bool {
	return m.load.loading || m.sent.loading || m.opening != "" || m.sends.busy()
}

// setStyles switches every child to new styles.
func (m *model) setStyles(st styles) {
	m.styles = st
	m.help.Styles = st.help
	m.drafts.setStyles(st)
	m.sent.list.setStyles(st)
	m.inbox.list.setStyles(st)
	m.preview.render(st, m.now(), m.loc)
	m.reader.pane.render(st, m.now(), m.loc)
}

// reload starts loading the drafts list again. The list on screen stays
// until the new one is complete.
func (m model) reload() (model, tea.Cmd) {
	m.newLoad()
	return m, m.loadCmd()
}

// newLoad prepares a load of the drafts list: a new generation, pager and
// context. A load still under way is cancelled, so hammering 'r' does not
// pile up requests. Making a pager does no I/O.
func (m *model) newLoad() {
	if m.load.stop != nil {
		m.load.stop()
	}
	m.load.gen++
	m.load.ctx, m.load.stop = context.WithCancel(m.ctx)
	m.load.pager = m.mb.Drafts(m.opts.PageSize)
	m.load.loading = true
	m.load.incoming = nil
	m.load.reuse = reuse{}
	m.load.received = 0
}

// loadCmd reads the first page of the current load and, until a list has
// been shown, the number of drafts alongside it (for the title while the
// pages come). A refresh asks for pages only: after a send, the refresh is
// one request for a mailbox of up to a page of drafts.
func (m model) loadCmd() tea.Cmd {
	page := pageCmd(m.load.ctx, m.load.pager, m.load.gen)
	if m.load.loaded {
		return tea.Batch(page, m.spinner.Tick)
	}
	return tea.Batch(countCmd(m.load.ctx, m.mb, m.load.gen), page, m.spinner.Tick)
}

// loadSent lists Sent Items again, with the spinner going, when they are
// on screen (the Sent Items view, or help or the quit question over it).
// Elsewhere it does nothing: switching to Sent Items lists them anyway, so
// a send that settles while the drafts are shown costs no request for a
// view nobody is looking at.
func (m *model) loadSent() tea.Cmd {
	if m.view != stateSent {
		return nil
	}
	return tea.Batch(m.sent.load(m.ctx, m.mb), m.spinner.Tick)
}

// updateLoad handles pages of drafts, the count, and opened drafts.
func (m model) updateLoad(msg tea.Msg) (model, tea.Cmd) {
	switch msg := msg.(type) {
	case draftCountMsg:
		if msg.gen == m.load.gen {
			m.load.total = msg.n
		}
		return m, nil

	case draftsPageMsg:
		if msg.gen != m.load.gen {
			return m, nil
		}
		m.takePage(msg.page, !msg.more)
		var cmds []tea.Cmd
		if msg.more {
			cmds = append(cmds, pageCmd(m.load.ctx, m.load.pager, msg.gen))
		} else {
			if m.load.err != nil && m.status == failure(loadErrorText(m.load.err)) {
				m.status = status{} // the error is over; any other news stays
			}
			m.load.loading, m.load.loaded, m.load.err = false, true, nil
			if m.status == relisting { // r asked: say it is done, unless other news came meanwhile
				m.status = info("Listed again: " + count(m.drafts.len(), "draft", "drafts") + ", as Outlook has them")
			}
			cmds = append(cmds, m.answered())
			if m.opts.SaveList == nil {
				cmds = append(cmds, releaseCmd(m.drafts.len())) // (else the command that keeps the list does)
			}
			m.load.total = m.drafts.len()
			m.sends.forgetGone(m.drafts.contains)
			m.pruneMarks()
			m.leaveGoneDraft()
			if id := m.selectAfterLoad; id != "" && m.drafts.contains(id) {
				m.drafts.selectID(id, m.drafts.index) // a saved or new draft: its row
				m.selectAfterLoad = ""
			}
		}
		m, sync := m.synced()
		return m, tea.Batch(append(cmds, sync)...)

	case draftsFailedMsg:
		if msg.gen != m.load.gen {
			return m, nil
		}
		m.load.loading, m.load.err = false, msg.err
		if !m.load.loaded && len(msg.page.rows) > 0 {
			m.takePage(msg.page, false)
		}
		m.load.incoming, m.load.reuse = nil, reuse{}
		if m.live.cached {
			m.live.cacheErr = msg.err // the cached list stays, marked as not updated
		}
		if m.drafts.len() > 0 {
			m.status = failure(loadErrorText(msg.err))
		} else {
			m.status = status{} // the error screen says it all
		}
		return m.synced()

	case draftOpenedMsg:
		m.opening = ""
		m.bodies[msg.msg.ID] = msg.msg
		if m.preview.msg.ID == msg.msg.ID {
			m.preview.show(msg.msg, true, nil)
			m.preview.render(m.styles, m.now(), m.loc)
		}
		return m.synced()

	case openFailedMsg:
		m.opening = ""
		m.openFailed[msg.id] = true
		if m.preview.msg.ID == msg.id {
			m.preview.show(m.preview.msg, false, msg.err)
			m.preview.render(m.styles, m.now(), m.loc)
		}
		return m.synced()
	}
	return m, nil
}

// takePage takes one page of the current load: on screen at once until a
// complete list has been shown, else kept until the last page (last), when
// the whole list is swapped. A refresh keeps the drafts on screen that the
// page repeats unchanged, not the page's copies (see messageList.keep).
func (m *model) takePage(page listPage, last bool) {
	first := m.load.received == 0
	m.load.received += len(page.rows)
	switch {
	case !m.load.loaded && first:
		m.drafts.setPages(page) // a load started over replaces what the older one showed
	case !m.load.loaded:
		m.drafts.appendPage(page)
	default:
		kept := m.drafts.keep(page, &m.load.reuse)
		m.load.incoming = append(m.load.incoming[:len(m.load.incoming):len(m.load.incoming)], kept)
		if !last {
			return
		}
		m.drafts.setKept(m.load.incoming...)
		for _, p := range m.load.incoming {
			for _, r := range p {
				m.takeNewer(r)
			}
		}
		m.load.incoming, m.load.reuse = nil, reuse{} // the index holds the replaced list
		return
	}
	for i := range page.rows {
		m.takeNewer(&page.rows[i])
	}
}

// takeNewer replaces what the program holds of a draft that the listing
// shows was changed since (edited in Outlook): the opened copy is
// forgotten, so its body is fetched again, and the preview and an open
// confirm dialog show the new version. Neither ever shows an older draft
// than the list.
func (m *model) takeNewer(r *row) {
	// Cheap tests first: this runs for every draft of a refresh.
	if len(m.sends.jobs) > 0 {
		m.sends.forgetEdited(r.id(), r.modified)
	}
	if len(m.bodies) > 0 {
		if b, ok := m.bodies[r.id()]; ok && r.modified > stamp(b.LastModified) {
			delete(m.bodies, r.id())
		}
	}
	if m.preview.has && r.modified > stamp(m.preview.msg.LastModified) && r.id() == m.preview.msg.ID {
		m.preview.show(r.message(), false, nil)
		m.preview.render(m.styles, m.now(), m.loc)
	}
	if c, ok := m.confirmOpen(); ok && r.modified > stamp(c.draft.LastModified) && r.id() == c.draft.ID {
		d := r.message()
		m.setTop(c.withDraft(d))
		m.status = warning("“" + subjectOf(d) + "” was changed in Outlook; the dialog shows the new version")
	}
}

// leaveGoneDraft returns from the full view of a draft that is no longer
// in Drafts (sent, here or elsewhere), so it cannot be sent again.
func (m *model) leaveGoneDraft() {
	if !m.preview.has || m.drafts.contains(m.preview.msg.ID) {
		return
	}
	switch {
	case m.view == stateFull:
		m.setView(stateList)
	}
}

// relisting is the status while r lists the drafts again.
var relisting = info("Listing the drafts again…").working()

// loadErrorText says what went wrong loading the list and what to do.
func loadErrorText(err error) string {
	return "Could not load the drafts: " + graph.Describe(err) + " — press r to retry"
}
