package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// matching returns the visible items of f (nil = every folder) that the query's $filter and
// $search select, in the order $orderby asks for.
func (c *call) matching(f *folder, q *query) []*item {
	s := c.s
	s.mu.Lock()
	var sorted []*item
	pending := false
	if f != nil {
		sorted = f.view(q.orderBy)
		pending = c.at.Before(f.pendingUntil)
	} else {
		sorted = make([]*item, 0, len(c.mb.items))
		for _, it := range c.mb.items {
			sorted = append(sorted, it)
		}
		pending = true
	}
	s.mu.Unlock()
	if f == nil {
		sortItems(sorted, q.orderBy)
	}
	// sorted is immutable and its items too, so the rest runs without the lock.
	if !pending && q.filter == nil && q.search == nil {
		return sorted
	}
	matches := make([]*item, 0, len(sorted))
	for _, it := range sorted {
		if it.visible(c.at) && (q.filter == nil || q.filter.match(it)) && (q.search == nil || it.matchesSearch(q.search)) {
			matches = append(matches, it)
		}
	}
	return matches
}

// countMessages serves GET .../messages/$count: the number of messages the $filter (or
// $search) selects, as a plain-text integer.
// https://learn.microsoft.com/graph/query-parameters#count-parameter ("GET
// https://graph.microsoft.com/v1.0/me/messages/$count" in the examples of
// https://learn.microsoft.com/graph/api/user-list-messages).
func (c *call) countMessages(f *folder) *apiError {
	q, e := parseQuery(c.r.URL.Query())
	if e != nil {
		return e
	}
	n := len(c.matching(f, q))
	c.w.Header().Set("Content-Type", "text/plain;charset=utf-8")
	c.w.Header().Set("OData-Version", "4.0")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(strconv.AppendInt(nil, int64(n), 10))
	return nil
}

// listMessages serves GET .../messages: the visible items of f (nil = every folder), filtered,
// sorted and paged as the query asks.
func (c *call) listMessages(f *folder, ref string) *apiError {
	q, e := parseQuery(c.r.URL.Query())
	if e != nil {
		return e
	}
	top := c.pageSize(q)
	matches := c.matching(f, q)
	total := len(matches)
	start := min(q.skip, total)
	end := min(start+top, total)
	page := matches[start:end]

	o := c.render()
	meta := c.base + "/$metadata#" + c.userRef
	ctx := meta
	if f != nil {
		ctx += "/mailFolders('" + ref + "')"
	}
	ctx += "/messages" + selectSuffix(q)

	next := ""
	if end < total {
		next = c.nextLink(end, top != q.top)
	}
	b := make([]byte, 0, 4096)
	b = append(b, `{"@odata.context":`...)
	b = appendString(b, ctx)
	if q.count {
		b = append(b, `,"@odata.count":`...)
		b = strconv.AppendInt(b, int64(total), 10)
	}
	// Graph puts the next link before "value" on a page of messages (a captured GET /me/messages:
	// https://github.com/pnp/blog/blob/main/content/post/introduction-to-json/index.md);
	// Options.NextLinkLast puts it after, so that no client comes to depend on its place.
	if next != "" && !c.s.opts.NextLinkLast {
		b = appendNextLink(b, next)
	}
	b = append(b, `,"value":[`...)
	for i, it := range page {
		if i > 0 {
			b = append(b, ',')
		}
		before := len(b)
		b = appendMessage(b, it, q.sel, o)
		if q.expand != nil {
			b = appendExpanded(b, it, q.expand, meta)
		}
		if i == 0 && len(page) > 1 {
			// Size the buffer once from the first message, rather than
			// doubling it all the way to a megabyte.
			b = slices.Grow(b, (len(b)-before+1)*(len(page)-1)*9/8+64)
		}
	}
	b = append(b, ']')
	if next != "" && c.s.opts.NextLinkLast {
		b = appendNextLink(b, next)
	}
	b = append(b, '}')
	c.writeJSON(http.StatusOK, b)
	return nil
}

// appendNextLink appends `,"@odata.nextLink":"..."`.
func appendNextLink(b []byte, link string) []byte {
	b = append(b, `,"@odata.nextLink":`...)
	return appendString(b, link)
}

// selectSuffix is the "(a,b)" part of @odata.context for a $select.
func selectSuffix(q *query) string {
	if q == nil || q.sel == nil {
		return ""
	}
	return "(" + strings.Join(q.selNames, ",") + ")"
}

// preferredBody returns the body type asked for with Prefer, and notes it as applied.
func (c *call) preferredBody() string {
	t := preferBodyType(c.r.Header)
	if t != "" {
		c.applied(`outlook.body-content-type="` + t + `"`)
	}
	return t
}

// render returns how the request asks for messages to be written, and notes the preferences
// it applies.
func (c *call) render() render {
	o := render{bodyType: c.preferredBody(), immutable: wantsImmutableIDs(c.r.Header)}
	if o.immutable {
		c.applied(`IdType="ImmutableId"`)
	}
	return o
}

