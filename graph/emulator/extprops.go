package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Single-value extended properties: MAPI properties a client reads and
// writes through Graph by id, as "{type} 0x{tag}" (e.g. "SystemTime 0x3FEF",
// Outlook's deferred-send time). Ids are matched in any case; Graph answers
// them with the type's own spelling and the tag in lower case.

// deferredSendID is PidTagDeferredSendTime as Graph spells it back.
const deferredSendID = "SystemTime 0x3fef"

// ExtendedProperty is one single-value extended property of a message.
type ExtendedProperty struct {
	ID    string // normalized: "SystemTime 0x3fef"
	Value string // as stored; a SystemTime in UTC, "2006-01-02T15:04:05Z"
}

// mapiTypes are the property types of single-value extended properties.
var mapiTypes = []string{"Binary", "Boolean", "Currency", "Double", "Float", "Integer", "Long", "Short", "SystemTime", "String", "Guid", "Object"}

// normalizePropID returns id as Graph spells it back, or false when it is
// not "{type} 0x{tag}" or "{type} {guid} Name|Id {name}".
func normalizePropID(id string) (string, bool) {
	typ, rest, ok := strings.Cut(strings.TrimSpace(id), " ")
	if !ok || rest == "" {
		return "", false
	}
	canon := ""
	for _, t := range mapiTypes {
		if strings.EqualFold(t, typ) {
			canon = t
		}
	}
	if canon == "" {
		return "", false
	}
	if strings.HasPrefix(strings.ToLower(rest), "0x") {
		tag := strings.ToLower(rest)
		if len(tag) < 3 || len(tag) > 6 || strings.Trim(tag[2:], "0123456789abcdef") != "" {
			return "", false
		}
		return canon + " " + tag, true
	}
	return canon + " " + rest, true // a named property: kept as given
}

// readProps checks the singleValueExtendedProperties of a POST or PATCH
// body and returns them normalized.
func readProps(in []ExtendedProperty) ([]ExtendedProperty, *apiError) {
	out := make([]ExtendedProperty, 0, len(in))
	for _, p := range in {
		id, ok := normalizePropID(p.ID)
		if !ok {
			return nil, newError(http.StatusBadRequest, "ErrorInvalidExtendedPropertyValue",
				"The extended property id '%s' is not valid.", p.ID)
		}
		if strings.HasPrefix(id, "SystemTime ") {
			t, err := time.Parse(time.RFC3339Nano, p.Value)
			if err != nil {
				return nil, newError(http.StatusBadRequest, "ErrorInvalidExtendedPropertyValue",
					"The value '%s' of extended property '%s' is not a valid SystemTime.", p.Value, p.ID)
			}
			p.Value = t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
		}
		out = append(out, ExtendedProperty{ID: id, Value: p.Value})
	}
	return out, nil
}

// setProps stores props on m, replacing those with the same id.
func setProps(m *Message, props []ExtendedProperty) {
	for _, p := range props {
		replaced := false
		for i := range m.ExtendedProperties {
			if strings.EqualFold(m.ExtendedProperties[i].ID, p.ID) {
				m.ExtendedProperties[i] = p
				replaced = true
			}
		}
		if !replaced {
			m.ExtendedProperties = append(m.ExtendedProperties, p)
		}
	}
}

// deferredUntil is the message's deferred-send time, or zero.
func (m *Message) deferredUntil() time.Time {
	for _, p := range m.ExtendedProperties {
		if strings.EqualFold(p.ID, deferredSendID) {
			t, _ := time.Parse(time.RFC3339, p.Value)
			return t
		}
	}
	return time.Time{}
}

// expansion is a parsed $expand: singleValueExtendedProperties with a $filter on ids, and
// attachments, with or without a nested $select ($expand=attachments($select=name,size)).
type expansion struct {
	props       []string // extended property ids asked for; nil = not expanded
	attachments bool
	attSel      *attSelect
}

