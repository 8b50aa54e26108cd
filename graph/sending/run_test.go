package sending

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// These tests drive whole sends (Driver.Run) against a scripted Graph mailbox over HTTP: the
// requests made, their order and number, the waits asked for, the outcome and its summary.

func TestSendAcceptedThenSeenInSentItems(t *testing.T) {
	s := newSendServer(t, accept)
	s.copyAfterLooks = 1
	r, e := runSend(t, s, Options{})
	if r.Phase != Sent || r.Copy == nil || r.Copy.ID != "sent-1" || r.Err != nil || r.Reconciled {
		t.Fatalf("send = %+v", r)
	}
	if s.count().posts != 1 || s.count().contentLengths[0] != "0" {
		t.Fatalf("posts = %d, Content-Length %q; want 1 POST with Content-Length 0", s.count().posts, s.count().contentLengths)
	}
	if r.Looks != 2 {
		t.Errorf("looks = %d, want 2", r.Looks)
	}
	if got := e.waits.all(); !slices.Equal(got, []time.Duration{500 * time.Millisecond, time.Second}) {
		t.Errorf("poll waits = %v, want [500ms 1s]", got)
	}
	if want := []Phase{Verifying, Recording, Posting, Looking, Sent}; !slices.Equal(e.phases, want) {
		t.Errorf("phases = %v, want %v", e.phases, want)
	}
	// The draft is verified, the send recorded, then posted once; the journal forgets it.
	if want := []string{"draft-state", "record", "post", "find-copy", "find-copy", "forget"}; !slices.Equal(e.ev.all(), want) {
		t.Errorf("requests = %v, want %v", e.ev.all(), want)
	}
	if left := e.journal.left(t); len(left) != 0 {
		t.Errorf("left in the journal: %+v", left)
	}
	if rec := e.journal.records; len(rec) != 1 || rec[0].DraftID != "d1" || rec[0].InternetMessageID != draftIMID || !rec[0].Started.Equal(t0) {
		t.Errorf("recorded %+v", rec)
	}
	if got := r.Summary(); got != "sent: in Sent Items after 1.5 s" {
		t.Errorf("summary = %q", got)
	}
	if r.Outcome() != "sent" || r.Elapsed(time.Time{}) != 1500*time.Millisecond {
		t.Errorf("outcome %q, elapsed %v", r.Outcome(), r.Elapsed(time.Time{}))
	}
}

func TestSendConnectionDroppedAfterServerActedIsReportedSent(t *testing.T) {
	s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, _ int) {
		s.act()
		dropConn(w)
	})
	r, e := runSend(t, s, Options{})
	if s.count().posts != 1 {
		t.Fatalf("posts = %d, want exactly 1", s.count().posts)
	}
	if r.Phase != Sent || !r.Reconciled {
		t.Fatalf("send = %+v, want reconciled sent", r)
	}
	if i := slices.Index(e.phases, Posting); i < 0 || i+1 >= len(e.phases) || e.phases[i+1] != Checking {
		t.Errorf("phases = %v, want checking after posting", e.phases)
	}
	if !strings.Contains(r.Summary(), "copy is in Sent Items") {
		t.Errorf("summary = %q", r.Summary())
	}
	if !e.journal.forgot("d1") {
		t.Error("the journal still holds a send known to have gone out")
	}
}

func TestSendConnectionDroppedBeforeServerActedIsNotSent(t *testing.T) {
	s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, _ int) { dropConn(w) })
	r, e := runSend(t, s, Options{})
	if s.count().posts != 1 || r.Phase != NotSent || !r.Reconciled || !r.InDrafts {
		t.Fatalf("posts = %d, send = %+v; want 1 POST, reconciled not sent", s.count().posts, r)
	}
	if !strings.Contains(r.Summary(), "still in Drafts") {
		t.Errorf("summary = %q", r.Summary())
	}
	// The draft is looked at again, with its copy, for the settle time before "not sent".
	all := e.ev.all()
	looks := all[3 : len(all)-1]
	if !slices.Equal(all[:3], []string{"draft-state", "record", "post"}) || all[len(all)-1] != "forget" || len(looks) < 4 || len(looks)%2 != 0 {
		t.Fatalf("requests = %v, want verify, record, post, looks, forget", all)
	}
	for i := 0; i < len(looks); i += 2 {
		if looks[i] != "find-copy" || looks[i+1] != "draft-state" {
			t.Fatalf("requests = %v: each look is for the copy, then the draft", all)
		}
	}
}

