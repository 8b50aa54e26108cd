package emulator

import (
	"net/url"
	"slices"
	"testing"
)

func TestFilterOrNotFunctionsAndRecipients(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.AddDraft(Draft{Subject: "Re: budget", To: []Recipient{Addr("Ann Lee", "ann@contoso.example")}})
	e.s.AddDraft(Draft{Subject: "Budget Q3", Cc: []Recipient{Addr("Bo", "bo@fabrikam.example")}})
	e.s.AddDraft(Draft{Subject: "Lunch", Bcc: []Recipient{Addr("Ann Lee", "ann@contoso.example")},
		To: []Recipient{Addr("Cy", "cy@contoso.example")}})
	e.s.AddDraft(Draft{Subject: "Nobody"})
	cases := []struct {
		filter string
		want   []string
	}{
		{"subject eq 'Lunch' or subject eq 'Nobody'", []string{"Lunch", "Nobody"}},
		{"not (subject eq 'Lunch')", []string{"Budget Q3", "Nobody", "Re: budget"}},
		{"not subject eq 'Lunch' and not subject eq 'Nobody'", []string{"Budget Q3", "Re: budget"}},
		// and binds tighter than or.
		{"subject eq 'Lunch' or subject eq 'Nobody' and isDraft eq false", []string{"Lunch"}},
		{"(subject eq 'Lunch' or subject eq 'Nobody') and isDraft eq false", nil},
		{"startswith(subject,'re:')", []string{"Re: budget"}},
		{"contains(subject,'BUDGET')", []string{"Budget Q3", "Re: budget"}},
		{"toRecipients/any(r: r/emailAddress/address eq 'ann@contoso.example')", []string{"Re: budget"}},
		{"toRecipients/any(r:r/emailAddress/address eq 'ANN@contoso.example')", []string{"Re: budget"}},
		{"bccRecipients/any(b: b/emailAddress/address eq 'ann@contoso.example')", []string{"Lunch"}},
		{"ccRecipients/any(c: contains(c/emailAddress/address,'fabrikam'))", []string{"Budget Q3"}},
		{"toRecipients/any(r: startswith(r/emailAddress/name,'cy') or r/emailAddress/address eq 'ann@contoso.example')",
			[]string{"Lunch", "Re: budget"}},
		{"toRecipients/any()", []string{"Lunch", "Re: budget"}},
		{"not toRecipients/any() and not ccRecipients/any()", []string{"Nobody"}},
		{"from/emailAddress/address eq '" + DefaultUser + "'", []string{"Budget Q3", "Lunch", "Nobody", "Re: budget"}},
		{"from/emailAddress/address eq 'someone@else.example'", nil},
		{"contains(from/emailAddress/name,'adele') and sender/emailAddress/address ne null", []string{"Budget Q3", "Lunch", "Nobody", "Re: budget"}},
	}
	for _, c := range cases {
		p := e.list("/me/mailFolders/drafts/messages?$top=100&$filter=" + url.QueryEscape(c.filter))
		got := subjects(p.Value)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("$filter=%s: %q, want %q", c.filter, got, c.want)
		}
	}
}
