package main

import "time"

// envDemoNow sets the demo's clock: with it, every run of --demo shows the same dates and ages
// (the recorded demos in demo/ are rendered with it), the clock going on from there.
const envDemoNow = "DRAFTS_DEMO_NOW"

// demoClock is the clock of the demo's emulator and screen: the real one, or with
// DRAFTS_DEMO_NOW (RFC 3339, e.g. 2026-03-10T14:00:00Z) one that starts at that time when the
// program starts and runs at the real pace.
func (a *app) demoClock() (func() time.Time, error) {
	raw := a.getenv(envDemoNow)
	if raw == "" {
		return time.Now, nil
	}
	at, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return nil, usageErrorf("%s: %q is not a time like 2026-03-10T14:00:00Z", envDemoNow, raw)
	}
	start := time.Now()
	return func() time.Time { return at.Add(time.Since(start)) }, nil
}
