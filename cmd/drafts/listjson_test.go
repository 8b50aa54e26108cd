package main

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// TestAppendDraftJSONIsEncodingJSON checks the hand-written encoder of
// 'drafts list --json' against encoding/json on awkward strings.
func TestAppendDraftJSONIsEncodingJSON(t *testing.T) {
	odd := []string{"", "plain", `quote " backslash \ slash /`, "tab\tnl\ncr\rbs\bff\f", "\x00\x01\x1f\x7f",
		"<html> & é 中 😀", "bad \xff\xfe utf8 \xed\xa0\x80", "line\u2028para\u2029end", "\u0085 \u200b \u202e"}
	for i, s := range odd {
		m := graph.Message{
			ID: s, Subject: s, InternetMessageID: s, ConversationID: s, Importance: graph.Importance(s),
			To: []graph.Recipient{{Address: s}, {Address: "b@x"}}, HasAttachments: i%2 == 0,
			LastModified: time.Date(2026, 3, 10, 14, 0, i, 0, time.FixedZone("x", 3600)),
		}
		if i%3 == 0 {
			m.Cc = []graph.Recipient{{Name: "n", Address: s}}
		}
		if i%4 == 1 {
			m.LastModified = time.Time{} // a date Graph did not give: null, never the year 1
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(draftJSON{
			ID: m.ID, Subject: m.Subject,
			To: addresses(m.To), Cc: addresses(m.Cc), Bcc: addresses(m.Bcc),
			LastModified:      isoOrNull(m.LastModified),
			InternetMessageID: m.InternetMessageID, ConversationID: m.ConversationID,
			HasAttachments: m.HasAttachments, Importance: string(m.Importance),
		}); err != nil {
			t.Fatal(err)
		}
		if got := appendDraftJSON(nil, m); string(got) != want.String() {
			t.Errorf("%q:\ngot  %s\nwant %s", s, got, want.Bytes())
		}
	}
}

// addresses is how draftJSON lists recipients: their addresses.
func addresses(rs []graph.Recipient) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Address
	}
	return out
}

func isoOrNull(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func TestTableTimeOfAMissingDate(t *testing.T) {
	if got := tableTime(time.Time{}); got != "?" {
		t.Fatalf("tableTime(zero) = %q, want ?", got)
	}
	if got := tableTime(time.Date(2026, 3, 10, 14, 0, 0, 0, time.Local)); got != "2026-03-10 14:00" {
		t.Fatalf("tableTime = %q", got)
	}
}
