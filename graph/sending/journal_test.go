package sending

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/privfile"
)

// testHint is how the tests' journals say to choose another directory.
const testHint = "set DRAFTS_CACHE_DIR"

func TestJournalIsPrivateAndAtomic(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	j, err := OpenFile(dir, testHint)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	key := MailboxKey("http://127.0.0.1:1/v1.0/", "")
	p := Entry{Mailbox: key, DraftID: "AAMk1", InternetMessageID: "<1@x>", ConversationID: "c1", Subject: "Q3", Started: time.Unix(1700000000, 0).UTC()}
	if err := j.Record(ctx, p); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		for path, want := range map[string]os.FileMode{dir: 0o700, j.Path(): 0o600, filepath.Join(dir, journalLockName): 0o600} {
			fi, err := os.Stat(path)
			if err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s: mode %v (%v), want %04o", path, fi.Mode().Perm(), err, want)
			}
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, privfile.TempPattern(journalFileName))); len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}
	got, err := j.Pending(ctx, key)
	if len(got) == 1 && got[0].Owner != "" && got[0].Live {
		got[0].Owner, got[0].Live = "", false // this process owns it, and runs
	}
	if err != nil || len(got) != 1 || got[0] != p {
		t.Fatalf("Pending = %+v, %v", got, err)
	}
	if d := got[0].Draft(); d.ID != "AAMk1" || d.InternetMessageID != "<1@x>" || d.ConversationID != "c1" || d.Subject != "Q3" {
		t.Fatalf("Draft() = %+v", d)
	}
	// Recording the same draft again replaces the entry.
	p.Started = p.Started.Add(time.Minute)
	if err := j.Record(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, _ := j.Pending(ctx, key); len(got) != 1 || !got[0].Started.Equal(p.Started) {
		t.Fatalf("Pending after a second Record = %+v", got)
	}
	if err := j.Settle(ctx, key, "AAMk1"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(j.Path()); !os.IsNotExist(err) {
		t.Fatalf("an empty journal leaves its file: %v", err)
	}
	if err := j.Settle(ctx, key, "AAMk1"); err != nil {
		t.Fatalf("settling twice: %v", err)
	}
}

func TestJournalKeepsMailboxesApart(t *testing.T) {
	j, err := OpenFile(t.TempDir(), testHint)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	me := MailboxKey("https://graph.microsoft.com/v1.0", "")
	shared := MailboxKey("https://graph.microsoft.com/v1.0", "Shared@Contoso.com")
	us := MailboxKey("https://graph.microsoft.us/v1.0", "")
	if me == shared || me == us || shared != MailboxKey("https://graph.microsoft.com/v1.0/", "shared@contoso.com") {
		t.Fatalf("keys %q %q %q", me, shared, us)
	}
	for i, k := range []string{me, shared, us, me} {
		if err := j.Record(ctx, Entry{Mailbox: k, DraftID: fmt.Sprint("d", i), Started: time.Unix(int64(100-i), 0)}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := j.Pending(ctx, me)
	if err != nil || len(got) != 2 || got[0].DraftID != "d3" || got[1].DraftID != "d0" {
		t.Fatalf("Pending(me) = %+v, %v (want oldest first)", got, err)
	}
	if err := j.Settle(ctx, shared, "d0"); err != nil {
		t.Fatal(err)
	}
	if got, _ := j.Pending(ctx, me); len(got) != 2 {
		t.Fatal("settling in another mailbox removed this one's entry")
	}
}

func TestJournalTightensLoosePermissionsAndRefusesLinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "cache")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, journalFileName), []byte(`{"version":1,"sends":[]}`), 0o644)
	if _, err := OpenFile(dir, testHint); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, journalFileName): 0o600} {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v", path, fi.Mode().Perm())
		}
	}
	link := filepath.Join(t.TempDir(), "link")
	os.Symlink(dir, link)
	if _, err := OpenFile(link, testHint); err == nil || !strings.Contains(err.Error(), "not a real directory") {
		t.Fatalf("a linked directory: %v", err)
	}
	other := filepath.Join(t.TempDir(), "elsewhere.json")
	os.WriteFile(other, nil, 0o600)
	dir2 := t.TempDir()
	os.Symlink(other, filepath.Join(dir2, journalFileName))
	if _, err := OpenFile(dir2, testHint); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("a linked file: %v", err)
	}
	if _, err := OpenFile("", testHint); err == nil || !strings.Contains(err.Error(), testHint) {
		t.Fatalf("no directory: %v", err)
	}
}

