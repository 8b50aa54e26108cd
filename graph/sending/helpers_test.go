package sending

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// The helpers of the engine's tests: a clock moved by hand (the driver's waits advance it, so no
// test sleeps or depends on real time), a journal that records what it is asked, a scripted
// Graph mailbox with one draft "d1", and the project's emulator.

// t0 is when the tests' clocks start.
var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

const testToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.secret-test-token"

// fakeClock is a clock moved by hand, shared by the driver, the scripted server and the
// emulator.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: t0} }

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// waits records the waits the driver asked for and advances the clock by each instead of
// sleeping.
type waits struct {
	clock *fakeClock
	mu    sync.Mutex
	ds    []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.ds = append(w.ds, d)
	w.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	w.clock.Advance(d)
	return nil
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.ds...)
}

// events is an ordered log of what the engine did (the scripted server's and the journal's
// entries), to check the order of the Verify, the Record, the POST and the looks.
type events struct {
	mu  sync.Mutex
	log []string
}

func (e *events) add(s string) {
	if e == nil {
		return
	}
	e.mu.Lock()
	e.log = append(e.log, s)
	e.mu.Unlock()
}

func (e *events) all() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.log...)
}

// recJournal is a Journal that records the Records and Settles made through it, and can refuse
// to record.
type recJournal struct {
	Journal
	ev        *events
	mu        sync.Mutex
	records   []Entry
	settled   []string
	recordErr error
}

func newRecJournal(j Journal, ev *events) *recJournal { return &recJournal{Journal: j, ev: ev} }

func (j *recJournal) Record(ctx context.Context, e Entry) error {
	j.ev.add("record")
	j.mu.Lock()
	j.records = append(j.records, e)
	err := j.recordErr
	j.mu.Unlock()
	if err != nil {
		return err
	}
	return j.Journal.Record(ctx, e)
}

func (j *recJournal) Settle(ctx context.Context, id string) error {
	j.ev.add("forget")
	j.mu.Lock()
	j.settled = append(j.settled, id)
	j.mu.Unlock()
	return j.Journal.Settle(ctx, id)
}

// forgot reports whether the send of draft id was forgotten.
func (j *recJournal) forgot(id string) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, s := range j.settled {
		if s == id {
			return true
		}
	}
	return false
}

// left returns the entries still in the journal.
func (j *recJournal) left(t *testing.T) []Entry {
	t.Helper()
	es, err := j.Journal.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeGraphError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code": code, "message": msg,
		"innerError": map[string]any{"request-id": "req-1", "date": "2026-01-01T00:00:00Z"},
	}})
}

func wireMsg(id, subject string) map[string]any {
	return map[string]any{
		"id": id, "subject": subject, "isDraft": true,
		"internetMessageId":    fmt.Sprintf("<%s@contoso.example>", id),
		"lastModifiedDateTime": "2026-11-01T10:00:00Z",
		"toRecipients": []any{map[string]any{"emailAddress": map[string]any{
			"name": "Alex Wilber", "address": "alexw@contoso.example"}}},
	}
}

func page(msgs ...map[string]any) map[string]any { return map[string]any{"value": msgs} }

// draftState is the answer to the engine's GET of a draft (Verify, CheckDraft): the fields
// graph.Client.DraftState selects, and the deferred-send time when one is set.
func draftState(id, changeKey string, deferred time.Time) map[string]any {
	m := map[string]any{"id": id, "isDraft": true, "changeKey": changeKey, "lastModifiedDateTime": "2026-11-01T10:00:00Z"}
	if !deferred.IsZero() {
		m["singleValueExtendedProperties"] = []any{map[string]any{"id": graph.DeferredSendProperty, "value": deferred.UTC().Format(time.RFC3339)}}
	}
	return m
}

// isDraftStateGET reports whether r is the engine's GET of draft id's state.
func isDraftStateGET(r *http.Request, id string) bool {
	return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/messages/"+id) &&
		strings.Contains(r.URL.Query().Get("$select"), "changeKey") &&
		strings.Contains(r.URL.Query().Get("$expand"), graph.DeferredSendProperty)
}

