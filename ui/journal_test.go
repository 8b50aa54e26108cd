package ui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
	"github.com/draftsmail/drafts/graph/sending"
)

// spyJournal is a memory journal that remembers how many POSTs the emulator had seen when each
// send was recorded, and can be made to fail.
type spyJournal struct {
	sending.Journal
	emu *emulator.Server

	mu          sync.Mutex
	postsAtRec  []int
	settled     []string
	failRecord  error
	failPending error
}

func newSpyJournal(emu *emulator.Server) *spyJournal {
	return &spyJournal{Journal: sending.NewMemory(), emu: emu}
}

func (j *spyJournal) Record(ctx context.Context, e sending.Entry) error {
	j.mu.Lock()
	j.postsAtRec = append(j.postsAtRec, j.emu.Count("POST", "/send"))
	fail := j.failRecord
	j.mu.Unlock()
	if fail != nil {
		return fail
	}
	return j.Journal.Record(ctx, e)
}

func (j *spyJournal) Settle(ctx context.Context, id string) error {
	j.mu.Lock()
	j.settled = append(j.settled, id)
	j.mu.Unlock()
	return j.Journal.Settle(ctx, id)
}

func (j *spyJournal) Pending(ctx context.Context) ([]sending.Entry, error) {
	if j.failPending != nil {
		return nil, j.failPending
	}
	return j.Journal.Pending(ctx)
}

func (j *spyJournal) pending(t *testing.T) []sending.Entry {
	t.Helper()
	p, err := j.Journal.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// modelWithJournal is e.model with a journal.
func (e *env) modelWithJournal(t *testing.T, j sending.Journal) model {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m := newModel(ctx, e.mb, Options{
		Account:   "adele.vance@contoso.example",
		Now:       e.clock.Now,
		PollDelay: func(int) time.Duration { return 0 },
		Journal:   j,
	})
	m.loc = time.UTC
	m.sends.after = func(_ time.Duration, msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
	return m
}

func TestSendIsRecordedBeforeThePOSTAndSettledAfter(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	d := e.emu.AddDraft(emulator.Draft{Subject: "Ship it", To: []emulator.Recipient{megan}})
	j := newSpyJournal(e.emu)
	m := start(t, e.modelWithJournal(t, j), 80, 24)
	m = press(t, m, "s", "y")
	if !strings.Contains(screen(m), "is in Sent Items") {
		t.Fatalf("not sent:\n%s", screen(m))
	}
	if len(j.postsAtRec) != 1 || j.postsAtRec[0] != 0 || e.posts() != 1 {
		t.Fatalf("recorded at POST counts %v, %d POSTs: want recorded once, before the POST", j.postsAtRec, e.posts())
	}
	if len(j.settled) != 1 || j.settled[0] != d.ID || len(j.pending(t)) != 0 {
		t.Fatalf("settled %v, pending %v", j.settled, j.pending(t))
	}
}

func TestSendThatCannotBeRecordedIsNotMade(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.emu.AddDraft(emulator.Draft{Subject: "Ship it", To: []emulator.Recipient{megan}})
	j := newSpyJournal(e.emu)
	j.failRecord = errors.New("cannot write the send journal /x/sends.json (disk full)")
	m := start(t, e.modelWithJournal(t, j), 80, 24)
	m = press(t, m, "s", "y")
	if e.posts() != 0 || !strings.Contains(screen(m), "Not sent: the send could not be recorded first") {
		t.Fatalf("%d POSTs:\n%s", e.posts(), screen(m))
	}
	// The draft stays and may be sent once the journal works.
	j.failRecord = nil
	m = press(t, m, "s", "y")
	if e.posts() != 1 || !strings.Contains(screen(m), "is in Sent Items") {
		t.Fatalf("%d POSTs:\n%s", e.posts(), screen(m))
	}
}

func TestUnsettledOutcomesStayInTheJournal(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.emu.AddDraft(emulator.Draft{Subject: "Ship it", To: []emulator.Recipient{megan}})
	j := newSpyJournal(e.emu)
	m := start(t, e.modelWithJournal(t, j), 80, 24)
	e.emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Fault: emulator.Fault{DropBeforeAct: true}})
	e.emu.Inject(emulator.Rule{Method: "GET", Path: "sentitems", Fault: emulator.ServerError(503)})
	m = press(t, m, "s", "y")
	if !strings.Contains(screen(m), "Not known whether it was sent") {
		t.Fatalf("screen:\n%s", screen(m))
	}
	if p := j.pending(t); len(p) != 1 || len(j.settled) != 0 {
		t.Fatalf("pending %v, settled %v: an unknown outcome must stay in the journal", p, j.settled)
	}
}

