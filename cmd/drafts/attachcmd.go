package main

// drafts attachments, attach and save: the attachments of a message, listed, added to a draft,
// and saved as files.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/draftsmail/drafts/graph"
)

const attachExitCodes = `Exit codes:
    0  done
    1  not done: a missing or unreadable file, a file over the limit, no such message or
       attachment, a name that exists already, Graph refused, or another failure
    2  bad flags or arguments, or a bad settings file or DRAFTS_* variable
  130  interrupted by Ctrl-C`

// noSuchMessage is the error of a message id Graph does not know.
func noSuchMessage(what string) error {
	return &exitError{code: exitFailed, msg: "there is no such message (it may have been sent, moved or deleted elsewhere; 'drafts list' gives the ids of the drafts); " + what}
}

// attachmentsOf lists the attachments of message id; a message that is not there says so, and
// what was not done.
func attachmentsOf(ctx context.Context, c *graph.Client, id, notDone string) ([]graph.Attachment, error) {
	atts, err := c.Attachments(ctx, id)
	if graph.IsNotFound(err) {
		return nil, noSuchMessage(notDone)
	}
	return atts, err
}

// messageID checks the MESSAGE_ID argument.
func messageID(id string) error { return idArg("message", id) }

// idArg checks an id argument: an empty one is a usage error, before anything is asked of Graph.
func idArg(what, id string) error {
	if strings.TrimSpace(id) == "" {
		return usageErrorf("the %s id is empty: give one from 'drafts list'", what)
	}
	return nil
}

func (a *app) attachmentsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "attachments ID [--json]",
		Short: "List the attachments of a message: name, kind, type and size",
		Long: `List the attachments of the message with the given id (a draft, or any other message): the
name, the kind, the content type and the size of each.

The kinds: "file" (a file, which 'drafts save' saves), "inline" (a file shown in the body, such
as an image; also saved), "message" (an attached mail message, which cannot be saved as a file:
open it in Outlook) and "link" (a link to a file in the cloud: open it in Outlook).

--json prints an array of {"id", "name", "contentType", "size", "kind", "inline"}, kind being
Graph's: "file", "item" (an attached message) or "reference" (a link).

` + attachExitCodes,
		Args: exactArgs(1, "the id of one message"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			if err := messageID(id); err != nil {
				return err
			}
			_, c, stop, err := a.client(cmd.Context())
			if err != nil {
				return err
			}
			defer stop()
			atts, err := attachmentsOf(cmd.Context(), c, id, "nothing to list")
			if err != nil {
				return err
			}
			if asJSON {
				type attachmentJSON struct {
					ID          string `json:"id"`
					Name        string `json:"name"`
					ContentType string `json:"contentType"`
					Size        int64  `json:"size"`
					Kind        string `json:"kind"`
					Inline      bool   `json:"inline"`
				}
				out := make([]attachmentJSON, 0, len(atts))
				for _, at := range atts {
					out = append(out, attachmentJSON{at.ID, at.Name, at.ContentType, at.Size, at.Kind, at.IsInline})
				}
				enc := json.NewEncoder(a.io.out)
				enc.SetEscapeHTML(false)
				return enc.Encode(out)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "%s  %s  %s  %9s\n", pad("NAME", 40), pad("KIND", 7), pad("TYPE", 28), "SIZE")
			for _, at := range atts {
				fmt.Fprintf(&b, "%s  %s  %s  %9s\n", pad(orNoName(at.Name), 40), pad(kindWord(at), 7), pad(typeWord(at), 28), humanSize(at.Size))
			}
			if len(atts) == 0 {
				b.WriteString("(no attachments)\n")
			}
			_, err = io.WriteString(a.io.out, b.String())
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the attachments as a JSON array")
	return cmd
}

// kindWord is the kind of an attachment as the table says it.
func kindWord(at graph.Attachment) string {
	switch {
	case at.Kind == "item":
		return "message"
	case at.Kind == "reference":
		return "link"
	case at.IsInline:
		return "inline"
	case at.Kind == "file":
		return "file"
	}
	return at.Kind
}

func typeWord(at graph.Attachment) string {
	if at.ContentType == "" {
		return "-"
	}
	return at.ContentType
}

func orNoName(name string) string {
	if strings.TrimSpace(name) == "" {
		return "(no name)"
	}
	return name
}

// unsaveable is why an attachment that is not a file cannot be saved, or "".
func unsaveable(at graph.Attachment) string {
	switch at.Kind {
	case "file":
		return ""
	case "item":
		return fmt.Sprintf("“%s” is an attached message (an item attachment), which cannot be saved as a file: open it in Outlook", orNoName(at.Name))
	case "reference":
		return fmt.Sprintf("“%s” is a link to a file in the cloud (a reference attachment), not a file: open it in Outlook", orNoName(at.Name))
	}
	return fmt.Sprintf("“%s” is not a file (a %q attachment) and cannot be saved as one", orNoName(at.Name), at.Kind)
}

