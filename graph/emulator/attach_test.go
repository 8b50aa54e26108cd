package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// attachmentsOf lists a message's attachments through Graph.
func attachmentsOf(e *env, id, query string) []map[string]any {
	e.t.Helper()
	obj := e.getJSON("/me/messages/"+id+"/attachments"+query, http.StatusOK)
	var out []map[string]any
	for _, v := range obj["value"].([]any) {
		out = append(out, v.(map[string]any))
	}
	return out
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestPostFileAttachmentMatchesDocs pins POST .../attachments to message-post-attachments: the
// request of its example and 201 with the attachment, its content type found from the bytes.
func TestPostFileAttachmentMatchesDocs(t *testing.T) {
	e := newEnv(t, Options{})
	d := newDraft(e)
	obj := e.post("/me/messages/"+d.ID+"/attachments",
		`{"@odata.type":"#microsoft.graph.fileAttachment","name":"smile","contentBytes":"R0lGODdhEAYEAA7"}`, http.StatusCreated)
	want := []string{"@odata.context", "@odata.mediaContentType", "@odata.type", "contentBytes", "contentId", "contentLocation", "contentType",
		"id", "isInline", "lastModifiedDateTime", "name", "size"}
	if got := keysOf(obj); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("keys %v", got)
	}
	if obj["@odata.type"] != "#microsoft.graph.fileAttachment" || obj["name"] != "smile" || obj["contentType"] != "image/gif" ||
		obj["@odata.mediaContentType"] != "image/gif" || obj["isInline"] != false || obj["contentId"] != nil || obj["contentLocation"] != nil {
		t.Fatalf("attachment %v", obj)
	}
	raw, _ := base64.RawStdEncoding.DecodeString("R0lGODdhEAYEAA7")
	got, _ := base64.StdEncoding.DecodeString(obj["contentBytes"].(string))
	if !bytes.Equal(got, raw) || obj["size"].(float64) != float64(len(raw)) {
		t.Fatalf("contentBytes %v size %v", obj["contentBytes"], obj["size"])
	}
	if !strings.HasSuffix(obj["@odata.context"].(string), "/messages('"+url.QueryEscape(d.ID)+"')/attachments/$entity") {
		t.Errorf("@odata.context %v", obj["@odata.context"])
	}
	// hasAttachments follows, and the message has a new version.
	m := asMessage(t, e.getJSON("/me/messages/"+d.ID, http.StatusOK))
	if !m.HasAttachments || m.ChangeKey == d.ChangeKey {
		t.Fatalf("after POST: hasAttachments %v changeKey %s", m.HasAttachments, m.ChangeKey)
	}
	if p := e.list("/me/mailFolders/drafts/messages?$filter=" + url.QueryEscape("hasAttachments eq true")); len(p.Value) != 1 {
		t.Fatal("$filter=hasAttachments eq true")
	}
	// DELETE: 204, then gone, and hasAttachments false again.
	id := obj["id"].(string)
	if resp, data := e.do(http.MethodDelete, "/me/messages/"+d.ID+"/attachments/"+id, ""); resp.StatusCode != http.StatusNoContent || len(data) != 0 {
		t.Fatalf("DELETE %d %s", resp.StatusCode, data)
	}
	resp, data := e.do(http.MethodGet, "/me/messages/"+d.ID+"/attachments/"+id, "")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	resp, data = e.do(http.MethodDelete, "/me/messages/"+d.ID+"/attachments/"+id, "")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	if m := asMessage(t, e.getJSON("/me/messages/"+d.ID, http.StatusOK)); m.HasAttachments {
		t.Fatal("hasAttachments after DELETE")
	}
	// An inline attachment alone leaves hasAttachments false ("This property doesn't include
	// inline attachments").
	png := base64.StdEncoding.EncodeToString(chartPNG())
	obj = e.post("/me/messages/"+d.ID+"/attachments",
		`{"@odata.type":"#microsoft.graph.fileAttachment","name":"chart.png","contentBytes":"`+png+`","isInline":true,"contentId":"chart@1"}`, http.StatusCreated)
	if obj["isInline"] != true || obj["contentId"] != "chart@1" || obj["contentType"] != "image/png" {
		t.Fatalf("inline %v", obj)
	}
	if m := asMessage(t, e.getJSON("/me/messages/"+d.ID, http.StatusOK)); m.HasAttachments {
		t.Fatal("hasAttachments with an inline image only")
	}
}

