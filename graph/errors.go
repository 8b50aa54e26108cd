package graph

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Graph error codes drafts knows by name: the ones it branches on, and
// ApplicationThrottled, which a throttled request carries.
const (
	CodeItemNotFound         = "ErrorItemNotFound"
	CodeInvalidRecipients    = "ErrorInvalidRecipients"
	CodeSendAsDenied         = "ErrorSendAsDenied"
	CodeAccessDenied         = "ErrorAccessDenied"
	CodeQuotaExceeded        = "ErrorQuotaExceeded"
	CodeMailboxNotEnabled    = "MailboxNotEnabledForRESTAPI"
	CodeInvalidAuthToken     = "InvalidAuthenticationToken"
	CodeInvalidUser          = "ErrorInvalidUser"
	CodeApplicationThrottled = "ApplicationThrottled"
	CodeMessageSizeExceeded  = "ErrorMessageSizeExceeded"
)

// Error is an error answer from Graph: its HTTP status and the fields of
// Graph's error body. Code and Message are cleaned like all server text.
type Error struct {
	// Status is the HTTP status code.
	Status int
	// Code is Graph's error code, e.g. "ErrorItemNotFound". Branch on
	// it, never on Message. Empty when the body was not Graph's JSON.
	Code string
	// Message is Graph's human message (or a description of a body that
	// was not Graph's JSON).
	Message string
	// RequestID identifies the request for Microsoft support.
	RequestID string
	// RetryAfter is the server's requested wait, when it gave one.
	RetryAfter time.Duration
	// Op names what the client was doing, e.g. "list drafts".
	Op string
	// Renewed is true on a 401 to a send after which the client renewed
	// the token silently: the send was not made, and may be made again.
	Renewed bool
}

// Error returns a one-line description including status, code and
// request-id.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "graph %d", e.Status)
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request-id ")
		b.WriteString(e.RequestID)
		b.WriteString(")")
	}
	return b.String()
}

