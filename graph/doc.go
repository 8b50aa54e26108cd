// Package graph is a small, careful client for the Microsoft Graph mail
// endpoints drafts uses: listing the Drafts and Sent Items folders, opening one
// message, sending a draft, and confirming that the sent copy reached Sent
// Items.
//
// It speaks plain net/http, and encoding/json except for messages: those
// are decoded by github.com/goccy/go-json (encoding/json's API and results,
// four times faster for a page of 1,000; a fuzz test compares the two) into
// plain wire structs, then cleaned (decode.go).
// It knows nothing about terminals, but every string it decodes from the
// server is cleaned of terminal control sequences before it is returned (see
// CleanLine and CleanText), so callers can show Message fields as they are.
//
// The rules it follows come from Graph's documented behaviour: paging by
// following @odata.nextLink whole, Retry-After on 429/503/504, at most four
// requests in flight per mailbox, POST /send answered by 202 with the copy
// appearing in Sent Items later under a new id, and never sending a message
// twice (see SendAndConfirm).
package graph