// humanSize is a size in bytes as people read it: 812 B, 4.2 KB, 12 KB, 3.3 MB (units of 1024,
// as Outlook shows them).
func humanSize(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	v, units := float64(n)/1024, []string{"KB", "MB", "GB", "TB"}
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v < 10 {
		return fmt.Sprintf("%.1f %s", v, units[i])
	}
	return fmt.Sprintf("%.0f %s", v, units[i])
}

// localFile is a file read for attach.
type localFile struct {
	path        string // as given
	name        string // the attachment's name: the file's base name
	contentType string
	data        []byte
}

// show is the file as messages name it: its name, safe to print.
func (f localFile) show() string { return "“" + graph.CleanLine(f.name) + "”" }

// readAttachFiles reads every file whole, or fails on the first that cannot be attached: it
// is missing, unreadable, a directory, or over Graph's limit (alone or all together). A pipe is
// read too ('drafts attach ID <(make-report)'); one nobody writes to waits until Ctrl-C.
func readAttachFiles(ctx context.Context, paths []string) ([]localFile, error) {
	limit := humanSize(graph.MaxAttachment)
	fail := func(format string, args ...any) error {
		return &exitError{code: exitFailed, msg: fmt.Sprintf(format, args...) + "; nothing attached"}
	}
	var files []localFile
	var total int64
	for _, p := range paths {
		shown := graph.CleanLine(p)
		if strings.TrimSpace(p) == "" {
			return nil, usageErrorf("a file name is empty")
		}
		info, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fail("%s: no such file", shown)
		case errors.Is(err, fs.ErrPermission):
			return nil, fail("%s: cannot read it (permission denied)", shown)
		case err != nil:
			return nil, fail("%s: %s", shown, oneLine(graph.CleanLine(unwrapPath(err).Error())))
		case info.IsDir():
			return nil, fail("%s is a directory, not a file", shown)
		case info.Mode()&(fs.ModeDevice|fs.ModeSocket) != 0:
			return nil, fail("%s is a device, not a file", shown)
		case info.Mode().IsRegular() && info.Size() > graph.MaxAttachment:
			return nil, fail("%s is %s, over the %s Graph takes as an attachment", shown, humanSize(info.Size()), limit)
		}
		data, err := readAtMost(ctx, p, graph.MaxAttachment)
		switch {
		case ctx.Err() != nil:
			return nil, &exitError{code: exitCanceled, msg: "interrupted while reading " + shown + "; nothing attached", known: true}
		case errors.Is(err, fs.ErrPermission):
			return nil, fail("%s: cannot read it (permission denied)", shown)
		case errors.Is(err, errOverLimit):
			return nil, fail("%s is over the %s Graph takes as an attachment", shown, limit)
		case err != nil:
			return nil, fail("%s: cannot read it (%s)", shown, oneLine(graph.CleanLine(unwrapPath(err).Error())))
		}
		total += int64(len(data))
		if total > graph.MaxAttachment {
			return nil, fail("the files add up to more than the %s Graph takes in one message", limit)
		}
		ct := mime.TypeByExtension(strings.ToLower(filepath.Ext(p)))
		if ct == "" {
			ct = "application/octet-stream"
		}
		name := filepath.Base(p)
		for _, f := range files {
			if f.name == name {
				return nil, fail("two of the files are named %s: a draft's files need names of their own", graph.CleanLine(name))
			}
		}
		files = append(files, localFile{path: p, name: name, contentType: ct, data: data})
	}
	return files, nil
}

var errOverLimit = errors.New("over the limit")

// readAtMost reads the file at p whole, or fails with errOverLimit past limit bytes.
func readAtMost(ctx context.Context, p string, limit int64) ([]byte, error) {
	type read struct {
		data []byte
		err  error
	}
	done := make(chan read, 1)
	go func() { // opening a pipe waits for a writer, and no read can be cancelled
		f, err := os.Open(p)
		if err != nil {
			done <- read{err: err}
			return
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, limit+1))
		done <- read{data, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err() // the reader is left behind: the command ends
	case r := <-done:
		if r.err != nil {
			return nil, r.err
		}
		if int64(len(r.data)) > limit {
			return nil, errOverLimit
		}
		return r.data, nil
	}
}

