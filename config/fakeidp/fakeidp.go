// Package fakeidp is a fake Microsoft Entra ID token service for tests: an
// httptest TLS server answering the calls MSAL Go makes for the device code
// flow, refresh tokens and client credentials, with scripted outcomes.
//
// Point MSAL at it with the server's URL as the authority host, its
// Client() as the HTTP client, and instance discovery off.
package fakeidp

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Outcome is how the token endpoint answers one poll of a device code.
type Outcome string

// Device code outcomes.
const (
	Pending  Outcome = "authorization_pending"
	Declined Outcome = "authorization_declined"
	Expired  Outcome = "expired_token"
	Success  Outcome = "success"
)

// User is the account that signs in.
type User struct {
	Username, ObjectID, TenantID string
}

// DefaultUser is the account used unless IdP.User is changed.
var DefaultUser = User{Username: "adele@contoso.example", ObjectID: "00000000-0000-0000-0000-00000000a11e", TenantID: "72f988bf-0000-0000-0000-0000000000aa"}

// IdP is the fake token service.
type IdP struct {
	srv *httptest.Server

	mu sync.Mutex
	// DeviceScript is the sequence of answers to device code polls; the
	// last one repeats. Default: Pending, Success.
	DeviceScript []Outcome
	// AccessTokenLifetime is the expires_in of issued access tokens, in
	// seconds (default 3600).
	AccessTokenLifetime int
	// PollInterval is the device code's polling interval in seconds
	// (default 5, as Entra answers); tests that wait for a device-code
	// sign-in set 1.
	PollInterval int
	// User signs in.
	User User
	// ClientSecret is the secret client credentials must present.
	ClientSecret string
	// FailWith, when set, makes every token and device code call fail
	// with this Entra error code (e.g. 7000218) and OAuth error.
	FailWith      int
	FailWithError string

	polls      int
	issued     int
	revoked    map[string]bool
	refreshes  int
	deviceReqs int
	creds      int
	accessTok  []string
	refreshTok []string
	lastScope  string
}

// New starts a fake identity provider; it stops when the test ends.
func New(t testing.TB) *IdP {
	f := &IdP{User: DefaultUser, revoked: map[string]bool{}, AccessTokenLifetime: 3600, PollInterval: 5, ClientSecret: "fake-client-secret"}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the authority host, e.g. https://127.0.0.1:port.
func (f *IdP) URL() string { return f.srv.URL }

// Client is an HTTP client that trusts the server's certificate.
func (f *IdP) Client() *http.Client { return f.srv.Client() }

// Script sets the device code answers.
func (f *IdP) Script(o ...Outcome) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.DeviceScript, f.polls = o, 0
}

// SetAccessTokenLifetime sets expires_in for tokens issued from now on.
func (f *IdP) SetAccessTokenLifetime(seconds int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.AccessTokenLifetime = seconds
}

// Fail makes every later token call fail with the given Entra code and
// OAuth error; Fail(0, "") stops that.
func (f *IdP) Fail(code int, oauthErr string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.FailWith, f.FailWithError = code, oauthErr
}

// RevokeAll makes every refresh token issued so far invalid, as when an
// admin revokes sessions or the token expires from inactivity.
func (f *IdP) RevokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, rt := range f.refreshTok {
		f.revoked[rt] = true
	}
}

// Counts reports how many refresh-token grants, device code requests and
// client credential grants the server answered.
func (f *IdP) Counts() (refreshes, deviceCodes, credentials int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refreshes, f.deviceReqs, f.creds
}

// Secrets returns every access and refresh token issued, for tests that
// assert none of them is ever printed.
func (f *IdP) Secrets() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append(append([]string{f.ClientSecret}, f.accessTok...), f.refreshTok...)
}

// LastAccessToken is the most recently issued access token.
func (f *IdP) LastAccessToken() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.accessTok) == 0 {
		return ""
	}
	return f.accessTok[len(f.accessTok)-1]
}

// NextAccessToken is the access token the next grant will issue.
func (f *IdP) NextAccessToken() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return accessToken(f.issued + 1)
}

// LastScope is the scope parameter of the last token request.
func (f *IdP) LastScope() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastScope
}

func accessToken(n int) string { return fmt.Sprintf("fake-access-token-%d-S3CR3T", n) }

func (f *IdP) serve(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 2 {
		http.NotFound(w, r)
		return
	}
	tenant := parts[0]
	rest := strings.Join(parts[1:], "/")
	switch {
	case r.Method == http.MethodGet && rest == "v2.0/.well-known/openid-configuration":
		base := f.srv.URL + "/" + tenant
		writeJSON(w, 200, map[string]any{
			"authorization_endpoint":        base + "/oauth2/v2.0/authorize",
			"token_endpoint":                base + "/oauth2/v2.0/token",
			"issuer":                        base + "/v2.0",
			"device_authorization_endpoint": base + "/oauth2/v2.0/devicecode",
		})
	case r.Method == http.MethodPost && rest == "oauth2/v2.0/devicecode":
		f.deviceCode(w, r)
	case r.Method == http.MethodPost && rest == "oauth2/v2.0/token":
		f.token(w, r, tenant)
	default:
		http.NotFound(w, r)
	}
}

