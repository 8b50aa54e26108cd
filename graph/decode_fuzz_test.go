package graph

import (
	"encoding/json"
	"net/http"
	"testing"
	"unicode/utf8"
)

// FuzzDecodePage feeds arbitrary bytes to the listing decoder as if Graph
// had answered them: it must never panic, and whatever it returns must be
// clean.
func FuzzDecodePage(f *testing.F) {
	f.Add([]byte(`{"value":[{"id":"a","subject":"hi","toRecipients":[{"emailAddress":{"name":"A","address":"a@x"}}]}]}`))
	f.Add([]byte(`{"value":[{"id":"a","subject":"\u001b]52;c;aGk=\u0007x","body":{"contentType":"html","content":"<p>\u001b[2Jhi</p>"}}],"@odata.nextLink":"http://x"}`))
	f.Add([]byte(`{"value":[{"subject":"Pay 100\rPay 900","lastModifiedDateTime":"not a date","from":null}]}`))
	f.Add([]byte(`{"value":[{"id":"a","subj`))
	f.Add([]byte(`<html>502</html>`))
	f.Add([]byte("{\"value\":[{\"subject\":\"\xff\xfe\u202e\u200bx\"}]}"))
	c, err := New(Options{BaseURL: "http://127.0.0.1:1/v1.0", Tokens: StaticToken("t")})
	if err != nil {
		f.Fatal(err)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		msgs, _, err := c.decodePage("fuzz", &response{status: 200, header: h, body: body}, newPageState(10))
		if err != nil {
			return
		}
		for _, m := range msgs {
			fields := []string{m.ID, m.Subject, m.BodyPreview, m.From.Name, m.From.Address,
				m.InternetMessageID, m.ConversationID, m.WebLink, m.ChangeKey, string(m.Importance)}
			for _, r := range m.Recipients() {
				fields = append(fields, r.Name, r.Address)
			}
			for _, s := range fields {
				if !utf8.ValidString(s) || hasForbidden(s) || containsNewline(s) {
					t.Fatalf("decoded field not clean: %q", s)
				}
			}
			if !utf8.ValidString(m.Body) || hasForbidden(m.Body) {
				t.Fatalf("decoded body not clean: %q", m.Body)
			}
		}
		// An error body must decode into a clean *Error too.
		e := newError("fuzz", 400, h, body)
		for _, s := range []string{e.Code, e.Message, e.RequestID, e.Error(), Describe(e)} {
			if hasForbidden(s) || containsNewline(s) {
				t.Fatalf("error text not clean: %q", s)
			}
		}
		_ = json.Valid(body)
	})
}

func containsNewline(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' || s[i] == '\r' {
			return true
		}
	}
	return false
}
