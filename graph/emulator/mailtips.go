package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// MailTip is what the emulator answers in getMailTips for one address. Set
// one with SetMailTip; an address without one gets an empty tip whose scope
// is internal when its domain is the mailbox owner's, else external.
type MailTip struct {
	// AutomaticReply is the out-of-office message (HTML, as Exchange
	// stores it); "" means none.
	AutomaticReply string
	// MailboxFull marks the recipient's mailbox as full.
	MailboxFull bool
	// CustomMailTip is an admin's note about the recipient.
	CustomMailTip string
	// DeliveryRestricted marks a recipient that accepts mail only from
	// certain senders.
	DeliveryRestricted bool
	// Moderated marks a recipient whose mail waits for a moderator.
	Moderated bool
	// NotFound makes the tip an error: the recipient is unknown.
	NotFound bool
}

// maxMessageSize is the limit Exchange Online reports by default (36 MB).
const maxMessageSize = 37748736

// SetMailTip sets the mail tip getMailTips returns for address.
func (s *Server) SetMailTip(address string, t MailTip) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tips == nil {
		s.tips = map[string]MailTip{}
	}
	s.tips[strings.ToLower(address)] = t
}

// getMailTips serves POST .../getMailTips: the requested tips of each
// address, in the order asked.
func (c *call) getMailTips() *apiError {
	data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
	if err != nil {
		return errBadJSON()
	}
	var raw map[string]json.RawMessage
	if json.Unmarshal(data, &raw) != nil {
		return errBadJSON()
	}
	var addresses []string
	var options string
	for k, v := range raw {
		switch strings.ToLower(k) {
		case "emailaddresses":
			if json.Unmarshal(v, &addresses) != nil {
				return newError(http.StatusBadRequest, "RequestBodyRead", "Cannot convert the value of property 'EmailAddresses' to the expected type.")
			}
		case "mailtipsoptions":
			if json.Unmarshal(v, &options) != nil {
				return newError(http.StatusBadRequest, "RequestBodyRead", "Cannot convert the value of property 'MailTipsOptions' to the expected type.")
			}
		default:
			return newError(http.StatusBadRequest, "RequestBodyRead", "The parameter '%s' in the request payload is not a valid parameter for the operation 'getMailTips'.", k)
		}
	}
	if len(addresses) == 0 {
		return newError(http.StatusBadRequest, "ErrorInvalidParameter", "The parameter 'EmailAddresses' is required.")
	}
	want := map[string]bool{}
	for _, o := range strings.Split(options, ",") {
		want[strings.ToLower(strings.TrimSpace(o))] = true
	}
	domain := ""
	if _, d, ok := strings.Cut(c.mb.upn, "@"); ok {
		domain = strings.ToLower(d)
	}
	c.s.mu.Lock()
	out := make([]map[string]any, 0, len(addresses))
	for _, a := range addresses {
		out = append(out, renderMailTip(a, c.s.tips[strings.ToLower(a)], want, domain))
	}
	c.s.mu.Unlock()
	body, _ := json.Marshal(map[string]any{
		"@odata.context": c.base + "/$metadata#Collection(microsoft.graph.mailTips)",
		"value":          out,
	})
	c.writeJSON(http.StatusOK, body)
	return nil
}

// renderMailTip builds one mailTips object with the requested fields only,
// as Graph does.
func renderMailTip(address string, t MailTip, want map[string]bool, ownDomain string) map[string]any {
	m := map[string]any{"emailAddress": map[string]any{"name": "", "address": address}}
	if t.NotFound {
		m["error"] = map[string]any{"code": "ErrorRecipientNotFound", "message": "The recipient " + address + " was not found."}
		return m
	}
	if want["automaticreplies"] {
		ar := map[string]any{}
		if t.AutomaticReply != "" {
			ar["message"] = t.AutomaticReply
			ar["messageLanguage"] = map[string]any{"locale": "en-US", "displayName": "English (United States)"}
		}
		m["automaticReplies"] = ar
	}
	if want["mailboxfullstatus"] {
		m["mailboxFull"] = t.MailboxFull
	}
	if want["custommailtip"] && t.CustomMailTip != "" {
		m["customMailTip"] = t.CustomMailTip
	}
	if want["deliveryrestriction"] {
		m["deliveryRestricted"] = t.DeliveryRestricted
	}
	if want["moderationstatus"] {
		m["isModerated"] = t.Moderated
	}
	if want["maxmessagesize"] {
		m["maxMessageSize"] = maxMessageSize
	}
	if want["recipientscope"] {
		scope := "internal"
		if _, d, _ := strings.Cut(address, "@"); !strings.EqualFold(d, ownDomain) {
			scope = "external, externalNonPartner"
		}
		m["recipientScope"] = scope
	}
	return m
}
