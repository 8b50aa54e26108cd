package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/savefile"
)

// w saves the files of the draft shown (its file attachments, inline images included) to the
// Downloads directory, as 'drafts save' does: safe names, never over a file that exists (then
// nothing is saved), nothing half-written.

// filesSavedMsg is what came of saving.
type filesSavedMsg struct {
	saved []savefile.Saved
	err   error
}

// savableFiles are the attachments of msg that are files.
func savableFiles(msg graph.Message) []graph.Attachment {
	var out []graph.Attachment
	for _, a := range msg.Attachments {
		if a.IsFile() {
			out = append(out, a)
		}
	}
	return out
}

// canSaveFiles reports whether w works now: a directory to save to, and files on the draft shown.
func (m model) canSaveFiles() bool { return m.canSaveFilesOf(m.preview.msg, m.preview.has) }

// canSaveFilesOf reports whether w can save msg's files (has: msg was opened, its files listed).
func (m model) canSaveFilesOf(msg graph.Message, has bool) bool {
	return m.opts.Downloads != "" && has && len(savableFiles(msg)) > 0
}

// saveFiles starts saving the shown draft's files.
func (m model) saveFiles() (model, tea.Cmd) { return m.saveFilesOf(m.preview.msg) }

// saveFilesOf starts saving msg's files (a draft shown, or a message read).
func (m model) saveFilesOf(msg graph.Message) (model, tea.Cmd) {
	atts := savableFiles(msg)
	if len(atts) == 0 || m.opts.Downloads == "" {
		return m, nil
	}
	m.status = info(fmt.Sprintf("Saving %d files of %s…", len(atts), quoted(msg))).working()
	ctx, mb, dir, id := m.ctx, m.mb, m.opts.Downloads, msg.ID
	return m, tea.Batch(func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, pageTimeout)
		defer cancel()
		files := make([]savefile.File, len(atts))
		for i, a := range atts {
			attID := a.ID
			files[i] = savefile.File{Name: a.Name, Read: func() ([]byte, error) { return mb.AttachmentBytes(ctx, id, attID) }}
		}
		saved, err := savefile.SaveAll(dir, files)
		return filesSavedMsg{saved: saved, err: err}
	}, m.spinner.Tick)
}

// filesSaved says where the files went, or why none was saved.
func (m model) filesSaved(msg filesSavedMsg) (model, tea.Cmd) {
	dir := graph.CleanLine(m.opts.Downloads)
	var exists *savefile.ExistsError
	var read *savefile.ReadError
	switch {
	case errors.As(msg.err, &exists):
		m.status = failure(exists.Error() + " in " + dir + "; nothing saved")
	case errors.As(msg.err, &read):
		m.status = failure("Could not read “" + graph.CleanLine(read.Name) + "”: " + graph.Describe(read.Err) + "; nothing saved")
	case msg.err != nil:
		m.status = failure("Could not save in " + dir + ": " + graph.CleanLine(msg.err.Error()) + "; nothing saved")
	default:
		names := make([]string, len(msg.saved))
		for i, s := range msg.saved {
			names[i] = graph.CleanLine(filepath.Base(s.Path))
		}
		what := fmt.Sprintf("%d files", len(names))
		if len(names) == 1 {
			what = "1 file"
		}
		m.status = success(fmt.Sprintf("Saved %s in %s: %s", what, dir, strings.Join(names, ", ")))
	}
	return m, nil
}
