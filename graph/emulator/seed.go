package emulator

import "time"

// People of the fictional Contoso and its partners, used by the demo mailbox.
var (
	megan    = Addr("Megan Bowen", "megan.bowen@contoso.example")
	alex     = Addr("Alex Wilber", "alex.wilber@contoso.example")
	lee      = Addr("Lee Gu", "lee.gu@contoso.example")
	nestor   = Addr("Nestor Wilke", "nestor.wilke@contoso.example")
	isaiah   = Addr("Isaiah Langer", "isaiah.langer@contoso.example")
	johanna  = Addr("Johanna Lorenz", "johanna.lorenz@contoso.example")
	lidia    = Addr("Lidia Holloway", "lidia.holloway@contoso.example")
	diego    = Addr("Diego Siciliani", "diego.siciliani@contoso.example")
	grady    = Addr("Grady Archie", "grady.archie@contoso.example")
	pradeep  = Addr("Pradeep Gupta", "pradeep.gupta@contoso.example")
	miriam   = Addr("Miriam Graham", "miriam.graham@contoso.example")
	patti    = Addr("Patti Fernandez", "patti.fernandez@contoso.example")
	henri    = Addr("Henrietta Mueller", "henrietta.mueller@contoso.example")
	legal    = Addr("Contoso Legal", "legal@contoso.example")
	finance  = Addr("Finance Archive", "finance-archive@contoso.example")
	hr       = Addr("People Team", "people@contoso.example")
	misaki   = Addr("田中 美咲", "misaki.tanaka@contoso.example")
	wangwei  = Addr("王伟", "wang.wei@contoso.example")
	noa      = Addr("נועה כהן", "noa.cohen@contoso.example")
	layla    = Addr("ليلى حداد", "layla.haddad@contoso.example")
	jose     = Addr("José Álvarez", "jose.alvarez@fabrikam.example")
	zoe      = Addr("Zoë Lefèvre", "zoe.lefevre@contoso.example")
	fabrikAP = Addr("Fabrikam Accounts Payable", "ap@fabrikam.example")
	ines     = Addr("Inês Gonçalves", "ines.goncalves@fabrikam.example")
	tailspin = Addr("Sam Okafor", "sam.okafor@tailspintoys.example")
	obrien   = Addr("Siobhán O'Brien", "siobhan.obrien@obrienlogistics.example")
)

// demoDraft is one seeded message: a Draft and its age relative to the clock at seed time.
type demoDraft struct {
	age time.Duration
	d   Draft
}

// SeedDemo fills the /me mailbox with a realistic, deterministic set of drafts (new ones, and
// replies, replies to all and forwards made as createReply, createReplyAll and createForward
// make them), received mail in the Inbox, a few sent messages, attachments (a file over 3 MB,
// an inline image, PDFs, an attached message and a cloud link), dated relative to the clock at
// the time of the call.
func (s *Server) SeedDemo() {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	mb := s.me
	received := s.seedInboxLocked(mb, now)
	drafts := mb.byName["drafts"]
	for _, dd := range demoDrafts {
		d := dd.d
		d.LastModified = now.Add(-dd.age)
		d.Created = d.LastModified.Add(-dd.age / 4)
		it := s.itemFromDraft(mb, d, "", now)
		s.attachDemoFiles(it, demoFiles[d.Subject])
		drafts.insert(it)
	}
	if s.tips == nil {
		s.tips = map[string]MailTip{}
	}
	for addr, t := range demoTips {
		s.tips[addr] = t
	}
	sent := mb.byName["sentitems"]
	for _, dd := range demoSent {
		d := dd.d
		d.NotDraft = true
		d.Sent = now.Add(-dd.age)
		d.Created, d.LastModified = d.Sent, d.Sent
		it := s.itemFromDraft(mb, d, "", now)
		s.attachDemoFiles(it, demoFiles[d.Subject])
		if key := demoSentReplies[d.Subject]; key != "" {
			received[key] = s.linkReplyLocked(it, received[key])
		}
		sent.insert(it)
	}
	s.seedResponsesLocked(mb, now, received)
}

