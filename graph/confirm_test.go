package graph

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSummaryWording pins the one-line outcome for cases the send tests
// cannot reach quickly (they need the wall-clock deadline to pass).
func TestSummaryWording(t *testing.T) {
	gateway := &Error{Op: "send", Status: 504, Code: "GatewayTimeout"}
	tests := []struct {
		name string
		r    Result
		want string
	}{
		{"accepted, deadline passed",
			Result{Outcome: OutcomePending, Looks: 9, Elapsed: 2 * time.Minute},
			"accepted by Outlook, not in Sent Items yet; do not send it again (looked for 120.0 s)"},
		{"accepted, not looked",
			Result{Outcome: OutcomePending},
			"accepted by Outlook; do not send it again (Sent Items not checked)"},
		{"unclear, draft gone, deadline passed",
			Result{Outcome: OutcomePending, Reconciled: true, Err: gateway, Looks: 9, Elapsed: 2 * time.Minute},
			"probably sent: the draft has left Drafts, not in Sent Items yet; do not send it again (looked for 120.0 s; the answer to the send was unclear: Graph answered 504 GatewayTimeout)"},
		{"unclear, then found",
			Result{Outcome: OutcomeSent, Reconciled: true, Err: gateway},
			"sent: the copy is in Sent Items (the answer to the send was unclear: Graph answered 504 GatewayTimeout)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Summary(); got != tt.want {
				t.Errorf("Summary() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestSendWithoutInternetMessageIDFindsCopyByConversation(t *testing.T) {
	var filters []string
	var mu sync.Mutex
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "POST":
			w.WriteHeader(202)
		default:
			mu.Lock()
			filters = append(filters, r.URL.Query().Get("$filter"))
			mu.Unlock()
			old := wireMsg("old", "Quarterly numbers")
			old["sentDateTime"] = "2020-01-01T00:00:00Z"
			other := wireMsg("other", "Re: something else")
			other["sentDateTime"] = time.Now().UTC().Format(time.RFC3339)
			copy := wireMsg("sent-1", "Quarterly numbers")
			copy["sentDateTime"] = time.Now().UTC().Format(time.RFC3339)
			writeJSON(w, 200, page("", old, other, copy))
		}
	})
	c, _ := newTestClient(t, base)
	d := testDraft()
	d.InternetMessageID = ""
	before := time.Now()
	r := c.SendAndConfirm(context.Background(), d, SendOptions{})
	if r.Outcome != OutcomeSent || r.Copy.ID != "sent-1" {
		t.Fatalf("result = %+v", r)
	}
	after, ok := strings.CutPrefix(filters[0], "conversationId eq 'conv-1' and sentDateTime ge ")
	bound, err := time.Parse(time.RFC3339, after)
	if !ok || err != nil || bound.Before(before.Add(-time.Minute-time.Second)) || bound.After(time.Now().Add(-time.Minute)) {
		t.Fatalf("filter = %q, want the conversation and a bound a minute before the send", filters[0])
	}
}