// lookup finds the visible item with the given id, in either form (immutable.go). The caller
// holds the server lock.
func (c *call) lookup(id string) (*item, *apiError) {
	it := c.mb.items[id]
	if it == nil {
		it = c.mb.byImmutable[id]
	}
	if it == nil || !it.visible(c.at) {
		if malformedID(id) {
			return nil, errIDMalformed()
		}
		return nil, errItemNotFound()
	}
	return it, nil
}

// writeMessage writes one message with its @odata.context.
func (c *call) writeMessage(status int, it *item, q *query) {
	ctx := c.base + "/$metadata#" + c.userRef + "/messages" + selectSuffix(q) + "/$entity"
	var sel []bool
	if q != nil {
		sel = q.sel
	}
	b := appendMessageWith(make([]byte, 0, 2048), it, sel, c.render(), ctx)
	if q != nil && q.expand != nil {
		b = appendExpanded(b, it, q.expand, c.base+"/$metadata#"+c.userRef)
	}
	c.writeJSON(status, b)
}

// getMessage serves GET .../messages/{id}.
func (c *call) getMessage(id string) *apiError {
	q, e := parseQuery(c.r.URL.Query())
	if e != nil {
		return e
	}
	c.s.mu.Lock()
	it, e := c.lookup(id)
	c.s.mu.Unlock()
	if e != nil {
		return e
	}
	c.writeMessage(http.StatusOK, it, q)
	return nil
}

// createMessage serves POST .../messages: a new draft in f (nil = Drafts).
func (c *call) createMessage(f *folder) *apiError {
	in, e := readMessageInput(c.r)
	if e != nil {
		return e
	}
	s := c.s
	s.mu.Lock()
	if f == nil {
		f = c.mb.byName["drafts"]
	}
	// As Graph's example answer shows (https://learn.microsoft.com/graph/api/user-post-messages,
	// example 1): a draft made with JSON has no from and no sender until it is sent or they are
	// set, and its sentDateTime is the time it was saved, not null. An HTML body is stored
	// wrapped in a whole document (body.go).
	now := c.now
	m := Message{IsDraft: true, IsRead: true, SentDateTime: &now}
	in.apply(&m)
	wrapHTMLBody(&m, in)
	// Attachments may come with the message ("attachments": [{"@odata.type":
	// "#microsoft.graph.fileAttachment", ...}]), each under the POST limit of 3 MB.
	var atts []*attachment
	for _, raw := range in.Attachments {
		a, e := s.readAttachment(raw, c.now)
		if e != nil {
			s.mu.Unlock()
			return e
		}
		atts = append(atts, a)
	}
	setAttachments(&m, atts)
	it := s.newItem(c.mb, m, "", c.now)
	f.insert(it)
	s.mu.Unlock()
	c.writeMessage(http.StatusCreated, it, nil)
	return nil
}

// updateMessage serves PATCH .../messages/{id}.
func (c *call) updateMessage(id string) *apiError {
	in, e := readMessageInput(c.r)
	if e != nil {
		return e
	}
	if in.Attachments != nil {
		// A guess at Graph's answer: attachments are added with POST .../attachments.
		return newError(http.StatusBadRequest, "ErrorInvalidRequest",
			"Attachments cannot be changed by an update of the message; use the attachments collection.")
	}
	s := c.s
	s.mu.Lock()
	old, e := c.lookup(id)
	if e != nil {
		s.mu.Unlock()
		return e
	}
	if e := c.checkIfMatch(old); e != nil {
		s.mu.Unlock()
		return e
	}
	if old.pendingCopy != nil {
		// A guess, as for a second send (see errSubmitted): refusing keeps what
		// goes out at its time equal to what the draft shows until then.
		s.mu.Unlock()
		return errSubmitted("changed")
	}
	if !old.msg.IsDraft && in.draftOnly() {
		s.mu.Unlock()
		return newError(http.StatusBadRequest, "ErrorInvalidPropertyUpdateSentMessage",
			"Update operation is invalid for property of a sent message.")
	}
	m := old.msg.clone()
	in.apply(&m)
	wrapHTMLBody(&m, in)
	m.LastModifiedDateTime = c.now
	s.seq++
	it := &item{msg: m, text: old.text, seq: old.seq, availableAt: old.availableAt, goneAt: old.goneAt}
	if in.Body != nil {
		it.text = bodyText(m.Body)
	}
	it.msg.BodyPreview = preview(it.text)
	it.touch(c.mb.seed, s.seq)
	old.folder.replace(it)
	s.mu.Unlock()
	c.writeMessage(http.StatusOK, it, nil)
	return nil
}

// deleteMessage serves DELETE .../messages/{id}: like Graph, it moves the item to Deleted Items
// (under a new id), or removes it for good when it is already there. Deleting a deferred send
// kept in Drafts cancels it (see cancelHeld).
func (c *call) deleteMessage(id string) *apiError {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	it, e := c.lookup(id)
	if e != nil {
		return e
	}
	if e := c.checkIfMatch(it); e != nil {
		return e
	}
	it.folder.remove(it)
	cancelHeld(it)
	if trash := c.mb.byName["deleteditems"]; it.folder != trash {
		m := it.msg.clone()
		m.LastModifiedDateTime = c.now
		moved := s.newItem(c.mb, m, it.text, m.CreatedDateTime)
		trash.insert(moved)
	}
	c.writeEmpty(http.StatusNoContent)
	return nil
}
