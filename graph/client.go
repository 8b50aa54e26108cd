package graph

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is the global Microsoft Graph v1.0 endpoint. National
// clouds have their own hosts; pass one in Options.BaseURL.
const DefaultBaseURL = "https://graph.microsoft.com/v1.0"

// Defaults used when the matching Options field is zero.
const (
	// DefaultPageSize is the $top used for listings: Graph's maximum for
	// messages, which keeps the number of round trips minimal. Listings
	// select no body, so pages this big stay small and fast.
	DefaultPageSize = 1000
	// DefaultMaxInFlight is Outlook's limit of concurrent requests per app
	// and mailbox.
	DefaultMaxInFlight = 4
	// DefaultMaxAttempts bounds how often one GET is tried in all.
	DefaultMaxAttempts = 4
	// DefaultMaxRetryWait is the longest Retry-After the client waits
	// out by itself; a longer one is returned as a throttling error that
	// says when to try again.
	DefaultMaxRetryWait = 30 * time.Second
	// DefaultMaxResponseBytes bounds how much of one response is read.
	DefaultMaxResponseBytes = 16 << 20
	// DefaultRequestTimeout bounds one attempt of a request, from sending
	// it to the last byte of the answer.
	DefaultRequestTimeout = 60 * time.Second
)

// TokenSource gives the bearer token for a request. It is called once per
// request, so it should cache and refresh tokens itself.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// TokenInvalidator is implemented by token sources that can drop a token the
// server rejected. When Graph answers 401 InvalidAuthenticationToken, the
// client calls Invalidate with the rejected token and tries the request once
// more with a fresh token.
type TokenInvalidator interface {
	Invalidate(token string)
}

// StaticToken is a TokenSource that always returns the same token, for
// scripts and tests (DRAFTS_ACCESS_TOKEN).
type StaticToken string

// Token returns the token, or ErrNoToken if it is empty.
func (t StaticToken) Token(context.Context) (string, error) {
	if t == "" {
		return "", ErrNoToken
	}
	return string(t), nil
}

// ErrNoToken is returned when there is no access token to send.
var ErrNoToken = errors.New("no access token: sign in with 'drafts login', set DRAFTS_ACCESS_TOKEN, or try 'drafts --demo'")

// Options configure a Client. Only Tokens is required.
type Options struct {
	// BaseURL is the Graph root including the version, e.g.
	// https://graph.microsoft.com/v1.0. Plain http is accepted only for
	// loopback hosts (the emulator), so a token never crosses a network
	// unencrypted.
	BaseURL string
	// Mailbox is the user principal name of the mailbox to use; empty
	// means the signed-in user (/me). App-only tokens need a mailbox.
	Mailbox string
	// Tokens supplies the bearer token.
	Tokens TokenSource
	// HTTPClient sends the requests; nil means a client with sensible
	// connection timeouts. Its transport and timeout are used as they are,
	// but redirects are never followed, whatever its CheckRedirect says:
	// following one could carry the token to another host.
	HTTPClient *http.Client
	// RootCAs, if set, are the certificate authorities the client's own
	// transport trusts instead of the system's (config's ca_file: the
	// system's roots and the emulator's CA). Certificates are always
	// checked. Unused with HTTPClient.
	RootCAs *x509.CertPool
	// PageSize is the $top of listings (1..1000).
	PageSize int
	// MaxInFlight caps concurrent requests from this client.
	MaxInFlight int
	// MaxAttempts caps the tries of one GET (1 means no retry).
	MaxAttempts int
	// MaxRetryWait caps how long the client waits for Retry-After.
	MaxRetryWait time.Duration
	// MaxResponseBytes caps the size of a response body.
	MaxResponseBytes int64
	// RequestTimeout bounds each attempt of a request as a whole: from
	// sending it to reading the last byte of the answer's body, so an
	// answer that stops arriving fails instead of hanging. Each retry
	// gets its own; a caller's context with a sooner deadline still ends
	// it first. 0 (or less) means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// UserAgent is sent with every request.
	UserAgent string
}

