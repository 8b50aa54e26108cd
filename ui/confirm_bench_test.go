package ui

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// BenchmarkConfirmKey50k is one key (j, scroll the recipients) and one frame of the confirm
// dialog of a draft with 50,000 recipients, as a user scrolling it sees them.
func BenchmarkConfirmKey50k(b *testing.B) {
	e := newEnv(b, emulator.Options{})
	m := start(b, e.model(b), 100, 30)
	d := graph.Message{ID: "big", Subject: "All hands", IsDraft: true, HasBody: true, Body: "Hello all."}
	for i := range 50000 {
		d.To = append(d.To, graph.Recipient{Name: fmt.Sprintf("Person %d", i), Address: fmt.Sprintf("p%d@contoso.example", i)})
	}
	m.push(newConfirm(d, ""))
	next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = next.(model)
	j := keyMsg("j")
	b.ResetTimer()
	for range b.N {
		next, _ := m.Update(j)
		m = next.(model)
		_ = m.View()
	}
}
