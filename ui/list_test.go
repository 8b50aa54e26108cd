package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/draftsmail/drafts/graph"
)

// numbered returns n messages "m0".."m<n-1>" with subjects of the given
// form and one recipient each.
func numbered(n int, subject func(i int) string) []graph.Message {
	out := make([]graph.Message, n)
	for i := range out {
		out[i] = graph.Message{ID: fmt.Sprint("m", i), Subject: subject(i),
			To: []graph.Recipient{{Name: "Megan Bowen", Address: "megan@contoso.example"}}}
	}
	return out
}

func ids(l messageList) []string {
	var out []string
	for i := range l.visibleLen() {
		out = append(out, l.at(i).id())
	}
	return out
}

func TestHaystackIsTheLowerCasedSubjectAndRecipients(t *testing.T) {
	m := graph.Message{Subject: "Ünïcode ÀND ASCII Ωmega",
		To: []graph.Recipient{{Name: "Inês Gonçalves", Address: "INES@Fabrikam.example"}},
		Cc: []graph.Recipient{{Address: "cc@x"}}, Bcc: []graph.Recipient{{Name: "田中 美咲", Address: "b@x"}}}
	want := strings.ToLower(m.Subject + " Inês Gonçalves INES@Fabrikam.example  cc@x 田中 美咲 b@x")
	if got := string(appendHaystack(nil, &m)); got != want {
		t.Fatalf("haystack = %q, want %q", got, want)
	}
}

func TestFilterNarrowsBroadensAndRemembers(t *testing.T) {
	l := newMessageList(newKeyMap())
	l.setSize(60, 30)
	subjects := []string{"Q3 forecast", "Q3 forecasting notes", "q4 plan", "forecast Q3", "lunch"}
	l.setPages(newListPage(numbered(len(subjects), func(i int) string { return subjects[i] })))
	for _, step := range []struct {
		term string
		want []string
	}{
		{"q3", []string{"m0", "m1", "m3"}},
		{"q3 forecast", []string{"m0", "m1", "m3"}},
		{"q3 forecasti", []string{"m1"}},            // narrows: only the earlier matches are searched
		{"q3 forecast", []string{"m0", "m1", "m3"}}, // back: remembered
		{"forecast q", []string{"m0", "m1", "m3"}},  // words in any order
		{"MEGAN LUNCH", []string{"m4"}},             // recipients, any case
		{"", []string{"m0", "m1", "m2", "m3", "m4"}},
		{"nothing", nil},
	} {
		l.filterBy(step.term)
		if got := ids(l); !slices.Equal(got, step.want) {
			t.Fatalf("filter %q keeps %q, want %q", step.term, got, step.want)
		}
	}
}

func TestPagesAppendedWhileFiltered(t *testing.T) {
	l := newMessageList(newKeyMap())
	l.setSize(60, 30)
	all := numbered(30, func(i int) string { return fmt.Sprint("draft ", i%3) })
	l.setPages(newListPage(all[:10]))
	l.filterBy("draft 1")
	l.appendPage(newListPage(all[10:20])) // without prepared filter text
	l.appendPage(newListPage(all[20:]))
	var want []string
	for i := 1; i < 30; i += 3 {
		want = append(want, fmt.Sprint("m", i))
	}
	if got := ids(l); !slices.Equal(got, want) {
		t.Fatalf("filtered %q, want %q", got, want)
	}
	l.filterBy("")
	if l.visibleLen() != 30 {
		t.Fatalf("%d visible without a filter", l.visibleLen())
	}
}

func TestAppendNeverChangesAnOlderCopy(t *testing.T) {
	l := newMessageList(newKeyMap())
	all := numbered(6, func(i int) string { return fmt.Sprint("s", i) })
	l.setPages(newListPage(all[:2]))
	l.appendPage(newListPage(all[2:3])) // leaves room in the arrays
	older := l
	a, b := older, older
	a.appendPage(newListPage(all[3:4]))
	b.appendPage(newListPage(all[4:6]))
	if got := ids(older); !slices.Equal(got, []string{"m0", "m1", "m2"}) {
		t.Fatalf("the older copy shows %q", got)
	}
	if got := ids(a); !slices.Equal(got, []string{"m0", "m1", "m2", "m3"}) {
		t.Fatalf("copy a shows %q", got)
	}
	if got := ids(b); !slices.Equal(got, []string{"m0", "m1", "m2", "m4", "m5"}) {
		t.Fatalf("copy b shows %q", got)
	}
	a.filterBy("s3")
	b.filterBy("s4")
	if !slices.Equal(ids(a), []string{"m3"}) || !slices.Equal(ids(b), []string{"m4"}) {
		t.Fatalf("filters: a %q, b %q", ids(a), ids(b))
	}
}

