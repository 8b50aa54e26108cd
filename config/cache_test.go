package config

import (
	"bytes"
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

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
	"github.com/gofrs/flock"
)

// fakeKeyring is an in-memory keyring; hang makes every call block until
// the test ends, broken makes every call fail.
type fakeKeyring struct {
	mu     sync.Mutex
	items  map[string]string
	hang   chan struct{}
	broken error
	// refuseSet makes only Set fail (a locked keyring that still answers).
	refuseSet error
}

func newFakeKeyring() *fakeKeyring { return &fakeKeyring{items: map[string]string{}} }

func (k *fakeKeyring) wait() error {
	if k.hang != nil {
		<-k.hang
	}
	return k.broken
}

func (k *fakeKeyring) Get(service, user string) (string, error) {
	if err := k.wait(); err != nil {
		return "", err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.items[service+"/"+user]
	if !ok {
		return "", ErrNotInKeyring
	}
	return v, nil
}

func (k *fakeKeyring) Set(service, user, secret string) error {
	if err := k.wait(); err != nil {
		return err
	}
	if k.refuseSet != nil {
		return k.refuseSet
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.items[service+"/"+user] = secret
	return nil
}

func (k *fakeKeyring) Delete(service, user string) error {
	if err := k.wait(); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.items[service+"/"+user]; !ok {
		return ErrNotInKeyring
	}
	delete(k.items, service+"/"+user)
	return nil
}

func (k *fakeKeyring) wipe() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.items = map[string]string{}
}

func (k *fakeKeyring) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.items)
}

// blob is a cache.Marshaler/Unmarshaler holding raw bytes.
type blob struct{ data []byte }

func (b *blob) Marshal() ([]byte, error) { return b.data, nil }
func (b *blob) Unmarshal(d []byte) error { b.data = append([]byte(nil), d...); return nil }

func skipOnWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
}

func TestStoreFileIsPrivateAndAtomic(t *testing.T) {
	skipOnWindows(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "drafts")
	s, err := OpenStore(dir, StoreFile, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Export(ctx, &blob{[]byte(`{"AccessToken":{}}`)}, hintsE); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(s.Path())
	di, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
		t.Fatalf("file %04o dir %04o", fi.Mode().Perm(), di.Mode().Perm())
	}
	// No temp files are left behind.
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Fatalf("left behind: %s", e.Name())
		}
	}
	info := s.Info()
	if info.Encrypted || !strings.Contains(info.Description, "plain file") || !strings.Contains(info.Description, "token_store is file") {
		t.Fatalf("info: %+v", info)
	}
}

var (
	hintsE = cache.ExportHints{}
	hintsR = cache.ReplaceHints{}
)

