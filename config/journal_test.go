package config

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

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

func TestJournalIsPrivateAndAtomic(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	j, err := OpenJournal(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	key := MailboxKey("http://127.0.0.1:1/v1.0/", "")
	p := PendingSend{Mailbox: key, DraftID: "AAMk1", InternetMessageID: "<1@x>", ConversationID: "c1", Subject: "Q3", Started: time.Unix(1700000000, 0).UTC()}
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
	if leftovers, _ := filepath.Glob(filepath.Join(dir, tempPattern(journalFileName))); len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}
	got, err := j.Pending(ctx, key)
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
	j, err := OpenJournal(t.TempDir())
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
		if err := j.Record(ctx, PendingSend{Mailbox: k, DraftID: fmt.Sprint("d", i), Started: time.Unix(int64(100-i), 0)}); err != nil {
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
	if _, err := OpenJournal(dir); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, journalFileName): 0o600} {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v", path, fi.Mode().Perm())
		}
	}
	link := filepath.Join(t.TempDir(), "link")
	os.Symlink(dir, link)
	if _, err := OpenJournal(link); err == nil || !strings.Contains(err.Error(), "not a real directory") {
		t.Fatalf("a linked directory: %v", err)
	}
	other := filepath.Join(t.TempDir(), "elsewhere.json")
	os.WriteFile(other, nil, 0o600)
	dir2 := t.TempDir()
	os.Symlink(other, filepath.Join(dir2, journalFileName))
	if _, err := OpenJournal(dir2); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("a linked file: %v", err)
	}
	if _, err := OpenJournal(""); err == nil || !strings.Contains(err.Error(), EnvCacheDir) {
		t.Fatalf("no directory: %v", err)
	}
}

func TestJournalDamagedFileIsReportedThenReplaced(t *testing.T) {
	j, err := OpenJournal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	os.WriteFile(j.Path(), []byte("{not json"), 0o600)
	if _, err := j.Pending(ctx, "k"); !errors.Is(err, ErrJournalDamaged) || !strings.Contains(err.Error(), j.Path()) {
		t.Fatalf("Pending of a damaged file: %v", err)
	}
	if err := j.Record(ctx, PendingSend{Mailbox: "k", DraftID: "d"}); err != nil {
		t.Fatal(err)
	}
	if got, err := j.Pending(ctx, "k"); err != nil || len(got) != 1 {
		t.Fatalf("after Record: %+v, %v", got, err)
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
			j, err := OpenJournal(dir) // each like another process: its own lock handle
			if err != nil {
				t.Error(err)
				return
			}
			for i := 0; i < 10; i++ {
				if err := j.Record(ctx, PendingSend{Mailbox: "k", DraftID: fmt.Sprintf("w%d-%d", w, i)}); err != nil {
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
	j, _ := OpenJournal(dir)
	if got, err := j.Pending(ctx, "k"); err != nil || len(got) != 20 {
		t.Fatalf("%d entries, want 20: %v", len(got), err)
	}
}

func TestJournalWaitsForTheLockThenGivesUp(t *testing.T) {
	j, err := OpenJournal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	j.lockTimeout = 100 * time.Millisecond
	unlock, err := j.lock(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := OpenJournal(j.dir)
	other.lockTimeout = 100 * time.Millisecond
	if err := other.Record(context.Background(), PendingSend{Mailbox: "k", DraftID: "d"}); err == nil || !strings.Contains(err.Error(), "another drafts process") {
		t.Fatalf("Record under a held lock: %v", err)
	}
	unlock()
	if err := other.Record(context.Background(), PendingSend{Mailbox: "k", DraftID: "d"}); err != nil {
		t.Fatal(err)
	}
}

func TestSettleInterruptedAgainstTheEmulator(t *testing.T) {
	emu := emulator.New(emulator.Options{NoSendDelay: true})
	base, err := emu.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	c, err := graph.New(graph.Options{BaseURL: base, Tokens: graph.StaticToken("t"), MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	to := []emulator.Recipient{emulator.Addr("", "a@contoso.example")}
	went := emu.AddDraft(emulator.Draft{Subject: "went out", To: to})
	stayed := emu.AddDraft(emulator.Draft{Subject: "stayed", To: to})
	vanished := emu.AddDraft(emulator.Draft{Subject: "vanished", To: to})
	old := emu.AddDraft(emulator.Draft{Subject: "old", To: to})
	if err := emu.SendElsewhere("", went.ID); err != nil {
		t.Fatal(err)
	}
	emu.DeleteElsewhere("", vanished.ID)
	emu.DeleteElsewhere("", old.ID)

	j, _ := OpenJournal(t.TempDir())
	ctx := context.Background()
	key := MailboxKey(c.BaseURL(), c.Mailbox())
	now := time.Now()
	for _, m := range []emulator.Message{went, stayed, vanished} {
		j.Record(ctx, PendingSend{Mailbox: key, DraftID: m.ID, InternetMessageID: m.InternetMessageID, ConversationID: m.ConversationID, Subject: m.Subject, Started: now.Add(-time.Minute)})
	}
	j.Record(ctx, PendingSend{Mailbox: key, DraftID: old.ID, InternetMessageID: old.InternetMessageID, Subject: "old", Started: now.Add(-MaxPendingAge - time.Hour)})
	posts := emu.Count("POST", "/send")
	got, err := j.SettleInterrupted(ctx, c, key, now)
	if err != nil || len(got) != 4 {
		t.Fatalf("%d settled, %v", len(got), err)
	}
	want := map[string]struct {
		outcome   graph.Outcome
		forgotten bool
		words     string
	}{
		"old":      {graph.OutcomePending, true, "not in Sent Items yet"},
		"went out": {graph.OutcomeSent, true, "an interrupted send went out: it is in Sent Items"},
		"stayed":   {graph.OutcomeNotSent, true, "did not go out; the draft is still in Drafts"},
		"vanished": {graph.OutcomePending, false, "do not send it again"},
	}
	for _, s := range got {
		w := want[s.Send.Subject]
		if s.Result.Outcome != w.outcome || s.Forgotten != w.forgotten || !strings.Contains(s.Result.Summary(), w.words) {
			t.Errorf("%s: %v forgotten=%v %q", s.Send.Subject, s.Result.Outcome, s.Forgotten, s.Result.Summary())
		}
	}
	if emu.Count("POST", "/send") != posts {
		t.Fatal("settling the journal sent something")
	}
	if left, _ := j.Pending(ctx, key); len(left) != 1 || left[0].Subject != "vanished" {
		t.Fatalf("left in the journal: %+v", left)
	}
	// Graph unreachable: nothing is settled, the user is told it could not be checked.
	emu.Close()
	got, _ = j.SettleInterrupted(ctx, c, key, now)
	if len(got) != 1 || got[0].Forgotten || got[0].Result.Outcome != graph.OutcomeUnknown || !strings.Contains(got[0].Result.Summary(), "could not be checked") {
		t.Fatalf("offline: %+v", got)
	}
}
