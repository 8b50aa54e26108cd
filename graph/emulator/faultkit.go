package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The constructors below build the faults Graph is known to produce, with the codes and
// messages it sends, so that a test script reads like the incident it reproduces:
//
//	emu.Inject(emulator.Rule{Method: "POST", Path: "/send", Times: 1, Fault: emulator.Throttled("2.128")})

// Throttled is Graph's 429 ApplicationThrottled with the given Retry-After header value ("2",
// "2.128", an HTTP date, "3600"; "" sends none).
func Throttled(retryAfter string) Fault {
	return Fault{Status: http.StatusTooManyRequests, Code: "ApplicationThrottled",
		Message: "Application is over its MailboxConcurrency limit.", RetryAfter: retryAfter}
}

// RetryAfterDate formats t as an HTTP date for a Retry-After header.
func RetryAfterDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// ServerError is a 5xx answer (500, 502, 503, 504) with Graph's error body for it.
func ServerError(status int) Fault { return Fault{Status: status} }

// ExpiredToken is Graph's 401 for an access token past its lifetime.
func ExpiredToken() Fault {
	return Fault{Status: http.StatusUnauthorized, Code: "InvalidAuthenticationToken",
		Message: "Lifetime validation failed, the token is expired."}
}

// Denied is a 403 with one of Graph's permission codes: ErrorAccessDenied (a missing Mail.Read,
// Mail.ReadWrite or Mail.Send permission), ErrorSendAsDenied (no Send As right on the From
// address) or ErrorQuotaExceeded (the mailbox is full), with the message Graph sends with it.
func Denied(code string) Fault {
	msg := "Access is denied. Check credentials and try again."
	switch code {
	case "ErrorSendAsDenied":
		msg = "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message."
	case "ErrorQuotaExceeded":
		msg = "The process failed to get the correct properties."
	}
	return Fault{Status: http.StatusForbidden, Code: code, Message: msg}
}

// InvalidRecipients is Graph's 400 for a draft with no recipient, worded as Graph words it.
func InvalidRecipients() Fault {
	e := (&Message{}).errRecipients()
	return Fault{Status: e.status, Code: e.code, Message: e.message}
}

// HTMLErrorPage answers status with an HTML page, as a proxy or load balancer in front of Graph
// does.
func HTMLErrorPage(status int) Fault {
	text := strconv.Itoa(status) + " " + http.StatusText(status)
	return Fault{Status: status, ContentType: "text/html; charset=utf-8",
		Body: []byte("<html><head><title>" + text + "</title></head><body><h1>" + text + "</h1></body></html>\n")}
}

// TruncatedJSON answers 200 with the first half of the real answer.
func TruncatedJSON() Fault { return Fault{Truncate: true} }

// NotJSON answers 200 with a body that is not JSON at all, labelled as JSON.
func NotJSON() Fault { return Fault{Body: []byte("this is not JSON\n")} }

// WrongContentType answers normally but labels the JSON as text/plain.
func WrongContentType() Fault { return Fault{ContentType: "text/plain; charset=utf-8"} }

// goneElsewhere does what f.Gone says to the message named in the request's path, without
// recording anything in the request log: another client did it.
func (s *Server) goneElsewhere(c *call, g Gone) {
	user, id, ok := messageInPath(c.rest)
	if !ok {
		return
	}
	switch g {
	case GoneSent:
		_ = s.SendElsewhere(user, id)
	case GoneDeleted:
		_ = s.DeleteElsewhere(user, id)
	}
}

// messageInPath finds the mailbox ("" = /me) and message id in a path such as
// /me/messages/{id}/send or /users/{upn}/mailFolders/drafts/messages/{id}.
func messageInPath(rest string) (user, id string, ok bool) {
	segs := parseSegments(rest)
	if len(segs) > 0 && segs[0].is("users") {
		upn, more, found := takeKey(segs)
		if !found {
			return "", "", false
		}
		user, segs = upn, more
	}
	for i, sg := range segs {
		if sg.is("messages") {
			if key, _, found := takeKey(segs[i:]); found {
				return user, key, true
			}
		}
	}
	return "", "", false
}

// ErrNoSuchDraft is returned by SendElsewhere and DeleteElsewhere for an id that is not a
// visible message of the mailbox.
var ErrNoSuchDraft = errors.New("emulator: no such message")

// SendElsewhere sends the draft id of user's mailbox ("" = /me) as another client would: it
// leaves Drafts and its copy is put in Sent Items (visible after the send delay). The request
// log does not record it.
func (s *Server) SendElsewhere(user, id string) error {
	return s.actElsewhere(user, func(c *call) *apiError { return c.sendMessage(id) })
}

// DeleteElsewhere deletes the message id of user's mailbox ("" = /me) as another client would
// (it moves to Deleted Items under a new id). The request log does not record it.
func (s *Server) DeleteElsewhere(user, id string) error {
	return s.actElsewhere(user, func(c *call) *apiError { return c.deleteMessage(id) })
}

func (s *Server) actElsewhere(user string, act func(c *call) *apiError) error {
	s.mu.Lock()
	mb := s.lookupMailboxLocked(user)
	s.mu.Unlock()
	if mb == nil {
		return ErrNoSuchDraft
	}
	r, _ := http.NewRequest(http.MethodPost, "http://elsewhere.invalid/", http.NoBody)
	r.Header.Set("Content-Length", "0")
	r.ContentLength = 0
	at := s.opts.Now()
	c := &call{s: s, r: r, w: newBufResponse(), at: at, now: at.UTC().Truncate(time.Second), mb: mb}
	if e := act(c); e != nil {
		if e.status == http.StatusNotFound || e.status == http.StatusBadRequest {
			return ErrNoSuchDraft
		}
		return errors.New("emulator: " + e.message)
	}
	return nil
}

// serveOversize answers 200 with a JSON object of n bytes, written in chunks so that the
// emulator never holds it: a client that reads too much is the one that runs out of memory.
func (s *Server) serveOversize(w http.ResponseWriter, rec *RequestRecord, n int64) {
	const head, tail = `{"value":[],"padding":"`, `"}`
	h := w.Header()
	h.Set("Content-Type", jsonContentType)
	if n < int64(len(head)+len(tail)) {
		n = int64(len(head) + len(tail))
	}
	h.Set("Content-Length", strconv.FormatInt(n, 10))
	s.log.finish(rec, http.StatusOK, OutcomeInjected)
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte(head)); err != nil {
		return
	}
	chunk := []byte(strings.Repeat("x", 64<<10))
	left := n - int64(len(head)+len(tail))
	for left > 0 {
		k := min(left, int64(len(chunk)))
		if _, err := w.Write(chunk[:k]); err != nil {
			return // the client stopped reading
		}
		left -= k
	}
	_, _ = w.Write([]byte(tail))
}

// setNextLink replaces the @odata.nextLink of a buffered JSON object answer; it reports whether
// it could.
func setNextLink(b *bufResponse, link string) bool {
	if b.status != 0 && b.status != http.StatusOK {
		return false
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(b.body, &doc) != nil {
		return false
	}
	raw, err := json.Marshal(link)
	if err != nil {
		return false
	}
	doc["@odata.nextLink"] = raw
	body, err := json.Marshal(doc)
	if err != nil {
		return false
	}
	b.body = body
	return true
}

// Stop ends serving like Close (the listener and every connection close: clients meet a network
// outage) but keeps the mailboxes and the request log, and lets Start serve again, on the same
// address to end the outage.
func (s *Server) Stop() error {
	err := s.Close()
	s.lifeMu.Lock()
	s.srv = nil
	s.lifeMu.Unlock()
	return err
}
