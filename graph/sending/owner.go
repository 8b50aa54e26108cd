package sending

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofrs/flock"
)

// Every process that records a send holds an owner lock for as long as it has entries in the
// journal: a file "sends-owner-ID.lock" in the journal's directory, locked with flock. The
// kernel releases the lock when the process ends, however it ends, so another process can
// tell a live owner (the lock is taken) from a dead one (it can take the lock) without
// trusting process ids, which are reused. Only a dead owner's entries are settled by others.

// ownerPrefix names the owner lock files.
const ownerPrefix = "sends-owner-"

// owner is this process's hold on its owner lock.
type owner struct {
	id   string
	lock *flock.Flock
}

// ownerPath is the lock file of owner id.
func (j *File) ownerPath(id string) string {
	return filepath.Join(j.dir, ownerPrefix+id+".lock")
}

// own returns this process's owner id, taking its owner lock on first use. j.mu is held.
func (j *File) own() (string, error) {
	if j.me != nil {
		return j.me.id, nil
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := hex.EncodeToString(b)
	fl := flock.New(j.ownerPath(id), flock.SetFlag(os.O_CREATE|os.O_RDWR), flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil || !ok {
		_ = fl.Close()
		return "", fmt.Errorf("cannot take the owner lock of the send journal in %s (%v)", j.dir, err)
	}
	j.me = &owner{id: id, lock: fl}
	return id, nil
}

// release gives up the owner lock once this process has no entries left. j.mu is held.
func (j *File) release(entries []Entry) {
	if j.me == nil {
		return
	}
	for _, e := range entries {
		if e.Owner == j.me.id {
			return
		}
	}
	path := j.me.lock.Path()
	_ = os.Remove(path) // first, so that nobody takes a lock on a file about to go
	_ = j.me.lock.Unlock()
	_ = j.me.lock.Close()
	j.me = nil
}

// alive reports whether the process that owns entries recorded as id still runs. Entries of
// an older format, with no owner, are from a run that is over. A lock that cannot be tested
// is taken as alive: never settle what may be in flight.
func (j *File) alive(id string) bool {
	switch {
	case id == "":
		return false
	case j.me != nil && id == j.me.id:
		return true
	case strings.ContainsAny(id, `/\.`):
		return false // not an id this program writes
	}
	path := j.ownerPath(id)
	if _, err := os.Lstat(path); os.IsNotExist(err) {
		return false
	}
	fl := flock.New(path, flock.SetFlag(os.O_RDWR))
	ok, err := fl.TryLock()
	if err != nil {
		_ = fl.Close()
		return os.IsNotExist(err) == false
	}
	if !ok {
		_ = fl.Close()
		return true
	}
	_ = os.Remove(path) // its owner is gone
	_ = fl.Unlock()
	_ = fl.Close()
	return false
}
