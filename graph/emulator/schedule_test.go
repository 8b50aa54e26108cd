package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// expandDeferred is the $expand a client sends to read the deferred-send time.
var expandDeferred = "$expand=" + url.QueryEscape("singleValueExtendedProperties($filter=id eq 'SystemTime 0x3FEF')")

type propsPage struct {
	Value []struct {
		ID    string `json:"id"`
		Props []struct {
			ID    string `json:"id"`
			Value string `json:"value"`
		} `json:"singleValueExtendedProperties"`
	} `json:"value"`
}

func TestDeferredSendPropertyRoundTrip(t *testing.T) {
	e := newEnv(t, Options{})
	d := newDraft(e)
	// Ids in any case; the time in any offset.
	resp, data := e.do(http.MethodPatch, "/me/messages/"+d.ID,
		`{"singleValueExtendedProperties":[{"id":"systemtime 0x3FEF","value":"2026-11-27T09:00:00+01:00"}]}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH: %d %s", resp.StatusCode, data)
	}
	const want = `"singleValueExtendedProperties":[{"id":"SystemTime 0x3fef","value":"2026-11-27T08:00:00Z"}]`
	_, one := e.do(http.MethodGet, "/me/messages/"+d.ID+"?$select=subject&"+expandDeferred, "")
	if !strings.Contains(string(one), want) {
		t.Fatalf("GET with $expand: %s", one)
	}
	_, plain := e.do(http.MethodGet, "/me/messages/"+d.ID, "")
	if strings.Contains(string(plain), "singleValueExtendedProperties") {
		t.Fatalf("shown without $expand: %s", plain)
	}
	_, list := e.do(http.MethodGet, "/me/mailFolders/drafts/messages?$select=id&"+expandDeferred, "")
	var p propsPage
	if err := json.Unmarshal(list, &p); err != nil || len(p.Value) != 1 || len(p.Value[0].Props) != 1 ||
		p.Value[0].Props[0].Value != "2026-11-27T08:00:00Z" {
		t.Fatalf("listing: %s (%v)", list, err)
	}
	// A draft without the property has no member at all.
	other := e.s.AddDraft(Draft{Subject: "x", To: []Recipient{Addr("", "a@contoso.example")}})
	_, o := e.do(http.MethodGet, "/me/messages/"+other.ID+"?"+expandDeferred, "")
	if strings.Contains(string(o), "singleValueExtendedProperties") {
		t.Fatalf("empty expansion shown: %s", o)
	}
	// Bad ids, bad times and unsupported expansions are 400s.
	for _, body := range []string{
		`{"singleValueExtendedProperties":[{"id":"Nonsense 0x3FEF","value":"x"}]}`,
		`{"singleValueExtendedProperties":[{"id":"SystemTime 0x3FEF","value":"tomorrow"}]}`,
	} {
		resp, data := e.do(http.MethodPatch, "/me/messages/"+d.ID, body)
		wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidExtendedPropertyValue")
	}
	resp, data = e.do(http.MethodGet, "/me/messages/"+d.ID+"?$expand=extensions", "")
	wantError(t, resp, data, http.StatusBadRequest, "BadRequest")
}

func TestDeferredSendWaitsInTheOutbox(t *testing.T) {
	e := newEnv(t, Options{SendDelay: time.Second})
	d := newDraft(e)
	at := e.clock.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	resp, data := e.do(http.MethodPatch, "/me/messages/"+d.ID,
		`{"singleValueExtendedProperties":[{"id":"SystemTime 0x3FEF","value":"`+at.Format(time.RFC3339)+`"}]}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH: %d %s", resp.StatusCode, data)
	}
	sentBefore := len(e.s.Sent(""))
	if resp, data := e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", ""); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("send: %d %s", resp.StatusCode, data)
	}
	if n := len(e.s.Drafts("")); n != 0 {
		t.Fatalf("%d drafts: the draft must leave Drafts at once", n)
	}
	out := e.s.Messages("", "outbox")
	if len(out) != 1 || out[0].ID == d.ID || out[0].IsDraft || out[0].InternetMessageID != d.InternetMessageID {
		t.Fatalf("outbox %+v", out)
	}
	_, list := e.do(http.MethodGet, "/me/mailFolders/outbox/messages?"+expandDeferred, "")
	if !strings.Contains(string(list), `"value":"`+at.Format("2006-01-02T15:04:05Z")+`"`) {
		t.Fatalf("the Outbox listing lacks the time: %s", list)
	}
	e.clock.Advance(2*time.Hour - time.Second)
	if len(e.s.Sent("")) != sentBefore || len(e.s.Messages("", "outbox")) != 1 {
		t.Fatal("sent before its time")
	}
	e.clock.Advance(time.Second) // the time: gone from the Outbox, the copy on its way
	if n := len(e.s.Messages("", "outbox")); n != 0 {
		t.Fatalf("%d in the Outbox after the time", n)
	}
	if p := e.list("/me/mailFolders/outbox/messages"); len(p.Value) != 0 {
		t.Fatal("the Outbox listing still shows it")
	}
	e.clock.Advance(time.Second) // plus the send delay
	sent := e.s.Sent("")
	if len(sent) != sentBefore+1 || sent[0].InternetMessageID != d.InternetMessageID || sent[0].ID == out[0].ID ||
		!sent[0].SentDateTime.Equal(at) {
		t.Fatalf("sent items %+v", sent)
	}
}

