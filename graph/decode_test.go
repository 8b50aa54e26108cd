package graph

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// sameAsEncodingJSON checks that decodePage (the library) and the same
// wire structs and cleaning through encoding/json agree on data: both
// fail, or both give the same messages and link.
func sameAsEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	got, gotNext, gotErr := decodePage(data, newPageState(10))
	want, wantNext, wantErr := decodePageWith(json.Unmarshal, data, newPageState(10))
	if (gotErr != nil) != (wantErr != nil) {
		t.Fatalf("%q:\ndecodePage error %v\nencoding/json error %v", data, gotErr, wantErr)
	}
	if gotErr != nil {
		return
	}
	if gotNext != wantNext || !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\ndecodePage    %q %+v\nencoding/json %q %+v", data, gotNext, got, wantNext, want)
	}
}

func TestDecodePageMatchesEncodingJSON(t *testing.T) {
	cases := []string{
		``, ` `, `null`, ` null `, `{}`, `[]`, `"x"`, `12`, `true`, `{"value":null}`, `{"value":[]}`,
		`{"value":[null]}`, `{"value":[1]}`, `{"value":{}}`, `{"value":"x"}`, `{"value":[{}]} x`,
		`{"value":[{}],}`, `{"value":[{},]}`, `{"value" [{}]}`, `{value:[]}`, `{"value":[{}]`,
		`{"@odata.nextLink":"https://graph.microsoft.com/v1.0/me/messages?$skip=10","value":[{"id":"a"}]}`,
		`{"value":[{"id":"a"}],"@odata.nextLink":null}`, `{"@odata.nextLink":5}`,
		`{"VALUE":[{"ID":"a","Subject":"s","TORECIPIENTS":[{"EmailAddress":{"Name":"N","ADDRESS":"a@x"}}]}]}`,
		"{\"value\":[{\"\u017fubject\":\"long s\"}]}", // ſ folds to s, as in encoding/json
		"{\"value\":[{\"isDra\u212at\":true}]}",       // neither is the Kelvin sign a k
		`{"value":[{"\u0073ubject":"escaped key"}]}`,
		`{"value":[{"id":"a","subject":"x\"y\\z\/\b\f\n\r\t\u00e9\u4e2d\ud83d\ude00"}]}`,
		`{"value":[{"subject":"lone \ud83d high, lone \ude00 low, \ud83d\u0041 bad pair, \ud83d\ud83d twice"}]}`,
		`{"value":[{"subject":"\u001b]0;title\u0007 \u009b31m \u202e gpj.exe \u200b"}]}`,
		"{\"value\":[{\"subject\":\"bad \xff\xfe utf8 \xed\xa0\x80 surrogate \xc3\"}]}",
		"{\"value\":[{\"subject\":\"raw\ttab\"}]}", `{"value":[{"subject":"\x"}]}`, `{"value":[{"subject":"\'"}]}`,
		`{"value":[{"subject":"\u12"}]}`, `{"value":[{"subject":"\u12G4"}]}`, `{"value":[{"subject":"unterminated}]}`,
		`{"value":[{"subject":5}]}`, `{"value":[{"subject":null}]}`, `{"value":[{"subject":true}]}`,
		`{"value":[{"hasAttachments":"true"}]}`, `{"value":[{"hasAttachments":null,"isDraft":true}]}`,
		`{"value":[{"hasAttachments":tru}]}`, `{"value":[{"isDraft":nul}]}`,
		`{"value":[{"from":null}]}`, `{"value":[{"from":{}}]}`, `{"value":[{"from":[]}]}`, `{"value":[{"from":"x"}]}`,
		`{"value":[{"from":{"emailAddress":null}}]}`, `{"value":[{"from":{"emailAddress":5}}]}`,
		`{"value":[{"from":{"emailAddress":{"name":"Adele Vance","address":"adele@contoso.com","x":[1,{"y":null}]}}}]}`,
		`{"value":[{"toRecipients":null,"ccRecipients":[],"bccRecipients":[null,{"emailAddress":{"address":"b@x"}}]}]}`,
		`{"value":[{"toRecipients":{}}]}`, `{"value":[{"toRecipients":[5]}]}`, `{"value":[{"toRecipients":[{"emailAddress":{"name":1}}]}]}`,
		`{"value":[{"body":null}]}`, `{"value":[{"body":{}}]}`, `{"value":[{"body":[]}]}`,
		`{"value":[{"body":{"contentType":"HTML","content":"<p>Hi <b>there</b><script>x()</script></p>"}}]}`,
		`{"value":[{"body":{"contentType":"text","content":"line 1\r\nline 2\u001b[2J"}}]}`,
		`{"value":[{"createdDateTime":"2026-03-10T14:00:00Z","lastModifiedDateTime":"2026-03-10T14:00:00.1234567Z","sentDateTime":null}]}`,
		`{"value":[{"createdDateTime":"2026-02-30T14:00:00Z","lastModifiedDateTime":"2026-13-10T14:00:00Z","sentDateTime":"2026-03-10T24:00:00Z"}]}`,
		`{"value":[{"createdDateTime":"2026-03-10T14:00:60Z","lastModifiedDateTime":"not a date","sentDateTime":"2026-03-10T14:00:00+01:00"}]}`,
		`{"value":[{"createdDateTime":"2024-02-29T00:00:00Z","lastModifiedDateTime":"0000-01-01T00:00:00Z","sentDateTime":"2026-3-10T14:00:00Z"}]}`,
		`{"value":[{"createdDateTime":5}]}`, `{"value":[{"importance":"HIGH"},{"importance":"Normal\u0000"}]}`,
		`{"value":[{"x":-0,"y":1.5e+10,"z":-12.0E-3,"w":[true,false,null,"s",{}]}]}`,
		`{"value":[{"x":01}]}`, `{"value":[{"x":1.}]}`, `{"value":[{"x":.5}]}`, `{"value":[{"x":1e}]}`, `{"value":[{"x":-}]}`,
		`{"value":[{"singleValueExtendedProperties":[{"id":"SystemTime 0x3fef","value":"2026-11-27T08:00:00Z"}]}]}`,
		`{"value":[{"singleValueExtendedProperties":[{"ID":"systemtime 0x3FEF","Value":"2026-11-27T08:00:00.5+01:00"},{"id":"String 0x1","value":"x"}]}]}`,
		`{"value":[{"singleValueExtendedProperties":[null,{"value":"2026-11-27T08:00:00Z","id":"SystemTime 0x3FEF"},{"id":"SystemTime 0x3FEF","value":"not a date"}]}]}`,
		`{"value":[{"singleValueExtendedProperties":null}]}`, `{"value":[{"singleValueExtendedProperties":[]}]}`,
		`{"value":[{"singleValueExtendedProperties":{}}]}`, `{"value":[{"singleValueExtendedProperties":[5]}]}`,
		`{"value":[{"singleValueExtendedProperties":[{"id":5}]}]}`, `{"value":[{"singleValueExtendedProperties":[{"id":null,"value":null,"x":[1]}]}]}`,
		`{"value":[{"x":+1}]}`, `{"value":[{"x":NaN}]}`, "\xef\xbb\xbf{}", "{\"value\":[]}\n\t\r ", `{"a":1 "b":2}`,
	}
	for _, c := range cases {
		sameAsEncodingJSON(t, []byte(c))
	}
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	sameAsEncodingJSON(t, []byte(`{"x":`+deep[1:len(deep)-1]+`}`))
	sameAsEncodingJSON(t, []byte(`{"x":`+deep+`}`))
	sameAsEncodingJSON(t, []byte(`{"x":`+strings.Repeat("[", 1<<20)))
}

