package emulator

import (
	"net/http"
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
