// Package emulator is a faithful local Microsoft Graph mail endpoint: an [http.Handler] that serves
// the Graph v1.0 mail API (mail folders, messages, drafts, send) with Graph's JSON shapes, OData
// query rules and error bodies.
//
// It is used by `drafts --demo`, by the project's tests, and by any Graph client (Microsoft's SDKs
// included) that needs a mailbox without a tenant. Everything a test needs to observe or steer is
// on [Server]: seeding ([Server.SeedDemo], [Server.SeedGenerated], [Server.AddDraft]), snapshots
// ([Server.Drafts], [Server.Sent]), a request log ([Server.Requests], [Server.Count],
// [Server.MaxInFlight]) and scripted faults ([Server.Inject] with a [Rule] per request: the
// faults Graph is known for are built by [Throttled], [ServerError], [ExpiredToken], [Denied] and
// the like), hostile text ([Server.SeedHostile]) and network outages ([Server.Stop]). With
// [Options.FaultControl] the same rules can be posted over HTTP to [FaultsPath] (faultapi.go).
//
// Time is read from [Options.Now], never from timers: a sent message becomes visible in Sent Items
// once the clock has passed the send time plus [Options.SendDelay], so tests that advance a fake
// clock are deterministic. A draft sent with Outlook's deferred-send time
// (singleValueExtendedProperties "SystemTime 0x3FEF", set by PATCH) in the future waits in the
// Outbox, under a new id, until that time, and its copy shows in Sent Items from then on. That is
// Exchange Online; [Options.DeferredInDrafts] instead keeps it in Drafts, under its own id and
// with its time, until then, as users report of Outlook.com.
// POST getMailTips answers mail tips ([Server.SetMailTip]).
//
// Transport and protocol: [Server.Start] serves plain HTTP, [Server.StartTLS] HTTPS with HTTP/2
// (a certificate from [NewCertificates], whose CA a client trusts), and answers are gzipped when
// the request accepts it. POST $batch runs JSON batches through the whole handler (batch.go);
// .../messages/$count counts; Prefer: odata.maxpagesize sizes pages and
// Prefer: IdType="ImmutableId" shows ids that survive moves (immutable.go). A bearer token is
// checked for its form unless [Options.Token] names the one accepted (auth.go). What each
// behaviour is based on, documented, observed or assumed, is listed in FIDELITY.md.
//
// Besides drafts, the emulator makes replies and forwards (createReply, createReplyAll,
// createForward, and reply, replyAll, forward, which send at once; respond.go), stores
// attachments with their bytes (attach.go; larger files through upload sessions, upload.go),
// and answers $select=uniqueBody and internetMessageHeaders. [Server.SeedDemo] fills the Inbox
// with received mail, and Drafts with replies, replies to all and forwards made from it.
//
// # What kind of draft is it
//
// A client tells a new draft from a reply, a reply to all and a forward by what Graph returns,
// not by the subject: its prefix is in the language of whoever made it ("RE:", "AW:", "SV:",
// "VS:", "RV:", "Antw:"; the same "VS:" is a Finnish reply and a Norwegian forward), and users
// edit subjects. The emulator sets on the drafts it makes what is described below, and a client
// should decide in this order:
//
//  1. New or response. conversationIndex (base64) decodes to 22 bytes on the first message of a
//     conversation and to 5 more for each level of reply or forward: "a header block that is 22
//     bytes in length, followed by zero or more child blocks each 5 bytes in length", set "for
//     each outgoing message, whether it is a new message, a forwarded message, or a reply"
//     (MAPI, Tracking conversations:
//     https://learn.microsoft.com/office/client-developer/outlook/mapi/tracking-conversations).
//     22 bytes: a new draft. (A draft created by POST .../messages never has more, even with
//     "Re:" in its subject, as the demo's "Re: Offsite venue shortlist" shows.)
//  2. Reply or forward. singleValueExtendedProperties "Integer 0x1080" (PidTagIconIndex) is 261
//     (0x105, "Replied mail") on a reply or reply-all draft and 262 (0x106, "Forwarded mail")
//     on a forward draft (values:
//     https://learn.microsoft.com/office/client-developer/outlook/mapi/pidtagiconindex-canonical-property).
//     GUESS: that Exchange sets the icon index on the drafts createReply and createForward
//     make is not documented; MAPI documents the values for the icon a message shows. Backing
//     it: "String 0x1042" (PidTagInReplyToId, the original's internetMessageId) "is set on all
//     message replies" ([MS-OXOMSG] 2.2.1.13,
//     https://learn.microsoft.com/openspecs/exchange_server_protocols/ms-oxomsg/52bb562d-c911-4a15-9754-d9c9d9253b8b);
//     the emulator sets it on replies and not on forwards (GUESS: what Exchange does on a forward
//     is not documented, so a client must not take its presence alone for a reply). "String
//     0x1039" (PidTagInternetReferences, the Message-IDs of the thread) is on both. Without the
//     icon index: In-Reply-To set, a reply; a deeper conversationIndex without it, a forward.
//  3. Reply or reply all. No property says. A reply is addressed to the original's replyTo,
//     else its sender (its To recipients when the mailbox owner sent it); a reply all also to
//     the original's other To and Cc recipients, less the mailbox owner. A client finds the
//     original by $filter=internetMessageId eq '<the In-Reply-To value>' and takes the draft
//     for a reply all when it addresses one of the original's recipients that a reply would
//     not. A reply all to a message that had no other recipient is a reply.
//
// Once a response is sent, its original carries "Integer 0x1081" (PidTagLastVerbExecuted: 102
// reply, 103 reply all, 104 forward, [MS-OXOMSG]'s NOTEIVERB_REPLYTOSENDER, _REPLYTOALL and
// _FORWARD, the values EWS clients filter on), "SystemTime 0x1082" (PidTagLastVerbExecutionTime)
// and the icon index 261 or 262
// (https://learn.microsoft.com/office/client-developer/outlook/mapi/pidtaglastverbexecuted-canonical-property).
// The emulator sets them when the response is sent (Exchange's time for it is a guess), so they
// tell a client what was done to a received message, not what a draft is.
//
// # Guesses
//
// Where Graph's behaviour is not documented or observed, the emulator guesses, and says so in a
// comment where it does. The guesses that shape what a client sees: with
// [Options.DeferredInDrafts], a deferred send kept in Drafts keeps isDraft true and gets a new
// changeKey; sending it again or a PATCH of it before its time is answered 400
// ErrorInvalidOperation; deleting it cancels the send.
//
// Replies and forwards: the icon index and In-Reply-To on the drafts (above); the recipients
// given in the message parameter replace those Exchange computed; the body of the message
// parameter goes where a comment would, above the quote; both a comment and message.body, or
// both toRecipients and message.toRecipients on a forward, are answered 400 BadRequest (the
// status is documented, the code is not); a forward sent at once without recipients is 400
// ErrorInvalidRecipients; a reply keeps the original's inline images and no other attachment;
// the quoted header's labels and date format in Options.Language. uniqueBody is the body cut
// where Exchange's quote begins (an hr, div#appendonsend or div#divRplyFwdMsg in HTML, a line of
// 32 underscores in text), in the body's content type unless Prefer asks for the other.
// internetMessageHeaders is absent (not empty) on messages without headers: drafts and sent
// copies.
//
// Attachments: a file attachment's size is its length in bytes (Exchange reports a little more);
// a POST of a file over 3 MB is answered 413 RequestEntityTooLarge (users report 413; the code
// and message are a guess); an upload session for less than 3 MB is answered 400
// ErrorAttachmentSizeShouldNotBeLessThanMinimumSize (documented; a user measured the real bound
// at 2 MiB), for more than 150 MB or Options.MaxMessageSize, and a PUT that makes the message
// larger than that, 400 ErrorMessageSizeExceeded (the code and message are what users report,
// the status is a guess); a range that does not start at nextExpectedRanges is 416
// ErrorInvalidRange, a malformed or inconsistent Content-Range 400 ErrorInvalidContentRange,
// a range over 4 MB 413 (codes guessed); an uploadUrl is valid for two hours, a GET on it
// reports nextExpectedRanges, and an expired, cancelled or finished session is 404
// ErrorItemNotFound. The $value of an item attachment is served as message/rfc822.
// Attachments cannot be changed by a PATCH of the message (400). A listing of attachments, like
// $expand=attachments, carries contentBytes unless $select leaves them out, as Graph does
// (message-list-attachments).
//
// Deliberate simplifications: no child folders, no MIME bodies (createReply and the like take
// JSON only), no Prefer: outlook.timezone (the quoted Sent: line is in UTC), $expand only of
// attachments (with an optional $select) and of singleValueExtendedProperties with a $filter on
// ids, only $select on attachments, no creation of reference attachments, and $filter supports
// comparisons, and/or/not, startswith, contains and any() over recipients (filter.go), not
// every OData function. What each endpoint and option is based on (documented, observed or
// assumed) is in FIDELITY.md.
package emulator
