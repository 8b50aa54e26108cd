package graph

import (
	"strings"
	"time"

	json "github.com/goccy/go-json"
)

// Graph's message JSON is decoded by a library, github.com/goccy/go-json
// (encoding/json's API and behaviour, faster: see BENCHMARKS.md), into the
// plain wire structs below, then cleaned into Messages: every string
// through CleanLine or CleanText, recipient names and addresses interned
// across the pages of a Pager, dates read leniently (an unreadable date is
// the zero time, not a lost page). As encoding/json does, it replaces
// invalid UTF-8 and lone surrogates with U+FFFD, matches member names in
// any case, lets a repeated member win and bounds nesting (10,000 levels);
// the client bounds the size of an answer (Options.MaxBody).
// FuzzDecodePageMatchesEncodingJSON checks it against encoding/json.

// maxInterned bounds the interned names and addresses of one Pager.
const maxInterned = 8192

// wirePage is one page of a listing as Graph encodes it.
type wirePage struct {
	Value    []wireMessage `json:"value"`
	NextLink string        `json:"@odata.nextLink"`
}

// wireMessage is a message as Graph encodes it, the fields drafts selects.
type wireMessage struct {
	ID                   string          `json:"id"`
	Subject              string          `json:"subject"`
	BodyPreview          string          `json:"bodyPreview"`
	Body                 *wireBody       `json:"body"`
	From                 *wireRecipient  `json:"from"`
	ToRecipients         []wireRecipient `json:"toRecipients"`
	CcRecipients         []wireRecipient `json:"ccRecipients"`
	BccRecipients        []wireRecipient `json:"bccRecipients"`
	HasAttachments       bool            `json:"hasAttachments"`
	Importance           string          `json:"importance"`
	IsDraft              bool            `json:"isDraft"`
	CreatedDateTime      string          `json:"createdDateTime"`
	LastModifiedDateTime string          `json:"lastModifiedDateTime"`
	SentDateTime         string          `json:"sentDateTime"`
	InternetMessageID    string          `json:"internetMessageId"`
	ConversationID       string          `json:"conversationId"`
	WebLink              string          `json:"webLink"`
	ChangeKey            string          `json:"changeKey"`
	ConversationIndex    string          `json:"conversationIndex"`
	Props                []wireProp      `json:"singleValueExtendedProperties"`
}

// wireProp is one extended property a listing expands.
type wireProp struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

// wireBody is a message body.
type wireBody struct {
	ContentType string `json:"contentType"`
	Content     string `json:"content"`
}

// wireRecipient is {"emailAddress": {"name": ..., "address": ...}}.
type wireRecipient struct {
	EmailAddress struct {
		Name    string `json:"name"`
		Address string `json:"address"`
	} `json:"emailAddress"`
}

// pageState is what decoding keeps from one page of a Pager to the next:
// the recipient names and addresses seen, each cleaned once and held once
// however many drafts carry it, the wire messages of the last page (their
// array is reused; they are cleared once converted), and the buffer the
// answers are read into. Nothing decoded refers into the buffer: every
// string is a copy.
type pageState struct {
	names map[string]string // raw -> cleaned
	wire  []wireMessage
	size  int    // the page size asked for
	body  []byte // the last page's answer, whose array the next one may be read into
}

// newPageState returns the state of a Pager whose pages hold up to
// pageSize messages: the array of wire messages is made that big on the
// first page, rather than grown message by message.
func newPageState(pageSize int) *pageState {
	return &pageState{names: make(map[string]string), size: pageSize}
}

// line returns CleanLine(raw), shared with earlier equal inputs.
func (st *pageState) line(raw string) string {
	if st == nil {
		return CleanLine(raw)
	}
	if s, ok := st.names[raw]; ok {
		return s
	}
	s := CleanLine(raw)
	if len(st.names) < maxInterned {
		st.names[raw] = s
	}
	return s
}

// decodePage decodes a listing: its messages, cleaned, and its next link.
// st, if not nil, carries what the pages of a Pager share.
func decodePage(data []byte, st *pageState) ([]Message, string, error) {
	return decodePageWith(json.Unmarshal, data, st)
}

// decodePageWith is decodePage with the given JSON decoder (tests compare
// the library with encoding/json).
func decodePageWith(unmarshal func([]byte, any) error, data []byte, st *pageState) ([]Message, string, error) {
	var p wirePage
	if st != nil {
		if cap(st.wire) == 0 {
			st.wire = make([]wireMessage, 0, st.size)
		}
		p.Value = st.wire[:0]
	}
	err := unmarshal(data, &p)
	if st != nil {
		defer func() {
			clear(p.Value[:cap(p.Value)]) // hold no strings of this page
			st.wire = p.Value[:0]
		}()
	}
	if err != nil {
		return nil, "", err
	}
	var msgs []Message
	if len(p.Value) > 0 {
		msgs = make([]Message, len(p.Value))
		for i := range p.Value {
			msgs[i] = p.Value[i].message(st)
		}
	}
	return msgs, p.NextLink, nil
}

