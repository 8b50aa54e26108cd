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

// Fault is a scripted misbehaviour. The fields combine: the wait (Delay, Hold) comes first, then
// DropBeforeAct; otherwise the request is answered by Status/Body or handled normally, then
// DropAfterAct, Truncate, ContentType and RetryAfter shape what is sent back.
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
}

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
	if f.DropAfterAct {
		s.drop(w, rec)
		return
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
	s.respond(w, c.w, rec, outcome)
}
