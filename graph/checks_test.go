package graph

import (
	"slices"
	"testing"
)

func kinds(cs []Check) []CheckKind {
	var ks []CheckKind
	for _, c := range cs {
		ks = append(ks, c.Kind)
	}
	return ks
}

func TestLocalChecks(t *testing.T) {
	to := []Recipient{{Address: "a@contoso.example"}}
	tests := []struct {
		name string
		m    Message
		want []CheckKind
	}{
		{"fine", Message{Subject: "Hi", To: to, Body: "Hello", HasBody: true}, nil},
		{"listed, body unknown", Message{Subject: "Hi", To: to}, nil},
		{"no subject", Message{Subject: "  ", To: to, Body: "x", HasBody: true}, []CheckKind{CheckNoSubject}},
		{"no recipients", Message{Subject: "Hi", Body: "x", HasBody: true}, []CheckKind{CheckNoRecipients}},
		{"empty body", Message{Subject: "Hi", To: to, Body: " \n\t", HasBody: true}, []CheckKind{CheckEmptyBody}},
		{"only a quote", Message{Subject: "Re: x", To: to, Body: "> old text\n", HasBody: true}, []CheckKind{CheckEmptyBody}},
		{"attached, none", Message{Subject: "Q3", To: to, Body: "Please find the figures attached.", HasBody: true}, []CheckKind{CheckMissingAttachment}},
		{"Anbei, none", Message{Subject: "Q3", To: to, Body: "anbei die Zahlen", HasBody: true}, []CheckKind{CheckMissingAttachment}},
		{"添付, none", Message{Subject: "Q3", To: to, Body: "資料を添付します", HasBody: true}, []CheckKind{CheckMissingAttachment}},
		{"attached, present", Message{Subject: "Q3", To: to, Body: "see attached", HasBody: true, HasAttachments: true}, nil},
		{"attached only in the quote", Message{Subject: "Re: Q3", To: to, HasBody: true,
			Body: "Thanks!\n\nOn Tue, Ana wrote:\nsee attached"}, nil},
		{"attached only in a > line", Message{Subject: "Re: Q3", To: to, HasBody: true, Body: "Thanks!\n> see attached"}, nil},
		{"attachment as part of a word", Message{Subject: "Q3", To: to, HasBody: true, Body: "the reattachedness of things"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kinds(LocalChecks(tt.m)); !slices.Equal(got, tt.want) {
				t.Fatalf("LocalChecks = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTipChecks(t *testing.T) {
	tips := []MailTip{
		{Address: "ana@contoso.example", AutomaticReply: "I am out until Monday."},
		{Address: "full@contoso.example", MailboxFull: true},
		{Address: "ines@fabrikam.example", External: true},
		{Address: "ap@fabrikam.example", External: true, DeliveryRestricted: true},
		{Address: "all@contoso.example", Moderated: true, CustomTip: "Goes to 4,000 people"},
		{Address: "gone@contoso.example", Error: "The recipient was not found."},
	}
	got := TipChecks(tips)
	want := []CheckKind{CheckAutomaticReply, CheckMailboxFull, CheckRestricted, CheckModerated, CheckCustomTip, CheckTipUnavailable, CheckExternal}
	if !slices.Equal(kinds(got), want) {
		t.Fatalf("kinds = %v, want %v", kinds(got), want)
	}
	if got[len(got)-1].Text != "2 recipients are outside your organization: ines@fabrikam.example, ap@fabrikam.example" {
		t.Fatalf("external text = %q", got[len(got)-1].Text)
	}
	if got[0].Text != "ana@contoso.example has an automatic reply: I am out until Monday." {
		t.Fatalf("auto reply text = %q", got[0].Text)
	}
}

// TestMissingAttachmentSeesTheFilesThatAreThere: with the attachments listed, an inline image
// alone is not the file "attached" promises, and a real file is, whatever hasAttachments says.
func TestMissingAttachmentSeesTheFilesThatAreThere(t *testing.T) {
	m := Message{Subject: "s", To: []Recipient{{Address: "a@x.example"}}, HasBody: true, Body: "The report is attached."}
	has := func(cs []Check) bool {
		for _, c := range cs {
			if c.Kind == CheckMissingAttachment {
				return true
			}
		}
		return false
	}
	m.Attachments = []Attachment{{Name: "logo.png", IsInline: true, Kind: "file"}}
	if !has(LocalChecks(m)) {
		t.Fatal("an inline image alone counted as the attached file")
	}
	m.Attachments = append(m.Attachments, Attachment{Name: "report.pdf", Kind: "file"})
	if has(LocalChecks(m)) {
		t.Fatal("a real file was not seen")
	}
}
