package emulator

import (
	"net/http"
	"net/url"
	"strings"
)

// segment is one path segment: a name and an optional key in parentheses, as in
// "mailFolders('Drafts')".
type segment struct {
	name   string
	key    string
	hasKey bool
}

// parseSegments splits a decoded path into segments.
func parseSegments(path string) []segment {
	var segs []segment
	for _, part := range strings.Split(path, "/") {
		if part == "" {
			continue
		}
		seg := segment{name: part}
		if open := strings.IndexByte(part, '('); open > 0 && strings.HasSuffix(part, ")") {
			seg.name = part[:open]
			key := part[open+1 : len(part)-1]
			if len(key) >= 2 && key[0] == '\'' && key[len(key)-1] == '\'' {
				key = strings.ReplaceAll(key[1:len(key)-1], "''", "'")
			}
			seg.key, seg.hasKey = key, true
		}
		segs = append(segs, seg)
	}
	return segs
}

// is reports whether the segment's name is name (Graph's segments are case-insensitive).
func (s segment) is(name string) bool { return strings.EqualFold(s.name, name) }

// takeKey returns the key of segs[0] (the "x('key')" form) or, failing that, the next segment's
// name (the "x/key" form), and the segments after it.
func takeKey(segs []segment) (key string, rest []segment, ok bool) {
	if segs[0].hasKey {
		return segs[0].key, segs[1:], true
	}
	if len(segs) < 2 {
		return "", nil, false
	}
	return segs[1].name, segs[2:], true
}

// route dispatches a request to its handler and writes the answer (or the error) to c.w.
func (s *Server) route(c *call) {
	dispatch := s.dispatch
	if c.upload {
		dispatch = s.serveUpload
	}
	if e := dispatch(c); e != nil {
		c.writeError(e)
	}
}

func (s *Server) dispatch(c *call) *apiError {
	segs := parseSegments(c.rest)
	if len(segs) == 0 {
		return newError(http.StatusBadRequest, "BadRequest", "Invalid request.")
	}
	if len(segs) == 1 && segs[0].is("$batch") {
		return c.serveBatch()
	}
	switch {
	case segs[0].is("me") && !segs[0].hasKey:
		c.mb = s.me
		segs = segs[1:]
	case segs[0].is("users"):
		upn, rest, ok := takeKey(segs)
		if !ok {
			return errSegment(segs[0].name)
		}
		s.mu.Lock()
		c.mb = s.lookupMailboxLocked(upn)
		s.mu.Unlock()
		if c.mb == nil {
			return errInvalidUser(upn)
		}
		segs = rest
	default:
		return errSegment(segs[0].name)
	}
	c.userRef = "users('" + url.QueryEscape(c.mb.upn) + "')"
	if len(segs) == 0 {
		return c.onlyGet(c.getUser)
	}
	switch {
	case segs[0].is("mailFolders"):
		return s.routeFolders(c, segs)
	case segs[0].is("messages"):
		return s.routeMessages(c, nil, "", segs)
	case len(segs) == 1 && (segs[0].is("getMailTips") || segs[0].is("microsoft.graph.getMailTips")):
		if c.r.Method != http.MethodPost {
			return errMethod(c.r.Method)
		}
		return c.getMailTips()
	}
	return errSegment(segs[0].name)
}

// routeFolders handles mailFolders, mailFolders/{f} and mailFolders/{f}/messages/...
func (s *Server) routeFolders(c *call, segs []segment) *apiError {
	if len(segs) == 1 && !segs[0].hasKey {
		return c.onlyGet(c.listFolders)
	}
	ref, rest, _ := takeKey(segs)
	s.mu.Lock()
	f := c.mb.folder(ref)
	s.mu.Unlock()
	if f == nil {
		if malformedID(ref) {
			return errIDMalformed()
		}
		return errItemNotFound()
	}
	if len(rest) == 0 {
		return c.onlyGet(func() *apiError { return c.getFolder(f) })
	}
	if rest[0].is("messages") {
		return s.routeMessages(c, f, ref, rest)
	}
	if rest[0].is("childFolders") && len(rest) == 1 {
		return c.onlyGet(c.listNoFolders)
	}
	return errSegment(rest[0].name)
}

