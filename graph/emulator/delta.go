package emulator

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Delta query of a folder's messages: GET .../mailFolders/{f}/messages/delta. The first call
// (no token) pages through every message, then ends with an @odata.deltaLink; a call with that
// link's $deltatoken returns only what changed since: messages added or changed, in full, and
// removed ones as {"id", "@removed": {"reason"}}; "changed" when the message left the folder
// (moved, or deleted to Deleted Items: it can be restored), "deleted" when it is gone for good.
// $deltatoken=latest answers no messages, only a deltaLink from now. Pages follow
// @odata.nextLink ($skiptoken); Prefer: odata.maxpagesize sets their size.
//
//	https://learn.microsoft.com/graph/api/message-delta
//	https://learn.microsoft.com/graph/delta-query-messages
//
// GUESSES: the default page size (10), the token format (opaque to clients anyway), the answer
// to an expired token (410 Gone, code SyncStateNotFound, the code Exchange gives for a sync state
// it no longer holds), and that $expand is honoured as in a listing. A message that disappears
// because its time passed (a deferred send kept in Drafts) is not reported as removed.

// change is one entry of a folder's change log.
type change struct {
	ver     uint64
	id      string
	removed string // "" when added or changed; else the @removed reason
}

// Delta defaults and bounds.
const (
	deltaDefaultPage = 10
	deltaMaxPage     = 1000
	deltaLogMax      = 1 << 16 // changes a folder remembers; older tokens expire
)

// logChange notes a change of item id in f (the version already bumped).
func (f *folder) logChange(id, removed string) {
	f.log = append(f.log, change{ver: f.version, id: id, removed: removed})
	if len(f.log) > deltaLogMax {
		f.logStart = f.log[len(f.log)/2].ver
		f.log = slices.Clone(f.log[len(f.log)/2:])
	}
}

// ExpireDeltaTokens makes every delta token handed out so far expired (410), as Exchange does
// when it drops a sync state.
func (s *Server) ExpireDeltaTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, mb := range s.mailboxes {
		for _, f := range mb.folders {
			f.logStart = f.version + 1
			f.log = nil
		}
	}
}

// deltaToken is "folder id.version" as an opaque token.
func deltaToken(f *folder, ver uint64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(f.id + "." + strconv.FormatUint(ver, 10)))
}

// parseDeltaToken reads a token of folder f: its version, or false.
func parseDeltaToken(f *folder, tok string) (uint64, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	id, v, ok := strings.Cut(string(raw), ".")
	if !ok || id != f.id {
		return 0, false
	}
	n, err := strconv.ParseUint(v, 10, 64)
	return n, err == nil
}

