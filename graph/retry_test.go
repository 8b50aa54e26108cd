package graph

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"2", 2 * time.Second, true},
		{"2.128", 2128 * time.Millisecond, true},
		{" 0 ", 0, true},
		{"3600", time.Hour, true},
		{"1e12", 7 * 24 * time.Hour, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"", 0, false},
		{"-1", 0, false},
		{"NaN", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoffGrowsWithinBounds(t *testing.T) {
	for attempt := 1; attempt <= 8; attempt++ {
		ceiling := min(500*time.Millisecond<<(attempt-1), 8*time.Second)
		for range 200 {
			d := backoff(attempt)
			if d < ceiling/4 || d > ceiling {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, d, ceiling/4, ceiling)
			}
		}
	}
}

func TestPollDelaySchedule(t *testing.T) {
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	for n, w := range want {
		if got := PollDelay(n); got != w {
			t.Errorf("PollDelay(%d) = %v, want %v", n, got, w)
		}
	}
}
