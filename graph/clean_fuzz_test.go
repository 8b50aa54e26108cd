package graph

import (
	"strings"
	"testing"
)

// The fuzz targets check, for any input: no panic, valid UTF-8, no
// forbidden rune (hasForbidden), no ESC, and idempotence. Seeds are the
// table cases; crashers found later go in testdata/fuzz/<target>/.
//
// Run longer by hand, e.g.:
//
//	go test -run='^$' -fuzz=FuzzCleanLine -fuzztime=10m ./graph/

func addCleanSeeds(f *testing.F) {
	for _, tc := range cleanCases {
		if len(tc.in) <= 4096 { // keep the corpus quick to replay
			f.Add(tc.in)
		}
	}
	// Sequences cut at every point, and a mix of everything.
	mix := "A\x1b]0;t\x07B\x1b[1;31mC\u009b2JD\u009d8;;u\u009cE\r\nF\tG\x00H\u202eI\u200dJ\xffK\x1bPq\x1b\\L\x1b(BM"
	for i := range len(mix) {
		f.Add(mix[:i])
		f.Add(mix[i:])
	}
}

func FuzzCleanLine(f *testing.F) {
	addCleanSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		got := CleanLine(s)
		checkCleanOutput(t, "CleanLine", s, got, CleanLine, hasForbiddenLine)
		// A body cleaned as text can still be shown on one row.
		checkCleanOutput(t, "CleanLine∘CleanText", s, CleanLine(CleanText(s)), CleanLine, hasForbiddenLine)
	})
}

func FuzzCleanText(f *testing.F) {
	addCleanSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		got := CleanText(s)
		checkCleanOutput(t, "CleanText", s, got, CleanText, hasForbidden)
		if strings.Contains(got, "\r") {
			t.Errorf("CleanText(%+q) = %+q: has CR", s, got)
		}
	})
}

func FuzzHTMLToText(f *testing.F) {
	for _, tc := range htmlCases {
		if len(tc.in) <= 4096 {
			f.Add(tc.in)
		}
	}
	for _, tc := range cleanCases {
		if len(tc.in) <= 1024 {
			f.Add("<p>" + tc.in + "</p><a href=\"" + tc.in + "\">" + tc.in + "</a>")
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := HTMLToText(s)
		checkHTMLOutput(t, s, got)
		// The fallback must hold up on its own too.
		fb := tidyText(CleanText(htmlViaTokenizer(s)))
		checkHTMLOutput(t, s, fb)
	})
}
