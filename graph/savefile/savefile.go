// Package savefile writes attachments as files in a directory: names made safe (no path
// separators, control or format characters, hidden or dot names) and unique, never over a
// file that exists, each written whole to a temporary file first, and nothing left behind when
// one fails. The command line's 'drafts save' and the screen's save key both use it.
package savefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// File is one file to save: its name (as the attachment has it) and a way to read its bytes.
type File struct {
	Name string
	Read func() ([]byte, error)
}

// Saved is a file written: where, and its size.
type Saved struct {
	Name string // the attachment's name
	Path string
	Size int64
}

// ExistsError names the files that exist already: nothing was saved.
type ExistsError struct{ Names []string }

func (e *ExistsError) Error() string {
	verb := "exists"
	if len(e.Names) > 1 {
		verb = "exist"
	}
	quoted := make([]string, len(e.Names))
	for i, n := range e.Names {
		quoted[i] = "“" + n + "”"
	}
	return strings.Join(quoted, ", ") + " " + verb + " already"
}

// ReadError is a file whose bytes could not be read: nothing was saved.
type ReadError struct {
	Name string
	Err  error
}

func (e *ReadError) Error() string { return "could not read “" + e.Name + "”: " + e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

// Paths are the paths the files would get in dir (safe, unique names), and the names among them
// that exist already.
func Paths(dir string, names []string) (paths, exist []string) {
	taken := map[string]bool{}
	for _, n := range names {
		name := uniqueName(SafeName(n), taken)
		p := filepath.Join(dir, name)
		paths = append(paths, p)
		if _, err := os.Lstat(p); err == nil {
			exist = append(exist, name)
		}
	}
	return paths, exist
}

// SaveAll writes files into dir. If a name exists already, nothing is saved (*ExistsError). Every
// file is read and written to a temporary file first, then given its name without replacing
// anything; on any failure, everything written is removed.
func SaveAll(dir string, files []File) ([]Saved, error) {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	paths, exist := Paths(dir, names)
	if len(exist) > 0 {
		return nil, &ExistsError{Names: exist}
	}
	tmps := make([]string, len(files))
	var placed []string
	cleanup := func() {
		for _, t := range tmps {
			if t != "" {
				_ = os.Remove(t)
			}
		}
		for _, p := range placed {
			_ = os.Remove(p)
		}
	}
	out := make([]Saved, len(files))
	for i, f := range files {
		data, err := f.Read()
		if err != nil {
			cleanup()
			return nil, &ReadError{Name: f.Name, Err: err}
		}
		if tmps[i], err = writeTemp(dir, data); err != nil {
			cleanup()
			return nil, err
		}
		out[i] = Saved{Name: f.Name, Path: paths[i], Size: int64(len(data))}
	}
	for i := range files {
		if err := placeNew(tmps[i], paths[i]); err != nil {
			cleanup()
			return nil, err
		}
		tmps[i] = ""
		placed = append(placed, paths[i])
	}
	return out, nil
}

// writeTemp writes data to a new private temporary file in dir and returns its path.
func writeTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, ".drafts-save-*.part")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// placeNew gives the temporary file tmp the name path, never replacing a file there: a hard
// link fails if path exists. Where the file system has no hard links, path is checked, then
// tmp renamed.
func placeNew(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		_ = os.Remove(tmp)
		return nil
	case errors.Is(err, fs.ErrExist):
		return err
	}
	if _, err := os.Lstat(path); err == nil {
		return &fs.PathError{Op: "save", Path: path, Err: fs.ErrExist}
	}
	return os.Rename(tmp, path)
}

// maxFileName is the longest file name most file systems take, in bytes.
const maxFileName = 255

// SafeName makes an attachment's name a safe file name in one directory: path separators
// become "_"; control characters (and the Control Pictures graph.CleanLine shows them as),
// format characters (bidi overrides, zero-width characters) and line or paragraph separators
// are removed; leading
// dots and spaces and trailing dots and spaces are removed (no hidden file, no "." or ".."); the
// result is cut to 255 bytes keeping the extension; an empty result is "attachment".
func SafeName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '/' || r == '\\':
			b.WriteRune('_')
		case unicode.IsControl(r), unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp),
			r >= 0x2400 && r <= 0x2421: // Control Pictures, as graph.CleanLine shows C0 controls
		default:
			b.WriteRune(r)
		}
	}
	s := strings.TrimLeft(b.String(), ". \t")
	s = strings.TrimRight(s, ". \t")
	if len(s) > maxFileName {
		ext := filepath.Ext(s)
		if len(ext) > 16 || len(ext) == len(s) {
			ext = ""
		}
		s = cutBytes(s[:len(s)-len(ext)], maxFileName-len(ext)) + ext
		s = strings.TrimRight(s, ". \t")
	}
	if s == "" {
		return "attachment"
	}
	return s
}

// cutBytes cuts s to at most n bytes, at a rune boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// uniqueName is name, or "name (2).ext", "name (3).ext"… when taken (ignoring case, as some
// file systems do) has it already; the name returned is added to taken.
func uniqueName(name string, taken map[string]bool) string {
	ext := filepath.Ext(name)
	if ext == name {
		ext = ""
	}
	stem := strings.TrimSuffix(name, ext)
	out := name
	for i := 2; taken[strings.ToLower(out)]; i++ {
		out = fmt.Sprintf("%s (%d)%s", stem, i, ext)
	}
	taken[strings.ToLower(out)] = true
	return out
}
