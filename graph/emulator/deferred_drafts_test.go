package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// Options.DeferredInDrafts: a deferred send stays in Drafts with its time until it goes out, as
// users report of Outlook.com (the default, Exchange Online's Outbox, is pinned by
// TestDeferredSendWaitsInTheOutbox).

// deferDraft sets the deferred-send time of the draft id to at.
func deferDraft(t *testing.T, e *env, id string, at time.Time) {
	t.Helper()
	resp, data := e.do(http.MethodPatch, "/me/messages/"+id,
		`{"singleValueExtendedProperties":[{"id":"SystemTime 0x3FEF","value":"`+at.UTC().Format(time.RFC3339)+`"}]}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH: %d %s", resp.StatusCode, data)
	}
}

// postSend posts the send of id and fails unless Graph answers want.
func postSend(t *testing.T, e *env, id string, want int) []byte {
	t.Helper()
	resp, data := e.do(http.MethodPost, "/me/messages/"+id+"/send", "")
	if resp.StatusCode != want {
		t.Fatalf("send: %d %s, want %d", resp.StatusCode, data, want)
	}
	return data
}

// deferredOf reads the deferred-send time of id as a client does ($expand).
func deferredOf(t *testing.T, e *env, id string) string {
	t.Helper()
	_, data := e.do(http.MethodGet, "/me/messages/"+id+"?$select=id,isDraft,changeKey&"+expandDeferred, "")
	var m struct {
		Props []struct{ ID, Value string } `json:"singleValueExtendedProperties"`
	}
	if err := json.Unmarshal(data, &m); err != nil || len(m.Props) != 1 {
		t.Fatalf("deferred time of %s: %s (%v)", id, data, err)
	}
	return m.Props[0].Value
}

func TestDeferredInDraftsStaysInDraftsUntilItsTime(t *testing.T) {
	e := newEnv(t, Options{SendDelay: time.Second, DeferredInDrafts: true})
	d := newDraft(e)
	at := e.clock.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	deferDraft(t, e, d.ID, at)
	before := e.getJSON("/me/messages/"+d.ID, http.StatusOK)
	e.clock.Advance(time.Minute)
	if data := postSend(t, e, d.ID, http.StatusAccepted); len(data) != 0 {
		t.Fatalf("send answered a body: %s", data)
	}

	// Still in Drafts: the same id, a draft, its time kept; saved by the submission.
	drafts := e.s.Drafts("")
	if len(drafts) != 1 || drafts[0].ID != d.ID || !drafts[0].IsDraft {
		t.Fatalf("drafts %+v", drafts)
	}
	if p := e.list("/me/mailFolders/drafts/messages"); len(p.Value) != 1 || p.Value[0].ID != d.ID {
		t.Fatalf("the Drafts listing: %+v", p.Value)
	}
	got := e.getJSON("/me/messages/"+d.ID, http.StatusOK)
	if got["isDraft"] != true || got["changeKey"] == before["changeKey"] ||
		got["lastModifiedDateTime"] != e.clock.Now().UTC().Format("2006-01-02T15:04:05Z") {
		t.Fatalf("the draft after the send: isDraft %v changeKey %v (was %v) lastModified %v",
			got["isDraft"], got["changeKey"], before["changeKey"], got["lastModifiedDateTime"])
	}
	if v := deferredOf(t, e, d.ID); v != at.Format("2006-01-02T15:04:05Z") {
		t.Fatalf("deferred time %q, want %s", v, at)
	}
	if out := e.s.Messages("", "outbox"); len(out) != 0 {
		t.Fatalf("in the Outbox: %+v", out)
	}
	if n := len(e.s.Sent("")); n != 0 {
		t.Fatalf("%d in Sent Items before its time", n)
	}

	// A second before its time: still there, not sent.
	e.clock.Advance(at.Sub(e.clock.Now()) - time.Second)
	if len(e.s.Drafts("")) != 1 || len(e.s.Sent("")) != 0 {
		t.Fatal("gone or sent before its time")
	}
	// Its time: gone from Drafts (404 for its id), the copy within the send delay.
	e.clock.Advance(time.Second)
	if n := len(e.s.Drafts("")); n != 0 {
		t.Fatalf("%d drafts after its time", n)
	}
	if p := e.list("/me/mailFolders/drafts/messages"); len(p.Value) != 0 {
		t.Fatal("the Drafts listing still shows it")
	}
	if f := e.getJSON("/me/mailFolders/drafts", http.StatusOK); f["totalItemCount"] != float64(0) {
		t.Fatalf("Drafts totalItemCount %v", f["totalItemCount"])
	}
	resp, data := e.do(http.MethodGet, "/me/messages/"+d.ID, "")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	if n := len(e.s.Sent("")); n != 0 {
		t.Fatal("visible in Sent Items within the send delay")
	}
	// Plus the send delay: the copy, under a new id, as for any send.
	e.clock.Advance(time.Second)
	filter := "/me/mailFolders/sentitems/messages?$filter=" + url.QueryEscape("internetMessageId eq '"+d.InternetMessageID+"'")
	p := e.list(filter)
	if len(p.Value) != 1 {
		t.Fatalf("%d copies in Sent Items", len(p.Value))
	}
	c := p.Value[0]
	if c.ID == d.ID || c.IsDraft || c.SentDateTime == nil || !c.SentDateTime.Equal(at) ||
		c.ConversationID != d.ConversationID || c.Subject != d.Subject {
		t.Fatalf("copy %+v", c)
	}
}

// TestDeferredInDraftsIsSubmitted: before its time a deferred send kept in Drafts cannot be sent
// again nor changed (400 ErrorInvalidOperation, a guess), and exactly one copy goes out.
func TestDeferredInDraftsIsSubmitted(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true, DeferredInDrafts: true})
	d := newDraft(e)
	at := e.clock.Now().Add(time.Hour).UTC().Truncate(time.Second)
	deferDraft(t, e, d.ID, at)
	postSend(t, e, d.ID, http.StatusAccepted)
	held := e.getJSON("/me/messages/"+d.ID, http.StatusOK)

	resp, data := e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", "")
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidOperation")
	for _, body := range []string{
		`{"subject":"changed"}`,
		`{"singleValueExtendedProperties":[{"id":"SystemTime 0x3FEF","value":"1900-01-01T00:00:00Z"}]}`,
		`{"isRead":false}`,
	} {
		resp, data := e.do(http.MethodPatch, "/me/messages/"+d.ID, body)
		wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidOperation")
	}
	if got := e.getJSON("/me/messages/"+d.ID, http.StatusOK); got["changeKey"] != held["changeKey"] || got["subject"] != d.Subject {
		t.Fatalf("changed by a refused request: %v", got)
	}
	if v := deferredOf(t, e, d.ID); v != at.Format("2006-01-02T15:04:05Z") {
		t.Fatalf("deferred time %q", v)
	}
	if err := e.s.SendElsewhere("", d.ID); err == nil {
		t.Fatal("sent again elsewhere")
	}

	e.clock.Advance(time.Hour)
	sent := e.s.Sent("")
	if len(sent) != 1 || sent[0].InternetMessageID != d.InternetMessageID || sent[0].Subject != d.Subject {
		t.Fatalf("sent items %+v; want the one copy", sent)
	}
	// Gone from Drafts, a send of its id now meets Graph's 404.
	resp, data = e.do(http.MethodPost, "/me/messages/"+d.ID+"/send", "")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
}

// TestDeferredInDraftsDeleteCancels: deleting a deferred send kept in Drafts before its time
// cancels it (a guess from a user report): in Deleted Items, and no copy is ever sent.
func TestDeferredInDraftsDeleteCancels(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true, DeferredInDrafts: true})
	d := newDraft(e)
	deferDraft(t, e, d.ID, e.clock.Now().Add(time.Hour))
	postSend(t, e, d.ID, http.StatusAccepted)
	if resp, data := e.do(http.MethodDelete, "/me/messages/"+d.ID, ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", resp.StatusCode, data)
	}
	if len(e.s.Drafts("")) != 0 {
		t.Fatal("still in Drafts")
	}
	trash := e.s.Messages("", "deleteditems")
	if len(trash) != 1 || trash[0].ID == d.ID || trash[0].InternetMessageID != d.InternetMessageID {
		t.Fatalf("deleted items %+v", trash)
	}
	e.clock.Advance(2 * time.Hour)
	if sent := e.s.Sent(""); len(sent) != 0 {
		t.Fatalf("a cancelled send went out: %+v", sent)
	}
	if len(e.s.Messages("", "deleteditems")) != 1 {
		t.Fatal("the deleted draft left Deleted Items at its time")
	}
}

// TestDeferredInDraftsOnlyHoldsDeferredSends: the option changes nothing for a send now, nor for
// a deferred time already past.
func TestDeferredInDraftsOnlyHoldsDeferredSends(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true, DeferredInDrafts: true})
	now := newDraft(e)
	past := newDraft(e)
	deferDraft(t, e, past.ID, e.clock.Now().Add(-time.Hour))
	postSend(t, e, now.ID, http.StatusAccepted)
	postSend(t, e, past.ID, http.StatusAccepted)
	if len(e.s.Drafts("")) != 0 || len(e.s.Messages("", "outbox")) != 0 || len(e.s.Sent("")) != 2 {
		t.Fatalf("drafts %d, outbox %d, sent %d; want 0, 0, 2",
			len(e.s.Drafts("")), len(e.s.Messages("", "outbox")), len(e.s.Sent("")))
	}
}

// TestOutboxItemChangedStillLeavesAtItsTime: a PATCH of a deferred send waiting in the Outbox
// (the default) keeps its time of leaving.
func TestOutboxItemChangedStillLeavesAtItsTime(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := newDraft(e)
	deferDraft(t, e, d.ID, e.clock.Now().Add(time.Hour))
	postSend(t, e, d.ID, http.StatusAccepted)
	out := e.s.Messages("", "outbox")
	if len(out) != 1 {
		t.Fatalf("outbox %+v", out)
	}
	if resp, data := e.do(http.MethodPatch, "/me/messages/"+out[0].ID, `{"categories":["Red category"]}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH: %d %s", resp.StatusCode, data)
	}
	e.clock.Advance(time.Hour)
	if out := e.s.Messages("", "outbox"); len(out) != 0 {
		t.Fatalf("still in the Outbox after its time: %+v", out)
	}
	if len(e.s.Sent("")) != 1 {
		t.Fatal("no copy in Sent Items")
	}
}
