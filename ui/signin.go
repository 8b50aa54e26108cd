package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// DeviceCode is what the sign-in screen shows: where to go and what to
// type there, and until when the code works.
type DeviceCode struct {
	URL       string
	Code      string
	ExpiresAt time.Time
}

// SignInOptions tune SignIn. The zero value uses the terminal and the real
// clock.
type SignInOptions struct {
	// Input and Output replace the terminal; nil means the terminal.
	Input  io.Reader
	Output io.Writer
	// Now is the clock (default time.Now).
	Now func() time.Time
	// ProgramOptions are added to the Bubble Tea program's options.
	ProgramOptions []tea.ProgramOption
}

// ErrSignInCancelled is returned by SignIn when the user leaves the screen
// before signing in.
var ErrSignInCancelled = errors.New("sign-in cancelled")

// SignIn shows a full-screen device-code sign-in: the address, the code
// (c copies it to the clipboard) and the time left, while wait runs. It
// returns wait's result, or ErrSignInCancelled when the user presses q,
// esc or ctrl+c, which also cancels wait's context.
func SignIn(ctx context.Context, code DeviceCode, wait func(context.Context) error, opts SignInOptions) error {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m := newSignInModel(code, opts.Now)
	popts := []tea.ProgramOption{tea.WithContext(ctx)}
	if opts.Input != nil {
		popts = append(popts, tea.WithInput(opts.Input))
	}
	if opts.Output != nil {
		popts = append(popts, tea.WithOutput(opts.Output))
	}
	popts = append(popts, opts.ProgramOptions...)
	p := tea.NewProgram(m, popts...)
	go func() {
		err := wait(ctx)
		p.Send(signInDoneMsg{err: err})
	}()
	final, err := p.Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		return err
	}
	fm, _ := final.(signInModel)
	if !fm.finished {
		return ErrSignInCancelled
	}
	return fm.err
}

// signInDoneMsg carries the outcome of the sign-in.
type signInDoneMsg struct{ err error }

// signInTickMsg redraws the time left.
type signInTickMsg time.Time

// signInModel is the root of the sign-in program.
type signInModel struct {
	code          DeviceCode
	now           func() time.Time
	styles        styles
	spinner       spinner.Model
	width, height int
	copied        bool
	finished      bool
	err           error
}

func newSignInModel(code DeviceCode, now func() time.Time) signInModel {
	return signInModel{
		code:    code,
		now:     now,
		styles:  newStyles(true),
		spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot)),
	}
}

func signInTick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return signInTickMsg(t) })
}

// Init asks for the background colour and starts the spinner and clock.
func (m signInModel) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.spinner.Tick, signInTick())
}

// Update handles keys, the clock and the sign-in's outcome.
func (m signInModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.styles = newStylesFor(msg.IsDark(), m.styles.profile)
	case tea.ColorProfileMsg:
		m.styles = newStylesFor(m.styles.isDark, msg.Profile)
	case signInDoneMsg:
		m.finished, m.err = true, msg.err
		return m, tea.Quit
	case signInTickMsg:
		return m, signInTick()
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case tea.KeyPressMsg:
		switch msg.String() {
		case "q", "esc", "ctrl+c":
			return m, tea.Quit
		case "c":
			m.copied = true
			return m, tea.SetClipboard(m.code.Code)
		}
	}
	return m, nil
}

// View draws the code in a box in the middle of the screen.
func (m signInModel) View() tea.View {
	st := m.styles
	left := m.code.ExpiresAt.Sub(m.now()).Round(time.Second)
	expiry := fmt.Sprintf("The code works for %s more.", minSec(left))
	if left <= 0 {
		expiry = "The code has expired: press q and start again."
	}
	copyHint := "c copies the code"
	if m.copied {
		copyHint = "code copied to the clipboard"
	}
	lines := []string{
		st.dialogTitle.Render("Sign in to Microsoft 365"),
		"",
		"1. Open " + st.subjectSel.Render(m.code.URL) + " in a browser, on any device.",
		"2. Enter this code:",
		"",
		"   " + st.tabActive.Render(" "+m.code.Code+" "),
		"",
		"3. Sign in with the account whose drafts you want.",
		"",
		m.spinner.View() + " Waiting for you to finish in the browser.",
		st.faint.Render(expiry),
		"",
		st.keyHint.Render(copyHint + " • q/esc cancels"),
	}
	dialog := st.dialog
	if m.width > 0 {
		dialog = dialog.Width(max(min(m.width-2, 72), 20))
	}
	box := dialog.Render(strings.Join(lines, "\n"))
	content := box
	if m.width > 0 && m.height > 0 {
		content = lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, box)
	}
	v := tea.NewView(content)
	v.AltScreen = true
	v.WindowTitle = "drafts"
	return v
}

// minSec formats a duration as m:ss.
func minSec(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	return fmt.Sprintf("%d:%02d", int(d/time.Minute), int(d%time.Minute/time.Second))
}
