package config

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
)

func cachedDrafts() []graph.Message {
	return []graph.Message{
		{ID: "AAMk1", Subject: "Quarterly numbers", BodyPreview: "The numbers are in.", To: []graph.Recipient{{Name: "Megan", Address: "megan@contoso.example"}},
			LastModified: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), IsDraft: true},
		{ID: "AAMk2", Subject: "Offsite \x1b]0;pwned\x07plan", IsDraft: true},
	}
}

// save keeps ds in c.
func save(c *ListCache, ctx context.Context, ds []graph.Message, link string, saved time.Time) error {
	return c.Save(ctx, slices.Values(ds), len(ds), link, saved)
}

// rest reads the rest of l, checking that it comes in chunks of at most restChunk.
func rest(l CachedList) ([]graph.Message, error) {
	var all []graph.Message
	var big []int
	err := l.Rest(func(chunk []graph.Message) {
		if len(chunk) > restChunk || len(chunk) == 0 {
			big = append(big, len(chunk))
		}
		all = append(all, chunk...)
	})
	if big != nil {
		return all, fmt.Errorf("chunks of %v drafts", big)
	}
	return all, err
}

// gz is data as the list file holds it.
func gz(t *testing.T, data string) string {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(data))
	_ = w.Close()
	return b.String()
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
	if _, ok, note := c.Load(ctx, 1000); ok || note != "" {
		t.Fatalf("no file yet: ok %v, note %q", ok, note)
	}
	saved := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if err := save(c, ctx, cachedDrafts(), "https://graph/delta?token=1", saved); err != nil {
		t.Fatal(err)
	}
	got, ok, note := c.Load(ctx, 1000)
	if !ok || note != "" || len(got.Drafts) != 2 || got.DeltaLink != "https://graph/delta?token=1" || !got.Saved.Equal(saved) {
		t.Fatalf("loaded %+v ok %v note %q", got, ok, note)
	}
	if got.Drafts[0].Subject != "Quarterly numbers" || got.Drafts[0].To[0].Address != "megan@contoso.example" || !got.Drafts[0].LastModified.Equal(cachedDrafts()[0].LastModified) {
		t.Fatalf("first draft %+v", got.Drafts[0])
	}
	if strings.ContainsRune(got.Drafts[1].Subject, 0x1b) {
		t.Fatalf("an escape reached the list: %q", got.Drafts[1].Subject)
	}
	// No part of a body is kept: not even the preview line.
	if got.Drafts[0].BodyPreview != "" {
		t.Fatalf("the preview was kept: %q", got.Drafts[0].BodyPreview)
	}
	if fi, err := os.Stat(c.Path()); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v %v", c.Path(), fi.Mode(), err)
	}
	removed, err := RemoveListCache(dir)
	if !removed || err != nil {
		t.Fatalf("remove: %v %v", removed, err)
	}
}

// Load gives the first drafts at once and the rest when asked; a file damaged past the first
// drafts says so when the rest is read.
func TestListCacheGivesTheFirstDraftsFirst(t *testing.T) {
	ctx := context.Background()
	c := openList(t, t.TempDir(), StoreFile, nil, "m")
	ds := make([]graph.Message, 5)
	for i := range ds {
		ds[i] = graph.Message{ID: fmt.Sprintf("d%d", i), Subject: fmt.Sprintf("Draft %d", i)}
	}
	if err := save(c, ctx, ds, "link", time.Now()); err != nil {
		t.Fatal(err)
	}
	l, ok, _ := c.Load(ctx, 2)
	if !ok || len(l.Drafts) != 2 || l.Drafts[1].Subject != "Draft 1" || l.Rest == nil || l.Count != 5 {
		t.Fatalf("first: %d drafts, ok %v", len(l.Drafts), ok)
	}
	more, err := rest(l)
	if err != nil || len(more) != 3 || more[0].Subject != "Draft 2" || more[2].Subject != "Draft 4" {
		t.Fatalf("rest: %+v %v", more, err)
	}
	// A rest longer than a chunk comes in chunks, in order, none longer than restChunk.
	long := benchList(2*restChunk + 500)
	if err := save(c, ctx, long, "link", time.Now()); err != nil {
		t.Fatal(err)
	}
	l, _, _ = c.Load(ctx, 10)
	var chunks []int
	var got []graph.Message
	if err := l.Rest(func(ds []graph.Message) { chunks, got = append(chunks, len(ds)), append(got, ds...) }); err != nil ||
		!slices.Equal(chunks, []int{restChunk, restChunk, 490}) || got[0].ID != long[10].ID || got[len(got)-1].ID != long[len(long)-1].ID {
		t.Fatalf("the rest of %d came in chunks of %v (%v)", len(long)-10, chunks, err)
	}
	if err := save(c, ctx, ds, "link", time.Now()); err != nil {
		t.Fatal(err)
	}
	if l, _, _ := c.Load(ctx, 10); len(l.Drafts) != 5 || l.Rest != nil {
		t.Fatalf("all at once: %d, rest %v", len(l.Drafts), l.Rest != nil)
	}
	if err := os.WriteFile(c.Path(), []byte(gz(t, `{"format":2,"mailbox":"m","count":3}`+"\n"+`{"ID":"x"}`+"\n"+`{"ID":`)), 0o600); err != nil {
		t.Fatal(err)
	}
	l, ok, _ = c.Load(ctx, 1)
	if !ok || len(l.Drafts) != 1 {
		t.Fatalf("the first of a file damaged later: %d, ok %v", len(l.Drafts), ok)
	}
	if _, err := rest(l); err == nil || !strings.Contains(err.Error(), "is damaged") {
		t.Fatalf("the damaged rest: %v", err)
	}
}

