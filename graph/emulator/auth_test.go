package emulator

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestAuth(t *testing.T) {
	e := newEnv(t, Options{Token: "good.token.value"})
	path := "/me/mailFolders/drafts/messages"

	resp, data := e.do(http.MethodGet, path, "", "Authorization", "")
	ge := wantError(t, resp, data, http.StatusUnauthorized, "InvalidAuthenticationToken")
	if ge.Message != "Access token is empty." || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("no token: %q %v", ge.Message, resp.Header)
	}
	resp, data = e.do(http.MethodGet, path, "", "Authorization", "Bearer ")
	wantError(t, resp, data, http.StatusUnauthorized, "InvalidAuthenticationToken")
	resp, data = e.do(http.MethodGet, path, "", "Authorization", "Basic dXNlcjpwYXNz")
	wantError(t, resp, data, http.StatusUnauthorized, "InvalidAuthenticationToken")
	resp, data = e.do(http.MethodGet, path, "", "Authorization", "Bearer wrong")
	if ge := wantError(t, resp, data, http.StatusUnauthorized, "InvalidAuthenticationToken"); !strings.HasPrefix(ge.Message, "IDX14100") {
		t.Fatalf("wrong token: %q", ge.Message)
	}
	resp, data = e.do(http.MethodGet, path, "", "Authorization", "Bearer other.token.value")
	wantError(t, resp, data, http.StatusUnauthorized, "InvalidAuthenticationToken")
	if resp, data := e.do(http.MethodGet, path, "", "Authorization", "bearer good.token.value"); resp.StatusCode != http.StatusOK {
		t.Fatalf("good token: %d %s", resp.StatusCode, data)
	}

	recs := e.s.Requests()
	if len(recs) != 6 {
		t.Fatalf("%d records", len(recs))
	}
	if recs[0].Bearer || recs[1].Bearer || recs[2].Bearer || !recs[3].Bearer || !recs[5].Bearer {
		t.Fatalf("bearer flags %+v", recs)
	}
	for _, r := range recs {
		if strings.Contains(r.Path, "token") {
			t.Fatalf("token in the log: %+v", r)
		}
	}
	if recs[0].Status != http.StatusUnauthorized || recs[5].Status != http.StatusOK || recs[5].Outcome != OutcomeServed {
		t.Fatalf("statuses %+v", recs)
	}
}

func TestAnyTokenWhenNoneConfigured(t *testing.T) {
	e := newEnv(t, Options{})
	if resp, _ := e.do(http.MethodGet, "/me/mailFolders/drafts/messages", "", "Authorization", "Bearer anything"); resp.StatusCode != http.StatusOK {
		t.Fatal(resp.Status)
	}
}

// jwt builds an unsigned JWS compact token with the given claims.
func jwt(claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc([]byte(claims)) + ".sig"
}

func TestDefaultAuthChecksTheTokensForm(t *testing.T) {
	e := newEnv(t, Options{})
	path := "/me/mailFolders/drafts/messages"
	now := e.clock.Now().Unix()
	for _, tc := range []struct {
		name, header string
		status       int
		msgPrefix    string
	}{
		{"opaque word", "Bearer demo-token", http.StatusOK, ""},
		{"padded b64", "Bearer YWJj==", http.StatusOK, ""},
		{"valid JWT", "Bearer " + jwt(`{"exp":`+strconv.FormatInt(now+3600, 10)+`}`), http.StatusOK, ""},
		{"JWT without exp", "Bearer " + jwt(`{"aud":"https://graph.microsoft.com"}`), http.StatusOK, ""},
		{"missing", "", http.StatusUnauthorized, "Access token is empty."},
		{"basic", "Basic dXNlcjpwYXNz", http.StatusUnauthorized, "Access token is empty."},
		{"not b64token", `Bearer "quoted"`, http.StatusUnauthorized, "CompactToken parsing failed"},
		{"inner space", "Bearer two words", http.StatusUnauthorized, "CompactToken parsing failed"},
		{"two dots, bad header", "Bearer a!b.c.d", http.StatusUnauthorized, "CompactToken parsing failed"},
		{"one dot: opaque", "Bearer eyJ0eXAiOiJKV1QifQ.opaque", http.StatusOK, ""},
		{"empty parts", "Bearer a..b", http.StatusUnauthorized, "IDX14102"},
		{"header not JSON", "Bearer YWJj.e30.sig", http.StatusUnauthorized, "IDX14102"},
		{"payload not JSON", "Bearer " + jwt("{"), http.StatusUnauthorized, "IDX14101"},
		{"expired", "Bearer " + jwt(`{"exp":`+strconv.FormatInt(now-1, 10)+`}`), http.StatusUnauthorized, "Lifetime validation failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, data := e.do(http.MethodGet, path, "", "Authorization", tc.header)
			if tc.status == http.StatusOK {
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%d %s", resp.StatusCode, data)
				}
				return
			}
			ge := wantError(t, resp, data, tc.status, "InvalidAuthenticationToken")
			if !strings.HasPrefix(ge.Message, tc.msgPrefix) {
				t.Fatalf("message %q, want prefix %q", ge.Message, tc.msgPrefix)
			}
		})
	}
}