func TestPostAttachmentLimitsAndErrors(t *testing.T) {
	e := newEnv(t, Options{})
	d := newDraft(e)
	big := base64.StdEncoding.EncodeToString(make([]byte, maxPostAttachment+1))
	resp, data := e.do(http.MethodPost, "/me/messages/"+d.ID+"/attachments",
		`{"@odata.type":"#microsoft.graph.fileAttachment","name":"big.bin","contentBytes":"`+big+`"}`)
	wantError(t, resp, data, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge")
	// Just under 3 MB passes.
	justUnder := base64.StdEncoding.EncodeToString(make([]byte, 3_000_000))
	e.post("/me/messages/"+d.ID+"/attachments", `{"@odata.type":"#microsoft.graph.fileAttachment","name":"ok.bin","contentBytes":"`+justUnder+`"}`, http.StatusCreated)
	for body, code := range map[string]string{
		`{"name":"x","contentBytes":"AA=="}`:                                                                 "RequestBodyRead",
		`{"@odata.type":"#microsoft.graph.referenceAttachment","name":"x"}`:                                  "RequestBodyRead",
		`{"@odata.type":"#microsoft.graph.fileAttachment","name":"x","contentBytes":"AA==","sourceUrl":"u"}`: "RequestBodyRead",
		`{"@odata.type":"#microsoft.graph.fileAttachment","name":"x","contentBytes":"not base64!"}`:          "RequestBodyRead",
		`{"@odata.type":"#microsoft.graph.fileAttachment","name":"x"}`:                                       "ErrorInvalidRequest",
		`not json`: "BadRequest",
	} {
		resp, data := e.do(http.MethodPost, "/me/messages/"+d.ID+"/attachments", body)
		wantError(t, resp, data, http.StatusBadRequest, code)
	}
	resp, data = e.do(http.MethodPost, "/me/messages/"+e.s.UnusedID()+"/attachments", `{"@odata.type":"#microsoft.graph.fileAttachment","name":"x","contentBytes":"AA=="}`)
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	resp, data = e.do(http.MethodGet, "/me/messages/"+d.ID+"/attachments/not-an-id", "")
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidIdMalformed")
	resp, data = e.do(http.MethodPut, "/me/messages/"+d.ID+"/attachments", "{}")
	wantError(t, resp, data, http.StatusMethodNotAllowed, "ErrorInvalidRequest")
	// Attachments are not changed by a PATCH of the message.
	resp, data = e.do(http.MethodPatch, "/me/messages/"+d.ID, `{"attachments":[]}`)
	wantError(t, resp, data, http.StatusBadRequest, "ErrorInvalidRequest")
}

// TestListAttachmentKinds: file, item and reference attachments, each with its @odata.type;
// contentBytes unless $select leaves them out; derived properties only through a type cast.
func TestListAttachmentKinds(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.SeedDemo()
	byType := map[string]map[string]any{}
	for _, d := range e.s.Drafts("") {
		for _, a := range attachmentsOf(e, d.ID, "") {
			byType[a["@odata.type"].(string)] = a
		}
	}
	file, item, ref := byType[fileAttachmentType], byType[itemAttachmentType], byType[referenceAttachmentType]
	if file == nil || item == nil || ref == nil {
		t.Fatalf("kinds listed: %v", keysOf(map[string]any{"file": file, "item": item, "ref": ref}))
	}
	if _, ok := file["contentBytes"]; !ok || file["@odata.mediaContentType"] == nil {
		t.Fatalf("file attachment %v", keysOf(file))
	}
	if got := strings.Join(keysOf(item), ","); got != "@odata.type,contentType,id,isInline,lastModifiedDateTime,name,size" || item["contentType"] != nil {
		t.Fatalf("item attachment %v", item)
	}
	if got := strings.Join(keysOf(ref), ","); got != "@odata.type,contentType,id,isInline,lastModifiedDateTime,name,size" {
		t.Fatalf("reference attachment %v", ref)
	}
	q3 := e.s.Drafts("")[0]
	if q3.Subject != "Q3 budget review — revised figures" {
		t.Fatalf("first draft %q", q3.Subject)
	}
	list := attachmentsOf(e, q3.ID, "?$select=name,size,contentType")
	if len(list) != 1 || strings.Join(keysOf(list[0]), ",") != "@odata.mediaContentType,@odata.type,contentType,id,name,size" {
		t.Fatalf("$select listing %v", list)
	}
	if list[0]["size"].(float64) <= maxPostAttachment {
		t.Fatalf("the demo's large file has %v bytes", list[0]["size"])
	}
	resp, data := e.do(http.MethodGet, "/me/messages/"+q3.ID+"/attachments?$select=contentId", "")
	ge := wantError(t, resp, data, http.StatusBadRequest, "RequestBroker--ParseUri")
	if ge.Message != "Could not find a property named 'contentId' on type 'microsoft.graph.attachment'." {
		t.Errorf("message %q", ge.Message)
	}
	list = attachmentsOf(e, q3.ID, "?$select=name,microsoft.graph.fileAttachment/contentId")
	if _, ok := list[0]["contentId"]; !ok {
		t.Fatalf("cast select %v", list[0])
	}
	resp, data = e.do(http.MethodGet, "/me/messages/"+q3.ID+"/attachments?$top=1", "")
	wantError(t, resp, data, http.StatusBadRequest, "BadRequest")
}

// TestGetAttachmentAndValue pins attachment-get: the properties of one attachment, and the raw
// contents with /$value (405 for a reference attachment).
func TestGetAttachmentAndValue(t *testing.T) {
	e := newEnv(t, Options{})
	pdf := makePDF("Draft sales invoice template")
	d := e.s.AddDraft(Draft{Subject: "with files", Attachments: []FileAttachment{{Name: "Draft sales invoice template.pdf", Content: pdf}}})
	a := e.s.Attachments("", d.ID)[0]
	obj := e.getJSON("/me/messages/"+d.ID+"/attachments/"+a.ID, http.StatusOK)
	if !strings.HasSuffix(obj["@odata.context"].(string), "/messages('"+url.QueryEscape(d.ID)+"')/attachments/$entity") ||
		obj["id"] != a.ID || obj["contentType"] != "application/pdf" || obj["size"].(float64) != float64(len(pdf)) {
		t.Fatalf("GET %v", obj)
	}
	// $select as in outlook-large-attachments, step 4.
	obj = e.getJSON("/me/messages/"+d.ID+"/attachments/"+a.ID+"?$select=lastModifiedDateTime,name,contentType,size,isInline", http.StatusOK)
	if got := strings.Join(keysOf(obj), ","); got != "@odata.context,@odata.mediaContentType,@odata.type,contentType,id,isInline,lastModifiedDateTime,name,size" {
		t.Fatalf("$select keys %s", got)
	}
	if !strings.HasSuffix(obj["@odata.context"].(string), "/attachments(lastModifiedDateTime,name,contentType,size,isInline)/$entity") {
		t.Errorf("@odata.context %v", obj["@odata.context"])
	}
	resp, body := e.do(http.MethodGet, "/me/messages/"+d.ID+"/attachments/"+a.ID+"/$value", "")
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, pdf) || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("$value: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	// The mailFolders form and the parenthesis form.
	e.getJSON("/me/mailFolders/drafts/messages/"+d.ID+"/attachments('"+a.ID+"')", http.StatusOK)

	e.s.SeedDemo()
	for _, m := range e.s.Drafts("") {
		for _, at := range e.s.Attachments("", m.ID) {
			resp, body := e.do(http.MethodGet, "/me/messages/"+m.ID+"/attachments/"+at.ID+"/$value", "")
			switch at.ODataType {
			case referenceAttachmentType:
				wantError(t, resp, body, http.StatusMethodNotAllowed, "ErrorInvalidRequest")
			case itemAttachmentType:
				if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Subject: ") || !strings.Contains(string(body), "MIME-Version: 1.0") {
					t.Fatalf("item $value %d %s", resp.StatusCode, body)
				}
			default:
				if resp.StatusCode != http.StatusOK || int64(len(body)) != at.Size || resp.Header.Get("Content-Type") != at.ContentType {
					t.Fatalf("%s $value: %d, %d of %d bytes", at.Name, resp.StatusCode, len(body), at.Size)
				}
			}
		}
	}
}

