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
	"sync"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"

	"github.com/draftsmail/drafts/graph/privfile"
)

// Names of the files in the cache directory.
const (
	cacheFileName = "token-cache"
	lockFileName  = "token-cache.lock"
)

// DefaultLockTimeout bounds the wait for another drafts process that holds
// the token cache lock.
const DefaultLockTimeout = privfile.DefaultLockTimeout

// Store is the persistent MSAL token cache (a cache.ExportReplace): one
// file, mode 0600 in a 0700 directory, replaced atomically (temp file +
// rename) under a lock file, so two drafts processes never see half a
// write. With a reachable OS keyring the file is encrypted (AES-256-GCM)
// with a random key kept in the keyring; otherwise it is plain JSON, and
// the Store says so (Info).
type Store struct {
	dir, path, lockPath string
	lockTimeout         time.Duration

	keyring        Keyring
	keyringTimeout time.Duration
	keyringUser    string
	encrypt        bool   // the key lives in the keyring
	why            string // why the file is plain, when it is

	mu    sync.Mutex
	key   []byte          // nil until read from or created in the keyring
	drop  map[string]bool // access tokens Graph refused, kept out of the cache
	notes []string
	warn  string // why the cache could not be read this run
}

// StoreInfo describes where the token cache is, for 'drafts status' and
// the login message. It never contains a token.
type StoreInfo struct {
	// Path is the cache file.
	Path string
	// Encrypted is true when the file is encrypted with a key kept in the
	// OS keyring.
	Encrypted bool
	// Description is one phrase: "encrypted, key in the OS keyring" or
	// "plain file, readable only by you (<why no keyring>)".
	Description string
	// Notes are things the Store did or found (permissions tightened, an
	// unreadable cache ignored).
	Notes []string
}

// String is the path and the description.
func (i StoreInfo) String() string { return i.Path + " (" + i.Description + ")" }

// StoreOptions configure OpenStore; zero values are right for the program.
type StoreOptions struct {
	// Keyring is the keyring to use; nil means the OS keyring.
	Keyring Keyring
	// KeyringTimeout bounds each keyring call; 0 means DefaultKeyringTimeout.
	KeyringTimeout time.Duration
	// LockTimeout bounds the wait for the lock; 0 means DefaultLockTimeout.
	LockTimeout time.Duration
}

// OpenStore opens the token cache in dir, creating dir (0700) if needed and
// tightening the permissions of a directory or file others could read. mode
// decides whether the OS keyring is asked (StoreAuto, StoreKeyring) or not
// (StoreFile); with StoreKeyring an unreachable keyring is an error, with
// StoreAuto it means a plain file, and Info says why.
func OpenStore(dir string, mode StoreMode, opts StoreOptions) (*Store, error) {
	if dir == "" {
		return nil, fmt.Errorf("no directory for the token cache: set %s (or HOME)", EnvCacheDir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("token cache directory %s: %w", dir, err)
	}
	s := &Store{
		dir:            abs,
		path:           filepath.Join(abs, cacheFileName),
		lockPath:       filepath.Join(abs, lockFileName),
		lockTimeout:    opts.LockTimeout,
		keyring:        opts.Keyring,
		keyringTimeout: opts.KeyringTimeout,
		drop:           map[string]bool{},
	}
	if s.lockTimeout <= 0 {
		s.lockTimeout = DefaultLockTimeout
	}
	if s.keyring == nil {
		s.keyring = OSKeyring{}
	}
	if s.keyringTimeout <= 0 {
		s.keyringTimeout = DefaultKeyringTimeout
	}
	s.keyringUser = "token cache key for " + s.path
	if err := s.prepare(); err != nil {
		return nil, err
	}
	switch mode {
	case StoreFile:
		s.why = "token_store is file"
		return s, nil
	case StoreAuto, StoreKeyring, "":
	default:
		return nil, fmt.Errorf("unknown token store %q", mode)
	}
	key, err := s.readKey(context.Background())
	switch {
	case err == nil:
		s.encrypt, s.key = true, key
	case errors.Is(err, ErrNotInKeyring):
		s.encrypt = true // the key is made on the first write
	case mode == StoreKeyring:
		return nil, fmt.Errorf("token_store is keyring, but the OS keyring cannot be used: %v; unlock it, or set token_store = \"file\"", err)
	default:
		s.why = "no OS keyring: " + err.Error()
	}
	return s, nil
}

// prepare makes the directory and tightens loose permissions, noting what
// it tightened.
func (s *Store) prepare() error {
	notes, err := privfile.PrepareDir(s.dir, []string{s.path, s.lockPath}, "the token cache", "set "+EnvCacheDir)
	s.notes = append(s.notes, notes...)
	return err
}

// Info describes the store.
func (s *Store) Info() StoreInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := StoreInfo{Path: s.path, Encrypted: s.encrypt, Notes: append([]string(nil), s.notes...)}
	if s.encrypt {
		i.Description = "encrypted, key in the OS keyring"
	} else {
		i.Description = "plain file readable only by you; " + s.why
	}
	if s.warn != "" {
		i.Notes = append(i.Notes, s.warn)
	}
	return i
}

// Path is the cache file.
func (s *Store) Path() string { return s.path }

// Replace implements cache.ExportReplace: it loads the file into MSAL's
// cache. A missing file is an empty cache.
func (s *Store) Replace(ctx context.Context, u cache.Unmarshaler, _ cache.ReplaceHints) error {
	data, err := s.read(ctx)
	if err != nil {
		return err
	}
	return u.Unmarshal(data)
}

