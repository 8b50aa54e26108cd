package sending

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/privfile"
)

// Names of the send journal's files in the cache directory.
const (
	journalFileName = "sends.json"
	journalLockName = "sends.json.lock"
)

// journalVersion is the format of the journal file.
const journalVersion = 1

// Entry is one send that was started and whose outcome is not settled: the program stopped
// (killed, crashed, the machine went down) or could not find out before it ended.
type Entry struct {
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
	// At is when a send later goes out; zero for a send now.
	At time.Time `json:"at,omitzero"`
	// Owner identifies the process that recorded the send (see owner.go); empty in the
	// memory journal and in entries of an older format.
	Owner string `json:"owner,omitempty"`
	// Live is set by Pending for an entry whose owner still runs (another process, or this
	// one): its send is in flight there, and must be neither settled nor sent by anyone else.
	Live bool `json:"-"`
}

// entryOf is the entry of a send about to be posted.
func entryOf(s Send, now time.Time) Entry {
	d := s.Draft
	return Entry{DraftID: d.ID, InternetMessageID: d.InternetMessageID, ConversationID: d.ConversationID,
		Subject: d.Subject, Started: now.UTC(), At: s.At.UTC()}
}

// Draft is the draft as the send began, with what its copy is found by.
func (p Entry) Draft() graph.Message {
	return graph.Message{ID: p.DraftID, InternetMessageID: p.InternetMessageID, ConversationID: p.ConversationID, Subject: p.Subject, IsDraft: true}
}

// journalFile is the file's JSON.
type journalFile struct {
	Version int     `json:"version"`
	Sends   []Entry `json:"sends"`
}

// Journal remembers, across runs of the program, the sends whose outcome is not settled, so that
// a send interrupted by a kill or a crash is settled at the next start (Recover) instead of being
// sent again. An entry is written before the POST (Record action) and removed once the outcome
// is known (Forget action).
type Journal interface {
	// Record notes a send about to be posted. When it fails, nothing is sent.
	Record(ctx context.Context, e Entry) error
	// Settle forgets the send of the draft: its outcome is known.
	Settle(ctx context.Context, draftID string) error
	// Pending returns the sends an earlier run left unsettled, oldest first.
	Pending(ctx context.Context) ([]Entry, error)
}

// File is the record of sends whose outcome is not settled, kept next to the token cache in
// sends.json: mode 0600 in a 0700 directory, replaced atomically (temp file + rename) under a
// lock file, so that two drafts processes never lose each other's entries. A send is recorded
// before its POST and removed once it is known to have gone out or not; what a killed process
// leaves behind is settled at the next start, against Sent Items and Drafts, instead of being
// sent again.
type File struct {
	dir, path, lockPath string
	hint                string
	lockTimeout         time.Duration

	mu sync.Mutex // guards me
	me *owner     // this process's owner lock, while it has entries
}

// ErrSendingElsewhere is Record's refusal when another drafts process, still running, has
// recorded a send of the same draft: one send goes out, the other is not made.
var ErrSendingElsewhere = errors.New("another drafts process is sending this draft right now; its outcome shows there")

// ErrJournalDamaged is returned (wrapped) by Pending when the journal file cannot be read: not
// JSON, or written by another version of drafts. The next Record or Settle does not write over
// it: it keeps the file beside the journal (keptName), and Pending names the kept file until the
// user deletes it, so the sends it may hold are never forgotten without a word.
var ErrJournalDamaged = errors.New("the send journal is damaged")

// ErrJournalNewer is the error of a journal written by a newer drafts (a format this one does
// not know): it is neither read nor written over — that drafts may be running and sending — so
// no send is made here until it is settled there, or this drafts is updated.
var ErrJournalNewer = errors.New("the send journal was written by a newer drafts; update this one (nothing is sent until then)")

// keptSuffix marks a journal file that could not be read, kept aside: "sends.json.unreadable-…".
const keptSuffix = ".unreadable-"

// OpenFile opens the send journal in dir, creating dir (0700) if needed and tightening the
// permissions of a directory or file others could read. hint says how to choose another
// directory, for errors ("set DRAFTS_CACHE_DIR").
func OpenFile(dir, hint string) (*File, error) {
	if dir == "" {
		return nil, fmt.Errorf("no directory for the send journal: %s", hint)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("send journal directory %s: %w", dir, err)
	}
	j := &File{hint: hint,
		dir:         abs,
		path:        filepath.Join(abs, journalFileName),
		lockPath:    filepath.Join(abs, journalLockName),
		lockTimeout: privfile.DefaultLockTimeout,
	}
	if err := j.prepare(); err != nil {
		return nil, err
	}
	return j, nil
}

