package emulator

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Outcomes of a recorded request.
const (
	OutcomePending  = "pending"  // still being handled
	OutcomeServed   = "served"   // answered by the emulator's own logic (success or Graph error)
	OutcomeInjected = "injected" // answered by an injected fault (status, body or truncation)
	OutcomeDropped  = "dropped"  // the connection was closed without a response
	OutcomeCanceled = "canceled" // the client went away before the response
)

// RequestRecord is what the emulator remembers of one request. It never holds the token.
type RequestRecord struct {
	Time          time.Time // when the request arrived, by Options.Now
	Method        string    // HTTP method
	Path          string    // path and query as sent, e.g. "/v1.0/me/messages/AAMk.../send"
	Status        int       // the status answered; 0 when dropped, canceled or still pending
	Outcome       string    // one of the Outcome constants
	Bearer        bool      // whether an "Authorization: Bearer <non-empty>" header was present
	ContentLength int64     // the Content-Length header's value, or -1 when there was none
}

// maxRecords bounds the request log of a long-running server; past it the oldest half is
// forgotten.
const maxRecords = 100_000

// requestLog is the list of requests seen.
type requestLog struct {
	mu      sync.Mutex
	records []*RequestRecord
}

// start records r as pending and returns the record for finish.
func (l *requestLog) start(r *http.Request, now time.Time) *RequestRecord {
	token, _ := bearerToken(r)
	rec := RequestRecord{
		Time:          now,
		Method:        r.Method,
		Path:          r.URL.RequestURI(),
		Outcome:       OutcomePending,
		Bearer:        token != "",
		ContentLength: -1,
	}
	if r.Header.Get("Content-Length") != "" {
		rec.ContentLength = r.ContentLength
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.records) >= maxRecords {
		l.records = append(l.records[:0:0], l.records[maxRecords/2:]...)
	}
	l.records = append(l.records, &rec)
	return &rec
}

// finish sets the status and outcome of rec.
func (l *requestLog) finish(rec *RequestRecord, status int, outcome string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	rec.Status = status
	rec.Outcome = outcome
}

// Requests returns a copy of every request seen so far (the latest 100,000 at most), in arrival
// order.
func (s *Server) Requests() []RequestRecord {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	out := make([]RequestRecord, len(s.log.records))
	for i, r := range s.log.records {
		out[i] = *r
	}
	return out
}

// Count returns how many requests with the given method ("" = any, case-insensitive) had a path
// (without query) ending in pathSuffix. Pending, dropped and failed requests count: it counts what
// the server saw, e.g. Count("POST", "/send") is the number of send attempts.
func (s *Server) Count(method, pathSuffix string) int {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	n := 0
	for _, r := range s.log.records {
		path, _, _ := strings.Cut(r.Path, "?")
		if (method == "" || strings.EqualFold(method, r.Method)) && strings.HasSuffix(path, pathSuffix) {
			n++
		}
	}
	return n
}

// ResetRequests forgets the request log and the in-flight high-water mark.
func (s *Server) ResetRequests() {
	s.log.mu.Lock()
	s.log.records = nil
	s.log.mu.Unlock()
	s.flight.mu.Lock()
	s.flight.max = s.flight.cur
	s.flight.mu.Unlock()
}

// flightTracker counts requests being handled and remembers the highest count.
type flightTracker struct {
	mu      sync.Mutex
	cur     int
	max     int
	changed chan struct{} // closed and replaced on every change
}

func (f *flightTracker) enter() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cur++
	f.max = max(f.max, f.cur)
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *flightTracker) leave() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cur--
	close(f.changed)
	f.changed = make(chan struct{})
}

// MaxInFlight returns the highest number of requests handled at the same time so far.
func (s *Server) MaxInFlight() int {
	s.flight.mu.Lock()
	defer s.flight.mu.Unlock()
	return s.flight.max
}

// InFlight returns the number of requests being handled now.
func (s *Server) InFlight() int {
	s.flight.mu.Lock()
	defer s.flight.mu.Unlock()
	return s.flight.cur
}

// WaitInFlight blocks until at least n requests are being handled at once, or ctx ends. With a
// Fault.Hold rule it lets a test line up concurrent requests without sleeping.
func (s *Server) WaitInFlight(ctx context.Context, n int) error {
	for {
		s.flight.mu.Lock()
		cur, ch := s.flight.cur, s.flight.changed
		s.flight.mu.Unlock()
		if cur >= n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
