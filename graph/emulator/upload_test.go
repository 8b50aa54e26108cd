package emulator

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// putRange PUTs data as the range starting at start of a total-byte file, without an
// Authorization header, as outlook-large-attachments says.
func (e *env) putRange(uploadURL string, data []byte, start, total int64, headers ...string) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPut, uploadURL, bytes.NewReader(data))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, start+int64(len(data))-1, total))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// flower is a deterministic "JPEG" of n bytes.
func flower(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(mix(uint64(i)))
	}
	copy(b, []byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00})
	return b
}

func (e *env) createSession(id, item string, want int) map[string]any {
	e.t.Helper()
	return e.post("/me/messages/"+id+"/attachments/createUploadSession", `{"AttachmentItem":`+item+`}`, want)
}

// TestUploadSessionMatchesDocs walks outlook-large-attachments with its numbers: a session for
// "flower" (3483322 bytes), a first PUT of 2097152 bytes (200, nextExpectedRanges ["2097152"]),
// the last PUT (201, Location of the attachment, no body), then the attachment by its id.
func TestUploadSessionMatchesDocs(t *testing.T) {
	e := newEnv(t, Options{})
	d := newDraft(e)
	const size = 3483322
	obj := e.createSession(d.ID, `{"attachmentType":"file","name":"flower","size":3483322}`, http.StatusCreated)
	if !strings.HasSuffix(obj["@odata.context"].(string), "/v1.0/$metadata#microsoft.graph.uploadSession") {
		t.Errorf("@odata.context %v", obj["@odata.context"])
	}
	if r := obj["nextExpectedRanges"].([]any); len(r) != 1 || r[0] != "0-" {
		t.Fatalf("nextExpectedRanges %v", r)
	}
	exp, err := time.Parse("2006-01-02T15:04:05.0000000Z", obj["expirationDateTime"].(string))
	if err != nil || !exp.After(e.clock.Now()) {
		t.Fatalf("expirationDateTime %v: %v", obj["expirationDateTime"], err)
	}
	uploadURL := obj["uploadUrl"].(string)
	u, _ := url.Parse(uploadURL)
	if !strings.HasPrefix(u.Path, "/api/v2.0/Users('") || !strings.Contains(u.Path, "/Messages('"+d.ID+"')/AttachmentSessions('") ||
		u.Query().Get("authtoken") == "" {
		t.Fatalf("uploadUrl %s", uploadURL)
	}
	file := flower(size)
	resp, body := e.putRange(uploadURL, file[:2097152], 0, size)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("first PUT %d %s", resp.StatusCode, body)
	}
	st := decodeObject(t, body)
	if r := st["nextExpectedRanges"].([]any); len(r) != 1 || r[0] != "2097152" || st["ExpirationDateTime"] != obj["expirationDateTime"] ||
		!strings.Contains(st["@odata.context"].(string), "/AttachmentSessions/$entity") {
		t.Fatalf("after the first PUT: %s", body)
	}
	if m := asMessage(t, e.getJSON("/me/messages/"+d.ID, http.StatusOK)); m.HasAttachments {
		t.Fatal("attached before the last range")
	}
	resp, body = e.putRange(uploadURL, file[2097152:], 2097152, size)
	if resp.StatusCode != http.StatusCreated || len(body) != 0 || resp.Header.Get("Content-Length") != "0" {
		t.Fatalf("last PUT %d %q", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	i := strings.Index(loc, "/Attachments('")
	if i < 0 || !strings.HasSuffix(loc, "')") {
		t.Fatalf("Location %q", loc)
	}
	attID := loc[i+len("/Attachments('") : len(loc)-2]
	meta := e.getJSON("/me/messages/"+d.ID+"/attachments/"+attID+"?$select=lastModifiedDateTime,name,contentType,size,isInline", http.StatusOK)
	if meta["name"] != "flower" || meta["size"].(float64) != size || meta["contentType"] != "image/jpeg" || meta["isInline"] != false ||
		meta["@odata.mediaContentType"] != "image/jpeg" {
		t.Fatalf("attachment %v", meta)
	}
	resp, raw := e.do(http.MethodGet, "/me/messages/"+d.ID+"/attachments/"+attID+"/$value", "")
	if resp.StatusCode != http.StatusOK || !bytes.Equal(raw, file) || resp.Header.Get("Content-Length") != "3483322" {
		t.Fatalf("$value %d, %d bytes", resp.StatusCode, len(raw))
	}
	m := asMessage(t, e.getJSON("/me/messages/"+d.ID, http.StatusOK))
	if !m.HasAttachments || m.ChangeKey == d.ChangeKey {
		t.Fatalf("hasAttachments %v", m.HasAttachments)
	}
	// The session is done: its URL is no longer valid.
	resp, body = e.putRange(uploadURL, file[:10], 0, size)
	wantError(t, resp, body, http.StatusNotFound, "ErrorItemNotFound")
}

func TestUploadSessionInlineAndCancel(t *testing.T) {
	e := newEnv(t, Options{})
	d := newDraft(e)
	obj := e.createSession(d.ID, `{"attachmentType":"file","name":"scenary","size":3200000,"isInline":true,"contentId":"my_inline_picture","contentType":"image/png"}`,
		http.StatusCreated)
	uploadURL := obj["uploadUrl"].(string)
	file := flower(3200000)
	for start := 0; start < len(file); start += 1 << 20 {
		end := min(start+1<<20, len(file))
		resp, body := e.putRange(uploadURL, file[start:end], int64(start), int64(len(file)))
		if want := http.StatusOK; end == len(file) {
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("last PUT %d %s", resp.StatusCode, body)
			}
		} else if resp.StatusCode != want {
			t.Fatalf("PUT at %d: %d %s", start, resp.StatusCode, body)
		}
	}
	atts := e.s.Attachments("", d.ID)
	if len(atts) != 1 || !atts[0].IsInline || atts[0].ContentID != "my_inline_picture" || atts[0].ContentType != "image/png" {
		t.Fatalf("inline upload %+v", atts)
	}
	if m := asMessage(t, e.getJSON("/me/messages/"+d.ID, http.StatusOK)); m.HasAttachments {
		t.Fatal("an inline upload made hasAttachments true")
	}
	// Cancel: DELETE on the uploadUrl, 204; the URL is then gone.
	obj = e.createSession(d.ID, `{"attachmentType":"file","name":"x","size":4000000}`, http.StatusCreated)
	uploadURL = obj["uploadUrl"].(string)
	req, _ := http.NewRequest(http.MethodDelete, uploadURL, nil)
	resp, err := e.ts.Client().Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE session: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	r, body := e.putRange(uploadURL, file[:100], 0, 4000000)
	wantError(t, r, body, http.StatusNotFound, "ErrorItemNotFound")
}

