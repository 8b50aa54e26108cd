package graph

import (
	"strings"
	"testing"
)

func TestQuoteStartFindsTheThreadInEveryLanguage(t *testing.T) {
	for name, tc := range map[string]struct {
		text  string
		quote string // the text from the quote on; "" for none
	}{
		"underscores": {"Thanks!\n\n________________________________\nFrom: Patti\nSent: Monday\n", "________________________________\nFrom: Patti\nSent: Monday\n"},
		"block only (an <hr> converted to nothing)": {"From: Patti Fernandez <patti@x>\nSent: Tuesday\nTo: Adele\nSubject: Lunch\n\nHi", "From: Patti Fernandez <patti@x>\nSent: Tuesday\nTo: Adele\nSubject: Lunch\n\nHi"},
		"German":                                {"Danke.\n\nVon: Johanna Lorenz\nGesendet: Montag, 9. März\nAn: Adele\nBetreff: Liste\n", "Von: Johanna Lorenz\nGesendet: Montag, 9. März\nAn: Adele\nBetreff: Liste\n"},
		"French, bold":                          {"Merci.\n\n**De :** Inès\n**Envoyé :** lundi\n**À :** Adele\n", "**De :** Inès\n**Envoyé :** lundi\n**À :** Adele\n"},
		"Spanish":                               {"Gracias\nDe: Diego\nEnviado: lunes\nPara: Adele\nAsunto: x\n", "De: Diego\nEnviado: lunes\nPara: Adele\nAsunto: x\n"},
		"original message":                      {"See below.\n-----Original Message-----\nFrom: x\n", "-----Original Message-----\nFrom: x\n"},
		"localized separator":                   {"Siehe unten.\n-----Ursprüngliche Nachricht-----\nVon: x\n", "-----Ursprüngliche Nachricht-----\nVon: x\n"},
		"a line of the writer's starting From:": {"From: the start, the plan holds.\nDate: to be set.\n", ""},
		"From: later in the text, with Date:":   {"Notes\nFrom: the team\nDate: Friday\n", "From: the team\nDate: Friday\n"},
		"dashes without words":                  {"a\n---------------\nb\n", ""},
		"Dear is not De:":                       {"Dear Diego,\nEnviado: x\n", ""},
		"nothing":                               {"Just text.\n", ""},
	} {
		q := QuoteStart(tc.text)
		got := ""
		if q >= 0 {
			got = tc.text[q:]
		}
		if got != tc.quote {
			t.Errorf("%s: quote %q, want %q", name, got, tc.quote)
		}
	}
}

func TestQuoteHeadersNameTheWriterTheTimeAndTheCount(t *testing.T) {
	quote := "Von: Johanna Lorenz <johanna@x>\nGesendet: Montag, 9. März 2026 10:00\nAn: Adele\n\nText\n\nFrom: Adele Vance\nSent: Sunday\n"
	who, when, n := QuoteHeaders(quote)
	if who != "Johanna Lorenz" || when != "Montag, 9. März 2026 10:00" || n != 2 {
		t.Fatalf("QuoteHeaders = %q, %q, %d", who, when, n)
	}
}

// A reply with nothing of the writer's above the quote warns so; one with text does not; an
// old "see attached" in the quote does not count.
func TestEmptyReplyWarns(t *testing.T) {
	quote := "From: Patti Fernandez <patti@x>\nSent: Tuesday\nTo: Adele\nSubject: Lunch\n\nThe menu is attached.\n"
	to := []Recipient{{Address: "patti@x"}}
	empty := LocalChecks(Message{Subject: "RE: Lunch", To: to, HasBody: true, Body: "\n\n" + quote})
	if len(empty) != 1 || empty[0].Kind != CheckEmptyBody || !strings.Contains(empty[0].Text, "nothing is written above the quoted message") {
		t.Fatalf("an empty reply: %+v", empty)
	}
	if got := LocalChecks(Message{Subject: "RE: Lunch", To: to, HasBody: true, Body: "Yes, book it.\n\n" + quote}); len(got) != 0 {
		t.Fatalf("a reply with text: %+v", got)
	}
	if got := LocalChecks(Message{Subject: "x", To: to, HasBody: true, Body: " \n"}); len(got) != 1 || got[0].Text != "the body is empty" {
		t.Fatalf("an empty new message: %+v", got)
	}
}
