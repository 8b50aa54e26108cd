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
// the like), hostile text ([Server.SeedHostile]) and network outages ([Server.Stop]).
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
// Where Graph's behaviour is not documented or observed, the emulator guesses, and says so in a
// comment where it does. The guesses that shape what a client sees: with
// [Options.DeferredInDrafts], a deferred send kept in Drafts keeps isDraft true and gets a new
// changeKey; sending it again or a PATCH of it before its time is answered 400
// ErrorInvalidOperation; deleting it cancels the send.
//
// Deliberate simplifications: no attachments (only the hasAttachments flag), no child folders,
// $expand only of singleValueExtendedProperties with a $filter on ids, and $filter supports eq/ne
// (and date comparisons) joined by "and".
package emulator
