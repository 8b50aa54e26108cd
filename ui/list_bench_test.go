package ui

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// The benchmarks of the list view run the root model with n drafts already
// decoded (listed once from the emulator, cached per n), so they measure the
// UI's own work: a frame, a filter keystroke, a page arriving.

var benchDrafts = struct {
	sync.Mutex
	byN map[int][]graph.Message
}{byN: map[int][]graph.Message{}}

// draftsForBench lists n generated drafts from the emulator once per n.
func draftsForBench(b *testing.B, n int) []graph.Message {
	b.Helper()
	benchDrafts.Lock()
	defer benchDrafts.Unlock()
	if msgs, ok := benchDrafts.byN[n]; ok {
		return msgs
	}
	e := newEnv(b, emulator.Options{})
	e.emu.SeedGenerated(n)
	msgs, err := e.mb.ListDrafts(context.Background())
	if err != nil || len(msgs) != n {
		b.Fatalf("listed %d drafts, %v", len(msgs), err)
	}
	benchDrafts.byN[n] = msgs
	return msgs
}

// loadedModel is a 120×40 model (list and preview side by side) with msgs
// delivered as pages of 1,000, as the loader does.
func loadedModel(b *testing.B, msgs []graph.Message) model {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	m := newModel(ctx, offlineMailbox(b), Options{Now: newClock().Now})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = next.(model)
	m = deliverPages(m, msgs, 1000)
	return m
}

