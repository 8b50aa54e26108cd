package graph

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text decoded from Microsoft Graph (subjects, names, addresses, previews,
// bodies, error messages) is written by whoever sent the mail, so it is
// hostile until cleaned: it can carry terminal escape sequences (window
// title, OSC 52 clipboard writes, screen clears, hidden text), carriage
// returns and backspaces that overwrite what is on screen, bidi overrides
// that reorder it, and invisible characters that make the terminal's idea of
// a row's width differ from ours. CleanLine and CleanText are the program's
// only defence against that; everything decoded passes through one of them
// before it reaches a terminal.
//
// Both work from an allow-list, in one pass, and return s itself (no
// allocation) when s is already clean. The rules, in the order they apply:
//
//   - Invalid UTF-8: each byte that is not part of a valid UTF-8 sequence
//     becomes U+FFFD. A lone 0x9B byte is therefore U+FFFD, never a CSI.
//   - Escape sequences are removed whole, in their 7-bit form (ESC ...) and
//     in their 8-bit form (the C1 rune, e.g. U+009B):
//     CSI (ESC [ or U+009B): parameter and intermediate bytes 0x20-0x3F, then
//     a final byte 0x40-0x7E; a CSI cut off by the end of the input is
//     removed; a CSI broken by any other character loses what was read so
//     far and that character is then handled on its own.
//     OSC, DCS, SOS, PM, APC (ESC ] P X ^ _, or U+009D U+0090 U+0098 U+009E
//     U+009F): everything up to and including the terminator, which is BEL,
//     ESC \ or U+009C (BEL ends every kind, which can only show more text).
//     If no terminator comes before the end of the input, or before
//     something a terminal treats as aborting the string (an ESC that does
//     not start ST, CAN, SUB, or another C1 control), the string is
//     unterminated: only its introducer is removed and the text after it is
//     shown, cleaned. An unterminated string can never hide the rest of a
//     mail.
//     Other ESC forms: ESC followed by intermediates 0x20-0x2F and a final
//     0x30-0x7E (e.g. ESC ( B, ESC # 8), and two-byte ESC x for x in
//     0x30-0x7E (ESC 7, ESC c, ESC \, ...), are removed. An ESC followed by
//     anything else (a control, DEL, a non-ASCII rune, the end) is removed
//     alone.
//   - Line breaks: LF, CR, CRLF, VT, FF, U+0085 NEL, U+2028 and U+2029.
//     CleanText turns each into one LF (CRLF is one break, so is a CR and an
//     LF with only removed escape sequences between them) and keeps TAB.
//     CleanLine turns every run of line breaks and TABs into a single space,
//     so "Pay 100 EUR\rPay 900" is "Pay 100 EUR Pay 900": one row, all of it
//     visible. Other spaces are kept as they are and nothing is trimmed.
//   - Every other C0 control (including NUL, BS and BEL) becomes its visible
//     Unicode Control Picture, U+2400+c (NUL is "␀", BS is "␈", BEL is "␇");
//     DEL becomes "␡" (U+2421).
//   - The other C1 controls (U+0080-U+009F) are removed: they have no
//     agreed glyph and are never meaningful in mail text.
//   - Every format character (Unicode category Cf) is removed, with no
//     exceptions: bidi embeddings, overrides and isolates (U+202A-U+202E,
//     U+2066-U+2069), LRM/RLM/ALM, zero-width space/joiners (U+200B-U+200D),
//     word joiner and invisible operators (U+2060-U+2064), BOM/ZWNBSP
//     (U+FEFF), U+180E, soft hyphen (U+00AD, which terminals draw with
//     inconsistent widths), interlinear annotation (U+FFF9-U+FFFB), tag
//     characters (U+E0000-U+E007F) and the rest of Cf. Removing ZWJ splits
//     an emoji ZWJ sequence into its parts (a family becomes its people) and
//     removing tags turns a subdivision flag into a black flag; that is
//     deliberate, because terminals disagree about the width of such
//     sequences and the row width we measure must be the width drawn.
//   - Noncharacters (U+FDD0-U+FDEF and U+xFFFE/U+xFFFF in every plane) are
//     removed. Surrogates cannot occur: Go's UTF-8 decoder reports an
//     encoded surrogate as invalid bytes, which become U+FFFD.
//
// The output is valid UTF-8, contains no ESC and no rune from the lists
// above, and is a fixed point: cleaning it again returns it unchanged.

// CleanLine returns s made safe to show on one terminal row: escape
// sequences removed whole, each run of line breaks (LF, CR, CRLF, VT, FF,
// NEL, U+2028, U+2029) and tabs turned into a single space, other C0
// controls and DEL shown as Unicode Control Pictures (U+2400-U+241F,
// U+2421), C1 controls, format characters (bidi controls, zero-width
// characters, BOM, soft hyphen, tags) and noncharacters removed, and invalid
// UTF-8 replaced by U+FFFD. It never trims or truncates. It returns s itself
// when s is already clean. See the comment at the top of clean.go for the
// exact rules.
func CleanLine(s string) string { return cleanString(s, false) }

// CleanText returns s made safe to show as multi-line text (a mail body):
// the same rules as CleanLine, except that line breaks are kept as LF (CRLF,
// a lone CR, VT, FF, NEL, U+2028 and U+2029 each become one LF) and TAB is
// kept. It returns s itself when s is already clean.
func CleanText(s string) string { return cleanString(s, true) }

// cleanString implements CleanLine (text == false) and CleanText (text == true).
func cleanString(s string, text bool) string {
	i := safeLen(s, text)
	if i == len(s) {
		return s
	}
	c := cleaner{text: text}
	c.b.Grow(len(s) + 8)
	c.b.WriteString(s[:i])
	for i < len(s) {
		if c.afterCR && s[i] == '\n' {
			// The LF of a CRLF (possibly with removed escape sequences
			// between them): the CR already made the line break.
			c.afterCR = false
			i++
			continue
		}
		if n := safeLen(s[i:], text); n > 0 {
			c.emit(s[i : i+n])
			i += n
			continue
		}
		i = c.unsafe(s, i)
	}
	return c.b.String()
}

// safeLen returns the length of the longest prefix of s that is already
// clean and can be copied unchanged.
func safeLen(s string, text bool) int {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if (b >= 0x20 && b != 0x7f) || (text && (b == '\n' || b == '\t')) {
				i++
				continue
			}
			return i
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if size == 1 || forbiddenRune(r) { // size 1 on a non-ASCII byte: invalid UTF-8
			return i
		}
		i += size
	}
	return len(s)
}

