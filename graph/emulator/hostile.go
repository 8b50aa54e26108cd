package emulator

import (
	"fmt"
	"strings"
)

// HostileText is a piece of text that attacks the terminal of whoever prints it unfiltered. The
// attack sits between two visible words, so a test can check that the text around it survives.
type HostileText struct {
	// Name says what the text attacks, e.g. "OSC 52 clipboard write".
	Name string
	// Text is the text as the server stores and serves it.
	Text string
	// Visible is a word that must still show on the screen once the attack is removed ("" when
	// nothing is guaranteed to show, as for a 10 KB subject cut to the row).
	Visible string
	// Payload is the attack on its own, as it would reach a terminal that printed Text as is.
	Payload string
}

// HostileTexts returns the hostile inputs of the project's reliability table: escape sequences
// that set the title (OSC 0, OSC 2), write the clipboard (OSC 52), hide a link (OSC 8), clear the
// screen (CSI 2J), hide or reverse text (SGR 8, SGR 7) or colour it; DCS, APC, SOS and PM strings;
// raw C1 controls; an OSC left unterminated at the end; carriage return, backspace, tab and
// newline; bidi overrides and isolates, LRM/RLM, the Arabic letter mark, zero-width characters
// and a BOM; invalid UTF-8, NUL and DEL; a 10 KB subject; CJK and emoji.
func HostileTexts() []HostileText {
	list := []struct{ name, payload string }{
		{"OSC 0 window title", "\x1b]0;PWNED-TITLE\x07"},
		{"OSC 2 window title, ST-terminated", "\x1b]2;PWNED-TITLE\x1b\\"},
		{"OSC 52 clipboard write", "\x1b]52;c;UFdORUQtQ0xJUA==\x07"},
		{"OSC 8 hidden link", "\x1b]8;;https://evil.example/PWNED\x07click\x1b]8;;\x07"},
		{"CSI 2J clear screen and home", "\x1b[2J\x1b[H"},
		{"SGR 8 concealed text", "\x1b[8mPWNED-HIDDEN\x1b[28m"},
		{"SGR 7 reversed text", "\x1b[7mPWNED-REVERSED\x1b[27m"},
		{"SGR colours and bold", "\x1b[1;31;44mPWNED-RED\x1b[0m"},
		{"DCS request", "\x1bP+q544e\x1b\\"},
		{"APC string", "\x1b_Gf=100;PWNED\x1b\\"},
		{"SOS string", "\x1bXPWNED\x1b\\"},
		{"PM string", "\x1b^PWNED\x1b\\"},
		{"raw C1 CSI (U+009B) clear", "\u009b2J"},
		{"raw C1 OSC (U+009D) title", "\u009d0;PWNED-TITLE\u009c"},
		{"carriage return overwrite", "Pay 100 EUR\rPay 900"},
		{"backspaces", "abc\b\b\bxyz"},
		{"tab and newline", "one\ttwo\nthree"},
		{"bell", "\x07\x07"},
		{"bidi override", "\u202eevil\u202c"},
		{"bidi embeddings and isolates", "\u202a\u202b\u202d\u2066\u2067\u2068x\u2069"},
		{"LRM, RLM, Arabic letter mark", "\u200e\u200f\u061c"},
		{"zero-width characters and BOM", "\u200b\u200c\u200d\u2060\ufeff"},
		{"invalid UTF-8, NUL and DEL", "\xff\xfe\x00\x7f"},
		{"CJK and emoji", "日本語の件名 🎉👩‍👩‍👧"},
	}
	out := make([]HostileText, 0, len(list)+2)
	for i, h := range list {
		word := fmt.Sprintf("after%02d", i+1)
		out = append(out, HostileText{
			Name:    h.name,
			Text:    fmt.Sprintf("H%02d %s %s", i+1, h.payload, word),
			Visible: word,
			Payload: h.payload,
		})
	}
	n := len(out) + 1
	out = append(out,
		HostileText{
			Name:    "OSC title left unterminated at the end",
			Text:    fmt.Sprintf("H%02d visible%02d \x1b]0;PWNED-TITLE", n, n),
			Visible: fmt.Sprintf("visible%02d", n),
			Payload: "\x1b]0;PWNED-TITLE",
		},
		HostileText{
			Name: "10 KB subject",
			Text: fmt.Sprintf("H%02d ", n+1) + strings.Repeat("long subject ", 10240/13),
		},
	)
	return out
}

// SeedHostile adds one draft per hostile text to user's mailbox ("" = /me): the text is its
// subject, its To recipient's name and its body (after a plain first line). It returns the
// drafts as stored, in the order of HostileTexts.
func (s *Server) SeedHostile(user string) []Message {
	hs := HostileTexts()
	out := make([]Message, 0, len(hs))
	for i, h := range hs {
		out = append(out, s.AddDraft(Draft{
			User:    user,
			Subject: h.Text,
			Body:    fmt.Sprintf("Body of hostile draft %d.\n%s\nEnd of body.", i+1, h.Text),
			To:      []Recipient{Addr(h.Text, fmt.Sprintf("h%02d@contoso.example", i+1))},
		}))
	}
	return out
}