// wireError is Graph's error body.
type wireError struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError struct {
			RequestID string `json:"request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// newError builds an *Error from a non-2xx response.
func newError(op string, status int, h http.Header, body []byte) *Error {
	e := &Error{Status: status, Op: op, RequestID: CleanLine(h.Get("request-id"))}
	var w wireError
	if isJSON(h) && json.Unmarshal(body, &w) == nil && w.Error.Code != "" {
		e.Code = CleanLine(w.Error.Code)
		e.Message = CleanLine(w.Error.Message)
		if id := CleanLine(w.Error.InnerError.RequestID); id != "" {
			e.RequestID = id
		}
	} else {
		e.Message = describeBody(status, h)
	}
	if d, ok := parseRetryAfter(h.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter = d
	}
	return e
}

func describeBody(status int, h http.Header) string {
	ct := h.Get("Content-Type")
	if ct == "" {
		return http.StatusText(status) + " (no Graph error body)"
	}
	mt, _, _ := strings.Cut(ct, ";")
	return fmt.Sprintf("%s (answered with %s instead of Graph's JSON error)", http.StatusText(status), CleanLine(strings.TrimSpace(mt)))
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsNotFound reports whether err is Graph's 404 (the item or mailbox does
// not exist, for example a draft that was already sent or deleted), or its
// 400 for an id that cannot name any item (ErrorInvalidIdMalformed, or an
// id that reads as more than one path segment): no message has that id.
func IsNotFound(err error) bool {
	e, ok := AsError(err)
	return ok && (e.Status == http.StatusNotFound || e.Code == CodeItemNotFound || e.Code == "ErrorInvalidIdMalformed" ||
		e.Status == http.StatusBadRequest && strings.HasPrefix(e.Message, "Resource not found for the segment"))
}

// IsThrottled reports whether Graph asked the client to slow down (429).
func IsThrottled(err error) bool {
	e, ok := AsError(err)
	return ok && e.Status == http.StatusTooManyRequests
}

// IsUnauthorized reports whether the token was missing, expired or invalid
// (401).
func IsUnauthorized(err error) bool {
	e, ok := AsError(err)
	return (ok && e.Status == http.StatusUnauthorized) || errors.Is(err, ErrNoToken)
}

// IsForbidden reports whether Graph refused the operation (403), e.g. a
// missing permission or send-as right.
func IsForbidden(err error) bool {
	e, ok := AsError(err)
	return ok && e.Status == http.StatusForbidden
}

// IsInvalidRecipients reports whether a send failed because the draft has no
// recipient or one whose address is not valid.
func IsInvalidRecipients(err error) bool {
	e, ok := AsError(err)
	return ok && e.Code == CodeInvalidRecipients
}

// Describe turns any error from this package into one line a user can act
// on: what happened and what to do next. It never includes a token.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, ErrNoToken) {
		return ErrNoToken.Error()
	}
	if errors.Is(err, ErrBadToken) {
		return ErrBadToken.Error()
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out waiting for Microsoft Graph; check the network and try again"
	}
	if e, ok := AsError(err); ok {
		return describeGraphError(e)
	}
	var t *TransportError
	if errors.As(err, &t) {
		return t.Error()
	}
	return CleanLine(err.Error())
}

func describeGraphError(e *Error) string {
	send := strings.HasPrefix(e.Op, "send")
	switch {
	case e.Code == CodeInvalidRecipients:
		return "this draft has no valid recipient (one is missing or its address is wrong): fix To, Cc and Bcc in Outlook, then send again"
	case e.Code == CodeSendAsDenied:
		return "you may not send as this draft's From address: change From in Outlook or ask an admin for Send As rights"
	case e.Code == CodeQuotaExceeded:
		return "the mailbox is over its size quota: delete or archive mail, then try again"
	case e.Code == CodeMessageSizeExceeded:
		return "this message is larger than the mailbox allows: remove attachments, then try again"
	case e.Code == CodeMailboxNotEnabled:
		return "this mailbox cannot be used through Microsoft Graph (it is not in Exchange Online, or has no Exchange Online licence): check the --mailbox address or ask an admin"
	case e.Code == CodeInvalidUser:
		return "Graph does not know this mailbox: check the --mailbox address"
	case e.Status == http.StatusPreconditionFailed || e.Code == "ErrorIrresolvableConflict":
		return "the draft was changed elsewhere (in Outlook?) since it was read; nothing was written: look at the new version"
	// What to do comes first in the next three: a terminal's status line
	// may show only the start.
	case e.Status == http.StatusUnauthorized && e.Renewed:
		return "the sign-in had expired; it is renewed now: send it again"
	case e.Status == http.StatusUnauthorized:
		return "sign in again with 'drafts login' (or set a fresh DRAFTS_ACCESS_TOKEN): the access token was refused (expired or revoked)"
	case e.Status == http.StatusForbidden && send:
		return "drafts needs the Mail.Send permission (Graph refused to send: " + orStatus(e) + "); for a shared mailbox, Mail.Send.Shared and Send As rights on it; sign in again or ask an admin to grant it"
	case e.Status == http.StatusForbidden:
		return "drafts needs the Mail.ReadWrite (or Mail.Read) permission (Graph refused access: " + orStatus(e) + "); for a shared mailbox, Mail.ReadWrite.Shared and access to it; sign in again or ask an admin to grant it"
	case e.Status == http.StatusTooManyRequests:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("Graph is throttling this mailbox: wait %s, then try again", roundDuration(e.RetryAfter))
		}
		return "Graph is throttling this mailbox: wait a minute, then try again"
	case e.Status == http.StatusNotFound && send:
		return "this draft no longer exists in Drafts (sent or deleted elsewhere)"
	case e.Status == http.StatusNotFound:
		return "not found (" + orStatus(e) + "): the message may have been sent, moved or deleted elsewhere; refresh the list"
	case e.Status >= 500:
		return fmt.Sprintf("Microsoft Graph had a server error (%s); try again in a moment", orStatus(e))
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	return fmt.Sprintf("Graph said %s: %s", orStatus(e), msg)
}

func orStatus(e *Error) string {
	if e.Code != "" {
		return fmt.Sprintf("%d %s", e.Status, e.Code)
	}
	return fmt.Sprintf("HTTP %d", e.Status)
}

func roundDuration(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Second)
}

// TransportError is a failure to get a usable answer from Graph: the
// network is down, the host is unknown, the connection dropped, or the
// answer could not be read or decoded (too large, not JSON, cut off).
type TransportError struct {
	// Op names what the client was doing.
	Op string
	// Host is the Graph host that was being reached.
	Host string
	// Err is the underlying error.
	Err error
	// Tries is how many times the request was made, when more than once.
	Tries int
}

// Error describes the failure in one line with what to do next.
func (e *TransportError) Error() string {
	if e.certificate() {
		return fmt.Sprintf("%s: the certificate of %s is not trusted (%s); for 'drafts emulator --tls', give drafts the CA file it printed (ca_file)", e.Op, e.Host, CleanLine(e.Err.Error()))
	}
	if errors.Is(e.Err, http.ErrSchemeMismatch) {
		return fmt.Sprintf("%s: %s answers plain HTTP, not HTTPS; check the Graph URL (graph_url): an emulator without --tls is http://", e.Op, e.Host)
	}
	if !e.network() {
		return fmt.Sprintf("%s: Graph's answer was unusable: %s; try again in a moment", e.Op, CleanLine(e.Err.Error()))
	}
	tries := ""
	if e.Tries > 1 {
		tries = fmt.Sprintf(", %d times", e.Tries)
	}
	return fmt.Sprintf("%s: no usable answer from %s (%s%s); check the network and try again", e.Op, e.Host, CleanLine(e.Err.Error()), tries)
}

// network reports whether the failure is the network's (no connection, a
// connection dropped, reset or timed out, a read cut off), which trying
// again may cure, rather than an answer that came whole but could not be
// used (too large, not JSON), which it will not.
func (e *TransportError) network() bool {
	if e.certificate() || errors.Is(e.Err, http.ErrSchemeMismatch) {
		return false // trying again meets the same certificate, or the same plain HTTP
	}
	var ne net.Error
	return errors.As(e.Err, &ne) || errors.Is(e.Err, io.EOF) || errors.Is(e.Err, io.ErrUnexpectedEOF) ||
		errors.Is(e.Err, context.Canceled) || errors.Is(e.Err, context.DeadlineExceeded) || errors.Unwrap(e.Err) != nil
}

// Unsent reports whether the request never reached Graph: no connection could be made (refused,
// no route, a host that does not resolve). Nothing was done there, whatever the request was.
func (e *TransportError) Unsent() bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(e.Err, &dns) || errors.As(e.Err, &op) && op.Op == "dial"
}

// certificate reports whether the server's certificate was refused: not trusted, expired, or for
// another name.
func (e *TransportError) certificate() bool {
	var cve *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(e.Err, &cve) || errors.As(e.Err, &ua) || errors.As(e.Err, &hn) || errors.As(e.Err, &ci)
}

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }
