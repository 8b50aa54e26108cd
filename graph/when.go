package graph

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limits on a scheduled send time.
const (
	// MinScheduleAhead is how far in the future a scheduled send must be;
	// anything sooner is simply a send.
	MinScheduleAhead = time.Minute
	// MaxScheduleAhead bounds how far ahead a send can be scheduled.
	MaxScheduleAhead = 366 * 24 * time.Hour
)

// ParseWhen reads a time to send at, as a person types it, relative to now
// in loc:
//
//	in 2h, in 90m, in 1h30m, in 2 hours, in 3 days
//	17:30, today 17:30, tomorrow 9:00, monday 9:00 (the next Monday)
//	2026-12-01 09:00, 2026-12-01T09:00, 2026-12-01T09:00:00Z (RFC 3339)
//
// The result must lie between MinScheduleAhead and MaxScheduleAhead from
// now; the error says what was wrong and shows the accepted forms.
func ParseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.Local
	}
	now = now.In(loc)
	in := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if in == "" {
		return time.Time{}, errWhen(s, "it is empty", now)
	}
	t, err := parseWhen(in, now, loc)
	if err != nil {
		return time.Time{}, errWhen(s, err.Error(), now)
	}
	switch d := t.Sub(now); {
	case d <= 0:
		layout := "Mon 2 Jan 15:04"
		if t.Year() != now.Year() {
			layout = "Mon 2 Jan 2006 15:04" // a day of another year is named with its year
		}
		return time.Time{}, errWhen(s, fmt.Sprintf("%s has passed", t.Format(layout)), now)
	case d < MinScheduleAhead:
		return time.Time{}, errWhen(s, fmt.Sprintf("%s is less than a minute from now (send it now instead)", t.Format("Mon 2 Jan 15:04")), now)
	case d > MaxScheduleAhead:
		return time.Time{}, errWhen(s, "it is more than a year ahead", now)
	}
	return t, nil
}

// errWhen says why s is not a time to send at, with examples that work now (the dated one two
// days ahead, never in the past).
func errWhen(s, why string, now time.Time) error {
	return fmt.Errorf("cannot schedule for %q: %s (try 'in 2h', 'tomorrow 9:00', 'monday 8:30' or '%s 09:00')", s, why, now.AddDate(0, 0, 2).Format("2006-01-02"))
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "sun": time.Sunday, "monday": time.Monday, "mon": time.Monday,
	"tuesday": time.Tuesday, "tue": time.Tuesday, "wednesday": time.Wednesday, "wed": time.Wednesday,
	"thursday": time.Thursday, "thu": time.Thursday, "friday": time.Friday, "fri": time.Friday,
	"saturday": time.Saturday, "sat": time.Saturday,
}

func parseWhen(in string, now time.Time, loc *time.Location) (time.Time, error) {
	if rest, ok := strings.CutPrefix(in, "in "); ok {
		d, err := parseSpan(rest)
		if err != nil {
			return time.Time{}, err
		}
		return now.Add(d), nil
	}
	up := strings.ToUpper(in)
	if t, err := time.Parse(time.RFC3339, up); err == nil {
		return t.In(loc), nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, up, loc); err == nil {
			return t, nil
		}
	}
	day, clock, hasDay := strings.Cut(in, " ")
	if !hasDay {
		day, clock = "today", in
	}
	h, m, err := parseClock(clock)
	if err != nil {
		return time.Time{}, err
	}
	at := func(offset int) time.Time {
		d := now.AddDate(0, 0, offset)
		return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, loc)
	}
	switch day {
	case "today":
		return at(0), nil
	case "tomorrow":
		return at(1), nil
	}
	wd, ok := weekdays[day]
	if !ok {
		return time.Time{}, fmt.Errorf("%q is not a day I know", day)
	}
	offset := (int(wd) - int(now.Weekday()) + 7) % 7
	if t := at(offset); offset > 0 || t.After(now) {
		return t, nil
	}
	return at(7), nil
}

// parseSpan reads "2h", "1h30m", "90 minutes", "3 days", "2 hours 15 min".
func parseSpan(s string) (time.Duration, error) {
	units := map[string]time.Duration{
		"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
		"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
		"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
	}
	s = strings.ReplaceAll(s, " ", "")
	var total time.Duration
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		j := i
		for j < len(s) && (s[j] < '0' || s[j] > '9') {
			j++
		}
		n, err := strconv.Atoi(s[:i])
		unit, ok := units[s[i:j]]
		if err != nil || !ok || n > 100000 {
			return 0, errors.New("a span is a number and a unit, such as 2h, 90m or 3 days")
		}
		total += time.Duration(n) * unit
		s = s[j:]
	}
	return total, nil
}

// parseClock reads "9", "9:00", "09:30", "17.30", "9am", "5:15pm".
func parseClock(s string) (hour, minute int, err error) {
	bad := fmt.Errorf("%q is not a time of day like 9:00 or 17:30", s)
	pm, am := strings.HasSuffix(s, "pm"), strings.HasSuffix(s, "am")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "pm"), "am")
	hs, ms, hasMin := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	if hour, err = strconv.Atoi(hs); err != nil {
		return 0, 0, bad
	}
	if hasMin {
		if len(ms) != 2 {
			return 0, 0, bad
		}
		if minute, err = strconv.Atoi(ms); err != nil {
			return 0, 0, bad
		}
	}
	if am || pm {
		if hour < 1 || hour > 12 {
			return 0, 0, bad
		}
		hour %= 12
		if pm {
			hour += 12
		}
	}
	if hour > 23 || minute > 59 || hour < 0 || minute < 0 {
		return 0, 0, bad
	}
	return hour, minute, nil
}