// Client talks to the Graph mail endpoints of one mailbox. It is safe for
// concurrent use; at most Options.MaxInFlight requests run at once.
type Client struct {
	base     *url.URL
	root     string // base + mailbox path, no trailing slash
	mailbox  string
	tokens   TokenSource
	http     *http.Client
	pageSize int
	attempts int
	maxWait  time.Duration
	maxBody  int64
	timeout  time.Duration // per attempt, headers and body
	agent    string
	slots    chan struct{}
	// sleep waits for d or until ctx ends; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns a Client for the given options, or an error naming what is
// wrong with them.
func New(opts Options) (*Client, error) {
	if opts.Tokens == nil {
		return nil, errors.New("graph: no token source")
	}
	raw := strings.TrimRight(opts.BaseURL, "/")
	if raw == "" {
		raw = DefaultBaseURL
	}
	base, err := parseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:     base,
		mailbox:  opts.Mailbox,
		tokens:   opts.Tokens,
		http:     opts.HTTPClient,
		pageSize: opts.PageSize,
		attempts: opts.MaxAttempts,
		maxWait:  opts.MaxRetryWait,
		maxBody:  opts.MaxResponseBytes,
		timeout:  opts.RequestTimeout,
		agent:    opts.UserAgent,
		sleep:    sleepCtx,
	}
	if c.http == nil {
		c.http = defaultHTTPClient(opts.RootCAs, isLoopback(base.Hostname()))
	} else {
		hc := *c.http
		hc.CheckRedirect = refuseRedirect
		c.http = &hc
	}
	if c.pageSize <= 0 || c.pageSize > 1000 {
		c.pageSize = DefaultPageSize
	}
	if c.attempts <= 0 {
		c.attempts = DefaultMaxAttempts
	}
	if c.maxWait <= 0 {
		c.maxWait = DefaultMaxRetryWait
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxResponseBytes
	}
	if c.timeout <= 0 {
		c.timeout = DefaultRequestTimeout
	}
	if c.agent == "" {
		c.agent = "drafts"
	}
	n := opts.MaxInFlight
	if n <= 0 {
		n = DefaultMaxInFlight
	}
	c.slots = make(chan struct{}, n)
	c.root = strings.TrimRight(base.String(), "/") + mailboxPath(opts.Mailbox)
	return c, nil
}

// BaseURL returns the Graph root the client talks to.
func (c *Client) BaseURL() string { return strings.TrimRight(c.base.String(), "/") }

// Mailbox returns the mailbox UPN, or "" for the signed-in user.
func (c *Client) Mailbox() string { return c.mailbox }

func mailboxPath(upn string) string {
	if upn == "" {
		return "/me"
	}
	return "/users/" + url.PathEscape(upn)
}

// CheckBaseURL reports whether raw can be a client's BaseURL (an absolute https URL, or http to
// a loopback address, with no query or fragment), with the reason when it cannot.
func CheckBaseURL(raw string) error {
	_, err := parseBaseURL(raw)
	return err
}

// HasAPIVersion reports whether the path of the Graph root raw ends in an API version, /v1.0
// or /beta: without one every request is a 404.
func HasAPIVersion(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	p := strings.TrimRight(u.Path, "/")
	return strings.HasSuffix(p, "/v1.0") || strings.HasSuffix(p, "/beta")
}

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("graph: base URL %q is not an absolute http(s) URL like %s", raw, DefaultBaseURL)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("graph: base URL %q uses plain http; only https is allowed except for a local emulator on 127.0.0.1 or localhost", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("graph: base URL %q must not carry a query or fragment", raw)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// defaultHTTPClient has the connection timeouts of http.DefaultTransport;
// the wait for the answer, headers and body, is bounded per attempt by
// Options.RequestTimeout. roots, if set, replace the system's trusted CAs.
// A loopback Graph (the emulator) is not asked for gzip: compressing on one
// end of a loopback and inflating on the other only spends CPU (10,000
// drafts listed took three times as long).
func defaultHTTPClient(roots *x509.CertPool, loopback bool) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = DefaultMaxInFlight
	t.DisableCompression = loopback
	if roots != nil {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if t.TLSClientConfig != nil {
			cfg = t.TLSClientConfig.Clone()
		}
		cfg.RootCAs = roots
		t.TLSClientConfig = cfg
	}
	return &http.Client{Transport: t, CheckRedirect: refuseRedirect}
}

// refuseRedirect makes an http.Client return a redirect as the answer
// instead of following it. Graph does not redirect these calls, and
// net/http keeps the Authorization header on a redirect to a subdomain, so
// following one could send the token to a host other than the configured
// one.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// sameOrigin reports whether u points at the configured Graph host, scheme
// and port, so following it cannot leak the token elsewhere.
func (c *Client) sameOrigin(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, c.base.Scheme) && strings.EqualFold(u.Host, c.base.Host)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
