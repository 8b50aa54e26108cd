package compose

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/draftsmail/drafts/graph"
)

func TestFormatParseRoundTrip(t *testing.T) {
	d := Draft{
		To:      []graph.Recipient{{Name: "Megan Bowen", Address: "megan@contoso.example"}, {Address: "alex@contoso.example"}},
		Cc:      []graph.Recipient{{Name: "Bowen, Megan", Address: "mb@contoso.example"}, {Name: "Inês Gonçalves", Address: "ines@fabrikam.example"}},
		Subject: "Q3 numbers: revised",
		Text:    "Hi Megan,\n\nThe figures are attached.\n",
	}
	got, err := Parse(Format(d, true))
	if err != nil {
		t.Fatal(err)
	}
	if !sameRecipients(got.To, d.To) || !sameRecipients(got.Cc, d.Cc) || len(got.Bcc) != 0 || got.Subject != d.Subject || got.Text != d.Text {
		t.Fatalf("round trip:\n%+v\nwant\n%+v\n%s", got, d, Format(d, true))
	}
	if !strings.Contains(string(Format(d, true)), "the quoted message under it in the draft stays as it is") {
		t.Fatal("a reply's text does not say the quote is kept")
	}
}

func TestParseNamesTheBadAddress(t *testing.T) {
	for _, tt := range []struct{ text, field, value string }{
		{"To: megan@contoso.example, bob@\nSubject: x\n\nhi", "To", "bob@"},
		{"To: a@b.example\nCc: Megan Bowen <not an address>\n\n", "Cc", "Megan Bowen <not an address>"},
		{"Bcc: @nowhere\n\n", "Bcc", "@nowhere"},
		{"To: plainword\n\n", "To", "plainword"},
	} {
		_, err := Parse([]byte(tt.text))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || fe.Value != tt.value || !strings.Contains(err.Error(), "is not an address") {
			t.Errorf("%q: %v, want %s %q named", tt.text, err, tt.field, tt.value)
		}
	}
	if _, err := Parse([]byte("Tp: a@b.example\n\n")); err == nil || !strings.Contains(err.Error(), "Tp") {
		t.Errorf("an unknown header: %v", err)
	}
	if _, err := Parse([]byte("just some text\nwithout headers")); !errors.Is(err, ErrNoHeader) {
		t.Errorf("no header block: %v", err)
	}
}