// forbiddenRune reports whether the valid non-ASCII rune r must not be
// copied to the output as it is (C1 controls, line and paragraph
// separators, format characters and noncharacters).
func forbiddenRune(r rune) bool {
	switch {
	case r <= 0x9f:
		return true // C1 controls (r >= 0x80 here)
	case r < 0xad:
		return false
	case r >= 0x2070 && r < 0xfdd0:
		// Common case (most scripts, CJK, symbols): no Cf, no
		// noncharacter, no separator in this range; TestForbiddenRune
		// checks that against the unicode tables.
		return false
	case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe:
		return true // noncharacters
	case r == 0x2028 || r == 0x2029:
		return true // line and paragraph separators (handled as line breaks)
	}
	return unicode.Is(unicode.Cf, r)
}

// cleaner holds the output and the little state of the slow path.
type cleaner struct {
	b    strings.Builder
	text bool // CleanText rules (keep LF and TAB)
	// afterCR: CleanText emitted an LF for a CR and has emitted nothing
	// since, so an LF that follows belongs to the same CRLF.
	afterCR bool
	// afterBreak: CleanLine emitted a space for a line break or tab and has
	// emitted nothing since, so more breaks or tabs add nothing.
	afterBreak bool
}

func (c *cleaner) emit(s string) {
	c.b.WriteString(s)
	c.afterCR, c.afterBreak = false, false
}

