// Package ui is the terminal user interface of drafts: a list of the drafts in
// a mailbox with a preview, a confirmation before each send, and a watch on
// Sent Items that proves the send.
//
// Only the root model is a tea.Model; the list, preview, confirm dialog,
// Sent Items view and status line are plain values with update and view
// methods. Every request to the mailbox runs in a tea.Cmd with its own
// timeout and reports back with one message type per outcome.
package ui

import (
	"context"
	"errors"
	"io"
	"slices"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
)

// Mailbox is what the UI needs from a mailbox. *graph.Client satisfies it;
// tests pass one backed by the Graph emulator.
type Mailbox interface {
	// Drafts returns a pager over the Drafts folder, newest first.
	Drafts(pageSize int) *graph.Pager
	// DraftCount returns the number of drafts, for the title while the
	// pages load.
	DraftCount(ctx context.Context) (int, error)
	// Message fetches one message with its body.
	Message(ctx context.Context, id string) (graph.Message, error)
	// Send posts the draft once.
	Send(ctx context.Context, id string) error
	// Reconcile settles a send whose answer was unclear, without sending.
	Reconcile(ctx context.Context, draft graph.Message, since time.Time, sendErr error) graph.Result
	// FindSentCopy looks once in Sent Items for the copy of draft.
	FindSentCopy(ctx context.Context, draft graph.Message, since time.Time) (*graph.Message, error)
	// LatestSent lists the n most recent messages in Sent Items.
	LatestSent(ctx context.Context, n int) ([]graph.Message, error)
	// MailTips asks for what Exchange knows about the recipients before a
	// send (automatic replies, full mailboxes, external addresses).
	MailTips(ctx context.Context, addresses []string) ([]graph.MailTip, error)
	// ScheduleSend sends the draft later: it sets the deferred-send time
	// and sends it once; Exchange holds it in the Outbox until at.
	ScheduleSend(ctx context.Context, draft graph.Message, at time.Time, o graph.SendOptions) graph.Result
	// Scheduled lists the messages waiting in the Outbox, soonest first.
	Scheduled(ctx context.Context) ([]graph.Message, error)
}

var _ Mailbox = (*graph.Client)(nil)

// Journal remembers, across runs of the program, the sends whose outcome is not settled, so that
// a send interrupted by a kill or a crash is settled at the next start (against Sent Items and
// Drafts) instead of being sent again. The program passes one kept in a private file next to the
// token cache; the zero Options use one in memory (demo mode, tests).
type Journal interface {
	// Record notes that the send of draft is about to start. When it fails, nothing is sent.
	Record(ctx context.Context, draft graph.Message, start time.Time) error
	// Settle forgets the send of the draft: it is known to have gone out, or not.
	Settle(ctx context.Context, draftID string) error
	// Pending returns the sends an earlier run left unsettled, oldest first.
	Pending(ctx context.Context) ([]PendingSend, error)
}

// PendingSend is a send an earlier run started and never settled: the draft as it was listed
// then (with the internetMessageId and conversationId its copy is found by) and when the POST
// started.
type PendingSend struct {
	Draft graph.Message
	Start time.Time
}

// memoryJournal is a Journal that lives as long as the program.
type memoryJournal struct {
	mu    sync.Mutex
	sends map[string]PendingSend
}

// NewMemoryJournal returns a Journal kept in memory only: sends are settled within the run, and
// nothing survives it.
func NewMemoryJournal() Journal { return &memoryJournal{sends: map[string]PendingSend{}} }

func (j *memoryJournal) Record(_ context.Context, d graph.Message, start time.Time) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.sends[d.ID] = PendingSend{Draft: d, Start: start}
	return nil
}

func (j *memoryJournal) Settle(_ context.Context, id string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	delete(j.sends, id)
	return nil
}

func (j *memoryJournal) Pending(context.Context) ([]PendingSend, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]PendingSend, 0, len(j.sends))
	for _, p := range j.sends {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b PendingSend) int { return a.Start.Compare(b.Start) })
	return out, nil
}

// Options tune Run. The zero value is ready to use.
type Options struct {
	// Account names the mailbox in the header, e.g. "adele@contoso.com".
	Account string
	// PageSize is how many drafts one request fetches (default 1,000,
	// Graph's maximum: the fewest requests; the first page is on screen
	// after one of them).
	PageSize int
	// SendDeadline bounds the wait for a sent copy in Sent Items before
	// the UI says "accepted, not in Sent Items yet" (default
	// graph.DefaultSendDeadline).
	SendDeadline time.Duration
	// PollDelay gives the wait before look n in Sent Items (default
	// graph.PollDelay).
	PollDelay func(n int) time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Input and Output replace the terminal; nil means the terminal.
	Input  io.Reader
	Output io.Writer
	// ProgramOptions are added to the Bubble Tea program's options.
	ProgramOptions []tea.ProgramOption
	// Journal keeps unsettled sends across runs (default: in memory only). The sends an earlier
	// run left in it are settled when the program starts.
	Journal Journal
	// UndoSend is how long a confirmed send waits, while 'u' takes it
	// back, before it is posted (0: at once).
	UndoSend time.Duration
}

// Defaults for Options.
const (
	defaultPageSize = graph.DefaultPageSize
	sentPageSize    = 25
)

func (o Options) withDefaults() Options {
	if o.PageSize <= 0 {
		o.PageSize = defaultPageSize
	}
	if o.SendDeadline <= 0 {
		o.SendDeadline = graph.DefaultSendDeadline
	}
	if o.PollDelay == nil {
		o.PollDelay = graph.PollDelay
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Journal == nil {
		o.Journal = NewMemoryJournal()
	}
	return o
}

// Run shows the drafts of mb full screen until the user quits. It returns
// nil when the user quits, the context's error when ctx ends first, and any
// error that kept the terminal from being used.
func Run(ctx context.Context, mb Mailbox, opts Options) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	po := []tea.ProgramOption{tea.WithContext(runCtx)}
	if opts.Input != nil {
		po = append(po, tea.WithInput(opts.Input))
	}
	if opts.Output != nil {
		po = append(po, tea.WithOutput(opts.Output))
	}
	po = append(po, opts.ProgramOptions...)
	_, err := tea.NewProgram(newModel(runCtx, mb, opts), po...).Run()
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, tea.ErrInterrupted) {
		return nil
	}
	return err
}
