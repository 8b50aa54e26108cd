package graph

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sendServer is a scripted Graph mailbox with one draft, "d1", for send
// tests. onSend decides the answer to each POST; the copy shows in Sent
// Items after copyAfterLooks looks once the send has been acted on.
type sendServer struct {
	mu             sync.Mutex
	posts          int
	contentLengths []string
	looks          int
	acted          bool
	draftExists    bool
	copyAfterLooks int
	// lookStatus, if set, answers every look in Sent Items with this
	// error status.
	lookStatus int
	onSend     func(s *sendServer, w http.ResponseWriter, n int)
}

const draftIMID = "<d1@contoso.example>"

func (s *sendServer) handle(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		switch {
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/messages/d1/send"):
			s.posts++
			s.contentLengths = append(s.contentLengths, strings.Join(r.Header.Values("Content-Length"), ","))
			n := s.posts
			s.mu.Unlock()
			s.onSend(s, w, n)
			return
		case r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/mailFolders/sentitems/messages"):
			s.looks++
			if s.lookStatus != 0 {
				s.mu.Unlock()
				writeGraphError(w, s.lookStatus, CodeAccessDenied, "Access is denied.")
				return
			}
			if want := "internetMessageId eq '" + draftIMID + "'"; r.URL.Query().Get("$filter") != want {
				t.Errorf("sent filter = %q, want %q", r.URL.Query().Get("$filter"), want)
			}
			var msgs []map[string]any
			if s.acted && s.looks > s.copyAfterLooks {
				m := wireMsg("sent-1", "Quarterly numbers")
				m["internetMessageId"] = draftIMID
				m["isDraft"] = false
				m["sentDateTime"] = time.Now().UTC().Format(time.RFC3339)
				msgs = append(msgs, m)
			}
			s.mu.Unlock()
			writeJSON(w, 200, page("", msgs...))
			return
		case r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/messages/d1"):
			exists := s.draftExists && !s.acted
			s.mu.Unlock()
			if !exists {
				writeGraphError(w, 404, CodeItemNotFound, "The specified object was not found in the store.")
				return
			}
			writeJSON(w, 200, map[string]any{"id": "d1", "isDraft": true})
			return
		}
		s.mu.Unlock()
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(500)
	}
}

// act marks the draft as sent (it leaves Drafts; the copy will show).
func (s *sendServer) act() {
	s.mu.Lock()
	s.acted = true
	s.mu.Unlock()
}

func accept(s *sendServer, w http.ResponseWriter, _ int) {
	s.act()
	w.WriteHeader(http.StatusAccepted)
}

