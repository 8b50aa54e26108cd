package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestFilterEqOnEachProperty(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	target := e.s.AddDraft(Draft{Subject: "Filter target", To: []Recipient{Addr("A", "a@contoso.example")}})
	withFiles := 0
	for _, m := range e.s.Drafts("") {
		if m.HasAttachments && m.IsRead {
			withFiles++
		}
	}
	cases := []struct {
		filter string
		want   int
	}{
		{"internetMessageId eq '" + target.InternetMessageID + "'", 1},
		{"conversationId eq '" + target.ConversationID + "'", 1},
		{"subject eq 'Filter target'", 1},
		{"subject eq 'filter TARGET'", 1},
		{"isDraft eq true", len(e.s.Drafts(""))},
		{"isDraft eq false", 0},
		{"IsDraft eq true and subject eq 'Filter target'", 1},
		{"(isDraft eq true) and (internetMessageId eq '" + target.InternetMessageID + "')", 1},
		{"internetMessageId eq '<nobody@nowhere>'", 0},
		{"importance eq 'high'", 1},
		{"hasAttachments eq true and isRead eq true", withFiles},
	}
	for _, c := range cases {
		p := e.list("/me/mailFolders/drafts/messages?$top=100&$filter=" + url.QueryEscape(c.filter))
		if len(p.Value) != c.want {
			t.Errorf("$filter=%s: %d items, want %d", c.filter, len(p.Value), c.want)
		}
	}
}

func TestFilterQuoteEscaping(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.AddDraft(Draft{Subject: "O'Brien"})
	e.s.AddDraft(Draft{Subject: "OBrien"})
	p := e.list("/me/mailFolders/drafts/messages?$filter=" + url.QueryEscape("subject eq 'O''Brien'"))
	if len(p.Value) != 1 || p.Value[0].Subject != "O'Brien" {
		t.Fatalf("got %v", subjects(p.Value))
	}
	// An internetMessageId with a quote, as a hostile server-side value might have.
	m := e.s.AddDraft(Draft{Subject: "q", InternetMessageID: "<it's@example>"})
	p = e.list("/me/mailFolders/drafts/messages?$filter=" + url.QueryEscape("internetMessageId eq '<it''s@example>'"))
	if len(p.Value) != 1 || p.Value[0].ID != m.ID {
		t.Fatalf("got %v", subjects(p.Value))
	}
}

func TestFilterOnSentItemsFindsTheCopy(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := e.s.AddDraft(Draft{Subject: "x", To: []Recipient{Addr("B", "b@contoso.example")}})
	e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", "")
	p := e.list("/me/mailFolders/sentitems/messages?$filter=" + url.QueryEscape("internetMessageId eq '"+d.InternetMessageID+"'"))
	if len(p.Value) != 1 || p.Value[0].IsDraft {
		t.Fatalf("got %+v", p.Value)
	}
}

func TestFilterDates(t *testing.T) {
	e := newEnv(t, Options{})
	now := e.clock.Now()
	e.s.AddDraft(Draft{Subject: "old", LastModified: now.Add(-48 * time.Hour)})
	e.s.AddDraft(Draft{Subject: "new", LastModified: now.Add(-time.Hour)})
	since := now.Add(-24 * time.Hour).Format(time.RFC3339)
	p := e.list("/me/mailFolders/drafts/messages?$filter=" + url.QueryEscape("lastModifiedDateTime ge "+since) +
		"&$orderby=lastModifiedDateTime desc")
	if len(p.Value) != 1 || p.Value[0].Subject != "new" {
		t.Fatalf("got %v", subjects(p.Value))
	}
	p = e.list("/me/mailFolders/drafts/messages?$filter=" + url.QueryEscape("sentDateTime eq null"))
	if len(p.Value) != 2 {
		t.Fatalf("sentDateTime eq null: %v", subjects(p.Value))
	}
}

func TestInefficientFilter(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	ok := []struct{ filter, orderby string }{
		{"subject eq 'x'", "subject"},
		{"lastModifiedDateTime ge 2020-01-01T00:00:00Z and isDraft eq true", "lastModifiedDateTime desc"},
		{"lastModifiedDateTime ge 2020-01-01T00:00:00Z and subject ne 'x'", "lastModifiedDateTime desc,subject"},
	}
	for _, c := range ok {
		e.list("/me/mailFolders/drafts/messages?$filter=" + url.QueryEscape(c.filter) + "&$orderby=" + url.QueryEscape(c.orderby))
	}
	bad := []struct{ filter, orderby string }{
		{"isDraft eq true", "lastModifiedDateTime desc"},
		{"isDraft eq true and lastModifiedDateTime ge 2020-01-01T00:00:00Z", "lastModifiedDateTime desc"},
		{"subject eq 'x' and lastModifiedDateTime ge 2020-01-01T00:00:00Z", "lastModifiedDateTime,subject"},
		{"subject eq 'x'", "subject,lastModifiedDateTime"},
	}
	for _, c := range bad {
		resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages?$filter="+url.QueryEscape(c.filter)+"&$orderby="+url.QueryEscape(c.orderby), "")
		ge := wantError(t, resp, data, http.StatusBadRequest, "InefficientFilter")
		if ge.Message != "The restriction or sort order is too complex for this operation." {
			t.Errorf("message %q", ge.Message)
		}
	}
}

