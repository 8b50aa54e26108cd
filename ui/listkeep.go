package ui

import (
	"strings"
)

// How a refresh keeps the drafts the list already holds (issue 11: memory across refreshes).

// setKept is setPages for the pages a refresh kept (see keep).
func (l *messageList) setKept(pages ...keptPage) {
	selID := l.selectedID()
	pos := l.index
	n := 0
	for _, p := range pages {
		n += len(p)
	}
	l.all, l.memo = make([]*row, 0, n), nil
	for _, p := range pages {
		l.all = append(l.all, p...)
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
// swapped: pointers to their rows.
type keptPage []*row

// kept is p as a keptPage, pointing into p.
func (p listPage) kept() keptPage {
	k := make(keptPage, len(p.rows))
	for i := range p.rows {
		k[i] = &p.rows[i]
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
	k := make(keptPage, len(p.rows))
	var fresh []int // positions in p of the messages the list does not hold as they are
	for i := range p.rows {
		if j := l.find(p.rows[i].id(), r); j >= 0 && l.all[j].same(&p.rows[i]) {
			k[i] = l.all[j]
			continue
		}
		fresh = append(fresh, i)
	}
	if len(fresh) == 0 {
		return k
	}
	var copies []row
	if len(fresh) < len(p.rows) {
		copies = make([]row, len(fresh))
	}
	for c, i := range fresh {
		k[i] = &p.rows[i]
		if copies != nil {
			copies[c] = p.rows[i]
			k[i] = &copies[c]
		}
	}
	return k
}

// find returns the position in all of the message with the given id, or
// -1, looking where r expects it first.
func (l messageList) find(id string, r *reuse) int {
	for j := r.next; j < min(r.next+reuseWindow, len(l.all)); j++ {
		if l.all[j].id() == id {
			r.next = j + 1
			return j
		}
	}
	if r.byID == nil {
		r.byID = make(map[string]int32, len(l.all))
		for j, m := range l.all {
			r.byID[m.id()] = int32(j)
		}
	}
	if j := int(r.byID[id]); j < len(l.all) && l.all[j].id() == id {
		r.next = j + 1
		return j
	}
	return -1
}
