package ui

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/draftsmail/drafts/graph"
)

// The list's filter: which messages contain every word typed.

// filterBy keeps the messages that contain every word of term, in any
// case, in their order (newest first), which reads better for mail than a
// fuzzy ranking. An empty term keeps every message.
func (l *messageList) filterBy(term string) {
	words := strings.Fields(strings.ToLower(term))
	if len(words) == 0 {
		l.shown, l.words = nil, nil
		return
	}
	key := strings.Join(words, " ")
	for _, m := range l.memo {
		if m.term == key {
			l.shown, l.words = m.shown, words
			return
		}
	}
	var shown []int32
	if l.words != nil && narrows(words, l.words) {
		// Every match of the new words matched the old ones.
		shown = make([]int32, 0, len(l.shown))
		for _, i := range l.shown {
			if containsAll(l.all[i].hay(), words) {
				shown = append(shown, i)
			}
		}
	} else {
		shown = make([]int32, 0, 64)
		for i, r := range l.all {
			if containsAll(r.hay(), words) {
				shown = append(shown, int32(i))
			}
		}
	}
	l.shown, l.words = shown, words
	if len(l.memo) == memoSize {
		l.memo = slices.Delete(slices.Clone(l.memo), 0, 1)
	}
	l.memo = append(l.memo[:len(l.memo):len(l.memo)], filterMemo{term: key, shown: shown})
}

// narrows reports whether every old word is part of some new word, so
// that whatever contains all the new words contains all the old ones.
func narrows(words, old []string) bool {
	for _, o := range old {
		found := false
		for _, w := range words {
			if strings.Contains(w, o) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func containsAll(hay string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// appendHaystack appends what the filter searches in a message: the subject and
// every recipient's name and address (and a received or sent message's sender's), lower-cased
// as strings.ToLower does.
func appendHaystack(buf []byte, m *graph.Message) []byte {
	buf = appendLower(buf, m.Subject)
	from := []graph.Recipient(nil)
	if !m.IsDraft && (m.From.Name != "" || m.From.Address != "") {
		from = []graph.Recipient{m.From} // a draft's sender is the mailbox: every draft would match
	}
	for _, rs := range [][]graph.Recipient{from, m.To, m.Cc, m.Bcc} {
		for _, r := range rs {
			buf = append(buf, ' ')
			buf = appendLower(buf, r.Name)
			buf = append(buf, ' ')
			buf = appendLower(buf, r.Address)
		}
	}
	return buf
}

// appendLower appends strings.ToLower(s) to b.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf {
			return append(b, strings.ToLower(s[i:])...) // the rare non-ASCII rest
		} else if 'A' <= c && c <= 'Z' {
			b = append(b, c+'a'-'A')
		} else {
			b = append(b, c)
		}
	}
	return b
}
