package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/draftsmail/drafts/config"
	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
	"github.com/draftsmail/drafts/graph/sending"
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
		a.who = tokenSubject(cfg.AccessToken)
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
	if acct, err := s.Account(ctx); err == nil && acct != nil {
		a.who = acct.TenantID + "/" + strings.ToLower(acct.Username)
	}
	c, err := cfg.NewClient("", s.TokenSource(), nil)
	if err != nil {
		return nil, nil, err
	}
	return c, func() {}, nil
}

func (a *app) connectDemo(cfg config.Config) (*graph.Client, func(), error) {
	now, err := a.demoClock()
	if err != nil {
		return nil, nil, err
	}
	a.now = now // the screen's clock too
	emu := emulator.New(emulator.Options{Token: demoToken, Now: now})
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

// journalFor is the send journal of c's mailbox, in the cache directory next to the token
// cache; in demo mode one kept in memory. With no cache directory at all (no HOME and no
// DRAFTS_CACHE_DIR) it is kept in a private directory of the runtime or temporary directory,
// and a note says so: a send is never made unjournaled without a word. A journal that cannot
// be opened is returned as one whose every call fails with the reason: no send is made without
// its record.
func (a *app) journalFor(cfg config.Config, c *graph.Client) sending.Journal {
	if cfg.Demo {
		return sending.NewMemory()
	}
	dir := cfg.CacheDir
	if dir == "" {
		dir = a.fallbackJournalDir()
		if dir != "" {
			fmt.Fprintf(a.io.err, "drafts: note: no cache directory (HOME is not set): the send journal is kept in %s; set %s to keep it elsewhere\n", dir, config.EnvCacheDir)
		}
	}
	f, err := sending.OpenFile(dir, "set "+config.EnvCacheDir+" to a private directory")
	if err != nil {
		return brokenJournal{err}
	}
	return f.For(sending.MailboxKey(c.BaseURL(), c.Mailbox()))
}

// fallbackJournalDir is a private place for the send journal when there is no cache directory:
// $XDG_RUNTIME_DIR/drafts, else drafts-UID in the temporary directory (created 0700; one that
// is not a private directory of this user is refused by OpenFile).
func (a *app) fallbackJournalDir() string {
	if d := a.getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "drafts")
	}
	tmp := a.getenv("TMPDIR")
	if tmp == "" || !filepath.IsAbs(tmp) {
		tmp = os.TempDir()
	}
	return filepath.Join(tmp, fmt.Sprintf("drafts-%d", os.Getuid()))
}

// brokenJournal is a journal that could not be opened: every call says why.
type brokenJournal struct{ err error }

func (b brokenJournal) Record(context.Context, sending.Entry) error      { return b.err }
func (b brokenJournal) Settle(context.Context, string) error             { return b.err }
func (b brokenJournal) Pending(context.Context) ([]sending.Entry, error) { return nil, b.err }

// settleInterrupted settles, before a command does anything else, the sends an earlier run left
// unsettled in this mailbox, and says on stderr what is true of each. It never sends.
func (a *app) settleInterrupted(ctx context.Context, d sending.Driver) {
	settled, elsewhere, err := d.Settle(ctx, sending.Options{Deadline: -1})
	for _, s := range settled {
		fmt.Fprintf(a.io.err, "drafts: “%s”: %s\n", graph.SubjectOr(s.Draft.Subject), s.Summary())
	}
	for _, e := range elsewhere {
		fmt.Fprintf(a.io.err, "drafts: “%s”: being sent by another drafts process (its outcome shows there)\n", graph.SubjectOr(graph.CleanLine(e.Subject)))
	}
	if err != nil {
		fmt.Fprintln(a.io.err, "drafts: note: "+graph.Describe(err))
	}
}

// client is a command's settings and its connected Graph client; stop releases it.
func (a *app) client(ctx context.Context) (config.Config, *graph.Client, func(), error) {
	cfg, err := a.config()
	if err != nil {
		return cfg, nil, nil, err
	}
	c, stop, err := a.connect(ctx, cfg)
	return cfg, c, stop, err
}

// tokenSubject names who an access token is for, from its claims (tenant and object id, or
// the user name), without checking it: it only tells one account's cached drafts list from
// another's. A token that is not a JWT names nobody ("").
func tokenSubject(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var c struct {
		TID, OID, Sub, UPN string
		Preferred          string `json:"preferred_username"`
	}
	if json.Unmarshal(payload, &c) != nil {
		return ""
	}
	for _, id := range []string{c.OID, c.Sub, c.UPN, c.Preferred} {
		if id != "" {
			return c.TID + "/" + strings.ToLower(id)
		}
	}
	return ""
}
