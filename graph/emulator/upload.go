package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Upload sessions: a file of 3 MB to 150 MB is attached by POST
// .../attachments/createUploadSession, then PUT byte ranges to the session's uploadUrl, in
// order, until the whole file is there. The uploadUrl is pre-authenticated (no Authorization
// header) and, as in Graph, lies outside the /v1.0 URL space (Graph's is on outlook.office.com,
// /api/v2.0/...; the emulator's is the same path on its own host).
//
//	https://learn.microsoft.com/graph/api/attachment-createuploadsession
//	https://learn.microsoft.com/graph/outlook-large-attachments
//	https://learn.microsoft.com/graph/api/resources/uploadsession

const (
	// minUploadSession: below it createUploadSession answers
	// ErrorAttachmentSizeShouldNotBeLessThanMinimumSize ("returned when attempting to create an
	// upload session to attach a file smaller than 3 MB", outlook-large-attachments). A user
	// measured 2 MiB as the real bound; the emulator keeps the documented one.
	minUploadSession = 3 << 20
	// maxUploadSession is the largest file an upload session takes: "between 3 MB and 150 MB".
	maxUploadSession = 150 << 20
	// maxUploadChunk: "iteratively upload ranges of bytes (up to 4 MB each time)".
	maxUploadChunk = 4 << 20
	// uploadSessionLife is how long a session's uploadUrl is valid. A guess: the documented
	// examples expire a couple of hours after they were made.
	uploadSessionLife = 2 * time.Hour
	// defaultMaxMessageSize is Options.MaxMessageSize's default: Graph's 150 MB.
	defaultMaxMessageSize = 150 << 20
	// uploadPrefix starts every uploadUrl path.
	uploadPrefix = "/api/v2.0/"
)

// uploadSession is an upload in progress. The caller of its methods holds the server lock.
type uploadSession struct {
	id, token string
	mb        *mailbox
	msgID     string
	file      FileAttachment // Content grows as ranges arrive
	size      int64
	expires   time.Time
}

// errMessageSizeExceeded is Graph's answer past the mailbox's message size limit, as a user
// met it during the PUTs of an upload session
// (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/2561). The status is a
// guess.
func errMessageSizeExceeded() *apiError {
	return newError(http.StatusBadRequest, "ErrorMessageSizeExceeded", "The message exceeds the maximum supported size.")
}

// maxMessageSize is the largest a message with its attachments may grow.
func (s *Server) maxMessageSize() int64 {
	if s.opts.MaxMessageSize > 0 {
		return s.opts.MaxMessageSize
	}
	return defaultMaxMessageSize
}

// attachmentsSize is the total size of the attachments of m.
func attachmentsSize(m *Message) int64 {
	var n int64
	for _, a := range m.attachments {
		n += a.size
	}
	return n
}

// createUploadSession serves POST .../messages/{id}/attachments/createUploadSession with
// {"AttachmentItem": {"attachmentType": "file", "name": ..., "size": ..., "isInline": ...,
// "contentId": ..., "contentType": ...}}: 201 and the uploadSession, nextExpectedRanges ["0-"].
func (c *call) createUploadSession(id string) *apiError {
	data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
	if err != nil {
		return errBadJSON()
	}
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(data, &outer); err != nil {
		return errBadJSON()
	}
	var raw json.RawMessage
	for k, v := range outer {
		if strings.EqualFold(k, "attachmentItem") {
			raw = v
		}
	}
	var in struct { // encoding/json matches these names in any case
		AttachmentType string
		Name           string
		Size           int64
		IsInline       bool
		ContentID      string
		ContentType    string
	}
	if raw == nil || json.Unmarshal(raw, &in) != nil {
		return newError(http.StatusBadRequest, "ErrorInvalidRequest", "The AttachmentItem parameter is missing or not valid.")
	}
	if !strings.EqualFold(in.AttachmentType, "file") {
		// A guess: only files are uploaded in sessions (attachmentItem: "At minimum, specify the
		// attachment type (file), a name, and the size of the file").
		return newError(http.StatusBadRequest, "ErrorInvalidRequest", "Only attachments of type 'file' can be uploaded in a session.")
	}
	if in.Name == "" || in.Size <= 0 {
		return newError(http.StatusBadRequest, "ErrorInvalidRequest", "The AttachmentItem needs a name and a size.")
	}
	if in.Size < minUploadSession {
		return newError(http.StatusBadRequest, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize",
			"Attachment size should not be less than %d bytes; attach smaller files with a POST on the attachments collection.", minUploadSession)
	}
	if in.Size > maxUploadSession || in.Size > c.s.maxMessageSize() {
		return errMessageSizeExceeded()
	}
	s := c.s
	s.mu.Lock()
	it, e := c.lookup(id)
	if e == nil {
		e = c.editable(it)
	}
	if e != nil {
		s.mu.Unlock()
		return e
	}
	s.seq++
	us := &uploadSession{
		id:    attachmentID(it.msg.ID, s.seq+1<<40),
		token: randomToken(),
		mb:    c.mb,
		msgID: it.msg.ID,
		file:  FileAttachment{Name: in.Name, ContentType: in.ContentType, IsInline: in.IsInline, ContentID: in.ContentID},
		size:  in.Size,
		// Graph writes the expiry with seven decimals.
		expires: c.at.UTC().Add(uploadSessionLife),
	}
	if s.uploads == nil {
		s.uploads = map[string]*uploadSession{}
	}
	s.uploads[us.id] = us
	s.mu.Unlock()

	b := append([]byte(nil), `{"@odata.context":`...)
	b = appendString(b, c.base+"/$metadata#microsoft.graph.uploadSession")
	b = append(b, `,"uploadUrl":`...)
	b = appendString(b, us.url(requestScheme(c.r)+"://"+c.r.Host))
	b = append(b, `,"expirationDateTime":`...)
	b = appendString(b, us.expires.Format("2006-01-02T15:04:05.0000000Z"))
	b = append(b, `,"nextExpectedRanges":["0-"]}`...)
	c.writeJSON(http.StatusCreated, b)
	return nil
}

