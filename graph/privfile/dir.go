// Package privfile keeps private files: a 0700 directory of 0600 files, replaced atomically and
// guarded by lock files, so that several drafts processes never corrupt or lose each other's
// writes. The token cache (config) and the send journal (graph/sending) use it. It lives under
// graph/ because the send journal does, and graph/ may not import config.
package privfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
)

// PrepareDir makes dir (0700) if needed and checks that it and the
// files in it that exist are what they claim: a real directory (not a
// symbolic link) and regular files, with no permission for others, which
// it removes if present. what names them in errors ("the token cache"); hint
// says how to choose another directory ("set DRAFTS_CACHE_DIR").
// It returns a note for each permission it tightened.
func PrepareDir(dir string, files []string, what, hint string) (notes []string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the directory of %s %s: %w", what, dir, err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return nil, fmt.Errorf("the directory of %s %s: %w", what, dir, err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 || !fi.IsDir() {
		return nil, fmt.Errorf("the directory of %s %s is not a real directory (a symbolic link?); drafts keeps it only in a real directory: remove it or %s", what, dir, hint)
	}
	tighten := func(path string, mode, want fs.FileMode) error {
		note, err := tightenTo(path, mode, want)
		if note != "" {
			notes = append(notes, note)
		}
		return err
	}
	if err := tighten(dir, fi.Mode(), 0o700); err != nil {
		return notes, err
	}
	for _, p := range files {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return notes, fmt.Errorf("%s %s: %w", what, p, err)
		}
		if !fi.Mode().IsRegular() {
			return notes, fmt.Errorf("%s %s is not a regular file (a link?); remove it", what, p)
		}
		if err := tighten(p, fi.Mode(), 0o600); err != nil {
			return notes, err
		}
	}
	return notes, nil
}

// tightenTo removes any permission of path beyond want, and says so in a
// note when it did.
func tightenTo(path string, mode fs.FileMode, want fs.FileMode) (note string, err error) {
	perm := mode.Perm()
	if runtime.GOOS == "windows" || perm&^want == 0 {
		return "", nil
	}
	if err := os.Chmod(path, perm&want); err != nil {
		return "", fmt.Errorf("%s can be read by others (mode %04o) and cannot be made private: %w", path, perm, err)
	}
	return fmt.Sprintf("tightened %s from mode %04o to %04o", path, perm, perm&want), nil
}