// Close gives up this process's owner lock, as its end would: its unsettled entries become
// the next run's to settle. The File may be used again (a new Record takes a new owner lock).
func (j *File) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.me != nil {
		_ = j.me.lock.Unlock()
		err := j.me.lock.Close()
		j.me = nil
		return err
	}
	return nil
}

// Path is the journal file.
func (j *File) Path() string { return j.path }

// MailboxKey identifies a mailbox in the journal by what it is, not by how its URL was spelled:
// the Graph host (every loopback name as one), its path without the API version (/v1.0 and
// /beta reach the same mailbox), and the mailbox UPN in lower case ("me" for the signed-in
// user's own). A journal shared by several configurations settles each send against the
// mailbox it was made in, and a restart that spells the URL differently still finds its sends.
func MailboxKey(baseURL, mailbox string) string {
	mailbox = strings.ToLower(strings.TrimSpace(mailbox))
	if mailbox == "" {
		mailbox = "me"
	}
	return canonicalBase(baseURL) + " " + mailbox
}

// canonicalBase is the host and path of a Graph base URL, as MailboxKey uses them.
func canonicalBase(base string) string {
	base = strings.TrimSpace(base)
	if !strings.Contains(base, "://") {
		base = "https://" + base
	}
	u, err := url.Parse(base)
	if err != nil {
		return strings.ToLower(strings.TrimRight(base, "/"))
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.") {
		host = "loopback"
	}
	if p := u.Port(); p != "" {
		host += ":" + p
	}
	path := strings.ToLower(strings.TrimRight(u.Path, "/"))
	for _, v := range []string{"/v1.0", "/beta"} {
		path = strings.TrimSuffix(path, v)
	}
	return host + path
}

// sameMailbox reports whether two journal keys name one mailbox; keys written by an older
// version (the URL as spelled) are read through MailboxKey too.
func sameMailbox(a, b string) bool {
	return a == b || canonicalKey(a) == canonicalKey(b)
}

// canonicalKey is MailboxKey of a stored key "BASE MAILBOX".
func canonicalKey(k string) string {
	i := strings.LastIndexByte(k, ' ')
	if i < 0 {
		return MailboxKey(k, "")
	}
	return MailboxKey(k[:i], k[i+1:])
}

// prepare makes the directory, refuses links, and tightens loose permissions.
func (j *File) prepare() error {
	_, err := privfile.PrepareDir(j.dir, []string{j.path, j.lockPath}, "the send journal", j.hint)
	return err
}

// Record adds a send about to start, owned by this process, replacing an older entry for the
// same draft of the same mailbox — unless another process that still runs owns that entry:
// then it fails with ErrSendingElsewhere. The POST must not be made if Record fails.
func (j *File) Record(ctx context.Context, p Entry) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	id, err := j.own()
	if err != nil {
		return err
	}
	p.Owner, p.Live = id, false
	return j.update(ctx, func(sends []Entry) ([]Entry, error) {
		same := func(q Entry) bool { return sameMailbox(q.Mailbox, p.Mailbox) && q.DraftID == p.DraftID }
		for _, q := range sends {
			if same(q) && q.Owner != id && j.alive(q.Owner) {
				return nil, ErrSendingElsewhere
			}
		}
		return append(slices.DeleteFunc(sends, same), p), nil
	})
}

// Settle removes the send of draftID in mailbox: its outcome is known. Settling a send that is
// not in the journal, or that another live process owns, does nothing.
func (j *File) Settle(ctx context.Context, mailbox, draftID string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.update(ctx, func(sends []Entry) ([]Entry, error) {
		return slices.DeleteFunc(sends, func(q Entry) bool {
			return sameMailbox(q.Mailbox, mailbox) && q.DraftID == draftID && (j.me != nil && q.Owner == j.me.id || !j.alive(q.Owner))
		}), nil
	})
}

// Pending returns the unsettled sends of mailbox, oldest first: those of a process that is
// over (to settle), and those of one that still runs, marked Live (in flight there: not to be
// settled or sent elsewhere).
func (j *File) Pending(ctx context.Context, mailbox string) ([]Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	unlock, err := j.lock(ctx, false)
	if err != nil {
		return nil, err
	}
	defer unlock()
	all, err := j.read()
	if err == nil {
		err = j.keptFiles()
	}
	var out []Entry
	for _, p := range all {
		if !sameMailbox(p.Mailbox, mailbox) {
			continue
		}
		p.Live = j.alive(p.Owner)
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b Entry) int { return a.Started.Compare(b.Started) })
	return out, err
}