// dropConn closes the connection without an answer.
func dropConn(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func testDraft() Message {
	return Message{ID: "d1", Subject: "Quarterly numbers", InternetMessageID: draftIMID, ConversationID: "conv-1", IsDraft: true}
}

func runSend(t *testing.T, s *sendServer, o SendOptions) (Result, []Progress, *waits) {
	t.Helper()
	s.draftExists = true
	c, w := newTestClient(t, serve(t, s.handle(t)))
	var stages []Progress
	o.Progress = func(p Progress) { stages = append(stages, p) }
	return c.SendAndConfirm(context.Background(), testDraft(), o), stages, w
}

func TestSendAcceptedThenSeenInSentItems(t *testing.T) {
	s := &sendServer{onSend: accept, copyAfterLooks: 1}
	r, stages, w := runSend(t, s, SendOptions{})
	if r.Outcome != OutcomeSent || r.Copy == nil || r.Copy.ID != "sent-1" {
		t.Fatalf("result = %+v", r)
	}
	if s.posts != 1 || s.contentLengths[0] != "0" {
		t.Fatalf("posts = %d, Content-Length %q; want 1 POST with Content-Length 0", s.posts, s.contentLengths)
	}
	if r.Looks != 2 {
		t.Errorf("looks = %d, want 2", r.Looks)
	}
	if got := w.all(); len(got) != 2 || got[0] != 500*time.Millisecond || got[1] != time.Second {
		t.Errorf("poll waits = %v, want [500ms 1s]", got)
	}
	want := []Stage{StageSending, StageAccepted, StageWaiting, StageWaiting}
	if len(stages) != len(want) {
		t.Fatalf("stages = %v, want %v", stages, want)
	}
	for i := range want {
		if stages[i].Stage != want[i] {
			t.Fatalf("stages = %v, want %v", stages, want)
		}
	}
	if !strings.HasPrefix(r.Summary(), "sent: in Sent Items after") {
		t.Errorf("summary = %q", r.Summary())
	}
}

func TestSendConnectionDroppedAfterServerActedIsReportedSent(t *testing.T) {
	s := &sendServer{onSend: func(s *sendServer, w http.ResponseWriter, _ int) {
		s.act()
		dropConn(w)
	}}
	r, stages, _ := runSend(t, s, SendOptions{})
	if s.posts != 1 {
		t.Fatalf("posts = %d, want exactly 1", s.posts)
	}
	if r.Outcome != OutcomeSent || !r.Reconciled {
		t.Fatalf("result = %+v, want reconciled sent", r)
	}
	if stages[1].Stage != StageReconciling {
		t.Errorf("stages = %v, want reconciling after sending", stages)
	}
	if !strings.Contains(r.Summary(), "copy is in Sent Items") {
		t.Errorf("summary = %q", r.Summary())
	}
}

func TestSendConnectionDroppedBeforeServerActedIsNotSent(t *testing.T) {
	s := &sendServer{onSend: func(s *sendServer, w http.ResponseWriter, _ int) { dropConn(w) }}
	r, _, _ := runSend(t, s, SendOptions{})
	if s.posts != 1 || r.Outcome != OutcomeNotSent || !r.Reconciled {
		t.Fatalf("posts = %d, result = %+v; want 1 POST, reconciled not sent", s.posts, r)
	}
	if !strings.Contains(r.Summary(), "still in Drafts") {
		t.Errorf("summary = %q", r.Summary())
	}
}

func TestSendServerErrorsAreReconciledNeverResent(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			s := &sendServer{onSend: func(s *sendServer, w http.ResponseWriter, _ int) {
				writeGraphError(w, status, "ServiceUnavailable", "oops")
			}}
			r, _, _ := runSend(t, s, SendOptions{})
			if s.posts != 1 || r.Outcome != OutcomeNotSent || !r.Reconciled {
				t.Fatalf("posts = %d, result = %+v", s.posts, r)
			}
		})
	}
}

func TestSendServerErrorButMailWentOutWaitsForCopy(t *testing.T) {
	s := &sendServer{copyAfterLooks: 2, onSend: func(s *sendServer, w http.ResponseWriter, _ int) {
		s.act()
		writeGraphError(w, 504, "GatewayTimeout", "timeout")
	}}
	r, _, _ := runSend(t, s, SendOptions{})
	if s.posts != 1 || r.Outcome != OutcomeSent || !r.Reconciled {
		t.Fatalf("posts = %d, result = %+v; want reconciled sent after waiting", s.posts, r)
	}
}

func TestSendThrottledIsRetriedAfterRetryAfter(t *testing.T) {
	s := &sendServer{onSend: func(s *sendServer, w http.ResponseWriter, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "1.5")
			writeGraphError(w, 429, CodeApplicationThrottled, "throttled")
			return
		}
		accept(s, w, n)
	}}
	r, _, w := runSend(t, s, SendOptions{})
	if s.posts != 2 || r.Outcome != OutcomeSent {
		t.Fatalf("posts = %d, result = %+v; want 2 POSTs then sent", s.posts, r)
	}
	if got := w.all(); got[0] != 1500*time.Millisecond {
		t.Fatalf("first wait = %v, want the Retry-After of 1.5s", got[0])
	}
}

