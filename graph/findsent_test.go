package graph

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestFindSentCopyChecksEveryMatch: a server that ignores $filter (answering with the draft
// itself and other messages) cannot make drafts report a mail as sent.
func TestFindSentCopyChecksEveryMatch(t *testing.T) {
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		draft := wireMsg("d1", "Quarterly numbers") // the draft itself, still a draft
		draft["internetMessageId"] = "<d1@contoso.example>"
		other := wireMsg("s9", "Quarterly numbers")
		other["isDraft"] = false
		other["internetMessageId"] = "<s9@contoso.example>"
		writeJSON(w, 200, page("", draft, other))
	})
	c, _ := newTestClient(t, base)
	d := Message{ID: "d1", Subject: "Quarterly numbers", InternetMessageID: "<d1@contoso.example>", ConversationID: "conv-1"}
	got, err := c.FindSentCopy(context.Background(), d, time.Now())
	if err != nil || got != nil {
		t.Fatalf("FindSentCopy = %+v, %v; want no copy: nothing answered is the sent copy", got, err)
	}
	d.InternetMessageID = ""
	if got, err := c.FindSentCopy(context.Background(), d, time.Now()); err != nil || got != nil {
		t.Fatalf("FindSentCopy by conversation = %+v, %v; want no copy", got, err)
	}
}

// TestFindDeletedTakesOnlyADraft: a sent copy deleted afterwards (the same internetMessageId,
// not a draft) is not the draft deleted before it was sent: taking it for one would call a sent
// message "not sent".
func TestFindDeletedTakesOnlyADraft(t *testing.T) {
	isDraft := false
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		m := wireMsg("x1", "Quarterly numbers")
		m["internetMessageId"] = "<d1@contoso.example>"
		m["isDraft"] = isDraft
		writeJSON(w, 200, page("", m))
	})
	c, _ := newTestClient(t, base)
	d := Message{ID: "d1", Subject: "Quarterly numbers", InternetMessageID: "<d1@contoso.example>", ConversationID: "conv-1"}
	if got, err := c.FindDeleted(context.Background(), d); err != nil || got != nil {
		t.Fatalf("a deleted sent copy was taken for the deleted draft: %+v, %v", got, err)
	}
	isDraft = true
	if got, err := c.FindDeleted(context.Background(), d); err != nil || got == nil {
		t.Fatalf("the deleted draft was not found: %+v, %v", got, err)
	}
}
