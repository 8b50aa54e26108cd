package graph

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// This file decodes Graph's message JSON straight into cleaned Messages.
//
// encoding/json took four fifths of the client's time listing a large
// mailbox: it validates the whole input in one pass, then decodes it with
// reflection in a second, allocating every string, and toMessage copied the
// result once more. wireDecoder reads the input once, for exactly the shapes
// Graph sends (a page of messages, or one message), and:
//
//   - keeps all the strings of one message (id, subject, preview, ids) in one
//     allocation, sliced afterwards, instead of one allocation each;
//   - interns recipient names and addresses across the pages of a Pager
//     (a mailbox writes to the same people again and again), cleaned once;
//   - parses Graph's dates without allocating.
//
// It accepts and rejects the same inputs as encoding/json, which it
// replaces, and produces the same Messages as decoding into the former
// wire structs and converting with CleanLine/CleanText (a fuzz test
// checks both against encoding/json). Two deliberate simplifications, for
// input Graph never sends: when an object repeats a key whose value is an
// object or an array, the last one wins whole (encoding/json merges them),
// and a repeated "value" array replaces the earlier one.

// maxDepth bounds the nesting of skipped values, as encoding/json does, so
// hostile input cannot exhaust the stack.
const maxDepth = 10000

// maxInterned bounds the interned names and addresses of one Pager.
const maxInterned = 8192

// errJSON is the cause of every syntax or type error; the message says where.
var errJSON = errors.New("invalid JSON")

// wireDecoder reads one JSON document. After the first error every read is
// a no-op and err says what went wrong.
type wireDecoder struct {
	b     []byte
	i     int
	depth int
	err   error

	key   []byte       // the key of the current object member
	buf   []byte       // the strings of the message being read
	tmp   []byte       // a decoded string that is used at once (dates, names, skipped strings)
	rcpts []wireRcpt   // the recipients of the message being read
	st    *pageState   // what the pages of a Pager share; may be nil
	span  [nSpans]span // where each string field of the message is in buf
}

// span is a string field's place in wireDecoder.buf.
type span struct{ start, end int }

// The string fields kept in a message's one allocation.
const (
	spanID = iota
	spanSubject
	spanPreview
	spanImportance
	spanIMID
	spanConversation
	spanWebLink
	spanChangeKey
	nSpans
)

// wireRcpt is one decoded recipient and the list it belongs to.
type wireRcpt struct {
	list int // 0 to, 1 cc, 2 bcc
	r    Recipient
}

// pageState is what the decoder keeps from one page of a Pager to the
// next: the recipient names and addresses seen, each cleaned once and held
// once however many drafts carry it, the slice the messages of a page are
// collected in before they are copied out at their exact size, and the
// buffer the answers are read into. Nothing decoded refers into the buffer
// or the slice: every string is a copy.
type pageState struct {
	names   map[string]string // raw bytes -> cleaned string
	scratch []Message
	body    []byte // the last page's answer, whose array the next one may be read into
}

func newPageState() *pageState { return &pageState{names: make(map[string]string)} }

// line returns CleanLine(string(raw)), shared with earlier equal inputs.
func (st *pageState) line(raw []byte) string {
	if st == nil {
		return CleanLine(string(raw))
	}
	if s, ok := st.names[string(raw)]; ok { // no allocation for the lookup
		return s
	}
	s := CleanLine(string(raw))
	if len(st.names) < maxInterned {
		st.names[string(raw)] = s
	}
	return s
}

// Field names of the objects read, as indexes into the name tables.
var (
	pageKeys = []string{"value", "@odata.nextLink"}

	messageKeys = []string{"id", "subject", "bodyPreview", "importance", "internetMessageId",
		"conversationId", "webLink", "changeKey", "createdDateTime", "lastModifiedDateTime", "sentDateTime",
		"hasAttachments", "isDraft", "from", "toRecipients", "ccRecipients", "bccRecipients", "body",
		"singleValueExtendedProperties"}

	propKeys = []string{"id", "value"}

	bodyKeys      = []string{"contentType", "content"}
	recipientKeys = []string{"emailAddress"}
	addressKeys   = []string{"name", "address"}
)