func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return "eyJ" + base64.RawURLEncoding.EncodeToString(b[:])
}

// usersRef is the Users('objectId@tenantId') segment of the Outlook REST URLs.
func (us *uploadSession) usersRef() string {
	_, domain, _ := strings.Cut(us.mb.upn, "@")
	return "Users('" + us.mb.objectID + "@" + formatGUID(bytes16(mailboxSeed(domain), 7)) + "')"
}

func (us *uploadSession) url(host string) string {
	return host + uploadPrefix + us.usersRef() + "/Messages('" + us.msgID + "')/AttachmentSessions('" + us.id + "')?authtoken=" + us.token
}

// isUploadPath reports whether a request path is an uploadUrl's.
func isUploadPath(p string) bool {
	return len(p) > len(uploadPrefix) && strings.EqualFold(p[:len(uploadPrefix)], uploadPrefix)
}

// serveUpload serves the uploadUrl of a session: PUT a byte range, DELETE to cancel, GET to read
// where it stands. It needs no bearer token; the authtoken in the URL is checked instead.
func (s *Server) serveUpload(c *call) *apiError {
	segs := parseSegments(c.rest[len(uploadPrefix)-1:])
	var msgID, sid string
	for _, sg := range segs {
		switch {
		case sg.is("messages") && sg.hasKey:
			msgID = sg.key
		case sg.is("attachmentSessions") && sg.hasKey:
			sid = sg.key
		}
	}
	if sid == "" {
		return errSegment(c.rest)
	}
	s.mu.Lock()
	us := s.uploads[sid]
	if us != nil && !c.at.Before(us.expires) {
		delete(s.uploads, sid)
		us = nil
	}
	s.mu.Unlock()
	if us == nil || us.msgID != msgID {
		// A guess: a session that expired, was cancelled or finished is not found.
		return errItemNotFound()
	}
	if c.r.URL.Query().Get("authtoken") != us.token {
		return newError(http.StatusUnauthorized, "InvalidAuthenticationToken", "The authtoken of the upload URL is not valid.")
	}
	c.mb = us.mb
	switch c.r.Method {
	case http.MethodDelete:
		s.mu.Lock()
		delete(s.uploads, sid)
		s.mu.Unlock()
		c.writeEmpty(http.StatusNoContent)
		return nil
	case http.MethodGet:
		s.mu.Lock()
		next := int64(len(us.file.Content))
		s.mu.Unlock()
		c.writeUploadStatus(us, next)
		return nil
	case http.MethodPut:
		return s.putRange(c, us)
	}
	return errMethod(c.r.Method)
}

