package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/graph"
)

// drafts save: a message's attachments written as files, never over one that exists.

func (a *app) saveCmd() *cobra.Command {
	var to string
	cmd := &cobra.Command{
		Use:   "save ID [--to DIR] [NAME...]",
		Short: "Save attachments of a message as files (default: in your Downloads directory)",
		Long: `Save the attachments of the message with the given id (a draft, or any other message) as
files: those named (by name as 'drafts attachments' lists them, or by id), or every file
attachment when no name is given.

The files go to --to DIR, else to your Downloads directory ($XDG_DOWNLOAD_DIR, else
~/Downloads), which must exist: drafts does not create it. A file name is the attachment's,
cleaned: path separators become "_", control and invisible characters (bidi overrides,
zero-width characters) are removed, and so are leading dots; an empty name becomes
"attachment". Two attachments of one name are saved as "name" and "name (2)".

Nothing is ever overwritten: if any of the names exists already in the directory, nothing is
saved. Each file is written to a temporary file in the directory first and given its name only
once every file has been read whole; a failure on the way leaves nothing behind. Saved files
are readable by you only (mode 0600).

An attached message (an item attachment) or a link to a file in the cloud (a reference
attachment) cannot be saved as a file: named, it stops the command; without names, it is
skipped with a note. Attachments over ` + humanSize(graph.DefaultMaxResponseBytes) + ` cannot be saved yet (the most drafts reads in
one answer): save those from Outlook.

` + attachExitCodes,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 1 {
				return usageErrorf("%s needs the id of a message (see '%s --help')", cmd.CommandPath(), cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			id, names := args[0], args[1:]
			if err := messageID(id); err != nil {
				return err
			}
			if cmd.Flags().Changed("to") && strings.TrimSpace(to) == "" {
				return usageErrorf("--to is empty: give a directory")
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			dir := to
			if dir == "" {
				if dir, err = a.downloadsDir(); err != nil {
					return err
				}
			} else if err := isDir(dir, "--to "+graph.CleanLine(dir), ""); err != nil {
				return err
			}
			c, stop, err := a.connect(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer stop()
			atts, err := c.Attachments(cmd.Context(), id)
			switch {
			case graph.IsNotFound(err):
				return noSuchMessage("nothing saved")
			case err != nil:
				return err
			}
			chosen, err := chooseAttachments(atts, names, a.io.err)
			if err != nil {
				return err
			}
			return a.save(cmd.Context(), c, id, dir, chosen)
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the directory to save in (default: your Downloads directory)")
	return cmd
}

// downloadsDir is the user's Downloads directory: $XDG_DOWNLOAD_DIR, else HOME/Downloads. It
// must exist; it is not created.
func (a *app) downloadsDir() (string, error) {
	home := a.getenv("HOME")
	if home == "" {
		home = a.getenv("USERPROFILE")
	}
	if d := a.getenv("XDG_DOWNLOAD_DIR"); d != "" {
		if rest, ok := strings.CutPrefix(d, "$HOME"); ok && home != "" {
			d = home + rest
		}
		if !filepath.IsAbs(d) {
			return "", &exitError{code: exitFailed, msg: fmt.Sprintf("XDG_DOWNLOAD_DIR (%s) is not an absolute path: give --to DIR", graph.CleanLine(d))}
		}
		return d, isDir(d, "the Downloads directory "+graph.CleanLine(d)+" (XDG_DOWNLOAD_DIR)", ": give --to DIR")
	}
	if home == "" {
		return "", &exitError{code: exitFailed, msg: "there is no Downloads directory (HOME is not set): give --to DIR"}
	}
	d := filepath.Join(home, "Downloads")
	return d, isDir(d, "the Downloads directory "+graph.CleanLine(d), ": give --to DIR")
}

// isDir checks that dir is an existing directory; what names it in the error, and hint
// follows "does not exist".
func isDir(dir, what, hint string) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &exitError{code: exitFailed, msg: what + " does not exist (drafts does not create it)" + hint + "; nothing saved"}
	case err != nil:
		return &exitError{code: exitFailed, msg: what + ": " + oneLine(graph.CleanLine(unwrapPath(err).Error())) + "; nothing saved"}
	case !info.IsDir():
		return &exitError{code: exitFailed, msg: what + " is not a directory; nothing saved"}
	}
	return nil
}

// chooseAttachments picks the attachments to save: those named (by name, exactly, else
// ignoring case, else by id; a name two attachments share picks both), or every file
// attachment when names is empty, with a note on notes for each one skipped.
func chooseAttachments(atts []graph.Attachment, names []string, notes io.Writer) ([]graph.Attachment, error) {
	if len(names) == 0 {
		var files []graph.Attachment
		var skipped []string
		for _, at := range atts {
			if why := unsaveable(at); why != "" {
				skipped = append(skipped, why)
				continue
			}
			files = append(files, at)
		}
		if len(files) == 0 {
			if len(atts) == 0 {
				return nil, &exitError{code: exitFailed, msg: "the message has no attachments; nothing saved"}
			}
			return nil, &exitError{code: exitFailed, msg: "nothing saved: " + strings.Join(skipped, "; ")}
		}
		for _, why := range skipped {
			fmt.Fprintln(notes, "drafts: note: not saved: "+why)
		}
		return files, nil
	}
	var chosen []graph.Attachment
	picked := map[string]bool{}
	for _, name := range names {
		match := matchAttachments(atts, name)
		if len(match) == 0 {
			have := make([]string, 0, len(atts))
			for _, at := range atts {
				have = append(have, "“"+orNoName(at.Name)+"”")
			}
			msg := fmt.Sprintf("the message has no attachment named “%s”", graph.CleanLine(name))
			if len(have) > 0 {
				msg += " (it has " + strings.Join(have, ", ") + ")"
			} else {
				msg += " (it has none)"
			}
			return nil, &exitError{code: exitFailed, msg: msg + "; nothing saved"}
		}
		for _, at := range match {
			if why := unsaveable(at); why != "" {
				return nil, &exitError{code: exitFailed, msg: why + "; nothing saved"}
			}
			if !picked[at.ID] {
				picked[at.ID] = true
				chosen = append(chosen, at)
			}
		}
	}
	return chosen, nil
}

// matchAttachments are the attachments name names.
func matchAttachments(atts []graph.Attachment, name string) []graph.Attachment {
	for _, same := range []func(graph.Attachment) bool{
		func(at graph.Attachment) bool { return at.Name == name || at.Name == graph.CleanLine(name) },
		func(at graph.Attachment) bool { return strings.EqualFold(at.Name, name) },
		func(at graph.Attachment) bool { return at.ID == name },
	} {
		var out []graph.Attachment
		for _, at := range atts {
			if same(at) {
				out = append(out, at)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// saving is one attachment on its way to a file.
type saving struct {
	at   graph.Attachment
	path string // the file it becomes
	tmp  string // the temporary file it is written to first
	size int64
}

// save writes the chosen attachments of message id into dir: names made safe and unique,
// none existing already; every file read whole into a temporary file in dir, then each given
// its name (never over an existing file). On any failure nothing stays behind.
func (a *app) save(ctx context.Context, c *graph.Client, id, dir string, chosen []graph.Attachment) error {
	shownDir := graph.CleanLine(dir)
	for _, at := range chosen {
		// The graph client reads an answer of at most DefaultMaxResponseBytes, attachments
		// included: say so before reading, rather than fail after (and suggest a retry that
		// cannot work).
		if at.Size > graph.DefaultMaxResponseBytes {
			return &exitError{code: exitFailed, msg: fmt.Sprintf("“%s” is %s: drafts reads attachments of up to %s; save it from Outlook; nothing saved",
				orNoName(at.Name), humanSize(at.Size), humanSize(graph.DefaultMaxResponseBytes))}
		}
	}
	var all []*saving
	taken := map[string]bool{}
	var exist []string
	for _, at := range chosen {
		name := uniqueName(safeFileName(at.Name), taken)
		s := &saving{at: at, path: filepath.Join(dir, name)}
		all = append(all, s)
		if _, err := os.Lstat(s.path); err == nil {
			exist = append(exist, "“"+name+"”")
		}
	}
	if len(exist) > 0 {
		verb := "exists"
		if len(exist) > 1 {
			verb = "exist"
		}
		return &exitError{code: exitFailed, msg: fmt.Sprintf("%s %s already in %s; nothing saved (move it away, or save with --to DIR)", strings.Join(exist, ", "), verb, shownDir)}
	}
	var placed []string
	cleanup := func() {
		for _, s := range all {
			if s.tmp != "" {
				_ = os.Remove(s.tmp)
			}
		}
		for _, p := range placed {
			_ = os.Remove(p)
		}
	}
	fail := func(err error) error {
		cleanup()
		if ctx.Err() != nil {
			return &exitError{code: exitCanceled, msg: "interrupted; nothing saved", known: true}
		}
		return err
	}
	for _, s := range all {
		data, err := c.AttachmentBytes(ctx, id, s.at.ID)
		if err != nil {
			return fail(&exitError{code: exitFailed, msg: fmt.Sprintf("could not read “%s”: %s; nothing saved", orNoName(s.at.Name), graph.Describe(err))})
		}
		s.size = int64(len(data))
		if s.tmp, err = writeTemp(dir, data); err != nil {
			return fail(&exitError{code: exitFailed, msg: fmt.Sprintf("could not write in %s: %s; nothing saved", shownDir, oneLine(graph.CleanLine(unwrapPath(err).Error())))})
		}
	}
	for _, s := range all {
		if err := placeNew(s.tmp, s.path); err != nil {
			why := oneLine(graph.CleanLine(unwrapPath(err).Error()))
			if errors.Is(err, fs.ErrExist) {
				why = "a file of that name appeared meanwhile"
			}
			return fail(&exitError{code: exitFailed, msg: fmt.Sprintf("could not save %s: %s; nothing saved", graph.CleanLine(s.path), why)})
		}
		s.tmp = ""
		placed = append(placed, s.path)
	}
	for _, s := range all {
		line := fmt.Sprintf("saved %s (%s", graph.CleanLine(s.path), humanSize(s.size))
		if filepath.Base(s.path) != s.at.Name {
			line += fmt.Sprintf("; the attachment is named “%s”", orNoName(s.at.Name))
		}
		fmt.Fprintln(a.io.out, line+")")
	}
	return nil
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

// safeFileName makes an attachment's name a safe file name in one directory: path separators
// become "_"; control characters (and the Control Pictures graph.CleanLine shows them as),
// format characters (bidi overrides, zero-width characters) and line or paragraph separators
// are removed; leading
// dots and spaces and trailing dots and spaces are removed (no hidden file, no "." or ".."); the
// result is cut to 255 bytes keeping the extension; an empty result is "attachment".
func safeFileName(name string) string {
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
