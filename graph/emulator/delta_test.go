package emulator

import (
	"net/http"
	"strings"
	"testing"
)

// TestDeltaInitialSyncPagesThenLinks: without a token, every message, in pages of
// odata.maxpagesize (default 10) linked by $skiptoken, then a deltaLink; with it, nothing until
// something changes; a removal carries its reason.
func TestDeltaInitialSyncPagesThenLinks(t *testing.T) {
	e := newEnv(t, Options{})
	for i := 0; i < 23; i++ {
		newDraft(e)
	}
	path := "/me/mailFolders/drafts/messages/delta?$select=subject"
	var ids []string
	var link string
	for pages := 0; path != "" && pages < 10; pages++ {
		resp, data := e.do(http.MethodGet, path, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%d %s", resp.StatusCode, data)
		}
		page := decodeObject(t, data)
		for _, v := range page["value"].([]any) {
			ids = append(ids, v.(map[string]any)["id"].(string))
		}
		path = ""
		if n, ok := page["@odata.nextLink"].(string); ok {
			path = strings.TrimPrefix(n, e.url(""))
			if len(page["value"].([]any)) != 10 {
				t.Fatalf("a page of %d, want the default 10", len(page["value"].([]any)))
			}
		}
		if l, ok := page["@odata.deltaLink"].(string); ok {
			link = strings.TrimPrefix(l, e.url(""))
		}
	}
	if len(ids) != 23 || link == "" {
		t.Fatalf("%d messages, link %q", len(ids), link)
	}
	resp, data := e.do(http.MethodGet, link, "", "Prefer", "odata.maxpagesize=5")
	page := decodeObject(t, data)
	if resp.StatusCode != http.StatusOK || len(page["value"].([]any)) != 0 || resp.Header.Get("Preference-Applied") != "odata.maxpagesize=5" {
		t.Fatalf("nothing changed: %d %s", resp.StatusCode, data)
	}
	e.do(http.MethodDelete, "/me/messages/"+ids[0], "")
	_, data = e.do(http.MethodGet, link, "")
	if !strings.Contains(string(data), `"@removed":{"reason":"changed"}`) || !strings.Contains(string(data), ids[0]) {
		t.Fatalf("a deleted draft: %s", data)
	}
	resp, data = e.do(http.MethodGet, "/me/mailFolders/drafts/messages/delta?$deltatoken=bogus", "")
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidSyncStateData")
	e.s.ExpireDeltaTokens()
	resp, data = e.do(http.MethodGet, link, "")
	wantError(t, resp, data, http.StatusGone, "SyncStateNotFound")
}