func TestStoreTightensLooseDirectoryAndFile(t *testing.T) {
	skipOnWindows(t)
	dir := filepath.Join(t.TempDir(), "drafts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	path := filepath.Join(dir, cacheFileName)
	if err := os.WriteFile(path, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o644)
	s, err := OpenStore(dir, StoreFile, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	di, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
		t.Fatalf("not tightened: file %04o dir %04o", fi.Mode().Perm(), di.Mode().Perm())
	}
	notes := strings.Join(s.Info().Notes, "\n")
	if !strings.Contains(notes, "from mode 0644 to 0600") || !strings.Contains(notes, "from mode 0755 to 0700") {
		t.Fatalf("notes: %q", notes)
	}
}

func TestStoreRefusesASymlink(t *testing.T) {
	skipOnWindows(t)
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "elsewhere")
	os.WriteFile(target, []byte("{}"), 0o600)
	if err := os.Symlink(target, filepath.Join(dir, cacheFileName)); err != nil {
		t.Skip(err)
	}
	if _, err := OpenStore(dir, StoreFile, StoreOptions{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("err = %v", err)
	}
}

func TestStoreConcurrentWritersAndReadersSeeWholeFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// Two "processes": two stores, each with its own lock handle.
	a, err := OpenStore(dir, StoreFile, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := OpenStore(dir, StoreFile, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	blobs := [][]byte{
		[]byte(`{"Account":{"a":"` + strings.Repeat("a", 200000) + `"}}`),
		[]byte(`{"Account":{"b":"` + strings.Repeat("b", 300000) + `"}}`),
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i, s := range []*Store{a, b} {
		wg.Add(2)
		go func(s *Store, data []byte) {
			defer wg.Done()
			for n := 0; n < 20; n++ {
				if err := s.Export(ctx, &blob{data}, hintsE); err != nil {
					errs <- err
					return
				}
			}
		}(s, blobs[i])
		go func(s *Store) {
			defer wg.Done()
			for n := 0; n < 40; n++ {
				var got blob
				if err := s.Replace(ctx, &got, hintsR); err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(got.data, []byte("{}")) && !bytes.Equal(got.data, blobs[0]) && !bytes.Equal(got.data, blobs[1]) {
					errs <- fmt.Errorf("read a torn file of %d bytes", len(got.data))
					return
				}
			}
		}(s)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestStoreWaitsForTheLockThenGivesUp(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenStore(dir, StoreFile, StoreOptions{LockTimeout: 150 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	other := flock.New(filepath.Join(dir, lockFileName)) // another drafts process
	if ok, err := other.TryLock(); !ok || err != nil {
		t.Fatal(ok, err)
	}
	err = s.Export(ctx, &blob{[]byte("{}")}, hintsE)
	if err == nil || !strings.Contains(err.Error(), "another drafts process") {
		t.Fatalf("err = %v", err)
	}
	// Released while we wait: the write goes through.
	s.lockTimeout = 5 * time.Second
	go func() { time.Sleep(50 * time.Millisecond); other.Unlock() }()
	if err := s.Export(ctx, &blob{[]byte(`{"x":1}`)}, hintsE); err != nil {
		t.Fatal(err)
	}
}

func TestStoreKeyringHangingOrMissingFallsBackAndSaysSo(t *testing.T) {
	dir := t.TempDir()
	hang := &fakeKeyring{items: map[string]string{}, hang: make(chan struct{})}
	t.Cleanup(func() { close(hang.hang) })
	start := time.Now()
	s, err := OpenStore(dir, StoreAuto, StoreOptions{Keyring: hang, KeyringTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("waited %s for a hanging keyring", el)
	}
	info := s.Info()
	if info.Encrypted || !strings.Contains(info.Description, "did not answer within 100ms") {
		t.Fatalf("info: %+v", info)
	}

	broken := &fakeKeyring{items: map[string]string{}, broken: errors.New("no Secret Service")}
	s, err = OpenStore(dir, StoreAuto, StoreOptions{Keyring: broken})
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Info().Description; !strings.Contains(d, "plain file") || !strings.Contains(d, "no Secret Service") {
		t.Fatalf("description %q", d)
	}
	// token_store = keyring: no silent fallback.
	if _, err := OpenStore(dir, StoreKeyring, StoreOptions{Keyring: broken}); err == nil || !strings.Contains(err.Error(), "token_store is keyring") {
		t.Fatalf("err = %v", err)
	}
}

func TestStoreEncryptsAndRemoveDeletesFileAndKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	kr := newFakeKeyring()
	s, err := OpenStore(dir, StoreAuto, StoreOptions{Keyring: kr})
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte(`{"RefreshToken":{"k":{"secret":"very-secret-refresh"}}}`)
	if err := s.Export(ctx, &blob{secret}, hintsE); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(s.Path())
	if bytes.Contains(raw, []byte("very-secret")) || !bytes.HasPrefix(raw, encMagic) || kr.len() != 1 {
		t.Fatalf("not encrypted (%d keyring items)", kr.len())
	}
	s2, _ := OpenStore(dir, StoreAuto, StoreOptions{Keyring: kr})
	var got blob
	if err := s2.Replace(ctx, &got, hintsR); err != nil || !bytes.Equal(got.data, secret) {
		t.Fatalf("read back %q, %v", got.data, err)
	}
	removed, err := s2.Remove(ctx)
	if err != nil || !removed || kr.len() != 0 {
		t.Fatalf("remove: %v %v, %d keyring items", removed, err, kr.len())
	}
	if _, err := os.Stat(s.Path()); !os.IsNotExist(err) {
		t.Fatal("file still there")
	}
}

func TestStoreForgetsRefusedAccessTokens(t *testing.T) {
	ctx := context.Background()
	s, err := OpenStore(t.TempDir(), StoreFile, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data := `{"AccessToken":{"k1":{"secret":"bad-token","target":"Mail.Send"},"k2":{"secret":"good-token"}},"RefreshToken":{"r":{"secret":"rt"}}}`
	if err := s.Export(ctx, &blob{[]byte(data)}, hintsE); err != nil {
		t.Fatal(err)
	}
	s.forget("bad-token")
	var got blob
	if err := s.Replace(ctx, &got, hintsR); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(got.data, []byte("bad-token")) || !bytes.Contains(got.data, []byte("good-token")) || !bytes.Contains(got.data, []byte(`"rt"`)) {
		t.Fatalf("got %s", got.data)
	}
}

func runtimeIsUnix() bool { return runtime.GOOS != "windows" }

func TestStoreTreatsADamagedFileAsNobodySignedInAndSaysSo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, cacheFileName)
	if err := os.WriteFile(path, []byte(`{"AccessToken": {"k": `), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStore(dir, StoreFile, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got blob
	if err := s.Replace(ctx, &got, hintsR); err != nil || string(got.data) != "{}" {
		t.Fatalf("read %q, %v; want an empty cache", got.data, err)
	}
	if p := s.problem(); !strings.Contains(p, path) || !strings.Contains(p, "damaged") || !strings.Contains(p, "drafts login") {
		t.Fatalf("problem %q", p)
	}
	// A new sign-in replaces it, and the problem is gone.
	if err := s.Export(ctx, &blob{[]byte(`{"Account":{}}`)}, hintsE); err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(ctx, &got, hintsR); err != nil || string(got.data) != `{"Account":{}}` || s.problem() != "" {
		t.Fatalf("after a write: %q, %v, problem %q", got.data, err, s.problem())
	}
}

func TestStoreTwoProcessesMakeOneKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	kr := newFakeKeyring()
	// Both open before either has written: the keyring has no key yet.
	a, err := OpenStore(dir, StoreAuto, StoreOptions{Keyring: kr})
	if err != nil {
		t.Fatal(err)
	}
	b, err := OpenStore(dir, StoreAuto, StoreOptions{Keyring: kr})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Export(ctx, &blob{[]byte(`{"from":"a"}`)}, hintsE); err != nil {
		t.Fatal(err)
	}
	var got blob
	if err := b.Replace(ctx, &got, hintsR); err != nil || string(got.data) != `{"from":"a"}` {
		t.Fatalf("b read %q, %v (problem %q)", got.data, err, b.problem())
	}
	if err := b.Export(ctx, &blob{[]byte(`{"from":"b"}`)}, hintsE); err != nil {
		t.Fatal(err)
	}
	if err := a.Replace(ctx, &got, hintsR); err != nil || string(got.data) != `{"from":"b"}` {
		t.Fatalf("a read %q, %v (problem %q)", got.data, err, a.problem())
	}
	if kr.len() != 1 {
		t.Fatalf("%d keys in the keyring", kr.len())
	}
}

func TestStoreLockHonoursCancellation(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir, StoreFile, StoreOptions{LockTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	other := flock.New(filepath.Join(dir, lockFileName))
	if ok, err := other.TryLock(); !ok || err != nil {
		t.Fatal(ok, err)
	}
	defer other.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := s.Export(ctx, &blob{[]byte("{}")}, hintsE); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's", err)
	}
}

func TestStoreRefusesASymlinkedDirectory(t *testing.T) {
	skipOnWindows(t)
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "drafts")
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	if _, err := OpenStore(link, StoreFile, StoreOptions{}); err == nil || !strings.Contains(err.Error(), "symbolic link") || !strings.Contains(err.Error(), EnvCacheDir) {
		t.Fatalf("err = %v", err)
	}
}

func TestStoreRemoveDeletesLeftoverTempFiles(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir, StoreFile, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// A writer killed between its temp file and the rename.
	left := filepath.Join(dir, "."+cacheFileName+".123.tmp")
	if err := os.WriteFile(left, []byte(`{"RefreshToken":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Remove(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Fatalf("left behind: %v", err)
	}
}
