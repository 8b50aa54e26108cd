package graph

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestDescribeSaysWhatToDo pins the user-facing line for each kind of
// error: what happened, and what to do next.
func TestDescribeSaysWhatToDo(t *testing.T) {
	gerr := func(op string, status int, code string) *Error {
		return &Error{Op: op, Status: status, Code: code, Message: "server words"}
	}
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"no token", fmt.Errorf("list drafts: %w", ErrNoToken), []string{"drafts login", "--demo"}},
		{"cancelled", &TransportError{Op: "send", Host: "h", Err: context.Canceled}, []string{"cancelled"}},
		{"timed out", &TransportError{Op: "list drafts", Host: "h", Err: context.DeadlineExceeded}, []string{"timed out", "check the network"}},
		{"transport", &TransportError{Op: "list drafts", Host: "graph.example", Err: &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset")}}, []string{"graph.example", "connection reset", "check the network"}},
		{"unusable answer", &TransportError{Op: "list drafts", Host: "graph.example", Err: errors.New("answer is not valid JSON: unexpected EOF")}, []string{"answer was unusable", "not valid JSON", "try again"}},
		{"invalid recipients", gerr("send", 400, CodeInvalidRecipients), []string{"no valid recipient", "fix To, Cc and Bcc"}},
		{"send as denied", gerr("send", 403, CodeSendAsDenied), []string{"may not send as", "Send As"}},
		{"quota", gerr("send", 403, CodeQuotaExceeded), []string{"quota", "delete or archive"}},
		{"message too big", gerr("send", 400, CodeMessageSizeExceeded), []string{"larger than", "remove attachments"}},
		{"mailbox not enabled", gerr("list drafts", 404, CodeMailboxNotEnabled), []string{"Exchange Online", "--mailbox"}},
		{"unknown mailbox", gerr("list drafts", 404, CodeInvalidUser), []string{"--mailbox"}},
		{"unauthorized", gerr("list drafts", 401, CodeInvalidAuthToken), []string{"sign in again", "drafts login"}},
		{"forbidden send", gerr("send", 403, CodeAccessDenied), []string{"Mail.Send"}},
		{"forbidden list", gerr("list drafts", 403, CodeAccessDenied), []string{"Mail.ReadWrite", "Mail.Read"}},
		{"throttled with wait", &Error{Status: 429, RetryAfter: 2128 * time.Millisecond}, []string{"throttling", "wait 2s"}},
		{"throttled", &Error{Status: 429}, []string{"throttling", "wait a minute"}},
		{"send of a gone draft", gerr("send", 404, CodeItemNotFound), []string{"no longer exists in Drafts"}},
		{"gone message", gerr("open message", 404, CodeItemNotFound), []string{"404 ErrorItemNotFound", "refresh the list"}},
		{"server error", gerr("list drafts", 503, "ServiceUnavailable"), []string{"server error", "503 ServiceUnavailable", "in a moment"}},
		{"other", gerr("list drafts", 400, "ErrorInvalidIdMalformed"), []string{"400 ErrorInvalidIdMalformed", "server words"}},
		{"other without body", &Error{Status: http.StatusConflict}, []string{"HTTP 409", "Conflict"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Describe(tt.err)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Describe = %q, want it to contain %q", got, w)
				}
			}
		})
	}
}

// TestUntrustedCertificateIsNotRetried: a refused certificate is no network failure (trying
// again meets the same certificate), and says what to do.
func TestUntrustedCertificateIsNotRetried(t *testing.T) {
	e := &TransportError{Op: "list drafts", Host: "127.0.0.1:8961", Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}
	if e.network() || !strings.Contains(e.Error(), "is not trusted") || strings.Contains(e.Error(), "check the network") {
		t.Fatalf("network %v: %s", e.network(), e.Error())
	}
}

// An https URL to a server that speaks plain HTTP is said as such, and not tried again.
func TestHTTPSToAPlainServerSaysCheckTheURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	c, _ := newTestClient(t, strings.Replace(srv.URL, "http://", "https://", 1)+"/v1.0")
	_, err := c.ListDrafts(context.Background())
	var te *TransportError
	if !errors.As(err, &te) || te.network() || !strings.Contains(err.Error(), "answers plain HTTP, not HTTPS; check the Graph URL") {
		t.Fatalf("err = %v", err)
	}
}

// An id that cannot name any item is no message, as a 404 is.
func TestMalformedIDIsNotFound(t *testing.T) {
	for _, e := range []*Error{
		{Status: 404, Code: "ErrorItemNotFound"},
		{Status: 400, Code: "ErrorInvalidIdMalformed", Message: "Id is malformed."},
		{Status: 400, Code: "BadRequest", Message: "Resource not found for the segment 'b'."},
	} {
		if !IsNotFound(e) {
			t.Errorf("%+v is not taken for no such message", e)
		}
	}
	if IsNotFound(&Error{Status: 400, Code: "ErrorInvalidRecipients"}) {
		t.Error("a bad recipient is taken for no such message")
	}
}

// A request that found no server never reached Graph; one cut off after it did may have.
func TestUnsentIsADialThatFailed(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL + "/v1.0"
	srv.Close() // nothing listens there now
	c, _ := newTestClient(t, base)
	_, err := c.ListDrafts(context.Background())
	var te *TransportError
	if !errors.As(err, &te) || !te.Unsent() {
		t.Fatalf("a refused connection: %v (unsent %v)", err, te != nil && te.Unsent())
	}
	if (&TransportError{Err: io.ErrUnexpectedEOF}).Unsent() {
		t.Fatal("an answer cut off is taken for a request never sent")
	}
}
