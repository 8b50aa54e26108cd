package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/spf13/cobra"
)

// TestListJSONIsEncodingJSON checks the output of 'drafts list --json'
// against encoding/json (an Encoder with SetEscapeHTML(false), one draft a
// line, the array's brackets and commas on lines of their own) on awkward
// strings, over two pages.
func TestListJSONIsEncodingJSON(t *testing.T) {
	odd := []string{"", "plain", `quote " backslash \ slash /`, "tab\tnl\ncr\rbs\bff\f", "\x00\x01\x1f\x7f",
		"<html> & é 中 😀", "bad \xff\xfe utf8 \xed\xa0\x80", "line\u2028para\u2029end", "\u0085 \u200b \u202e"}
	var msgs []graph.Message
	want := bytes.NewBufferString("[\n")
	enc := json.NewEncoder(want)
	enc.SetEscapeHTML(false)
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
		msgs = append(msgs, m)
		if i > 0 {
			want.WriteString(",\n")
		}
		if err := enc.Encode(draftJSON{
			ID: m.ID, Subject: m.Subject,
			To: addresses(m.To), Cc: addresses(m.Cc), Bcc: addresses(m.Bcc),
			LastModified:      isoOrNull(m.LastModified),
			InternetMessageID: m.InternetMessageID, ConversationID: m.ConversationID,
			HasAttachments: m.HasAttachments, Importance: string(m.Importance),
		}); err != nil {
			t.Fatal(err)
		}
	}
	want.WriteString("]\n")
	cmd := &cobra.Command{}
	cmd.SetContext(context.Background())
	var got bytes.Buffer
	if err := writeJSONList(cmd, &got, &fixedPages{pages: [][]graph.Message{msgs[:4], msgs[4:]}}); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("got\n%s\nwant\n%s", got.Bytes(), want.Bytes())
	}

	got.Reset()
	if err := writeJSONList(cmd, &got, &fixedPages{pages: [][]graph.Message{nil}}); err != nil || got.String() != "[]\n" {
		t.Errorf("no drafts: %q, %v", got.String(), err)
	}
}

// fixedPages is a listing of the given pages.
type fixedPages struct{ pages [][]graph.Message }

func (f *fixedPages) More() bool { return len(f.pages) > 0 }

func (f *fixedPages) Next(context.Context) ([]graph.Message, error) {
	if len(f.pages) == 0 {
		return nil, nil
	}
	p := f.pages[0]
	f.pages = f.pages[1:]
	return p, nil
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