func TestUploadSessionErrors(t *testing.T) {
	e := newEnv(t, Options{MaxMessageSize: 5_000_000})
	d := newDraft(e)
	resp, data := e.do(http.MethodPost, "/me/messages/"+d.ID+"/attachments/createUploadSession", `{"AttachmentItem":{"attachmentType":"file","name":"small","size":1000}}`)
	wantError(t, resp, data, http.StatusBadRequest, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize")
	resp, data = e.do(http.MethodPost, "/me/messages/"+d.ID+"/attachments/createUploadSession", `{"AttachmentItem":{"attachmentType":"file","name":"huge","size":157286401}}`)
	wantError(t, resp, data, http.StatusBadRequest, "ErrorMessageSizeExceeded")
	resp, data = e.do(http.MethodPost, "/me/messages/"+d.ID+"/attachments/createUploadSession", `{"AttachmentItem":{"attachmentType":"item","name":"x","size":4000000}}`)
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidRequest")
	resp, data = e.do(http.MethodPost, "/me/messages/"+e.s.UnusedID()+"/attachments/createUploadSession", `{"AttachmentItem":{"attachmentType":"file","name":"x","size":4000000}}`)
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")

	const size = 4_000_000
	obj := e.createSession(d.ID, `{"attachmentType":"file","name":"data.bin","size":4000000}`, http.StatusCreated)
	uploadURL := obj["uploadUrl"].(string)
	file := flower(size)
	// A range that does not start where the session expects: 416.
	resp, data = e.putRange(uploadURL, file[100:200], 100, size)
	wantError(t, resp, data, http.StatusRequestedRangeNotSatisfiable, "ErrorInvalidRange")
	// A total that is not the session's size, a malformed range, a body shorter than its range.
	resp, data = e.putRange(uploadURL, file[:100], 0, size+1)
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidContentRange")
	resp, data = e.putRange(uploadURL, file[:100], 0, size, "Content-Range", "bytes=0-99")
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidContentRange")
	resp, data = e.putRange(uploadURL, file[:100], 0, size, "Content-Range", "bytes 0-199/4000000")
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidContentRange")
	// More than 4 MB in one PUT.
	resp, data = e.putRange(uploadURL, make([]byte, maxUploadChunk+1), 0, size, "Content-Range", fmt.Sprintf("bytes 0-%d/%d", maxUploadChunk, size))
	wantError(t, resp, data, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge")
	// A wrong authtoken.
	bad := strings.Replace(uploadURL, "authtoken=", "authtoken=x", 1)
	resp, data = e.putRange(bad, file[:100], 0, size)
	wantError(t, resp, data, http.StatusUnauthorized, "InvalidAuthenticationToken")
	// Where the session stands, by GET (a guess of the emulator's).
	resp, data = e.putRange(uploadURL, file[:1000], 0, size)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT %d %s", resp.StatusCode, data)
	}
	req, _ := http.NewRequest(http.MethodGet, uploadURL, nil)
	r, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if !strings.Contains(string(st), `"nextExpectedRanges":["1000"]`) {
		t.Fatalf("GET session %s", st)
	}
	// Past Options.MaxMessageSize (5 MB here): ErrorMessageSizeExceeded, and the session ends.
	e.post("/me/messages/"+d.ID+"/attachments", `{"@odata.type":"#microsoft.graph.fileAttachment","name":"one.bin","contentBytes":"`+
		strings.Repeat("AAAA", 400_000)+`"}`, http.StatusCreated)
	resp, data = e.putRange(uploadURL, file[1000:4_000_000], 1000, size)
	wantError(t, resp, data, http.StatusBadRequest, "ErrorMessageSizeExceeded")

	// A session expires.
	obj = e.createSession(d.ID, `{"attachmentType":"file","name":"late.bin","size":4000000}`, http.StatusCreated)
	e.clock.Advance(uploadSessionLife)
	resp, data = e.putRange(obj["uploadUrl"].(string), file[:100], 0, size)
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	// The message goes away before the last range.
	obj = e.createSession(d.ID, `{"attachmentType":"file","name":"orphan.bin","size":3200000}`, http.StatusCreated)
	e.do(http.MethodDelete, "/me/messages/"+d.ID, "")
	resp, data = e.putRange(obj["uploadUrl"].(string), file[:100], 0, 3200000)
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
}

// TestUploadIsRecorded: the uploadUrl needs no Authorization header, and the
// request log records the PUTs like any request.
func TestUploadIsRecorded(t *testing.T) {
	e := newEnv(t, Options{Token: "the.right.token"})
	d := newDraft(e)
	obj := e.createSession(d.ID, `{"attachmentType":"file","name":"f","size":3200000}`, http.StatusUnauthorized)
	if obj["error"] == nil {
		t.Fatal("createUploadSession without the right token")
	}
	resp, data := e.do(http.MethodPost, "/me/messages/"+d.ID+"/attachments/createUploadSession",
		`{"AttachmentItem":{"attachmentType":"file","name":"f","size":3200000}}`, "Authorization", "Bearer the.right.token")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %s", resp.StatusCode, data)
	}
	uploadURL := decodeObject(t, data)["uploadUrl"].(string)
	if r, body := e.putRange(uploadURL, flower(3200000), 0, 3200000); r.StatusCode != http.StatusCreated {
		t.Fatalf("PUT without a bearer token: %d %s", r.StatusCode, body)
	}
	puts := 0
	for _, r := range e.s.Requests() {
		if r.Method == http.MethodPut && strings.Contains(r.Path, "AttachmentSessions") && r.Status == http.StatusCreated && !r.Bearer {
			puts++
		}
	}
	if puts != 1 {
		t.Fatalf("%d PUTs recorded", puts)
	}
}