// demoFiles are the attachments of the demo's drafts and sent messages, by subject.
var demoFiles = map[string][]demoFile{
	"Q3 budget review — revised figures": {csvFile("Q3-budget-model-export.csv")},
	"URGENT: Fabrikam contract renewal expires Friday": {pdfFile("Fabrikam-MSA-renewal-2024.pdf",
		"Master Services Agreement — Renewal 2024", "Between Contoso Ltd. and Fabrikam Lda.",
		"Liability cap: 12 months of fees", "Data processing addendum: 2024 version", "Signature: ____________________")},
	"Invoice INV-20417 — payment confirmation": {pdfFile("Remittance-advice-INV-20417.pdf",
		"Remittance advice", "Invoice INV-20417, Fabrikam", "Amount: EUR 18,450.00", "Paid by bank transfer to the account ending 4471")},
	"Draft: customer case study — Tailspin Toys": {
		inlineImage("image001.png", "image001.png@01DA9F3B.5E8A2C10"),
		pdfFile("Tailspin-case-study-draft.pdf", "Case study: Tailspin Toys", "Order processing time cut by 40%", "Draft for review — not for distribution"),
	},
	"Interview feedback: Senior Data Engineer (candidate #4471)": {itemFile("Interview schedule — candidate #4471", Message{
		Subject: "Interview schedule — candidate #4471",
		From:    &hr,
		Body:    ItemBody{ContentType: contentText, Content: "Panel: Henrietta Mueller, Pradeep Gupta, Adele Vance\nSystem design: 10:00\nCoding: 11:00\nValues: 13:30"},
	})},
	"Notes for the all-hands (don't send yet)": {referenceFile("All-hands slides.pptx",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation", 1060)},
	"Signed NDA — Fabrikam": {pdfFile("NDA-Contoso-Fabrikam-signed.pdf", "Mutual Non-Disclosure Agreement",
		"Contoso Ltd. and Fabrikam Lda.", "Signed for Contoso: Adele Vance")},
}

// demoSentReplies links sent messages to the received message they answer, by subject and key.
var demoSentReplies = map[string]string{"Re: Board deck — final version": "boarddeck"}

// demoTips are the mail tips of some demo recipients, so the send dialog's
// pre-send checks have something to show.
var demoTips = map[string]MailTip{
	"megan.bowen@contoso.example": {AutomaticReply: "<p>I'm out of the office until Monday with limited access to email. For budget questions, please contact Alex Wilber.</p>"},
	"lee.gu@contoso.example":      {MailboxFull: true},
	"people@contoso.example":      {Moderated: true, CustomMailTip: "This list reaches the whole People Team; messages wait for approval."},
}

var demoDrafts = []demoDraft{
	{12 * time.Minute, Draft{
		Subject:  "Q3 budget review — revised figures",
		BodyType: "html",
		Body: `<html><body><p>Hi Megan,</p>
<p>Attached are the revised Q3 figures after Tuesday's review. The headline changes:</p>
<ul>
<li>Marketing events move from $180k to $145k (the Lisbon summit is now virtual).</li>
<li>Cloud spend goes up 8% to cover the new analytics cluster.</li>
<li>Two contractor roles in Support are extended to the end of November.</li>
</ul>
<p>The full model is on the <a href="https://contoso.sharepoint.example/sites/finance/Q3-budget">finance site</a>. Could you confirm by Thursday so I can send it to Pradeep?</p>
<p>Thanks,<br>Adele</p></body></html>`,
		To: []Recipient{megan},
		Cc: []Recipient{alex},
	}},
	{25 * time.Minute, Draft{
		Subject: "Team lunch on Thursday? 🍕🌮",
		Body: "Hi all,\n\nNow that the release is out the door, lunch is on me this Thursday at 12:30. " +
			"Options so far: the pizza place on 5th, or the taco truck by the river if the weather holds.\n\n" +
			"Reply with your vote (and any dietary needs) by Wednesday noon.\n\nAdele",
		To: []Recipient{megan, alex, lee, nestor, isaiah, johanna, diego},
	}},
	{45 * time.Minute, Draft{
		Subject: "Re: Offsite venue shortlist",
		Body: "Thanks Lidia, this is a great shortlist.\n\nMy ranking: 1) Lakeview Lodge (rooms for 40, good transit), " +
			"2) The Old Mill (cheaper, but only one breakout room), 3) Harbour Hotel (only if the dates slip to October).\n\n" +
			"Can we get a hold on Lakeview for 14–16 September before Friday?\n\nAdele",
		To:  []Recipient{lidia, grady, miriam, patti, pradeep, henri},
		Cc:  []Recipient{nestor},
		Bcc: []Recipient{hr},
	}},
	{2 * time.Hour, Draft{
		Subject: "URGENT: Fabrikam contract renewal expires Friday",
		Body: "Inês,\n\nOur master services agreement expires this Friday, 17:00 CET. Legal has approved the renewal with " +
			"two changes: the liability cap moves to 12 months of fees, and the data processing addendum is updated to the 2024 version.\n\n" +
			"Could you countersign the attached copy by Thursday? If that is not possible, we need a written 30-day extension.\n\n" +
			"Best regards,\nAdele Vance\nContoso Ltd.",
		To:         []Recipient{ines},
		Cc:         []Recipient{legal, johanna},
		Importance: "high",
	}},
	{3 * time.Hour, Draft{
		Subject: "Notes for the all-hands (don't send yet)",
		Body: "Talking points for Monday:\n- Welcome the four new hires in Support and Sales\n- Q2 results: revenue +11%, churn down to 2.1%\n" +
			"- Office move timeline (see Misaki's plan)\n- Reminder: security training due by the 30th\n\nTODO: add the customer quote from Tailspin.",
	}},
	{5 * time.Hour, Draft{
		Subject: "",
		Body:    "Hi Lee, quick one — could you send me the link to yesterday's recording? I want to share the demo part with the Fabrikam team.\n\nThanks!",
		To:      []Recipient{lee},
	}},
	{9 * time.Hour, Draft{
		Subject: "Quote for the Rotterdam shipment — O'Brien Logistics",
		Body: "Dear Siobhán,\n\nThank you for the quote for the Rotterdam shipment (12 pallets, ref. CT-88213). " +
			"The price works for us; could you confirm the pick-up window on the 22nd and whether the insurance covers the full declared value?\n\n" +
			"Kind regards,\nAdele Vance",
		To: []Recipient{obrien},
		Cc: []Recipient{grady},
	}},
	{26 * time.Hour, Draft{
		Subject: "Follow-up on the cross-team planning session: action items, owners, deadlines, open questions about the " +
			"Northwind integration and the updated rollout timeline for the EMEA and APAC regions",
		Body: "Hi everyone,\n\nThanks for a productive session. Action items:\n" +
			"1. Nestor — finalise the Northwind API contract (due 3 May)\n2. Isaiah — load test plan for APAC (due 7 May)\n" +
			"3. Johanna — update the EMEA rollout calendar (due 8 May)\n\nOpen questions: data residency for APAC customers, " +
			"and whether the pilot needs a second support shift.\n\nAdele",
		To: []Recipient{nestor, isaiah, johanna},
		Cc: []Recipient{miriam, pradeep},
	}},
	{2 * 24 * time.Hour, Draft{
		Subject: "東京オフィス移転のご案内 / Tokyo office move",
		Body: "田中さん、王さん\n\nお疲れさまです。東京オフィスの移転日程が確定しました：6月3日（月）から新オフィス（渋谷）での勤務となります。\n\n" +
			"Misaki, Wei — the move date is confirmed: from Monday 3 June everyone works from the new Shibuya office. " +
			"Please make sure the meeting rooms are set up by Friday 31 May.\n\n" +
			"Adele",
		To: []Recipient{misaki, wangwei},
	}},
	{3 * 24 * time.Hour, Draft{
		Subject: "Welcome aboard, Noa! 🎉",
		Body: "Hi Noa,\n\nWelcome to Contoso! Your first day is Monday; Layla will meet you at reception at 9:00 and walk you through " +
			"your laptop setup and the onboarding plan for the first two weeks.\n\nWe're very glad to have you on the team.\n\nAdele",
		To:  []Recipient{noa},
		Cc:  []Recipient{layla},
		Bcc: []Recipient{hr},
	}},
	{4 * 24 * time.Hour, Draft{
		Subject:  "Réunion trimestrielle avec l'équipe de Montréal",
		BodyType: "html",
		Body: `<p>Bonjour José, bonjour Zoë,</p>
<p>Je vous propose de tenir la réunion trimestrielle le <b>jeudi 12</b> à 15h (heure de Paris), soit 9h à Montréal.</p>
<p>Ordre du jour&nbsp;:</p>
<ol><li>Bilan des ventes du trimestre</li><li>Lancement de la gamme «&nbsp;Été&nbsp;»</li><li>Questions diverses</li></ol>
<p>Bien cordialement,<br>Adele</p>`,
		To: []Recipient{jose, zoe},
	}},
	{6 * 24 * time.Hour, Draft{
		Subject: "Invoice INV-20417 — payment confirmation",
		Body: "Hello,\n\nPlease find attached the remittance advice for invoice INV-20417 (EUR 18,450.00), paid today by bank transfer " +
			"to the account ending 4471. Please allow two business days for the funds to arrive.\n\nRegards,\nAdele Vance\nContoso Finance",
		To:  []Recipient{fabrikAP},
		Bcc: []Recipient{finance},
	}},
	{9 * 24 * time.Hour, Draft{
		Subject:  "Draft: customer case study — Tailspin Toys",
		BodyType: "html",
		Body: `<html><body><h2>How Tailspin Toys cut order processing time by 40%</h2>
<p>Tailspin Toys ships 2 million toys a year from three warehouses. Before moving to Contoso Order Hub, every order was keyed in twice.</p>
<p>"We went from a two-day backlog to same-day shipping in six weeks," says Sam Okafor, Head of Operations.</p>
<p>Read the <a href="https://contoso.example/customers/tailspin">full story</a> or watch the video.</p>
<p><img src="cid:image001.png@01DA9F3B.5E8A2C10" alt="Order processing time, weeks 1–6" width="240" height="120"></p>
<p>Sam — could you check the quote and the numbers before we publish?</p></body></html>`,
		To: []Recipient{tailspin},
		Cc: []Recipient{patti},
	}},
	{14 * 24 * time.Hour, Draft{
		Subject: "Interview feedback: Senior Data Engineer (candidate #4471)",
		Body: "Strong hire from me.\n\nStrengths: clear system design (streaming ingestion with back-pressure), pragmatic about trade-offs, " +
			"good questions about our on-call rotation.\nConcerns: limited experience with our BI stack, easy to ramp up.\n\nScore: 3.5 / 4",
		To: []Recipient{henri, pradeep},
		Cc: []Recipient{hr},
	}},
	{21 * 24 * time.Hour, Draft{
		Subject: "Re: Parking access cards for new hires",
		Body:    "Thanks Grady — four cards is right. Please send them to reception and I'll hand them out on Monday.",
		To:      []Recipient{grady},
	}},
}

var demoSent = []demoDraft{
	{70 * time.Minute, Draft{
		Subject: "Re: Board deck — final version",
		Body:    "Looks great, Miriam. Two small fixes on slide 7 (the churn figure should be 2.1%) and it's ready to go.\n\nAdele",
		To:      []Recipient{miriam},
	}},
	{26 * time.Hour, Draft{
		Subject: "Security training reminder",
		Body:    "Hi team,\n\nFriendly reminder that the annual security training is due by the 30th. It takes about 40 minutes.\n\nAdele",
		To:      []Recipient{megan, alex, lee, nestor},
	}},
	{2*24*time.Hour + 3*time.Hour, Draft{
		Subject:  "Lakeview Lodge booking confirmed",
		BodyType: "html",
		Body:     `<p>Hi Lidia,</p><p>Lakeview Lodge is booked for <b>14–16 September</b>. Deposit paid; the contract is in the shared folder.</p><p>Adele</p>`,
		To:       []Recipient{lidia},
		Cc:       []Recipient{grady},
	}},
	{5 * 24 * time.Hour, Draft{
		Subject: "Signed NDA — Fabrikam",
		Body:    "Inês,\n\nAttached is the NDA signed on our side. Looking forward to the workshop next week.\n\nBest,\nAdele",
		To:      []Recipient{ines},
		Cc:      []Recipient{legal},
	}},
}