func TestViewDrawsOnlyThePageInView(t *testing.T) {
	l := newMessageList(newKeyMap())
	l.setSize(40, 9) // three rows a page
	l.setPages(newListPage(numbered(100_000, func(i int) string { return fmt.Sprint("Subject ", i) })))
	l.selectIndex(50_001)
	got := l.view(rowDelegate{st: newStyles(true), now: epoch})
	// Pages of three: 50,001 is the first row of page 16,667.
	if !strings.Contains(got, "Subject 50001") || !strings.Contains(got, "Subject 50003") ||
		strings.Contains(got, "Subject 50000") || strings.Contains(got, "Subject 50004") {
		t.Fatalf("the page of 50,001 is not rows 50,001-50,003:\n%s", got)
	}
	if n := strings.Count(got, "\n") + 1; n != 9 {
		t.Fatalf("%d lines, want 9", n)
	}
}

// TestSendCycleRequests counts the Graph requests from 'y' on when the
// copy is in Sent Items at the first look: the changeKey read again (what
// was confirmed is what is sent), the send, the look, and one page to
// refresh the drafts (no count, no Sent Items listing, which is not on
// screen): four.
func TestSendCycleRequests(t *testing.T) {
	e, m := fixture(t, 80, 24) // no preview pane: no body to open
	m = press(t, m, "s")
	e.emu.ResetRequests()
	m = press(t, m, "y")
	wantStatus(t, m, kindOK, "is in Sent Items after")
	var got []string
	for _, r := range e.emu.Requests() {
		path, _, _ := strings.Cut(r.Path, "?")
		got = append(got, r.Method+" "+path[strings.LastIndex(path, "/mailFolders")+1:])
	}
	if len(got) != 4 || !strings.HasPrefix(got[0], "GET ") || !strings.Contains(got[0], "/messages/") ||
		!strings.HasPrefix(got[1], "POST ") || got[2] != "GET mailFolders/sentitems/messages" ||
		got[3] != "GET mailFolders/drafts/messages" {
		t.Fatalf("requests after y: %q, want the draft's changeKey read again, the send, one look in Sent Items and one page of drafts", got)
	}
	// Sent Items is listed when it is looked at.
	e.emu.ResetRequests()
	m = press(t, m, "tab")
	if n := e.emu.Count("GET", "mailFolders/sentitems/messages"); n != 1 || !strings.Contains(screen(m), "✓ just sent") {
		t.Fatalf("%d listings of Sent Items on tab:\n%s", n, screen(m))
	}
}

func TestRefreshAsksNoCount(t *testing.T) {
	e, m := fixture(t, 80, 24)
	if n := e.emu.Count("GET", "mailFolders/drafts"); n != 1 {
		t.Fatalf("%d counts on the first load, want 1", n)
	}
	e.emu.ResetRequests()
	m = press(t, m, "r")
	if got := len(e.emu.Requests()); got != 1 || m.drafts.len() != 6 {
		t.Fatalf("%d requests to refresh 6 drafts, want 1", got)
	}
}

// A filter that matches nothing says so, does not offer enter, and enter does not drop it
// silently: the words stay to be fixed, and esc clears them.
func TestFilterWithNoMatch(t *testing.T) {
	_, m := fixture(t, 100, 30)
	m = press(t, m, "/", "z", "z", "z")
	s := screen(m)
	if !strings.Contains(s, "Nothing matches the filter") || strings.Contains(s, "enter apply") || !strings.Contains(s, "esc cancel filter") {
		t.Fatalf("no match:\n%s", s)
	}
	m = press(t, m, "enter")
	if !m.drafts.filtering() || m.drafts.filterText() != "zzz" {
		t.Fatalf("enter with no match: filtering %v, %q", m.drafts.filtering(), m.drafts.filterText())
	}
	m = press(t, m, "esc")
	if m.drafts.filtering() || m.drafts.visibleLen() != 6 {
		t.Fatalf("esc: filtering %v, %d shown", m.drafts.filtering(), m.drafts.visibleLen())
	}
}
