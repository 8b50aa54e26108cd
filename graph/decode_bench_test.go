package graph

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/draftsmail/drafts/graph/emulator"
)

// pageOf1000 is a listing page of 1,000 generated drafts with the fields
// the client selects, as the emulator serves it (about 1 MB).
var pageOf1000 = sync.OnceValue(func() []byte {
	emu := emulator.New(emulator.Options{})
	emu.SeedGenerated(1000)
	q := url.Values{}
	q.Set("$select", listFields)
	q.Set("$orderby", "lastModifiedDateTime desc")
	q.Set("$top", "1000")
	req := httptest.NewRequest(http.MethodGet, "/v1.0/me/mailFolders/drafts/messages?"+encodeQuery(q), nil)
	req.Header.Set("Authorization", "Bearer t")
	rec := httptest.NewRecorder()
	emu.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return body
})

// BenchmarkDecodePage1000 decodes a page of 1,000 drafts into cleaned
// Messages, as Pager.Next does.
func BenchmarkDecodePage1000(b *testing.B) {
	page := pageOf1000()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	st := newPageState(1000)
	for b.Loop() {
		msgs, _, err := decodePage(page, st)
		if err != nil || len(msgs) != 1000 {
			b.Fatalf("%d messages, %v", len(msgs), err)
		}
	}
}

// BenchmarkDecodePage1000EncodingJSON is the same page through
// encoding/json into the same wire structs, cleaned the same way, for
// comparison.
func BenchmarkDecodePage1000EncodingJSON(b *testing.B) {
	page := pageOf1000()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	st := newPageState(1000)
	for b.Loop() {
		msgs, _, err := decodePageWith(json.Unmarshal, page, st)
		if err != nil || len(msgs) != 1000 {
			b.Fatalf("%d messages, %v", len(msgs), err)
		}
	}
}
