package graph

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// call describes one logical request.
type call struct {
	op     string // what the client is doing, for errors
	method string
	url    string // absolute, on the configured host
	prefer string // Prefer header, if any
	// ifMatch, if set, is the If-Match header: the etag the change was made against (a
	// stale one is 412 ErrorIrresolvableConflict).
	ifMatch string
	body    []byte // JSON request body, if any
	// idempotent requests (GETs) are retried on 429, 5xx and transport
	// failures; others only on 429, when Graph promises it did nothing.
	idempotent bool
	// into, if not nil, is a buffer the answer may be read into (a Pager
	// reuses one from page to page: decoding copies what it keeps).
	into []byte
}

// response is a fully read answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// exec runs the call with the client's retry policy and returns a 2xx
// response, an *Error for any other status, a *TransportError when no answer
// could be had, or the context's error.
func (c *Client) exec(ctx context.Context, k call) (*response, error) {
	limit := c.attempts
	if !k.idempotent {
		// A send is made exactly once here: what follows an answer,
		// a 429's wait and repost included, is the send engine's
		// (graph/sending).
		limit = 1
	}
	refreshed := false
	for attempt := 1; ; attempt++ {
		res, token, err := c.once(ctx, k)
		if err != nil {
			var t *TransportError
			var stall *stallError
			switch {
			case !errors.As(err, &t) || !t.network() || !k.idempotent || ctx.Err() != nil:
				return nil, err
			case attempt >= limit || errors.As(err, &stall) && attempt >= maxStalls:
				// A Graph that does not answer within a whole attempt's time is tried once
				// more, not four times: four minutes in silence before the error, otherwise.
				t.Tries = attempt
				return nil, err
			}
			if err := c.sleep(ctx, backoff(attempt)); err != nil {
				return nil, err
			}
			continue
		}
		if res.status >= 200 && res.status < 300 {
			return res, nil
		}
		gerr := newError(k.op, res.status, res.header, res.body)
		if res.status == http.StatusUnauthorized && !refreshed {
			if inv, ok := c.tokens.(TokenInvalidator); ok {
				inv.Invalidate(token)
				refreshed = true
				if !k.idempotent {
					// A send is repeated only after a 429: renew the
					// token now, and let the user send again with it.
					_, terr := c.tokens.Token(ctx)
					gerr.Renewed = terr == nil
					return nil, gerr
				}
				attempt-- // a refresh is not a retry
				continue
			}
		}
		if !retryable(res.status, k.idempotent) || attempt >= limit {
			return nil, gerr
		}
		wait := gerr.RetryAfter
		if wait > c.maxWait {
			// Waiting this long would freeze the caller; say when to
			// come back instead.
			return nil, gerr
		}
		if gerr.RetryAfter == 0 {
			wait = backoff(attempt)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func retryable(status int, idempotent bool) bool {
	switch status {
	case http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent
	}
	return false
}

// once sends the request a single time, inside the in-flight limit, and
// reads the whole (bounded) answer. It returns the token it used so a 401
// can invalidate exactly that one.
func (c *Client) once(ctx context.Context, k call) (*response, string, error) {
	token, err := c.tokens.Token(ctx)
	if err != nil {
		return nil, "", err
	}
	if !ValidToken(token) {
		return nil, "", ErrBadToken // said before anything is sent, not blamed on Graph
	}
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, token, ctx.Err()
	}
	defer func() { <-c.slots }()

	var body io.Reader
	switch {
	case k.body != nil:
		body = bytes.NewReader(k.body)
	case k.method != http.MethodGet:
		// http.NoBody makes net/http send "Content-Length: 0", which
		// /send requires (411 without it).
		body = http.NoBody
	}
	// This attempt's deadline covers the whole exchange, the body
	// included: a stalled answer ends in an error, never a hang. It
	// starts once the request may go (token and slot in hand), and a
	// sooner deadline of the caller's still wins.
	actx, cancel := context.WithTimeoutCause(ctx, c.timeout, errAttemptDeadline)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, k.method, k.url, body)
	if err != nil {
		return nil, token, fmt.Errorf("%s: %w", k.op, err)
	}
	if k.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.agent)
	req.Header.Set("client-request-id", newRequestID())
	if k.ifMatch != "" {
		req.Header.Set("If-Match", k.ifMatch)
	}
	if k.prefer != "" {
		req.Header.Set("Prefer", k.prefer)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		err = unwrapURLError(err)
		if attemptTimedOut(ctx, actx) && !neverConnected(err) {
			err = &stallError{after: c.timeout}
		}
		return nil, token, &TransportError{Op: k.op, Host: c.base.Host, Err: err}
	}
	defer resp.Body.Close()
	data, err := readBody(resp, c.maxBody, k.into)
	if err != nil {
		if attemptTimedOut(ctx, actx) {
			// The status and headers came (a send's 202 included), the
			// rest did not: for a send the outcome is unclear.
			err = &stallError{after: c.timeout, midAnswer: true}
		} else {
			err = fmt.Errorf("answer cut off: %w", err)
		}
		return nil, token, &TransportError{Op: k.op, Host: c.base.Host, Err: err}
	}
	if int64(len(data)) > c.maxBody {
		return nil, token, &TransportError{Op: k.op, Host: c.base.Host, Err: fmt.Errorf("answer larger than %s, refused", byteSize(c.maxBody))}
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: data}, token, nil
}

