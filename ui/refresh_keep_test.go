package ui

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// A refresh keeps the drafts on screen that it lists again unchanged, and
// shows exactly what it listed.

func TestSameMessageLooksAtEveryField(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	base := graph.Message{
		ID:                "id",
		Subject:           "subject",
		BodyPreview:       "preview",
		From:              graph.Recipient{Name: "Adele", Address: "adele@x"},
		To:                []graph.Recipient{{Name: "Megan", Address: "megan@x"}},
		Cc:                []graph.Recipient{{Name: "Alex", Address: "alex@x"}},
		Bcc:               []graph.Recipient{{Name: "Lee", Address: "lee@x"}},
		HasAttachments:    true,
		Importance:        graph.ImportanceHigh,
		IsDraft:           true,
		Created:           at,
		LastModified:      at.Add(time.Hour),
		Sent:              at.Add(2 * time.Hour),
		InternetMessageID: "<imid@x>",
		ConversationID:    "conv",
		WebLink:           "https://x/",
		ChangeKey:         "ck",
		DeferredUntil:     at.Add(3 * time.Hour),
		Body:              "body",
		HasBody:           true,
	}
	// What a row leaves out: what only an opened message needs.
	dropped := map[string]bool{"BodyPreview": true, "Created": true, "InternetMessageID": true, "ConversationID": true,
		"ConversationIndex": true, "WebLink": true, "InReplyTo": true, "Attachments": true, "Body": true, "HasBody": true}
	rowOf := func(m graph.Message) *row {
		r, _ := newRow(&m, nil)
		return &r
	}
	same := cloneMessage(base)
	if !rowOf(base).same(rowOf(same)) {
		t.Fatal("a copy with its own strings is not the same row")
	}
	kept := base
	typ := reflect.TypeFor[graph.Message]()
	for i := range typ.NumField() {
		if dropped[typ.Field(i).Name] {
			reflect.ValueOf(&kept).Elem().Field(i).SetZero()
		}
	}
	if got := rowOf(base).message(); !reflect.DeepEqual(got, kept) {
		t.Fatalf("the row's message is\n%+v, want\n%+v", got, kept)
	}
	for i := range typ.NumField() {
		f := typ.Field(i)
		changed := cloneMessage(base)
		v := reflect.ValueOf(&changed).Elem().Field(i)
		switch val := v.Addr().Interface().(type) {
		case *string:
			*val += "!"
		case *graph.Importance:
			*val = graph.ImportanceLow
		case *graph.Kind:
			*val++
		case *[]graph.Attachment:
			*val = append(*val, graph.Attachment{Name: "x"})
		case *bool:
			*val = !*val
		case *time.Time:
			*val = val.Add(time.Second)
		case *graph.Recipient:
			val.Name += "!"
		case *[]graph.Recipient:
			*val = []graph.Recipient{{Name: (*val)[0].Name, Address: "other@x"}}
		default:
			t.Fatalf("field %s (%s): teach this test to change it, and row to keep it (or say it is dropped)", f.Name, f.Type)
		}
		if differs := !rowOf(base).same(rowOf(changed)); differs == dropped[f.Name] {
			t.Errorf("field %s: the rows differ %v; the row drops it %v", f.Name, differs, dropped[f.Name])
		}
	}
}

// A recipient moved from To to Cc is a change, as is a time a row cannot tell from another.
func TestRowsOfRecipientsInOtherPlacesDiffer(t *testing.T) {
	p := graph.Recipient{Name: "Megan", Address: "megan@x"}
	a, _ := newRow(&graph.Message{ID: "x", To: []graph.Recipient{p}}, nil)
	b, _ := newRow(&graph.Message{ID: "x", Cc: []graph.Recipient{p}}, nil)
	if a.same(&b) {
		t.Error("To and Cc are the same to a row")
	}
	for _, when := range []time.Time{{}, time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if got := unstamp(stamp(when)); !when.IsZero() == got.IsZero() {
			t.Errorf("%v is kept as %v", when, got)
		}
	}
}

// cloneMessage is m with strings and slices of its own, as a new listing
// decodes them.
func cloneMessage(m graph.Message) graph.Message {
	c := m
	v := reflect.ValueOf(&c).Elem()
	for i := range v.NumField() {
		switch f := v.Field(i); f.Kind() {
		case reflect.String:
			f.SetString(strings.Clone(f.String()))
		case reflect.Slice:
			if f.IsNil() {
				continue
			}
			f.Set(reflect.AppendSlice(reflect.MakeSlice(f.Type(), 0, f.Len()), f))
		}
	}
	for _, rs := range []*[]graph.Recipient{&c.To, &c.Cc, &c.Bcc} {
		for j := range *rs {
			(*rs)[j] = graph.Recipient{Name: strings.Clone((*rs)[j].Name), Address: strings.Clone((*rs)[j].Address)}
		}
	}
	return c
}