// decodeMessage decodes one message, cleaned.
func decodeMessage(data []byte) (Message, error) {
	var w wireMessage
	if err := json.Unmarshal(data, &w); err != nil {
		return Message{}, err
	}
	return w.message(nil), nil
}

// message cleans w into a Message.
func (w *wireMessage) message(st *pageState) Message {
	m := Message{
		ID:                CleanLine(w.ID),
		Subject:           CleanLine(w.Subject),
		BodyPreview:       CleanLine(w.BodyPreview),
		HasAttachments:    w.HasAttachments,
		Importance:        importance(w.Importance),
		IsDraft:           w.IsDraft,
		Created:           parseTime(w.CreatedDateTime),
		LastModified:      parseTime(w.LastModifiedDateTime),
		Sent:              parseTime(w.SentDateTime),
		InternetMessageID: CleanLine(w.InternetMessageID),
		ConversationID:    CleanLine(w.ConversationID),
		ConversationIndex: CleanLine(w.ConversationIndex),
		WebLink:           CleanLine(w.WebLink),
		ChangeKey:         CleanLine(w.ChangeKey),
	}
	if w.From != nil {
		m.From = w.From.recipient(st)
	}
	m.To, m.Cc, m.Bcc = recipients(st, w.ToRecipients, w.CcRecipients, w.BccRecipients)
	var icon, inReplyTo string
	for _, p := range w.Props {
		switch {
		case strings.EqualFold(p.ID, DeferredSendProperty):
			m.DeferredUntil = parseTime(p.Value)
		case strings.EqualFold(p.ID, IconIndexProperty):
			icon = p.Value
		case strings.EqualFold(p.ID, InReplyToProperty):
			inReplyTo = p.Value
			m.InReplyTo = CleanLine(p.Value)
		}
	}
	m.Kind = kindOf(w.ConversationIndex, icon, inReplyTo)
	if w.Body != nil {
		m.HasBody = true
		if strings.EqualFold(w.Body.ContentType, "html") {
			m.Body = HTMLToText(w.Body.Content)
		} else {
			m.Body = CleanText(w.Body.Content)
		}
	}
	return m
}

func (w *wireRecipient) recipient(st *pageState) Recipient {
	return Recipient{Name: st.line(w.EmailAddress.Name), Address: st.line(w.EmailAddress.Address)}
}

// recipients converts the three recipient lists, sharing one allocation;
// an empty list is nil.
func recipients(st *pageState, lists ...[]wireRecipient) (to, cc, bcc []Recipient) {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	if n == 0 {
		return nil, nil, nil
	}
	all := make([]Recipient, 0, n)
	var out [3][]Recipient
	for i, l := range lists {
		start := len(all)
		for j := range l {
			all = append(all, l[j].recipient(st))
		}
		if len(all) > start {
			out[i] = all[start:len(all):len(all)]
		}
	}
	return out[0], out[1], out[2]
}

// importance lower-cases and cleans Graph's importance; the three values
// Graph uses are the package's constants, held by no message.
func importance(s string) Importance {
	switch s {
	case "normal":
		return ImportanceNormal
	case "low":
		return ImportanceLow
	case "high":
		return ImportanceHigh
	}
	return Importance(strings.ToLower(CleanLine(s)))
}

// parseTime reads Graph's UTC timestamps, "2006-01-02T15:04:05Z" quickly,
// other RFC 3339 forms through time.Parse. Anything unreadable is the zero
// time rather than an error that would lose the whole page.
func parseTime(s string) time.Time {
	if len(s) == 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z' {
		y, ok1 := digits(s[0:4])
		mo, ok2 := digits(s[5:7])
		dd, ok3 := digits(s[8:10])
		h, ok4 := digits(s[11:13])
		mi, ok5 := digits(s[14:16])
		sec, ok6 := digits(s[17:19])
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && mo >= 1 && mo <= 12 && dd >= 1 && h < 24 && mi < 60 && sec < 60 {
			t := time.Date(y, time.Month(mo), dd, h, mi, sec, 0, time.UTC)
			if t.Day() == dd { // not 31 April, which time.Date would roll over
				return t
			}
		}
	}
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
