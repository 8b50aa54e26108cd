package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/draftsmail/drafts/graph/emulator"
)

// BenchmarkListJSON10k runs 'drafts list --json' in-process against an
// emulator with 10,000 drafts over loopback HTTP (the emulator's own work,
// about 30 ms of it, is included), printing to nowhere.
func BenchmarkListJSON10k(b *testing.B) {
	emu := emulator.New(emulator.Options{})
	emu.SeedGenerated(10000)
	base, err := emu.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = emu.Close() })
	env := map[string]string{"DRAFTS_GRAPH_URL": base, "DRAFTS_ACCESS_TOKEN": "t", "HOME": b.TempDir()}
	b.ReportAllocs()
	for b.Loop() {
		s := stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard}
		if code := run(context.Background(), []string{"list", "--json"}, s, func(k string) string { return env[k] }); code != 0 {
			b.Fatalf("exit code %d", code)
		}
	}
}
