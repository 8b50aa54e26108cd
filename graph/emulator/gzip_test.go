package emulator

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"testing"
)

// TestGzipRequestBodies: a body sent with Content-Encoding: gzip (as Microsoft's Go SDK sends
// every body) is read decompressed; a broken one is 400, another encoding 415.
func TestGzipRequestBodies(t *testing.T) {
	e := newEnv(t, Options{})
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"subject":"zipped"}`))
	zw.Close()
	post := func(body []byte, enc string) (*http.Response, []byte) {
		t.Helper()
		return e.do(http.MethodPost, "/me/messages", string(body), "Content-Encoding", enc)
	}
	resp, data := post(buf.Bytes(), "gzip")
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(data), `"subject":"zipped"`) {
		t.Fatalf("gzip body: %s %s", resp.Status, data)
	}
	resp, data = post([]byte("not gzip"), "gzip")
	wantError(t, resp, data, http.StatusBadRequest, "BadRequest")
	resp, data = post([]byte(`{"subject":"x"}`), "br")
	wantError(t, resp, data, http.StatusUnsupportedMediaType, "UnsupportedMediaType")
	if len(e.s.Drafts("")) != 1 {
		t.Fatalf("%d drafts, want the zipped one only", len(e.s.Drafts("")))
	}
}
