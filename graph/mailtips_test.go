package graph

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestMailTipsRequestAndDecode(t *testing.T) {
	var got map[string]any
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.URL.Path != "/v1.0/me/getMailTips" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %s %q", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &got)
		writeJSON(w, 200, map[string]any{"value": []any{
			map[string]any{"emailAddress": map[string]any{"address": "ana@contoso.example"},
				"automaticReplies": map[string]any{"message": "<html><body><p>Out of office\x1b]0;x\x07 until <b>Monday</b>.</p></body></html>"},
				"recipientScope":   "internal"},
			map[string]any{"emailAddress": map[string]any{"address": "ines@fabrikam.example"}, "recipientScope": "external, externalNonPartner", "mailboxFull": true},
			map[string]any{"emailAddress": map[string]any{"address": "x@contoso.example"}, "error": map[string]any{"code": "ErrorRecipientNotFound", "message": ""}},
		}})
	})
	c, _ := newTestClient(t, base)
	tips, err := c.MailTips(context.Background(), []string{"ana@contoso.example", "ines@fabrikam.example", "x@contoso.example"})
	if err != nil {
		t.Fatal(err)
	}
	if addrs, _ := got["EmailAddresses"].([]any); len(addrs) != 3 || !strings.Contains(got["MailTipsOptions"].(string), "automaticReplies") {
		t.Fatalf("request body = %v", got)
	}
	if tips[0].AutomaticReply != "Out of office until *Monday*." || tips[0].External {
		t.Fatalf("tip 0 = %+v", tips[0])
	}
	if !tips[1].External || !tips[1].MailboxFull {
		t.Fatalf("tip 1 = %+v", tips[1])
	}
	if tips[2].Error != "ErrorRecipientNotFound" {
		t.Fatalf("tip 2 = %+v", tips[2])
	}
}

func TestSetDeferredSendPatchesTheProperty(t *testing.T) {
	var body map[string]any
	var method, path string
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		method, path = r.Method, r.URL.Path
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &body)
		writeJSON(w, 200, wireMsg("d1", "x"))
	})
	c, _ := newTestClient(t, base)
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.FixedZone("CET", 3600))
	if err := c.SetDeferredSend(context.Background(), "d1", at); err != nil {
		t.Fatal(err)
	}
	props := body["singleValueExtendedProperties"].([]any)
	p := props[0].(map[string]any)
	if method != "PATCH" || path != "/v1.0/me/messages/d1" || p["id"] != "SystemTime 0x3FEF" || p["value"] != "2026-11-27T08:00:00Z" {
		t.Fatalf("%s %s %v", method, path, body)
	}
}
