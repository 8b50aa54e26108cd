package emulator

import (
	"strings"
	"time"
)

// Kinds of filterable property.
const (
	kindString = iota
	kindBool
	kindDate
)

var kindNames = [...]string{kindString: "Edm.String", kindBool: "Edm.Boolean", kindDate: "Edm.DateTimeOffset"}

// filterProp is a property $filter can test, with the reader of its value for its kind. r is
// the recipient bound by any() (nil outside one).
type filterProp struct {
	name string
	kind int
	str  func(it *item, r *Recipient) string
	b    func(m *Message) bool
	t    func(m *Message) *time.Time
}

func strProp(name string, get func(m *Message) string) filterProp {
	return filterProp{name: name, kind: kindString, str: func(it *item, _ *Recipient) string { return get(&it.msg) }}
}

func boolProp(name string, get func(m *Message) bool) filterProp {
	return filterProp{name: name, kind: kindBool, b: get}
}

func dateProp(name string, get func(m *Message) *time.Time) filterProp {
	return filterProp{name: name, kind: kindDate, t: get}
}

// addressOf returns a recipient's address or name ("" for none).
func addressOf(r *Recipient, name bool) string {
	switch {
	case r == nil:
		return ""
	case name:
		return r.EmailAddress.Name
	}
	return r.EmailAddress.Address
}

// filterProps are the message properties and paths $filter supports, by lower-case name.
var filterProps = map[string]filterProp{
	"internetmessageid":         strProp("internetMessageId", func(m *Message) string { return m.InternetMessageID }),
	"conversationid":            strProp("conversationId", func(m *Message) string { return m.ConversationID }),
	"subject":                   strProp("subject", func(m *Message) string { return m.Subject }),
	"importance":                strProp("importance", func(m *Message) string { return m.Importance }),
	"from/emailaddress/address": strProp("from", func(m *Message) string { return addressOf(m.From, false) }),
	"from/emailaddress/name":    strProp("from", func(m *Message) string { return addressOf(m.From, true) }),
	"sender/emailaddress/address": strProp("sender", func(m *Message) string {
		return addressOf(m.Sender, false)
	}),
	"sender/emailaddress/name": strProp("sender", func(m *Message) string { return addressOf(m.Sender, true) }),
	"isdraft":                  boolProp("isDraft", func(m *Message) bool { return m.IsDraft }),
	"isread":                   boolProp("isRead", func(m *Message) bool { return m.IsRead }),
	"hasattachments":           boolProp("hasAttachments", func(m *Message) bool { return m.HasAttachments }),
	"createddatetime":          dateProp("createdDateTime", func(m *Message) *time.Time { return &m.CreatedDateTime }),
	"lastmodifieddatetime":     dateProp("lastModifiedDateTime", func(m *Message) *time.Time { return &m.LastModifiedDateTime }),
	"receiveddatetime":         dateProp("receivedDateTime", func(m *Message) *time.Time { return &m.ReceivedDateTime }),
	"sentdatetime":             dateProp("sentDateTime", func(m *Message) *time.Time { return m.SentDateTime }),
}

// recipientProps are the paths under an any() variable ("r/emailAddress/address").
var recipientProps = map[string]filterProp{
	"emailaddress/address": {name: "emailAddress/address", kind: kindString, str: func(_ *item, r *Recipient) string { return addressOf(r, false) }},
	"emailaddress/name":    {name: "emailAddress/name", kind: kindString, str: func(_ *item, r *Recipient) string { return addressOf(r, true) }},
}

// recipientLists are the collections any() ranges over, by lower-case name.
var recipientLists = map[string]struct {
	name string
	get  func(m *Message) []Recipient
}{
	"torecipients":  {"toRecipients", func(m *Message) []Recipient { return m.ToRecipients }},
	"ccrecipients":  {"ccRecipients", func(m *Message) []Recipient { return m.CcRecipients }},
	"bccrecipients": {"bccRecipients", func(m *Message) []Recipient { return m.BccRecipients }},
}

// opNames maps OData comparison operators to the names OData uses in error messages.
var opNames = map[string]string{
	"eq": "Equal", "ne": "NotEqual", "gt": "GreaterThan", "ge": "GreaterThanOrEqual", "lt": "LessThan", "le": "LessThanOrEqual",
}

// clause is one comparison "prop op literal".
type clause struct {
	prop filterProp
	op   string
	str  string
	b    bool
	t    time.Time
	null bool
}

// setLiteral checks the literal's type against the property's and stores its value.
func (cl *clause) setLiteral(lit token) *apiError {
	litKind := kindString
	switch {
	case lit.quoted:
		cl.str = lit.text
	case strings.EqualFold(lit.text, "null"):
		cl.null = true
		return nil
	case lit.text == "true" || lit.text == "false":
		litKind = kindBool
		cl.b = lit.text == "true"
	default:
		t, err := time.Parse(time.RFC3339, lit.text)
		if err != nil {
			return errFilter("the literal '%s' is not valid.", lit.text)
		}
		litKind = kindDate
		cl.t = t
	}
	if litKind != cl.prop.kind {
		return errFilter("A binary operator with incompatible types was detected. Found operand types '%s' and '%s' for operator kind '%s'.",
			kindNames[cl.prop.kind], kindNames[litKind], opNames[cl.op])
	}
	return nil
}

func (cl *clause) eval(it *item, r *Recipient) bool {
	switch cl.prop.kind {
	case kindString:
		v := cl.prop.str(it, r)
		if cl.null {
			return (cl.op == "eq") == (v == "")
		}
		return strings.EqualFold(v, cl.str) == (cl.op == "eq")
	case kindBool:
		if cl.null {
			return cl.op == "ne"
		}
		return (cl.prop.b(&it.msg) == cl.b) == (cl.op == "eq")
	}
	t := cl.prop.t(&it.msg)
	if cl.null {
		return (t == nil) == (cl.op == "eq")
	}
	if t == nil {
		return cl.op == "ne"
	}
	c := t.Compare(cl.t)
	switch cl.op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	}
	return c <= 0
}