// With the token cache's key in the keyring, the list is encrypted with it and bound to its
// mailbox: the file shows no subject, and another mailbox's cache is ignored with a note.
func TestListCacheIsEncryptedAndBoundToItsMailbox(t *testing.T) {
	dir := t.TempDir()
	kr := newFakeKeyring()
	ctx := context.Background()
	c := openList(t, dir, StoreAuto, kr, "mailbox-a")
	if err := save(c, ctx, cachedDrafts(), "", time.Now()); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(c.Path())
	if !bytes.HasPrefix(data, listMagic) || bytes.Contains(data, []byte("Quarterly")) {
		t.Fatalf("the file is not encrypted: %q", data[:min(len(data), 60)])
	}
	if l, ok, _ := openList(t, dir, StoreAuto, kr, "mailbox-a").Load(ctx, 1000); !ok || len(l.Drafts) != 2 {
		t.Fatalf("the same mailbox: ok %v, %d drafts", ok, len(l.Drafts))
	}
	if _, ok, note := openList(t, dir, StoreAuto, kr, "mailbox-b").Load(ctx, 1000); ok || !strings.Contains(note, "another mailbox") {
		t.Fatalf("another mailbox: ok %v, note %q", ok, note)
	}
	// Without the key (the keyring lost it), the list is ignored, never a crash.
	kr.items = map[string]string{}
	if _, ok, note := openList(t, dir, StoreAuto, kr, "mailbox-a").Load(ctx, 1000); ok || !strings.Contains(note, "could not be decrypted") {
		t.Fatalf("no key: ok %v, note %q", ok, note)
	}
}

// A damaged file, one of another format, or a plain one of another mailbox is ignored with a
// note saying so; the next save replaces it.
func TestListCacheIgnoresWhatItCannotUse(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct{ data, want string }{
		"damaged":         {gz(t, `{"format":2,"mailbox":"m","count":2}`+"\n"+`{"ID":"x"}`+"\n"+`{"ID":`), "is damaged"},
		"short":           {gz(t, `{"format":2,"mailbox":"m","count":3}`+"\n"+`{"ID":"x"}`), "is damaged"},
		"not gzip":        {`{"format":2,"mailbox":"m","count":0}`, "is damaged"},
		"binary":          {"\x00\x01\x02garbage", "is damaged"},
		"older format":    {gz(t, `{"format":1,"mailbox":"m","count":0}`), "another format (1)"},
		"another mailbox": {gz(t, `{"format":2,"mailbox":"other","count":0}`), "another mailbox"},
	} {
		dir := t.TempDir()
		c := openList(t, dir, StoreFile, nil, "m")
		if err := os.WriteFile(c.Path(), []byte(tc.data), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, ok, note := c.Load(ctx, 1000); ok || !strings.Contains(note, tc.want) || !strings.Contains(note, "ignored") {
			t.Errorf("%s: ok %v, note %q", name, ok, note)
		}
		if err := save(c, ctx, cachedDrafts(), "", time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := c.Load(ctx, 1000); !ok {
			t.Errorf("%s: the save did not replace it", name)
		}
	}
}

// BenchmarkListCacheLoad10k is the cache's part of an instant start: reading, decompressing,
// decoding and cleaning a list of 10,000 drafts (plain file; AES-GCM adds little).
//
//	go test -run '^$' -bench ListCache -benchmem ./config/
func BenchmarkListCacheLoad10k(b *testing.B) {
	c, err := OpenListCache(Config{CacheDir: b.TempDir(), TokenStore: StoreFile}, "m", StoreOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ds := benchList(10_000)
	if err := save(c, context.Background(), ds, "https://graph.microsoft.com/v1.0/me/mailFolders/drafts/messages/delta?$deltatoken=x", time.Now()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		l, ok, note := c.Load(context.Background(), 1000)
		if !ok || len(l.Drafts) != 1000 {
			b.Fatalf("loaded %d, %v %q", len(l.Drafts), ok, note)
		}
		if more, err := rest(l); err != nil || len(more) != 9000 {
			b.Fatalf("the rest: %d, %v", len(more), err)
		}
	}
}

// BenchmarkListCacheSave10k is a save of the same list (the screen does it off its goroutine).
func BenchmarkListCacheSave10k(b *testing.B) {
	c, err := OpenListCache(Config{CacheDir: b.TempDir(), TokenStore: StoreFile}, "m", StoreOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ds := benchList(10_000)
	b.ResetTimer()
	for range b.N {
		if err := save(c, context.Background(), ds, "", time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// benchList is n drafts shaped as Graph lists them: ids of 152 characters, a preview, one
// recipient.
func benchList(n int) []graph.Message {
	ds := make([]graph.Message, n)
	for i := range ds {
		ds[i] = graph.Message{ID: fmt.Sprintf("AAMkAGI2TAAA%0140d", i), Subject: fmt.Sprintf("Q3 forecast — next steps #%d", i),
			BodyPreview: strings.Repeat("The revised figures are attached. ", 7), IsDraft: true,
			To:           []graph.Recipient{{Name: "Megan Bowen", Address: "megan.bowen@contoso.example"}},
			LastModified: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Minute)}
	}
	return ds
}