// TestDecodeCleans checks what decoding makes of hostile and odd values:
// cleaned strings, lenient dates, the deferred-send time, the body as text.
func TestDecodeCleans(t *testing.T) {
	page := `{"value":[{"id":"a\u001b[2J","subject":"Pay 100\rPay 900 \u202egpj.exe","bodyPreview":"x\u0007y",` +
		`"importance":"HIGH","createdDateTime":"2026-03-10T14:00:00Z","lastModifiedDateTime":"not a date",` +
		`"sentDateTime":"2026-03-10T14:00:00.5+01:00","from":{"emailAddress":{"name":"Eve\u009b31m","address":"eve@x"}},` +
		`"toRecipients":[{"emailAddress":{"name":"A","address":"a@x"}},null],"ccRecipients":[],` +
		`"singleValueExtendedProperties":[{"id":"systemtime 0x3fef","value":"2026-11-27T08:00:00Z"}],` +
		`"body":{"contentType":"html","content":"<p>Hi <b>there</b><script>x()</script></p>"}},null],` +
		`"@odata.nextLink":"https://graph.microsoft.com/v1.0/me/messages?$skip=2"}`
	msgs, next, err := decodePage([]byte(page), newPageState(10))
	if err != nil || len(msgs) != 2 || next != "https://graph.microsoft.com/v1.0/me/messages?$skip=2" {
		t.Fatalf("%d messages, next %q, %v", len(msgs), next, err)
	}
	m := msgs[0]
	want := Message{
		ID: "a", Subject: "Pay 100 Pay 900 gpj.exe", BodyPreview: "x\u2407y", Importance: ImportanceHigh,
		Created: time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC), Sent: time.Date(2026, 3, 10, 13, 0, 0, 5e8, time.UTC),
		From: Recipient{Name: "Eve", Address: "eve@x"}, To: []Recipient{{Name: "A", Address: "a@x"}, {}},
		DeferredUntil: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), HasBody: true, Body: HTMLToText("<p>Hi <b>there</b></p>"),
	}
	if !m.Sent.Equal(want.Sent) {
		t.Fatalf("sent %v, want %v", m.Sent, want.Sent)
	}
	m.Sent = want.Sent
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", m, want)
	}
	if !reflect.DeepEqual(msgs[1], Message{}) {
		t.Fatalf("a null message: %+v", msgs[1])
	}
	for _, bad := range []string{``, `{"value":[{"id":"a"}]`, `{"value":[{"subject":5}]}`, `<html>502</html>`, `{"value":[]} x`} {
		if _, _, err := decodePage([]byte(bad), nil); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
	if msgs, _, err := decodePage([]byte(`null`), nil); err != nil || msgs != nil {
		t.Errorf("null: %v, %v", msgs, err)
	}
}

