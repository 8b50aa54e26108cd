package config

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// Names of the send journal's files in the cache directory.
const (
	journalFileName = "sends.json"
	journalLockName = "sends.json.lock"
)

// journalVersion is the format of the journal file.
const journalVersion = 1

// MaxPendingAge is how long a send that left Drafts without its copy showing in Sent Items stays
// in the journal; past it the journal forgets it (the user was told each time).
const MaxPendingAge = 7 * 24 * time.Hour

// PendingSend is one send that was started and whose outcome is not settled: the program stopped
// (killed, crashed, the machine went down) or could not find out before it ended.
type PendingSend struct {
	// Mailbox identifies the mailbox: MailboxKey of the Graph base URL and mailbox.
	Mailbox string `json:"mailbox"`
	// DraftID is the id of the draft that was being sent.
	DraftID string `json:"draftId"`
	// InternetMessageID and ConversationID find the sent copy in Sent Items.
	InternetMessageID string `json:"internetMessageId,omitempty"`
	ConversationID    string `json:"conversationId,omitempty"`
	// Subject is the draft's subject, to say which send this was (and to find the copy when the
	// draft had no internetMessageId).
	Subject string `json:"subject"`
	// Started is when the POST was about to be made.
	Started time.Time `json:"started"`
}

// Draft is the draft as the send began, for graph.Client.Reconcile and FindSentCopy.
func (p PendingSend) Draft() graph.Message {
	return graph.Message{ID: p.DraftID, InternetMessageID: p.InternetMessageID, ConversationID: p.ConversationID, Subject: p.Subject, IsDraft: true}
}

// journalFile is the file's JSON.
type journalFile struct {
	Version int           `json:"version"`
	Sends   []PendingSend `json:"sends"`
}

// Journal is the record of sends whose outcome is not settled, kept next to the token cache in
// sends.json: mode 0600 in a 0700 directory, replaced atomically (temp file + rename) under a
// lock file, so that two drafts processes never lose each other's entries. A send is recorded
// before its POST and removed once it is known to have gone out or not; what a killed process
// leaves behind is settled at the next start, against Sent Items and Drafts, instead of being
// sent again.
type Journal struct {
	dir, path, lockPath string
	lockTimeout         time.Duration
}

// ErrJournalDamaged is returned (wrapped) by Pending when the journal file is not readable JSON;
// the file is replaced by the next Record or Settle.
var ErrJournalDamaged = errors.New("the send journal is damaged")

