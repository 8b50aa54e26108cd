package compose

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

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

// Path is where the text for the draft id is kept (to tell the user).
func (k *Keeper) Path(id string) string { return k.path(id) }

// Save keeps text for the draft id.
func (k *Keeper) Save(id string, text []byte) error { return privfile.WriteAtomic(k.path(id), text) }

// Load returns the text kept for the draft id, and when it was kept; ok is false when there is
// none.
func (k *Keeper) Load(id string) (text []byte, at time.Time, ok bool) {
	p := k.path(id)
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
	if err := os.Remove(k.path(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