func TestDecodeMessage(t *testing.T) {
	body := `{"@odata.context":"x","id":"AAMk=","subject":"Offsite","webLink":"https://outlook.office365.com/owa/?ItemID=AAMk%3D",` +
		`"body":{"contentType":"html","content":"<p>Hello <b>team</b></p>"},"toRecipients":[{"emailAddress":{"name":"Alex","address":"alex@x"}}]}`
	got, err := decodeMessage([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := Message{ID: "AAMk=", Subject: "Offsite", WebLink: "https://outlook.office365.com/owa/?ItemID=AAMk%3D",
		To: []Recipient{{Name: "Alex", Address: "alex@x"}}, HasBody: true, Body: HTMLToText("<p>Hello <b>team</b></p>")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decodeMessage\n%+v\nwant\n%+v", got, want)
	}
	if _, err := decodeMessage([]byte(`{"id":"a"`)); err == nil {
		t.Fatal("a cut-off message decoded")
	}
}

func TestDecodeSharesRecipientStrings(t *testing.T) {
	st := newPageState(10)
	page := []byte(`{"value":[{"toRecipients":[{"emailAddress":{"name":"Megan Bowen","address":"megan@x"}}]},` +
		`{"toRecipients":[{"emailAddress":{"name":"Megan Bowen","address":"megan@x"}}],"ccRecipients":[{"emailAddress":{"name":"Alex","address":"alex@x"}}]}]}`)
	msgs, _, err := decodePage(page, st)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("%d messages, %v", len(msgs), err)
	}
	more, _, err := decodePage(page, st) // the next page of the same Pager
	if err != nil || len(more) != 2 {
		t.Fatalf("%d messages, %v", len(more), err)
	}
	a, b, c := msgs[0].To[0].Name, msgs[1].To[0].Name, more[0].To[0].Name
	if a != "Megan Bowen" || b != a || unsafe.StringData(a) != unsafe.StringData(b) || unsafe.StringData(a) != unsafe.StringData(c) {
		t.Fatal("the same name decoded twice is not one string")
	}
	if len(msgs[1].To) != 1 || cap(msgs[1].To) != 1 || len(msgs[1].Cc) != 1 || msgs[1].Cc[0].Name != "Alex" {
		t.Fatalf("recipients %+v %+v", msgs[1].To, msgs[1].Cc)
	}
	for _, w := range st.wire[:cap(st.wire)] {
		if !reflect.DeepEqual(w, wireMessage{}) {
			t.Fatal("the state holds a decoded message after its page")
		}
	}
}

// TestDecodedStringsAreCopies decodes a page, then overwrites its bytes
// (as the next page of a Pager is read into the same buffer) and decodes
// them again: the first messages must not change.
func TestDecodedStringsAreCopies(t *testing.T) {
	st := newPageState(10)
	buf := []byte(`{"value":[{"id":"AAAA","subject":"first page","toRecipients":[{"emailAddress":{"name":"Ann","address":"ann@x"}}]}]}`)
	msgs, _, err := decodePage(buf, st)
	if err != nil {
		t.Fatal(err)
	}
	want := msgs[0]
	want.To = append([]Recipient(nil), want.To...)
	copy(buf, `{"value":[{"id":"BBBB","subject":"other page","toRecipients":[{"emailAddress":{"name":"Bob","address":"bob@x"}}]}]}`)
	if _, _, err := decodePage(buf, st); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(msgs[0], want) || msgs[0].Subject != "first page" || msgs[0].To[0].Name != "Ann" {
		t.Fatalf("the first page changed: %+v", msgs[0])
	}
}

func TestParseTime(t *testing.T) {
	for _, s := range []string{"2026-03-10T14:00:00Z", "1999-12-31T23:59:59Z", "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z",
		"2026-04-31T00:00:00Z", "2026-00-10T00:00:00Z", "2026-03-00T00:00:00Z", "2026-03-10T14:60:00Z", "2026-03-10T14:00:00z",
		"2026-03-10 14:00:00Z", "+026-03-10T14:00:00Z", "2026-03-10T14:00:00.5Z", "2026-03-10T14:00:00+01:00", "", "not a date"} {
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			want = time.Time{}
		}
		if got := parseTime(s); !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("parseTime(%q) = %v, time.Parse = %v", s, got, want)
		}
	}
	if parseTime("2026-03-10T14:00:00Z") != time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC) {
		t.Error("not the same time.Time value as time.Date in UTC")
	}
}

