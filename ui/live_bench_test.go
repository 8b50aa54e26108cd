package ui

import (
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// BenchmarkApplyDelta100k is the quiet refresh's work on screen for 100,000 drafts when one
// draft changed elsewhere: the list rebuilt around the drafts it keeps, sorted newest first.
//
//	go test -run '^$' -bench ApplyDelta100k -benchmem ./ui/
func BenchmarkApplyDelta100k(b *testing.B) {
	msgs := draftsForBench(b, 100_000)
	m := loadedModel(b, msgs)
	changed := m.drafts.all[500].message()
	b.ResetTimer()
	for i := range b.N {
		c := changed
		c.Subject = "Edited elsewhere"
		c.LastModified = changed.LastModified.Add(time.Duration(i+1) * time.Minute)
		mm := m
		mm.applyDelta(graph.Delta{Changed: []graph.Message{c}})
		if mm.drafts.len() != 100_000 {
			b.Fatalf("%d drafts after the delta", mm.drafts.len())
		}
	}
}