// update changes the entries under the exclusive lock and writes the file, or removes it when
// nothing is left. When this process has no entry left, it gives up its owner lock. j.mu is
// held.
func (j *File) update(ctx context.Context, change func([]Entry) ([]Entry, error)) error {
	unlock, err := j.lock(ctx, true)
	if err != nil {
		return err
	}
	defer unlock()
	sends, err := j.read()
	switch {
	case errors.Is(err, ErrJournalNewer):
		return err
	case errors.Is(err, ErrJournalDamaged):
		// Not ours to understand (damaged, or a newer drafts wrote it): kept, never written over.
		kept := j.path + keptSuffix + time.Now().UTC().Format("20060102T150405.000000000")
		if rerr := os.Rename(j.path, kept); rerr != nil {
			return fmt.Errorf("%w, and it cannot be kept aside (%v): move %s away, after looking in Sent Items for the sends it may hold", err, privfile.Reason(rerr), j.path)
		}
	case err != nil:
		return err
	}
	if sends, err = change(sends); err != nil {
		return err
	}
	defer j.release(sends)
	if len(sends) == 0 {
		if err := os.Remove(j.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cannot update the send journal %s (%v)", j.path, privfile.Reason(err))
		}
		return nil
	}
	data, err := json.MarshalIndent(journalFile{Version: journalVersion, Sends: sends}, "", "  ")
	if err != nil {
		return err
	}
	if err := privfile.WriteAtomic(j.path, append(data, '\n')); err != nil {
		return fmt.Errorf("cannot write the send journal %s (%v); check that you may write to %s", j.path, privfile.Reason(err), j.dir)
	}
	return nil
}

// keptFiles says which unreadable journals were kept aside, until the user deletes them.
func (j *File) keptFiles() error {
	entries, _ := os.ReadDir(j.dir) // not a glob: the path may hold '[' or '*'
	var kept []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), journalFileName+keptSuffix) {
			kept = append(kept, filepath.Join(j.dir, e.Name()))
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return fmt.Errorf("%w: it was kept as %s; look in Sent Items for any send it may hold, then delete it", ErrJournalDamaged, strings.Join(kept, ", "))
}

// read returns every entry; a missing file is an empty journal. The lock is held.
func (j *File) read() ([]Entry, error) {
	data, err := os.ReadFile(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the send journal %s (%v)", j.path, privfile.Reason(err))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	var f journalFile
	switch err := json.Unmarshal(data, &f); {
	case err == nil && f.Version > journalVersion:
		return nil, fmt.Errorf("%w (%s)", ErrJournalNewer, j.path)
	case err != nil || f.Version != journalVersion:
		return nil, fmt.Errorf("%w (%s); look in Sent Items for any send that was interrupted", ErrJournalDamaged, j.path)
	}
	return f.Sends, nil
}

// lock takes the journal's lock file, shared or exclusive, waiting at most the lock timeout.
func (j *File) lock(ctx context.Context, exclusive bool) (func(), error) {
	return privfile.Lock(ctx, j.lockPath, "the send journal", j.lockTimeout, exclusive)
}

// For binds the journal to one mailbox (MailboxKey).
func (j *File) For(mailbox string) Journal { return boundFile{j, mailbox} }

// boundFile is a File bound to one mailbox.
type boundFile struct {
	f       *File
	mailbox string
}

func (b boundFile) Record(ctx context.Context, e Entry) error {
	e.Mailbox = b.mailbox
	return b.f.Record(ctx, e)
}

func (b boundFile) Settle(ctx context.Context, id string) error {
	return b.f.Settle(ctx, b.mailbox, id)
}

func (b boundFile) Pending(ctx context.Context) ([]Entry, error) {
	return b.f.Pending(ctx, b.mailbox)
}

// memory is a Journal that lives as long as the program.
type memory struct {
	mu      sync.Mutex
	entries map[string]Entry
}

// NewMemory returns a Journal kept in memory only (demo mode, tests): sends are settled within
// the run, and nothing survives it.
func NewMemory() Journal { return &memory{entries: map[string]Entry{}} }

func (j *memory) Record(_ context.Context, e Entry) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries[e.DraftID] = e
	return nil
}

func (j *memory) Settle(_ context.Context, id string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	delete(j.entries, id)
	return nil
}

func (j *memory) Pending(context.Context) ([]Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := slices.Collect(maps.Values(j.entries))
	slices.SortFunc(out, func(a, b Entry) int { return a.Started.Compare(b.Started) })
	return out, nil
}