// FuzzDecodePageMatchesEncodingJSON checks the library against
// encoding/json, on arbitrary input, through the same wire structs and
// cleaning. Inputs where an object repeats a key (in any case) are
// skipped: what wins then is a detail Graph never relies on.
func FuzzDecodePageMatchesEncodingJSON(f *testing.F) {
	f.Add([]byte(`{"value":[{"id":"a","subject":"hi","toRecipients":[{"emailAddress":{"name":"A","address":"a@x"}}]}]}`))
	f.Add([]byte(`{"value":[{"id":"a","subject":"\u001b]52;c;aGk=\u0007x","body":{"contentType":"html","content":"<p>\u001b[2Jhi</p>"}}],"@odata.nextLink":"http://x"}`))
	f.Add([]byte(`{"value":[{"subject":"Pay 100\rPay 900","lastModifiedDateTime":"not a date","from":null}]}`))
	f.Add([]byte(`{"value":[{"createdDateTime":"2026-03-10T14:00:00Z","isDraft":true,"hasAttachments":false,"ccRecipients":[null]}]}`))
	f.Add([]byte("{\"value\":[{\"subject\":\"\xff\xfe\u202e\u200bx\\ud800\"}]}"))
	f.Add([]byte(`{"value":[{"id":"a","singleValueExtendedProperties":[{"id":"SystemTime 0x3fef","value":"2026-11-27T08:00:00Z"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if repeatsKey(data) {
			return
		}
		sameAsEncodingJSON(t, data)
	})
}

// repeatsKey reports whether some object in data (valid JSON or not, as
// far as it can be read) has two keys that encoding/json would take for the
// same field.
func repeatsKey(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		keys   []string
		key    bool // the next token is a key
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		top := len(stack) - 1
		if k, ok := tok.(string); ok && top >= 0 && stack[top].object && stack[top].key {
			for _, seen := range stack[top].keys {
				if strings.EqualFold(seen, k) {
					return true
				}
			}
			stack[top].keys = append(stack[top].keys, k)
			stack[top].key = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, key: true})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:top]
			top--
		}
		if top >= 0 && stack[top].object {
			stack[top].key = true
		}
	}
}
