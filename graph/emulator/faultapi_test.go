package emulator

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// The fault control surface: off by default; on, a rule posted as JSON applies to the requests
// it names, as Inject's would; a bad rule is refused with why; DELETE clears them.
func TestFaultsOverHTTP(t *testing.T) {
	do := func(t *testing.T, method, url, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer t")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	off := New(Options{})
	base, err := off.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = off.Close() })
	root := strings.TrimSuffix(base, "/v1.0")
	if code, _ := do(t, "POST", root+FaultsPath, `{"fault":{"status":503}}`); code != http.StatusNotFound {
		t.Fatalf("fault control off: %d", code)
	}

	on := New(Options{FaultControl: true})
	base, err = on.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = on.Close() })
	root = strings.TrimSuffix(base, "/v1.0")
	list := base + "/me/mailFolders/drafts/messages"
	if code, body := do(t, "POST", root+FaultsPath, `{"method":"GET","path":"mailFolders/drafts","times":1,"fault":{"status":503,"retryAfter":"2"}}`); code != http.StatusNoContent {
		t.Fatalf("a good rule: %d %s", code, body)
	}
	if code, body := do(t, "GET", list, ""); code != 503 || !strings.Contains(body, `"code"`) {
		t.Fatalf("the faulted request: %d %s", code, body)
	}
	if code, _ := do(t, "GET", list, ""); code != 200 {
		t.Fatalf("the next one (times 1): %d", code)
	}
	for rule, want := range map[string]string{
		`{"fault":{"status":503},"bogus":1}`: "unknown field",
		`{"fault":{"delay":"soon"}}`:         "not a duration",
		`{"fault":{"gone":"away"}}`:          `not "sent" or "deleted"`,
		`{"times":-1}`:                       "negative",
	} {
		if code, body := do(t, "POST", root+FaultsPath, rule); code != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("%s: %d %q, want 400 saying %q", rule, code, body, want)
		}
	}
	do(t, "POST", root+FaultsPath, `{"fault":{"status":500}}`)
	if code, _ := do(t, "DELETE", root+FaultsPath, ""); code != http.StatusNoContent {
		t.Fatalf("DELETE: %d", code)
	}
	if code, _ := do(t, "GET", list, ""); code != 200 {
		t.Fatalf("after DELETE: %d", code)
	}
	if n := on.Count("", FaultsPath); n != 0 {
		t.Fatalf("the control requests were recorded as Graph's (%d)", n)
	}
}
