package emulator

import (
	"strconv"
	"time"
)

// Vocabulary for generated drafts.
var (
	genTopics = []string{
		"Q3 forecast", "Northwind integration", "Fabrikam renewal", "customer onboarding", "security review",
		"hiring plan", "travel budget", "office move", "release notes", "support rota", "pricing update",
		"vendor shortlist", "quarterly business review", "data retention policy", "partner webinar",
	}
	genActions = []string{
		"next steps", "quick question", "notes from today", "draft for review", "updated timeline",
		"action items", "decision needed", "follow-up", "open issues", "summary",
	}
	genPeople = []Recipient{megan, alex, lee, nestor, isaiah, johanna, lidia, diego, grady, pradeep, miriam, patti, henri}
)

// SeedGenerated adds exactly n deterministic drafts with plausible subjects, recipients and
// bodies to the /me mailbox, the newest modified a minute before the clock and each next one 37
// seconds older. Every fifth body is HTML; every seventh draft has attachments.
func (s *Server) SeedGenerated(n int) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	mb := s.me
	drafts := mb.byName["drafts"]
	for i := 0; i < n; i++ {
		topic := genTopics[i%len(genTopics)]
		action := genActions[(i/len(genTopics))%len(genActions)]
		num := strconv.Itoa(i + 1)
		to := genPeople[i%len(genPeople)]
		d := Draft{
			Subject:        topic + " — " + action + " #" + num,
			To:             []Recipient{to},
			HasAttachments: i%7 == 3,
			LastModified:   now.Add(-time.Minute - time.Duration(i)*37*time.Second),
		}
		d.Created = d.LastModified.Add(-time.Duration(i%90) * time.Minute)
		if i%4 == 1 {
			d.Cc = []Recipient{genPeople[(i+5)%len(genPeople)]}
		}
		if i%11 == 2 {
			d.Importance = "high"
		}
		text := "Hi " + to.EmailAddress.Name + ",\n\nHere is the " + action + " on the " + topic +
			" (item " + num + "). Let me know what you think before Friday.\n\nThanks,\nAdele"
		if i%5 == 0 {
			d.BodyType = contentHTML
			d.Body = "<p>Hi " + to.EmailAddress.Name + ",</p><p>Here is the " + action + " on the <b>" + topic +
				"</b> (item " + num + "). Let me know what you think before Friday.</p><p>Thanks,<br>Adele</p>"
		} else {
			d.Body = text
		}
		drafts.insert(s.itemFromDraft(mb, d, text, now))
	}
}
