package sending

import (
	"context"
	"time"
)

// Driver runs sends to their end, blocking: the command line's driver. (The screen drives the
// same machine with tea.Cmd and tea.Tick.)
type Driver struct {
	Mailbox Mailbox
	Journal Journal
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Sleep waits d or until ctx ends (default: a timer).
	Sleep func(ctx context.Context, d time.Duration) error
	// Progress, if set, is called with the send each time its phase changes.
	Progress func(Send)
}

// Run drives s from action a until it is final, and returns it. When ctx ends during a wait,
// the send ends as Interrupt says (a countdown: not sent; a watch: pending); an action that
// was under way when ctx ended is settled by looking, as any unclear answer.
func (d Driver) Run(ctx context.Context, s Send, a Action) Send {
	now := d.now()
	last := Phase(-1)
	for {
		if s.Phase != last && d.Progress != nil {
			d.Progress(s)
		}
		last = s.Phase
		if a.Kind == None {
			return s
		}
		if a.Kind == Wait {
			if err := d.sleep(ctx, a.Wait); err != nil {
				s, a = s.Interrupt(d.now())
				continue
			}
			s, a = s.Step(Tick, d.now())
			continue
		}
		now = d.now()
		ans := Perform(ctx, d.Mailbox, d.Journal, s, a, now)
		s, a = s.Step(ans, d.now())
	}
}

// Settle settles the sends an earlier run left in the journal: each is looked for in Sent Items
// (a send later: in Drafts), never posted again; what is known is forgotten. Sends that another
// drafts process, still running, has in flight are left alone and returned as elsewhere. It
// also returns the journal's error if it could not be read.
func (d Driver) Settle(ctx context.Context, o Options) (settled []Send, elsewhere []Entry, err error) {
	entries, err := d.Journal.Pending(ctx)
	for _, e := range entries {
		switch {
		case e.DraftID == "":
		case e.Live:
			elsewhere = append(elsewhere, e)
		default:
			s, a := Recover(e, o)
			settled = append(settled, d.Run(ctx, s, a))
		}
	}
	return settled, elsewhere, err
}

func (d Driver) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d Driver) sleep(ctx context.Context, w time.Duration) error {
	if d.Sleep != nil {
		return d.Sleep(ctx, w)
	}
	t := time.NewTimer(w)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