func TestKeepHoldsTheListsDraftsAndCopiesOutTheOthers(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	old := numbered(60, func(i int) string { return "Subject " + string(rune('A'+i%26)) })
	for i := range old {
		old[i].LastModified = at.Add(-time.Duration(i) * time.Minute)
	}
	l := newMessageList(newKeyMap())
	l.setPages(newListPage(old[:30]), newListPage(old[30:]))
	held := map[string]*row{}
	for _, r := range l.all {
		held[r.id()] = r
	}
	onScreen := func(id string) *row { return held[id] }

	// The new listing, decoded afresh: m10 edited (first now), a new
	// draft, m3 sent, m20 to m39 deleted (more than the window), the rest
	// as they were.
	var listed []graph.Message
	edited := cloneMessage(old[10])
	edited.Subject, edited.LastModified, edited.ChangeKey = "Edited", at.Add(time.Minute), "ck2"
	listed = append(listed, edited, graph.Message{ID: "new", Subject: "New", LastModified: at.Add(30 * time.Second)})
	for i := range old {
		if i != 10 && i != 3 && (i < 20 || i >= 40) {
			listed = append(listed, cloneMessage(old[i]))
		}
	}
	allNew := []graph.Message{{ID: "n1", Subject: "N1"}, {ID: "n2", Subject: "N2"}}
	listed = append(listed, allNew...) // a last page of none the list holds

	var r reuse
	var kept []keptPage
	var pages []listPage
	for start := 0; start < len(listed)-len(allNew); start += 7 {
		pages = append(pages, newListPage(cloneMessages(listed[start:min(start+7, len(listed)-len(allNew))])))
	}
	pages = append(pages, newListPage(cloneMessages(allNew)))
	for _, p := range pages {
		kept = append(kept, l.keep(p, &r))
	}
	l.setKept(kept...)

	if l.len() != len(listed) {
		t.Fatalf("%d drafts after the refresh, want %d", l.len(), len(listed))
	}
	for i, want := range listed {
		got := l.all[i]
		if wantRow, _ := newRow(&want, nil); !got.same(&wantRow) {
			t.Errorf("draft %d is %+v, want %+v", i, got.message(), want)
		}
		if hay := string(appendHaystack(nil, &want)); got.hay() != hay {
			t.Errorf("draft %d: filter text %q, want %q", i, got.hay(), hay)
		}
		was := onScreen(want.ID)
		switch reused := was != nil && want.ID != edited.ID; {
		case reused && got != was:
			t.Errorf("draft %s was listed unchanged but is not the one on screen", want.ID)
		case !reused && was != nil && got == was:
			t.Errorf("draft %s changed but the list kept the old one", want.ID)
		}
	}
	// A new or changed draft from a page the list otherwise holds is a
	// copy, so the page can go; a page of nothing but new drafts is kept.
	for pi, p := range pages {
		last := pi == len(pages)-1
		for i := range p.rows {
			intoPage := false
			for _, d := range l.all {
				intoPage = intoPage || d == &p.rows[i]
			}
			if intoPage != last {
				t.Errorf("page %d, draft %s: held in the page %v, want %v", pi, p.rows[i].id(), intoPage, last)
			}
		}
	}
}

func cloneMessages(msgs []graph.Message) []graph.Message {
	out := make([]graph.Message, len(msgs))
	for i, m := range msgs {
		out[i] = cloneMessage(m)
	}
	return out
}

// TestRefreshShowsWhatItListed refreshes against the emulator after drafts
// were edited, deleted and added there: the list is then exactly a fresh
// listing, and the drafts it repeats unchanged are those it already held.
func TestRefreshShowsWhatItListed(t *testing.T) {
	const n = 2500
	e := newEnv(t, emulator.Options{})
	e.emu.SeedGenerated(n)
	m := e.model(t)
	m.opts.PageSize = 1000
	m.load.pager = e.mb.Drafts(1000)
	m = start(t, m, 120, 40)
	m = press(t, m, "/", "f", "o", "r", "e", "c", "a", "s", "t", "enter")
	if !m.drafts.filtered() || m.drafts.len() != n {
		t.Fatalf("%d drafts, filtered %v", m.drafts.len(), m.drafts.filtered())
	}
	before := map[string]*row{}
	for _, d := range m.drafts.all {
		before[d.id()] = d
	}

	e.clock.Advance(time.Minute)
	edited := m.drafts.all[1500].id()
	e.patch(t, edited, map[string]any{"subject": "Forecast, edited"})
	for _, d := range m.drafts.all[990:1010] { // across a page boundary
		if err := e.emu.DeleteElsewhere("", d.id()); err != nil {
			t.Fatal(err)
		}
	}
	e.emu.AddDraft(emulator.Draft{Subject: "A new forecast", LastModified: e.clock.Now(), Created: e.clock.Now()})

	m = press(t, m, "r")
	want, err := e.mb.ListDrafts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if m.drafts.len() != len(want) || len(want) != n-20+1 {
		t.Fatalf("%d drafts after the refresh, %d listed, want %d", m.drafts.len(), len(want), n-20+1)
	}
	reused := 0
	for i := range want {
		got := m.drafts.all[i]
		if wantRow, _ := newRow(&want[i], nil); !got.same(&wantRow) {
			t.Fatalf("draft %d is %+v, want %+v", i, got.message(), want[i])
		}
		if got == before[got.id()] {
			reused++
		}
	}
	if reused != n-20-1 {
		t.Errorf("the refresh kept %d of the drafts on screen, want %d (all but the edited and the deleted)", reused, n-20-1)
	}
	// The filter was applied to the new list at the swap: the edited draft
	// and the new one are among the matches.
	fresh := newMessageList(newKeyMap())
	fresh.setPages(newListPage(want))
	fresh.filterBy("forecast")
	got, w := ids(m.drafts), ids(fresh)
	if !reflect.DeepEqual(got, w) {
		t.Errorf("filtered after the refresh: %d drafts, want %d", len(got), len(w))
	}
	if len(w) < 2 || !strings.Contains(strings.ToLower(m.drafts.at(0).subject()+m.drafts.at(1).subject()), "a new forecast") ||
		!slices.Contains(got, edited) {
		t.Errorf("the new draft and the edited one are not among the matches (first %q, %q)", m.drafts.at(0).subject(), m.drafts.at(1).subject())
	}
}
