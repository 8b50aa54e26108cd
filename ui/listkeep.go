package ui

import (
	"slices"
	"strings"

	"github.com/draftsmail/drafts/graph"
)

// How a refresh keeps the drafts the list already holds (issue 11: memory across refreshes).

// setKept is setPages for the pages a refresh kept (see keep).
func (l *messageList) setKept(pages ...keptPage) {
	selID := l.selectedID()
	pos := l.index
	n := 0
	for _, p := range pages {
		n += len(p.msgs)
	}
	l.all, l.hay, l.memo = make([]*graph.Message, 0, n), nil, nil
	if l.canFilter {
		l.hay = make([]string, 0, n)
	}
	for _, p := range pages {
		l.all = append(l.all, p.msgs...)
		if l.canFilter {
			l.hay = append(l.hay, p.hay...)
		}
	}
	l.fill = &fill{n: len(l.all)}
	if l.words != nil {
		words := l.words
		l.words = nil
		l.filterBy(strings.Join(words, " "))
	}
	l.selectID(selID, pos)
}

// keptPage is a page of messages as a refresh keeps it until the list is
// swapped: pointers to the messages, and their filter text when the list
// filters.
type keptPage struct {
	msgs []*graph.Message
	hay  []string
}

// kept is p as a keptPage, pointing into p, its filter text prepared if
// the list filters and p came without it.
func (p listPage) kept(filters bool) keptPage {
	k := keptPage{msgs: make([]*graph.Message, len(p.msgs))}
	for i := range p.msgs {
		k.msgs[i] = &p.msgs[i]
	}
	if !filters {
		return k
	}
	k.hay = p.hay
	if len(p.hay) != len(p.msgs) {
		k.hay = make([]string, len(p.msgs))
		var buf []byte
		for i := range p.msgs {
			k.hay[i], buf = haystack(&p.msgs[i], buf)
		}
	}
	return k
}

// reuse is what a refresh knows of the list it is to replace: where in it
// the next message listed probably is (the messages come in the same order
// as last time, less those sent or deleted, after those new or changed),
// and, from the first message not found there on, the positions of all of
// them by id.
type reuse struct {
	next int
	byID map[string]int32
}

// reuseWindow is how far past the expected position a refresh looks for
// the next message before it asks the index (a few drafts sent or deleted
// since the last listing).
const reuseWindow = 8

// keep is how a refresh keeps a page until it replaces the whole list with
// setKept. A message the list already holds, exactly as it is (nearly all
// of them, nearly always), is kept as the list's own, with its filter
// text: the page's copy is garbage at once, so a refresh holds one list of
// the drafts, not two. (Holding the page instead doubled what the program
// held until the swap, and Go's collector lets the heap grow to twice
// what is live: 100,000 drafts took 140 MB after the first load and
// 370–450 MB after a few refreshes.) The other messages, new or changed,
// are copied out of the page into one array of their own, so the rest of
// the page is not kept for them; when none of the page is in the list,
// the page itself is kept.
func (l messageList) keep(p listPage, r *reuse) keptPage {
	k := keptPage{msgs: make([]*graph.Message, len(p.msgs))}
	if l.canFilter {
		k.hay = make([]string, len(p.msgs))
	}
	var fresh []int // positions in p of the messages the list does not hold as they are
	for i := range p.msgs {
		if j := l.find(p.msgs[i].ID, r); j >= 0 && sameMessage(l.all[j], &p.msgs[i]) {
			k.msgs[i] = l.all[j]
			if l.canFilter {
				k.hay[i] = l.hay[j]
			}
			continue
		}
		fresh = append(fresh, i)
	}
	if len(fresh) == 0 {
		return k
	}
	var copies []graph.Message
	if len(fresh) < len(p.msgs) {
		copies = make([]graph.Message, len(fresh))
	}
	var buf []byte
	for c, i := range fresh {
		msg := &p.msgs[i]
		if copies != nil {
			copies[c] = *msg
			msg = &copies[c]
		}
		k.msgs[i] = msg
		switch {
		case !l.canFilter:
		case len(p.hay) == len(p.msgs):
			k.hay[i] = p.hay[i]
		default:
			k.hay[i], buf = haystack(msg, buf)
		}
	}
	return k
}

// find returns the position in all of the message with the given id, or
// -1, looking where r expects it first.
func (l messageList) find(id string, r *reuse) int {
	for j := r.next; j < min(r.next+reuseWindow, len(l.all)); j++ {
		if l.all[j].ID == id {
			r.next = j + 1
			return j
		}
	}
	if r.byID == nil {
		r.byID = make(map[string]int32, len(l.all))
		for j, m := range l.all {
			r.byID[m.ID] = int32(j)
		}
	}
	if j := int(r.byID[id]); j < len(l.all) && l.all[j].ID == id {
		r.next = j + 1
		return j
	}
	return -1
}

// sameMessage reports whether a and b are the same in every field, so that
// either can stand for the other. (A test checks that it looks at every
// field of graph.Message.)
func sameMessage(a, b *graph.Message) bool {
	if a == b {
		return true
	}
	return a.ID == b.ID && a.ChangeKey == b.ChangeKey && a.LastModified == b.LastModified &&
		a.Subject == b.Subject && a.BodyPreview == b.BodyPreview && a.From == b.From &&
		slices.Equal(a.To, b.To) && slices.Equal(a.Cc, b.Cc) && slices.Equal(a.Bcc, b.Bcc) &&
		a.HasAttachments == b.HasAttachments && a.Importance == b.Importance && a.IsDraft == b.IsDraft &&
		a.Created == b.Created && a.Sent == b.Sent && a.InternetMessageID == b.InternetMessageID &&
		a.ConversationID == b.ConversationID && a.ConversationIndex == b.ConversationIndex && a.WebLink == b.WebLink &&
		a.DeferredUntil == b.DeferredUntil && a.Body == b.Body && a.HasBody == b.HasBody &&
		a.Kind == b.Kind && a.InReplyTo == b.InReplyTo && slices.Equal(a.Attachments, b.Attachments)
}
