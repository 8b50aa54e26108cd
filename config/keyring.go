package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// Keyring is the OS secret store: macOS Keychain, Windows Credential
// Manager, or a Secret Service (GNOME Keyring, KWallet) on Linux and BSD.
// drafts keeps one small item in it: the key that encrypts the token cache
// file. (A whole token cache is several kilobytes, more than Windows
// Credential Manager and the macOS security tool accept for one item.)
type Keyring interface {
	// Get returns the secret, or ErrNotInKeyring.
	Get(service, user string) (string, error)
	// Set stores the secret, replacing any old one.
	Set(service, user, secret string) error
	// Delete removes the secret; ErrNotInKeyring if there was none.
	Delete(service, user string) error
}

// ErrNotInKeyring is returned by a Keyring that answered but has no such
// item.
var ErrNotInKeyring = errors.New("not in the keyring")

// DefaultKeyringTimeout bounds every keyring call: a locked keyring may
// wait for a password prompt nobody sees, and a broken D-Bus may hang.
const DefaultKeyringTimeout = 3 * time.Second

// keyringService is the service name of drafts' item in the keyring.
const keyringService = "drafts"

// OSKeyring is the keyring of the operating system, through
// github.com/zalando/go-keyring.
type OSKeyring struct{}

// Get implements Keyring.
func (OSKeyring) Get(service, user string) (string, error) {
	if err := secretServiceReachable(); err != nil {
		return "", err
	}
	s, err := gokeyring.Get(service, user)
	if errors.Is(err, gokeyring.ErrNotFound) {
		return "", ErrNotInKeyring
	}
	return s, err
}

// Set implements Keyring.
func (OSKeyring) Set(service, user, secret string) error {
	if err := secretServiceReachable(); err != nil {
		return err
	}
	return gokeyring.Set(service, user, secret)
}

// Delete implements Keyring.
func (OSKeyring) Delete(service, user string) error {
	if err := secretServiceReachable(); err != nil {
		return err
	}
	err := gokeyring.Delete(service, user)
	if errors.Is(err, gokeyring.ErrNotFound) {
		return ErrNotInKeyring
	}
	return err
}

// secretServiceReachable checks, on systems that use the Secret Service,
// that there is a D-Bus session bus at all. Without one, the D-Bus library
// would run dbus-launch and start a new bus daemon just to find no keyring
// in it, which is slow and leaves a process behind.
func secretServiceReachable() error {
	switch runtime.GOOS {
	case "windows", "darwin", "ios":
		return nil
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return nil
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = fmt.Sprintf("/run/user/%d", os.Getuid())
	}
	if _, err := os.Stat(filepath.Join(dir, "bus")); err == nil {
		return nil
	}
	return errors.New("no D-Bus session bus, so no Secret Service (GNOME Keyring or KWallet) to ask")
}

// errKeyringTimeout is returned when the keyring did not answer in time.
type errKeyringTimeout struct{ d time.Duration }

func (e errKeyringTimeout) Error() string {
	return fmt.Sprintf("the OS keyring did not answer within %s (is it locked, or waiting for a password prompt?)", e.d)
}

// bounded runs f with a time limit, or until ctx ends. A call that does not
// return in time is abandoned (keyring libraries cannot be cancelled); its
// result is dropped.
func bounded[T any](ctx context.Context, d time.Duration, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-t.C:
		var zero T
		return zero, errKeyringTimeout{d}
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
