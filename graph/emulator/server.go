package emulator

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// DefaultUser is the UPN /me resolves to when Options.User is empty.
const DefaultUser = "adele.vance@contoso.example"

// DefaultSendDelay is how long a sent message takes to show in Sent Items by default.
const DefaultSendDelay = 1500 * time.Millisecond

// Options configure a Server. The zero value is a usable configuration.
type Options struct {
	// User is the UPN that /me resolves to; default DefaultUser.
	User string
	// SendDelay is the time from a send until its copy is visible in Sent Items. Zero means
	// DefaultSendDelay; to make sent copies visible immediately set NoSendDelay (or a negative
	// SendDelay).
	SendDelay time.Duration
	// NoSendDelay makes sent copies visible in Sent Items at the moment of the send.
	NoSendDelay bool
	// Token, if non-empty, is the only bearer token accepted; otherwise any bearer token of a
	// valid form is accepted: an RFC 6750 token, and when it has dots a well-formed JWT whose
	// "exp", if any, has not passed (auth.go).
	Token string
	// Latency is added before every response (demo realism). It is a real wait, cut short when
	// the request's context ends.
	Latency time.Duration
	// Now is the clock; default time.Now. Every timestamp and the visibility of sent copies are
	// computed from it, never from timers, so a test can drive time by hand.
	Now func() time.Time
	// DeferredInDrafts makes a deferred send (a draft with the deferred-send time
	// "SystemTime 0x3FEF" in the future, then POST .../send) behave as users report of
	// Outlook.com, instead of as Exchange Online does (the default: the message leaves Drafts
	// at once and waits in the Outbox under a new id). The POST is answered 202 and the draft
	// stays in Drafts: the same id, still listed there, isDraft true, its deferred time kept,
	// with a new changeKey and lastModifiedDateTime. At its time it leaves Drafts (Graph
	// answers 404 for its id) and its copy is in Sent Items under a new id, after SendDelay,
	// as for any send. Until then it is submitted, not editable: a second POST .../send and
	// any PATCH are answered 400 ErrorInvalidOperation, and a DELETE cancels the send (the
	// draft goes to Deleted Items and no copy is ever sent).
	//
	// All of this but "stays in Drafts with its time until it goes out" is a guess (see
	// send.go, which gives the reason for each).
	DeferredInDrafts bool
	// MaxMessageSize is the largest a message with its attachments may grow, in bytes: an upload
	// session PUT past it is answered ErrorMessageSizeExceeded. Zero means 150 MB, the most
	// Graph allows; Exchange Online's default for a mailbox is 35 MB.
	MaxMessageSize int64
	// Language is the language of the mailboxes (a BCP 47 tag such as "de-DE"; default English):
	// the subject prefixes and the quoted header of the replies and forwards the server makes
	// (createReply, createForward...) are Outlook's in that language ("AW:"/"WG:" in German).
	Language string
	// NextLinkLast puts a listing or delta page's @odata.nextLink (and a delta's
	// @odata.deltaLink) after "value" instead of before it, where Graph puts it for messages
	// (FIDELITY.md), so that a client can be tested not to depend on the position of a
	// property in a JSON object.
	NextLinkLast bool
	// FaultControl opens FaultsPath, where a client outside the process scripts faults over
	// HTTP (faultapi.go); off, it answers 404.
	FaultControl bool
}

// Server is an emulated Microsoft Graph mail endpoint. It is an http.Handler serving the routes
// under /v1.0 (and /beta as an alias). All methods are safe for concurrent use.
type Server struct {
	opts      Options
	sendDelay time.Duration

	mu        sync.Mutex // guards the mailboxes and everything in them
	seq       uint64
	mailboxes map[string]*mailbox // by lower-case UPN
	byObject  map[string]*mailbox // by object id
	me        *mailbox
	tips      map[string]MailTip        // by lower-case address
	uploads   map[string]*uploadSession // by session id

	log    requestLog
	faults faultList
	flight flightTracker

	lifeMu sync.Mutex
	srv    *http.Server
}

// New returns a Server with an empty mailbox for opts.User.
func New(opts Options) *Server {
	if opts.User == "" {
		opts.User = DefaultUser
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		opts:      opts,
		sendDelay: opts.SendDelay,
		mailboxes: map[string]*mailbox{},
		byObject:  map[string]*mailbox{},
	}
	switch {
	case opts.NoSendDelay || opts.SendDelay < 0:
		s.sendDelay = 0
	case opts.SendDelay == 0:
		s.sendDelay = DefaultSendDelay
	}
	s.flight.changed = make(chan struct{})
	s.me = s.addMailboxLocked(opts.User)
	return s
}

// User returns the UPN that /me resolves to.
func (s *Server) User() string { return s.opts.User }

// now reads the clock, in UTC and truncated to whole seconds as Graph's dates are.
func (s *Server) now() time.Time {
	return s.opts.Now().UTC().Truncate(time.Second)
}

