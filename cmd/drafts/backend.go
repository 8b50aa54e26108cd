package main

import (
	"context"
	"fmt"
	"time"

	"github.com/draftsmail/drafts/config"
	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
	"github.com/draftsmail/drafts/ui"
)

// demoToken is the bearer token the in-process emulator is given and
// accepts; it is no secret.
const demoToken = "drafts-demo"

// signInOptions adjusts sign-in. The program leaves it zero; tests point it
// at a fake identity provider.
var signInOptions config.SignInOptions

// connect returns a Graph client for the mailbox cfg names. With --demo it
// first starts the emulator with the demo mailbox on a loopback port (and
// never touches the token cache or keyring); the returned close function
// stops it. Otherwise the token is DRAFTS_ACCESS_TOKEN if set, else the
// signed-in account's (refreshed silently from the token cache), else the
// error says to run 'drafts login' (config.IsSignInRequired) or how to
// configure sign-in.
func (a *app) connect(ctx context.Context, cfg config.Config) (*graph.Client, func(), error) {
	if cfg.Demo {
		return a.connectDemo(cfg)
	}
	if cfg.AccessToken != "" {
		c, err := cfg.NewClient("", nil, nil)
		return c, func() {}, err
	}
	s, err := a.signIn(cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := s.CheckSignedIn(ctx); err != nil {
		return nil, nil, err
	}
	c, err := cfg.NewClient("", s.TokenSource(), nil)
	if err != nil {
		return nil, nil, err
	}
	return c, func() {}, nil
}

func (a *app) connectDemo(cfg config.Config) (*graph.Client, func(), error) {
	emu := emulator.New(emulator.Options{Token: demoToken})
	emu.SeedDemo()
	base, err := emu.Start("127.0.0.1:0")
	if err != nil {
		return nil, nil, fmt.Errorf("start the demo emulator: %w", err)
	}
	cfg.Mailbox = ""
	c, err := cfg.NewClient(base, graph.StaticToken(demoToken), nil)
	if err != nil {
		_ = emu.Close()
		return nil, nil, err
	}
	return c, func() { _ = emu.Close() }, nil
}

// signIn prepares sign-in for cfg and prints, on stderr, anything the token
// cache had to fix or could not read.
func (a *app) signIn(cfg config.Config) (*config.SignIn, error) {
	s, err := config.NewSignIn(cfg, signInOptions)
	if err != nil {
		return nil, err
	}
	if info, ok := s.Store(); ok {
		for _, n := range info.Notes {
			fmt.Fprintln(a.io.err, "drafts: note: "+n)
		}
	}
	return s, nil
}

// sendJournal is the send journal of one mailbox: config.Journal with the mailbox bound. It is
// the ui.Journal of the full-screen interface, and 'drafts send' records its sends in it too.
type sendJournal struct {
	j   *config.Journal
	key string
	err error // why the journal cannot be used; every call returns it
}

var _ ui.Journal = (*sendJournal)(nil)

// journalFor opens the send journal for c's mailbox, in the cache directory next to the token
// cache. It returns nil in demo mode and when there is no cache directory at all (no HOME): the
// sends of such a run are remembered in memory only. A journal that cannot be opened is returned
// as one whose every call fails, so that no send is made without its record.
func journalFor(cfg config.Config, c *graph.Client) *sendJournal {
	if cfg.Demo || cfg.CacheDir == "" {
		return nil
	}
	j, err := config.OpenJournal(cfg.CacheDir)
	return &sendJournal{j: j, key: config.MailboxKey(c.BaseURL(), c.Mailbox()), err: err}
}

// Record notes the send of d before its POST.
func (s *sendJournal) Record(ctx context.Context, d graph.Message, start time.Time) error {
	if s.err != nil {
		return s.err
	}
	return s.j.Record(ctx, config.PendingSend{
		Mailbox: s.key, DraftID: d.ID, InternetMessageID: d.InternetMessageID,
		ConversationID: d.ConversationID, Subject: d.Subject, Started: start.UTC(),
	})
}

// Settle forgets the send of the draft id.
func (s *sendJournal) Settle(ctx context.Context, id string) error {
	if s.err != nil {
		return s.err
	}
	return s.j.Settle(ctx, s.key, id)
}

// Pending returns the sends an earlier run left unsettled in this mailbox.
func (s *sendJournal) Pending(ctx context.Context) ([]ui.PendingSend, error) {
	if s.err != nil {
		return nil, s.err
	}
	ps, err := s.j.Pending(ctx, s.key)
	out := make([]ui.PendingSend, len(ps))
	for i, p := range ps {
		out[i] = ui.PendingSend{Draft: p.Draft(), Start: p.Started}
	}
	return out, err
}

// settleInterrupted settles, before a command does anything else, the sends an earlier run left
// unsettled in this mailbox, and says on stderr what is true of each. It never sends.
func (a *app) settleInterrupted(ctx context.Context, c *graph.Client, s *sendJournal) {
	if s == nil {
		return
	}
	if s.err != nil {
		fmt.Fprintln(a.io.err, "drafts: note: "+graph.Describe(s.err))
		return
	}
	settled, err := s.j.SettleInterrupted(ctx, c, s.key, time.Now())
	for _, st := range settled {
		fmt.Fprintf(a.io.err, "drafts: “%s”: %s\n", subjectOr(graph.CleanLine(st.Send.Subject)), st.Result.Summary())
	}
	if err != nil {
		fmt.Fprintln(a.io.err, "drafts: note: "+graph.Describe(err))
	}
}

// subjectOr is s, or "(no subject)".
func subjectOr(s string) string {
	if s == "" {
		return "(no subject)"
	}
	return s
}
