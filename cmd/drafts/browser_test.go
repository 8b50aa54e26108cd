package main

import (
	"context"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const owaLink = "https://outlook.office365.com/owa/?ItemID=AAMk%3D&exvsurl=1&viewmodel=ReadMessageItem"

// TestBrowserCommand: each system's opener gets the address as one argument.
func TestBrowserCommand(t *testing.T) {
	for goos, want := range map[string][]string{
		"linux":   {"xdg-open", owaLink},
		"freebsd": {"xdg-open", owaLink},
		"darwin":  {"open", owaLink},
		"windows": {"rundll32", "url.dll,FileProtocolHandler", owaLink},
	} {
		if got := browserCommand(goos, owaLink); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", goos, got, want)
		}
	}
}

// TestOpenInBrowser runs the opener through a stand-in command (nothing is opened): the
// address reaches it as one argument; a missing opener, a failing one and a Linux without a
// graphical session each say so and show the address.
func TestOpenInBrowser(t *testing.T) {
	var ran [][]string
	fake := func(exit string) func(context.Context, string, ...string) *exec.Cmd {
		return func(ctx context.Context, name string, args ...string) *exec.Cmd {
			ran = append(ran, append([]string{name}, args...))
			return exec.CommandContext(ctx, "sh", "-c", "exit "+exit)
		}
	}
	display := func(k string) string { return map[string]string{"DISPLAY": ":0"}[k] }
	if err := openInBrowser(context.Background(), owaLink, "linux", display, fake("0")); err != nil || len(ran) != 1 || ran[0][1] != owaLink {
		t.Fatalf("ran %q: %v", ran, err)
	}
	if err := openInBrowser(context.Background(), owaLink, "linux", display, fake("3")); err == nil || !strings.Contains(err.Error(), "xdg-open failed") || !strings.Contains(err.Error(), owaLink) {
		t.Fatalf("a failing opener: %v", err)
	}
	missing := func(ctx context.Context, _ string, _ ...string) *exec.Cmd {
		return exec.CommandContext(ctx, "/nonexistent/drafts-no-such-opener")
	}
	if err := openInBrowser(context.Background(), owaLink, "linux", display, missing); err == nil || !strings.Contains(err.Error(), owaLink) {
		t.Fatalf("a missing opener: %v", err)
	}
	ran = nil
	none := func(string) string { return "" }
	if err := openInBrowser(context.Background(), owaLink, "linux", none, fake("0")); err == nil || len(ran) != 0 || !strings.Contains(err.Error(), "no graphical session") {
		t.Fatalf("no DISPLAY: ran %q, %v", ran, err)
	}
	if err := (&app{getenv: none}).opener(true)(context.Background(), owaLink); err == nil || !strings.Contains(err.Error(), owaLink) {
		t.Fatalf("the demo's opener: %v", err)
	}
}