func TestFilterErrors(t *testing.T) {
	e := newEnv(t, Options{})
	cases := []struct{ filter, code string }{
		{"subject eq 'unterminated", "ErrorInvalidUrlQueryFilter"},
		{"isDraft eq 'true'", "ErrorInvalidUrlQueryFilter"},
		{"subject eq true", "ErrorInvalidUrlQueryFilter"},
		{"subject gt 'a'", "ErrorInvalidUrlQueryFilter"},
		{"endswith(subject,'a')", "ErrorInvalidUrlQueryFilter"},
		{"contains(isDraft,'a')", "ErrorInvalidUrlQueryFilter"},
		{"contains(subject,a)", "ErrorInvalidUrlQueryFilter"},
		{"startswith(subject 'a')", "ErrorInvalidUrlQueryFilter"},
		{"subject eq 'a' or", "ErrorInvalidUrlQueryFilter"},
		{"not", "ErrorInvalidUrlQueryFilter"},
		{"replyTo/any(r: r/emailAddress/address eq 'a')", "ErrorInvalidUrlQueryFilter"},
		{"toRecipients/any(r r/emailAddress/address eq 'a')", "ErrorInvalidUrlQueryFilter"},
		{"toRecipients/any(r: x/emailAddress/address eq 'a')", "RequestBroker--ParseUri"},
		{"toRecipients/any(r: r/emailAddress/type eq 'a')", "ErrorInvalidUrlQueryFilter"},
		{"toRecipients/any(r: ccRecipients/any(c: c/emailAddress/address eq 'a'))", "ErrorInvalidUrlQueryFilter"},
		{"from/emailAddress/address gt 'a'", "ErrorInvalidUrlQueryFilter"},
		{"from/emailAddress eq 'a'", "ErrorInvalidUrlQueryFilter"},
		{strings.Repeat("not ", 40) + "isDraft eq true", "ErrorInvalidUrlQueryFilter"},
		{"bodyPreview eq 'a'", "ErrorInvalidUrlQueryFilter"},
		{"nosuch eq 'a'", "RequestBroker--ParseUri"},
		{"subject eq", "ErrorInvalidUrlQueryFilter"},
		{"subject 'a'", "ErrorInvalidUrlQueryFilter"},
		{"(subject eq 'a'", "ErrorInvalidUrlQueryFilter"},
		{"subject eq 'a' junk", "ErrorInvalidUrlQueryFilter"},
		{"", "ErrorInvalidUrlQueryFilter"},
		{"lastModifiedDateTime ge yesterday", "ErrorInvalidUrlQueryFilter"},
	}
	for _, c := range cases {
		resp, data := e.do(http.MethodGet, "/me/mailFolders/drafts/messages?$filter="+url.QueryEscape(c.filter), "")
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("$filter=%s: status %d", c.filter, resp.StatusCode)
			continue
		}
		wantError(t, resp, data, http.StatusBadRequest, c.code)
	}
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"subject eq 'O''Brien'", "(isDraft eq true) and internetMessageId eq '<a@b>'",
		"lastModifiedDateTime ge 2024-01-01T00:00:00Z", "contains(subject,'x')", "'", "(((",
		"subject eq 'a' or not (isRead eq true)", "startswith(subject,'Re:') and contains(from/emailAddress/name,'x')",
		"toRecipients/any(r: r/emailAddress/address eq 'a@b')", "ccRecipients/any(c:startswith(c/emailAddress/name,'A'))",
		"bccRecipients/any()", "not not not isDraft eq true", "toRecipients/any(r:", "sender/emailAddress/address ne null or x",
	} {
		f.Add(s)
	}
	it := &item{msg: Message{Subject: "x", ToRecipients: []Recipient{Addr("A", "a@b")}}}
	f.Fuzz(func(t *testing.T, s string) {
		flt, e := parseFilter(s)
		if (flt == nil) == (e == nil) {
			t.Fatalf("parseFilter(%q) = %v, %v", s, flt, e)
		}
		if flt != nil {
			flt.match(it)
		}
	})
}
