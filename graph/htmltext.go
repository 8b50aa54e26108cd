package graph

import (
	"strings"
	"unicode"

	"github.com/inbucket/html2text"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLToText converts an HTML mail body to readable plain text with a real
// HTML parser (golang.org/x/net/html, rendered by
// github.com/inbucket/html2text), then cleans it with CleanText.
//
// Scripts, styles, the head (with its title), templates and iframes are
// dropped; entities are decoded; paragraphs, divs, <br> and table rows
// become line breaks; list items start with "* "; links read as
// "text ( URL )", with the URL left out when it is the text itself and
// "mailto:" removed. After CleanText, trailing white space is trimmed from
// every line, leading and trailing blank lines are removed and runs of more
// than two blank lines become two. Escape sequences in the HTML, raw or as
// character references (&#x1b;) and in text or in attributes that reach the
// text (href, alt), are removed by CleanText like anywhere else.
//
// If the parser rejects the document (it refuses nesting deeper than 512
// elements) or the renderer fails or panics, HTMLToText falls back to a
// plainer extraction with the x/net/html tokenizer: text, line breaks at
// block elements, and no script, style or title content.
func HTMLToText(s string) string {
	text, ok := htmlViaRenderer(s)
	if !ok {
		text = htmlViaTokenizer(s)
	}
	return tidyText(CleanText(text))
}

// htmlViaRenderer parses s and renders it with html2text. ok is false if
// parsing or rendering failed, including by panicking: a library bug on a
// hostile body must cost the reader formatting, not the program.
func htmlViaRenderer(s string) (text string, ok bool) {
	defer func() {
		if recover() != nil {
			text, ok = "", false
		}
	}()
	// Scripting off: we run no scripts, so <noscript> content is what a
	// reader should see, parsed as HTML rather than as raw text.
	doc, err := html.ParseWithOptions(strings.NewReader(s), html.ParseOptionEnableScripting(false))
	if err != nil {
		return "", false
	}
	prepareTree(doc)
	text, err = html2text.FromHTMLNode(doc, html2text.Options{})
	if err != nil {
		return "", false
	}
	return text, true
}

// maxQuoteDepth is the deepest blockquote nesting rendered as quoting;
// deeper blockquotes are rendered as plain blocks. The renderer writes the
// whole "> > > " prefix on every line, so without a cap a hostile body could
// multiply its size by its nesting depth.
const maxQuoteDepth = 8

// prepareTree adjusts the parsed tree before rendering:
//   - it removes elements whose content a mail reader never shows;
//   - it ends every table row with a <br> so that rows do not run together;
//   - it renders a <b>, <strong>, <h1>, <h2> or <h3> inside another one as
//     a <span> (or a <div> for headings): the renderer copies the text of
//     each of these through a nested buffer, so deep nesting of them costs
//     time proportional to depth times size (5 s for 1 MB of text under
//     500 <b>s) — only the outermost one keeps its markers;
//   - it caps blockquote nesting at maxQuoteDepth.
func prepareTree(n *html.Node) { prepareNode(n, false, 0) }

func prepareNode(n *html.Node, inEmphasis bool, quotes int) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type != html.ElementNode {
			c = next
			continue
		}
		emphasis, q := inEmphasis, quotes
		switch c.DataAtom {
		case atom.Script, atom.Style, atom.Head, atom.Title, atom.Template,
			atom.Iframe, atom.Noembed, atom.Noframes:
			n.RemoveChild(c)
			c = next
			continue
		case atom.B, atom.Strong:
			if inEmphasis {
				renameElement(c, atom.Span)
			}
			emphasis = true
		case atom.H1, atom.H2, atom.H3:
			if inEmphasis {
				renameElement(c, atom.Div)
			}
			emphasis = true
		case atom.Blockquote:
			if quotes >= maxQuoteDepth {
				renameElement(c, atom.Div)
			}
			q++
		}
		prepareNode(c, emphasis, q)
		if c.DataAtom == atom.Tr {
			c.AppendChild(&html.Node{Type: html.ElementNode, DataAtom: atom.Br, Data: "br"})
		}
		c = next
	}
}

// renameElement makes the element n render as a.
func renameElement(n *html.Node, a atom.Atom) {
	n.DataAtom = a
	n.Data = a.String()
}

// htmlViaTokenizer is the fallback extraction: it walks the token stream
// (no tree, so no depth limit) and keeps the text, with line breaks at
// block elements and "* " for list items.
func htmlViaTokenizer(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := false // inside a raw-text element whose content is not shown
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if !skip {
				writeCollapsed(&b, z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Title, atom.Iframe, atom.Noembed,
				atom.Noframes, atom.Noscript:
				// The tokenizer reads these as raw text up to their end tag.
				skip = tt != html.EndTagToken
				continue
			}
			skip = false
			switch {
			case a == atom.Br:
				b.WriteByte('\n')
			case a == atom.Li && tt != html.EndTagToken:
				endTextLine(&b)
				b.WriteString("* ")
			case htmlBlockElement(a):
				endTextLine(&b)
			}
		}
	}
}

// endTextLine ends the line in b, if one is open: a run of block boundaries
// makes one line break.
func endTextLine(b *strings.Builder) {
	if s := b.String(); s != "" && s[len(s)-1] != '\n' {
		b.WriteByte('\n')
	}
}

// htmlBlockElement reports whether a starts or ends a line in the fallback
// extraction.
func htmlBlockElement(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Dd,
		atom.Div, atom.Dl, atom.Dt, atom.Fieldset, atom.Figcaption,
		atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2, atom.H3,
		atom.H4, atom.H5, atom.H6, atom.Header, atom.Hr, atom.Li, atom.Main,
		atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section, atom.Table,
		atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr,
		atom.Ul:
		return true
	}
	return false
}

// writeCollapsed writes text with each run of ASCII white space (which HTML
// does not show as such) collapsed to one space, and none at the start of a
// line.
func writeCollapsed(b *strings.Builder, text []byte) {
	for _, c := range text {
		switch c {
		case ' ', '\t', '\n', '\r', '\f':
			if s := b.String(); s != "" && s[len(s)-1] != ' ' && s[len(s)-1] != '\n' {
				b.WriteByte(' ')
			}
			continue
		}
		b.WriteByte(c)
	}
}

// tidyText trims trailing white space from every line of the cleaned text
// s, removes leading and trailing blank lines, and shortens runs of more
// than two blank lines to two. It only removes white space and LFs, so its
// result is still clean.
func tidyText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	blank := 0 // blank lines seen since the last line with text
	started := false
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		if line == "" {
			blank++
			continue
		}
		if started {
			b.WriteByte('\n')
			for range min(blank, 2) {
				b.WriteByte('\n')
			}
		}
		b.WriteString(line)
		started = true
		blank = 0
	}
	return b.String()
}