func TestParseCleansTheSubjectAndKeepsTheText(t *testing.T) {
	d, err := Parse([]byte("# a comment\r\nSubject: Pay\x1b]0;x\x07 now\r\nTo:\r\n\r\nLine one\r\n\r\n\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(d.Subject, 0x1b) || strings.ContainsRune(d.Subject, 7) || d.Text != "Line one\n" || len(d.To) != 0 {
		t.Fatalf("%+v", d)
	}
}

func TestChangesAreOnlyWhatChanged(t *testing.T) {
	orig := Draft{To: []graph.Recipient{{Address: "a@x.example"}}, Subject: "s", Text: "t\n"}
	same := orig
	if f := Changes(orig, same, &graph.Body{}); !f.Empty() {
		t.Fatalf("nothing changed, yet %+v", f)
	}
	edited := orig
	edited.Cc = []graph.Recipient{{Address: "c@x.example"}}
	edited.Subject = "s2"
	f := Changes(orig, edited, &graph.Body{})
	if f.Subject == nil || *f.Subject != "s2" || f.Cc == nil || f.To != nil || f.Bcc != nil || f.Body != nil {
		t.Fatalf("changes %+v", f)
	}
	edited = orig
	edited.Text = "t2\n"
	if f := Changes(orig, edited, &graph.Body{Content: "new"}); f.Body == nil || f.Subject != nil {
		t.Fatalf("text change %+v", f)
	}
	if !(Draft{}).Empty() || (Draft{Text: "x"}).Empty() {
		t.Fatal("Empty")
	}
}

const replyHTML = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>` +
	`<p>Old own text</p><div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">` +
	`<div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Megan Bowen<br><b>Sent:</b> Monday<br><b>To:</b> Adele<br><b>Subject:</b> Q3</div>` +
	`<div>The original &amp; its text</div></body></html>`

func TestSpliceKeepsTheQuoteAndStaysHTML(t *testing.T) {
	got := Splice(graph.Body{ContentType: "html", Content: replyHTML}, "Thanks, <Megan> & all!\nSee below.\n\nAdele\n")
	want := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>` +
		"<p>Thanks, &lt;Megan&gt; &amp; all!<br>See below.</p>\n<p>Adele</p>\n" +
		`<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">` +
		`<div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Megan Bowen<br><b>Sent:</b> Monday<br><b>To:</b> Adele<br><b>Subject:</b> Q3</div>` +
		`<div>The original &amp; its text</div></body></html>`
	if got.ContentType != "html" || got.Content != want {
		t.Fatalf("spliced:\n%s\nwant\n%s", got.Content, want)
	}
	// A new message (no quote) keeps its wrapper around the new text.
	got = Splice(graph.Body{ContentType: "html", Content: "<html><body><p>old</p></body></html>"}, "new")
	if got.Content != "<html><body><p>new</p>\n</body></html>" {
		t.Fatalf("no quote: %q", got.Content)
	}
	// Text stays text, the quote under it.
	text := "old\n\n________________________________\nFrom: Megan\nSent: Monday\n\n> original"
	got = Splice(graph.Body{ContentType: "text", Content: text}, "new text\n")
	if got.ContentType != "text" || got.Content != "new text\n\n________________________________\nFrom: Megan\nSent: Monday\n\n> original" {
		t.Fatalf("text: %q", got.Content)
	}
}

func TestOwnIsTheNewPartOnly(t *testing.T) {
	src := graph.EditSource{Body: graph.Body{ContentType: "html", Content: replyHTML},
		UniqueBody: graph.Body{ContentType: "html", Content: "<html><body><p>Old own text</p></body></html>"}}
	text, quoted := Own(src)
	if text != "Old own text\n" || !quoted {
		t.Fatalf("own %q quoted %v", text, quoted)
	}
	// Without a uniqueBody of its own, the text before the quote.
	src.UniqueBody = src.Body
	if text, quoted := Own(src); text != "Old own text\n" || !quoted {
		t.Fatalf("own without uniqueBody %q %v", text, quoted)
	}
	// A new message: all of it, and no quote.
	if text, quoted := Own(graph.EditSource{Body: graph.Body{ContentType: "text", Content: "Hello\x1b[2J"}}); quoted || strings.ContainsRune(text, 0x1b) {
		t.Fatalf("new: %q %v", text, quoted)
	}
}

func TestKeeperKeepsUntilDropped(t *testing.T) {
	k, err := OpenKeeper(t.TempDir(), "set DRAFTS_CACHE_DIR")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := k.Load("d1"); ok {
		t.Fatal("something kept before anything was")
	}
	if err := k.Save("d1", []byte("my text")); err != nil {
		t.Fatal(err)
	}
	if b, _, ok := k.Load("d1"); !ok || string(b) != "my text" {
		t.Fatalf("kept %q %v", b, ok)
	}
	if err := k.Drop("d1"); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := k.Load("d1"); ok {
		t.Fatal("still kept after Drop")
	}
	if err := k.Drop("d1"); err != nil {
		t.Fatalf("dropping twice: %v", err)
	}
}

func TestConflictKeepsTheUsersTextBesideTheNewVersion(t *testing.T) {
	now := graph.EditSource{Message: graph.Message{Subject: "changed in Outlook", To: []graph.Recipient{{Address: "a@x.example"}}},
		Body: graph.Body{ContentType: "text", Content: "their text"}}
	mine := Format(Draft{Subject: "my subject", Text: "my text\n# not a comment of ours\n"}, false)
	text := Conflict(now, mine)
	if !strings.Contains(string(text), "Subject: changed in Outlook") || !strings.Contains(string(text), "# Subject: my subject") ||
		!strings.Contains(string(text), "# my text") {
		t.Fatalf("conflict text:\n%s", text)
	}
	// Saved as it is, it is the new version: the kept lines are comments.
	d, err := Parse(text)
	if err != nil || d.Subject != "changed in Outlook" || d.Text != "their text\n" {
		t.Fatalf("parsed %+v, %v", d, err)
	}
	// A # line in the user's own text stays.
	d, _ = Parse([]byte("To: a@x.example\n\nline\n# still mine\n"))
	if d.Text != "line\n# still mine\n" {
		t.Fatalf("text %q", d.Text)
	}
}

func TestStartOffersTheKeptText(t *testing.T) {
	src := graph.EditSource{Message: graph.Message{Subject: "s"}, Body: graph.Body{ContentType: "text", Content: "body"}}
	text, orig, quoted := Start(src, nil)
	if !strings.Contains(string(text), "Subject: s") || orig.Text != "body\n" || quoted {
		t.Fatalf("start %q %+v %v", text, orig, quoted)
	}
	if text, _, _ := Start(src, []byte("kept")); string(text) != "kept" {
		t.Fatalf("kept not offered: %q", text)
	}
	fields, edited, err := Finish(src, orig, []byte("Subject: s2\n\nbody\n"))
	if err != nil || fields.Subject == nil || fields.Body != nil || edited.Subject != "s2" {
		t.Fatalf("finish %+v %+v %v", fields, edited, err)
	}
}

// A reply whose thread has no mark Splice knows (Outlook desktop's bordered header, no <hr>):
// changing its text is refused, never written over the thread; the other fields still save.
func TestUnknownThreadIsNeverWrittenOver(t *testing.T) {
	body := `<html><body><p>hi</p><div style="border-top:solid #E1E1E1 1.0pt"><p><b>From:</b> Megan<br><b>Sent:</b> Monday</p></div><p>the thread</p></body></html>`
	src := graph.EditSource{Message: graph.Message{Subject: "RE: plan"},
		Body:       graph.Body{ContentType: "html", Content: body},
		UniqueBody: graph.Body{ContentType: "html", Content: "<html><body><p>hi</p></body></html>"}}
	text, orig, _ := Start(src, nil)
	edited := strings.Replace(string(text), "hi\n", "hi\nmore\n", 1)
	if _, _, err := Finish(src, orig, []byte(edited)); !errors.Is(err, ErrThreadUnfound) {
		t.Fatalf("a changed text over an unknown thread: %v", err)
	}
	resubject := strings.Replace(string(text), "Subject: RE: plan", "Subject: RE: plan, v2", 1)
	f, _, err := Finish(src, orig, []byte(resubject))
	if err != nil || f.Body != nil || f.Subject == nil || *f.Subject != "RE: plan, v2" {
		t.Fatalf("the subject alone: %+v, %v", f, err)
	}
}

// The editor lock is one holder's at a time, and leaves no file behind once given up; a lock
// file replaced under a holder-to-be (removed by the one giving it up) is locked anew.
func TestEditorLockIsExclusiveAndLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	k, err := OpenKeeper(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	unlock, ok, err := k.LockEditor("d1")
	if err != nil || !ok {
		t.Fatalf("first lock: %v, %v", ok, err)
	}
	if _, ok, err := k.LockEditor("d1"); ok || err != nil {
		t.Fatalf("a second lock while held: %v, %v", ok, err)
	}
	if other, ok, _ := k.LockEditor("d2"); !ok {
		t.Fatal("another draft's lock is refused")
	} else {
		other()
	}
	unlock()
	if left, _ := filepath.Glob(filepath.Join(dir, "*.lock")); len(left) != 0 {
		t.Fatalf("lock files left: %v", left)
	}
	again, ok, err := k.LockEditor("d1")
	if err != nil || !ok {
		t.Fatalf("the lock after it was given up: %v, %v", ok, err)
	}
	again()
}

// Kept counts drafts, not files: a text and the file an editor left open for the same draft are
// one; no directory, none.
func TestKeptCountsDrafts(t *testing.T) {
	dir := t.TempDir()
	k, err := OpenKeeper(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Save("d1", []byte("mine")); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(k.EditorFile("d1"), "mine, newer"); err != nil {
		t.Fatal(err)
	}
	if err := k.Save("d2", []byte("other")); err != nil {
		t.Fatal(err)
	}
	if n, edits := Kept(dir); n != 2 || edits != filepath.Join(dir, "edits") {
		t.Fatalf("Kept = %d in %s, want 2", n, edits)
	}
	if n, edits := Kept(""); n != 0 || edits != "" {
		t.Fatalf("Kept(\"\") = %d, %q", n, edits)
	}
}

func writeFile(p, text string) error { return os.WriteFile(p, []byte(text), 0o600) }