func TestSendThrottledTooLongIsNotSent(t *testing.T) {
	s := &sendServer{onSend: func(s *sendServer, w http.ResponseWriter, n int) {
		w.Header().Set("Retry-After", "3600")
		writeGraphError(w, 429, CodeApplicationThrottled, "throttled")
	}}
	r, _, _ := runSend(t, s, SendOptions{})
	if s.posts != 1 || r.Outcome != OutcomeNotSent || !IsThrottled(r.Err) {
		t.Fatalf("posts = %d, result = %+v", s.posts, r)
	}
}

func TestSendDefiniteRefusals(t *testing.T) {
	tests := []struct {
		status int
		code   string
		want   string
	}{
		{400, CodeInvalidRecipients, "no valid recipient"},
		{403, CodeSendAsDenied, "may not send as"},
		{403, CodeAccessDenied, "Mail.Send"},
		{403, CodeQuotaExceeded, "quota"},
		{401, CodeInvalidAuthToken, "sign in again"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			s := &sendServer{onSend: func(s *sendServer, w http.ResponseWriter, _ int) {
				writeGraphError(w, tt.status, tt.code, "refused")
			}}
			r, _, _ := runSend(t, s, SendOptions{})
			if s.posts != 1 || r.Outcome != OutcomeNotSent || r.Reconciled {
				t.Fatalf("posts = %d, result = %+v", s.posts, r)
			}
			if !strings.Contains(r.Summary(), tt.want) {
				t.Fatalf("summary = %q, want %q", r.Summary(), tt.want)
			}
		})
	}
}

func TestSendNotFoundLooksInSentItems(t *testing.T) {
	t.Run("already sent", func(t *testing.T) {
		s := &sendServer{onSend: func(s *sendServer, w http.ResponseWriter, _ int) {
			writeGraphError(w, 404, CodeItemNotFound, "The specified object was not found in the store.")
		}}
		s.acted = true // sent elsewhere before
		r, _, _ := runSend(t, s, SendOptions{})
		if s.posts != 1 || r.Outcome != OutcomeSent || !strings.Contains(r.Summary(), "already left Drafts") {
			t.Fatalf("posts = %d, result = %+v, summary %q", s.posts, r, r.Summary())
		}
	})
	t.Run("draft still there", func(t *testing.T) {
		s := &sendServer{onSend: func(s *sendServer, w http.ResponseWriter, _ int) {
			writeGraphError(w, 404, CodeItemNotFound, "The specified object was not found in the store.")
		}}
		r, _, _ := runSend(t, s, SendOptions{})
		if s.posts != 1 || r.Outcome != OutcomeNotSent || !r.InDrafts || !strings.Contains(r.Summary(), "the draft is still in Drafts") {
			t.Fatalf("posts = %d, result = %+v, summary %q", s.posts, r, r.Summary())
		}
	})
	t.Run("deleted", func(t *testing.T) {
		s := &sendServer{onSend: func(s *sendServer, w http.ResponseWriter, _ int) {
			writeGraphError(w, 404, CodeItemNotFound, "The specified object was not found in the store.")
		}}
		s.draftExists = false
		c, _ := newTestClient(t, serve(t, s.handle(t)))
		r := c.SendAndConfirm(context.Background(), testDraft(), SendOptions{})
		if s.posts != 1 || r.Outcome != OutcomeNotSent || !strings.Contains(r.Summary(), "no longer exists") {
			t.Fatalf("posts = %d, result = %+v, summary %q", s.posts, r, r.Summary())
		}
	})
}

func TestSendAcceptedButCopyNeverShowsIsPending(t *testing.T) {
	s := &sendServer{onSend: accept, copyAfterLooks: 1 << 30, draftExists: true}
	c, err := New(Options{BaseURL: serve(t, s.handle(t)), Tokens: StaticToken(testToken)})
	if err != nil {
		t.Fatal(err)
	}
	r := c.SendAndConfirm(context.Background(), testDraft(), SendOptions{
		Deadline:  150 * time.Millisecond,
		PollDelay: func(int) time.Duration { return 20 * time.Millisecond },
	})
	if r.Outcome != OutcomePending || s.posts != 1 || r.Looks < 2 {
		t.Fatalf("result = %+v, posts %d", r, s.posts)
	}
	if !strings.Contains(r.Summary(), "not in Sent Items yet") {
		t.Errorf("summary = %q", r.Summary())
	}
}