func TestInterruptedSendsAreSettledAtStart(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.seedFixtures()
	stayed := e.emu.AddDraft(emulator.Draft{Subject: "Stayed a draft", To: []emulator.Recipient{megan}})
	j := newSpyJournal(e.emu)
	j.Journal.Record(context.Background(), entry(stayed, e.clock.Now().Add(-time.Minute)))
	m := start(t, e.modelWithJournal(t, j), 100, 30)
	s := screen(m)
	if !strings.Contains(s, "An interrupted send did not go out: “Stayed a draft” is still in Drafts") {
		t.Fatalf("screen:\n%s", s)
	}
	if e.posts() != 0 || len(j.pending(t)) != 0 {
		t.Fatalf("%d POSTs, pending %v", e.posts(), j.pending(t))
	}
	// The draft may be sent again, after a new y.
	m = press(t, selectSubject(t, m, "Stayed a draft"), "s", "y")
	if e.posts() != 1 || !strings.Contains(screen(m), "is in Sent Items") {
		t.Fatalf("%d POSTs:\n%s", e.posts(), screen(m))
	}

	went := e.emu.AddDraft(emulator.Draft{Subject: "Went out", To: []emulator.Recipient{megan}})
	j.Journal.Record(context.Background(), entry(went, e.clock.Now()))
	if err := e.emu.SendElsewhere("", went.ID); err != nil {
		t.Fatal(err)
	}
	m = start(t, e.modelWithJournal(t, j), 100, 30)
	if s := screen(m); !strings.Contains(s, "An interrupted send went out: “Went out” is in Sent Items") || strings.Contains(s, "Went out  ") {
		t.Fatalf("screen:\n%s", s)
	}
	if e.posts() != 1 || len(j.pending(t)) != 0 {
		t.Fatalf("%d POSTs, pending %v", e.posts(), j.pending(t))
	}
}

func TestInterruptedSendThatCannotBeCheckedStays(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	d := e.emu.AddDraft(emulator.Draft{Subject: "Unclear", To: []emulator.Recipient{megan}})
	j := newSpyJournal(e.emu)
	j.Journal.Record(context.Background(), entry(d, e.clock.Now()))
	e.emu.Inject(emulator.Rule{Path: "sentitems", Fault: emulator.ServerError(503)})
	m := start(t, e.modelWithJournal(t, j), 100, 30)
	if s := screen(m); !strings.Contains(s, "Not known whether an interrupted send went out") {
		t.Fatalf("screen:\n%s", s)
	}
	if len(j.pending(t)) != 1 {
		t.Fatal("an unchecked send left the journal")
	}
	// Its send key warns first, as for any unknown outcome.
	m = press(t, m, "s")
	if !strings.Contains(screen(m), "unknown outcome") {
		t.Fatalf("screen:\n%s", screen(m))
	}

	j2 := newSpyJournal(e.emu)
	j2.failPending = errors.New("the send journal is damaged (/x/sends.json)")
	m = start(t, e.modelWithJournal(t, j2), 100, 30)
	if s := screen(m); !strings.Contains(s, "Could not read the record of earlier sends") {
		t.Fatalf("screen:\n%s", s)
	}
}

// entry is the journal's record of a send of m that started at start.
func entry(m emulator.Message, start time.Time) sending.Entry {
	return sending.Entry{DraftID: m.ID, Subject: m.Subject, InternetMessageID: m.InternetMessageID, ConversationID: m.ConversationID, Started: start}
}

// toGraph is the draft as the client lists it.
func toGraph(m emulator.Message) graph.Message {
	return graph.Message{ID: m.ID, Subject: m.Subject, InternetMessageID: m.InternetMessageID, ConversationID: m.ConversationID, IsDraft: true}
}
