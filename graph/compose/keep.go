package compose

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/draftsmail/drafts/graph/privfile"
)

// Keeper keeps what the user typed for a draft in a private file (0600 in a 0700 directory,
// written atomically) from the moment the editor closes until the draft is saved, so that a
// refused save, a conflict or a crash never loses it: the next edit of the draft offers it back.
type Keeper struct{ dir string }

// OpenKeeper opens the keeper in dir (the cache directory's "edits"); hint says how to choose
// another directory, for errors.
func OpenKeeper(dir, hint string) (*Keeper, error) {
	if dir == "" {
		return nil, errors.New("no directory to keep edits in: " + hint)
	}
	d := filepath.Join(dir, "edits")
	if _, err := privfile.PrepareDir(d, nil, "the kept edits", hint); err != nil {
		return nil, err
	}
	return &Keeper{dir: d}, nil
}

// path is the file of the draft id ("new" for a draft not created yet).
func (k *Keeper) path(id string) string {
	sum := sha256.Sum256([]byte(id))
	return filepath.Join(k.dir, hex.EncodeToString(sum[:12])+".txt")
}

// Kept counts the drafts whose text is kept in the cache directory dir (its own file, or one an
// editor left open): 'drafts logout' names them, since they are the user's, not the account's,
// and signing out leaves them. It returns their directory too; none for no dir.
func Kept(dir string) (n int, edits string) {
	if dir == "" {
		return 0, ""
	}
	edits = filepath.Join(dir, "edits")
	texts, _ := filepath.Glob(filepath.Join(edits, "*.txt"))
	drafts := map[string]bool{}
	for _, t := range texts {
		if fi, err := os.Lstat(t); err == nil && fi.Mode().IsRegular() {
			drafts[strings.TrimSuffix(t, ".edit.txt")] = true
		}
	}
	return len(drafts), edits
}

// Path is where the text for the draft id is kept (to tell the user).
func (k *Keeper) Path(id string) string { return k.path(id) }

// Save keeps text for the draft id.
func (k *Keeper) Save(id string, text []byte) error { return privfile.WriteAtomic(k.path(id), text) }

// EditorFile is the file an editor works on for the draft id. It is removed once what the
// editor left is kept; one still there was left by an editor that never closed normally (drafts
// was killed, or crashed, with it open), and holds the user's latest text.
func (k *Keeper) EditorFile(id string) string { return k.path(id) + ".edit.txt" }

// LockEditor takes the draft's editor lock, held while an editor is open on its text, so that
// two drafts processes never edit one draft's text at once: ok is false when another holds it.
//
// The lock file is removed when the lock is given up, so none is left behind. A process that
// opened the file just before it was removed can then lock a file no longer there, which locks
// nothing; so a lock counts only when the path still names the file locked, else it is taken
// again on the new one.
func (k *Keeper) LockEditor(id string) (unlock func(), ok bool, err error) {
	p := k.path(id) + ".edit.lock"
	for range 3 {
		fl := flock.New(p)
		if ok, err = fl.TryLock(); err != nil || !ok {
			_ = fl.Close()
			return nil, false, err
		}
		held, herr := fl.Stat()
		named, nerr := os.Lstat(p)
		if herr == nil && nerr == nil && os.SameFile(held, named) {
			return func() {
				if runtime.GOOS == "windows" {
					// An open file cannot be removed there: once closed, removing it fails
					// while anyone else has it open, so no lock is lost.
					_ = fl.Unlock()
					_ = fl.Close()
					_ = os.Remove(p)
					return
				}
				_ = os.Remove(p) // while still held: nobody can lock it in between
				_ = fl.Unlock()
				_ = fl.Close()
			}, true, nil
		}
		_ = fl.Unlock()
		_ = fl.Close()
	}
	return nil, false, nil // another process keeps taking and giving it up: busy
}

// Load returns the text kept for the draft id, and when it was kept; ok is false when there is
// none. The text an editor left that never closed normally comes first: it is the newest.
func (k *Keeper) Load(id string) (text []byte, at time.Time, ok bool) {
	if b, at, ok := readRegular(k.EditorFile(id)); ok && len(bytes.TrimSpace(b)) > 0 {
		return b, at, true
	}
	return readRegular(k.path(id))
}

// readRegular reads a regular file (never through a link), with its time.
func readRegular(p string) (text []byte, at time.Time, ok bool) {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return nil, time.Time{}, false
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, time.Time{}, false
	}
	return b, fi.ModTime(), true
}

// SaveVersion notes the version (etag) of the draft the kept text was written against, so that
// a later edit — in this run or another — knows whether the draft changed since.
func (k *Keeper) SaveVersion(id, etag string) error {
	return privfile.WriteAtomic(k.path(id)+".etag", []byte(etag))
}

// Version is the etag SaveVersion noted for the draft id, or "".
func (k *Keeper) Version(id string) string {
	b, err := os.ReadFile(k.path(id) + ".etag")
	if err != nil {
		return ""
	}
	return string(b)
}

// Drop forgets the text kept for the draft id: it was saved, or the user dropped it.
func (k *Keeper) Drop(id string) error {
	_ = os.Remove(k.path(id) + ".etag")
	_ = os.Remove(k.EditorFile(id))
	if err := os.Remove(k.path(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
