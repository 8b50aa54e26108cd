package emulator

import (
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"strings"
)

// Immutable ids. A message has two ids: the default one, which changes when the message moves
// to another folder (a move, a delete to Deleted Items, a deferred send to the Outbox), and an
// immutable one, which stays as long as the item is in the mailbox. A request with
// `Prefer: IdType="ImmutableId"` is answered with the immutable ids ("id" of each message) and
// `Preference-Applied: IdType="ImmutableId"`; either form of an id is accepted in a URL, with
// or without the header. "This header only applies to the request it is included with."
// https://learn.microsoft.com/graph/outlook-immutable-id
//
// Sending is the exception: the Sent Items copy of a sent draft is a new item with new ids of
// both kinds, so a client still finds it by internetMessageId. The immutable-id page says the
// draft's immutable id finds the copy, but the mail API overview says immutable ids stay "with
// the exception of sending a draft message"
// (https://learn.microsoft.com/graph/api/resources/mail-api-overview), which is what users
// observe (https://github.com/microsoftgraph/microsoft-graph-docs/issues/1533,
// https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/3767).
//
// ASSUMED: the immutable id's format (it starts "AAkALg", as Graph's do); ids of attachments
// and of the removals a delta query reports are always in the default form.

// immutableID returns the immutable id of the n-th item created in mailbox mb.
func (mb *mailbox) immutableID(n uint64) string {
	b := make([]byte, 0, 80)
	b = append(b, 0x00, 0x09, 0x00, 0x2e, 0x00)
	b = append(b, mb.guid...)
	b = append(b, 0x00, 0x46, 0x00, 0x00, 0x00, 0x00)
	b = append(b, mb.store[:]...)
	var c [8]byte
	binary.BigEndian.PutUint64(c[:], mix(n^0x1b873593)^n<<40)
	b = append(b, c[:]...)
	binary.BigEndian.PutUint64(c[:], n)
	b = append(b, c[2:]...)
	return base64.URLEncoding.EncodeToString(b)
}

// wantsImmutableIDs reports whether the request asks for immutable ids.
func wantsImmutableIDs(h http.Header) bool {
	for _, v := range h.Values("Prefer") {
		for _, pref := range strings.Split(v, ",") {
			key, val, ok := strings.Cut(strings.TrimSpace(pref), "=")
			if ok && strings.EqualFold(strings.TrimSpace(key), "IdType") &&
				strings.EqualFold(strings.Trim(strings.TrimSpace(val), `"`), "ImmutableId") {
				return true
			}
		}
	}
	return false
}

// idOf returns the id of it to show: the immutable one when the request asked for it.
func (o render) idOf(it *item) string {
	if o.immutable && it.msg.immutableID != "" {
		return it.msg.immutableID
	}
	return it.msg.ID
}