// offlineMailbox is a client for a port nobody listens on: the benchmarks
// deliver the pages themselves, and a body fetch fails at once.
func offlineMailbox(b *testing.B) *graph.Client {
	c, err := graph.New(graph.Options{BaseURL: "http://127.0.0.1:1/v1.0", Tokens: graph.StaticToken("t"), MaxAttempts: 1})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// deliverPages hands msgs to m as the pages of the current load.
func deliverPages(m model, msgs []graph.Message, size int) model {
	for _, p := range pagesForBench(m.load.gen, msgs, size) {
		next, _ := m.Update(p)
		m = next.(model)
	}
	return m
}

// pagesForBench cuts msgs into the page messages of load gen, made rows
// as pageCmd makes them (off the UI's goroutine).
func pagesForBench(gen int, msgs []graph.Message, size int) []draftsPageMsg {
	var out []draftsPageMsg
	for start := 0; start < len(msgs); start += size {
		end := min(start+size, len(msgs))
		p := newListPage(msgs[start:end])
		out = append(out, draftsPageMsg{gen: gen, page: p, more: end < len(msgs)})
	}
	return out
}

func benchmarkFrame(b *testing.B, n int) {
	m := loadedModel(b, draftsForBench(b, n))
	m = press(b, m, "j", "j") // not the first row, as after some browsing
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkFrame100, 10k and 100k draw one whole frame (header, list rows,
// preview pane, status and help lines) with that many drafts loaded.
func BenchmarkFrame100(b *testing.B)  { benchmarkFrame(b, 100) }
func BenchmarkFrame10k(b *testing.B)  { benchmarkFrame(b, 10_000) }
func BenchmarkFrame100k(b *testing.B) { benchmarkFrame(b, 100_000) }

// benchmarkKeystroke measures one keystroke in the filter at its dearest:
// the key, every message and command it leads to in the program, and the
// frame drawn after it, with the list's memory of earlier filters wiped
// first, so that every keystroke searches every draft. The filter
// alternates between "q3 forecast" and "q3 forecas" so every keystroke
// changes the result.
func benchmarkKeystroke(b *testing.B, n int) {
	m := loadedModel(b, draftsForBench(b, n))
	m = press(b, m, "/", "q", "3", " ", "f", "o", "r", "e", "c", "a", "s", "t")
	if !m.drafts.filtering() {
		b.Fatal("not filtering")
	}
	keys := []tea.KeyPressMsg{{Code: tea.KeyBackspace}, keyMsg("t")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.drafts.memo, m.drafts.words = nil, nil // no shortcut: search all n
		m = pressForBench(m, keys[i%2])
		_ = m.View()
		i++
	}
	if got := m.drafts.visibleLen(); got == 0 || got == n {
		b.Fatalf("the filter keeps %d of %d", got, n)
	}
}

// benchmarkFirstKey measures the first letter typed after '/': a search of
// every draft.
func benchmarkFirstKey(b *testing.B, n int) {
	base := loadedModel(b, draftsForBench(b, n))
	base = press(b, base, "/")
	b.ReportAllocs()
	for b.Loop() {
		m := pressForBench(base, keyMsg("q"))
		_ = m.View()
		if got := m.drafts.visibleLen(); got == 0 || got == n {
			b.Fatalf("the filter keeps %d of %d", got, n)
		}
	}
}

// pressForBench delivers k and runs the commands it returns that come back
// to the model, as the program would (without waiting on timers).
func pressForBench(m model, k tea.KeyPressMsg) model {
	next, cmd := m.Update(k)
	m = next.(model)
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if batch, ok := msg.(tea.BatchMsg); ok {
			queue = append(queue, batch...)
			continue
		}
		if msg == nil || !deliverable(msg) {
			continue
		}
		next, c2 := m.Update(msg)
		m = next.(model)
		queue = append(queue, c2)
	}
	return m
}

// BenchmarkFilterKeystroke10k and 100k: a keystroke that searches every
// draft; BenchmarkFilterFirstKey10k and 100k: the first letter typed.
func BenchmarkFilterKeystroke10k(b *testing.B)  { benchmarkKeystroke(b, 10_000) }
func BenchmarkFilterKeystroke100k(b *testing.B) { benchmarkKeystroke(b, 100_000) }
func BenchmarkFilterFirstKey10k(b *testing.B)   { benchmarkFirstKey(b, 10_000) }
func BenchmarkFilterFirstKey100k(b *testing.B)  { benchmarkFirstKey(b, 100_000) }

// benchmarkLoad delivers every page of n drafts to a fresh model, as the
// first load does, and draws a frame after each page. p50-ms and max-ms
// are how long one page kept the program busy (its Update and the frame
// after it): how long a key can wait while the pages stream in.
func benchmarkLoad(b *testing.B, n int) {
	msgs := draftsForBench(b, n)
	b.ReportAllocs()
	var busy []time.Duration
	for b.Loop() {
		b.StopTimer()
		ctx, cancel := context.WithCancel(context.Background())
		m := newModel(ctx, offlineMailbox(b), Options{Now: newClock().Now})
		next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		m = next.(model)
		pages := pagesForBench(m.load.gen, msgs, 1000)
		b.StartTimer()
		for _, p := range pages {
			t := time.Now()
			next, _ := m.Update(p)
			m = next.(model)
			_ = m.View()
			busy = append(busy, time.Since(t))
		}
		cancel()
	}
	reportBusy(b, busy)
}

// benchmarkRefresh delivers every page of a refresh of n drafts to a model
// that shows them (with a filter applied, the dearer case), with a frame
// after each page; the last page swaps the whole list. p50-ms and max-ms
// as for benchmarkLoad.
func benchmarkRefresh(b *testing.B, n int) {
	msgs := draftsForBench(b, n)
	base := loadedModel(b, msgs)
	base = press(b, base, "/", "f", "o", "r", "e", "c", "a", "s", "t", "enter")
	if !base.drafts.filtered() {
		b.Fatal("no filter applied")
	}
	b.ReportAllocs()
	var busy []time.Duration
	for b.Loop() {
		b.StopTimer()
		m := base
		m.newLoad()
		pages := pagesForBench(m.load.gen, msgs, 1000)
		b.StartTimer()
		for _, p := range pages {
			t := time.Now()
			next, _ := m.Update(p)
			m = next.(model)
			_ = m.View()
			busy = append(busy, time.Since(t))
		}
		if m.load.loading || m.drafts.len() != n {
			b.Fatalf("refresh ended with %d drafts (loading %v)", m.drafts.len(), m.load.loading)
		}
	}
	reportBusy(b, busy)
}

// reportBusy reports the median and the longest time one page kept the
// program busy (p50-ms, max-ms). The longest includes whatever the machine
// and the collector did meanwhile, so it varies from run to run.
func reportBusy(b *testing.B, busy []time.Duration) {
	if len(busy) == 0 {
		return
	}
	slices.Sort(busy)
	b.ReportMetric(float64(busy[len(busy)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(busy[len(busy)-1].Microseconds())/1000, "max-ms")
}

// BenchmarkLoadPages10k and 100k take every page of a first load into the
// model, with a frame after each.
func BenchmarkLoadPages10k(b *testing.B)  { benchmarkLoad(b, 10_000) }
func BenchmarkLoadPages100k(b *testing.B) { benchmarkLoad(b, 100_000) }

// BenchmarkRefresh10k and 100k: a refresh ('r', or after a send) of that
// many drafts under an applied filter.
func BenchmarkRefresh10k(b *testing.B)  { benchmarkRefresh(b, 10_000) }
func BenchmarkRefresh100k(b *testing.B) { benchmarkRefresh(b, 100_000) }