// Start listens on addr (default "127.0.0.1:0") and serves plain HTTP in the background until
// Close. It returns the base URL to give a Graph client, e.g. "http://127.0.0.1:38123/v1.0".
func (s *Server) Start(addr string) (baseURL string, err error) {
	return s.start(addr, nil)
}

// start listens on addr and serves, over TLS (HTTP/2 or HTTP/1.1, as the client offers) when
// tlsConfig is not nil.
func (s *Server) start(addr string, tlsConfig *tls.Config) (string, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	if s.srv != nil {
		return "", errors.New("emulator: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second, TLSConfig: tlsConfig}
	s.srv = srv
	if tlsConfig == nil {
		go func() { _ = srv.Serve(ln) }()
		return "http://" + ln.Addr().String() + "/v1.0", nil
	}
	// ServeTLS with the certificate in TLSConfig turns HTTP/2 on (it adds "h2" to NextProtos).
	go func() { _ = srv.ServeTLS(ln, "", "") }()
	return "https://" + ln.Addr().String() + "/v1.0", nil
}

// Close stops a server started with Start, closing its listener and connections. It is a no-op
// for a Server that was never started.
func (s *Server) Close() error {
	s.lifeMu.Lock()
	srv := s.srv
	s.lifeMu.Unlock()
	if srv == nil {
		return nil
	}
	err := srv.Close()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// call is the state of one request as it moves through the handler.
type call struct {
	s               *Server
	r               *http.Request
	w               *bufResponse
	now             time.Time // the clock truncated to seconds, for the dates the request writes
	at              time.Time // the precise clock, for visibility of sent copies
	requestID       string
	clientRequestID string
	base            string // scheme://host/v1.0, for @odata.context and nextLink
	rest            string // the path after the version segment
	mb              *mailbox
	userRef         string // users('upn') for @odata.context
	upload          bool   // the request is for an upload session's uploadUrl (upload.go)
}

// ServeHTTP serves one Graph request: it records it, checks the token, applies any injected
// fault, routes it, and writes the buffered response.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case StatsPath:
		s.serveStats(w, r) // outside Graph's URL space; see stats.go
		return
	case FaultsPath:
		s.serveFaults(w, r) // likewise; see faultapi.go
		return
	}
	s.flight.enter()
	defer s.flight.leave()
	at := s.opts.Now()
	rec := s.log.start(r, at)

	c := &call{
		s:               s,
		r:               r,
		w:               newBufResponse(),
		at:              at,
		requestID:       newRequestID(),
		clientRequestID: r.Header.Get("client-request-id"),
	}
	c.now = c.at.UTC().Truncate(time.Second)
	if c.clientRequestID == "" {
		c.clientRequestID = newRequestID()
	}
	c.w.Header().Set("request-id", c.requestID)
	c.w.Header().Set("client-request-id", c.clientRequestID)

	if !wait(r.Context(), s.opts.Latency, nil) {
		s.log.finish(rec, 0, OutcomeCanceled)
		return
	}

	version, rest, ok := splitVersion(r.URL.Path)
	if !ok && isUploadPath(r.URL.Path) {
		// An upload session's pre-authenticated URL: no bearer token, no version segment.
		c.upload = true
		c.rest = r.URL.Path
		c.base = requestScheme(r) + "://" + r.Host
		if f := s.faults.match(r.Method, c.rest, r.URL.RawQuery); f != nil {
			s.serveFault(w, c, rec, f)
			return
		}
		s.route(c)
		s.respond(w, c.r, c.w, rec, OutcomeServed)
		return
	}
	if !ok {
		c.writeError(newError(http.StatusBadRequest, "BadRequest", "Invalid version: %s", version))
		s.respond(w, c.r, c.w, rec, OutcomeServed)
		return
	}
	c.rest = rest
	c.base = requestScheme(r) + "://" + r.Host + "/" + version

	if e := s.authorize(r); e != nil {
		c.writeError(e)
		s.respond(w, c.r, c.w, rec, OutcomeServed)
		return
	}
	if e := decodeRequestBody(r); e != nil {
		c.writeError(e)
		s.respond(w, c.r, c.w, rec, OutcomeServed)
		return
	}

	f := s.faults.match(r.Method, rest, r.URL.RawQuery)
	if f == nil {
		s.route(c)
		s.respond(w, c.r, c.w, rec, OutcomeServed)
		return
	}
	s.serveFault(w, c, rec, f)
}

// splitVersion splits "/v1.0/me/messages" into "v1.0" and "/me/messages".
func splitVersion(path string) (version, rest string, ok bool) {
	path = strings.TrimPrefix(path, "/")
	version, rest, _ = strings.Cut(path, "/")
	switch strings.ToLower(version) {
	case "v1.0":
		return "v1.0", "/" + rest, true
	case "beta":
		return "beta", "/" + rest, true
	}
	return version, "/" + rest, false
}

func requestScheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// wait blocks for d (if positive) and until hold (if non-nil) is closed, or until ctx ends. It
// reports whether the wait completed rather than being cancelled.
func wait(ctx context.Context, d time.Duration, hold <-chan struct{}) bool {
	if d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return false
		}
	}
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return false
		}
	}
	return ctx.Err() == nil
}
