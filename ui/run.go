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
}

var _ Mailbox = (*graph.Client)(nil)

// Options tune Run. The zero value is ready to use.
type Options struct {
	// Account names the mailbox in the header, e.g. "adele@contoso.com".
	Account string
	// PageSize is how many drafts one request fetches (default 100).
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
}

// Defaults for Options.
const (
	defaultPageSize = 100
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
