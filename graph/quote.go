package graph

import (
	"strings"
)

// Where the quoted thread starts in a reply or forward, as text (HTML already converted by
// HTMLToText). Outlook writes the message answered below a line of underscores and a header
// block in the writer's language ("From: … Sent: … To: … Subject: …", "Von: … Gesendet: …",
// "De : … Envoyé : …"); the converted HTML may lose the line (an <hr>), never the block. Older
// clients write "-----Original Message-----", also in the writer's language.

// The header labels Outlook writes (the emulator's languages, graph/emulator/respond.go, and
// French and Portuguese): who wrote the message, when, and the lines that follow.
var (
	quoteFrom = []string{"From", "Von", "De", "Van", "Da", "Från", "Fra", "Lähettäjä", "Od"}
	quoteWhen = []string{"Sent", "Date", "Gesendet", "Datum", "Envoyé", "Enviado", "Fecha", "Data", "Verzonden", "Inviato", "Skickat", "Sendt", "Lähetetty", "Wysłane"}
	quoteMore = []string{"To", "Cc", "Subject", "An", "Betreff", "À", "Objet", "Para", "Asunto", "Assunto", "Aan", "Onderwerp", "A", "Oggetto",
		"Till", "Ämne", "Til", "Emne", "Vastaanottaja", "Aihe", "Do", "Temat"}
)

// quoteSeparators are the "-----Original Message-----" lines of Outlook and other clients in
// those languages, lower-cased, without their dashes.
var quoteSeparators = map[string]bool{
	"original message": true, "ursprüngliche nachricht": true, "message d'origine": true, "mensaje original": true,
	"mensagem original": true, "oorspronkelijk bericht": true, "messaggio originale": true, "originalmeddelande": true,
	"oprindelig meddelelse": true, "opprinnelig melding": true, "alkuperäinen viesti": true, "oryginalna wiadomość": true,
	"forwarded message": true,
}

// QuoteStart is where the quoted thread starts in text, the earliest of: the line of underscores
// Outlook writes, a "-----Original Message-----" line (in one of those languages), and, in a
// reply or forward (response), a header block: a From line with a Sent or Date line and a To,
// Cc or Subject line within the next four. (A new message may well hold "From:", "To:" and
// "Date:" lines of its writer's: only a response is known to carry a header block.) -1 when
// there is none.
func QuoteStart(text string, response bool) int {
	lines := strings.SplitAfter(text, "\n")
	pos := 0
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "________________________________") || separatorLine(l) {
			return pos
		}
		if response && headerLine(l, quoteFrom) {
			when, more := false, false
			for _, next := range lines[i+1 : min(i+5, len(lines))] {
				when = when || headerLine(next, quoteWhen)
				more = more || headerLine(next, quoteMore)
			}
			if when && more {
				return pos
			}
		}
		pos += len(l)
	}
	return -1
}

// separatorLine reports whether line is "-----Original Message-----" or its like in another
// language.
func separatorLine(line string) bool {
	l := strings.TrimSpace(line)
	return strings.HasPrefix(l, "-----") && quoteSeparators[strings.ToLower(strings.Trim(l, "- "))]
}

// headerLine reports whether line is a header line "Label: …" for one of labels.
func headerLine(line string, labels []string) bool {
	_, ok := headerValue(line, labels)
	return ok
}

// headerValue is the value of line when it is a header line "Label: value" for one of labels
// (bold markers of converted HTML removed; a space before the colon allowed, as French writes
// it).
func headerValue(line string, labels []string) (string, bool) {
	l := strings.TrimLeft(strings.TrimSpace(line), "*")
	for _, label := range labels {
		rest, ok := strings.CutPrefix(l, label)
		if !ok {
			continue
		}
		if v, ok := strings.CutPrefix(strings.TrimLeft(strings.TrimLeft(rest, "*"), " \u00a0"), ":"); ok {
			return strings.TrimSpace(strings.TrimLeft(v, "*")), true
		}
	}
	return "", false
}

// QuoteHeaders reads a quoted thread (text from QuoteStart on): who wrote its first message (the
// name of its From line, without the address), when (its Sent or Date line), and how many
// messages it holds (its From lines).
func QuoteHeaders(quote string) (who, when string, messages int) {
	for _, l := range strings.Split(quote, "\n") {
		if v, ok := headerValue(l, quoteFrom); ok {
			messages++
			if who == "" {
				who = v
				if i := strings.Index(who, " <"); i > 0 {
					who = who[:i] // the name says who; the address is in the thread
				}
			}
		} else if v, ok := headerValue(l, quoteWhen); ok && when == "" {
			when = v
		}
	}
	return who, when, messages
}

// OwnText is the part of a body (as text) its writer wrote: everything before the quoted
// thread (QuoteStart), less quoted lines ("> ") and what follows an "On … wrote:" line.
func OwnText(text string, response bool) string {
	if q := QuoteStart(text, response); q >= 0 {
		text = text[:q]
	}
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "On ") && strings.HasSuffix(t, "wrote:") {
			break
		}
		if strings.HasPrefix(t, ">") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}
