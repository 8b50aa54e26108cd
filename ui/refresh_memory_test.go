package ui

import (
	"context"
	"math"
	"runtime"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph/emulator"
)

// refreshMemory measures the live heap (after a collection) of the root
// model loading n generated drafts from the emulator (in this process) and
// then refreshing them: after the first load, during each refresh when its
// last page but one has arrived (the most it holds: the list on screen and
// what has arrived of the next one), and after each refresh. Every figure
// is the heap less what the emulator and the test held before the model
// was made, so it is the program's own.
type refreshMemory struct {
	load   uint64   // after the first load
	during []uint64 // per refresh, before its last page
	after  []uint64 // per refresh, after the list was swapped
}

func measureRefreshMemory(t testing.TB, n, refreshes int) refreshMemory {
	t.Helper()
	const pageSize = 1000
	if n <= 2*pageSize {
		t.Fatalf("need more than two pages, not %d drafts", n)
	}
	e := newEnv(t, emulator.Options{})
	e.emu.SeedGenerated(n)
	base := liveHeap()
	own := func() uint64 { return max(liveHeap(), base) - base }

	var r refreshMemory
	m := e.model(t)
	m.opts.PageSize = pageSize
	m.load.pager = e.mb.Drafts(pageSize) // newModel made the first pager with the default size
	next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = driveWatching(t, next.(model), m.Init(), nil)
	if m.drafts.len() != n || m.load.loading {
		t.Fatalf("the first load ended with %d of %d drafts (loading %v)", m.drafts.len(), n, m.load.loading)
	}
	r.load = own()
	for range refreshes {
		next, cmd := m.reload() // a whole listing (r asks only what changed, when it can)
		measured := false
		m = driveWatching(t, next, cmd, func(m model, msg tea.Msg) {
			if p, ok := msg.(draftsPageMsg); ok && p.more && m.load.received == n-pageSize {
				r.during = append(r.during, own())
				measured = true
			}
		})
		if !measured || m.drafts.len() != n || m.load.loading {
			t.Fatalf("a refresh ended with %d of %d drafts (loading %v, measured %v)", m.drafts.len(), n, m.load.loading, measured)
		}
		r.after = append(r.after, own())
	}
	runtime.KeepAlive(m)
	return r
}

// liveHeap is the heap in use by reachable objects, after a collection
// (two: the first leaves what sync.Pools dropped to the second).
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// driveWatching is drive for a load (no sends): it runs cmd and everything
// that follows, delivering the program's messages to m, and calls watch
// (if any) with the model after each delivery.
func driveWatching(t testing.TB, m model, cmd tea.Cmd, watch func(model, tea.Msg)) model {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100000 {
			t.Fatal("driveWatching: the program does not settle")
		}
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
		if watch != nil {
			watch(m, msg)
		}
		queue = append(queue, c2)
	}
	return m
}

// TestRefreshHoldsOneList checks that a refresh holds about one list of
// drafts, not two: while its pages arrive, the drafts they repeat
// unchanged are the ones already on screen, so what the program holds
// after a refresh stays within 10 % of what it held after the first load,
// and during a refresh within that and one page in flight. (It held both
// lists until the swap: twice as much, and Go's collector then let the
// heap grow to twice that, which is how the program's resident memory went
// from 140 MB to 370–450 MB with repeated refreshes of 100,000 drafts.)
func TestRefreshHoldsOneList(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 10,000 drafts four times")
	}
	const n, refreshes = 10_000, 3
	// One page in flight: the pager's buffer for the answer (1 MB for a
	// page of 1,000, up to twice that as it grows) and the decoder's
	// scratch array, whatever the number of drafts.
	const page = 4 << 20
	r := measureRefreshMemory(t, n, refreshes)
	after := r.load + r.load/10
	during := after + page
	t.Logf("%d drafts: %.1f MB after the first load; during refreshes %v MB; after %v MB", n, mb(r.load), mbs(r.during), mbs(r.after))
	for i := range refreshes {
		if r.during[i] > during {
			t.Errorf("refresh %d: %.1f MB held before its last page; want at most %.1f MB (110 %% of %.1f MB after the first load, and 4 MB for a page)",
				i+1, mb(r.during[i]), mb(during), mb(r.load))
		}
		if r.after[i] > after {
			t.Errorf("refresh %d: %.1f MB held after it; want at most %.1f MB (110 %% of %.1f MB after the first load)",
				i+1, mb(r.after[i]), mb(after), mb(r.load))
		}
	}
}

