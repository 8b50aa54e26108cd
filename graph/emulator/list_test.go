package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestPagingFollowsNextLinkToTheLastPage(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedGenerated(95)
	next := "/me/mailFolders/drafts/messages?$top=10&$select=subject"
	var pages, total int
	seen := map[string]bool{}
	for next != "" {
		p := e.list(next)
		pages++
		total += len(p.Value)
		for _, m := range p.Value {
			if seen[m.ID] {
				t.Fatalf("id %s on two pages", m.ID)
			}
			seen[m.ID] = true
		}
		if p.NextLink != "" {
			if len(p.Value) != 10 {
				t.Fatalf("page %d has %d items but is not the last", pages, len(p.Value))
			}
			if !strings.HasPrefix(p.NextLink, e.ts.URL+"/v1.0/me/mailFolders/drafts/messages?") {
				t.Fatalf("nextLink not absolute on the same path: %s", p.NextLink)
			}
			u, err := url.Parse(p.NextLink)
			if err != nil {
				t.Fatal(err)
			}
			if q := u.Query(); q.Get("$top") != "10" || q.Get("$select") != "subject" {
				t.Fatalf("nextLink lost the query: %s", p.NextLink)
			}
		} else if len(p.Value) != 5 {
			t.Fatalf("last page has %d items, want 5", len(p.Value))
		}
		next = p.NextLink
	}
	if pages != 10 || total != 95 {
		t.Fatalf("pages %d total %d, want 10 and 95", pages, total)
	}
}

func TestDefaultPageSizeIsTen(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedGenerated(25)
	p := e.list("/me/mailFolders/drafts/messages")
	if len(p.Value) != 10 || p.NextLink == "" {
		t.Fatalf("got %d items, nextLink %q", len(p.Value), p.NextLink)
	}
	if !strings.Contains(p.NextLink, "%24skip=10") {
		t.Fatalf("nextLink %s", p.NextLink)
	}
}

func TestExactMultipleHasNoNextLinkOnLastPage(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedGenerated(20)
	p := e.list("/me/mailFolders/drafts/messages?$top=10&$skip=10")
	if len(p.Value) != 10 || p.NextLink != "" {
		t.Fatalf("got %d items, nextLink %q", len(p.Value), p.NextLink)
	}
	p = e.list("/me/mailFolders/drafts/messages?$skip=500")
	if len(p.Value) != 0 || p.NextLink != "" {
		t.Fatalf("past the end: %d items, nextLink %q", len(p.Value), p.NextLink)
	}
}

func TestTopBounds(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedGenerated(3)
	for _, top := range []string{"0", "1001", "-1", "ten"} {
		resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages?$top="+top, "")
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("$top=%s: status %d", top, resp.StatusCode)
		}
		wantError(t, resp, data, http.StatusBadRequest, map[bool]string{true: "ErrorInvalidArgument", false: "RequestBroker--ParseUri"}[top == "0" || top == "1001"])
	}
	for _, top := range []string{"1", "1000"} {
		e.list("/me/mailFolders/drafts/messages?$top=" + top)
	}
	resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages?$skip=-3", "")
	wantError(t, resp, data, http.StatusBadRequest, "RequestBroker--ParseUri")
}

func TestSelectShape(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages?$select=Subject,toRecipients,lastModifiedDateTime&$top=2", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, data)
	}
	obj := decodeObject(t, data)
	if ctx := obj["@odata.context"].(string); !strings.HasSuffix(ctx, "/messages(Subject,toRecipients,lastModifiedDateTime)") {
		t.Errorf("context %s", ctx)
	}
	for _, v := range obj["value"].([]any) {
		keys := []string{}
		for k := range v.(map[string]any) {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		want := []string{"@odata.etag", "id", "lastModifiedDateTime", "subject", "toRecipients"}
		if !slices.Equal(keys, want) {
			t.Fatalf("keys %v, want %v", keys, want)
		}
	}
	resp, data = e.do(http.MethodGet, "/me/mailFolders/drafts/messages?$select=subject,nosuch", "")
	ge := wantError(t, resp, data, http.StatusBadRequest, "RequestBroker--ParseUri")
	if ge.Message != "Could not find a property named 'nosuch' on type 'microsoft.graph.message'." {
		t.Errorf("message %q", ge.Message)
	}
}

func TestFullMessageHasEveryGraphProperty(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	id := e.s.Drafts("")[0].ID
	obj := e.getJSON("/me/messages/"+id, http.StatusOK)
	for _, k := range []string{"@odata.context", "@odata.etag", "id", "createdDateTime", "lastModifiedDateTime", "changeKey",
		"categories", "receivedDateTime", "sentDateTime", "hasAttachments", "internetMessageId", "subject", "bodyPreview",
		"importance", "parentFolderId", "conversationId", "conversationIndex", "isDeliveryReceiptRequested",
		"isReadReceiptRequested", "isRead", "isDraft", "webLink", "inferenceClassification", "body", "sender", "from",
		"toRecipients", "ccRecipients", "bccRecipients", "replyTo", "flag"} {
		if _, ok := obj[k]; !ok {
			t.Errorf("missing %s", k)
		}
	}
	if obj["sentDateTime"] != nil {
		t.Errorf("draft sentDateTime = %v, want null", obj["sentDateTime"])
	}
	for _, k := range []string{"createdDateTime", "lastModifiedDateTime", "receivedDateTime"} {
		if _, err := time.Parse("2006-01-02T15:04:05Z", obj[k].(string)); err != nil {
			t.Errorf("%s = %v: %v", k, obj[k], err)
		}
	}
	if !strings.HasPrefix(obj["id"].(string), "AAMkAG") || !strings.HasPrefix(obj["internetMessageId"].(string), "<") {
		t.Errorf("id %v imid %v", obj["id"], obj["internetMessageId"])
	}
	if obj["@odata.etag"] != `W/"`+obj["changeKey"].(string)+`"` {
		t.Errorf("etag %v changeKey %v", obj["@odata.etag"], obj["changeKey"])
	}
}

