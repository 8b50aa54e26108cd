package graph

import (
	"context"
	"net/http"
	"sync"
	"testing"
)

// TestLoopbackGraphIsNotAskedForGzip: the client's own transport asks a remote Graph for gzip
// (net/http's default) and a loopback one (the emulator) for none.
func TestLoopbackGraphIsNotAskedForGzip(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Header.Get("Accept-Encoding"))
		mu.Unlock()
		writeJSON(w, http.StatusOK, page("", wireMsg("a", "one")))
	})
	c, _ := newTestClient(t, base)
	if _, err := c.Drafts(10).Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) != 1 || asked[0] != "" {
		t.Fatalf("Accept-Encoding sent to loopback: %q", asked)
	}
	if tr := defaultHTTPClient(nil, false).Transport.(*http.Transport); tr.DisableCompression || (tr.TLSClientConfig != nil && tr.TLSClientConfig.RootCAs != nil) {
		t.Fatal("a remote Graph is not asked for gzip, or its roots were changed")
	}
}
