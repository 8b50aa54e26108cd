package graph

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

type htmlCase struct {
	name string
	in   string
	want string
}

// outlookBody is the shape of an HTML body written by Outlook for Windows.
const outlookBody = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style><!-- p.MsoNormal {margin:0cm; font-family:"Calibri",sans-serif;} --></style>
</head><body lang="EN-GB" link="#0563C1"><div class="WordSection1">
<p class="MsoNormal">Hello Bob,<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">The figures are in the <a href="https://contoso.sharepoint.com/x">shared folder</a>.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Regards,<br>Alice<o:p></o:p></p>
</div></body></html>`

var htmlCases = []htmlCase{
	{"nested lists",
		`<ul><li>one<ul><li>nested a</li><li>nested b</li></ul></li><li>two</li></ul><ol><li>first</li><li>second</li></ol>`,
		"* one\n\n* nested a\n* nested b\n\n* two\n\n* first\n* second"},
	{"br", `line1<br>line2<br/><br>line4`, "line1\nline2\n\nline4"},
	{"p", `<p>para one</p><p>para two</p>text after`, "para one\n\npara two\n\ntext after"},
	{"entities",
		`Tom &amp; Jerry&nbsp;&nbsp;x &#x1F600; &lt;b&gt; &copy; &#0; &#x9b;`,
		"Tom & Jerry\u00a0\u00a0x 😀 <b> © \uFFFD \u203a"},
	{"entities that decode to controls",
		`a&#x1b;[2Jb &#x1b;]0;title&#7;c &#x202e;d&zwj;e&#x200b;f &#13;g`,
		"ab c def g"},
	{"head, title, style, script",
		`<html><head><title>The Title</title><style>p{color:red}</style><script>alert(1)</script></head>` +
			`<body><script>evil()</script>Hi<style>.x{}</style> there</body></html>`,
		"Hi there"},
	{"title, template, iframe in body; noscript shown",
		`<body>a<title>body title</title><template>tmpl</template><iframe>if</iframe><noscript>nojs</noscript></body>`,
		"a nojs"},
	{"Outlook", outlookBody,
		"Hello Bob,\n\nThe figures are in the shared folder ( https://contoso.sharepoint.com/x ).\n\nRegards,\nAlice"},
	{"malformed and unclosed",
		`<p>unclosed <b>bold <i>ital <div>div <a href="http://x">link`,
		"unclosed *bold ital*\n\n*div link ( http://x )*"},
	{"stray end tags and broken attributes",
		`</div></p>a<p class="x>b</p>c<br/ d="`,
		"a"},
	{"escapes in text",
		"<p>esc in text \x1b]0;title\x07 here \x1b[31mred\x1b[0m \u009b2Jx</p>",
		"esc in text  here red x"},
	{"escapes in attributes",
		"<a href=\"http://x/\x1b[2J\" title=\"\x1b]52;c;Zm9v\x07\">click</a><a href=\"y\x1b]8;;z\x07\"><img alt=\"\x1b[8malt\"></a>",
		"click ( http://x/ ) alt ( y )"},
	{"links",
		`<a href="https://example.com">https://example.com</a> <a href="mailto:bob@x.com">Bob</a> ` +
			`<a href="https://e.com/a"><img src=x alt="Logo"></a> <a href="https://e.com/b">two <b>parts</b></a>`,
		"https://example.com Bob ( bob@x.com ) Logo ( https://e.com/a ) two *parts* ( https://e.com/b )"},
	{"table rows on their own lines",
		`<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>after`,
		"a b\nc d\n\nafter"},
	{"headings, blockquote, pre",
		"<h1>Title</h1><h2>Sub</h2><blockquote>quoted text</blockquote><pre>  pre\n  formatted\n\n\n  x</pre>",
		"*****\nTitle\n*****\n\n---\nSub\n---\n\n>\n> quoted text\n\n pre\n formatted\n\n x"},
	{"BOM", "\ufeff<p>bom</p>\ufeff", "bom"},
	{"CR and CRLF", "<p>a</p>\r\n\r\n<p>b\rc</p>", "a\n\nb c"},
	{"blank lines collapse to two", "<pre>a\r\rb\u2028\u2028\u2028\u2028c\u00a0 \t</pre>", "a\n\nb\n\n\nc"},
	{"NUL", "a\x00b", "ab"},
	{"invalid UTF-8", "<p>a\xffb</p>", "a\uFFFDb"},
	{"empty", "", ""},
	{"plain text", "plain text, no tags", "plain text, no tags"},
	{"nested emphasis keeps only the outer markers",
		"<b>a <b>b <strong>c</strong></b></b> d", "*a b c* d"},
	{"nested quotes",
		"<blockquote>q1<blockquote>q2</blockquote>back</blockquote>", ">\n> q1\n>> q2\n>\n> back"},
	{"quote depth capped",
		strings.Repeat("<blockquote>", 12) + "deep" + strings.Repeat("</blockquote>", 12),
		">\n>\n>>\n>>>\n>>>>\n>>>>>\n>>>>>>\n>>>>>>>\n>>>>>>>> deep\n>>>>>>>>\n>>>>>>>\n>>>>>>>\n>>>>>>\n>>>>>>\n>>>>>\n>>>>>\n>>>>\n>>>>\n>>>\n>>>\n>>\n>>\n>\n>"},
	{"too deep for the parser: tokenizer fallback",
		strings.Repeat("<div>", 600) + "deep<script>x</script><p>para &amp; more</p><ul><li>one<li>two</ul>",
		"deep\npara & more\n* one\n* two"},
}