func TestJournalDamagedFileIsReportedThenReplaced(t *testing.T) {
	j, err := OpenFile(t.TempDir(), testHint)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	os.WriteFile(j.Path(), []byte("{not json"), 0o600)
	if _, err := j.Pending(ctx, "k"); !errors.Is(err, ErrJournalDamaged) || !strings.Contains(err.Error(), j.Path()) {
		t.Fatalf("Pending of a damaged file: %v", err)
	}
	if err := j.Record(ctx, Entry{Mailbox: "k", DraftID: "d"}); err != nil {
		t.Fatal(err)
	}
	// The unreadable file is kept aside, byte for byte, and named until it is deleted.
	kept, _ := filepath.Glob(j.Path() + keptSuffix + "*")
	if len(kept) != 1 {
		t.Fatalf("kept aside: %v", kept)
	}
	if data, _ := os.ReadFile(kept[0]); string(data) != "{not json" {
		t.Fatalf("the kept file holds %q", data)
	}
	got, err := j.Pending(ctx, "k")
	if len(got) != 1 || !errors.Is(err, ErrJournalDamaged) || !strings.Contains(err.Error(), kept[0]) {
		t.Fatalf("after Record: %+v, %v", got, err)
	}
	os.Remove(kept[0])
	if got, err := j.Pending(ctx, "k"); err != nil || len(got) != 1 {
		t.Fatalf("once the kept file is deleted: %+v, %v", got, err)
	}
}

// A journal written by a newer drafts is neither read nor written over (that drafts may be
// running): no send is recorded here, and the error says to update.
func TestJournalOfANewerVersionIsLeftAlone(t *testing.T) {
	j, err := OpenFile(t.TempDir(), testHint)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	newer := `{"version": 99, "sends": [{"draftId": "from-the-future"}]}`
	os.WriteFile(j.Path(), []byte(newer), 0o600)
	if err := j.Record(ctx, Entry{Mailbox: "k", DraftID: "d"}); !errors.Is(err, ErrJournalNewer) {
		t.Fatalf("Record on a newer journal: %v", err)
	}
	if _, err := j.Pending(ctx, "k"); !errors.Is(err, ErrJournalNewer) {
		t.Fatalf("Pending of a newer journal: %v", err)
	}
	if data, _ := os.ReadFile(j.Path()); string(data) != newer {
		t.Fatalf("the newer journal was changed: %q", data)
	}
}

func TestJournalConcurrentWritersLoseNothing(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			j, err := OpenFile(dir, testHint) // each like another process: its own lock handle
			if err != nil {
				t.Error(err)
				return
			}
			for i := 0; i < 10; i++ {
				if err := j.Record(ctx, Entry{Mailbox: "k", DraftID: fmt.Sprintf("w%d-%d", w, i)}); err != nil {
					t.Error(err)
				}
				if i%2 == 1 {
					if err := j.Settle(ctx, "k", fmt.Sprintf("w%d-%d", w, i)); err != nil {
						t.Error(err)
					}
				}
			}
		}(w)
	}
	wg.Wait()
	j, _ := OpenFile(dir, testHint)
	if got, err := j.Pending(ctx, "k"); err != nil || len(got) != 20 {
		t.Fatalf("%d entries, want 20: %v", len(got), err)
	}
}