func mb(n uint64) float64 { return float64(n) / 1e6 }

func mbs(ns []uint64) []float64 {
	out := make([]float64, len(ns))
	for i, n := range ns {
		out[i] = math.Round(mb(n)*10) / 10
	}
	return out
}

// BenchmarkRefreshMemory100k is TestRefreshHoldsOneList at 100,000 drafts
// and five refreshes, one run (-benchtime 1x): load-MB is what the program
// holds after the first load, peak-MB the most it holds during a refresh
// (before its last page), after-MB after the fifth refresh.
func BenchmarkRefreshMemory100k(b *testing.B) {
	var r refreshMemory
	for b.Loop() {
		r = measureRefreshMemory(b, 100_000, 5)
	}
	peak := uint64(0)
	for _, d := range r.during {
		peak = max(peak, d)
	}
	b.Logf("during refreshes %v MB; after %v MB", mbs(r.during), mbs(r.after))
	b.ReportMetric(mb(r.load), "load-MB")
	b.ReportMetric(mb(peak), "peak-MB")
	b.ReportMetric(mb(r.after[len(r.after)-1]), "after-MB")
}

// benchmarkRefreshDecoded is benchmarkRefresh (a refresh under an applied
// filter, a frame after each page) with the pages of a second listing,
// decoded apart from the first: every draft of the refresh is compared
// with the one on screen, as in the program. Between the two listings a
// draft was added and one deleted, so the refresh also indexes the list
// on screen by id once. p50-ms and max-ms as for benchmarkLoad.
func benchmarkRefreshDecoded(b *testing.B, n int) {
	e := newEnv(b, emulator.Options{})
	e.emu.SeedGenerated(n)
	first, err := e.mb.ListDrafts(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	e.emu.AddDraft(emulator.Draft{Subject: "New", LastModified: e.clock.Now(), Created: e.clock.Now()})
	if err := e.emu.DeleteElsewhere("", first[n/2].ID); err != nil {
		b.Fatal(err)
	}
	second, err := e.mb.ListDrafts(context.Background())
	if err != nil || len(second) != n {
		b.Fatalf("listed %d drafts, %v", len(second), err)
	}
	base := loadedModel(b, first)
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
		pages := pagesForBench(m.load.gen, second, 1000)
		b.StartTimer()
		for _, p := range pages {
			t := time.Now()
			next, _ := m.Update(p)
			m = next.(model)
			_ = m.View()
			busy = append(busy, time.Since(t))
		}
		if m.load.loading || m.drafts.len() != n || m.drafts.all[0].subject() != "New" {
			b.Fatalf("refresh ended with %d drafts (loading %v)", m.drafts.len(), m.load.loading)
		}
	}
	reportBusy(b, busy)
}

// BenchmarkRefreshDecoded10k and 100k: a refresh of that many drafts
// decoded afresh, under an applied filter.
func BenchmarkRefreshDecoded10k(b *testing.B)  { benchmarkRefreshDecoded(b, 10_000) }
func BenchmarkRefreshDecoded100k(b *testing.B) { benchmarkRefreshDecoded(b, 100_000) }

// BenchmarkReleaseMemory100k is what handing the memory back costs with 100,000 drafts on
// screen (ui/memory.go): a collection of the list and the return of 60 MB of garbage (as a
// listing leaves) to the system. The garbage is made outside the timer.
//
//	go test -run '^$' -bench ReleaseMemory100k -benchtime 10x ./ui/
func BenchmarkReleaseMemory100k(b *testing.B) {
	m := loadedModel(b, draftsForBench(b, 100_000))
	var sink [][]byte
	for b.Loop() {
		b.StopTimer()
		for range 60 {
			sink = append(sink, make([]byte, 1<<20))
		}
		sink = nil
		b.StartTimer()
		releaseMemory(m.drafts.len())
	}
	runtime.KeepAlive(m)
	runtime.KeepAlive(sink)
}
