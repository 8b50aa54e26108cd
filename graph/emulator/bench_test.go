package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// BenchmarkListDrafts10k measures the handler serving a 10,000-draft mailbox as 10 pages of 1,000
// with the list fields a client selects (no bodies), following @odata.nextLink.
func BenchmarkListDrafts10k(b *testing.B) {
	s := New(Options{})
	s.SeedGenerated(10000)
	first := "/v1.0/me/mailFolders/drafts/messages?$top=1000&$select=subject,toRecipients,ccRecipients,bccRecipients," +
		"lastModifiedDateTime,internetMessageId,conversationId,hasAttachments,importance,bodyPreview&$orderby=" +
		url.QueryEscape("lastModifiedDateTime desc")
	b.ReportAllocs()
	for b.Loop() {
		pages := 0
		for next := first; next != ""; pages++ {
			req := httptest.NewRequest(http.MethodGet, next, nil)
			req.Header.Set("Authorization", "Bearer t")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
			next = nextLinkOf(rec.Body.Bytes())
		}
		if pages != 10 {
			b.Fatalf("%d pages", pages)
		}
	}
}

// nextLinkOf extracts @odata.nextLink from a listing without decoding the whole page (wherever
// it is in the object: the search is for its key, which no message property has).
func nextLinkOf(body []byte) string {
	const key = `"@odata.nextLink":`
	i := bytes.Index(body, []byte(key))
	if i < 0 {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(body[i+len(key):]))
	var link string
	if err := dec.Decode(&link); err != nil {
		return ""
	}
	return link
}

// BenchmarkSeedGenerated10k measures building a 10,000-draft mailbox.
func BenchmarkSeedGenerated10k(b *testing.B) {
	for b.Loop() {
		New(Options{}).SeedGenerated(10000)
	}
}

// BenchmarkSeedDemo measures SeedDemo: the demo starts in milliseconds, its 3 MB file being
// made only when a client reads it.
func BenchmarkSeedDemo(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		New(Options{}).SeedDemo()
	}
}
