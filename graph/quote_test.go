package graph

import (
	"strings"
	"testing"
)

func TestQuoteStartFindsTheThreadInEveryLanguage(t *testing.T) {
	const under = "________________________________"
	for name, tc := range map[string]struct {
		text     string
		response bool
		quote    string // the text from the quote on; "" for none
	}{
		"underscores":                               {"Thanks!\n\n" + under + "\nFrom: Patti\nSent: Monday\n", false, under + "\nFrom: Patti\nSent: Monday\n"},
		"underscores at the top":                    {under + "\nFrom: Patti\n", false, under + "\nFrom: Patti\n"},
		"block only (an <hr> converted to nothing)": {"From: Patti Fernandez <patti@x>\nSent: Tuesday\nTo: Adele\nSubject: Lunch\n\nHi", true, "From: Patti Fernandez <patti@x>\nSent: Tuesday\nTo: Adele\nSubject: Lunch\n\nHi"},
		"German":              {"Danke.\n\nVon: Johanna Lorenz\nGesendet: Montag, 9. März\nAn: Adele\nBetreff: Liste\n", true, "Von: Johanna Lorenz\nGesendet: Montag, 9. März\nAn: Adele\nBetreff: Liste\n"},
		"French, bold":        {"Merci.\n\n**De :** Inès\n**Envoyé :** lundi\n**À :** Adele\n", true, "**De :** Inès\n**Envoyé :** lundi\n**À :** Adele\n"},
		"Finnish":             {"Kiitos\nLähettäjä: Aino\nLähetetty: 2.1.2026 15.04\nVastaanottaja: Adele\n", true, "Lähettäjä: Aino\nLähetetty: 2.1.2026 15.04\nVastaanottaja: Adele\n"},
		"Polish":              {"Dzięki\nOd: Ola\nWysłane: 02.01.2026 15:04\nDo: Adele\nTemat: x\n", true, "Od: Ola\nWysłane: 02.01.2026 15:04\nDo: Adele\nTemat: x\n"},
		"original message":    {"See below.\n-----Original Message-----\nFrom: x\n", false, "-----Original Message-----\nFrom: x\n"},
		"localized separator": {"Siehe unten.\n-----Ursprüngliche Nachricht-----\nVon: x\n", false, "-----Ursprüngliche Nachricht-----\nVon: x\n"},
		"the earliest marker wins": {"\n-----Original Message-----\nFrom: Patti\nSent: Monday\n\nThe report is attached.\n\n" + under + "\nFrom: Adele\n", true,
			"-----Original Message-----\nFrom: Patti\nSent: Monday\n\nThe report is attached.\n\n" + under + "\nFrom: Adele\n"},
		"a block in a new message is the writer's": {"Please book:\nFrom: London\nTo: Paris\nDate: 3 March\n\nThanks, see attached", false, ""},
		"an Italian trip in a new message":         {"Ciao,\nDa: Roma\nA: Milano\nData: 3 marzo\n\nin allegato", false, ""},
		"a block with no To or Subject":            {"Notes\nFrom: the team\nDate: Friday\n", true, ""},
		"a heading between dashes":                 {"a\n----- Agenda -----\nb\n", false, ""},
		"Dear is not De:":                          {"Dear Diego,\nEnviado: x\nPara: y\n", true, ""},
		"nothing":                                  {"Just text.\n", true, ""},
	} {
		q := QuoteStart(tc.text, tc.response)
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
	empty := LocalChecks(Message{Subject: "RE: Lunch", Kind: KindReply, To: to, HasBody: true, Body: "\n\n" + quote})
	if len(empty) != 1 || empty[0].Kind != CheckEmptyBody || !strings.Contains(empty[0].Text, "nothing is written above the quoted message") {
		t.Fatalf("an empty reply: %+v", empty)
	}
	if got := LocalChecks(Message{Subject: "RE: Lunch", Kind: KindReply, To: to, HasBody: true, Body: "Yes, book it.\n\n" + quote}); len(got) != 0 {
		t.Fatalf("a reply with text: %+v", got)
	}
	if got := LocalChecks(Message{Subject: "x", To: to, HasBody: true, Body: " \n"}); len(got) != 1 || got[0].Text != "the body is empty" {
		t.Fatalf("an empty new message: %+v", got)
	}
	// A new message's own "From:/To:/Date:" lines are its text: its "see attached" still warns.
	memo := "Please book:\nFrom: London\nTo: Paris\nDate: 3 March\n\nThanks, see attached"
	if got := LocalChecks(Message{Subject: "Trip", To: to, HasBody: true, Body: memo}); len(got) != 1 || got[0].Kind != CheckMissingAttachment {
		t.Fatalf("a new message with a block of its own: %+v", got)
	}
}
