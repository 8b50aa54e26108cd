package ui

import (
	"math"
	"slices"
	"time"
	"unique"

	"github.com/draftsmail/drafts/graph"
)

// row is a message as a list holds it: what its row draws, the filter searches, a refresh
// compares and a send starts from, in about a third of the memory of a graph.Message (issue 15:
// 100,000 drafts held in under 100 MB). Its own strings are one allocation, its recipients one
// slice of interned names and addresses, its times Unix nanoseconds.
//
// Left out are what only an opened message needs: the body and its preview line, the web link,
// the conversation's id and index, the Internet message ids, the creation time and the files.
// Client.Message has them (the preview, the confirm dialog and the checks read the opened
// copy), and the send engine reads the ids it looks for the sent copy by just before the POST
// (graph.DraftState).
//
// A row is never changed once made: lists and older models share them.
type row struct {
	// text is the id, the change key, the subject and the lower-cased text the filter searches,
	// end to end.
	text                      string
	idEnd, keyEnd, subjectEnd uint32
	// people are the sender, then the To, Cc and Bcc recipients.
	people                   []graph.Recipient
	to, cc                   uint32 // how many of people are To, then Cc; the rest are Bcc
	modified, sent, deferred int64  // see stamp
	importance               graph.Importance
	kind                     graph.Kind
	hasFiles, isDraft        bool
}

// newRow is msg as a list holds it (buf is scratch space, returned for reuse).
func newRow(msg *graph.Message, buf []byte) (row, []byte) {
	buf = append(append(append(buf[:0], msg.ID...), msg.ChangeKey...), msg.Subject...)
	r := row{
		idEnd:      uint32(len(msg.ID)),
		keyEnd:     uint32(len(msg.ID) + len(msg.ChangeKey)),
		subjectEnd: uint32(len(msg.ID) + len(msg.ChangeKey) + len(msg.Subject)),
		to:         uint32(len(msg.To)),
		cc:         uint32(len(msg.Cc)),
		modified:   stamp(msg.LastModified),
		sent:       stamp(msg.Sent),
		deferred:   stamp(msg.DeferredUntil),
		importance: msg.Importance,
		kind:       msg.Kind,
		hasFiles:   msg.HasAttachments,
		isDraft:    msg.IsDraft,
	}
	buf = appendHaystack(buf, msg)
	r.text = string(buf)
	r.people = make([]graph.Recipient, 0, 1+len(msg.To)+len(msg.Cc)+len(msg.Bcc))
	r.people = append(r.people, interned(msg.From))
	for _, rs := range [][]graph.Recipient{msg.To, msg.Cc, msg.Bcc} {
		for _, p := range rs {
			r.people = append(r.people, interned(p))
		}
	}
	return r, buf
}

// interned is p with its name and address the canonical copies: a mailbox's drafts name the
// same few people again and again, and the cache's are decoded one string at a time.
func interned(p graph.Recipient) graph.Recipient {
	return graph.Recipient{Name: intern(p.Name), Address: intern(p.Address)}
}

func intern(s string) string {
	if s == "" {
		return ""
	}
	return unique.Make(s).Value()
}

// rowsOf makes the rows of msgs.
func rowsOf(msgs []graph.Message) []row {
	rows := make([]row, len(msgs))
	var buf []byte
	for i := range msgs {
		rows[i], buf = newRow(&msgs[i], buf)
	}
	return rows
}

// id is the message's Graph id.
func (r *row) id() string { return r.text[:r.idEnd] }

// subject is the message's subject as Graph has it (maybe empty).
func (r *row) subject() string { return r.text[r.keyEnd:r.subjectEnd] }

// hay is the lower-cased text the filter searches.
func (r *row) hay() string { return r.text[r.subjectEnd:] }

// lastModified is when the message last changed.
func (r *row) lastModified() time.Time { return unstamp(r.modified) }

// message is the row as a graph.Message, with the fields a row keeps; it shares the row's
// strings and recipients, so it costs no allocation.
func (r *row) message() graph.Message {
	to, cc := 1+int(r.to), 1+int(r.to)+int(r.cc)
	return graph.Message{
		ID:             r.id(),
		ChangeKey:      r.text[r.idEnd:r.keyEnd],
		Subject:        r.subject(),
		From:           r.people[0],
		To:             part(r.people[1:to]),
		Cc:             part(r.people[to:cc]),
		Bcc:            part(r.people[cc:]),
		LastModified:   unstamp(r.modified),
		Sent:           unstamp(r.sent),
		DeferredUntil:  unstamp(r.deferred),
		Importance:     r.importance,
		Kind:           r.kind,
		HasAttachments: r.hasFiles,
		IsDraft:        r.isDraft,
	}
}

// part is a part of a row's recipients, capped so that an append copies, or nil when empty.
func part(rs []graph.Recipient) []graph.Recipient {
	if len(rs) == 0 {
		return nil
	}
	return rs[:len(rs):len(rs)]
}

// same reports whether a and b hold the same message, so that either can stand for the other.
func (r *row) same(b *row) bool {
	return r == b || r.text == b.text && r.idEnd == b.idEnd && r.keyEnd == b.keyEnd &&
		r.subjectEnd == b.subjectEnd && slices.Equal(r.people, b.people) && r.to == b.to && r.cc == b.cc &&
		r.modified == b.modified && r.sent == b.sent && r.deferred == b.deferred &&
		r.importance == b.importance && r.kind == b.kind && r.hasFiles == b.hasFiles && r.isDraft == b.isDraft
}

// The times a row can hold: Unix nanoseconds reach from 1678 to 2262. A time outside is kept
// as the nearest end (Graph's are this century).
var (
	firstStamp = time.Unix(0, math.MinInt64+1)
	lastStamp  = time.Unix(0, math.MaxInt64)
)

// stamp is t as a row keeps it: Unix nanoseconds, and 0 for the zero time (so the Unix epoch
// itself reads back as no time).
func stamp(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.Before(firstStamp):
		return firstStamp.UnixNano()
	case t.After(lastStamp):
		return lastStamp.UnixNano()
	}
	return t.UnixNano()
}

// unstamp is the time stamp keeps, in UTC.
func unstamp(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
