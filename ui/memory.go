package ui

import (
	"runtime/debug"

	tea "charm.land/bubbletea/v2"
)

// Handing back the memory a large listing used (issue 15: 100,000 drafts held in under 100 MB).
//
// Go's collector lets the heap grow to about twice what is live before it collects, and keeps
// what it freed for later use. A listing of 100,000 drafts decodes some 100 pages of answers,
// all garbage once they are rows, and keeping the list for the next start encodes and compresses
// it again: without more, the program stays at about twice the list's size (120 MB resident
// against 55 MB live after loading 100,000 drafts). So once a large listing is whole, and
// after a large list is kept, the garbage is collected and the memory returned to the system at
// once, in a command: the collection runs beside the screen, which goes on (0.16 s for 100,000
// drafts and 60 MB of garbage, BenchmarkReleaseMemory100k). Small lists are left to the
// collector: their garbage is a few megabytes. BENCHMARKS.md has the numbers.

// releaseFrom is the number of drafts from which the memory is handed back.
const releaseFrom = 20_000

// releaseMemory collects the garbage and returns the memory it held to the system, when the list
// has at least releaseFrom drafts.
func releaseMemory(drafts int) {
	if drafts >= releaseFrom {
		debug.FreeOSMemory()
	}
}

// releaseCmd is releaseMemory in a command, for a list of n drafts.
func releaseCmd(n int) tea.Cmd {
	if n < releaseFrom {
		return nil
	}
	return func() tea.Msg {
		releaseMemory(n)
		return nil
	}
}
