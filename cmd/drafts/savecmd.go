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

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/savefile"
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
			atts, err := attachmentsOf(cmd.Context(), c, id, "nothing saved")
			if err != nil {
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

// save writes the chosen attachments of message id into dir (graph/savefile): names made safe
// and unique, none existing already; every file read whole first; on any failure nothing stays
// behind.
func (a *app) save(ctx context.Context, c *graph.Client, id, dir string, chosen []graph.Attachment) error {
	shownDir := graph.CleanLine(dir)
	files := make([]savefile.File, len(chosen))
	for i, at := range chosen {
		// The graph client reads an answer of at most DefaultMaxResponseBytes, attachments
		// included: say so before reading, rather than fail after (and suggest a retry that
		// cannot work).
		if at.Size > graph.DefaultMaxResponseBytes {
			return &exitError{code: exitFailed, msg: fmt.Sprintf("“%s” is %s: drafts reads attachments of up to %s; save it from Outlook; nothing saved",
				orNoName(at.Name), humanSize(at.Size), humanSize(graph.DefaultMaxResponseBytes))}
		}
		attID := at.ID
		files[i] = savefile.File{Name: at.Name, Read: func() ([]byte, error) { return c.AttachmentBytes(ctx, id, attID) }}
	}
	saved, err := savefile.SaveAll(dir, files)
	var exists *savefile.ExistsError
	switch {
	case errors.As(err, &exists):
		return &exitError{code: exitFailed, msg: fmt.Sprintf("%s in %s; nothing saved (move it away, or save with --to DIR)", exists.Error(), shownDir)}
	case err != nil && ctx.Err() != nil:
		return &exitError{code: exitCanceled, msg: "interrupted; nothing saved", known: true}
	case errors.Is(err, fs.ErrExist):
		return &exitError{code: exitFailed, msg: fmt.Sprintf("could not save in %s: a file of that name appeared meanwhile; nothing saved", shownDir)}
	case err != nil:
		return &exitError{code: exitFailed, msg: fmt.Sprintf("%s; nothing saved", oneLine(graph.CleanLine(describeSaveError(err))))}
	}
	for _, s := range saved {
		line := fmt.Sprintf("saved %s (%s", graph.CleanLine(s.Path), humanSize(s.Size))
		if filepath.Base(s.Path) != s.Name {
			line += fmt.Sprintf("; the attachment is named “%s”", orNoName(s.Name))
		}
		fmt.Fprintln(a.io.out, line+")")
	}
	return nil
}

// describeSaveError says what went wrong saving: a Graph error in words, a file error without
// the temporary file's name.
func describeSaveError(err error) string {
	var re *savefile.ReadError
	if errors.As(err, &re) {
		return "could not read “" + orNoName(re.Name) + "”: " + graph.Describe(re.Err)
	}
	return "could not write the files: " + unwrapPath(err).Error()
}
