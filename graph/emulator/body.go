package emulator

import (
	"html"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/inbucket/html2text"
	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Body content types, as Graph spells them.
const (
	contentText = "text"
	contentHTML = "html"
)

// previewLen is the length of bodyPreview in characters.
const previewLen = 255

// preferBodyType returns the body content type asked for by a
// `Prefer: outlook.body-content-type="text"` (or "html") header, or "" when there is none.
func preferBodyType(h http.Header) string {
	for _, v := range h.Values("Prefer") {
		for _, pref := range strings.Split(v, ",") {
			key, val, ok := strings.Cut(strings.TrimSpace(pref), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(key), "outlook.body-content-type") {
				continue
			}
			val = strings.ToLower(strings.Trim(strings.TrimSpace(val), `"`))
			if val == contentText || val == contentHTML {
				return val
			}
		}
	}
	return ""
}

// body returns the content type and content of it's body as the client asked for it.
func (it *item) body(want string) (contentType, content string) {
	stored := strings.ToLower(it.msg.Body.ContentType)
	switch {
	case want == contentText && stored == contentHTML:
		return contentText, it.text
	case want == contentHTML && stored != contentHTML:
		return contentHTML, textToHTML(it.msg.Body.Content)
	case want != "":
		return want, it.msg.Body.Content
	}
	return it.msg.Body.ContentType, it.msg.Body.Content
}

// bodyText returns the body as plain text: HTML converted with a real HTML parser.
func bodyText(b ItemBody) string {
	if !strings.EqualFold(b.ContentType, contentHTML) {
		return b.Content
	}
	doc, err := nethtml.Parse(strings.NewReader(b.Content))
	if err != nil {
		return b.Content
	}
	unwrapEmphasis(doc)
	mergeText(doc)
	text, err := html2text.FromHTMLNode(doc)
	if err != nil {
		return b.Content
	}
	return text
}

// unwrapEmphasis replaces <b> and <strong> elements by their children: html2text marks them with
// asterisks, which Exchange's conversion to text does not do.
func unwrapEmphasis(n *nethtml.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		unwrapEmphasis(c)
		if c.Type == nethtml.ElementNode && (c.DataAtom == atom.B || c.DataAtom == atom.Strong) {
			for gc := c.FirstChild; gc != nil; {
				gnext := gc.NextSibling
				c.RemoveChild(gc)
				n.InsertBefore(gc, c)
				gc = gnext
			}
			n.RemoveChild(c)
		}
		c = next
	}
}

// htmlHead is how Exchange starts the document it stores for an HTML body given as a fragment,
// as in Graph's example answer to a new draft ("They were <b>awesome</b>!" comes back as this,
// the fragment, and htmlTail): https://learn.microsoft.com/graph/api/user-post-messages.
const (
	htmlHead = "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n" +
		"<meta content=\"text/html; charset=us-ascii\">\r\n</head>\r\n<body>\r\n"
	htmlTail = "\r\n</body>\r\n</html>\r\n"
)

// wrapHTMLBody wraps the HTML body the input set on m in a whole document, as Exchange stores
// it, unless it already is one (it has an <html> element).
func wrapHTMLBody(m *Message, in *messageInput) {
	if in.Body == nil || m.Body.ContentType != contentHTML {
		return
	}
	if strings.Contains(strings.ToLower(m.Body.Content), "<html") {
		return
	}
	m.Body.Content = htmlHead + m.Body.Content + htmlTail
}

// mergeText joins adjacent text nodes, which unwrapEmphasis leaves behind ("They were ",
// "awesome", "!"): html2text would put a space between them.
func mergeText(n *nethtml.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		for c.Type == nethtml.TextNode && c.NextSibling != nil && c.NextSibling.Type == nethtml.TextNode {
			next := c.NextSibling
			c.Data += next.Data
			n.RemoveChild(next)
		}
		mergeText(c)
	}
}

// textToHTML wraps a plain-text body in the minimal HTML document Exchange produces.
func textToHTML(text string) string {
	var sb strings.Builder
	sb.WriteString("<html><head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n</head>\r\n<body>\r\n<div>")
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, line := range lines {
		if i > 0 {
			sb.WriteString("<br>\r\n")
		}
		sb.WriteString(html.EscapeString(line))
	}
	sb.WriteString("</div>\r\n</body>\r\n</html>\r\n")
	return sb.String()
}

// preview returns Graph's bodyPreview for a plain-text body: whitespace runs collapsed to one
// space, trimmed, at most 255 characters.
func preview(text string) string {
	var sb strings.Builder
	sb.Grow(min(len(text), 4*previewLen))
	n := 0
	space := false
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = sb.Len() > 0
			continue
		}
		if space {
			if n++; n > previewLen {
				break
			}
			sb.WriteByte(' ')
			space = false
		}
		if n++; n > previewLen {
			break
		}
		if r == utf8.RuneError {
			r = '\uFFFD'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}
