package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzODataQuery sends a listing with any query string through the whole emulator ($select,
// $top, $skip, $orderby, $filter, $count, $search, parsed and applied): it never panics, answers
// 200 with a page or 400 with a Graph error, always in JSON, and a next link stays on the host.
func FuzzODataQuery(f *testing.F) {
	for _, q := range []string{
		"",
		"$top=5&$skip=5&$select=subject,toRecipients&$orderby=lastModifiedDateTime desc",
		"$filter=internetMessageId eq '<a@b>'&$select=id",
		"$filter=conversationId eq 'x' and sentDateTime ge 2024-01-01T00:00:00Z",
		"$filter=subject eq 'O''Brien'&$orderby=subject",
		"$search=\"budget\"&$top=3",
		"$count=true&$top=1000",
		"$top=0", "$top=1001", "$skip=-1", "$orderby=nope", "$select=", "$filter=(((", "$expand=attachments",
		"top=2&skip=1", "$top=1&$top=2", "$filter=contains(subject,'Q3')",
		"$filter=isDraft eq true&$orderby=isDraft,subject desc",
	} {
		f.Add(q)
	}
	s := New(Options{NoSendDelay: true})
	s.SeedGenerated(40)
	f.Fuzz(func(t *testing.T, raw string) {
		req, err := http.NewRequest(http.MethodGet, "http://emulator.test/v1.0/me/mailFolders/drafts/messages?"+raw, nil)
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer t")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Fatalf("%q: status %d: %s", raw, w.Code, w.Body.Bytes())
		}
		var page struct {
			Value    []json.RawMessage `json:"value"`
			NextLink string            `json:"@odata.nextLink"`
			Error    *struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
			t.Fatalf("%q: the answer is not JSON (%v): %s", raw, err, w.Body.Bytes())
		}
		if w.Code == http.StatusBadRequest {
			if page.Error == nil || page.Error.Code == "" {
				t.Fatalf("%q: 400 without a Graph error: %s", raw, w.Body.Bytes())
			}
			return
		}
		if len(page.Value) > maxTop {
			t.Fatalf("%q: %d messages on one page", raw, len(page.Value))
		}
		if page.NextLink != "" {
			u, err := url.Parse(page.NextLink)
			if err != nil || u.Host != "emulator.test" || !strings.HasPrefix(u.Path, "/v1.0/") {
				t.Fatalf("%q: next link %q leaves the host", raw, page.NextLink)
			}
		}
	})
}