func TestSendThatCannotConnectIsNotSent(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL + "/v1.0"
	srv.Close() // nothing listens there any more: the connection is refused
	c, _ := newTestClient(t, base)
	r := c.SendAndConfirm(context.Background(), testDraft(), SendOptions{})
	if r.Outcome != OutcomeNotSent || r.Reconciled || r.Looks != 0 {
		t.Fatalf("result = %+v; want not sent, without looking", r)
	}
	if s := r.Summary(); !strings.HasPrefix(s, "not sent: ") || !strings.Contains(s, "check the network") {
		t.Fatalf("summary = %q", s)
	}
}

func TestSendUnclearAndSentItemsUnreadableIsUnknown(t *testing.T) {
	s := &sendServer{lookStatus: 403, onSend: func(s *sendServer, w http.ResponseWriter, _ int) {
		writeGraphError(w, 500, "InternalServerError", "oops")
	}}
	r, _, _ := runSend(t, s, SendOptions{})
	if s.posts != 1 || r.Outcome != OutcomeUnknown || !r.Reconciled {
		t.Fatalf("posts = %d, result = %+v", s.posts, r)
	}
	var sendErr *Error
	if !errors.As(r.Err, &sendErr) || sendErr.Status != 500 || !IsForbidden(r.LookErr) {
		t.Fatalf("Err = %v, LookErr = %v; want the 500 and the refused look", r.Err, r.LookErr)
	}
	want := "not known whether it was sent: look in Sent Items before sending again (the answer to the send was unclear: Graph answered 500 InternalServerError; Sent Items could not be checked: drafts needs the Mail.ReadWrite"
	if !strings.HasPrefix(r.Summary(), want) {
		t.Fatalf("summary = %q, want it to start %q", r.Summary(), want)
	}
}

func TestSendAcceptedButSentItemsRefusedIsPending(t *testing.T) {
	s := &sendServer{lookStatus: 403, onSend: accept}
	r, _, _ := runSend(t, s, SendOptions{})
	if s.posts != 1 || r.Outcome != OutcomePending || r.Err != nil || !IsForbidden(r.LookErr) || r.Looks != 1 {
		t.Fatalf("posts = %d, result = %+v; want pending after one refused look", s.posts, r)
	}
	if want := "accepted by Outlook; do not send it again (Sent Items could not be checked: drafts needs the Mail.ReadWrite"; !strings.HasPrefix(r.Summary(), want) {
		t.Fatalf("summary = %q, want it to start %q", r.Summary(), want)
	}
}

func TestSendCancelledMidPostIsUnknownNeverNotSent(t *testing.T) {
	var posts atomic.Int32
	received := make(chan struct{})
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			t.Errorf("unexpected %s %s after the cancel", r.Method, r.URL)
			return
		}
		posts.Add(1)
		close(received)
		<-r.Context().Done() // Graph may or may not act; the answer never comes
	})
	c, _ := newTestClient(t, base)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-received; cancel() }()
	r := c.SendAndConfirm(ctx, testDraft(), SendOptions{})
	if posts.Load() != 1 || r.Outcome != OutcomeUnknown || !r.Reconciled || !errors.Is(r.LookErr, context.Canceled) {
		t.Fatalf("posts = %d, result = %+v; want unknown after one POST", posts.Load(), r)
	}
	if s := r.Summary(); !strings.HasPrefix(s, "not known whether it was sent") || !strings.Contains(s, "look in Sent Items before sending again") {
		t.Fatalf("summary = %q", s)
	}
}