// OpenJournal opens the send journal in dir, creating dir (0700) if needed and tightening the
// permissions of a directory or file others could read.
func OpenJournal(dir string) (*Journal, error) {
	if dir == "" {
		return nil, fmt.Errorf("no directory for the send journal: set %s (or HOME)", EnvCacheDir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("send journal directory %s: %w", dir, err)
	}
	j := &Journal{
		dir:         abs,
		path:        filepath.Join(abs, journalFileName),
		lockPath:    filepath.Join(abs, journalLockName),
		lockTimeout: DefaultLockTimeout,
	}
	if err := j.prepare(); err != nil {
		return nil, err
	}
	return j, nil
}

// Path is the journal file.
func (j *Journal) Path() string { return j.path }

// MailboxKey identifies a mailbox in the journal: the Graph base URL and the mailbox UPN ("me"
// for the signed-in user's own), so that a journal shared by several configurations settles
// each send against the mailbox it was made in.
func MailboxKey(baseURL, mailbox string) string {
	if mailbox == "" {
		mailbox = "me"
	}
	return strings.TrimRight(baseURL, "/") + " " + strings.ToLower(mailbox)
}

// prepare makes the directory, refuses links, and tightens loose permissions.
func (j *Journal) prepare() error {
	_, err := preparePrivateDir(j.dir, []string{j.path, j.lockPath}, "the send journal")
	return err
}

// Record adds a send about to start, replacing an older entry for the same draft of the same
// mailbox. The POST must not be made if Record fails.
func (j *Journal) Record(ctx context.Context, p PendingSend) error {
	return j.update(ctx, func(sends []PendingSend) []PendingSend {
		sends = slices.DeleteFunc(sends, func(q PendingSend) bool { return q.Mailbox == p.Mailbox && q.DraftID == p.DraftID })
		return append(sends, p)
	})
}

// Settle removes the send of draftID in mailbox: its outcome is known. Settling a send that is
// not in the journal does nothing.
func (j *Journal) Settle(ctx context.Context, mailbox, draftID string) error {
	return j.update(ctx, func(sends []PendingSend) []PendingSend {
		return slices.DeleteFunc(sends, func(q PendingSend) bool { return q.Mailbox == mailbox && q.DraftID == draftID })
	})
}

// Pending returns the unsettled sends of mailbox, oldest first.
func (j *Journal) Pending(ctx context.Context, mailbox string) ([]PendingSend, error) {
	unlock, err := j.lock(ctx, false)
	if err != nil {
		return nil, err
	}
	defer unlock()
	all, err := j.read()
	var out []PendingSend
	for _, p := range all {
		if p.Mailbox == mailbox {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b PendingSend) int { return a.Started.Compare(b.Started) })
	return out, err
}

// update changes the entries under the exclusive lock and writes the file, or removes it when
// nothing is left.
func (j *Journal) update(ctx context.Context, change func([]PendingSend) []PendingSend) error {
	unlock, err := j.lock(ctx, true)
	if err != nil {
		return err
	}
	defer unlock()
	sends, err := j.read()
	if err != nil && !errors.Is(err, ErrJournalDamaged) {
		return err
	}
	sends = change(sends)
	if len(sends) == 0 {
		if err := os.Remove(j.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cannot update the send journal %s (%v)", j.path, pathReason(err))
		}
		return nil
	}
	data, err := json.MarshalIndent(journalFile{Version: journalVersion, Sends: sends}, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(j.path, append(data, '\n')); err != nil {
		return fmt.Errorf("cannot write the send journal %s (%v); check that you may write to %s", j.path, pathReason(err), j.dir)
	}
	return nil
}

// read returns every entry; a missing file is an empty journal. The lock is held.
func (j *Journal) read() ([]PendingSend, error) {
	data, err := os.ReadFile(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the send journal %s (%v)", j.path, pathReason(err))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	var f journalFile
	if err := json.Unmarshal(data, &f); err != nil || f.Version != journalVersion {
		return nil, fmt.Errorf("%w (%s); look in Sent Items for any send that was interrupted", ErrJournalDamaged, j.path)
	}
	return f.Sends, nil
}

// lock takes the journal's lock file, shared or exclusive, waiting at most the lock timeout.
func (j *Journal) lock(ctx context.Context, exclusive bool) (func(), error) {
	return lockFile(ctx, j.lockPath, "the send journal", j.lockTimeout, exclusive)
}

// Reconciler is what settling the journal needs from a Graph client; *graph.Client satisfies it.
type Reconciler interface {
	Reconcile(ctx context.Context, draft graph.Message, since time.Time, sendErr error) graph.Result
}

// Settled is what SettleInterrupted found out about one interrupted send.
type Settled struct {
	Send   PendingSend
	Result graph.Result
	// Forgotten is true when the send was removed from the journal: its outcome is known, or it
	// is older than MaxPendingAge.
	Forgotten bool
}

// SettleInterrupted looks in Sent Items and Drafts for each unsettled send of mailbox and removes
// the ones whose outcome is now known (sent, or still a draft). It never sends. Sends that left
// Drafts without a copy in Sent Items yet, or that could not be checked, stay for the next start
// (up to MaxPendingAge).
func (j *Journal) SettleInterrupted(ctx context.Context, rc Reconciler, mailbox string, now time.Time) ([]Settled, error) {
	pending, err := j.Pending(ctx, mailbox)
	var out []Settled
	for _, p := range pending {
		r := rc.Reconcile(ctx, p.Draft(), p.Started, graph.ErrInterrupted)
		s := Settled{Send: p, Result: r}
		known := r.Outcome == graph.OutcomeSent || r.Outcome == graph.OutcomeNotSent
		if known || (r.Outcome == graph.OutcomePending && now.Sub(p.Started) > MaxPendingAge) {
			if serr := j.Settle(ctx, mailbox, p.DraftID); serr != nil {
				return append(out, s), serr
			}
			s.Forgotten = true
		}
		out = append(out, s)
	}
	return out, err
}
