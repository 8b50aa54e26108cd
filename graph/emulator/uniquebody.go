package emulator

import "strings"

// uniqueBody: "The part of the body of the message that is unique to the current message."
// Exchange computes it by cutting the quoted history off the body; the emulator cuts where
// the quote Exchange writes into replies and forwards begins (respond.go), so a reply draft's
// uniqueBody is only its new part, also after a PATCH of its body, and a received reply's is only
// what its author wrote. A body without such a quote is all unique.
// https://learn.microsoft.com/graph/api/resources/message

// htmlQuoteMarkers are the elements that open Exchange's quoted original in an HTML body.
var htmlQuoteMarkers = []string{`<div id="appendonsend"`, `<hr style="display:inline-block`, `<div id="divrplyfwdmsg"`}

// textQuoteMarker opens the quoted original in a text body: a line of 32 underscores, then the
// From/Sent/To/Subject lines.
const textQuoteMarker = "________________________________"

// uniqueBody returns the content type and content of it's unique body as the client asked for
// it (want is "", "text" or "html", as for body).
func (it *item) uniqueBody(want string) (contentType, content string) {
	stored := strings.ToLower(it.msg.Body.ContentType)
	if stored == contentHTML {
		u := uniqueHTML(it.msg.Body.Content)
		if want == contentText {
			return contentText, bodyText(ItemBody{ContentType: contentHTML, Content: u})
		}
		return contentHTML, u
	}
	u := uniqueText(it.msg.Body.Content)
	if want == contentHTML {
		return contentHTML, textToHTML(u)
	}
	return contentText, u
}

// uniqueHTML is the part of an HTML body before the quoted original, as an HTML document.
func uniqueHTML(doc string) string {
	inner := bodyInner(doc)
	lower := strings.ToLower(inner)
	cut := len(inner)
	for _, m := range htmlQuoteMarkers {
		if k := strings.Index(lower, m); k >= 0 && k < cut {
			cut = k
		}
	}
	return "<html><body><div>" + strings.TrimSpace(inner[:cut]) + "</div></body></html>"
}

// bodyInner is what lies between <body …> and </body> in an HTML document (all of it when
// there is no body element).
func bodyInner(doc string) string {
	lower := strings.ToLower(doc)
	from, to := 0, len(doc)
	if i := strings.Index(lower, "<body"); i >= 0 {
		if j := strings.IndexByte(lower[i:], '>'); j >= 0 {
			from = i + j + 1
		}
	}
	if k := strings.LastIndex(lower, "</body>"); k >= from {
		to = k
	}
	return doc[from:to]
}

// uniqueText is the part of a text body before the quoted original.
func uniqueText(text string) string {
	for from := 0; ; {
		k := strings.Index(text[from:], textQuoteMarker)
		if k < 0 {
			return text
		}
		k += from
		if k == 0 || text[k-1] == '\n' {
			return strings.TrimRight(text[:k], " \t\r\n")
		}
		from = k + len(textQuoteMarker)
	}
}

// appendHeaders writes internetMessageHeaders: [{"name":…,"value":…},…].
func appendHeaders(b []byte, it *item, _ string) []byte {
	b = append(b, '[')
	for i, h := range it.msg.InternetMessageHeaders {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendString(b, h.Name)
		b = append(b, `,"value":`...)
		b = appendString(b, h.Value)
		b = append(b, '}')
	}
	return append(b, ']')
}