func TestSendServerErrorsAreReconciledNeverResent(t *testing.T) {
	for _, code := range []int{500, 502, 503, 504} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, _ int) {
				writeGraphError(w, code, "ServiceUnavailable", "oops")
			})
			r, e := runSend(t, s, Options{})
			if s.count().posts != 1 || r.Phase != NotSent || !r.Reconciled || !r.InDrafts {
				t.Fatalf("posts = %d, send = %+v", s.count().posts, r)
			}
			var waited time.Duration
			for _, w := range e.waits.all() {
				waited += w
			}
			if waited < defaultSettle || waited > defaultSettle+10*time.Second {
				t.Errorf("waited %v (%v) before saying not sent, want the settle time, %v", waited, e.waits.all(), defaultSettle)
			}
		})
	}
}

func TestSendServerErrorButMailWentOutWaitsForCopy(t *testing.T) {
	s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, _ int) {
		s.act()
		writeGraphError(w, 504, "GatewayTimeout", "timeout")
	})
	s.copyAfterLooks = 2
	r, e := runSend(t, s, Options{})
	if s.count().posts != 1 || r.Phase != Sent || !r.Reconciled {
		t.Fatalf("posts = %d, send = %+v; want reconciled sent after waiting", s.count().posts, r)
	}
	// One look at once, then the draft gone, then watching as after a 202.
	if got := e.waits.all(); !slices.Equal(got, []time.Duration{time.Second, 2 * time.Second}) {
		t.Errorf("waits = %v", got)
	}
	if !strings.Contains(r.Summary(), "Graph answered 504 GatewayTimeout") {
		t.Errorf("summary = %q", r.Summary())
	}
}

// TestSendThrottledIsRepostedAfterRetryAfter: Graph did nothing with a throttled POST; its
// Retry-After (2.128 s) is waited, the POST made again, and the message goes out once.
func TestSendThrottledIsRepostedAfterRetryAfter(t *testing.T) {
	s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "2.128")
			writeGraphError(w, 429, graph.CodeApplicationThrottled, "throttled")
			return
		}
		accept(s, w, n)
	})
	r, e := runSend(t, s, Options{})
	posts, _, copies, _ := s.get()
	if posts != 2 || copies != 1 || r.Phase != Sent || r.Posts != 2 {
		t.Fatalf("posts = %d, copies %d, send = %+v; want 2 POSTs, one message sent", posts, copies, r)
	}
	if got := e.waits.all(); len(got) == 0 || got[0] != 2128*time.Millisecond {
		t.Fatalf("waits = %v, want the Retry-After of 2.128s first", got)
	}
	if r.Err != nil || r.Reconciled || !strings.HasPrefix(r.Summary(), "sent: in Sent Items after") {
		t.Fatalf("Err %v, reconciled %v, summary %q", r.Err, r.Reconciled, r.Summary())
	}
	if !slices.Contains(e.phases, Throttled) || len(e.journal.records) != 1 || s.count().states != 1 {
		t.Errorf("phases %v, %d records, %d verifies; want throttled, one record, one verify", e.phases, len(e.journal.records), s.count().states)
	}
	if !r.Start.Equal(t0) {
		t.Errorf("Start %v: the copy is looked for from the first POST", r.Start)
	}
}