// dropConn closes the connection without an answer.
func dropConn(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// serve starts a test server with h under /v1.0 and returns its base URL.
func serve(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/v1.0"
}

// newClient returns a client for base that tries each GET once: the client's own backoff
// would sleep for real.
func newClient(t testing.TB, base string, mod ...func(*graph.Options)) *graph.Client {
	t.Helper()
	o := graph.Options{BaseURL: base, Tokens: graph.StaticToken(testToken), MaxAttempts: 1}
	for _, f := range mod {
		f(&o)
	}
	c, err := graph.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const draftIMID = "<d1@contoso.example>"

// testDraft is "d1" as the user confirmed it.
func testDraft() graph.Message {
	return graph.Message{ID: "d1", Subject: "Quarterly numbers", InternetMessageID: draftIMID, ConversationID: "conv-1", IsDraft: true, ChangeKey: "ck-1",
		To: []graph.Recipient{{Name: "Alex Wilber", Address: "alexw@contoso.example"}}}
}

// sendServer is a scripted Graph mailbox with one draft, "d1", for send tests. onSend decides
// the answer to each POST; the copy shows in Sent Items after copyAfterLooks looks once the
// send has been acted on. It answers the engine's GET of the draft (Verify, CheckDraft) and the
// PATCH of its deferred-send time.
type sendServer struct {
	t     *testing.T
	clock *fakeClock
	ev    *events

	mu             sync.Mutex
	posts          int
	contentLengths []string
	looks          int         // GETs of Sent Items
	states         int         // GETs of the draft's state
	patches        []time.Time // the deferred-send times PATCHed
	acted          bool        // the send happened: the draft left Drafts, its copy will show
	sentCopies     int         // how many times the message went out
	draftExists    bool
	changeKey      string
	deferred       time.Time // the draft's deferred-send time
	copyAfterLooks int
	// lookStatus, if set, answers every look in Sent Items with this error status.
	lookStatus int
	// keepInDrafts keeps a send later in Drafts with its time once taken, as Outlook.com does,
	// instead of moving it to the Outbox.
	keepInDrafts bool
	onSend       func(s *sendServer, w http.ResponseWriter, n int)
}

func newSendServer(t *testing.T, onSend func(s *sendServer, w http.ResponseWriter, n int)) *sendServer {
	return &sendServer{t: t, onSend: onSend, draftExists: true, changeKey: "ck-1"}
}

func (s *sendServer) handle(w http.ResponseWriter, r *http.Request) {
	t := s.t
	s.mu.Lock()
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages/d1/send"):
		s.ev.add("post")
		s.posts++
		s.contentLengths = append(s.contentLengths, strings.Join(r.Header.Values("Content-Length"), ","))
		n := s.posts
		s.mu.Unlock()
		s.onSend(s, w, n)
		return
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/mailFolders/sentitems/messages"):
		s.ev.add("find-copy")
		s.looks++
		if s.lookStatus != 0 {
			s.mu.Unlock()
			writeGraphError(w, s.lookStatus, graph.CodeAccessDenied, "Access is denied.")
			return
		}
		if want := "internetMessageId eq '" + draftIMID + "'"; r.URL.Query().Get("$filter") != want {
			t.Errorf("sent filter = %q, want %q", r.URL.Query().Get("$filter"), want)
		}
		var msgs []map[string]any
		if s.acted && s.deferred.IsZero() && s.looks > s.copyAfterLooks {
			m := wireMsg("sent-1", "Quarterly numbers")
			m["internetMessageId"] = draftIMID
			m["isDraft"] = false
			m["sentDateTime"] = s.now().UTC().Format(time.RFC3339)
			msgs = append(msgs, m)
		}
		s.mu.Unlock()
		writeJSON(w, 200, page(msgs...))
		return
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/mailFolders/deleteditems/messages"):
		s.ev.add("find-deleted")
		var msgs []map[string]any
		if !s.draftExists && !s.acted { // deleted, not sent
			m := wireMsg("deleted-1", "Quarterly numbers")
			m["internetMessageId"] = draftIMID
			msgs = append(msgs, m)
		}
		s.mu.Unlock()
		writeJSON(w, 200, page(msgs...))
		return
	case isDraftStateGET(r, "d1"):
		s.ev.add("draft-state")
		s.states++
		exists := s.draftExists && (!s.acted || s.keepInDrafts && !s.deferred.IsZero())
		ck, deferred := s.changeKey, s.deferred
		s.mu.Unlock()
		if !exists {
			writeGraphError(w, 404, graph.CodeItemNotFound, "The specified object was not found in the store.")
			return
		}
		writeJSON(w, 200, draftState("d1", ck, deferred))
		return
	case r.Method == http.MethodPatch && strings.HasSuffix(r.URL.Path, "/messages/d1"):
		s.ev.add("patch")
		var body struct {
			Props []struct{ ID, Value string } `json:"singleValueExtendedProperties"`
		}
		err := json.NewDecoder(r.Body).Decode(&body)
		if err != nil || len(body.Props) != 1 || body.Props[0].ID != graph.DeferredSendProperty {
			s.mu.Unlock()
			t.Errorf("PATCH body %+v (%v), want the deferred-send time", body, err)
			writeGraphError(w, 400, "ErrorInvalidRequest", "bad")
			return
		}
		at, err := time.Parse(time.RFC3339, body.Props[0].Value)
		if err != nil {
			t.Errorf("PATCH time %q: %v", body.Props[0].Value, err)
		}
		if !s.draftExists || s.acted {
			s.mu.Unlock()
			writeGraphError(w, 404, graph.CodeItemNotFound, "The specified object was not found in the store.")
			return
		}
		s.patches = append(s.patches, at)
		s.deferred = at
		if !at.After(graph.DeferredReset) {
			s.deferred = time.Time{}
		}
		s.changeKey += "+"
		ck := s.changeKey
		s.mu.Unlock()
		writeJSON(w, 200, draftState("d1", ck, at))
		return
	}
	s.mu.Unlock()
	t.Errorf("unexpected request %s %s", r.Method, r.URL)
	w.WriteHeader(500)
}

func (s *sendServer) now() time.Time {
	if s.clock != nil {
		return s.clock.Now()
	}
	return time.Now()
}

// act marks the draft as sent (it leaves Drafts, or is held until its deferred time; the copy
// will show).
func (s *sendServer) act() {
	s.mu.Lock()
	s.acted = true
	s.sentCopies++
	s.mu.Unlock()
}

// get reads the server's state under its lock.
func (s *sendServer) get() (posts, looks, sentCopies int, patches []time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.posts, s.looks, s.sentCopies, append([]time.Time(nil), s.patches...)
}

// counts are the requests the server has seen.
type counts struct {
	posts, looks, states int
	contentLengths       []string
}

// count reads the server's counters under its lock.
func (s *sendServer) count() counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return counts{s.posts, s.looks, s.states, append([]string(nil), s.contentLengths...)}
}