// deltaMessages serves GET .../mailFolders/{f}/messages/delta.
func (c *call) deltaMessages(f *folder, ref string) *apiError {
	raw := c.r.URL.Query()
	deltaTok, skipTok := raw.Get("$deltatoken"), raw.Get("$skiptoken")
	rest := url.Values{}
	for k, v := range raw {
		if k != "$deltatoken" && k != "$skiptoken" {
			rest[k] = v
		}
	}
	q, e := parseQuery(rest)
	if e != nil {
		return e
	}
	size := deltaDefaultPage
	if n := preferredPageSize(c.r.Header, deltaMaxPage); n > 0 {
		size = n
		c.applied("odata.maxpagesize=" + strconv.Itoa(size))
	}
	s := c.s
	s.mu.Lock()
	since, upto, offset := uint64(0), f.version, 0
	expired := func() *apiError {
		s.mu.Unlock()
		return newError(http.StatusGone, "SyncStateNotFound", "The sync state is no longer available: start a new sync.")
	}
	switch {
	case skipTok != "":
		parts := strings.Split(skipTok, "~")
		var err1, err2, err3 error
		if len(parts) == 3 {
			since, err1 = strconv.ParseUint(parts[0], 10, 64)
			upto, err2 = strconv.ParseUint(parts[1], 10, 64)
			offset, err3 = strconv.Atoi(parts[2])
		}
		if len(parts) != 3 || err1 != nil || err2 != nil || err3 != nil || offset < 0 {
			s.mu.Unlock()
			return newError(http.StatusBadRequest, "ErrorInvalidSyncStateData", "The sync state data is corrupt or otherwise invalid.")
		}
	case strings.EqualFold(deltaTok, "latest"):
		s.mu.Unlock()
		return c.writeDelta(f, ref, rest, nil, q, "", deltaToken(f, upto))
	case deltaTok != "":
		v, ok := parseDeltaToken(f, deltaTok)
		if !ok {
			s.mu.Unlock()
			return newError(http.StatusBadRequest, "ErrorInvalidSyncStateData", "The sync state data is corrupt or otherwise invalid.")
		}
		since = v
	}
	if since != 0 && since < f.logStart {
		return expired()
	}
	var out []deltaEntry
	if since == 0 {
		for _, it := range f.view(nil) {
			if it.visible(c.at) {
				out = append(out, deltaEntry{it: it})
			}
		}
	} else {
		latest := map[string]change{}
		var order []string
		for _, ch := range f.log {
			if ch.ver <= since || ch.ver > upto {
				continue
			}
			if _, seen := latest[ch.id]; !seen {
				order = append(order, ch.id)
			}
			latest[ch.id] = ch
		}
		for _, id := range order {
			ch := latest[id]
			if ch.removed != "" {
				out = append(out, deltaEntry{id: id, removed: ch.removed})
				continue
			}
			if it := f.items[id]; it != nil && it.visible(c.at) {
				out = append(out, deltaEntry{it: it})
			}
		}
	}
	s.mu.Unlock()
	start := min(offset, len(out))
	end := min(start+size, len(out))
	next, link := "", ""
	if end < len(out) {
		next = strconv.FormatUint(since, 10) + "~" + strconv.FormatUint(upto, 10) + "~" + strconv.Itoa(end)
	} else {
		link = deltaToken(f, upto)
	}
	return c.writeDelta(f, ref, rest, out[start:end], q, next, link)
}

// deltaEntry is one element of a delta page: a message, or a removal.
type deltaEntry struct {
	it      *item
	id      string
	removed string
}

// writeDelta writes a delta page: its entries, and a nextLink (skip) or a deltaLink (token).
func (c *call) writeDelta(f *folder, ref string, rest url.Values, entries []deltaEntry, q *query, skip, token string) *apiError {
	base := c.base + "/" + c.userRef + "/mailFolders('" + ref + "')/messages/delta"
	link := func(name, v string) string {
		u := url.Values{}
		for k, vs := range rest {
			u[k] = vs
		}
		u.Set(name, v)
		return base + "?" + u.Encode()
	}
	meta := c.base + "/$metadata#" + c.userRef
	b := make([]byte, 0, 4096)
	b = append(b, `{"@odata.context":`...)
	b = appendString(b, meta+"/mailFolders('"+ref+"')/messages/delta"+selectSuffix(q))
	appendLink := func(b []byte) []byte {
		if skip != "" {
			b = append(b, `,"@odata.nextLink":`...)
			return appendString(b, link("$skiptoken", skip))
		}
		b = append(b, `,"@odata.deltaLink":`...)
		return appendString(b, link("$deltatoken", token))
	}
	if !c.s.opts.NextLinkLast {
		b = appendLink(b) // before "value", as in Graph's examples (message-delta)
	}
	b = append(b, `,"value":[`...)
	o := c.render()
	for i, e := range entries {
		if i > 0 {
			b = append(b, ',')
		}
		if e.it == nil {
			b = append(b, `{"@odata.type":"#microsoft.graph.message","id":`...)
			b = appendString(b, e.id)
			b = append(b, `,"@removed":{"reason":`...)
			b = appendString(b, e.removed)
			b = append(b, "}}"...)
			continue
		}
		b = appendMessage(b, e.it, q.sel, o)
		if q.expand != nil {
			b = appendExpanded(b, e.it, q.expand, meta)
		}
	}
	b = append(b, ']')
	if c.s.opts.NextLinkLast {
		b = appendLink(b)
	}
	b = append(b, '}')
	c.writeJSON(http.StatusOK, b)
	return nil
}
