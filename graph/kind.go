package graph

import (
	"encoding/base64"
	"strings"
)

// Kind is what a draft is: a new message, a reply, a reply to all, or a forward. It is derived
// from what Graph returns, never from the subject (whose prefix is in the language of whoever
// wrote it: RE:, AW:, SV:, VS:, Antw:…, and users edit subjects). The rule and its sources are
// in graph/emulator's doc ("What kind of draft is it"), which sets the same properties.
type Kind uint8

// The kinds of draft.
const (
	KindNew Kind = iota
	KindReply
	KindReplyAll
	KindForward
)

// String names the kind as the screen and scripts show it.
func (k Kind) String() string {
	switch k {
	case KindReply:
		return "reply"
	case KindReplyAll:
		return "reply all"
	case KindForward:
		return "forward"
	}
	return "new"
}

// Properties a listing expands to tell a draft's kind (and its deferred-send time).
const (
	// IconIndexProperty is PidTagIconIndex: 261 on a reply draft, 262 on a forward.
	IconIndexProperty = "Integer 0x1080"
	// InReplyToProperty is PidTagInReplyToId: the original's internetMessageId, on replies.
	InReplyToProperty = "String 0x1042"
	// conversationHeader is the length of a conversationIndex with no reply level: a new thread.
	conversationHeader = 22
)

// kindOf decides the kind: a conversationIndex of one header block is a new message; deeper, the
// icon index says reply or forward, else In-Reply-To says reply, else it is a forward. Reply to
// all cannot be told from the draft alone (see ReplyAllOf).
func kindOf(conversationIndex, iconIndex, inReplyTo string) Kind {
	idx, err := base64.StdEncoding.DecodeString(conversationIndex)
	if err != nil || len(idx) <= conversationHeader {
		return KindNew
	}
	switch strings.TrimSpace(iconIndex) {
	case "261":
		return KindReply
	case "262":
		return KindForward
	}
	if inReplyTo != "" {
		return KindReply
	}
	return KindForward
}

// ReplyAllOf tells a reply from a reply to all, given the original: a reply to all addresses
// one of the original's recipients that a plain reply would not. A plain reply goes to the
// original's sender, or to its To recipients when the mailbox owner sent it; so the others are
// its remaining To and Cc recipients, less the owner. A reply to all of a message with no other
// recipient is a reply.
func ReplyAllOf(draft, original Message, owner string) Kind {
	if draft.Kind != KindReply {
		return draft.Kind
	}
	owner = strings.ToLower(owner)
	plain := map[string]bool{strings.ToLower(original.From.Address): true}
	if strings.ToLower(original.From.Address) == owner {
		for _, r := range original.To {
			plain[strings.ToLower(r.Address)] = true
		}
	}
	others := map[string]bool{}
	for _, r := range append(append([]Recipient(nil), original.To...), original.Cc...) {
		if a := strings.ToLower(r.Address); !plain[a] && a != owner {
			others[a] = true
		}
	}
	for _, r := range draft.Recipients() {
		if others[strings.ToLower(r.Address)] {
			return KindReplyAll
		}
	}
	return KindReply
}
