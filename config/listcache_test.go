package config

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
)

func cachedDrafts() []graph.Message {
	return []graph.Message{
		{ID: "AAMk1", Subject: "Quarterly numbers", To: []graph.Recipient{{Name: "Megan", Address: "megan@contoso.example"}},
			LastModified: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), IsDraft: true},
		{ID: "AAMk2", Subject: "Offsite \x1b]0;pwned\x07plan", IsDraft: true},
	}
}

func openList(t *testing.T, dir string, mode StoreMode, kr Keyring, mailbox string) *ListCache {
	t.Helper()
	c, err := OpenListCache(Config{CacheDir: dir, TokenStore: mode}, mailbox, StoreOptions{Keyring: kr})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The list comes back as saved, with its link, its strings cleaned, in a private file.
func TestListCacheRoundTripsPrivately(t *testing.T) {
	dir := t.TempDir()
	c := openList(t, dir, StoreFile, nil, "https://graph.microsoft.com/v1.0|me")
	ctx := context.Background()
	if _, ok, note := c.Load(ctx); ok || note != "" {
		t.Fatalf("no file yet: ok %v, note %q", ok, note)
	}
	saved := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if err := c.Save(ctx, CachedList{Drafts: cachedDrafts(), DeltaLink: "https://graph/delta?token=1", Saved: saved}); err != nil {
		t.Fatal(err)
	}
	got, ok, note := c.Load(ctx)
	if !ok || note != "" || len(got.Drafts) != 2 || got.DeltaLink != "https://graph/delta?token=1" || !got.Saved.Equal(saved) {
		t.Fatalf("loaded %+v ok %v note %q", got, ok, note)
	}
	if got.Drafts[0].Subject != "Quarterly numbers" || got.Drafts[0].To[0].Address != "megan@contoso.example" || !got.Drafts[0].LastModified.Equal(cachedDrafts()[0].LastModified) {
		t.Fatalf("first draft %+v", got.Drafts[0])
	}
	if strings.ContainsRune(got.Drafts[1].Subject, 0x1b) {
		t.Fatalf("an escape reached the list: %q", got.Drafts[1].Subject)
	}
	if fi, err := os.Stat(c.Path()); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v %v", c.Path(), fi.Mode(), err)
	}
	removed, err := RemoveListCache(dir)
	if !removed || err != nil {
		t.Fatalf("remove: %v %v", removed, err)
	}
}

// With the token cache's key in the keyring, the list is encrypted with it and bound to its
// mailbox: the file shows no subject, and another mailbox's cache is ignored with a note.
func TestListCacheIsEncryptedAndBoundToItsMailbox(t *testing.T) {
	dir := t.TempDir()
	kr := newFakeKeyring()
	ctx := context.Background()
	c := openList(t, dir, StoreAuto, kr, "mailbox-a")
	if err := c.Save(ctx, CachedList{Drafts: cachedDrafts()}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(c.Path())
	if !bytes.HasPrefix(data, listMagic) || bytes.Contains(data, []byte("Quarterly")) {
		t.Fatalf("the file is not encrypted: %q", data[:min(len(data), 60)])
	}
	if l, ok, _ := openList(t, dir, StoreAuto, kr, "mailbox-a").Load(ctx); !ok || len(l.Drafts) != 2 {
		t.Fatalf("the same mailbox: ok %v, %d drafts", ok, len(l.Drafts))
	}
	if _, ok, note := openList(t, dir, StoreAuto, kr, "mailbox-b").Load(ctx); ok || !strings.Contains(note, "another mailbox") {
		t.Fatalf("another mailbox: ok %v, note %q", ok, note)
	}
	// Without the key (the keyring lost it), the list is ignored, never a crash.
	kr.items = map[string]string{}
	if _, ok, note := openList(t, dir, StoreAuto, kr, "mailbox-a").Load(ctx); ok || !strings.Contains(note, "could not be decrypted") {
		t.Fatalf("no key: ok %v, note %q", ok, note)
	}
}

// A damaged file, one of another format, or a plain one of another mailbox is ignored with a
// note saying so; the next save replaces it.
func TestListCacheIgnoresWhatItCannotUse(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct{ data, want string }{
		"damaged":         {`{"format":1,"drafts":[{"ID":`, "is damaged"},
		"binary":          {"\x00\x01\x02garbage", "is damaged"},
		"older format":    {`{"format":0,"mailbox":"m","drafts":[]}`, "another format"},
		"another mailbox": {`{"format":1,"mailbox":"other","drafts":[]}`, "another mailbox"},
	} {
		dir := t.TempDir()
		c := openList(t, dir, StoreFile, nil, "m")
		if err := os.WriteFile(c.Path(), []byte(tc.data), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, ok, note := c.Load(ctx); ok || !strings.Contains(note, tc.want) || !strings.Contains(note, "ignored") {
			t.Errorf("%s: ok %v, note %q", name, ok, note)
		}
		if err := c.Save(ctx, CachedList{Drafts: cachedDrafts()}); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := c.Load(ctx); !ok {
			t.Errorf("%s: the save did not replace it", name)
		}
	}
}