// errAttemptDeadline is the cause of an attempt's context when its own
// deadline (Options.RequestTimeout) ended it.
var errAttemptDeadline = errors.New("graph: request deadline")

// attemptTimedOut reports whether the attempt's own deadline ended it, and
// not the caller, whose cancellation or deadline is reported as it is.
func attemptTimedOut(caller, attempt context.Context) bool {
	return caller.Err() == nil && context.Cause(attempt) == errAttemptDeadline
}

// maxStalls is how many attempts of a GET end without an answer in their time before it fails.
const maxStalls = 2

// stallError is an attempt that its deadline ended: Graph did not answer,
// or began to and stopped in the middle. It is a network timeout (a
// net.Error), so a GET is tried again, and a send's outcome is unclear.
type stallError struct {
	after     time.Duration
	midAnswer bool // the status and headers came, the body did not end
}

func (e *stallError) Error() string {
	if e.midAnswer {
		return "the answer stopped in the middle: not complete after " + seconds(e.after)
	}
	return "no answer within " + seconds(e.after)
}

func (e *stallError) Timeout() bool   { return true }
func (e *stallError) Temporary() bool { return true }

// seconds writes d for a person: "60 s", "1.5 s", "250 ms".
func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return strconv.FormatFloat(d.Round(100*time.Millisecond).Seconds(), 'f', -1, 64) + " s"
}

// readBody reads up to limit+1 bytes of the answer, into buf's array when
// it has room: into one buffer of the announced size when there is a
// Content-Length (a page of 1,000 drafts is about a megabyte, which
// io.ReadAll would reach by a dozen copies), else growing as it goes.
func readBody(resp *http.Response, limit int64, buf []byte) ([]byte, error) {
	b := bytes.NewBuffer(buf[:0])
	if n := resp.ContentLength; n > 0 && n <= limit {
		b.Grow(int(n) + bytes.MinRead) // ReadFrom wants MinRead bytes free to read the EOF
	}
	_, err := b.ReadFrom(io.LimitReader(resp.Body, limit+1))
	return b.Bytes(), err
}

// unwrapURLError drops *url.Error's "Get \"https://...\":" prefix; the URL
// is known from the context and may be long.
func unwrapURLError(err error) error {
	var u *url.Error
	if errors.As(err, &u) && u.Err != nil {
		return u.Err
	}
	return err
}

// decode parses a 2xx JSON answer into out.
func (c *Client) decode(op string, res *response, out any) error {
	if err := c.checkJSON(op, res); err != nil {
		return err
	}
	if err := json.Unmarshal(res.body, out); err != nil {
		return c.invalidJSON(op, err)
	}
	return nil
}

// decodePage decodes a 2xx listing into cleaned messages and its next
// link; st, if not nil, carries what the decoder shares between the pages
// of a Pager.
func (c *Client) decodePage(op string, res *response, st *pageState) ([]Message, string, error) {
	if err := c.checkJSON(op, res); err != nil {
		return nil, "", err
	}
	msgs, next, err := decodePage(res.body, st)
	if err != nil {
		return nil, "", c.invalidJSON(op, err)
	}
	return msgs, next, nil
}

// decodeMessage decodes a 2xx answer holding one message.
func (c *Client) decodeMessage(op string, res *response) (Message, error) {
	if err := c.checkJSON(op, res); err != nil {
		return Message{}, err
	}
	m, err := decodeMessage(res.body)
	if err != nil {
		return Message{}, c.invalidJSON(op, err)
	}
	return m, nil
}

// checkJSON fails unless the answer says it is JSON.
func (c *Client) checkJSON(op string, res *response) error {
	if !isJSON(res.header) {
		ct := CleanLine(res.header.Get("Content-Type"))
		if ct == "" {
			ct = "no content type"
		}
		return &TransportError{Op: op, Host: c.base.Host, Err: fmt.Errorf("expected JSON, got %s", ct)}
	}
	return nil
}

func (c *Client) invalidJSON(op string, err error) error {
	return &TransportError{Op: op, Host: c.base.Host, Err: fmt.Errorf("answer is not valid JSON: %v", err)}
}

func isJSON(h http.Header) bool {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// newRequestID returns a random GUID for the client-request-id header, which
// Microsoft support uses to find a request.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// byteSize writes n bytes for a person: whole MiB when n is a multiple of
// one, bytes otherwise.
func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ErrBadToken is the error of an access token that cannot be sent in a header: empty, or with
// a line break, a space or another control character in it (a stray newline in
// DRAFTS_ACCESS_TOKEN, say). Nothing is sent with it.
var ErrBadToken = errors.New("the access token is empty or has a line break, space or control character in it; check DRAFTS_ACCESS_TOKEN, or sign in again with 'drafts login'")

// ValidToken reports whether token can go in an Authorization header as it is.
func ValidToken(token string) bool {
	if token == "" {
		return false
	}
	for i := 0; i < len(token); i++ {
		if b := token[i]; b <= ' ' || b == 0x7f {
			return false
		}
	}
	return true
}