func TestOrderByEachFieldAscAndDesc(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	e.s.SeedDemo()
	// Sent copies give sentDateTime values to compare; send three drafts with the clock moving.
	for i, m := range e.s.Drafts("")[:3] {
		e.clock.Advance(time.Duration(i+1) * time.Minute)
		if resp, data := e.do(http.MethodPost, "/me/messages/"+m.ID+"/send", ""); resp.StatusCode != http.StatusAccepted {
			t.Fatalf("send: %d %s", resp.StatusCode, data)
		}
	}
	key := map[string]func(m Message) string{
		"lastModifiedDateTime": func(m Message) string { return m.LastModifiedDateTime.Format(time.RFC3339) },
		"createdDateTime":      func(m Message) string { return m.CreatedDateTime.Format(time.RFC3339) },
		"receivedDateTime":     func(m Message) string { return m.ReceivedDateTime.Format(time.RFC3339) },
		"sentDateTime": func(m Message) string {
			if m.SentDateTime == nil {
				return ""
			}
			return m.SentDateTime.Format(time.RFC3339)
		},
		"subject": func(m Message) string { return strings.ToLower(m.Subject) },
	}
	for _, folder := range []string{"drafts", "sentitems"} {
		for prop, k := range key {
			for _, dir := range []string{"", " asc", " desc"} {
				p := e.list("/me/mailFolders/" + folder + "/messages?$top=100&$orderby=" + prop + dir)
				if len(p.Value) < 3 {
					t.Fatalf("%s: only %d items", folder, len(p.Value))
				}
				for i := 1; i < len(p.Value); i++ {
					a, b := k(p.Value[i-1]), k(p.Value[i])
					if (dir == " desc" && a < b) || (dir != " desc" && a > b) {
						t.Fatalf("%s $orderby=%s%s: %q before %q", folder, prop, dir, a, b)
					}
					if a == b && p.Value[i-1].ID > p.Value[i].ID {
						t.Fatalf("%s $orderby=%s%s: tie not broken by id", folder, prop, dir)
					}
				}
			}
		}
	}
	resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages?$orderby=bodyPreview", "")
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidUrlQuery")
	resp, data = e.do(http.MethodGet, "/me/mailFolders/drafts/messages?$orderby=nosuch desc", "")
	wantError(t, resp, data, http.StatusBadRequest, "RequestBroker--ParseUri")
	resp, data = e.do(http.MethodGet, "/me/mailFolders/drafts/messages?$orderby=subject sideways", "")
	wantError(t, resp, data, http.StatusBadRequest, "RequestBroker--ParseUri")
}

func TestDefaultOrderIsNewestReceivedFirst(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedGenerated(30)
	p := e.list("/me/mailFolders/drafts/messages?$top=30")
	for i := 1; i < len(p.Value); i++ {
		if p.Value[i-1].ReceivedDateTime.Before(p.Value[i].ReceivedDateTime) {
			t.Fatalf("not newest first at %d", i)
		}
	}
}

func TestQueryOptionErrors(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	cases := []struct{ query, code string }{
		{"$foo=1", "BadRequest"},
		{"$expand=extensions", "BadRequest"},
		{"$top=5&top=6", "BadRequest"},
		{"$count=maybe", "RequestBroker--ParseUri"},
		{"$search=\"budget\"&$orderby=subject", "BadRequest"},
		{"$search=\"budget\"&$filter=isDraft eq true", "BadRequest"},
	}
	for _, c := range cases {
		resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages?"+c.query, "")
		wantError(t, resp, data, http.StatusBadRequest, c.code)
	}
	// Parameters without "$" that are not OData options are ignored; known ones work without "$".
	if p := e.list("/me/mailFolders/drafts/messages?top=2&foo=bar"); len(p.Value) != 2 {
		t.Fatalf("top=2 without $: %d items", len(p.Value))
	}
}

func TestCountAndSearch(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	p := e.list("/me/mailFolders/drafts/messages?$count=true&$top=2")
	if p.Count == nil || *p.Count != len(e.s.Drafts("")) {
		t.Fatalf("count %v, want %d", p.Count, len(e.s.Drafts("")))
	}
	p = e.list(`/me/mailFolders/drafts/messages?$search="budget"`)
	if len(p.Value) != 1 || !strings.Contains(p.Value[0].Subject, "budget") {
		t.Fatalf("search: %v", subjects(p.Value))
	}
	p = e.list(`/me/mailFolders/drafts/messages?$search="to:noa.cohen"`)
	if len(p.Value) != 1 {
		t.Fatalf("search to: %v", subjects(p.Value))
	}
}

func TestListAllMessagesAcrossFolders(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	p := e.list("/me/messages?$top=100&$count=true")
	want := len(e.s.Drafts("")) + len(e.s.Sent("")) + len(e.s.Messages("", "inbox"))
	if *p.Count != want || len(p.Value) != want {
		t.Fatalf("got %d (count %d), want %d", len(p.Value), *p.Count, want)
	}
}
