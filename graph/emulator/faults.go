package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Rule says which requests a Fault applies to. Rules are tried in the order they were injected;
// the first matching rule with uses left applies, and only one rule applies to a request.
type Rule struct {
	// Method matches the request method, case-insensitive; "" matches any.
	Method string
	// Path matches when the request path after the version segment contains it, e.g. "/send" or
	// "mailFolders/drafts/messages"; "" matches any.
	Path string
	// Query, if non-empty, must also be contained in the request's decoded query string, e.g.
	// "internetMessageId" to hit only the Sent Items look-ups.
	Query string
	// Times is how many matching requests the rule applies to; 0 means every one.
	Times int
	// Fault is what happens to a matching request.
	Fault Fault
}

// Fault is a scripted misbehaviour. The fields combine, in this order: the wait (Delay, Hold),
// then DropBeforeAct; then Gone acts as another client would; then the request is answered by
// Oversize, Status/Body or handled normally; then the wait after the act (DelayAfterAct,
// HoldAfterAct), DropAfterAct, and NextLink, Truncate, ContentType and RetryAfter shape what is
// sent back. Throttled, ExpiredToken, Denied, ServerError and the other constructors in
// faultkit.go build the common ones.
type Fault struct {
	// Status, if non-zero, answers with this status instead of handling the request, with a Graph
	// error body made of Code and Message (defaults chosen by status), unless Body is set.
	Status int
	// Code and Message fill the Graph error body of an injected Status.
	Code, Message string
	// RetryAfter is the raw Retry-After header value to send ("2", "2.128", an HTTP date, "3600").
	RetryAfter string
	// Delay is waited before answering; the wait ends early if the client goes away.
	Delay time.Duration
	// Hold, if non-nil, blocks the request until the channel is closed (or the client goes away):
	// a deterministic way for tests to keep requests in flight.
	Hold <-chan struct{}
	// DropBeforeAct closes the connection without a response and without performing the action.
	DropBeforeAct bool
	// DropAfterAct performs the action (a send really happens) and then closes the connection
	// without a response.
	DropAfterAct bool
	// Body, if non-nil, is sent as the raw response body (with Status, default 200) instead of
	// handling the request: truncated JSON, an HTML error page, anything.
	Body []byte
	// ContentType overrides the response's Content-Type.
	ContentType string
	// Truncate handles the request normally but sends only the first half of the body.
	Truncate bool

	// Gone, before the request is handled, sends (GoneSent) or deletes (GoneDeleted) the message
	// whose id is in the request's path, as another client (Outlook on the phone) would a moment
	// earlier: a send or GET of that draft then meets Graph's 404.
	Gone Gone
	// DelayAfterAct and HoldAfterAct wait after the request was handled (a send has happened)
	// and before the answer is written, so a test can kill the client while its POST is in
	// flight but already acted on. The wait ends early if the client goes away; the act stays.
	DelayAfterAct time.Duration
	HoldAfterAct  <-chan struct{}
	// NextLink replaces the @odata.nextLink of a JSON answer (a listing page) with this absolute
	// URL: another host, or a page already read.
	NextLink string
	// NextLinkToSelf makes a listing page's @odata.nextLink point at the page itself: a loop.
	NextLinkToSelf bool
	// Oversize answers 200 with a JSON body of this many bytes, streamed without holding it in
	// memory (a 50 MB answer to a listing, say).
	Oversize int64
}

// Gone says what another client did to a message just before a request for it.
type Gone int

// What Fault.Gone can do.
const (
	GoneNot     Gone = iota // nothing
	GoneSent                // the draft was sent elsewhere: it left Drafts, its copy is in Sent Items
	GoneDeleted             // the draft was deleted elsewhere: it is in Deleted Items
)

// faultList holds the injected rules and their remaining uses.
type faultList struct {
	mu    sync.Mutex
	rules []*activeRule
}

type activeRule struct {
	Rule
	left int // remaining uses; -1 = unlimited
}

// Inject adds a fault rule. Rules apply in insertion order.
func (s *Server) Inject(r Rule) {
	left := r.Times
	if left <= 0 {
		left = -1
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.rules = append(s.faults.rules, &activeRule{Rule: r, left: left})
}

// ClearFaults removes every injected rule.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.rules = nil
}

// match finds the first rule that applies to a request and uses it up once.
func (l *faultList) match(method, path, rawQuery string) *Fault {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.rules {
		if r.left == 0 {
			continue
		}
		if r.Method != "" && !strings.EqualFold(r.Method, method) {
			continue
		}
		if r.Path != "" && !strings.Contains(path, r.Path) {
			continue
		}
		if r.Query != "" {
			q, err := url.QueryUnescape(rawQuery)
			if err != nil || !strings.Contains(q, r.Query) {
				continue
			}
		}
		if r.left > 0 {
			r.left--
		}
		f := r.Fault
		return &f
	}
	return nil
}

// serveFault answers a request that matched a fault rule.
func (s *Server) serveFault(w http.ResponseWriter, c *call, rec *RequestRecord, f *Fault) {
	if !wait(c.r.Context(), f.Delay, f.Hold) {
		s.log.finish(rec, 0, OutcomeCanceled)
		return
	}
	if f.DropBeforeAct {
		s.drop(w, rec)
		return
	}
	if f.Gone != GoneNot {
		s.goneElsewhere(c, f.Gone)
	}
	if f.Oversize > 0 {
		s.serveOversize(w, rec, f.Oversize)
		return
	}
	outcome := OutcomeServed
	switch {
	case f.Body != nil:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		c.w.Header().Set("Content-Type", jsonContentType)
		c.w.WriteHeader(status)
		_, _ = c.w.Write(f.Body)
		outcome = OutcomeInjected
	case f.Status != 0:
		code, msg := defaultFault(f.Status)
		if f.Code != "" {
			code = f.Code
		}
		if f.Message != "" {
			msg = f.Message
		}
		c.writeError(&apiError{status: f.Status, code: code, message: msg})
		outcome = OutcomeInjected
	default:
		s.route(c)
	}
	if !wait(c.r.Context(), f.DelayAfterAct, f.HoldAfterAct) {
		s.log.finish(rec, 0, OutcomeCanceled)
		return
	}
	if f.DropAfterAct {
		s.drop(w, rec)
		return
	}
	if f.NextLink != "" || f.NextLinkToSelf {
		link := f.NextLink
		if f.NextLinkToSelf {
			link = requestScheme(c.r) + "://" + c.r.Host + c.r.URL.RequestURI()
		}
		if setNextLink(c.w, link) {
			outcome = OutcomeInjected
		}
	}
	if f.Truncate {
		c.w.body = c.w.body[:len(c.w.body)/2]
		outcome = OutcomeInjected
	}
	if f.ContentType != "" {
		c.w.Header().Set("Content-Type", f.ContentType)
		outcome = OutcomeInjected
	}
	if f.RetryAfter != "" {
		c.w.Header().Set("Retry-After", f.RetryAfter)
	}
	s.respond(w, c.r, c.w, rec, outcome)
}
