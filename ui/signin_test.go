package ui

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

func testCode(now time.Time) DeviceCode {
	return DeviceCode{URL: "https://microsoft.com/devicelogin", Code: "FQK7-2MZP", ExpiresAt: now.Add(15 * time.Minute)}
}

func signInScreen(m signInModel) string {
	return ansi.Strip(m.View().Content)
}

func TestSignInScreenShowsCodeAddressAndTimeLeft(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	clock := now
	m := newSignInModel(testCode(now), func() time.Time { return clock })
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = next.(signInModel)
	s := signInScreen(m)
	for _, want := range []string{"https://microsoft.com/devicelogin", "FQK7-2MZP", "15:00 more", "q/esc cancels"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	for _, w := range []int{80, 44} {
		next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
		for _, line := range strings.Split(signInScreen(next.(signInModel)), "\n") {
			if ansi.StringWidth(line) > w {
				t.Fatalf("line wider than the %d-column terminal: %q", w, line)
			}
		}
	}
	clock = now.Add(16 * time.Minute)
	if s := signInScreen(m); !strings.Contains(s, "expired") {
		t.Errorf("after expiry the screen says:\n%s", s)
	}
}

func TestSignInKeys(t *testing.T) {
	m := newSignInModel(testCode(time.Now()), time.Now)
	next, cmd := m.Update(tea.KeyPressMsg{Code: 'c', Text: "c"})
	if m = next.(signInModel); !m.copied || cmd == nil || !strings.Contains(signInScreen(m), "copied") {
		t.Fatal("c did not copy the code")
	}
	for _, k := range []tea.KeyPressMsg{{Code: 'q', Text: "q"}, {Code: tea.KeyEscape}, {Code: 'c', Mod: tea.ModCtrl}} {
		next, cmd := m.Update(k)
		if next.(signInModel).finished || cmd == nil {
			t.Fatalf("%v: want quit without finishing", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Fatalf("%v does not quit", k)
		}
	}
	next, _ = m.Update(signInDoneMsg{err: errors.New("declined")})
	if fm := next.(signInModel); !fm.finished || fm.err == nil {
		t.Fatal("the outcome was not kept")
	}
}

func signInOpts(in io.Reader) SignInOptions {
	return SignInOptions{Input: in, Output: io.Discard, ProgramOptions: []tea.ProgramOption{
		tea.WithColorProfile(colorprofile.Ascii), tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithWindowSize(80, 24),
	}}
}

func TestSignInReturnsWhenSignedIn(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	err := SignIn(context.Background(), testCode(time.Now()), func(context.Context) error { return nil }, signInOpts(pr))
	if err != nil {
		t.Fatalf("SignIn = %v", err)
	}
}

func TestSignInCancelStopsTheWait(t *testing.T) {
	pr, pw := io.Pipe()
	stopped := make(chan struct{})
	go func() { _, _ = pw.Write([]byte("q")) }()
	err := SignIn(context.Background(), testCode(time.Now()), func(ctx context.Context) error {
		<-ctx.Done()
		close(stopped)
		return ctx.Err()
	}, signInOpts(pr))
	if !errors.Is(err, ErrSignInCancelled) {
		t.Fatalf("SignIn = %v, want ErrSignInCancelled", err)
	}
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the sign-in kept waiting after cancel")
	}
}
