package emulator

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "quote \" backslash \\", "\x00\x1b[2J\x7f\u0085", "\xff\xfe", "日本語 🎉", "\u2028\u2029", "<a>&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q encodes to invalid JSON %q: %v", s, b, err)
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); got != want && !strings.Contains(s, "\uFFFD") {
			// encoding/json replaces each invalid byte; ToValidUTF8 replaces runs. Compare with json.
			var viaJSON string
			raw, _ := json.Marshal(s)
			_ = json.Unmarshal(raw, &viaJSON)
			if got != viaJSON {
				t.Fatalf("%q round-trips to %q, want %q", s, got, viaJSON)
			}
		}
	})
}

func TestMessageMarshalRoundTrip(t *testing.T) {
	s := New(Options{Now: func() time.Time { return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) }})
	m := s.AddDraft(Draft{Subject: "x", To: []Recipient{Addr("A", "a@contoso.example")}, Categories: []string{"Blue"}})
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"createdDateTime":"2024-01-02T03:04:05Z"`) || !strings.Contains(string(b), `"sentDateTime":null`) {
		t.Fatalf("%s", b)
	}
	var back Message
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if string(b) != string(b2) {
		t.Fatalf("round trip differs:\n%s\n%s", b, b2)
	}
}

func TestPreview(t *testing.T) {
	if got := preview("  Hello,\n\n  world\t!  "); got != "Hello, world !" {
		t.Fatalf("%q", got)
	}
	long := strings.Repeat("é", 300)
	if got := preview(long); len([]rune(got)) != previewLen {
		t.Fatalf("%d runes", len([]rune(got)))
	}
}
