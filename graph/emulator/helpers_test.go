package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 5, 6, 9, 30, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is an emulator behind an httptest server, with a fake clock.
type env struct {
	t     *testing.T
	s     *Server
	ts    *httptest.Server
	clock *fakeClock
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	clock := newFakeClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &env{t: t, s: s, ts: ts, clock: clock}
}

// url turns a path under /v1.0 (spaces allowed in the query) into an absolute URL.
func (e *env) url(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return e.ts.URL + "/v1.0" + strings.ReplaceAll(path, " ", "%20")
}

// do sends a request with a bearer token and returns the response and its body.
func (e *env) do(method, path, body string, headers ...string) (*http.Response, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.url(path), rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test-token")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp, data
}

// getJSON does a GET and decodes the JSON object answered, failing unless the status is want.
func (e *env) getJSON(path string, want int, headers ...string) map[string]any {
	e.t.Helper()
	resp, data := e.do(http.MethodGet, path, "", headers...)
	if resp.StatusCode != want {
		e.t.Fatalf("GET %s: status %d, want %d; body %s", path, resp.StatusCode, want, data)
	}
	return decodeObject(e.t, data)
}

// list does a GET of a listing and returns its decoded page.
func (e *env) list(path string, headers ...string) listPage {
	e.t.Helper()
	resp, data := e.do(http.MethodGet, path, "", headers...)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s: status %d; body %s", path, resp.StatusCode, data)
	}
	var p listPage
	if err := json.Unmarshal(data, &p); err != nil {
		e.t.Fatalf("GET %s: %v; body %s", path, err, data)
	}
	return p
}

// wantError checks a response is a Graph error with the given status and code.
func wantError(t *testing.T, resp *http.Response, data []byte, status int, code string) graphError {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d; body %s", resp.StatusCode, status, data)
	}
	var ge struct {
		Error graphError `json:"error"`
	}
	if err := json.Unmarshal(data, &ge); err != nil {
		t.Fatalf("error body is not JSON: %v; %s", err, data)
	}
	if ge.Error.Code != code {
		t.Fatalf("code %q, want %q (message %q)", ge.Error.Code, code, ge.Error.Message)
	}
	if ge.Error.InnerError.RequestID == "" || ge.Error.InnerError.ClientRequestID == "" || ge.Error.InnerError.Date == "" {
		t.Fatalf("innerError incomplete: %+v", ge.Error.InnerError)
	}
	return ge.Error
}

type graphError struct {
	Code       string `json:"code"`
	Message    string `json:"message"`
	InnerError struct {
		Date            string `json:"date"`
		RequestID       string `json:"request-id"`
		ClientRequestID string `json:"client-request-id"`
	} `json:"innerError"`
}

type listPage struct {
	Context  string    `json:"@odata.context"`
	NextLink string    `json:"@odata.nextLink"`
	Count    *int      `json:"@odata.count"`
	Value    []Message `json:"value"`
}

func decodeObject(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("not a JSON object: %v; %s", err, data)
	}
	return m
}

func subjects(ms []Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Subject
	}
	return out
}