func TestSendThrottledTooLongIsNotSent(t *testing.T) {
	s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, n int) {
		w.Header().Set("Retry-After", "3600")
		writeGraphError(w, 429, graph.CodeApplicationThrottled, "throttled")
	})
	r, e := runSend(t, s, Options{})
	if s.count().posts != 1 || r.Phase != NotSent || !graph.IsThrottled(r.Err) || len(e.waits.all()) != 0 {
		t.Fatalf("posts = %d, waits %v, send = %+v", s.count().posts, e.waits.all(), r)
	}
	if !strings.HasPrefix(r.Summary(), "not sent: ") || !strings.Contains(r.Summary(), "1h0m0s") {
		t.Errorf("summary = %q, want the wait named", r.Summary())
	}
	if !e.journal.forgot("d1") {
		t.Error("a throttled send was not forgotten")
	}
}

func TestSendThrottledThreeTimesIsNotSent(t *testing.T) {
	s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, n int) {
		w.Header().Set("Retry-After", "1")
		writeGraphError(w, 429, graph.CodeApplicationThrottled, "throttled")
	})
	r, e := runSend(t, s, Options{})
	if s.count().posts != maxPosts || r.Phase != NotSent || !graph.IsThrottled(r.Err) {
		t.Fatalf("posts = %d, send = %+v; want %d POSTs then not sent", s.count().posts, r, maxPosts)
	}
	if got := e.waits.all(); !slices.Equal(got, []time.Duration{time.Second, time.Second}) {
		t.Fatalf("waits = %v", got)
	}
}

func TestSendDefiniteRefusals(t *testing.T) {
	tests := []struct {
		status int
		code   string
		want   string
	}{
		{400, graph.CodeInvalidRecipients, "no valid recipient"},
		{403, graph.CodeSendAsDenied, "may not send as"},
		{403, graph.CodeAccessDenied, "Mail.Send"},
		{403, graph.CodeQuotaExceeded, "quota"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, _ int) {
				writeGraphError(w, tt.status, tt.code, "refused")
			})
			r, e := runSend(t, s, Options{})
			if s.count().posts != 1 || r.Phase != NotSent || r.Reconciled || s.count().looks != 0 {
				t.Fatalf("posts = %d, looks %d, send = %+v", s.count().posts, s.count().looks, r)
			}
			if !strings.Contains(r.Summary(), tt.want) {
				t.Fatalf("summary = %q, want %q", r.Summary(), tt.want)
			}
			if !e.journal.forgot("d1") {
				t.Error("a refused send was not forgotten")
			}
		})
	}
}

// TestSendUnauthorizedIsNotSentAndNeverReposted: a 401 to the POST renews the token (so the
// next send works) but the POST is not made again. A 401 is not documented as a refusal before
// acting, so the engine looks (with the renewed token): the draft is still in Drafts, so not
// sent, one POST.
func TestSendUnauthorizedIsNotSentAndNeverReposted(t *testing.T) {
	s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, _ int) {
		writeGraphError(w, 401, graph.CodeInvalidAuthToken, "Lifetime validation failed, the token is expired.")
	})
	toks := &refreshingTokens{}
	e := newServerEnv(t, s, func(o *graph.Options) { o.Tokens = toks })
	r := e.send(context.Background(), testDraft(), time.Time{}, Options{})
	ge, ok := graph.AsError(r.Err)
	if r.Phase != NotSent || !ok || ge.Status != 401 || !ge.Renewed || !r.Reconciled || !r.InDrafts || s.count().posts != 1 || len(toks.invalidated) != 1 {
		t.Fatalf("send = %+v, %d POSTs, invalidated %v; want not sent (looked: still in Drafts) after one POST, the token renewed", r, s.count().posts, toks.invalidated)
	}
	if sum := r.Summary(); !strings.Contains(sum, "still in Drafts") || !strings.Contains(sum, "401") {
		t.Fatalf("summary = %q", sum)
	}
	r = e.send(context.Background(), testDraft(), time.Time{}, Options{})
	if r.Phase != NotSent || s.count().posts != 2 {
		t.Fatalf("second send = %+v after %d POSTs; want one more POST", r, s.count().posts)
	}
}

