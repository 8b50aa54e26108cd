package graph

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// parseRetryAfter reads a Retry-After header: seconds, which Graph may give
// with a fraction ("2.128"), or an HTTP date. It reports false when the
// value is absent or unreadable. A date in the past means no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if math.IsNaN(secs) || secs < 0 {
			return 0, false
		}
		// Cap before converting so absurd values cannot overflow.
		if secs > 7*24*3600 {
			secs = 7 * 24 * 3600
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// backoff returns the wait before retry number attempt (1-based) when the
// server gave no Retry-After: exponential from 500 ms, capped at 8 s, with
// full jitter so that many clients do not retry in step.
func backoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	ceiling := 500 * time.Millisecond << min(attempt-1, 4)
	if ceiling > 8*time.Second {
		ceiling = 8 * time.Second
	}
	// Full jitter, but never less than a quarter of the ceiling so a
	// retry is never immediate.
	return ceiling/4 + rand.N(ceiling-ceiling/4+1)
}

// PollDelay is the wait before look number n (0-based) for a sent copy in
// Sent Items: 0.5 s, 1 s, 2 s, 4 s, then 5 s, as the design asks. It is
// exported so the terminal UI polls on the same schedule as SendAndConfirm.
func PollDelay(n int) time.Duration {
	if n < 0 {
		n = 0
	}
	d := 500 * time.Millisecond << min(n, 4)
	return min(d, 5*time.Second)
}
