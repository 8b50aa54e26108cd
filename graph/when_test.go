package graph

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestParseWhen(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	now := time.Date(2026, 11, 26, 14, 20, 0, 0, loc) // a Thursday
	tests := []struct {
		in   string
		want time.Time
	}{
		{"in 2h", now.Add(2 * time.Hour)},
		{"in 90m", now.Add(90 * time.Minute)},
		{"in 1h30m", now.Add(90 * time.Minute)},
		{"In 2 Hours", now.Add(2 * time.Hour)},
		{"in 3 days", now.Add(72 * time.Hour)},
		{"in 2 hours 15 min", now.Add(135 * time.Minute)},
		{"17:30", time.Date(2026, 11, 26, 17, 30, 0, 0, loc)},
		{"today 5:15pm", time.Date(2026, 11, 26, 17, 15, 0, 0, loc)},
		{"tomorrow 9:00", time.Date(2026, 11, 27, 9, 0, 0, 0, loc)},
		{"tomorrow 9am", time.Date(2026, 11, 27, 9, 0, 0, 0, loc)},
		{"tomorrow 12am", time.Date(2026, 11, 27, 0, 0, 0, 0, loc)},
		{"monday 8:30", time.Date(2026, 11, 30, 8, 30, 0, 0, loc)},
		{"thu 9:00", time.Date(2026, 12, 3, 9, 0, 0, 0, loc)}, // today's 9:00 has passed: next week
		{"thursday 18.00", time.Date(2026, 11, 26, 18, 0, 0, 0, loc)},
		{"2026-12-01 09:00", time.Date(2026, 12, 1, 9, 0, 0, 0, loc)},
		{"2026-12-01T09:00", time.Date(2026, 12, 1, 9, 0, 0, 0, loc)},
		{"2026-12-01T08:00:00Z", time.Date(2026, 12, 1, 9, 0, 0, 0, loc)},
	}
	for _, tt := range tests {
		got, err := ParseWhen(tt.in, now, loc)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseWhen(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseWhenRejects(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 11, 26, 14, 20, 0, 0, loc)
	for _, in := range []string{
		"", "soon", "in", "in 2 fortnights", "in -2h", "9:00", "today 14:20", "25:00", "tomorrow 9:5",
		"13pm", "someday 9:00", "in 400 days", "2020-01-01 09:00", "in 0m",
	} {
		_, err := ParseWhen(in, now, loc)
		if err == nil {
			t.Errorf("ParseWhen(%q) accepted", in)
			continue
		}
		if !strings.Contains(err.Error(), "tomorrow 9:00") {
			t.Errorf("ParseWhen(%q) error %q does not show the accepted forms", in, err)
		}
	}
}

// The example in the error is a time to come, and taking it works; a time gone is called so.
func TestParseWhenErrorExampleWorks(t *testing.T) {
	now := time.Date(2026, 12, 1, 15, 33, 0, 0, time.UTC)
	_, err := ParseWhen("2026-12-01 09:00", now, time.UTC)
	if err == nil || !strings.Contains(err.Error(), "Tue 1 Dec 09:00 has passed") {
		t.Fatalf("a past time: %v", err)
	}
	if _, err := ParseWhen("2020-01-01 09:00", now, time.UTC); err == nil || !strings.Contains(err.Error(), "Wed 1 Jan 2020 09:00 has passed") {
		t.Fatalf("a time of another year: %v", err)
	}
	m := regexp.MustCompile(`'(\d{4}-\d\d-\d\d 09:00)'`).FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("no dated example in %q", err)
	}
	if _, err := ParseWhen(m[1], now, time.UTC); err != nil {
		t.Fatalf("the example %q does not work: %v", m[1], err)
	}
}
