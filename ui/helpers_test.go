package ui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
	"github.com/draftsmail/drafts/graph/sending"
)

// epoch is the fixed "now" of the tests, so ages and dates are stable.
var epoch = time.Date(2026, time.March, 10, 14, 0, 0, 0, time.UTC)

// clock is a test clock that only moves when told; the UI and the emulator
// share it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: epoch} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one emulator, a client for it, and the clock they share.
type env struct {
	emu   *emulator.Server
	mb    *graph.Client
	clock *clock
	base  string // the emulator's base URL
}

// newEnv starts an emulator seeded with the fixture drafts. Sent copies show
// in Sent Items at once unless opts says otherwise.
func newEnv(t testing.TB, opts emulator.Options) *env {
	t.Helper()
	c := newClock()
	if opts.Now == nil {
		opts.Now = c.Now
	}
	if opts.SendDelay == 0 {
		opts.NoSendDelay = true
	}
	emu := emulator.New(opts)
	base, err := emu.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	cl, err := graph.New(graph.Options{BaseURL: base, Tokens: graph.StaticToken("test-token"), MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return &env{emu: emu, mb: cl, clock: c, base: base}
}

var (
	megan = emulator.Addr("Megan Bowen", "megan.bowen@contoso.example")
	alex  = emulator.Addr("Alex Wilber", "alex.wilber@contoso.example")
	lee   = emulator.Addr("Lee Gu", "lee.gu@contoso.example")
	ines  = emulator.Addr("Inês Gonçalves", "ines.goncalves@fabrikam.example")
	legal = emulator.Addr("Contoso Legal", "legal@contoso.example")
	hr    = emulator.Addr("", "people@contoso.example")
	akiko = emulator.Addr("田中 美咲", "misaki.tanaka@contoso.example")
)

// seedFixtures adds the drafts the golden views show, newest first.
func (e *env) seedFixtures() {
	now := e.clock.Now()
	add := func(age time.Duration, d emulator.Draft) {
		d.LastModified = now.Add(-age)
		d.Created = d.LastModified
		e.emu.AddDraft(d)
	}
	// Added oldest first; the list shows newest first.
	add(30*24*time.Hour, emulator.Draft{Subject: "Old notes", Body: "Nothing to see.", To: []emulator.Recipient{hr}})
	add(3*24*time.Hour, emulator.Draft{Subject: "東京オフィス移転のご案内 / Tokyo office move 🎉", Body: "移転日程が確定しました。\nThe move date is confirmed.", To: []emulator.Recipient{akiko}})
	add(26*time.Hour, emulator.Draft{Subject: "", Body: "Could you send me the link to yesterday's recording?", To: []emulator.Recipient{lee}})
	add(2*time.Hour, emulator.Draft{
		Subject: "URGENT: Fabrikam contract renewal expires Friday", Importance: "high", HasAttachments: true,
		Body: "Inês,\n\nOur agreement expires this Friday. Could you countersign the attached copy by Thursday?\n\nBest regards,\nAdele",
		To:   []emulator.Recipient{ines}, Cc: []emulator.Recipient{legal},
	})
	add(25*time.Minute, emulator.Draft{
		Subject: "Team lunch on Thursday?", Body: "Hi all,\n\nLunch is on me this Thursday at 12:30.\n\nAdele",
		To: []emulator.Recipient{megan, alex, lee, ines, akiko},
	})
	add(12*time.Minute, emulator.Draft{
		Subject: "Q3 budget review — revised figures", HasAttachments: true,
		Body: "Hi Megan,\n\nAttached are the revised Q3 figures after Tuesday's review. The headline changes: marketing events move from $180k to $145k, cloud spend goes up 8% to cover the new analytics cluster, and two contractor roles in Support are extended to the end of November.\n\nCould you confirm by Thursday?\n\nThanks,\nAdele",
		To:   []emulator.Recipient{megan}, Cc: []emulator.Recipient{alex}, Bcc: []emulator.Recipient{hr},
	})
}

// newTestModel is the root model against env at the fixed clock, with
// polling that does not wait.
func (e *env) model(t testing.TB) model {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m := newModel(ctx, e.mb, Options{
		Account:   "adele.vance@contoso.example",
		Now:       e.clock.Now,
		PollDelay: func(int) time.Duration { return 0 },
	})
	m.loc = time.UTC
	m.sends.after = func(_ time.Duration, msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
	return m
}

// deliverable reports whether a driver should deliver msg to the model:
// the program's own messages. Spinner and cursor ticks, and requests to the
// terminal, are left out so a test never waits on an animation.
func deliverable(msg tea.Msg) bool {
	return reflect.TypeOf(msg).PkgPath() == reflect.TypeOf(model{}).PkgPath()
}

// drive runs cmd and everything that follows from it, delivering the
// results to m, until nothing is left to do. It returns the model and
// whether a command asked to quit. A watch of Sent Items that never ends is
// a test failure.
func drive(t testing.TB, m model, cmd tea.Cmd) (model, bool) {
	t.Helper()
	m, held, quit := driveN(t, m, 200, cmd)
	for _, msg := range held {
		if s, _ := m.sends.job(msg.(sendStepMsg).id); s.Phase != sending.Held {
			t.Fatalf("drive: still polling Sent Items after 200 looks")
		}
	}
	return m, quit
}

// driveN is drive with at most polls looks in Sent Items; the ticks beyond
// that, and every tick of an undo countdown, are returned undelivered, so a
// test can move the clock and resume with redeliver.
func driveN(t testing.TB, m model, polls int, cmds ...tea.Cmd) (model, []tea.Msg, bool) {
	t.Helper()
	queue := append([]tea.Cmd(nil), cmds...)
	var held []tea.Msg
	quit := false
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100000 {
			t.Fatal("drive: the program does not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case nil:
			continue
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		case tea.QuitMsg:
			quit = true
			continue
		case sendStepMsg:
			if !msg.tick {
				break
			}
			if s, _ := m.sends.job(msg.id); s.Phase == sending.Held || polls <= 0 {
				held = append(held, msg)
				continue
			}
			polls--
		}
		if !deliverable(msg) {
			continue
		}
		next, c2 := m.Update(msg)
		m = next.(model)
		queue = append(queue, c2)
	}
	return m, held, quit
}

// redeliver delivers held messages as commands for driveN.
func redeliver(msgs []tea.Msg) []tea.Cmd {
	cmds := make([]tea.Cmd, len(msgs))
	for i, msg := range msgs {
		cmds[i] = func() tea.Msg { return msg }
	}
	return cmds
}

// start sizes the model and loads the drafts.
func start(t testing.TB, m model, w, h int) model {
	t.Helper()
	next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m, _ = drive(t, next.(model), m.Init())
	return m
}

// press delivers keys and drives what they start. Keys are written as
// key.Matches strings: "j", "enter", "ctrl+c", "esc", "tab".
func press(t testing.TB, m model, keys ...string) model {
	t.Helper()
	for _, k := range keys {
		next, cmd := m.Update(keyMsg(k))
		m, _ = drive(t, next.(model), cmd)
	}
	return m
}

// pressOnly delivers one key and returns the model and command without
// running the command.
func pressOnly(m model, k string) (model, tea.Cmd) {
	next, cmd := m.Update(keyMsg(k))
	return next.(model), cmd
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// screen is the model's view as plain text with trailing spaces removed.
func screen(m model) string {
	lines := strings.Split(ansi.Strip(m.View().Content), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// update is the -update flag of the golden files, shared with teatest's
// golden package when it registered it first.
var update = func() func() bool {
	if f := flag.Lookup("update"); f != nil {
		return func() bool { return f.Value.String() == "true" }
	}
	b := flag.Bool("update", false, "rewrite the golden files")
	return func() bool { return *b }
}()

// golden compares got with testdata/name.golden, or rewrites it with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if update() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui/... -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./ui/... -update rewrites it)\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// confirmOf is the confirm dialog on top of m.
func confirmOf(t testing.TB, m model) confirmDialog {
	t.Helper()
	c, ok := m.confirmOpen()
	if !ok {
		t.Fatalf("no confirm dialog on top (state %v)", m.state())
	}
	return c
}

// whenOf is the send-later prompt on top of m.
func whenOf(t testing.TB, m model) whenPrompt {
	t.Helper()
	p, ok := m.top().(whenPrompt)
	if !ok {
		t.Fatalf("no send-later prompt on top (state %v)", m.state())
	}
	return p
}