func TestSendNotFoundLooksInSentItems(t *testing.T) {
	notFound := func(s *sendServer, w http.ResponseWriter) {
		writeGraphError(w, 404, graph.CodeItemNotFound, "The specified object was not found in the store.")
	}
	t.Run("sent elsewhere a moment before the POST", func(t *testing.T) {
		s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, _ int) {
			s.act() // another client sent it between the Verify and the POST
			notFound(s, w)
		})
		r, _ := runSend(t, s, Options{})
		if s.count().posts != 1 || r.Phase != Sent || !strings.Contains(r.Summary(), "already left Drafts") {
			t.Fatalf("posts = %d, send = %+v, summary %q", s.count().posts, r, r.Summary())
		}
	})
	t.Run("sent elsewhere before the send", func(t *testing.T) {
		s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, _ int) { notFound(s, w) })
		s.acted = true
		r, _ := runSend(t, s, Options{})
		if s.count().posts != 0 || r.Phase != NotSent || !errors.Is(r.Err, ErrGone) {
			t.Fatalf("posts = %d, send = %+v; want the Verify to find it gone, no POST", s.count().posts, r)
		}
	})
	t.Run("draft still there", func(t *testing.T) {
		s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, _ int) { notFound(s, w) })
		r, _ := runSend(t, s, Options{})
		if s.count().posts != 1 || r.Phase != NotSent || !r.InDrafts || !strings.Contains(r.Summary(), "the draft is still in Drafts") {
			t.Fatalf("posts = %d, send = %+v, summary %q", s.count().posts, r, r.Summary())
		}
	})
	t.Run("deleted", func(t *testing.T) {
		s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, _ int) {
			s.mu.Lock()
			s.draftExists = false // deleted elsewhere between the Verify and the POST
			s.mu.Unlock()
			notFound(s, w)
		})
		r, _ := runSend(t, s, Options{})
		if s.count().posts != 1 || r.Phase != NotSent || !strings.Contains(r.Summary(), "no longer exists") {
			t.Fatalf("posts = %d, send = %+v, summary %q", s.count().posts, r, r.Summary())
		}
	})
}

func TestSendAcceptedButCopyNeverShowsIsPending(t *testing.T) {
	s := newSendServer(t, accept)
	s.copyAfterLooks = 1 << 30
	o := Options{Deadline: 150 * time.Millisecond, PollDelay: func(int) time.Duration { return 20 * time.Millisecond }}
	r, e := runSend(t, s, o)
	if r.Phase != Pending || s.count().posts != 1 || r.Looks != 8 {
		t.Fatalf("send = %+v, posts %d; want pending after 8 looks (every 20 ms for 150 ms)", r, s.count().posts)
	}
	if !strings.Contains(r.Summary(), "not in Sent Items yet") || r.Outcome() != "pending" {
		t.Errorf("summary = %q", r.Summary())
	}
	if left := e.journal.left(t); len(left) != 0 {
		t.Errorf("journal %+v: a send Graph accepted (202) is not left for the next start to call interrupted", left)
	}
	if r.Locks() != true {
		t.Error("a pending send does not lock the draft")
	}
}

func TestSendAcceptedWatchedLateThenSeen(t *testing.T) {
	s := newSendServer(t, accept)
	s.copyAfterLooks = 6
	o := Options{Deadline: time.Second, Watch: time.Minute, PollDelay: func(int) time.Duration { return 300 * time.Millisecond }}
	r, e := runSend(t, s, o)
	if r.Phase != Sent || s.count().posts != 1 || !slices.Contains(e.phases, Late) {
		t.Fatalf("send = %+v, phases %v; want sent after being late", r, e.phases)
	}
	if got := e.waits.all(); got[len(got)-1] != LateDelay {
		t.Errorf("waits = %v, want LateDelay once late", got)
	}
}