// writeUploadStatus answers a PUT that left bytes to send: 200 and where to go on, spelled as in
// outlook-large-attachments ("ExpirationDateTime" in Pascal case, "nextExpectedRanges" not).
func (c *call) writeUploadStatus(us *uploadSession, next int64) {
	host := requestScheme(c.r) + "://" + c.r.Host
	b := append([]byte(nil), `{"@odata.context":`...)
	users := strings.Replace(us.usersRef(), "@", "%40", 1) // escaped, as in the documented answer
	b = appendString(b, host+"/api/v2.0/$metadata#"+users+"/Messages('"+url.QueryEscape(us.msgID)+"')/AttachmentSessions/$entity")
	b = append(b, `,"ExpirationDateTime":`...)
	b = appendString(b, us.expires.Format("2006-01-02T15:04:05.0000000Z"))
	b = append(b, `,"nextExpectedRanges":[`...)
	b = appendString(b, strconv.FormatInt(next, 10))
	b = append(b, "]}"...)
	c.writeJSON(http.StatusOK, b)
}

// parseContentRange reads "bytes {start}-{end}/{total}".
func parseContentRange(h string) (start, end, total int64, ok bool) {
	unit, spec, found := strings.Cut(strings.TrimSpace(h), " ")
	if !found || !strings.EqualFold(unit, "bytes") {
		return 0, 0, 0, false
	}
	rng, tot, found := strings.Cut(spec, "/")
	if !found {
		return 0, 0, 0, false
	}
	a, b, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	start, err1 = strconv.ParseInt(a, 10, 64)
	end, err2 = strconv.ParseInt(b, 10, 64)
	total, err3 = strconv.ParseInt(tot, 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || start < 0 || end < start {
		return 0, 0, 0, false
	}
	return start, end, total, true
}

// putRange takes one PUT of a byte range. Ranges must come in order: the range must start where
// nextExpectedRanges says, else 416 (the status Graph documents for "The specified byte range
// is invalid or unavailable"; the code is a guess). The last range attaches the file: 201, no
// body, and a Location header with the attachment's URL (outlook-large-attachments, step 3).
func (s *Server) putRange(c *call, us *uploadSession) *apiError {
	start, end, total, ok := parseContentRange(c.r.Header.Get("Content-Range"))
	if !ok {
		return newError(http.StatusBadRequest, "ErrorInvalidContentRange",
			"The Content-Range header must be 'bytes {start}-{end}/{total}'; got '%s'.", c.r.Header.Get("Content-Range"))
	}
	if total != us.size {
		return newError(http.StatusBadRequest, "ErrorInvalidContentRange",
			"The Content-Range total %d is not the size %d the upload session was created for.", total, us.size)
	}
	n := end - start + 1
	if n > maxUploadChunk {
		return newError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			"A range may hold at most %d bytes; this one has %d.", maxUploadChunk, n)
	}
	if end >= total {
		return newError(http.StatusRequestedRangeNotSatisfiable, "ErrorInvalidRange",
			"The range %d-%d lies beyond the end of the %d-byte file.", start, end, total)
	}
	data, err := io.ReadAll(io.LimitReader(c.r.Body, n+1))
	if err != nil {
		return newError(http.StatusBadRequest, "ErrorInvalidRequest", "The range could not be read.")
	}
	if int64(len(data)) != n {
		return newError(http.StatusBadRequest, "ErrorInvalidContentRange",
			"The body has %d bytes but the Content-Range announces %d.", len(data), n)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.uploads[us.id] != us {
		return errItemNotFound()
	}
	next := int64(len(us.file.Content))
	if start != next {
		return newError(http.StatusRequestedRangeNotSatisfiable, "ErrorInvalidRange",
			"The range starts at %d; the next expected range starts at %d.", start, next)
	}
	it := us.mb.items[us.msgID]
	if it == nil || !it.visible(c.at) {
		delete(s.uploads, us.id)
		return errItemNotFound()
	}
	if attachmentsSize(&it.msg)+next+n > s.maxMessageSize() {
		delete(s.uploads, us.id)
		return errMessageSizeExceeded()
	}
	if us.file.Content == nil {
		us.file.Content = make([]byte, 0, us.size)
	}
	us.file.Content = append(us.file.Content, data...)
	if int64(len(us.file.Content)) < us.size {
		c.writeUploadStatus(us, int64(len(us.file.Content)))
		return nil
	}
	delete(s.uploads, us.id)
	if it.pendingCopy != nil {
		return errSubmitted("changed")
	}
	a := s.newFileAttachment(us.file, c.now)
	m := it.msg.clone()
	setAttachments(&m, append(m.attachments, a))
	revised := s.reviseLocked(c, it, m)
	host := requestScheme(c.r) + "://" + c.r.Host
	c.w.Header().Set("Location", host+uploadPrefix+us.usersRef()+"/Messages('"+revised.msg.ID+"')/Attachments('"+attachmentID(revised.msg.ID, a.n)+"')")
	c.writeEmpty(http.StatusCreated)
	return nil
}
