package compose

import (
	"html"
	"strings"

	"github.com/draftsmail/drafts/graph"
)

// Where the quoted thread of a reply or forward starts in an HTML body, as Outlook and Graph
// write it (createReply / createForward): Outlook's "appendonsend" anchor and the rule and
// header block under it (divRplyFwdMsg), then the quote markup of other clients. A text body's
// is graph.QuoteStart's line of underscores or "-----Original Message-----".
var htmlQuoteMarks = []string{`<div id="appendonsend"`, `<hr`, `<div id="divrplyfwdmsg"`, `<div class="gmail_quote"`, `<blockquote`}

// quoteStart is where the quoted thread starts in body, or -1 when there is none; in a text
// body, at the line break before it. An <hr> counts only when a header block (divRplyFwdMsg,
// or From: and Sent:) follows it.
func quoteStart(b graph.Body) int {
	if !b.IsHTML() {
		q := graph.QuoteStart(b.Content, false) // its markers, never lines the writer may have typed
		if q > 0 {
			q-- // the line break before it
		}
		return q
	}
	lower := strings.ToLower(b.Content)
	best := -1
	for _, m := range htmlQuoteMarks {
		i := strings.Index(lower, m)
		if i < 0 {
			continue
		}
		if m == `<hr` && !strings.Contains(lower[i:], "divrplyfwdmsg") && !(strings.Contains(lower[i:], "from:") && strings.Contains(lower[i:], "sent:")) {
			continue
		}
		if best < 0 || i < best {
			best = i
		}
	}
	return best
}

// Own is the draft's own text for the editor, and whether a quoted thread follows it in the
// draft. The own text is Graph's uniqueBody when it is smaller than the body (a reply or
// forward), as text; HTML is converted, and everything is cleaned.
func Own(src graph.EditSource) (text string, quoted bool) {
	own := src.UniqueBody
	if own.Content == "" && own.ContentType == "" {
		own = src.Body
	}
	q := quoteStart(src.Body)
	if q >= 0 && own.Content == src.Body.Content {
		// No uniqueBody of its own: the text before the quote is the draft's.
		own = graph.Body{ContentType: src.Body.ContentType, Content: src.Body.Content[:q]}
	}
	return asText(own), q >= 0
}

func asText(b graph.Body) string {
	var s string
	if b.IsHTML() {
		s = graph.HTMLToText(b.Content)
	} else {
		s = graph.CleanText(b.Content)
	}
	s = strings.TrimRight(s, "\n \t")
	if s != "" {
		s += "\n"
	}
	return s
}

// Splice is the draft's new body: text written above the quoted thread of body, which stays as
// it was. An HTML body stays HTML: the text becomes paragraphs (escaped, a blank line between
// paragraphs, line breaks kept) inside the body's own <html>/<body> wrapper.
func Splice(body graph.Body, text string) graph.Body {
	q := quoteStart(body)
	if !body.IsHTML() {
		out := strings.TrimRight(text, "\n")
		if q >= 0 {
			out += "\n" + body.Content[q:]
		}
		return graph.Body{ContentType: "text", Content: out}
	}
	lower := strings.ToLower(body.Content)
	start := 0
	if i := strings.Index(lower, "<body"); i >= 0 {
		if j := strings.IndexByte(lower[i:], '>'); j >= 0 {
			start = i + j + 1
		}
	}
	rest := ""
	switch {
	case q >= start:
		rest = body.Content[q:]
	case start > 0:
		if end := strings.LastIndex(lower, "</body>"); end >= start {
			rest = body.Content[end:]
		}
	}
	return graph.Body{ContentType: "html", Content: body.Content[:start] + Paragraphs(text) + rest}
}

// Paragraphs writes text as HTML: each paragraph (lines separated by a blank line) a <p>, its
// lines joined by <br>, everything escaped.
func Paragraphs(text string) string {
	var b strings.Builder
	for _, p := range strings.Split(strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n")), "\n\n") {
		p = strings.Trim(p, "\n")
		if p == "" {
			continue
		}
		lines := strings.Split(p, "\n")
		for i, l := range lines {
			lines[i] = html.EscapeString(l)
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>") + "</p>\n")
	}
	return b.String()
}
