package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestStatsCountRequestsOutsideTheLog(t *testing.T) {
	s := New(Options{})
	s.SeedGenerated(3)
	for _, path := range []string{"/v1.0/me/mailFolders/drafts/messages?$top=2", "/v1.0/me/mailFolders/drafts/messages?$skip=2", "/v1.0/me/mailFolders/drafts"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer t")
		s.ServeHTTP(httptest.NewRecorder(), req)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, StatsPath, nil)) // no token needed
	var got struct {
		Requests    int            `json:"requests"`
		MaxInFlight int            `json:"maxInFlight"`
		Routes      map[string]int `json:"routes"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("%d %s: %v", rec.Code, rec.Body, err)
	}
	if got.Requests != 3 || got.MaxInFlight != 1 || got.Routes["GET /v1.0/me/mailFolders/drafts/messages"] != 2 ||
		got.Routes["GET /v1.0/me/mailFolders/drafts"] != 1 {
		t.Fatalf("stats %+v", got)
	}
	if n := len(s.Requests()); n != 3 {
		t.Fatalf("the stats request was logged: %d requests", n)
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, StatsPath, nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("POST %s: %d", StatsPath, rec.Code)
	}
}