func TestHTMLToText(t *testing.T) {
	for _, tc := range htmlCases {
		t.Run(tc.name, func(t *testing.T) {
			got := HTMLToText(tc.in)
			if got != tc.want {
				t.Errorf("HTMLToText(%+q)\n got %+q\nwant %+q", cleanShort(tc.in), got, tc.want)
			}
			checkHTMLOutput(t, tc.in, got)
		})
	}
}

// checkHTMLOutput checks the properties every HTMLToText output must have;
// the fuzz target uses it too.
func checkHTMLOutput(t *testing.T, in, got string) {
	t.Helper()
	checkCleanOutput(t, "HTMLToText", in, got, CleanText, hasForbidden)
	if strings.Contains(got, "\n\n\n\n") {
		t.Errorf("HTMLToText(%+q) = %+q: more than two blank lines", cleanShort(in), cleanShort(got))
	}
	if strings.HasPrefix(got, "\n") || strings.HasSuffix(got, "\n") {
		t.Errorf("HTMLToText(%+q) = %+q: leading or trailing blank line", cleanShort(in), cleanShort(got))
	}
	for line := range strings.SplitSeq(got, "\n") {
		if r, _ := utf8.DecodeLastRuneInString(line); unicode.IsSpace(r) {
			t.Errorf("HTMLToText(%+q) = %+q: trailing space on line %+q", cleanShort(in), cleanShort(got), line)
		}
	}
	if again := tidyText(got); again != got {
		t.Errorf("tidyText not idempotent on %+q", cleanShort(got))
	}
}

func TestHTMLToTextBoundedOutput(t *testing.T) {
	// Hostile nesting must not multiply the size of the output (or the
	// time spent): the renderer repeats quote prefixes on every line and
	// copies emphasised text once per level.
	for name, s := range map[string]string{
		"deep quotes, tiny words": strings.Repeat("<blockquote>", 500) + strings.Repeat("<i>x</i>", 5000),
		"deep quotes, many lines": strings.Repeat("<blockquote>", 500) + strings.Repeat("x<br>", 5000),
		"deep bold":               strings.Repeat("<b>", 500) + strings.Repeat("x ", 30000),
		"deep bold and divs":      strings.Repeat("<b><div>", 250) + strings.Repeat("x ", 30000),
		"deep headings and divs":  strings.Repeat("<h1><div>", 250) + strings.Repeat("x ", 30000),
	} {
		if got := HTMLToText(s); len(got) > 4*len(s) {
			t.Errorf("%s: %d bytes in, %d out", name, len(s), len(got))
		}
	}
}

func TestHTMLTokenizerFallback(t *testing.T) {
	// The fallback on its own, for documents the renderer could handle.
	for _, tc := range []htmlCase{
		{"blocks", "<p>a  b\n c</p><div>d</div>e<br>f", "a b c\nd\ne\nf"},
		{"raw text dropped", "<title>t</title><style>s</style><script>x</script><noscript>n</noscript>body", "body"},
		{"self-closing script", "<script/>hidden</script>shown", "shown"},
		{"entities and escapes", "&lt;a&gt; &#x1b;]0;x&#7;y \x1b[2Jz", "<a> y z"},
		{"inline tags do not split words", "H<span>ello</span> <b>world</b>", "Hello world"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tidyText(CleanText(htmlViaTokenizer(tc.in)))
			if got != tc.want {
				t.Errorf("fallback(%+q)\n got %+q\nwant %+q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTidyText(t *testing.T) {
	for _, tc := range [][2]string{
		{"", ""},
		{"\n\n a \n\n", " a"},
		{"a\n\n\n\n\n\nb", "a\n\n\nb"},
		{"a\n\n\nb", "a\n\n\nb"},
		{"a \t\u00a0\nb", "a\nb"},
		{"a\n \n\t\n\u3000\n\nb", "a\n\n\nb"},
	} {
		if got := tidyText(tc[0]); got != tc[1] {
			t.Errorf("tidyText(%+q) = %+q, want %+q", tc[0], got, tc[1])
		}
	}
}

func BenchmarkHTMLToTextOutlook(b *testing.B) {
	s := strings.Repeat(outlookBody, 10)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		cleanSink = HTMLToText(s)
	}
}
