package ui

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph/emulator"
)

// benchmarkFirstScreen measures the first screen of a mailbox of n drafts
// served by the emulator over loopback HTTP:
//
//   - screen: from a new model to the first frame that shows drafts: the
//     first page's request and answer, decoding and cleaning it, preparing
//     its filter text, taking it into the model, and drawing the frame;
//   - roundtrip: the same request with net/http alone, the answer read
//     whole and nothing done with it.
//
// screen minus roundtrip is the program's own time for its first screen.
func benchmarkFirstScreen(b *testing.B, n int) {
	e := newEnv(b, emulator.Options{})
	e.emu.SeedGenerated(n)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := func() model {
		m := newModel(ctx, e.mb, Options{Now: e.clock.Now})
		next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		m = next.(model)
		next, _ = m.Update(pageCmd(m.load.ctx, m.load.pager, m.load.gen)())
		m = next.(model)
		if s := m.View().Content; !strings.Contains(s, "Loading…") || m.drafts.len() != min(n, 1000) {
			b.Fatalf("%d drafts after the first page", m.drafts.len())
		}
		return m
	}
	e.emu.ResetRequests()
	first()
	path := e.emu.Requests()[0].Path
	if n <= 1000 {
		b.Fatal("the mailbox fits in one page")
	}
	b.Run("screen", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			first()
		}
	})
	b.Run("roundtrip", func(b *testing.B) {
		url := strings.TrimSuffix(e.mb.BaseURL(), "/v1.0") + path
		for b.Loop() {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Authorization", "Bearer test-token")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			_ = res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
}

// BenchmarkFirstScreen10k and 100k: see benchmarkFirstScreen.
func BenchmarkFirstScreen10k(b *testing.B)  { benchmarkFirstScreen(b, 10_000) }
func BenchmarkFirstScreen100k(b *testing.B) { benchmarkFirstScreen(b, 100_000) }