func (c *cleaner) emitRune(r rune) {
	c.b.WriteRune(r)
	c.afterCR, c.afterBreak = false, false
}

// lineBreak handles a line break or (for CleanLine) a TAB; cr tells whether
// it was a CR.
func (c *cleaner) lineBreak(cr bool) {
	if c.text {
		c.b.WriteByte('\n')
		c.afterCR = cr
		return
	}
	if !c.afterBreak {
		c.b.WriteByte(' ')
		c.afterBreak = true
	}
}

// unsafe handles the character at s[i], which safeLen stopped at, and
// returns the index just after what it consumed.
func (c *cleaner) unsafe(s string, i int) int {
	if b := s[i]; b < utf8.RuneSelf {
		switch b {
		case 0x1b:
			return c.escape(s, i+1)
		case '\n', '\t', '\v', '\f': // '\n' and '\t' only reach here in CleanLine
			c.lineBreak(false)
		case '\r':
			c.lineBreak(true)
		case 0x7f:
			c.emit("\u2421")
		default:
			c.emitRune(0x2400 + rune(b))
		}
		return i + 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case size == 1:
		c.emit("\uFFFD") // invalid UTF-8
	case r == 0x9b:
		return c.csi(s, i+size)
	case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f:
		return c.stringSeq(s, i+size)
	case r == 0x85 || r == 0x2028 || r == 0x2029:
		c.lineBreak(false)
	}
	// Anything else that stopped safeLen (other C1, Cf, noncharacters) is
	// removed.
	return i + size
}

// escape handles an ESC whose next byte is at s[i] and returns the index
// after the sequence.
func (c *cleaner) escape(s string, i int) int {
	if i >= len(s) {
		return i // lone ESC at the end
	}
	switch b := s[i]; {
	case b == '[':
		return c.csi(s, i+1)
	case b == ']' || b == 'P' || b == 'X' || b == '^' || b == '_':
		return c.stringSeq(s, i+1)
	case b >= 0x20 && b <= 0x2f:
		// ESC, intermediates, final: nF sequences such as ESC ( B or ESC # 8.
		j := i
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
			return j + 1
		}
		return j // cut off (removed) or broken (the breaker is handled on its own)
	case b >= 0x30 && b <= 0x7e:
		return i + 1 // two-byte ESC x, including ESC \ (a stray ST)
	default:
		return i // ESC before a control, DEL or non-ASCII: remove the ESC alone
	}
}

// csi handles a control sequence whose parameters start at s[i] and
// returns the index after it.
func (c *cleaner) csi(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		return i + 1
	}
	// Cut off by the end of the input (all of it is removed), or broken by a
	// character that cannot be part of a CSI, which is then handled on its
	// own.
	return i
}

// stringSeq handles a control string (OSC, DCS, SOS, PM, APC) whose content
// starts at s[i]. If the string is terminated it returns the index after
// the terminator, removing it all; otherwise it returns i, so that only the
// introducer is removed and the content is shown as (cleaned) text.
func (c *cleaner) stringSeq(s string, i int) int {
	for j := i; j < len(s); {
		b := s[j]
		if b < utf8.RuneSelf {
			switch b {
			case 0x07: // BEL
				return j + 1
			case 0x1b:
				if j+1 < len(s) && s[j+1] == '\\' {
					return j + 2 // ESC \ (ST)
				}
				return i // ESC starts something else: aborted
			case 0x18, 0x1a: // CAN, SUB abort a control string
				return i
			}
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		if r == 0x9c {
			return j + size // ST
		}
		if r >= 0x80 && r <= 0x9f {
			return i // another C1 control: aborted
		}
		j += size
	}
	return i // no terminator before the end
}
