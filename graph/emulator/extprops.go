package emulator

import (
	"net/http"
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

// parseExpand reads $expand: only singleValueExtendedProperties with a
// $filter on ids ("id eq '…'", joined by "or") is supported. It returns
// the normalized ids asked for.
func parseExpand(v string) ([]string, *apiError) {
	bad := func() ([]string, *apiError) {
		return nil, newError(http.StatusBadRequest, "BadRequest",
			"Parsing OData Select and Expand failed: the expansion '%s' is not supported.", v)
	}
	const name = "singlevalueextendedproperties("
	s := strings.TrimSpace(v)
	if !strings.HasPrefix(strings.ToLower(s), name) || !strings.HasSuffix(s, ")") {
		return bad()
	}
	inner := strings.TrimSpace(s[len(name) : len(s)-1])
	opt, expr, ok := strings.Cut(inner, "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(opt), "$filter") {
		return bad()
	}
	var ids []string
	for _, term := range splitOr(expr) {
		f := strings.Fields(term)
		if len(f) < 3 || !strings.EqualFold(f[0], "id") || !strings.EqualFold(f[1], "eq") {
			return bad()
		}
		lit := strings.TrimSpace(strings.Join(f[2:], " "))
		if len(lit) < 2 || lit[0] != '\'' || lit[len(lit)-1] != '\'' {
			return bad()
		}
		id, ok := normalizePropID(strings.ReplaceAll(lit[1:len(lit)-1], "''", "'"))
		if !ok {
			return bad()
		}
		ids = append(ids, id)
	}
	return ids, nil
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

// appendExpanded adds the expanded properties of it to the message JSON
// in b (which ends with its closing brace). A message without any of them
// has no singleValueExtendedProperties member, as in Graph.
func appendExpanded(b []byte, it *item, ids []string) []byte {
	var props []ExtendedProperty
	for _, p := range it.msg.ExtendedProperties {
		for _, id := range ids {
			if strings.EqualFold(p.ID, id) {
				props = append(props, p)
				break
			}
		}
	}
	if len(props) == 0 {
		return b
	}
	b = append(b[:len(b)-1], `,"singleValueExtendedProperties":[`...)
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
	return append(b, "]}"...)
}