// routeMessages handles messages, messages/{id} and messages/{id}/send, in folder f (nil = the
// whole mailbox) named ref in the URL.
func (s *Server) routeMessages(c *call, f *folder, ref string, segs []segment) *apiError {
	if f != nil && len(segs) == 2 && !segs[0].hasKey && (segs[1].is("delta") || segs[1].is("microsoft.graph.delta")) {
		return c.onlyGet(func() *apiError { return c.deltaMessages(f, ref) })
	}
	if len(segs) == 2 && !segs[0].hasKey && segs[1].is("$count") {
		return c.onlyGet(func() *apiError { return c.countMessages(f) })
	}
	if len(segs) == 1 && !segs[0].hasKey {
		switch c.r.Method {
		case http.MethodGet:
			return c.listMessages(f, ref)
		case http.MethodPost:
			return c.createMessage(f)
		}
		return errMethod(c.r.Method)
	}
	id, rest, _ := takeKey(segs)
	switch {
	case len(rest) == 0:
		switch c.r.Method {
		case http.MethodGet:
			return c.getMessage(id)
		case http.MethodPatch:
			return c.updateMessage(id)
		case http.MethodDelete:
			return c.deleteMessage(id)
		}
		return errMethod(c.r.Method)
	case len(rest) == 1 && (rest[0].is("send") || rest[0].is("microsoft.graph.send")):
		if c.r.Method != http.MethodPost {
			return errMethod(c.r.Method)
		}
		return c.sendMessage(id)
	case len(rest) == 1 && (rest[0].is("move") || rest[0].is("microsoft.graph.move")):
		if c.r.Method != http.MethodPost {
			return errMethod(c.r.Method)
		}
		return c.moveMessage(id)
	case len(rest) == 1 && responseAction(rest[0]) != nil:
		if c.r.Method != http.MethodPost {
			return errMethod(c.r.Method)
		}
		return c.respondTo(id, *responseAction(rest[0]))
	case rest[0].is("attachments"):
		return s.routeAttachments(c, id, rest)
	}
	return errSegment(rest[0].name)
}

// routeAttachments handles messages/{id}/attachments, .../createUploadSession,
// .../attachments/{aid} and .../attachments/{aid}/$value.
func (s *Server) routeAttachments(c *call, id string, segs []segment) *apiError {
	if len(segs) == 1 && !segs[0].hasKey {
		switch c.r.Method {
		case http.MethodGet:
			return c.listAttachments(id)
		case http.MethodPost:
			return c.addAttachment(id)
		}
		return errMethod(c.r.Method)
	}
	if len(segs) == 2 && !segs[0].hasKey && (segs[1].is("createUploadSession") || segs[1].is("microsoft.graph.createUploadSession")) {
		if c.r.Method != http.MethodPost {
			return errMethod(c.r.Method)
		}
		return c.createUploadSession(id)
	}
	aid, rest, _ := takeKey(segs)
	switch {
	case len(rest) == 0:
		switch c.r.Method {
		case http.MethodGet:
			return c.getAttachment(id, aid)
		case http.MethodDelete:
			return c.deleteAttachment(id, aid)
		}
		return errMethod(c.r.Method)
	case len(rest) == 1 && rest[0].is("$value"):
		return c.onlyGet(func() *apiError { return c.getAttachmentValue(id, aid) })
	}
	return errSegment(rest[0].name)
}

// onlyGet runs h for GET requests and refuses other methods.
func (c *call) onlyGet(h func() *apiError) *apiError {
	if c.r.Method != http.MethodGet {
		return errMethod(c.r.Method)
	}
	return h()
}