func (f *IdP) deviceCode(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, 400, "invalid_request", 900144, "bad form")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deviceReqs++
	f.lastScope = r.PostForm.Get("scope")
	if f.FailWith != 0 {
		oauthError(w, 400, f.FailWithError, f.FailWith, "scripted failure")
		return
	}
	writeJSON(w, 200, map[string]any{
		"user_code":        "FAKE-CODE",
		"device_code":      "device-code-value",
		"verification_uri": "https://microsoft.com/devicelogin",
		"expires_in":       900,
		"interval":         max(f.PollInterval, 1),
		"message":          "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FAKE-CODE to authenticate.",
	})
}

func (f *IdP) token(w http.ResponseWriter, r *http.Request, tenant string) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, 400, "invalid_request", 900144, "bad form")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastScope = r.PostForm.Get("scope")
	if f.FailWith != 0 {
		oauthError(w, 400, f.FailWithError, f.FailWith, "scripted failure")
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "device_code", "urn:ietf:params:oauth:grant-type:device_code":
		script := f.DeviceScript
		if len(script) == 0 {
			script = []Outcome{Pending, Success}
		}
		o := script[min(f.polls, len(script)-1)]
		f.polls++
		switch o {
		case Pending:
			oauthError(w, 400, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")
		case Declined:
			oauthError(w, 400, "authorization_declined", 70000, "The user declined the request.")
		case Expired:
			oauthError(w, 400, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.")
		default:
			f.issue(w, r, tenant, true)
		}
	case "refresh_token":
		f.refreshes++
		rt := r.PostForm.Get("refresh_token")
		if f.revoked[rt] || !contains(f.refreshTok, rt) {
			oauthError(w, 400, "invalid_grant", 700082, "The refresh token has expired due to inactivity. The token was issued on 2026-01-01 and was inactive for 90.00:00:00.")
			return
		}
		f.issue(w, r, tenant, true)
	case "client_credentials":
		f.creds++
		if r.PostForm.Get("client_secret") != f.ClientSecret && r.PostForm.Get("client_assertion") == "" {
			oauthError(w, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
			return
		}
		f.issue(w, r, tenant, false)
	default:
		oauthError(w, 400, "unsupported_grant_type", 70003, "unsupported grant type")
	}
}

// issue answers with fresh tokens; f.mu is held.
func (f *IdP) issue(w http.ResponseWriter, r *http.Request, tenant string, user bool) {
	f.issued++
	at := accessToken(f.issued)
	f.accessTok = append(f.accessTok, at)
	resp := map[string]any{
		"token_type":     "Bearer",
		"scope":          r.PostForm.Get("scope"),
		"expires_in":     f.AccessTokenLifetime,
		"ext_expires_in": f.AccessTokenLifetime,
		"access_token":   at,
	}
	if user {
		rt := fmt.Sprintf("fake-refresh-token-%d-S3CR3T", f.issued)
		f.refreshTok = append(f.refreshTok, rt)
		resp["refresh_token"] = rt
		resp["id_token"] = idToken(map[string]any{
			"aud": r.PostForm.Get("client_id"), "iss": f.srv.URL + "/" + f.User.TenantID + "/v2.0",
			"tid": f.User.TenantID, "oid": f.User.ObjectID, "sub": "subject-" + f.User.ObjectID,
			"preferred_username": f.User.Username, "name": "Adele Vance", "ver": "2.0",
		})
		resp["client_info"] = b64(map[string]any{"uid": f.User.ObjectID, "utid": f.User.TenantID})
	}
	writeJSON(w, 200, resp)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// idToken is an unsigned JWT; MSAL reads its claims without checking a
// signature (it got the token straight from the token endpoint over TLS).
func idToken(claims map[string]any) string {
	return b64(map[string]any{"typ": "JWT", "alg": "none"}) + "." + b64(claims) + "."
}

func b64(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

func oauthError(w http.ResponseWriter, status int, oauthErr string, code int, desc string) {
	writeJSON(w, status, map[string]any{
		"error":             oauthErr,
		"error_description": fmt.Sprintf("AADSTS%d: %s Trace ID: 0000 Correlation ID: c0ffee00-0000-0000-0000-000000000001 Timestamp: 2026-11-26 20:00:00Z", code, desc),
		"error_codes":       []int{code},
		"correlation_id":    "c0ffee00-0000-0000-0000-000000000001",
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
