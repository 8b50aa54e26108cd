package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// Identifiers look like Exchange's: base64url (with padding) of a binary entry id that embeds the
// mailbox GUID as ASCII, so they start with "AAMkAG..." like the ones Graph hands out. They are
// deterministic (derived from the UPN and a per-server sequence number) so seeded mailboxes and
// golden files are stable across runs.

// mix is splitmix64: a cheap, well-distributed deterministic hash of x.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// bytes16 derives 16 pseudo-random bytes from seed and n.
func bytes16(seed, n uint64) [16]byte {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], mix(seed^mix(n)))
	binary.BigEndian.PutUint64(b[8:], mix(seed+0x632be59bd9b4e019^mix(n+1)))
	return b
}

// formatGUID renders b as a lower-case 8-4-4-4-12 GUID with version-4 bits set.
func formatGUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// newRequestID returns a random GUID for the request-id and client-request-id headers.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return formatGUID(b)
}

// mailboxSeed derives the per-mailbox seed from its UPN.
func mailboxSeed(upn string) uint64 {
	sum := sha256.Sum256([]byte(strings.ToLower(upn)))
	return binary.BigEndian.Uint64(sum[:8])
}

// entryPrefix is the common start of message and folder ids: a header and the mailbox GUID.
func (mb *mailbox) entryPrefix(b []byte) []byte {
	b = append(b, 0x00, 0x03, 0x24, 0x00)
	return append(b, mb.guid...)
}

// messageID returns the id of the n-th item created by the server in mailbox mb.
func (mb *mailbox) messageID(n uint64) string {
	b := make([]byte, 0, 112)
	b = mb.entryPrefix(b)
	b = append(b, 0x00, 0x46, 0x00, 0x00, 0x00, 0x00)
	b = append(b, mb.store[:]...)
	b = append(b, 0x07, 0x00)
	b = append(b, mb.store2[:]...)
	b = append(b, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0f, 0x00, 0x00)
	b = append(b, mb.store2[:]...)
	var c [8]byte
	binary.BigEndian.PutUint64(c[:], mix(n)^n<<40)
	b = append(b, c[:]...)
	binary.BigEndian.PutUint64(c[:], n)
	b = append(b, c[2:]...)
	b = append(b, 0x00, 0x00)
	return base64.URLEncoding.EncodeToString(b)
}

// folderID returns the id of the folder with the given index in mailbox mb.
func (mb *mailbox) folderID(index byte) string {
	b := make([]byte, 0, 80)
	b = mb.entryPrefix(b)
	b = append(b, 0x00, 0x2e, 0x00, 0x00, 0x00, 0x00)
	b = append(b, mb.store[:]...)
	b = append(b, 0x01, 0x00)
	b = append(b, mb.store2[:]...)
	b = append(b, 0x00, 0x00, 0x00, 0x00, 0x01, index, 0x00, 0x00)
	return base64.URLEncoding.EncodeToString(b)
}

// conversationID returns a conversation id for the n-th conversation in mailbox mb.
func (mb *mailbox) conversationID(n uint64) string {
	b := make([]byte, 0, 64)
	b = append(b, 0x00, 0x04, 0x24, 0x00)
	b = append(b, mb.guid...)
	b = append(b, 0x00, 0x10, 0x00)
	g := bytes16(mb.seed^0x5bd1e995, n)
	b = append(b, g[:]...)
	return base64.URLEncoding.EncodeToString(b)
}

// conversationIndex returns an Outlook-style conversation index: a 22-byte header (reserved byte,
// 5 bytes of time, 16-byte GUID) in standard base64.
func conversationIndex(seed, n uint64, unix int64) string {
	var b [22]byte
	b[0] = 0x01
	t := uint64(unix) * 10_000_000 >> 16
	for i := 5; i >= 1; i-- {
		b[i] = byte(t)
		t >>= 8
	}
	g := bytes16(seed^0x27d4eb2f, n)
	copy(b[6:], g[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// internetMessageID returns an RFC 5322 Message-ID in Exchange Online's style.
func internetMessageID(seed, n uint64) string {
	g := bytes16(seed^0x165667b1, n)
	return "<CO1PR11MB5041" + strings.ToUpper(hex.EncodeToString(g[:])) +
		"@CO1PR11MB5041.namprd11.prod.outlook.com>"
}

// changeKey returns a changeKey for revision n of an item: standard base64 of an Exchange
// change-key blob ("CQAAABYAAA...").
func changeKey(seed, n uint64) string {
	b := make([]byte, 0, 24)
	b = append(b, 0x09, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00)
	g := bytes16(seed^0x85ebca6b, n)
	b = append(b, g[:]...)
	return base64.StdEncoding.EncodeToString(b)
}

// malformedID reports whether id cannot be an Exchange entry id at all (Graph answers such ids with
// 400 ErrorInvalidIdMalformed rather than 404).
func malformedID(id string) bool {
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.URLEncoding, base64.RawURLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if raw, err = enc.DecodeString(id); err == nil {
			break
		}
	}
	return err != nil || len(raw) < 40
}