// unwrapPath is the cause of a *fs.PathError (whose path the message names already).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (a *app) attachCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "attach ID FILE...",
		Short: "Attach files to a draft",
		Long: `Attach one or more files to the draft with the given id (see 'drafts list'), in the order
given. Each file is attached under its own name, with a content type from its extension.

Every file is read whole first: a missing or unreadable file, a directory or a device, two
files of one name, or a file over the ` + humanSize(graph.MaxAttachment) + ` Graph takes as an attachment stops the
command before anything is sent. A pipe is read to its end (Ctrl-C stops the wait). A file
up to 3 MB goes in one request; a larger one through an upload session, in ranges, with its
progress shown on a terminal. A file is attached whole or not at all (a failed upload session
is cancelled). If one fails, the files after it are not tried, and the last line says which
were attached and which were not. If Graph's answer was lost on the way, drafts looks at the
draft's attachments and says what is true.

` + attachExitCodes,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usageErrorf("%s needs the id of a draft and at least one file (see '%s --help')", cmd.CommandPath(), cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			if err := messageID(id); err != nil {
				return err
			}
			files, err := readAttachFiles(cmd.Context(), args[1:])
			if err != nil {
				return err
			}
			_, c, stop, err := a.client(cmd.Context())
			if err != nil {
				return err
			}
			defer stop()
			return a.attach(cmd.Context(), c, id, files)
		},
	}
	return cmd
}

// attach attaches files to draft id in order, and stops at the first that fails.
func (a *app) attach(ctx context.Context, c *graph.Client, id string, files []localFile) error {
	d, err := c.Message(ctx, id)
	switch {
	case graph.IsNotFound(err):
		return &exitError{code: exitFailed, msg: "there is no such draft (it may have been sent, moved or deleted elsewhere); nothing attached"}
	case err != nil:
		return err
	case !d.IsDraft:
		return &exitError{code: exitFailed, msg: "that message is not a draft; nothing attached (make a draft of it with 'drafts reply' or 'drafts forward')"}
	}
	before, err := c.Attachments(ctx, id)
	if err != nil {
		return err
	}
	var done []string
	for i, f := range files {
		progress, finish := a.attachProgress(f)
		err := c.Attach(ctx, id, f.name, f.contentType, f.data, progress)
		finish()
		if err == nil {
			done = append(done, f.show())
			fmt.Fprintf(a.io.out, "attached %s (%s)\n", f.show(), humanSize(int64(len(f.data))))
			continue
		}
		why := graph.Describe(err)
		if errors.Is(err, graph.ErrAttachmentTooLarge) {
			why = err.Error()
		}
		if lostAnswer(err) != "" && ctx.Err() == nil {
			// The answer was lost: the file may be there all the same. Look.
			found, lerr := attachedSince(ctx, c, id, before, f)
			if found {
				done = append(done, f.show())
				fmt.Fprintf(a.io.out, "attached %s (%s; the answer was lost, but it is there)\n", f.show(), humanSize(int64(len(f.data))))
				continue
			}
			if lerr != nil {
				why += "; it may be attached all the same: look with 'drafts attachments " + id + "' before attaching it again"
			}
		}
		not := []string{f.show() + " (" + why + ")"}
		for _, rest := range files[i+1:] {
			not = append(not, rest.show()+" (not tried)")
		}
		msg := "not attached: " + strings.Join(not, ", ")
		if len(done) > 0 {
			msg += "; attached: " + strings.Join(done, ", ")
		}
		if ctx.Err() != nil {
			return &exitError{code: exitCanceled, msg: "interrupted; " + msg, known: true}
		}
		return &exitError{code: exitFailed, msg: msg}
	}
	return nil
}

// attachedSince reports whether draft id now has an attachment named as f, of its size, that
// was not among before.
func attachedSince(ctx context.Context, c *graph.Client, id string, before []graph.Attachment, f localFile) (bool, error) {
	now, err := c.Attachments(ctx, id)
	if err != nil {
		return false, err
	}
	old := map[string]bool{}
	for _, at := range before {
		old[at.ID] = true
	}
	for _, at := range now {
		if !old[at.ID] && at.Name == graph.CleanLine(f.name) && at.Size == int64(len(f.data)) {
			return true, nil
		}
	}
	return false, nil
}

// errIsTerminal reports whether standard error is a terminal.
func (a *app) errIsTerminal() bool {
	f, ok := a.io.err.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// attachProgress shows the progress of an upload session on standard error, on a terminal
// only, as one line rewritten in place; finish clears it.
func (a *app) attachProgress(f localFile) (progress func(done, total int64), finish func()) {
	total := int64(len(f.data))
	if total <= graph.MaxInlineAttachment || !a.errIsTerminal() {
		return nil, func() {}
	}
	name := ansi.Truncate(graph.CleanLine(f.name), 32, "…")
	last := -1
	progress = func(done, total int64) {
		pct := 0
		if total > 0 {
			pct = int(done * 100 / total)
		}
		if pct == last {
			return
		}
		last = pct
		fmt.Fprintf(a.io.err, "\r\x1b[Kattaching “%s”: %d%% (%s of %s)", name, pct, humanSize(done), humanSize(total))
	}
	progress(0, total)
	return progress, func() { fmt.Fprint(a.io.err, "\r\x1b[K") }
}
