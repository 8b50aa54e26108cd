package ui

import (
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// meter counts the requests a client makes and the bytes of their answers, as read.
type meter struct {
	mu             sync.Mutex
	requests       int
	bytes          int64
	base           http.RoundTripper
	requestsByPath []string
}

func (m *meter) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := m.base.RoundTrip(r)
	m.mu.Lock()
	m.requests++
	m.requestsByPath = append(m.requestsByPath, r.URL.Path)
	m.mu.Unlock()
	if err == nil {
		res.Body = &countingBody{ReadCloser: res.Body, m: m}
	}
	return res, err
}

func (m *meter) take() (int, int64, []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, b, p := m.requests, m.bytes, m.requestsByPath
	m.requests, m.bytes, m.requestsByPath = 0, 0, nil
	return n, b, p
}

type countingBody struct {
	io.ReadCloser
	m *meter
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.m.mu.Lock()
	c.m.bytes += int64(n)
	c.m.mu.Unlock()
	return n, err
}

// TestQuietRefreshOfTenThousandCostsLittle: with 10,000 drafts and nothing changed, a quiet
// refresh is at most 2 requests and 5 KB of answers (issue 15's target); a whole listing is
// megabytes.
func TestQuietRefreshOfTenThousandCostsLittle(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.emu.SeedGenerated(10_000)
	mt := &meter{base: http.DefaultTransport}
	cl, err := graph.New(graph.Options{BaseURL: e.base, Tokens: graph.StaticToken("test-token"), MaxAttempts: 1,
		HTTPClient: &http.Client{Transport: mt}})
	if err != nil {
		t.Fatal(err)
	}
	e.mb = cl
	q := startQuiet(t, e)
	if q.m.drafts.len() != 10_000 {
		t.Fatalf("%d drafts listed", q.m.drafts.len())
	}
	_, listing, _ := mt.take()
	e.clock.Advance(time.Minute)
	q.tick()
	n, b, paths := mt.take()
	if n > 2 || b > 5_000 {
		t.Fatalf("a refresh with nothing changed: %d requests (%v), %d bytes; want at most 2 and 5 KB", n, paths, b)
	}
	t.Logf("quiet refresh, nothing changed: %d requests, %d bytes (the first listing: %d bytes)", n, b, listing)
}