// Indexes into messageKeys past the string fields (which share the span
// constants).
const (
	keyCreated = nSpans + iota
	keyModified
	keySent
	keyHasAttachments
	keyIsDraft
	keyFrom
	keyTo
	keyCc
	keyBcc
	keyBody
	keyProps
)

// decodePage decodes a listing: its messages, cleaned, and its next link.
func decodePage(data []byte, st *pageState) ([]Message, string, error) {
	d := wireDecoder{b: data, st: st}
	var msgs []Message
	next := ""
	if d.document() {
		for first := true; d.field(&first); {
			switch d.lookup(pageKeys) {
			case 0:
				msgs = d.messages()
			case 1:
				if s, ok := d.stringOrNull(); ok {
					next = string(s)
				}
			default:
				d.skip()
			}
		}
	}
	d.end()
	if d.err != nil {
		return nil, "", d.err
	}
	return msgs, next, nil
}

// decodeMessage decodes one message, cleaned.
func decodeMessage(data []byte) (Message, error) {
	d := wireDecoder{b: data}
	var m Message
	if d.document() {
		m = d.message()
	}
	d.end()
	if d.err != nil {
		return Message{}, d.err
	}
	return m, nil
}

// document starts the top-level value and reports whether it is an object
// (and its opening brace was read); null is an empty document, anything
// else an error.
func (d *wireDecoder) document() bool {
	d.ws()
	switch d.peek() {
	case '{':
		return true
	case 'n':
		d.literal("null")
	default:
		d.expectValueType("an object")
	}
	return false
}

// end checks that nothing but whitespace follows the top-level value.
func (d *wireDecoder) end() {
	d.ws()
	if d.err == nil && d.i < len(d.b) {
		d.fail("invalid character %s after top-level value", quoteChar(d.b[d.i]))
	}
}

// messages reads the "value" array; null is no messages. The result has
// exactly the length and capacity it needs.
func (d *wireDecoder) messages() []Message {
	if d.null() {
		return nil
	}
	if d.peek() != '[' {
		d.expectValueType("an array")
		return nil
	}
	var msgs []Message
	if d.st != nil {
		msgs = d.st.scratch[:0]
	}
	for first := true; d.elem(&first); {
		switch d.peek() {
		case 'n':
			d.literal("null")
			msgs = append(msgs, Message{})
		case '{':
			msgs = append(msgs, d.message())
		default:
			d.expectValueType("an object")
		}
	}
	out := make([]Message, len(msgs))
	copy(out, msgs)
	if d.st != nil {
		clear(msgs) // hold no strings of this page
		d.st.scratch = msgs[:0]
	}
	return out
}

