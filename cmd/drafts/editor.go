package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/draftsmail/drafts/config"
	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/compose"
)

// editorHelp is what the edit and new commands say about the editor in their --help.
const editorHelp = `The editor is $VISUAL, else $EDITOR, else vi. Its value is split at spaces ("code --wait",
"emacs -nw" work; shell quoting is not understood, so a path with spaces does not). It runs
on a private file (0600) in the cache directory, with the program's standard input
and output; it may be a script, as it need not be on a terminal.`

// writingFor is what an edit on the command line needs: the place for the user's text (key
// names it; again is the command that goes on with it) and a client.
func (a *app) writingFor(ctx context.Context, cfg config.Config, key, again string) (*writing, *graph.Client, func(), error) {
	keeper, _, err := a.keeperFor(cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	c, stop, err := a.connect(ctx, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	return &writing{a: a, keeper: keeper, key: key, again: again}, c, stop, nil
}

// keeperFor opens the keeper of what the user typed, in the cache directory, by the send
// journal's rule: cfg.CacheDir, or with no cache directory at all (no HOME and no
// DRAFTS_CACHE_DIR) a private directory of the runtime or temporary directory, with a note.
// No edit starts without a place to keep the text.
func (a *app) keeperFor(cfg config.Config) (*compose.Keeper, string, error) {
	dir := cfg.CacheDir
	if dir == "" {
		dir = a.fallbackJournalDir()
		if dir != "" {
			fmt.Fprintf(a.io.err, "drafts: note: no cache directory (HOME is not set): unsaved text is kept in %s; set %s to keep it elsewhere\n", filepath.Join(dir, "edits"), config.EnvCacheDir)
		}
	}
	k, err := compose.OpenKeeper(dir, "set "+config.EnvCacheDir+" to a private directory")
	if err != nil {
		return nil, "", &exitError{code: exitFailed, msg: "nothing to keep your text in, so no editor is opened: " + oneLine(err.Error())}
	}
	return k, filepath.Join(dir, "edits"), nil
}

// errEditorFailed is runEditor's error when the editor ran but exited non-zero: its file is
// returned all the same, to be kept.
type errEditorFailed struct{ err error }

func (e *errEditorFailed) Error() string { return e.err.Error() }

// editorCommand is the user's editor as a command and its arguments: $VISUAL, then $EDITOR,
// then vi, split at spaces; from names where it came from.
func (a *app) editorCommand() (argv []string, from string) {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if f := strings.Fields(a.getenv(v)); len(f) > 0 {
			return f, "$" + v
		}
	}
	return []string{"vi"}, defaultEditor
}

// defaultEditor is where vi comes from: neither VISUAL nor EDITOR is set.
const defaultEditor = "the default (neither VISUAL nor EDITOR is set)"

// runEditor writes text to the private file name (the Keeper's editor file, in its 0700
// directory), runs the editor on it, gives what the editor left there to keep, and returns it;
// the file is then removed (but left, and named, when keep fails: the text is never lost; and
// left by a kill, when the next edit offers it back). An editor that cannot be found is an error
// naming the variables to set; one that exits non-zero is *errEditorFailed, with the file's text.
func (a *app) runEditor(ctx context.Context, name string, text []byte, keep func([]byte) error) ([]byte, error) {
	if err := ctx.Err(); err != nil { // Ctrl-C at a question: no editor after it
		return nil, err
	}
	argv, from := a.editorCommand()
	if from == defaultEditor && !a.io.inTTY {
		return nil, &exitError{code: exitFailed, msg: "standard input is not a terminal for vi (neither VISUAL nor EDITOR is set): run it on a terminal, or set EDITOR to a command that edits the file given to it"}
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return nil, &exitError{code: exitFailed, msg: fmt.Sprintf("the editor %q (%s) was not found: set VISUAL or EDITOR to your editor's command, e.g. EDITOR=nano", argv[0], from)}
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("a file for the editor: %w", err)
	}
	remove := true
	defer func() {
		if remove {
			_ = os.Remove(name)
		}
	}()
	if _, err := f.Write(text); err != nil {
		f.Close()
		return nil, fmt.Errorf("a file for the editor: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("a file for the editor: %w", err)
	}
	// Not CommandContext: Ctrl-C is the editor's to handle, never a reason to kill it with the
	// user's text unsaved.
	cmd := exec.Command(path, append(argv[1:], name)...)
	cmd.Args[0] = argv[0]
	// The terminal's own stdin, but never a reader of the program's: the editor's copy of it
	// would swallow the answers to the questions that follow.
	if in, ok := a.io.in.(*os.File); ok {
		cmd.Stdin = in
	}
	cmd.Stdout, cmd.Stderr = a.io.out, a.io.err
	if !a.io.outTTY {
		cmd.Stdout = a.io.err // standard output may be a pipe to a script (--json)
	}
	runErr := cmd.Run()
	edited, readErr := os.ReadFile(name)
	if readErr != nil {
		return nil, &exitError{code: exitFailed, msg: "the editor's file could not be read back (" + oneLine(readErr.Error()) + "); nothing saved"}
	}
	if err := keep(edited); err != nil {
		remove = false
		return nil, &exitError{code: exitFailed, msg: fmt.Sprintf("your text could not be kept (%s): nothing saved; it is left in %s", oneLine(err.Error()), name), known: true}
	}
	if runErr != nil {
		var ee *exec.ExitError
		if errors.As(runErr, &ee) && ee.ExitCode() >= 0 {
			return edited, &errEditorFailed{fmt.Errorf("the editor %q exited with status %d", argv[0], ee.ExitCode())}
		}
		if errors.As(runErr, &ee) {
			return edited, &errEditorFailed{fmt.Errorf("the editor %q ended: %s", argv[0], ee.ProcessState)}
		}
		return edited, &errEditorFailed{fmt.Errorf("the editor %q: %w", argv[0], runErr)}
	}
	return edited, ctx.Err()
}

// ask prints question on standard error and reads one line of standard input, byte by byte
// (nothing past the line is taken from the editor that may come next). ok is false at the end
// of the input or when ctx ends (Ctrl-C).
func (a *app) ask(ctx context.Context, question string) (answer string, ok bool) {
	fmt.Fprint(a.io.err, question)
	type line struct {
		s  string
		ok bool
	}
	lines := make(chan line, 1)
	go func() {
		s, err := readLine(a.io.in)
		lines <- line{s, err == nil || s != ""}
	}()
	select {
	case l := <-lines:
		if !l.ok {
			fmt.Fprintln(a.io.err)
		}
		return strings.ToLower(strings.TrimSpace(l.s)), l.ok
	case <-ctx.Done():
		fmt.Fprintln(a.io.err)
		return "", false
	}
}

// readLine reads up to a newline, one byte at a time.
func readLine(r io.Reader) (string, error) {
	var b []byte
	var one [1]byte
	for {
		n, err := r.Read(one[:])
		if n == 1 {
			if one[0] == '\n' {
				return string(b), nil
			}
			b = append(b, one[0])
		}
		if err != nil {
			return string(b), err
		}
	}
}

// yesByDefault reads a [Y/n] answer: an empty line is yes, the end of the input is def.
func yesByDefault(answer string, ok, def bool) bool {
	if !ok {
		return def
	}
	return answer == "" || answer == "y" || answer == "yes"
}
