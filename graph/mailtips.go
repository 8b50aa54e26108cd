package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// MailTip is what Exchange knows about one recipient before a message goes
// to them: an automatic reply, a full mailbox, an external address, a
// restriction. Strings are cleaned.
type MailTip struct {
	// Address is the recipient the tip is about.
	Address string
	// AutomaticReply is the recipient's out-of-office message as one line
	// of text, or "" when none is on.
	AutomaticReply string
	// MailboxFull is true when the recipient's mailbox cannot take mail.
	MailboxFull bool
	// CustomTip is a note an admin attached to the recipient.
	CustomTip string
	// DeliveryRestricted is true when the recipient accepts mail only
	// from certain senders.
	DeliveryRestricted bool
	// Moderated is true when messages to the recipient wait for a
	// moderator's approval.
	Moderated bool
	// External is true when the recipient is outside the organization.
	External bool
	// MaxMessageSize is the largest message the recipient accepts, in
	// bytes, or 0 when unknown.
	MaxMessageSize int
	// Error is Exchange's reason when it could not get tips for this
	// recipient.
	Error string
}

// mailTipsOptions are the tips drafts asks for, in Graph's flag syntax.
const mailTipsOptions = "automaticReplies, mailboxFullStatus, customMailTip, deliveryRestriction, moderationStatus, recipientScope, maxMessageSize"

type wireMailTip struct {
	EmailAddress struct {
		Address string `json:"address"`
	} `json:"emailAddress"`
	AutomaticReplies struct {
		Message string `json:"message"`
	} `json:"automaticReplies"`
	MailboxFull        bool   `json:"mailboxFull"`
	CustomMailTip      string `json:"customMailTip"`
	DeliveryRestricted bool   `json:"deliveryRestricted"`
	IsModerated        bool   `json:"isModerated"`
	RecipientScope     string `json:"recipientScope"`
	MaxMessageSize     int    `json:"maxMessageSize"`
	Error              *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// MailTips asks Exchange for the mail tips of the given recipients
// (POST .../getMailTips). It only reads, so it is retried like a GET.
func (c *Client) MailTips(ctx context.Context, addresses []string) ([]MailTip, error) {
	const op = "get mail tips"
	if len(addresses) == 0 {
		return nil, nil
	}
	body, err := json.Marshal(struct {
		EmailAddresses  []string
		MailTipsOptions string
	}{addresses, mailTipsOptions})
	if err != nil {
		return nil, err
	}
	res, err := c.exec(ctx, call{op: op, method: http.MethodPost, url: c.root + "/getMailTips", body: body, idempotent: true})
	if err != nil {
		return nil, err
	}
	var page struct {
		Value []wireMailTip `json:"value"`
	}
	if err := c.decode(op, res, &page); err != nil {
		return nil, err
	}
	tips := make([]MailTip, len(page.Value))
	for i, w := range page.Value {
		tips[i] = MailTip{
			Address:            CleanLine(w.EmailAddress.Address),
			AutomaticReply:     oneLine(HTMLToText(w.AutomaticReplies.Message)),
			MailboxFull:        w.MailboxFull,
			CustomTip:          oneLine(HTMLToText(w.CustomMailTip)),
			DeliveryRestricted: w.DeliveryRestricted,
			Moderated:          w.IsModerated,
			External:           strings.Contains(strings.ToLower(w.RecipientScope), "external"),
			MaxMessageSize:     w.MaxMessageSize,
		}
		if w.Error != nil {
			tips[i].Error = CleanLine(w.Error.Message)
			if tips[i].Error == "" {
				tips[i].Error = CleanLine(w.Error.Code)
			}
		}
	}
	return tips, nil
}

// oneLine folds cleaned text onto one line with single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(CleanLine(s)), " ")
}

// TipWarnings asks for the mail tips of every recipient of d and words them as pre-send
// warnings (TipChecks). A draft without recipients asks nothing.
func (c *Client) TipWarnings(ctx context.Context, d Message) ([]Check, error) {
	addrs := d.Addresses()
	if len(addrs) == 0 {
		return nil, nil
	}
	tips, err := c.MailTips(ctx, addrs)
	if err != nil {
		return nil, err
	}
	return TipChecks(tips), nil
}