// Export implements cache.ExportReplace: it writes MSAL's cache to the file.
func (s *Store) Export(ctx context.Context, m cache.Marshaler, _ cache.ExportHints) error {
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	return s.write(ctx, data)
}

func (s *Store) read(ctx context.Context) ([]byte, error) {
	unlock, err := s.lock(ctx, false)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(s.path)
	unlock()
	if errors.Is(err, fs.ErrNotExist) {
		return []byte("{}"), nil
	}
	if err != nil {
		return nil, &storeError{fmt.Errorf("cannot read the token cache %s (%v); check its permissions, or remove it with 'drafts logout' and sign in again", s.path, privfile.Reason(err))}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if bytes.HasPrefix(data, encMagic) {
		plain, err := s.decrypt(ctx, data)
		if err != nil {
			return s.unusable("could not be decrypted (" + err.Error() + ")"), nil
		}
		data = plain
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return []byte("{}"), nil
	}
	if !json.Valid(data) {
		return s.unusable("is damaged"), nil
	}
	s.warn = ""
	return s.dropTokens(data), nil
}

// unusable notes why the cache file cannot be used and returns an empty
// cache in its place: nobody is signed in, and the next sign-in replaces
// the file. s.mu is held.
func (s *Store) unusable(why string) []byte {
	s.warn = "the token cache " + s.path + " " + why + "; sign in again with " + loginCmd
	return []byte("{}")
}

// problem is why the cache file could not be used on the last read, or
// "".
func (s *Store) problem() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.warn
}

func (s *Store) write(ctx context.Context, data []byte) error {
	unlock, err := s.lock(ctx, true)
	if err != nil {
		return err
	}
	defer unlock()
	s.mu.Lock()
	if s.encrypt {
		sealed, err := s.seal(ctx, data)
		if err != nil {
			s.mu.Unlock()
			return &storeError{err}
		}
		data = sealed
	}
	s.mu.Unlock()
	if err := privfile.WriteAtomic(s.path, data); err != nil {
		return &storeError{fmt.Errorf("cannot write the token cache %s (%v); check that you may write to %s", s.path, privfile.Reason(err), s.dir)}
	}
	return nil
}

// lock takes the lock file, shared for reading or exclusive for writing,
// waiting at most the lock timeout. If ctx ends first, it returns ctx's
// error, as cache.ExportReplace asks.
func (s *Store) lock(ctx context.Context, exclusive bool) (func(), error) {
	unlock, err := privfile.Lock(ctx, s.lockPath, "the token cache", s.lockTimeout, exclusive)
	if err != nil && ctx.Err() == nil {
		return nil, &storeError{err}
	}
	return unlock, err
}

// Remove deletes the cache file (and any temporary file a killed writer
// left) and its key in the keyring. It reports whether there was a file.
func (s *Store) Remove(ctx context.Context) (bool, error) {
	unlock, err := s.lock(ctx, true)
	if err != nil {
		return false, err
	}
	err = os.Remove(s.path)
	if leftovers, gerr := filepath.Glob(filepath.Join(s.dir, privfile.TempPattern(cacheFileName))); gerr == nil {
		for _, f := range leftovers {
			_ = os.Remove(f)
		}
	}
	unlock()
	existed := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("cannot remove the token cache %s (%v); remove it by hand", s.path, privfile.Reason(err))
	}
	s.mu.Lock()
	encrypt := s.encrypt
	s.key = nil
	s.mu.Unlock()
	if encrypt {
		_, err := bounded(ctx, s.keyringTimeout, func() (struct{}, error) {
			return struct{}{}, s.keyring.Delete(keyringService, s.keyringUser)
		})
		if err != nil && !errors.Is(err, ErrNotInKeyring) {
			return existed, fmt.Errorf("removed %s, but not its key in the OS keyring (%v); delete the item %q there by hand", s.path, err, keyringService)
		}
	}
	return existed, nil
}

// storeError is a token cache problem, already in words a user can act on;
// it reaches the caller through MSAL unchanged (see translate).
type storeError struct{ err error }

func (e *storeError) Error() string { return e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }

// forget keeps an access token out of the cache from now on: Graph refused
// it, so MSAL must not hand it out again but use the refresh token.
func (s *Store) forget(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drop[token] = true
}

// dropTokens removes forgotten access tokens from MSAL's serialized cache.
// The layout ("AccessToken" entries with a "secret") is the cache format
// shared by all MSAL libraries.
func (s *Store) dropTokens(data []byte) []byte {
	if len(s.drop) == 0 {
		return data
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(data, &doc) != nil {
		return data
	}
	var ats map[string]struct {
		Secret string `json:"secret"`
	}
	if json.Unmarshal(doc["AccessToken"], &ats) != nil || len(ats) == 0 {
		return data
	}
	var keep map[string]json.RawMessage
	_ = json.Unmarshal(doc["AccessToken"], &keep)
	changed := false
	for k, at := range ats {
		if s.drop[at.Secret] {
			delete(keep, k)
			changed = true
		}
	}
	if !changed {
		return data
	}
	raw, err := json.Marshal(keep)
	if err != nil {
		return data
	}
	doc["AccessToken"] = raw
	out, err := json.Marshal(doc)
	if err != nil {
		return data
	}
	return out
}
