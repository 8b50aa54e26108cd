package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestGetMailTips(t *testing.T) {
	s := New(Options{})
	s.SetMailTip("megan.bowen@contoso.example", MailTip{AutomaticReply: "<p>Out until Monday</p>"})
	s.SetMailTip("full@contoso.example", MailTip{MailboxFull: true})
	s.SetMailTip("gone@contoso.example", MailTip{NotFound: true})
	body := `{"EmailAddresses":["Megan.Bowen@contoso.example","full@contoso.example","ines@fabrikam.example","gone@contoso.example"],` +
		`"MailTipsOptions":"automaticReplies, mailboxFullStatus, recipientScope"}`
	req := httptest.NewRequest("POST", "http://graph.test/v1.0/me/getMailTips", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer t")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var got struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || len(got.Value) != 4 {
		t.Fatalf("%v %s", err, w.Body)
	}
	if ar := got.Value[0]["automaticReplies"].(map[string]any); ar["message"] != "<p>Out until Monday</p>" {
		t.Errorf("auto reply = %v", got.Value[0])
	}
	if got.Value[0]["recipientScope"] != "internal" || !strings.Contains(got.Value[2]["recipientScope"].(string), "external") {
		t.Errorf("scopes = %v / %v", got.Value[0]["recipientScope"], got.Value[2]["recipientScope"])
	}
	if got.Value[1]["mailboxFull"] != true {
		t.Errorf("mailbox full = %v", got.Value[1])
	}
	if _, asked := got.Value[1]["maxMessageSize"]; asked {
		t.Error("a tip that was not asked for was returned")
	}
	if got.Value[3]["error"] == nil {
		t.Errorf("unknown recipient = %v", got.Value[3])
	}
}

func TestGetMailTipsRejectsBadRequests(t *testing.T) {
	s := New(Options{})
	for _, tc := range []struct{ method, body string }{
		{"GET", ""},
		{"POST", `{"MailTipsOptions":"automaticReplies"}`},
		{"POST", `{"EmailAddresses":"a@b"}`},
		{"POST", `{"EmailAddresses":["a@b"],"Bogus":1}`},
		{"POST", `not json`},
	} {
		req := httptest.NewRequest(tc.method, "http://graph.test/v1.0/me/getMailTips", strings.NewReader(tc.body))
		req.Header.Set("Authorization", "Bearer t")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code < 400 || !strings.Contains(w.Body.String(), `"error"`) {
			t.Errorf("%s %q: status %d %s", tc.method, tc.body, w.Code, w.Body)
		}
	}
}