// message reads one message object into a cleaned Message.
func (d *wireDecoder) message() Message {
	var m Message
	d.buf = d.buf[:0]
	d.rcpts = d.rcpts[:0]
	d.span = [nSpans]span{}
	var body *wireBody
	for first := true; d.field(&first); {
		switch k := d.lookup(messageKeys); k {
		case spanID, spanSubject, spanPreview, spanImportance, spanIMID, spanConversation, spanWebLink, spanChangeKey:
			d.spanString(k)
		case keyCreated:
			d.date(&m.Created)
		case keyModified:
			d.date(&m.LastModified)
		case keySent:
			d.date(&m.Sent)
		case keyHasAttachments:
			d.boolean(&m.HasAttachments)
		case keyIsDraft:
			d.boolean(&m.IsDraft)
		case keyFrom:
			if d.null() {
				m.From = Recipient{}
				continue
			}
			m.From = d.recipient()
		case keyTo, keyCc, keyBcc:
			d.recipients(k - keyTo)
		case keyBody:
			if d.null() {
				body = nil
				continue
			}
			body = d.body()
		case keyProps:
			m.DeferredUntil = d.deferredSend()
		default:
			d.skip()
		}
	}
	if d.err != nil {
		return Message{}
	}
	// One allocation for every string of the message; cleaning returns
	// the very substring when it is clean, as it nearly always is.
	all := string(d.buf)
	field := func(k int) string { return CleanLine(all[d.span[k].start:d.span[k].end]) }
	m.ID = field(spanID)
	m.Subject = field(spanSubject)
	m.BodyPreview = field(spanPreview)
	m.Importance = Importance(strings.ToLower(field(spanImportance)))
	m.InternetMessageID = field(spanIMID)
	m.ConversationID = field(spanConversation)
	m.WebLink = field(spanWebLink)
	m.ChangeKey = field(spanChangeKey)
	m.To, m.Cc, m.Bcc = d.splitRecipients()
	if body != nil {
		m.HasBody = true
		if strings.EqualFold(body.ContentType, "html") {
			m.Body = HTMLToText(body.Content)
		} else {
			m.Body = CleanText(body.Content)
		}
	}
	return m
}

// deferredSend reads the singleValueExtendedProperties array a listing
// expands and returns the value of the deferred-send time in it (the last
// one, if repeated), or the zero time. Other properties are skipped.
func (d *wireDecoder) deferredSend() time.Time {
	var at time.Time
	if d.null() {
		return at
	}
	if d.peek() != '[' {
		d.expectValueType("an array")
		return at
	}
	for first := true; d.elem(&first); {
		if d.null() {
			continue
		}
		if d.peek() != '{' {
			d.expectValueType("an object")
			continue
		}
		var id, value []byte
		for first := true; d.field(&first); {
			switch d.lookup(propKeys) {
			case 0:
				if s, ok := d.stringOrNull(); ok {
					id = append(id[:0], s...)
				}
			case 1:
				if s, ok := d.stringOrNull(); ok {
					value = append(value[:0], s...)
				}
			default:
				d.skip()
			}
		}
		if bytes.EqualFold(id, []byte(DeferredSendProperty)) {
			at = parseTimeBytes(value)
		}
	}
	return at
}

// wireBody is a message body as Graph encodes it.
type wireBody struct {
	ContentType string
	Content     string
}

// body reads {"contentType": ..., "content": ...}.
func (d *wireDecoder) body() *wireBody {
	if d.peek() != '{' {
		d.expectValueType("an object")
		return nil
	}
	b := &wireBody{}
	for first := true; d.field(&first); {
		switch d.lookup(bodyKeys) {
		case 0:
			if s, ok := d.stringOrNull(); ok {
				b.ContentType = string(s)
			}
		case 1:
			if s, ok := d.stringOrNull(); ok {
				b.Content = string(s)
			}
		default:
			d.skip()
		}
	}
	return b
}

// recipients reads a recipient array into d.rcpts for list; the last
// occurrence of a list wins.
func (d *wireDecoder) recipients(list int) {
	kept := d.rcpts[:0]
	for _, r := range d.rcpts {
		if r.list != list {
			kept = append(kept, r)
		}
	}
	d.rcpts = kept
	if d.null() {
		return
	}
	if d.peek() != '[' {
		d.expectValueType("an array")
		return
	}
	for first := true; d.elem(&first); {
		if d.null() {
			d.rcpts = append(d.rcpts, wireRcpt{list: list})
			continue
		}
		d.rcpts = append(d.rcpts, wireRcpt{list: list, r: d.recipient()})
	}
}

// splitRecipients turns d.rcpts into the To, Cc and Bcc slices, sharing
// one allocation; an empty list is nil.
func (d *wireDecoder) splitRecipients() (to, cc, bcc []Recipient) {
	if len(d.rcpts) == 0 {
		return nil, nil, nil
	}
	all := make([]Recipient, 0, len(d.rcpts))
	var lists [3][]Recipient
	for l := range 3 {
		start := len(all)
		for _, r := range d.rcpts {
			if r.list == l {
				all = append(all, r.r)
			}
		}
		if len(all) > start {
			lists[l] = all[start:len(all):len(all)]
		}
	}
	return lists[0], lists[1], lists[2]
}

