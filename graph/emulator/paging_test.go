package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"testing"
)

// keyOrder returns the top-level keys of a JSON object in the order they appear.
func keyOrder(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", data)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestNextLinkPosition(t *testing.T) {
	for _, tc := range []struct {
		last bool
		want []string
	}{
		{false, []string{"@odata.context", "@odata.nextLink", "value"}},
		{true, []string{"@odata.context", "value", "@odata.nextLink"}},
	} {
		e := newEnv(t, Options{NextLinkLast: tc.last})
		e.s.SeedGenerated(15)
		resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages?$select=subject", "")
		if resp.StatusCode != http.StatusOK {
			t.Fatal(resp.Status)
		}
		if got := keyOrder(t, data); !slices.Equal(got, tc.want) {
			t.Fatalf("last=%v: keys %v, want %v", tc.last, got, tc.want)
		}
		// The last page has no nextLink at all.
		p := e.list("/me/mailFolders/drafts/messages?$select=subject")
		last := e.list(p.NextLink)
		if last.NextLink != "" || len(last.Value) != 5 {
			t.Fatalf("last page: %d items, nextLink %q", len(last.Value), last.NextLink)
		}
	}
}

func TestMaxPageSizeOnListings(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedGenerated(25)
	path := "/me/mailFolders/drafts/messages?$select=subject"
	resp, data := e.do(http.MethodGet, path, "", "Prefer", "odata.maxpagesize=7")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Preference-Applied") != "odata.maxpagesize=7" {
		t.Fatalf("%s Preference-Applied %q", resp.Status, resp.Header.Get("Preference-Applied"))
	}
	var p listPage
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	// Followed without the header, the pages keep their size.
	seen := len(p.Value)
	sizes := []int{len(p.Value)}
	for p.NextLink != "" {
		p = e.list(p.NextLink)
		sizes = append(sizes, len(p.Value))
		seen += len(p.Value)
	}
	if seen != 25 || !slices.Equal(sizes, []int{7, 7, 7, 4}) {
		t.Fatalf("page sizes %v", sizes)
	}
	// A smaller $top wins; a larger one is cut to the preference.
	resp, data = e.do(http.MethodGet, path+"&$top=3", "", "Prefer", "odata.maxpagesize=7")
	if err := json.Unmarshal(data, &p); err != nil || len(p.Value) != 3 || resp.Header.Get("Preference-Applied") != "" {
		t.Fatalf("$top=3: %d items, applied %q", len(p.Value), resp.Header.Get("Preference-Applied"))
	}
	p = e.list(path+"&$top=20", "Prefer", "odata.maxpagesize=5")
	if len(p.Value) != 5 {
		t.Fatalf("$top=20 with maxpagesize 5: %d items", len(p.Value))
	}
	// With the body preference, both are applied.
	resp, _ = e.do(http.MethodGet, path, "", "Prefer", `odata.maxpagesize=4, outlook.body-content-type="text"`)
	if got := resp.Header.Get("Preference-Applied"); got != `odata.maxpagesize=4,outlook.body-content-type="text"` {
		t.Fatalf("Preference-Applied %q", got)
	}
}

func TestCountSegment(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedGenerated(12)
	e.s.SeedDemo()
	count := func(path string) int {
		t.Helper()
		resp, data := e.do(http.MethodGet, path, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s %s", path, resp.Status, data)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/plain;charset=utf-8" {
			t.Fatalf("Content-Type %q", ct)
		}
		n, err := strconv.Atoi(string(data))
		if err != nil {
			t.Fatalf("%s: body %q", path, data)
		}
		return n
	}
	drafts := len(e.s.Drafts(""))
	if n := count("/me/mailFolders/drafts/messages/$count"); n != drafts {
		t.Fatalf("drafts $count %d, want %d", n, drafts)
	}
	want := 0
	for _, d := range e.s.Drafts("") {
		if d.HasAttachments {
			want++
		}
	}
	if n := count("/me/mailFolders/drafts/messages/$count?$filter=hasAttachments eq true"); n != want {
		t.Fatalf("filtered $count %d, want %d", n, want)
	}
	if n := count("/me/messages/$count"); n <= drafts {
		t.Fatalf("mailbox $count %d not more than the drafts %d", n, drafts)
	}
	resp, data := e.do(http.MethodPost, "/me/messages/$count", "{}")
	wantError(t, resp, data, http.StatusMethodNotAllowed, "ErrorInvalidRequest")
	resp, data = e.do(http.MethodGet, "/me/messages/$count?$filter=nope eq 1", "")
	wantError(t, resp, data, http.StatusBadRequest, "RequestBroker--ParseUri")
}

func TestDeltaLinkPosition(t *testing.T) {
	for _, last := range []bool{false, true} {
		e := newEnv(t, Options{NextLinkLast: last})
		e.s.SeedGenerated(12)
		resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages/delta?$select=subject", "")
		want := []string{"@odata.context", "@odata.nextLink", "value"}
		if last {
			want = []string{"@odata.context", "value", "@odata.nextLink"}
		}
		if got := keyOrder(t, data); resp.StatusCode != http.StatusOK || !slices.Equal(got, want) {
			t.Fatalf("last=%v: first page keys %v, want %v", last, got, want)
		}
		next := decodeObject(t, data)["@odata.nextLink"].(string)
		_, data = e.do(http.MethodGet, next, "")
		want[1], want[2] = "@odata.deltaLink", "value"
		if last {
			want[1], want[2] = "value", "@odata.deltaLink"
		}
		if got := keyOrder(t, data); !slices.Equal(got, want) {
			t.Fatalf("last=%v: last page keys %v, want %v", last, got, want)
		}
	}
}