func accept(s *sendServer, w http.ResponseWriter, _ int) {
	s.act()
	w.WriteHeader(http.StatusAccepted)
}

// env is one send's world: the mailbox, its client, the clock, the journal and the driver.
type env struct {
	srv     *sendServer
	client  *graph.Client
	clock   *fakeClock
	waits   *waits
	ev      *events
	journal *recJournal
	phases  []Phase
	driver  Driver
}

// newEnv builds a driver against mb on clock, with a memory journal.
func newEnv(mb Mailbox, clock *fakeClock) *env {
	e := &env{clock: clock, ev: &events{}}
	e.waits = &waits{clock: e.clock}
	e.journal = newRecJournal(NewMemory(), e.ev)
	e.driver = Driver{Mailbox: mb, Journal: e.journal, Now: e.clock.Now, Sleep: e.waits.sleep,
		Progress: func(s Send) { e.phases = append(e.phases, s.Phase) }}
	return e
}

// newServerEnv serves s and drives sends against it.
func newServerEnv(t *testing.T, s *sendServer, mod ...func(*graph.Options)) *env {
	t.Helper()
	c := newClient(t, serve(t, s.handle), mod...)
	e := newEnv(c, newClock())
	e.srv, e.client = s, c
	s.clock, s.ev = e.clock, e.ev
	return e
}

// send runs a send of d (at: zero to send now) to its end.
func (e *env) send(ctx context.Context, d graph.Message, at time.Time, o Options) Send {
	s, a := New(d, at, e.clock.Now(), o)
	return e.driver.Run(ctx, s, a)
}

// runSend sends testDraft now through s with the options o.
func runSend(t *testing.T, s *sendServer, o Options) (Send, *env) {
	t.Helper()
	e := newServerEnv(t, s)
	return e.send(context.Background(), testDraft(), time.Time{}, o), e
}

// refreshingTokens hands out a new token after Invalidate.
type refreshingTokens struct {
	mu          sync.Mutex
	gen         int
	invalidated []string
}

func (r *refreshingTokens) Token(context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return "token-" + string(rune('0'+r.gen)), nil
}

func (r *refreshingTokens) Invalidate(tok string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.invalidated = append(r.invalidated, tok)
	r.gen++
}

// startEmulator serves the project's Graph emulator on loopback, on clock (nil: real time),
// and returns it with a client that tries each GET once.
func startEmulator(t *testing.T, opts emulator.Options) (*emulator.Server, *graph.Client) {
	t.Helper()
	emu := emulator.New(opts)
	base, err := emu.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	return emu, newClient(t, base)
}

// emulatorEnv is an emulator whose clock is the driver's.
func emulatorEnv(t *testing.T, opts emulator.Options) (*emulator.Server, *env) {
	t.Helper()
	clock := newClock()
	opts.Now = clock.Now
	emu, c := startEmulator(t, opts)
	e := newEnv(c, clock)
	e.client = c
	return emu, e
}

// onlyDraft lists Drafts and returns its one draft, as the user confirmed it.
func onlyDraft(t *testing.T, c *graph.Client) graph.Message {
	t.Helper()
	drafts, err := c.ListDrafts(context.Background())
	if err != nil || len(drafts) != 1 {
		t.Fatalf("drafts %+v, %v; want one", drafts, err)
	}
	return drafts[0]
}

// fastPoll looks every millisecond (of the fake clock) for up to 5 s.
var fastPoll = Options{PollDelay: func(int) time.Duration { return time.Millisecond }, Deadline: 5 * time.Second}
