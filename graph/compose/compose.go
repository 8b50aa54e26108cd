// Package compose is how a draft is written in a text editor and read back: the editor's text
// (a header block, a blank line, the body), its parsing with address checks, the fields that
// changed, and the body written back — above the quoted thread of a reply or forward, and as
// HTML for an HTML draft. It does no I/O but the private file that keeps what the user typed
// until it is saved (keep.go).
package compose

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/draftsmail/drafts/graph"
)

// Draft is what the editor holds: the header fields and the draft's own text (for a reply or
// forward, the new text only; the quoted thread below it is kept as it is).
type Draft struct {
	To, Cc, Bcc []graph.Recipient
	Subject     string
	Text        string
}

// comment starts the header block's read-only lines.
const comment = "#"

// Format is the editor's text for d: To, Cc, Bcc and Subject lines, comments (lines starting
// with #) that say what is kept, a blank line, and the text. quoted says a quoted thread
// follows the text in the draft (a reply or forward), kept as it is.
func Format(d Draft, quoted bool) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "To: %s\n", joinRecipients(d.To))
	fmt.Fprintf(&b, "Cc: %s\n", joinRecipients(d.Cc))
	fmt.Fprintf(&b, "Bcc: %s\n", joinRecipients(d.Bcc))
	fmt.Fprintf(&b, "Subject: %s\n", d.Subject)
	b.WriteString(comment + " Addresses are \"Name <address>\", separated by commas. Lines starting with # are ignored.\n")
	if quoted {
		b.WriteString(comment + " Below the blank line is your text; the quoted message under it in the draft stays as it is.\n")
	}
	b.WriteString("\n")
	b.WriteString(d.Text)
	if d.Text != "" && !strings.HasSuffix(d.Text, "\n") {
		b.WriteString("\n")
	}
	return b.Bytes()
}

// FieldError is a header that cannot be read: which one, and why.
type FieldError struct {
	Field string // "To", "Subject", … or the unknown header's name
	Value string // the part that is wrong
	Why   string
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Why)
	}
	return fmt.Sprintf("%s: %q %s", e.Field, e.Value, e.Why)
}

// ErrNoHeader is Parse's error for a text without the header block.
var ErrNoHeader = errors.New(`the header block is missing: the text must start with "To:", "Cc:", "Bcc:" and "Subject:" lines, then a blank line`)

// Parse reads the editor's text back. Every address is checked; the first one that is not an
// address is named in a *FieldError. The subject is cleaned of control characters. The text is
// what follows the blank line, with trailing blank lines dropped.
func Parse(b []byte) (Draft, error) {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	head, text, found := strings.Cut(s, "\n\n")
	if !found {
		head, text = strings.TrimSuffix(s, "\n"), ""
	}
	var d Draft
	seen := 0
	for _, line := range strings.Split(head, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), comment) {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			if seen == 0 {
				return Draft{}, ErrNoHeader
			}
			return Draft{}, &FieldError{Field: "header", Value: line, Why: `is not "Name: value" (the body starts after a blank line)`}
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		var err error
		switch strings.ToLower(name) {
		case "to":
			d.To, err = parseAddresses("To", value)
		case "cc":
			d.Cc, err = parseAddresses("Cc", value)
		case "bcc":
			d.Bcc, err = parseAddresses("Bcc", value)
		case "subject":
			d.Subject = graph.CleanLine(value)
		default:
			return Draft{}, &FieldError{Field: name, Why: "is not a header drafts knows (To, Cc, Bcc, Subject)"}
		}
		if err != nil {
			return Draft{}, err
		}
		seen++
	}
	if seen == 0 {
		return Draft{}, ErrNoHeader
	}
	d.Text = strings.TrimRight(dropComments(text), "\n \t")
	if d.Text != "" {
		d.Text += "\n"
	}
	return d, nil
}

// parseAddresses reads "Name <address>, address, …" and names the first that is not one.
func parseAddresses(field, value string) ([]graph.Recipient, error) {
	if value == "" {
		return nil, nil
	}
	var out []graph.Recipient
	for _, part := range splitAddresses(value) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, err := mail.ParseAddress(part)
		if err != nil || !strings.Contains(a.Address, "@") || strings.HasPrefix(a.Address, "@") || strings.HasSuffix(a.Address, "@") {
			return nil, &FieldError{Field: field, Value: part, Why: "is not an address (write Name <name@example.com>, or the address alone)"}
		}
		out = append(out, graph.Recipient{Name: graph.CleanLine(a.Name), Address: a.Address})
	}
	return out, nil
}

// splitAddresses splits at the commas that separate addresses (not those in quotes or <>).
func splitAddresses(s string) []string {
	var parts []string
	quoted, angle, start := false, false, 0
	for i, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == '<' && !quoted:
			angle = true
		case r == '>' && !quoted:
			angle = false
		case r == ',' && !quoted && !angle:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// joinRecipients writes recipients as the editor shows them; names with commas or quotes are
// quoted so that they read back the same.
func joinRecipients(rs []graph.Recipient) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		if r.Name == "" || strings.EqualFold(r.Name, r.Address) {
			parts[i] = r.Address
			continue
		}
		parts[i] = (&mail.Address{Name: r.Name, Address: r.Address}).String()
		if !strings.ContainsAny(r.Name, `",;<>@()[]\:`) && isASCII(r.Name) {
			parts[i] = r.Name + " <" + r.Address + ">"
		}
	}
	return strings.Join(parts, ", ")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Changes are the fields of edited that differ from orig, for a PATCH that writes only what
// changed; body is the whole new body (from Splice) when the text changed, else nil.
func Changes(orig, edited Draft, body *graph.Body) graph.DraftFields {
	var f graph.DraftFields
	if edited.Subject != orig.Subject {
		f.Subject = &edited.Subject
	}
	if !sameRecipients(orig.To, edited.To) {
		f.To = &edited.To
	}
	if !sameRecipients(orig.Cc, edited.Cc) {
		f.Cc = &edited.Cc
	}
	if !sameRecipients(orig.Bcc, edited.Bcc) {
		f.Bcc = &edited.Bcc
	}
	if strings.TrimRight(edited.Text, "\n") != strings.TrimRight(orig.Text, "\n") {
		f.Body = body
	}
	return f
}

func sameRecipients(a, b []graph.Recipient) bool {
	return slices.EqualFunc(a, b, func(x, y graph.Recipient) bool {
		return strings.EqualFold(x.Address, y.Address) && x.Name == y.Name
	})
}

// Emptied reports whether the editor's file was left with nothing in it: the user giving up.
// Nothing is saved, and nothing is kept to offer back (keeping it made every later edit open the
// empty file again, and fail).
func Emptied(text []byte) bool { return len(bytes.TrimSpace(text)) == 0 }

// Empty reports whether the draft has nothing in it: an untouched new draft is not created.
func (d Draft) Empty() bool {
	return len(d.To) == 0 && len(d.Cc) == 0 && len(d.Bcc) == 0 && strings.TrimSpace(d.Subject) == "" && strings.TrimSpace(d.Text) == ""
}

// dropComments removes the comment lines Conflict appends after the text (a block of lines
// starting with "# ----" and what follows it); a # elsewhere in the text is the user's.
func dropComments(text string) string {
	if i := strings.Index(text, "\n"+comment+" ---- "); i >= 0 {
		return text[:i+1]
	}
	if strings.HasPrefix(text, comment+" ---- ") {
		return ""
	}
	return text
}
