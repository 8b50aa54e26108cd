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
	"iter"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/compose"
	"github.com/draftsmail/drafts/graph/sending"
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
	// DraftState, SetDeferredSend, Send and FindSentCopy are what the send engine needs.
	sending.Mailbox
	// DraftsDelta says what changed in Drafts since a delta link ("" for a link from now).
	DraftsDelta(ctx context.Context, link string) (graph.Delta, error)
	// LatestInbox lists the n most recent messages of the Inbox.
	LatestInbox(ctx context.Context, n int) ([]graph.Message, error)
	// LatestSent lists the n most recent messages in Sent Items.
	LatestSent(ctx context.Context, n int) ([]graph.Message, error)
	// DraftForEdit, CreateDraft, UpdateDraft and DeleteDraft read and write drafts for the
	// editor and for a discard.
	DraftForEdit(ctx context.Context, id string) (graph.EditSource, error)
	CreateDraft(ctx context.Context, f graph.DraftFields) (graph.Message, error)
	UpdateDraft(ctx context.Context, id, etag string, f graph.DraftFields) (graph.Message, error)
	DeleteDraft(ctx context.Context, id, etag string) error
	// CreateReply makes a reply, reply-all or forward draft of a message.
	CreateReply(ctx context.Context, msgID string, kind graph.ReplyKind, comment string) (graph.Message, error)
	// Original finds the message a reply answers, or nil.
	Original(ctx context.Context, reply graph.Message) (*graph.Message, error)
	// AttachmentBytes reads the bytes of a file attachment.
	AttachmentBytes(ctx context.Context, msgID, attID string) ([]byte, error)
	// Attachments lists a message's attachments, without their bytes.
	Attachments(ctx context.Context, msgID string) ([]graph.Attachment, error)
	// TipWarnings asks for what Exchange knows about the recipients before a send
	// (automatic replies, full mailboxes, external addresses), as warnings.
	TipWarnings(ctx context.Context, d graph.Message) ([]graph.Check, error)
	// Scheduled lists the messages waiting in the Outbox, soonest first.
	Scheduled(ctx context.Context) ([]graph.Message, error)
	// CancelScheduled takes a message waiting in the Outbox back to Drafts, its send time off.
	CancelScheduled(ctx context.Context, id string) (graph.Message, error)
}

var _ Mailbox = (*graph.Client)(nil)

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
	Journal sending.Journal
	// UndoSend is how long a confirmed send (or a discard) waits, while 'u' takes it
	// back, before it is posted (0: at once).
	UndoSend time.Duration
	// Editor is the command that edits a draft's text, the file's name appended ($VISUAL or
	// $EDITOR, or vi); nil: e and n say there is none.
	Editor []string
	// Edits keeps what the user typed until it is saved; nil: e and n say there is none.
	Edits *compose.Keeper
	// Downloads is where w saves a draft's files ("": w is off).
	Downloads string
	// OpenURL opens a web address (a message's webLink) in the user's browser; nil: o is off.
	OpenURL func(ctx context.Context, url string) error
	// Refresh is how often the list quietly asks Graph what changed in Drafts (0: only on r).
	Refresh time.Duration
	// Cached is the list kept from an earlier run: on screen at once, marked as cached until
	// Graph has answered (nil: the list waits for Graph).
	Cached *Cached
	// SaveList keeps the list for the next start, after each listing and change (nil: not
	// kept): count drafts, in order. It runs in a command.
	SaveList func(ctx context.Context, drafts iter.Seq[graph.Message], count int, link string, saved time.Time) error
	// Notice is a first status line (a note from the start, such as a cache ignored).
	Notice string
	// After is where the screen, once closed, says what quitting stopped or left on its way
	// (standard error; nil: nowhere).
	After io.Writer
	// Ephemeral says the mailbox ends with the program (the demo's): no later start settles a
	// send left on its way.
	Ephemeral bool
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
		o.Journal = sending.NewMemory()
	}
	return o
}

// Run shows the drafts of mb full screen until the user quits. It returns
// nil when the user quits, the context's error when ctx ended (whatever the
// program's own end), and any error that kept the terminal from being used.
func Run(ctx context.Context, mb Mailbox, opts Options) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The caller's end (a signal) quits the program the graceful way, not through
	// tea.WithContext: Bubble Tea's kill path closes the input reader while its read loop still
	// runs (a data race in cancelreader under -race), where a quit waits for the loop first.
	var po []tea.ProgramOption
	if opts.Input != nil {
		po = append(po, tea.WithInput(opts.Input))
	}
	if opts.Output != nil {
		po = append(po, tea.WithOutput(opts.Output))
	}
	po = append(po, opts.ProgramOptions...)
	p := tea.NewProgram(newModel(runCtx, mb, opts), po...)
	stop := context.AfterFunc(runCtx, p.Quit)
	defer stop()
	final, err := p.Run()
	if m, ok := final.(model); ok {
		m.sayFarewell(opts.After)
	}
	if ctx.Err() != nil {
		// Ended by the caller (a signal): say so, whichever of the program's ends came first.
		return ctx.Err()
	}
	if errors.Is(err, tea.ErrInterrupted) {
		return nil
	}
	return err
}

// sendOptions are the send engine's options for the screen: the undo countdown, and a watch
// for the copy that goes on quietly in the background past the deadline.
func (o Options) sendOptions() sending.Options {
	return sending.Options{Undo: o.UndoSend, Deadline: o.SendDeadline, Watch: backgroundWatch, PollDelay: o.PollDelay}
}
