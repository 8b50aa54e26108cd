package privfile

import (
	"context"
	"fmt"
	"time"

	"github.com/gofrs/flock"
)

// Lock takes the lock file at path, shared for reading or exclusive for
// writing, waiting at most timeout; what names the protected file in
// errors ("the token cache"). If ctx ends first, it returns ctx's error.
// The returned function releases the lock.
func Lock(ctx context.Context, path, what string, timeout time.Duration, exclusive bool) (func(), error) {
	lctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fl := flock.New(path)
	try := fl.TryRLockContext
	if exclusive {
		try = fl.TryLockContext
	}
	ok, err := try(lctx, 10*time.Millisecond)
	if ok && err == nil {
		return func() { _ = fl.Unlock(); _ = fl.Close() }, nil
	}
	_ = fl.Close()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil && lctx.Err() == nil:
		return nil, fmt.Errorf("cannot lock %s (%s): %w", what, path, err)
	}
	return nil, fmt.Errorf("another drafts process has held the lock of %s (%s) for %s; try again when it is done", what, path, timeout)
}

// DefaultLockTimeout is how long a writer waits for another process's lock before giving up.
const DefaultLockTimeout = 10 * time.Second