// TestExpandAttachments: $expand=attachments on a message and on a listing, with a nested
// $select, and beside singleValueExtendedProperties.
func TestExpandAttachments(t *testing.T) {
	e := newEnv(t, Options{})
	d := e.s.AddDraft(Draft{Subject: "with a file", Attachments: []FileAttachment{{Name: "a.txt", Content: []byte("hello")}}})
	plain := e.s.AddDraft(Draft{Subject: "without"})
	obj := e.getJSON("/me/messages/"+d.ID+"?$expand=attachments", http.StatusOK)
	atts, ok := obj["attachments"].([]any)
	if !ok || len(atts) != 1 || atts[0].(map[string]any)["contentBytes"] != base64.StdEncoding.EncodeToString([]byte("hello")) ||
		!strings.HasSuffix(obj["attachments@odata.context"].(string), "/messages('"+url.QueryEscape(d.ID)+"')/attachments") {
		t.Fatalf("expanded %v", obj)
	}
	if obj := e.getJSON("/me/messages/"+plain.ID+"?$expand=attachments", http.StatusOK); len(obj["attachments"].([]any)) != 0 {
		t.Fatal("attachments of a message without")
	}
	q := "$select=subject&$expand=" + url.QueryEscape("attachments($select=name,size),singleValueExtendedProperties($filter=id eq 'String 0x1042')")
	page := e.getJSON("/me/mailFolders/drafts/messages?"+q, http.StatusOK)
	n := 0
	for _, v := range page["value"].([]any) {
		m := v.(map[string]any)
		for _, a := range m["attachments"].([]any) {
			a := a.(map[string]any)
			if _, has := a["contentBytes"]; has || a["name"] != "a.txt" || a["size"].(float64) != 5 {
				t.Fatalf("nested $select %v", a)
			}
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d expanded attachments in the listing", n)
	}
	for _, bad := range []string{"attachments($filter=name eq 'x')", "attachments($select=contentBytes)", "extensions", "attachments,extensions"} {
		resp, data := e.do(http.MethodGet, "/me/messages/"+d.ID+"?$expand="+url.QueryEscape(bad), "")
		wantError(t, resp, data, http.StatusBadRequest, map[bool]string{true: "RequestBroker--ParseUri", false: "BadRequest"}[strings.Contains(bad, "contentBytes")])
	}
}

// TestAttachmentsWithTheMessage: POST /messages may carry attachments; they follow the message
// when it is sent, moved or deleted (under new ids, as the message's id changes).
func TestAttachmentsWithTheMessage(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	body, _ := json.Marshal(map[string]any{
		"subject":      "report",
		"toRecipients": []any{map[string]any{"emailAddress": map[string]string{"address": "megan.bowen@contoso.example"}}},
		"attachments": []any{map[string]any{"@odata.type": "#microsoft.graph.fileAttachment", "name": "report.csv",
			"contentBytes": base64.StdEncoding.EncodeToString([]byte("a,b\r\n1,2\r\n"))}},
	})
	d := asMessage(t, e.post("/me/messages", string(body), http.StatusCreated))
	if !d.HasAttachments || len(e.s.Attachments("", d.ID)) != 1 {
		t.Fatalf("created with attachments: %v", d.HasAttachments)
	}
	before := e.s.Attachments("", d.ID)[0]
	moved := asMessage(t, e.post("/me/messages/"+d.ID+"/move", `{"destinationId":"drafts"}`, http.StatusCreated))
	after := e.s.Attachments("", moved.ID)
	if len(after) != 1 || after[0].ID == before.ID || string(after[0].Content) != string(before.Content) || !moved.HasAttachments {
		t.Fatalf("moved attachments %+v", after)
	}
	e.do(http.MethodPost, "/me/messages/"+moved.ID+"/send", "")
	sent := e.s.Sent("")[0]
	if !sent.HasAttachments || len(e.s.Attachments("", sent.ID)) != 1 {
		t.Fatalf("sent copy hasAttachments %v", sent.HasAttachments)
	}
	// AddDraft with HasAttachments and no files gets a placeholder so the two agree.
	flagged := e.s.AddDraft(Draft{Subject: "flag only", HasAttachments: true})
	if atts := e.s.Attachments("", flagged.ID); len(atts) != 1 || !bytes.HasPrefix(atts[0].Content, []byte("%PDF-")) {
		t.Fatalf("placeholder %+v", atts)
	}
}