func TestSendThatCannotConnectIsNotSent(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL + "/v1.0"
	srv.Close() // nothing listens there any more: the connection is refused
	e := newEnv(newClient(t, base), newClock())
	r := e.send(context.Background(), testDraft(), time.Time{}, Options{})
	if r.Phase != NotSent || r.Reconciled || r.Looks != 0 || r.Posted() || len(e.journal.records) != 0 {
		t.Fatalf("send = %+v; want not sent, without recording or looking", r)
	}
	if s := r.Summary(); !strings.HasPrefix(s, "not sent: ") || !strings.Contains(s, "check the network") {
		t.Fatalf("summary = %q", s)
	}
}

// splitMailbox reads the draft from one mailbox and posts to another.
type splitMailbox struct {
	Mailbox
	post Mailbox
}

func (m splitMailbox) Send(ctx context.Context, id string) error { return m.post.Send(ctx, id) }

// TestSendPostThatCannotConnectIsNotSent: the POST itself finds no one listening; it cannot
// have been acted on, so it is not sent, without looking.
func TestSendPostThatCannotConnectIsNotSent(t *testing.T) {
	s := newSendServer(t, accept)
	srv := httptest.NewServer(http.NotFoundHandler())
	closed := newClient(t, srv.URL+"/v1.0")
	srv.Close()
	e := newServerEnv(t, s)
	e.driver.Mailbox = splitMailbox{Mailbox: e.client, post: closed}
	r := e.send(context.Background(), testDraft(), time.Time{}, Options{})
	if r.Phase != NotSent || r.Reconciled || r.Looks != 0 || s.count().looks != 0 || !e.journal.forgot("d1") {
		t.Fatalf("send = %+v, %d looks; want not sent without looking, forgotten", r, s.count().looks)
	}
	if sum := r.Summary(); !strings.HasPrefix(sum, "not sent: ") || !strings.Contains(sum, "check the network") {
		t.Fatalf("summary = %q", sum)
	}
}

func TestSendUnclearAndSentItemsUnreadableIsUnknown(t *testing.T) {
	s := newSendServer(t, func(s *sendServer, w http.ResponseWriter, _ int) {
		writeGraphError(w, 500, "InternalServerError", "oops")
	})
	s.lookStatus = 403
	r, e := runSend(t, s, Options{})
	if s.count().posts != 1 || r.Phase != Unknown || !r.Reconciled || r.Outcome() != "unknown" {
		t.Fatalf("posts = %d, send = %+v", s.count().posts, r)
	}
	var sendErr *graph.Error
	if !errors.As(r.Err, &sendErr) || sendErr.Status != 500 || !graph.IsForbidden(r.LookErr) {
		t.Fatalf("Err = %v, LookErr = %v; want the 500 and the refused look", r.Err, r.LookErr)
	}
	want := "not known whether it was sent: look in Sent Items before sending again (the answer to the send was unclear: Graph answered 500 InternalServerError; Sent Items could not be checked: drafts needs the Mail.ReadWrite"
	if !strings.HasPrefix(r.Summary(), want) {
		t.Fatalf("summary = %q, want it to start %q", r.Summary(), want)
	}
	if left := e.journal.left(t); len(left) != 1 || r.Locks() {
		t.Errorf("journal %+v, locks %v: an unknown send is kept, and the draft free", left, r.Locks())
	}
}

func TestSendAcceptedButSentItemsRefusedIsPending(t *testing.T) {
	s := newSendServer(t, accept)
	s.lookStatus = 403
	r, _ := runSend(t, s, Options{})
	if s.count().posts != 1 || r.Phase != Pending || r.Err != nil || !graph.IsForbidden(r.LookErr) || r.Looks != 1 {
		t.Fatalf("posts = %d, send = %+v; want pending after one refused look", s.count().posts, r)
	}
	if want := "accepted by Outlook; do not send it again (Sent Items could not be checked: drafts needs the Mail.ReadWrite"; !strings.HasPrefix(r.Summary(), want) {
		t.Fatalf("summary = %q, want it to start %q", r.Summary(), want)
	}
}

