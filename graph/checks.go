package graph

import (
	"fmt"
	"regexp"
	"strings"
)

// CheckKind names one kind of pre-send warning.
type CheckKind string

// The kinds of pre-send warnings.
const (
	CheckNoRecipients      CheckKind = "no-recipients"
	CheckNoSubject         CheckKind = "no-subject"
	CheckEmptyBody         CheckKind = "empty-body"
	CheckMissingAttachment CheckKind = "missing-attachment"
	CheckAutomaticReply    CheckKind = "automatic-reply"
	CheckMailboxFull       CheckKind = "mailbox-full"
	CheckExternal          CheckKind = "external"
	CheckRestricted        CheckKind = "restricted"
	CheckModerated         CheckKind = "moderated"
	CheckCustomTip         CheckKind = "custom-tip"
	CheckTipUnavailable    CheckKind = "tip-unavailable"
)

// Check is one warning shown before a send. Checks warn; they never block.
type Check struct {
	// Kind says which check it is.
	Kind CheckKind
	// Text says it in one line for a person.
	Text string
}

// LocalChecks looks at the draft itself: no recipient, no subject, an empty
// body, or a body that mentions an attachment when there is none. Body
// checks need the opened message (HasBody); a listed one skips them.
func LocalChecks(m Message) []Check {
	var cs []Check
	if len(m.Recipients()) == 0 {
		cs = append(cs, Check{CheckNoRecipients, "no recipients: Outlook will refuse to send it"})
	}
	if strings.TrimSpace(m.Subject) == "" {
		cs = append(cs, Check{CheckNoSubject, "no subject"})
	}
	if !m.HasBody {
		return cs
	}
	response := m.Kind != KindNew
	own := OwnText(m.Body, response)
	switch {
	case strings.TrimSpace(own) == "" && QuoteStart(m.Body, response) >= 0:
		cs = append(cs, Check{CheckEmptyBody, "nothing is written above the quoted message"})
	case strings.TrimSpace(own) == "":
		cs = append(cs, Check{CheckEmptyBody, "the body is empty"})
	case !m.hasFiles():
		if w := attachmentWord.FindString(own); w != "" {
			cs = append(cs, Check{CheckMissingAttachment, fmt.Sprintf("the text says %q but nothing is attached", strings.TrimSpace(w))})
		}
	}
	return cs
}

// hasFiles reports whether files go with the message: the listed attachments when they were
// asked for (an inline image is not a file the text can mean), else Graph's hasAttachments.
func (m Message) hasFiles() bool {
	if m.Attachments == nil {
		return m.HasAttachments
	}
	for _, a := range m.Attachments {
		if !a.IsInline {
			return true
		}
	}
	return false
}

// attachmentWord matches words that promise an attachment, in the
// languages Outlook users write most.
var attachmentWord = regexp.MustCompile(`(?i)\b(attached|attaching|attachments?|enclosed|anbei|angehängt|im anhang|ci-joint|pièce jointe|pièces jointes|adjunto|adjuntos|adjunta|em anexo|in bijlage|als bijlage|in allegato|allegato)\b|添付`)

// TipChecks turns mail tips into warnings, one per recipient and concern.
func TipChecks(tips []MailTip) []Check {
	var cs []Check
	var external []string
	for _, t := range tips {
		switch {
		case t.Error != "":
			cs = append(cs, Check{CheckTipUnavailable, fmt.Sprintf("%s: no mail tips (%s)", t.Address, t.Error)})
			continue
		case t.MailboxFull:
			cs = append(cs, Check{CheckMailboxFull, t.Address + "'s mailbox is full: the message will bounce"})
		case t.DeliveryRestricted:
			cs = append(cs, Check{CheckRestricted, t.Address + " accepts mail only from certain senders"})
		}
		if t.AutomaticReply != "" {
			cs = append(cs, Check{CheckAutomaticReply, t.Address + " has an automatic reply: " + t.AutomaticReply})
		}
		if t.Moderated {
			cs = append(cs, Check{CheckModerated, "messages to " + t.Address + " wait for a moderator"})
		}
		if t.CustomTip != "" {
			cs = append(cs, Check{CheckCustomTip, t.Address + ": " + t.CustomTip})
		}
		if t.External {
			external = append(external, t.Address)
		}
	}
	switch len(external) {
	case 0:
	case 1:
		cs = append(cs, Check{CheckExternal, external[0] + " is outside your organization"})
	default:
		cs = append(cs, Check{CheckExternal, fmt.Sprintf("%d recipients are outside your organization: %s", len(external), strings.Join(external, ", "))})
	}
	return cs
}

// Warnings are the checks of the draft itself that a confirmation shows as warnings: all of
// LocalChecks but the missing recipients, which a confirmation shows in its To line (and which
// makes the draft impossible to send, not merely worth a second look).
func Warnings(m Message) []Check {
	var out []Check
	for _, c := range LocalChecks(m) {
		if c.Kind != CheckNoRecipients {
			out = append(out, c)
		}
	}
	return out
}
