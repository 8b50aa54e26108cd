package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

type batchAnswer struct {
	Responses []struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"responses"`
}

// batch posts a $batch and returns the responses by id.
func (e *env) batch(body string) map[string]struct {
	status  int
	headers map[string]string
	body    json.RawMessage
} {
	e.t.Helper()
	resp, data := e.do(http.MethodPost, "/$batch", body)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("$batch: %s %s", resp.Status, data)
	}
	var a batchAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		e.t.Fatalf("$batch answer: %v %s", err, data)
	}
	out := map[string]struct {
		status  int
		headers map[string]string
		body    json.RawMessage
	}{}
	for _, r := range a.Responses {
		out[r.ID] = struct {
			status  int
			headers map[string]string
			body    json.RawMessage
		}{r.Status, r.Headers, r.Body}
	}
	return out
}

func TestBatchRunsEachRequestThroughTheHandler(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := e.s.AddDraft(Draft{Subject: "one", To: []Recipient{Addr("", "a@contoso.example")}})
	got := e.batch(`{"requests":[
		{"id":"list","method":"GET","url":"/me/mailFolders/drafts/messages?$select=subject"},
		{"id":"get","method":"GET","url":"me/messages/` + d.ID + `"},
		{"id":"new","method":"POST","url":"/me/messages","headers":{"Content-Type":"application/json"},"body":{"subject":"made in a batch"}},
		{"id":"send","method":"POST","url":"/me/messages/` + d.ID + `/send","dependsOn":["get"]},
		{"id":"count","method":"GET","url":"/me/mailFolders/drafts/messages/$count","dependsOn":["new","send"]}
	]}`)
	if len(got) != 5 {
		t.Fatalf("%d responses", len(got))
	}
	if got["list"].status != 200 || !strings.Contains(string(got["list"].body), `"one"`) ||
		!strings.HasPrefix(got["list"].headers["Content-Type"], "application/json") {
		t.Fatalf("list: %d %v %s", got["list"].status, got["list"].headers, got["list"].body)
	}
	var m Message
	if err := json.Unmarshal(got["get"].body, &m); err != nil || got["get"].status != 200 || m.ID != d.ID {
		t.Fatalf("get: %d %s", got["get"].status, got["get"].body)
	}
	if got["new"].status != 201 || !strings.Contains(string(got["new"].body), "made in a batch") {
		t.Fatalf("new: %d %s", got["new"].status, got["new"].body)
	}
	if got["send"].status != 202 || len(got["send"].body) != 0 {
		t.Fatalf("send: %d %s", got["send"].status, got["send"].body)
	}
	// $count is text: its body is base64 in the batch; one draft left (the new one).
	var b64 string
	if err := json.Unmarshal(got["count"].body, &b64); err != nil || got["count"].status != 200 || b64 != "MQ==" {
		t.Fatalf("count: %d %s", got["count"].status, got["count"].body)
	}
	if len(e.s.Sent("")) != 1 {
		t.Fatal("the send in the batch did not send")
	}
	if n := e.s.Count("POST", "/send"); n != 1 {
		t.Fatalf("the request log has %d sends, want the inner one", n)
	}
}

func TestBatchDependencyFailureIs424(t *testing.T) {
	e := newEnv(t, Options{})
	got := e.batch(`{"requests":[
		{"id":"3","method":"GET","url":"/me/messages/AAMkAGnope=","dependsOn":["2"]},
		{"id":"1","method":"GET","url":"/me/messages/AAMkAGnope="},
		{"id":"2","method":"GET","url":"/me/mailFolders/drafts/messages","dependsOn":["1"]},
		{"id":"4","method":"GET","url":"/me/mailFolders/drafts/messages"}
	]}`)
	if got["1"].status != 404 && got["1"].status != 400 {
		t.Fatalf("1: %d", got["1"].status)
	}
	if got["2"].status != http.StatusFailedDependency || got["3"].status != http.StatusFailedDependency {
		t.Fatalf("dependents: %d %d, want 424", got["2"].status, got["3"].status)
	}
	if !strings.Contains(string(got["2"].body), `"error"`) || got["4"].status != 200 {
		t.Fatalf("424 body %s; independent request %d", got["2"].body, got["4"].status)
	}
	if n := e.s.Count("GET", "/mailFolders/drafts/messages"); n != 1 {
		t.Fatalf("a request whose dependency failed was run: %d listings", n)
	}
}

func TestBatchThrottledRequestCarriesRetryAfter(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.Inject(Rule{Method: "GET", Path: "/mailFolders/sentitems", Times: 1, Fault: Throttled("2.128")})
	got := e.batch(`{"requests":[
		{"id":"a","method":"GET","url":"/me/mailFolders/sentitems/messages"},
		{"id":"b","method":"GET","url":"/me/mailFolders/drafts/messages"}
	]}`)
	if got["a"].status != http.StatusTooManyRequests || got["a"].headers["Retry-After"] != "2.128" {
		t.Fatalf("a: %d %v", got["a"].status, got["a"].headers)
	}
	var ge struct{ Error graphError }
	if err := json.Unmarshal(got["a"].body, &ge); err != nil || ge.Error.Code != "ApplicationThrottled" {
		t.Fatalf("a body %s", got["a"].body)
	}
	if got["b"].status != 200 {
		t.Fatalf("b: %d", got["b"].status)
	}
}

func TestBatchRefusals(t *testing.T) {
	e := newEnv(t, Options{})
	var many []string
	for i := range 21 {
		many = append(many, fmt.Sprintf(`{"id":"%d","method":"GET","url":"/me"}`, i))
	}
	for _, tc := range []struct{ name, body, msg string }{
		{"21 requests", `{"requests":[` + strings.Join(many, ",") + `]}`, "limit is 20"},
		{"not JSON", `{"requests":`, "Invalid batch payload"},
		{"no requests", `{}`, "Invalid batch payload"},
		{"duplicate id", `{"requests":[{"id":"a","method":"GET","url":"/me"},{"id":"A","method":"GET","url":"/me"}]}`, "more than once"},
		{"no url", `{"requests":[{"id":"a","method":"GET"}]}`, "needs an id, a method and a url"},
		{"body without Content-Type", `{"requests":[{"id":"a","method":"POST","url":"/me/messages","body":{}}]}`, "Content-Type"},
		{"unknown dependency", `{"requests":[{"id":"a","method":"GET","url":"/me","dependsOn":["z"]}]}`, "not another request"},
		{"cycle", `{"requests":[{"id":"a","method":"GET","url":"/me","dependsOn":["b"]},{"id":"b","method":"GET","url":"/me","dependsOn":["a"]}]}`, "cycle"},
	} {
		resp, data := e.do(http.MethodPost, "/$batch", tc.body)
		ge := wantError(t, resp, data, http.StatusBadRequest, "BadRequest")
		if !strings.Contains(ge.Message, tc.msg) {
			t.Fatalf("%s: %q", tc.name, ge.Message)
		}
	}
	if n := e.s.Count("GET", "/me"); n != 0 {
		t.Fatalf("a refused batch ran %d requests", n)
	}
	// 20 is allowed.
	got := e.batch(`{"requests":[` + strings.Join(many[:20], ",") + `]}`)
	if len(got) != 20 || got["19"].status != 200 {
		t.Fatalf("20 requests: %d answers", len(got))
	}
	// The batch's token is the requests' token; without one the batch is refused as a whole.
	resp, data := e.do(http.MethodPost, "/$batch", `{"requests":[{"id":"a","method":"GET","url":"/me"}]}`, "Authorization", "")
	wantError(t, resp, data, http.StatusUnauthorized, "InvalidAuthenticationToken")
	// An absolute url is refused for that request only.
	got = e.batch(`{"requests":[{"id":"a","method":"GET","url":"https://graph.microsoft.com/v1.0/me"},{"id":"b","method":"GET","url":"/me"}]}`)
	if got["a"].status != 400 || got["b"].status != 200 {
		t.Fatalf("absolute url: %d, relative %d", got["a"].status, got["b"].status)
	}
	// A null body is no body: no Content-Type needed.
	got = e.batch(`{"requests":[{"id":"a","method":"GET","url":"/me","body":null}]}`)
	if got["a"].status != 200 {
		t.Fatalf("null body: %d", got["a"].status)
	}
	// The batch's own version before the path is taken, as Microsoft's JS client sends it.
	got = e.batch(`{"requests":[{"id":"a","method":"GET","url":"/v1.0/me"},{"id":"b","method":"GET","url":"/beta/me"}]}`)
	if got["a"].status != 200 || got["b"].status != 400 {
		t.Fatalf("versioned urls: /v1.0 %d, /beta %d", got["a"].status, got["b"].status)
	}
	resp, data = e.do(http.MethodGet, "/$batch", "")
	wantError(t, resp, data, http.StatusMethodNotAllowed, "ErrorInvalidRequest")
}
