package graph_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// TestAttachSmallAndLargeFiles: a file up to 3 MB goes in one POST, a larger one through an
// upload session in ranges; both list with their names and sizes and read back byte for byte.
func TestAttachSmallAndLargeFiles(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{NoSendDelay: true})
	d := emu.AddDraft(emulator.Draft{Subject: "files", To: []emulator.Recipient{emulator.Addr("", "a@contoso.example")}})
	ctx := context.Background()
	small := []byte("hello, file")
	large := bytes.Repeat([]byte("0123456789abcdef"), (5<<20)/16) // 5 MB
	if err := c.Attach(ctx, d.ID, "notes.txt", "text/plain", small, nil); err != nil {
		t.Fatal(err)
	}
	var steps []int64
	if err := c.Attach(ctx, d.ID, "big.bin", "application/octet-stream", large, func(done, total int64) { steps = append(steps, done) }); err != nil {
		t.Fatal(err)
	}
	if len(steps) < 2 || steps[len(steps)-1] != int64(len(large)) {
		t.Fatalf("progress %v: want several ranges ending at %d", steps, len(large))
	}
	atts, err := c.Attachments(ctx, d.ID)
	if err != nil || len(atts) != 2 {
		t.Fatalf("attachments %+v, %v", atts, err)
	}
	for _, a := range atts {
		want := map[string][]byte{"notes.txt": small, "big.bin": large}[a.Name]
		if !a.IsFile() || a.Size != int64(len(want)) {
			t.Errorf("%+v", a)
		}
		got, err := c.AttachmentBytes(ctx, d.ID, a.ID)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes back (%v), want %d", a.Name, len(got), err, len(want))
		}
	}
	if err := c.Attach(ctx, d.ID, "huge.bin", "", make([]byte, graph.MaxAttachment+1), nil); !errors.Is(err, graph.ErrAttachmentTooLarge) {
		t.Fatalf("a file over the limit: %v", err)
	}
}

// TestCreateReplyKinds: reply, reply all and forward drafts from a sent message land in Drafts
// in the same conversation, with Exchange's subject prefixes.
func TestCreateReplyKinds(t *testing.T) {
	emu, c := startEmulator(t, emulator.Options{NoSendDelay: true})
	ctx := context.Background()
	d := emu.AddDraft(emulator.Draft{Subject: "Quarterly review", Body: "See you then.", To: []emulator.Recipient{emulator.Addr("Megan", "megan@contoso.example")}})
	if err := c.Send(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	sent := emu.Sent("")[0]
	for kind, prefix := range map[graph.ReplyKind]string{graph.Reply: "RE: ", graph.ReplyAll: "RE: ", graph.Forward: "FW: "} {
		m, err := c.CreateReply(ctx, sent.ID, kind, "Thanks!")
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if !m.IsDraft || m.ConversationID != sent.ConversationID || !strings.HasPrefix(m.Subject, prefix) {
			t.Errorf("%s: %+v", kind, m)
		}
	}
	if n := len(emu.Drafts("")); n != 3 {
		t.Fatalf("%d drafts, want 3", n)
	}
}