func TestJournalWaitsForTheLockThenGivesUp(t *testing.T) {
	j, err := OpenFile(t.TempDir(), testHint)
	if err != nil {
		t.Fatal(err)
	}
	j.lockTimeout = 100 * time.Millisecond
	unlock, err := j.lock(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := OpenFile(j.dir, testHint)
	other.lockTimeout = 100 * time.Millisecond
	if err := other.Record(context.Background(), Entry{Mailbox: "k", DraftID: "d"}); err == nil || !strings.Contains(err.Error(), "another drafts process") {
		t.Fatalf("Record under a held lock: %v", err)
	}
	unlock()
	if err := other.Record(context.Background(), Entry{Mailbox: "k", DraftID: "d"}); err != nil {
		t.Fatal(err)
	}
}

// TestJournalForBindsOneMailbox: the Journal a driver is given records, settles and lists the
// sends of its own mailbox only, and keeps a send later's time.
func TestJournalForBindsOneMailbox(t *testing.T) {
	f, err := OpenFile(t.TempDir(), testHint)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	me, shared := MailboxKey("https://graph.microsoft.com/v1.0", ""), MailboxKey("https://graph.microsoft.com/v1.0", "shared@contoso.com")
	a, b := f.For(me), f.For(shared)
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	if err := a.Record(ctx, Entry{Mailbox: "ignored", DraftID: "d", Subject: "later", Started: t0, At: at}); err != nil {
		t.Fatal(err)
	}
	if err := b.Record(ctx, Entry{DraftID: "d", Subject: "now", Started: t0}); err != nil {
		t.Fatal(err)
	}
	got, err := a.Pending(ctx)
	if err != nil || len(got) != 1 || got[0].Mailbox != me || got[0].Subject != "later" || !got[0].At.Equal(at) {
		t.Fatalf("Pending of the bound journal = %+v, %v", got, err)
	}
	if got, _ := b.Pending(ctx); len(got) != 1 || !got[0].At.IsZero() {
		t.Fatalf("a send now came back with a time: %+v", got)
	}
	if data, _ := os.ReadFile(f.Path()); strings.Count(string(data), `"at"`) != 1 {
		t.Fatalf("a send now wrote its zero time:\n%s", data)
	}
	if err := b.Settle(ctx, "d"); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Pending(ctx, me); len(got) != 1 {
		t.Fatal("settling in one mailbox removed the other's send of the same draft id")
	}
}

func TestMemoryJournal(t *testing.T) {
	j := NewMemory()
	ctx := context.Background()
	for i, id := range []string{"b", "a", "b"} {
		if err := j.Record(ctx, Entry{DraftID: id, Started: t0.Add(time.Duration(-i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := j.Pending(ctx)
	if err != nil || len(got) != 2 || got[0].DraftID != "b" || got[1].DraftID != "a" {
		t.Fatalf("Pending = %+v, %v; want b (recorded again, oldest) then a", got, err)
	}
	if err := j.Settle(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if got, _ := j.Pending(ctx); len(got) != 1 || got[0].DraftID != "a" {
		t.Fatalf("after Settle: %+v", got)
	}
}

// TestEntryOfASend: what is recorded before the POST is what finds the copy later.
func TestEntryOfASend(t *testing.T) {
	d := testDraft()
	s, _ := New(d, time.Time{}, t0, Options{})
	e := entryOf(s, t0.In(time.FixedZone("X", 3600)))
	if e.DraftID != "d1" || e.InternetMessageID != draftIMID || e.ConversationID != "conv-1" || e.Subject != d.Subject ||
		!e.Started.Equal(t0) || e.Started.Location() != time.UTC || !e.At.IsZero() {
		t.Fatalf("entry = %+v", e)
	}
	if back := e.Draft(); back.ID != d.ID || back.InternetMessageID != d.InternetMessageID || back.ConversationID != d.ConversationID || !back.IsDraft {
		t.Fatalf("Draft() = %+v", back)
	}
}

// TestJournalLiveEntriesBelongToTheirProcess: two Files on one directory stand for two
// processes (each has its own lock handles). An entry of a process that still runs is Live for
// the other: not settled by it, and a second send of the draft is refused. Once the owner is
// gone (Close, as its end would), its entries are the other's to settle.
func TestJournalLiveEntriesBelongToTheirProcess(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a, err := OpenFile(dir, testHint)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := OpenFile(dir, testHint)
	e := Entry{Mailbox: "k", DraftID: "d1", Subject: "in flight", Started: time.Unix(1700000000, 0).UTC()}
	if err := a.Record(ctx, e); err != nil {
		t.Fatal(err)
	}
	got, err := b.Pending(ctx, "k")
	if err != nil || len(got) != 1 || !got[0].Live {
		t.Fatalf("Pending seen by another process = %+v, %v; want the entry, Live", got, err)
	}
	if err := b.Settle(ctx, "k", "d1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Pending(ctx, "k"); len(got) != 1 {
		t.Fatal("another process settled a live send")
	}
	if err := b.Record(ctx, e); !errors.Is(err, ErrSendingElsewhere) {
		t.Fatalf("a second send of a draft in flight elsewhere: %v, want ErrSendingElsewhere", err)
	}
	// b recording another draft is fine, and a sees that one as live in turn.
	if err := b.Record(ctx, Entry{Mailbox: "k", DraftID: "d2"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Pending(ctx, "k"); len(got) != 2 || !got[0].Live || !got[1].Live {
		t.Fatalf("Pending = %+v", got)
	}
	// a ends without settling: its entry is no longer live, and b settles it.
	a.Close()
	got, _ = b.Pending(ctx, "k")
	var d1 Entry
	for _, g := range got {
		if g.DraftID == "d1" {
			d1 = g
		}
	}
	if d1.DraftID != "d1" || d1.Live {
		t.Fatalf("after its owner ended: %+v, want d1 not live", got)
	}
	if err := b.Settle(ctx, "k", "d1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Pending(ctx, "k"); len(got) != 1 || got[0].DraftID != "d2" {
		t.Fatalf("left: %+v", got)
	}
	// b settles its own last entry: its owner lock file goes with it.
	if err := b.Settle(ctx, "k", "d2"); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ownerPrefix+"*")); len(left) != 0 {
		t.Fatalf("owner lock files left: %v", left)
	}
}

// TestMailboxKeyIgnoresSpelling: a restart that spells the Graph URL differently (localhost for
// 127.0.0.1, /V1.0, /beta, a trailing slash, upper case) still finds its interrupted sends, also
// those written by an older version under the URL as spelled; other hosts and mailboxes stay apart.
func TestMailboxKeyIgnoresSpelling(t *testing.T) {
	same := []string{
		MailboxKey("http://127.0.0.1:8787/v1.0", ""),
		MailboxKey("http://localhost:8787/v1.0/", "me"),
		MailboxKey("http://LOCALHOST:8787/V1.0", "Me"),
		MailboxKey("http://127.0.0.1:8787/beta", ""),
		MailboxKey("http://[::1]:8787/v1.0", ""),
	}
	for _, k := range same[1:] {
		if k != same[0] {
			t.Errorf("%q and %q name one mailbox", k, same[0])
		}
	}
	for _, k := range []string{
		MailboxKey("http://127.0.0.1:8788/v1.0", ""),
		MailboxKey("https://graph.microsoft.us/v1.0", ""),
		MailboxKey("http://127.0.0.1:8787/v1.0", "shared@contoso.com"),
	} {
		if k == same[0] {
			t.Errorf("%q is another mailbox", k)
		}
	}
	j, err := OpenFile(t.TempDir(), testHint)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	old := "http://127.0.0.1:8787/v1.0 me" // as an older version wrote it
	if err := j.Record(ctx, Entry{Mailbox: old, DraftID: "d1"}); err != nil {
		t.Fatal(err)
	}
	if got, err := j.Pending(ctx, MailboxKey("http://localhost:8787/V1.0/", "")); err != nil || len(got) != 1 {
		t.Fatalf("Pending under another spelling = %+v, %v", got, err)
	}
	if err := j.Settle(ctx, MailboxKey("http://localhost:8787/beta", ""), "d1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := j.Pending(ctx, old); len(got) != 0 {
		t.Fatalf("not settled under another spelling: %+v", got)
	}
}