// recipient reads {"emailAddress": {"name": ..., "address": ...}}.
func (d *wireDecoder) recipient() Recipient {
	var r Recipient
	if d.peek() != '{' {
		d.expectValueType("an object")
		return r
	}
	for first := true; d.field(&first); {
		if d.lookup(recipientKeys) != 0 {
			d.skip()
			continue
		}
		if d.null() {
			continue
		}
		if d.peek() != '{' {
			d.expectValueType("an object")
			continue
		}
		for first := true; d.field(&first); {
			switch d.lookup(addressKeys) {
			case 0:
				if s, ok := d.stringOrNull(); ok {
					r.Name = d.st.line(s)
				}
			case 1:
				if s, ok := d.stringOrNull(); ok {
					r.Address = d.st.line(s)
				}
			default:
				d.skip()
			}
		}
	}
	return r
}

// spanString reads a string field of the message into buf; null leaves
// the field as it was, as encoding/json does.
func (d *wireDecoder) spanString(k int) {
	if d.null() {
		return
	}
	if d.peek() != '"' {
		d.expectValueType("a string")
		return
	}
	start := len(d.buf)
	d.buf = d.appendString(d.buf)
	d.span[k] = span{start: start, end: len(d.buf)}
}

// date reads a timestamp; an unreadable one is the zero time.
func (d *wireDecoder) date(t *time.Time) {
	if s, ok := d.stringOrNull(); ok {
		*t = parseTimeBytes(s)
	}
}

// boolean reads true or false; null leaves *b as it was.
func (d *wireDecoder) boolean(b *bool) {
	switch d.peek() {
	case 't':
		d.literal("true")
		*b = true
	case 'f':
		d.literal("false")
		*b = false
	case 'n':
		d.literal("null")
	default:
		d.expectValueType("a boolean")
	}
}

// stringOrNull reads a string into d.tmp (valid until the next read) and
// reports true, or reads null and reports false.
func (d *wireDecoder) stringOrNull() ([]byte, bool) {
	if d.null() {
		return nil, false
	}
	if d.peek() != '"' {
		d.expectValueType("a string")
		return nil, false
	}
	d.tmp = d.appendString(d.tmp[:0])
	return d.tmp, d.err == nil
}

// null reads null if it comes next.
func (d *wireDecoder) null() bool {
	if d.peek() != 'n' {
		return false
	}
	d.literal("null")
	return true
}

// expectValueType fails for a value of the wrong type, after checking that
// it is at least valid JSON (a syntax error is reported first, as
// encoding/json does).
func (d *wireDecoder) expectValueType(want string) {
	if d.err != nil {
		return
	}
	c := d.peek()
	d.skip()
	if d.err == nil {
		d.fail("cannot use %s as %s", describeValue(c), want)
	}
}

