package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
)

// opener is what o on the screen opens a message's Outlook on the web address with: the
// system's browser opener, or in the demo (whose drafts are in no Outlook) a refusal that
// shows the address.
func (a *app) opener(demo bool) func(context.Context, string) error {
	if demo {
		return func(_ context.Context, url string) error {
			return fmt.Errorf("the demo's mailbox is not in Outlook; with your own, o opens %s", url)
		}
	}
	return func(ctx context.Context, url string) error {
		return openInBrowser(ctx, url, runtime.GOOS, a.getenv, exec.CommandContext)
	}
}

// browserCommand is the command that opens url in the user's browser on goos: the system's
// opener, with the address as one argument (no shell reads it).
func browserCommand(goos, url string) []string {
	switch goos {
	case "darwin":
		return []string{"open", url}
	case "windows":
		return []string{"rundll32", "url.dll,FileProtocolHandler", url}
	}
	return []string{"xdg-open", url}
}

// openInBrowser runs the opener for url and waits for it (they return once the browser has the
// address). On Linux and the BSDs without a graphical session it refuses: xdg-open would start a
// text browser on the terminal the screen is drawn on.
func openInBrowser(ctx context.Context, url, goos string, getenv func(string) string, command func(context.Context, string, ...string) *exec.Cmd) error {
	if goos != "darwin" && goos != "windows" && getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return fmt.Errorf("no graphical session to open a browser in; the address is %s", url)
	}
	argv := browserCommand(goos, url)
	cmd := command(ctx, argv[0], argv[1:]...) // standard streams: none, the screen keeps the terminal
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("%s is not installed to open a browser with; the address is %s", argv[0], url)
		}
		return fmt.Errorf("%s failed (%v); the address is %s", argv[0], err, url)
	}
	return nil
}