// TestSendWithoutWaitingIsPendingAtOnce: Options{Deadline: -1} (the command line's --wait 0)
// reports an accepted send at once, without looking.
func TestSendWithoutWaitingIsPendingAtOnce(t *testing.T) {
	s := newSendServer(t, accept)
	r, e := runSend(t, s, Options{Deadline: -1})
	if r.Phase != Pending || s.count().posts != 1 || s.count().looks != 0 || len(e.waits.all()) != 0 {
		t.Fatalf("send = %+v, %d looks, waits %v", r, s.count().looks, e.waits.all())
	}
	if r.Summary() != "accepted by Outlook; do not send it again (Sent Items not checked)" {
		t.Errorf("summary = %q", r.Summary())
	}
}

func TestSendCancelledMidPostIsUnknownNeverNotSent(t *testing.T) {
	var posts atomic.Int32
	var after atomic.Bool
	received := make(chan struct{})
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if after.Load() {
			t.Errorf("unexpected %s %s after the cancel", r.Method, r.URL)
			return
		}
		if isDraftStateGET(r, "d1") {
			writeJSON(w, 200, draftState("d1", "ck-1", time.Time{}))
			return
		}
		if r.Method != http.MethodPost {
			t.Errorf("unexpected %s %s", r.Method, r.URL)
			return
		}
		posts.Add(1)
		after.Store(true)
		close(received)
		<-r.Context().Done() // Graph may or may not act; the answer never comes
	})
	e := newEnv(newClient(t, base), newClock())
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-received; cancel() }()
	r := e.send(ctx, testDraft(), time.Time{}, Options{})
	if posts.Load() != 1 || r.Phase != Unknown || !r.Reconciled || !errors.Is(r.LookErr, context.Canceled) {
		t.Fatalf("posts = %d, send = %+v; want unknown after one POST", posts.Load(), r)
	}
	if s := r.Summary(); !strings.HasPrefix(s, "not known whether it was sent") || !strings.Contains(s, "look in Sent Items before sending again") {
		t.Fatalf("summary = %q", s)
	}
	if left := e.journal.left(t); len(left) != 1 {
		t.Fatalf("journal %+v: the send must be kept, to be settled at the next start", left)
	}
}

