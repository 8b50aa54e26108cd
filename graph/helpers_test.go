package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

const testToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.secret-test-token"

// waits records the waits a client asked for instead of sleeping.
type waits struct {
	mu sync.Mutex
	ds []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.ds = append(w.ds, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.ds...)
}

// newTestClient returns a client for base whose waits are recorded, not
// slept.
func newTestClient(t *testing.T, base string, mod ...func(*Options)) (*Client, *waits) {
	t.Helper()
	o := Options{BaseURL: base, Tokens: StaticToken(testToken)}
	for _, f := range mod {
		f(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	w := &waits{}
	c.sleep = w.sleep
	return c, w
}

// serve starts a test server with h under /v1.0 and returns its base URL.
func serve(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/v1.0"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeGraphError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code": code, "message": msg,
		"innerError": map[string]any{"request-id": "req-1", "date": "2026-01-01T00:00:00Z"},
	}})
}

func wireMsg(id, subject string) map[string]any {
	return map[string]any{
		"id": id, "subject": subject, "isDraft": true,
		"internetMessageId":    fmt.Sprintf("<%s@contoso.example>", id),
		"lastModifiedDateTime": "2026-11-01T10:00:00Z",
		"toRecipients": []any{map[string]any{"emailAddress": map[string]any{
			"name": "Alex Wilber", "address": "alexw@contoso.example"}}},
	}
}

func page(next string, msgs ...map[string]any) map[string]any {
	p := map[string]any{"value": msgs}
	if next != "" {
		p["@odata.nextLink"] = next
	}
	return p
}