func TestDeferredTimeInThePastSendsAtOnce(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := newDraft(e)
	past := e.clock.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	e.do(http.MethodPatch, "/me/messages/"+d.ID, `{"singleValueExtendedProperties":[{"id":"SystemTime 0x3FEF","value":"`+past+`"}]}`)
	e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", "")
	if len(e.s.Messages("", "outbox")) != 0 || len(e.s.Sent("")) == 0 {
		t.Fatal("a past deferred time must not hold the message")
	}
}

// TestOutboxItemMovedToDraftsIsNotSent: a deferred send moved from the Outbox back to Drafts
// before its time is a draft again, and no copy ever shows in Sent Items; after its time it is
// gone and cannot be moved.
func TestOutboxItemMovedToDraftsIsNotSent(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := newDraft(e)
	deferDraft(t, e, d.ID, e.clock.Now().Add(time.Hour))
	postSend(t, e, d.ID, http.StatusAccepted)
	out := e.s.Messages("", "outbox")
	if len(out) != 1 {
		t.Fatalf("outbox %+v", out)
	}
	resp, data := e.do(http.MethodPost, "/me/messages/"+out[0].ID+"/move", `{"destinationId":"drafts"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("move: %d %s", resp.StatusCode, data)
	}
	drafts := e.s.Drafts("")
	if len(drafts) != 1 || !drafts[0].IsDraft || drafts[0].InternetMessageID != d.InternetMessageID {
		t.Fatalf("drafts after the move %+v", drafts)
	}
	e.clock.Advance(2 * time.Hour)
	if n := len(e.s.Sent("")); n != 0 {
		t.Fatalf("%d in Sent Items: a send moved out of the Outbox before its time went out", n)
	}
	// Another, left to its time: then it cannot be moved back.
	d2 := newDraft(e)
	deferDraft(t, e, d2.ID, e.clock.Now().Add(time.Minute))
	postSend(t, e, d2.ID, http.StatusAccepted)
	out = e.s.Messages("", "outbox")
	e.clock.Advance(time.Minute)
	resp, data = e.do(http.MethodPost, "/me/messages/"+out[0].ID+"/move", `{"destinationId":"drafts"}`)
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	if n := len(e.s.Sent("")); n != 1 {
		t.Fatalf("%d in Sent Items, want the second send's copy", n)
	}
}