// parseExpand reads $expand: a comma-separated list of singleValueExtendedProperties($filter=id
// eq '…' or …) and attachments[($select=…)].
func parseExpand(v string) (*expansion, *apiError) {
	bad := func() (*expansion, *apiError) {
		return nil, newError(http.StatusBadRequest, "BadRequest",
			"Parsing OData Select and Expand failed: the expansion '%s' is not supported.", v)
	}
	ex := &expansion{}
	for _, part := range splitTopLevel(v) {
		part = strings.TrimSpace(part)
		name, inner, nested := part, "", false
		if open := strings.IndexByte(part, '('); open >= 0 {
			if !strings.HasSuffix(part, ")") {
				return bad()
			}
			name, inner, nested = strings.TrimSpace(part[:open]), strings.TrimSpace(part[open+1:len(part)-1]), true
		}
		switch strings.ToLower(name) {
		case "singlevalueextendedproperties":
			if !nested {
				return bad()
			}
			ids, ok := parseIDFilter(inner)
			if !ok {
				return bad()
			}
			ex.props = append(ex.props, ids...)
		case "attachments":
			ex.attachments = true
			if nested && inner != "" {
				opt, val, ok := strings.Cut(inner, "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(opt), "$select") {
					return bad()
				}
				sel, e := parseAttSelect(val)
				if e != nil {
					return nil, e
				}
				ex.attSel = sel
			}
		default:
			return bad()
		}
	}
	return ex, nil
}

// splitTopLevel splits v on the commas outside parentheses.
func splitTopLevel(v string) []string {
	var out []string
	depth, from := 0, 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, v[from:i])
				from = i + 1
			}
		}
	}
	return append(out, v[from:])
}

// parseIDFilter reads "$filter=id eq '…' or id eq '…'" and returns the normalized ids.
func parseIDFilter(inner string) ([]string, bool) {
	opt, expr, ok := strings.Cut(inner, "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(opt), "$filter") {
		return nil, false
	}
	var ids []string
	for _, term := range splitOr(expr) {
		f := strings.Fields(term)
		if len(f) < 3 || !strings.EqualFold(f[0], "id") || !strings.EqualFold(f[1], "eq") {
			return nil, false
		}
		lit := strings.TrimSpace(strings.Join(f[2:], " "))
		if len(lit) < 2 || lit[0] != '\'' || lit[len(lit)-1] != '\'' {
			return nil, false
		}
		id, ok := normalizePropID(strings.ReplaceAll(lit[1:len(lit)-1], "''", "'"))
		if !ok {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

// splitOr splits a filter on " or " in any case.
func splitOr(expr string) []string {
	var out []string
	for {
		i := strings.Index(strings.ToLower(expr), " or ")
		if i < 0 {
			return append(out, expr)
		}
		out = append(out, expr[:i])
		expr = expr[i+4:]
	}
}

// appendExpanded adds what ex expands of it to the message JSON in b (which ends with its
// closing brace). A message without any of the properties asked for has no
// singleValueExtendedProperties member, as in Graph; expanded attachments are always there,
// with their @odata.context (meta is the "…/$metadata#users('…')" the context starts with).
func appendExpanded(b []byte, it *item, ex *expansion, meta string) []byte {
	var props []ExtendedProperty
	for _, p := range it.msg.ExtendedProperties {
		for _, id := range ex.props {
			if strings.EqualFold(p.ID, id) {
				props = append(props, p)
				break
			}
		}
	}
	if len(props) == 0 && !ex.attachments {
		return b
	}
	b = b[:len(b)-1]
	if len(props) > 0 {
		b = append(b, `,"singleValueExtendedProperties":[`...)
		for i, p := range props {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = appendString(b, p.ID)
			b = append(b, `,"value":`...)
			b = appendString(b, p.Value)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if ex.attachments {
		b = append(b, `,"attachments@odata.context":`...)
		b = appendString(b, meta+"/messages('"+url.QueryEscape(it.msg.ID)+"')/attachments"+ex.attSel.suffix())
		b = append(b, `,"attachments":`...)
		b = appendAttachmentList(b, it, ex.attSel)
	}
	return append(b, '}')
}
