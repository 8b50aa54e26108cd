package graph

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// FolderOutbox is the well-known Outbox, where a scheduled send waits.
const FolderOutbox = "outbox"

// expandDeferred is the $expand that brings the deferred-send time with a
// message (Message.DeferredUntil).
const expandDeferred = "singleValueExtendedProperties($filter=id eq '" + DeferredSendProperty +
	"' or id eq '" + IconIndexProperty + "' or id eq '" + InReplyToProperty + "')"

// DeferredReset is the deferred-send time a failed send later leaves on the
// draft: a time long past, which Exchange takes as "send at once", so that
// a later normal send is not silently held.
var DeferredReset = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// Scheduled lists the messages waiting in the Outbox, each with the time
// it goes out (DeferredUntil; zero for one held for another reason),
// soonest first.
func (c *Client) Scheduled(ctx context.Context) ([]Message, error) {
	q := url.Values{}
	q.Set("$select", listFields)
	q.Set("$expand", expandDeferred)
	q.Set("$top", strconv.Itoa(100))
	p := &Pager{c: c, op: "list the outbox", next: c.folderURL(FolderOutbox) + "/messages?" + encodeQuery(q), state: newPageState(100)}
	var all []Message
	for p.More() {
		msgs, err := p.Next(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, msgs...)
	}
	slices.SortStableFunc(all, func(a, b Message) int { return a.DeferredUntil.Compare(b.DeferredUntil) })
	return all, nil
}

// IsScheduled reports whether m waits to be sent at a time after now.
func (m Message) IsScheduled(now time.Time) bool { return m.DeferredUntil.After(now) }
