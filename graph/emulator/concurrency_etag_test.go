package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// TestIfMatchIsEnforced: a PATCH or DELETE with the etag read before another change is 412
// ErrorIrresolvableConflict and changes nothing; the current etag, the bare changeKey, "*" and
// no header all go through. Every change gives a new etag.
func TestIfMatchIsEnforced(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	d := newDraft(e)
	stale := d.ETag
	resp, data := e.do(http.MethodPatch, "/me/messages/"+d.ID, `{"subject":"edited in Outlook"}`, "If-Match", stale)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH with the current etag: %d %s", resp.StatusCode, data)
	}
	var now Message
	_ = json.Unmarshal(data, &now)
	if now.ETag == stale || now.ChangeKey == d.ChangeKey {
		t.Fatalf("the etag did not change: %q", now.ETag)
	}
	resp, data = e.do(http.MethodPatch, "/me/messages/"+d.ID, `{"subject":"my edit"}`, "If-Match", stale)
	wantError(t, resp, data, http.StatusPreconditionFailed, "ErrorIrresolvableConflict")
	if got := e.s.Drafts("")[0].Subject; got != "edited in Outlook" {
		t.Fatalf("a stale PATCH changed the draft: %q", got)
	}
	resp, data = e.do(http.MethodDelete, "/me/messages/"+d.ID, "", "If-Match", stale)
	wantError(t, resp, data, http.StatusPreconditionFailed, "ErrorIrresolvableConflict")
	if len(e.s.Drafts("")) != 1 {
		t.Fatal("a stale DELETE deleted the draft")
	}
	for _, form := range []func(Message) string{
		func(m Message) string { return m.ETag },
		func(m Message) string { return m.ChangeKey },
		func(m Message) string { return `"` + m.ChangeKey + `"` },
		func(Message) string { return "*" },
	} {
		h := form(now)
		resp, data = e.do(http.MethodPatch, "/me/messages/"+d.ID, `{"isRead":true}`, "If-Match", h)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("If-Match %q: %d %s", h, resp.StatusCode, data)
		}
		_ = json.Unmarshal(data, &now)
	}
	if resp, _ := e.do(http.MethodDelete, "/me/messages/"+d.ID, "", "If-Match", now.ETag); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE with the current etag: %d", resp.StatusCode)
	}
}

// TestMoveMessage: POST .../move puts the message in the destination (by well-known name or
// folder id) under a new id, answers 201 with it, and honours If-Match.
func TestMoveMessage(t *testing.T) {
	e := newEnv(t, Options{})
	d := newDraft(e)
	resp, data := e.do(http.MethodPost, "/me/messages/"+d.ID+"/move", `{"destinationId":"deleteditems"}`, "If-Match", `W/"stale"`)
	wantError(t, resp, data, http.StatusPreconditionFailed, "ErrorIrresolvableConflict")
	e.clock.Advance(time.Minute)
	resp, data = e.do(http.MethodPost, "/me/messages/"+d.ID+"/move", `{"destinationId":"deleteditems"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %s", resp.StatusCode, data)
	}
	var moved Message
	_ = json.Unmarshal(data, &moved)
	if moved.ID == d.ID || moved.InternetMessageID != d.InternetMessageID || len(e.s.Drafts("")) != 0 {
		t.Fatalf("moved %+v", moved)
	}
	trash := e.s.Messages("", "deleteditems")
	if len(trash) != 1 || trash[0].ID != moved.ID {
		t.Fatalf("deleted items: %+v", trash)
	}
	drafts := e.getJSON("/me/mailFolders/drafts", http.StatusOK)
	resp, data = e.do(http.MethodPost, "/me/messages/"+moved.ID+"/move", `{"destinationId":"`+drafts["id"].(string)+`"}`)
	if resp.StatusCode != http.StatusCreated || len(e.s.Drafts("")) != 1 {
		t.Fatalf("move back by folder id: %d %s", resp.StatusCode, data)
	}
	resp, data = e.do(http.MethodPost, "/me/messages/"+e.s.Drafts("")[0].ID+"/move", `{"destinationId":"nowhere"}`)
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
}

// TestMoveWithAnEtagMadeStaleByAnEditIs412: the etag a client read before another client's edit
// no longer moves the message, and nothing moves.
func TestMoveWithAnEtagMadeStaleByAnEditIs412(t *testing.T) {
	e := newEnv(t, Options{})
	d := newDraft(e)
	if resp, _ := e.do(http.MethodPatch, "/me/messages/"+d.ID, `{"subject":"edited elsewhere"}`); resp.StatusCode != http.StatusOK {
		t.Fatal(resp.Status)
	}
	resp, data := e.do(http.MethodPost, "/me/messages/"+d.ID+"/move", `{"destinationId":"inbox"}`, "If-Match", d.ETag)
	wantError(t, resp, data, http.StatusPreconditionFailed, "ErrorIrresolvableConflict")
	if ds := e.s.Drafts(""); len(ds) != 1 || ds[0].ID != d.ID {
		t.Fatalf("a stale move moved the draft: %+v", ds)
	}
}
