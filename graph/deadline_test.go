package graph

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The deadline of one attempt in these tests: short, since every case here
// waits it out on purpose, and far from anything a healthy loopback answer
// needs.
const testAttemptTimeout = 80 * time.Millisecond

// stallingServer serves base with handler h, counting requests, and gives
// h a channel that is closed when the test ends, so a handler that stalls
// can wait on it (or on its request's context) without outliving the test.
func stallingServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int64, done <-chan struct{})) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	done := make(chan struct{})
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		h(w, r, n.Add(1), done)
	})
	t.Cleanup(func() { close(done) }) // before serve's srv.Close, which waits for the handlers
	return base, &n
}

// stallBody sends the status and headers of an answer and the start of its
// body, then nothing more until the client hangs up or the test ends.
func stallBody(w http.ResponseWriter, r *http.Request, status int, done <-chan struct{}) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "4096")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"value":[{"id":"AAMk`))
	w.(http.Flusher).Flush()
	select {
	case <-r.Context().Done():
	case <-done:
	}
}

// stallHeaders sends nothing at all until the client hangs up or the test
// ends.
func stallHeaders(_ http.ResponseWriter, r *http.Request, done <-chan struct{}) {
	select {
	case <-r.Context().Done():
	case <-done:
	}
}

func withTimeout(d time.Duration) func(*Options) {
	return func(o *Options) { o.RequestTimeout = d }
}

// TestStalledAnswerEndsInAClearError: an answer whose body stops arriving,
// and one whose headers never come, end each attempt at the deadline (each
// of the two tries of a GET gets its own: four were four minutes of
// silence), with an error that says what happened, how often, and what to do.
func TestStalledAnswerEndsInAClearError(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stall func(http.ResponseWriter, *http.Request, <-chan struct{})
		words string
	}{
		{"body stalls", func(w http.ResponseWriter, r *http.Request, done <-chan struct{}) { stallBody(w, r, 200, done) }, "the answer stopped in the middle: not complete after 80 ms"},
		{"no headers", stallHeaders, "no answer within 80 ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, n := stallingServer(t, func(w http.ResponseWriter, r *http.Request, _ int64, done <-chan struct{}) {
				tc.stall(w, r, done)
			})
			c, waits := newTestClient(t, base, withTimeout(testAttemptTimeout))
			start := time.Now()
			_, err := c.ListDrafts(context.Background())
			took := time.Since(start)
			var te *TransportError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v (%T), want a *TransportError", err, err)
			}
			msg := Describe(err)
			t.Logf("Describe: %s", msg)
			for _, w := range []string{"list drafts", tc.words, "2 times); check the network and try again"} {
				if !strings.Contains(msg, w) {
					t.Errorf("Describe = %q, want it to say %q", msg, w)
				}
			}
			if errors.Is(err, context.DeadlineExceeded) || strings.Contains(msg, "timed out waiting") {
				t.Errorf("the attempt's deadline is reported as the caller's: %q", msg)
			}
			if got := n.Load(); got != maxStalls {
				t.Errorf("%d requests, want %d (a stalled GET is tried again, once)", got, maxStalls)
			}
			if len(waits.all()) != maxStalls-1 {
				t.Errorf("backoffs %v, want one before each retry", waits.all())
			}
			// Each try waited out its own deadline: not one deadline for all.
			if took < maxStalls*testAttemptTimeout {
				t.Errorf("took %s, less than %d deadlines of %s", took, maxStalls, testAttemptTimeout)
			}
		})
	}
}

// TestStalledGetIsRetriedWithItsOwnDeadline: the first answer stalls, the
// second comes whole: the listing succeeds.
func TestStalledGetIsRetriedWithItsOwnDeadline(t *testing.T) {
	base, n := stallingServer(t, func(w http.ResponseWriter, r *http.Request, i int64, done <-chan struct{}) {
		if i == 1 {
			stallBody(w, r, 200, done)
			return
		}
		writeJSON(w, 200, page("", wireMsg("AAMk1", "after the stall")))
	})
	c, _ := newTestClient(t, base, withTimeout(testAttemptTimeout))
	msgs, err := c.ListDrafts(context.Background())
	if err != nil || len(msgs) != 1 || msgs[0].Subject != "after the stall" {
		t.Fatalf("ListDrafts = %v, %v", msgs, err)
	}
	if n.Load() != 2 {
		t.Fatalf("%d requests, want 2", n.Load())
	}
}

// TestStalledSendAnswerIsUnclear: a send's POST is made once; if its 202's
// body stalls, or no answer comes, the error leaves the outcome unclear, so
// the send engine looks in Sent Items instead of calling it not sent.
func TestStalledSendAnswerIsUnclear(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stall func(http.ResponseWriter, *http.Request, <-chan struct{})
		words string
	}{
		{"202 whose body stalls", func(w http.ResponseWriter, r *http.Request, done <-chan struct{}) { stallBody(w, r, 202, done) }, "stopped in the middle"},
		{"no answer", stallHeaders, "no answer within"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, n := stallingServer(t, func(w http.ResponseWriter, r *http.Request, _ int64, done <-chan struct{}) {
				if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/send") {
					t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
				}
				tc.stall(w, r, done)
			})
			c, _ := newTestClient(t, base, withTimeout(testAttemptTimeout))
			err := c.Send(context.Background(), "AAMkDraft")
			if err == nil {
				t.Fatal("a stalled send answer gave no error")
			}
			if !SendOutcomeUnclear(err) {
				t.Errorf("SendOutcomeUnclear(%v) = false, want true", err)
			}
			if msg := Describe(err); !strings.Contains(msg, tc.words) || !strings.Contains(msg, "check the network") {
				t.Errorf("Describe = %q", msg)
			}
			if n.Load() != 1 {
				t.Errorf("%d POSTs, want 1", n.Load())
			}
		})
	}
}

// TestCallerDeadlineWinsOverRequestTimeout: a caller's sooner deadline ends
// the wait, and is reported as the caller's.
func TestCallerDeadlineWinsOverRequestTimeout(t *testing.T) {
	base, _ := stallingServer(t, func(w http.ResponseWriter, r *http.Request, _ int64, done <-chan struct{}) {
		stallBody(w, r, 200, done)
	})
	c, _ := newTestClient(t, base, withTimeout(time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), testAttemptTimeout)
	defer cancel()
	start := time.Now()
	_, err := c.ListDrafts(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the caller's deadline", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("took %s after the caller's deadline of %s", took, testAttemptTimeout)
	}
}

// TestDefaultRequestTimeout: a client without RequestTimeout has the
// default one.
func TestDefaultRequestTimeout(t *testing.T) {
	c, err := New(Options{Tokens: StaticToken("t")})
	if err != nil {
		t.Fatal(err)
	}
	if c.timeout != DefaultRequestTimeout || DefaultRequestTimeout <= 0 {
		t.Fatalf("timeout = %s, want %s", c.timeout, DefaultRequestTimeout)
	}
}

func TestSecondsForPeople(t *testing.T) {
	for d, want := range map[time.Duration]string{
		60 * time.Second:        "60 s",
		1500 * time.Millisecond: "1.5 s",
		80 * time.Millisecond:   "80 ms",
	} {
		if got := seconds(d); got != want {
			t.Errorf("seconds(%s) = %q, want %q", d, got, want)
		}
	}
}
