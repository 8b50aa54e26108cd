package ui

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// Messages that answer a request the program has since moved past must
// change nothing.

func TestRefreshDuringPagingDropsTheOldLoad(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.emu.SeedGenerated(250)
	m := e.model(t)
	m.opts.PageSize = 100
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = next.(model)
	m, _ = deliver(t, m, pageCmd(m.load.ctx, m.load.pager, m.load.gen)())
	oldGen, oldCtx, oldPager := m.load.gen, m.load.ctx, m.load.pager

	m, reload := pressOnly(m, "r")
	if oldCtx.Err() == nil {
		t.Fatal("r left the old load's requests running")
	}
	// The old load's second page arrives after r.
	stale := draftsPageMsg{gen: oldGen, page: newListPage([]graph.Message{{ID: "stale", Subject: "From the old load"}}), more: true}
	m, cmd := deliver(t, m, stale)
	if cmd != nil {
		t.Fatal("a page of the old load asked for the next one")
	}
	if len(m.load.incoming) != 0 || m.load.pager == oldPager {
		t.Fatal("a page of the old load was taken")
	}
	m, _ = drive(t, m, reload)
	if n := m.drafts.len(); n != 250 {
		t.Fatalf("%d drafts after the refresh, want 250", n)
	}
	for _, s := range subjects(m) {
		if s == "From the old load" {
			t.Fatal("a page of the old load is listed")
		}
	}
}

func TestBodyOfADraftNoLongerSelectedStaysOffScreen(t *testing.T) {
	_, m := fixture(t, 120, 30)
	ids := visibleIDs(m)
	m = press(t, m, "j")
	shown := m.preview.msg.ID
	if shown != ids[1] {
		t.Fatalf("the preview shows %q, want the second draft", shown)
	}
	late := graph.Message{ID: ids[3], Subject: "Late answer", Body: "THE LATE BODY", HasBody: true, IsDraft: true}
	m, _ = deliver(t, m, draftOpenedMsg{msg: late})
	if m.preview.msg.ID != shown || strings.Contains(screen(m), "THE LATE BODY") {
		t.Fatalf("the body of a draft no longer selected replaced the preview:\n%s", screen(m))
	}
	m, _ = deliver(t, m, openFailedMsg{id: ids[4], err: graph.ErrNoToken})
	if m.preview.err != nil {
		t.Fatal("the failure to open another draft shows in the preview")
	}
	// The full view shows one draft, whatever answers arrive.
	m = press(t, m, "enter")
	m, _ = deliver(t, m, draftOpenedMsg{msg: late})
	if m.preview.msg.ID != shown || strings.Contains(screen(m), "THE LATE BODY") {
		t.Fatalf("the body of another draft replaced the full view:\n%s", screen(m))
	}
}

func TestSentListingOlderThanTheLastIsIgnored(t *testing.T) {
	_, m := fixture(t, 80, 24)
	m = press(t, m, "tab")
	m.sent.gen++ // a newer listing was asked for since
	m, _ = deliver(t, m, sentListedMsg{gen: m.sent.gen - 1, msgs: []graph.Message{{ID: "old", Subject: "An old listing"}}})
	if m.sent.list.len() != 0 {
		t.Fatal("an older listing of Sent Items was shown")
	}
	m, _ = deliver(t, m, sentListFailedMsg{gen: m.sent.gen - 1, err: graph.ErrNoToken})
	if m.sent.err != nil {
		t.Fatal("an older listing's failure was taken")
	}
}

func TestDraftEditedInOutlookIsShownAndConfirmedAsItIsNow(t *testing.T) {
	e, m := fixture(t, 120, 30)
	d, _ := m.drafts.selected()
	if !m.preview.body || !strings.Contains(screen(m), "megan.bowen@contoso.example") {
		t.Fatalf("the preview has not opened the draft:\n%s", screen(m))
	}
	// Someone changes the recipients in Outlook; then the user refreshes.
	e.clock.Advance(time.Minute)
	e.patch(t, d.ID, map[string]any{"toRecipients": []emulator.Recipient{lee}})
	m = press(t, m, "r")
	m = press(t, m, "enter")
	if !strings.Contains(screen(m), "lee.gu@contoso.example") || strings.Contains(screen(m), "megan.bowen") {
		t.Fatalf("the full view shows the draft as it was before the edit:\n%s", screen(m))
	}
	m = press(t, m, "s")
	if s := screen(m); !strings.Contains(s, "lee.gu@contoso.example") || strings.Contains(s, "megan.bowen") {
		t.Fatalf("the confirm dialog shows recipients the draft no longer has:\n%s", s)
	}
	if n := e.emu.Count("GET", "/messages/"+d.ID); n != 2 {
		t.Fatalf("the edited draft was opened %d times, want 2 (before and after the edit)", n)
	}
}

func TestFilterKeepsTheSelectionThroughARefresh(t *testing.T) {
	e, m := fixture(t, 80, 24)
	m = press(t, m, "/", "l", "e", "e", "enter", "j") // Team lunch, and (no subject) to Lee
	picked, _ := m.drafts.selected()
	if got := subjects(m); len(got) != 2 || picked.Subject != "" {
		t.Fatalf("filtered %q, selected %q", got, picked.Subject)
	}
	e.emu.AddDraft(emulator.Draft{Subject: "Lee's notes", To: []emulator.Recipient{lee}})
	m = press(t, m, "r")
	if got := subjects(m); len(got) != 3 || got[0] != "Lee's notes" {
		t.Fatalf("filtered after r: %q", got)
	}
	if sel, _ := m.drafts.selected(); sel.ID != picked.ID {
		t.Fatalf("the selection moved from %q to %q during the refresh", picked.Subject, sel.Subject)
	}
}

func TestEarlierFilterResultDoesNotHideNewDrafts(t *testing.T) {
	e, m := fixture(t, 80, 24)
	// The list filters as keys are typed and remembers recent results,
	// for backspace; "lee" is remembered here.
	m = press(t, m, "/", "l", "e", "e", "'")
	// New drafts arrive while the filter is being typed (r would be a
	// letter of the filter: a watch or the first load does this).
	e.emu.AddDraft(emulator.Draft{Subject: "Lee's notes", To: []emulator.Recipient{lee}})
	m, reload := m.reload()
	m, _ = drive(t, m, reload)
	if got := subjects(m); len(got) != 1 || got[0] != "Lee's notes" || !m.drafts.filtering() {
		t.Fatalf("after the refresh the filter \"lee'\" shows %q (filtering %v)", got, m.drafts.filtering())
	}
	// Back to "lee": the result remembered from before the refresh must
	// not come back without the new draft.
	m = press(t, m, "backspace")
	if got := subjects(m); len(got) != 3 || !m.drafts.filtering() {
		t.Fatalf("an earlier filter result left %q (filtering %v)", got, m.drafts.filtering())
	}
}

// visibleIDs lists the ids of the visible drafts, in order.
func visibleIDs(m model) []string {
	var out []string
	for i := range m.drafts.visibleLen() {
		out = append(out, m.drafts.at(i).id())
	}
	return out
}

// patch changes a draft on the server, as Outlook would.
func (e *env) patch(t *testing.T, id string, fields map[string]any) {
	t.Helper()
	body, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPatch, e.mb.BaseURL()+"/me/messages/"+id, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test-token")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("PATCH %s: %s", id, res.Status)
	}
}