// TestSendCancelledWhileWatchingIsPending: the user quits while the copy is awaited: the send
// went, and stays in the journal.
func TestSendCancelledWhileWatchingIsPending(t *testing.T) {
	s := newSendServer(t, accept)
	s.copyAfterLooks = 1 << 30
	e := newServerEnv(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	e.driver.Progress = func(sd Send) {
		if sd.Phase == Looking {
			cancel()
		}
	}
	r := e.send(ctx, testDraft(), time.Time{}, Options{})
	if r.Phase != Pending || s.count().posts != 1 || len(e.journal.left(t)) != 0 {
		t.Fatalf("send = %+v after %d POSTs; want pending, forgotten (the 202 is definite)", r, s.count().posts)
	}
}

// TestSendCountdown: the driver waits out Options.Undo before it touches the mailbox; a
// cancel during the countdown sends nothing.
func TestSendCountdown(t *testing.T) {
	s := newSendServer(t, accept)
	r, e := runSend(t, s, Options{Undo: 10 * time.Second, Deadline: -1})
	if r.Phase != Pending || s.count().posts != 1 || !slices.Equal(e.waits.all(), []time.Duration{10 * time.Second}) || !r.Start.Equal(t0.Add(10*time.Second)) {
		t.Fatalf("send = %+v, waits %v", r, e.waits.all())
	}

	s = newSendServer(t, accept)
	e = newServerEnv(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r = e.send(ctx, testDraft(), time.Time{}, Options{Undo: 10 * time.Second})
	if r.Phase != Undone || len(e.ev.all()) != 0 {
		t.Fatalf("send = %+v, requests %v; want undone, nothing asked", r, e.ev.all())
	}
}

// TestSendChangedDraftIsNeverPosted: the draft was edited (in Outlook) after it was confirmed.
func TestSendChangedDraftIsNeverPosted(t *testing.T) {
	s := newSendServer(t, accept)
	s.changeKey = "ck-2"
	r, e := runSend(t, s, Options{})
	if r.Phase != Changed || s.count().posts != 0 || len(e.journal.records) != 0 || !errors.Is(r.Err, ErrChanged) || r.Now.ChangeKey != "ck-2" {
		t.Fatalf("send = %+v, %d POSTs, %d records", r, s.count().posts, len(e.journal.records))
	}
	if !strings.HasPrefix(r.Summary(), "not sent: the draft was changed") {
		t.Errorf("summary = %q", r.Summary())
	}
}

// TestSendNowClearsALeftoverDeferredTime: a deferred-send time left on the draft would make
// Exchange hold a send now; it is taken off first.
func TestSendNowClearsALeftoverDeferredTime(t *testing.T) {
	s := newSendServer(t, accept)
	s.deferred = t0.Add(time.Hour)
	r, e := runSend(t, s, Options{Deadline: -1})
	_, _, _, patches := s.get()
	if r.Phase != Pending || s.count().posts != 1 || len(patches) != 1 || !patches[0].Equal(graph.DeferredReset) {
		t.Fatalf("send = %+v, patches %v", r, patches)
	}
	if want := []string{"draft-state", "patch", "record", "post", "forget"}; !slices.Equal(e.ev.all(), want) {
		t.Errorf("requests = %v, want %v", e.ev.all(), want)
	}
}

// TestSendNotRecordedIsNotPosted: the journal entry must exist before the POST.
func TestSendNotRecordedIsNotPosted(t *testing.T) {
	s := newSendServer(t, accept)
	e := newServerEnv(t, s)
	e.journal.recordErr = errors.New("cannot write the send journal /x/sends.json (disk full)")
	r := e.send(context.Background(), testDraft(), time.Time{}, Options{})
	if r.Phase != NotSent || s.count().posts != 0 || !errors.Is(r.Err, ErrNotRecorded) || e.journal.forgot("d1") {
		t.Fatalf("send = %+v, %d POSTs", r, s.count().posts)
	}
	if sum := r.Summary(); !strings.Contains(sum, "could not be recorded") || !strings.Contains(sum, "disk full") {
		t.Errorf("summary = %q", sum)
	}
}

func TestSendWithoutInternetMessageIDFindsCopyByConversation(t *testing.T) {
	var filters []string
	var mu sync.Mutex
	clock := newClock()
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "POST":
			w.WriteHeader(202)
		case isDraftStateGET(r, "d1"):
			writeJSON(w, 200, draftState("d1", "ck-1", time.Time{}))
		default:
			mu.Lock()
			filters = append(filters, r.URL.Query().Get("$filter"))
			mu.Unlock()
			now := clock.Now().UTC().Format(time.RFC3339)
			sent := func(id, subject, conv, at string) map[string]any {
				m := wireMsg(id, subject)
				m["isDraft"], m["conversationId"], m["sentDateTime"] = false, conv, at
				return m
			}
			// A server that ignores the filter: only the real copy may be taken.
			writeJSON(w, 200, page(sent("old", "Quarterly numbers", "conv-1", "2020-01-01T00:00:00Z"),
				sent("other", "Re: something else", "conv-1", now), sent("elsewhere", "Quarterly numbers", "conv-9", now),
				wireMsg("draft-itself", "Quarterly numbers"), sent("sent-1", "Quarterly numbers", "conv-1", now)))
		}
	})
	e := newEnv(newClient(t, base), clock)
	d := testDraft()
	d.InternetMessageID = ""
	r := e.send(context.Background(), d, time.Time{}, Options{})
	if r.Phase != Sent || r.Copy == nil || r.Copy.ID != "sent-1" {
		t.Fatalf("send = %+v", r)
	}
	want := "conversationId eq 'conv-1' and sentDateTime ge " + r.Start.Add(-time.Minute).UTC().Format(time.RFC3339)
	if len(filters) == 0 || filters[0] != want {
		t.Fatalf("filters = %q, want the conversation and a bound a minute before the send: %q", filters, want)
	}
}
