package emulator

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The $select of attachments and their JSON.

// attSelect is a $select of attachment properties; nil selects all.
type attSelect struct {
	sel   map[string]bool // canonical names
	names []string        // as given, for @odata.context
}

// attachmentProps are the properties $select may name: those of microsoft.graph.attachment,
// and those of the derived types only through a type cast. A derived property without the cast
// is not found, as Graph answers ("Could not find a property named 'contentId' on type
// 'microsoft.graph.attachment'.": https://github.com/microsoftgraph/microsoft-graph-explorer-v4/issues/3916).
var attachmentProps = map[string]string{
	"id": "id", "lastmodifieddatetime": "lastModifiedDateTime", "name": "name", "contenttype": "contentType",
	"size": "size", "isinline": "isInline",
	"microsoft.graph.fileattachment/contentbytes":    "contentBytes",
	"microsoft.graph.fileattachment/contentid":       "contentId",
	"microsoft.graph.fileattachment/contentlocation": "contentLocation",
}

func parseAttSelect(v string) (*attSelect, *apiError) {
	s := &attSelect{sel: map[string]bool{}}
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		canon, ok := attachmentProps[strings.ToLower(name)]
		if !ok {
			if i := strings.LastIndexByte(name, '/'); i >= 0 {
				return nil, errNoProperty(name[i+1:], strings.TrimPrefix(name[:i], "#"))
			}
			return nil, errNoProperty(name, "microsoft.graph.attachment")
		}
		s.sel[canon] = true
		s.names = append(s.names, name)
	}
	if len(s.names) == 0 {
		return nil, nil
	}
	return s, nil
}

// parseAttachmentQuery reads the query of an attachments request: $select only.
func parseAttachmentQuery(raw url.Values) (*attSelect, *apiError) {
	var sel *attSelect
	for key, vals := range raw {
		name := strings.ToLower(strings.TrimPrefix(key, "$"))
		if name != "select" {
			if strings.HasPrefix(key, "$") {
				return nil, newError(http.StatusBadRequest, "BadRequest", "The query parameter '%s' is not supported.", key)
			}
			continue
		}
		if len(vals) > 1 {
			return nil, newError(http.StatusBadRequest, "BadRequest",
				"Query option '$select' was specified more than once, but it must be specified at most once.")
		}
		var e *apiError
		if sel, e = parseAttSelect(vals[0]); e != nil {
			return nil, e
		}
	}
	return sel, nil
}

func (s *attSelect) has(name string) bool { return s == nil || s.sel[name] }

func (s *attSelect) suffix() string {
	if s == nil {
		return ""
	}
	return "(" + strings.Join(s.names, ",") + ")"
}

// appendAttachment appends the JSON object of a, with context first when non-empty, in the order
// of Graph's examples: @odata.type (and, for a file, @odata.mediaContentType), then id,
// lastModifiedDateTime, name, contentType, size, isInline, and a file's contentId,
// contentLocation and contentBytes (base64).
func appendAttachment(b []byte, a *attachment, msgID string, sel *attSelect, context string) []byte {
	b = append(b, '{')
	if context != "" {
		b = append(b, `"@odata.context":`...)
		b = appendString(b, context)
		b = append(b, ',')
	}
	b = append(b, `"@odata.type":`...)
	b = appendString(b, a.kind)
	if a.kind == fileAttachmentType {
		b = append(b, `,"@odata.mediaContentType":`...)
		b = appendNullable(b, a.contentType)
	}
	b = append(b, `,"id":`...)
	b = appendString(b, attachmentID(msgID, a.n))
	if sel.has("lastModifiedDateTime") {
		b = append(b, `,"lastModifiedDateTime":`...)
		b = appendTime(b, a.modified)
	}
	if sel.has("name") {
		b = append(b, `,"name":`...)
		b = appendString(b, a.name)
	}
	if sel.has("contentType") {
		b = append(b, `,"contentType":`...)
		b = appendNullable(b, a.contentType)
	}
	if sel.has("size") {
		b = append(b, `,"size":`...)
		b = strconv.AppendInt(b, a.size, 10)
	}
	if sel.has("isInline") {
		b = append(b, `,"isInline":`...)
		b = strconv.AppendBool(b, a.isInline)
	}
	if a.kind == fileAttachmentType {
		if sel.has("contentId") {
			b = append(b, `,"contentId":`...)
			b = appendNullable(b, a.contentID)
		}
		if sel.has("contentLocation") {
			b = append(b, `,"contentLocation":null`...)
		}
		if sel.has("contentBytes") {
			b = append(b, `,"contentBytes":"`...)
			b = base64.StdEncoding.AppendEncode(b, a.content.bytes())
			b = append(b, '"')
		}
	}
	return append(b, '}')
}

func appendNullable(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, s)
}

// attachmentsContext is the @odata.context of message msgID's attachments collection.
func (c *call) attachmentsContext(msgID string) string {
	return c.base + "/$metadata#" + c.userRef + "/messages('" + url.QueryEscape(msgID) + "')/attachments"
}

// appendAttachmentList appends the attachments of it as a JSON array.
func appendAttachmentList(b []byte, it *item, sel *attSelect) []byte {
	b = append(b, '[')
	for i, a := range it.msg.attachments {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendAttachment(b, a, it.msg.ID, sel, "")
	}
	return append(b, ']')
}