func describeValue(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// field moves to the next member of an object whose opening brace is next
// (first) or was read, leaving its key in d.key and the reader at its
// value, which the caller must consume. It reports false after the
// closing brace, or on an error.
func (d *wireDecoder) field(first *bool) bool {
	if d.err != nil {
		return false
	}
	d.ws()
	if *first {
		*first = false
		if !d.enter('{') {
			return false
		}
		d.ws()
		if d.peek() == '}' {
			d.i++
			d.depth--
			return false
		}
	} else {
		switch d.peek() {
		case ',':
			d.i++
			d.ws()
		case '}':
			d.i++
			d.depth--
			return false
		default:
			d.syntax("after object key:value pair")
			return false
		}
	}
	if d.peek() != '"' {
		d.syntax("looking for beginning of object key string")
		return false
	}
	d.key = d.appendString(d.key[:0])
	d.ws()
	if d.peek() != ':' {
		d.syntax("after object key")
		return false
	}
	d.i++
	d.ws()
	return d.err == nil
}

// elem moves to the next element of an array whose opening bracket is next
// (first) or was read, leaving the reader at the element, which the caller
// must consume. It reports false after the closing bracket, or on an error.
func (d *wireDecoder) elem(first *bool) bool {
	if d.err != nil {
		return false
	}
	d.ws()
	if *first {
		*first = false
		if !d.enter('[') {
			return false
		}
		d.ws()
		if d.peek() == ']' {
			d.i++
			d.depth--
			return false
		}
		return true
	}
	switch d.peek() {
	case ',':
		d.i++
		d.ws()
		return d.err == nil
	case ']':
		d.i++
		d.depth--
		return false
	}
	d.syntax("after array element")
	return false
}

// lookup returns the index in names of the current key, or -1: an exact
// match first, else one in another case, as encoding/json matches field
// names.
func (d *wireDecoder) lookup(names []string) int {
	for i, n := range names {
		if string(d.key) == n {
			return i
		}
	}
	ascii := true
	for _, c := range d.key {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	for i, n := range names {
		if (!ascii || len(n) == len(d.key)) && bytes.EqualFold(d.key, []byte(n)) {
			return i
		}
	}
	return -1
}

// enter consumes the opening bracket c of an object or array.
func (d *wireDecoder) enter(c byte) bool {
	if d.err != nil {
		return false
	}
	if d.peek() != c {
		d.syntax("looking for beginning of value")
		return false
	}
	d.depth++
	if d.depth > maxDepth {
		d.fail("exceeded max depth")
		return false
	}
	d.i++
	return true
}

// skip reads and discards any value, checking its syntax.
func (d *wireDecoder) skip() {
	d.ws()
	switch d.peek() {
	case '{':
		for first := true; d.field(&first); {
			d.skip()
		}
	case '[':
		for first := true; d.elem(&first); {
			d.skip()
		}
	case '"':
		d.tmp = d.appendString(d.tmp[:0])
	case 't':
		d.literal("true")
	case 'f':
		d.literal("false")
	case 'n':
		d.literal("null")
	default:
		d.number()
	}
}

// number reads a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *wireDecoder) number() {
	if d.err != nil {
		return
	}
	b, i := d.b, d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	default:
		d.i = i
		d.syntax("in numeric literal")
		return
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || !isDigit(b[i]) {
			d.i = i
			d.syntax("after decimal point in numeric literal")
			return
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			d.i = i
			d.syntax("in exponent of numeric literal")
			return
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	d.i = i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// literal reads the exact word lit (true, false or null).
func (d *wireDecoder) literal(lit string) {
	if d.err != nil {
		return
	}
	if len(d.b)-d.i >= len(lit) && string(d.b[d.i:d.i+len(lit)]) == lit {
		d.i += len(lit)
		return
	}
	for j := 0; j < len(lit); j++ {
		if d.i+j >= len(d.b) || d.b[d.i+j] != lit[j] {
			d.i += j
			d.syntax("in literal " + lit)
			return
		}
	}
}

// appendString reads a JSON string at d.i and appends its decoded bytes to
// dst: escapes resolved, invalid UTF-8 and lone surrogates as U+FFFD, like
// encoding/json.
func (d *wireDecoder) appendString(dst []byte) []byte {
	if d.err != nil {
		return dst
	}
	b := d.b
	i := d.i + 1 // after the opening quote
	// The common case: no escapes and valid UTF-8 up to the closing quote.
	start := i
	var high byte
	for i < len(b) && plainByte[b[i]] {
		high |= b[i]
		i++
	}
	if i < len(b) && b[i] == '"' && (high < utf8.RuneSelf || utf8.Valid(b[start:i])) {
		d.i = i + 1
		return append(dst, b[start:i]...)
	}
	i = start
	for i < len(b) && b[i] >= 0x20 && b[i] < utf8.RuneSelf && b[i] != '"' && b[i] != '\\' {
		i++
	}
	dst = append(dst, b[start:i]...)
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			d.i = i + 1
			return dst
		case c < 0x20:
			d.i = i
			d.syntax("in string literal")
			return dst
		case c == '\\':
			if i+1 >= len(b) {
				d.i = len(b)
				d.syntax("in string escape code")
				return dst
			}
			switch e := b[i+1]; e {
			case '"', '\\', '/':
				dst = append(dst, e)
				i += 2
			case 'b':
				dst = append(dst, '\b')
				i += 2
			case 'f':
				dst = append(dst, '\f')
				i += 2
			case 'n':
				dst = append(dst, '\n')
				i += 2
			case 'r':
				dst = append(dst, '\r')
				i += 2
			case 't':
				dst = append(dst, '\t')
				i += 2
			case 'u':
				r := hex4(b, i+2)
				if r < 0 {
					d.i = min(i+2, len(b))
					d.syntax("in \\u hexadecimal character escape")
					return dst
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if r2 := unicodeEscape(b, i); r2 >= 0 {
						if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
							dst = utf8.AppendRune(dst, pair)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				dst = utf8.AppendRune(dst, r)
			default:
				d.i = i + 1
				d.syntax("in string escape code")
				return dst
			}
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, "\uFFFD"...)
			} else {
				dst = append(dst, b[i:i+size]...)
			}
			i += size
		}
	}
	d.i = len(b)
	d.fail("unexpected end of JSON input")
	return dst
}

// plainByte marks the bytes a string can hold as they are: not the quote,
// the backslash or a control character.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// hex4 reads four hex digits at b[i:], or returns -1.
func hex4(b []byte, i int) rune {
	if i+4 > len(b) {
		return -1
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// unicodeEscape reads "\uXXXX" at b[i:], or returns -1.
func unicodeEscape(b []byte, i int) rune {
	if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
		return -1
	}
	return hex4(b, i+2)
}

// ws skips JSON whitespace.
func (d *wireDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next byte, or 0 at the end or after an error.
func (d *wireDecoder) peek() byte {
	if d.err != nil || d.i >= len(d.b) {
		return 0
	}
	return d.b[d.i]
}

// syntax fails with the character at d.i, or with the end of the input.
func (d *wireDecoder) syntax(context string) {
	if d.i >= len(d.b) {
		d.fail("unexpected end of JSON input")
		return
	}
	d.fail("invalid character %s %s", quoteChar(d.b[d.i]), context)
}

func (d *wireDecoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s (at byte %d)", errJSON, fmt.Sprintf(format, args...), d.i)
	}
}

// quoteChar formats c as encoding/json does in its errors.
func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := fmt.Sprintf("%q", string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// parseTimeBytes reads Graph's UTC timestamps, "2006-01-02T15:04:05Z",
// without allocating; other forms go through parseTime. Anything unreadable
// is the zero time.
func parseTimeBytes(b []byte) time.Time {
	if len(b) == 20 && b[4] == '-' && b[7] == '-' && b[10] == 'T' && b[13] == ':' && b[16] == ':' && b[19] == 'Z' {
		y, ok1 := digits(b[0:4])
		mo, ok2 := digits(b[5:7])
		dd, ok3 := digits(b[8:10])
		h, ok4 := digits(b[11:13])
		mi, ok5 := digits(b[14:16])
		s, ok6 := digits(b[17:19])
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && mo >= 1 && mo <= 12 && dd >= 1 && h < 24 && mi < 60 && s < 60 {
			t := time.Date(y, time.Month(mo), dd, h, mi, s, 0, time.UTC)
			if t.Day() == dd { // not 31 April, which time.Date would roll over
				return t
			}
		}
	}
	return parseTime(string(b))
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
