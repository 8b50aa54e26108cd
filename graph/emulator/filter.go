package emulator

import (
	"strings"
	"time"
)

// filter is a parsed $filter: comparisons joined by "and".
type filter struct {
	clauses []clause
	props   []string // properties in order of first appearance, for the InefficientFilter rule
}

// Kinds of filterable property.
const (
	kindString = iota
	kindBool
	kindDate
)

var kindNames = [...]string{kindString: "Edm.String", kindBool: "Edm.Boolean", kindDate: "Edm.DateTimeOffset"}

// filterProps are the message properties $filter supports, by lower-case name.
var filterProps = map[string]struct {
	name string
	kind int
}{
	"internetmessageid":    {"internetMessageId", kindString},
	"conversationid":       {"conversationId", kindString},
	"subject":              {"subject", kindString},
	"importance":           {"importance", kindString},
	"isdraft":              {"isDraft", kindBool},
	"isread":               {"isRead", kindBool},
	"hasattachments":       {"hasAttachments", kindBool},
	"createddatetime":      {"createdDateTime", kindDate},
	"lastmodifieddatetime": {"lastModifiedDateTime", kindDate},
	"receiveddatetime":     {"receivedDateTime", kindDate},
	"sentdatetime":         {"sentDateTime", kindDate},
}

// opNames maps OData comparison operators to the names OData uses in error messages.
var opNames = map[string]string{
	"eq": "Equal", "ne": "NotEqual", "gt": "GreaterThan", "ge": "GreaterThanOrEqual", "lt": "LessThan", "le": "LessThanOrEqual",
}

// clause is one comparison "prop op literal".
type clause struct {
	prop string
	kind int
	op   string
	str  string
	b    bool
	t    time.Time
	null bool
}

// token is a lexical token of a $filter expression.
type token struct {
	text   string
	quoted bool // a string literal; text is unescaped
}

// lexFilter splits a $filter into words, parentheses, commas and string literals (” is a quote).
func lexFilter(s string) ([]token, *apiError) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')' || c == ',':
			toks = append(toks, token{text: string(c)})
			i++
		case c == '\'':
			var sb strings.Builder
			i++
			closed := false
			for i < len(s) {
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
						sb.WriteByte('\'')
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				sb.WriteByte(s[i])
				i++
			}
			if !closed {
				return nil, errFilter("there is an unterminated string literal in '%s'.", s)
			}
			toks = append(toks, token{text: sb.String(), quoted: true})
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t(),'", rune(s[j])) {
				j++
			}
			toks = append(toks, token{text: s[i:j]})
			i = j
		}
	}
	return toks, nil
}

// parseFilter parses a $filter expression.
func parseFilter(s string) (*filter, *apiError) {
	toks, e := lexFilter(s)
	if e != nil {
		return nil, e
	}
	p := &filterParser{toks: toks, src: s, f: &filter{}}
	if e := p.expr(); e != nil {
		return nil, e
	}
	if p.pos < len(p.toks) {
		return nil, errFilter("unexpected '%s' in '%s'.", p.toks[p.pos].text, s)
	}
	if len(p.f.clauses) == 0 {
		return nil, errFilter("the expression '%s' is empty.", s)
	}
	return p.f, nil
}

type filterParser struct {
	toks []token
	pos  int
	src  string
	f    *filter
}

func (p *filterParser) peek() (token, bool) {
	if p.pos >= len(p.toks) {
		return token{}, false
	}
	return p.toks[p.pos], true
}

func (p *filterParser) next() (token, *apiError) {
	t, ok := p.peek()
	if !ok {
		return t, errFilter("the expression '%s' ends unexpectedly.", p.src)
	}
	p.pos++
	return t, nil
}

// expr := term { "and" term }
func (p *filterParser) expr() *apiError {
	for {
		if e := p.term(); e != nil {
			return e
		}
		t, ok := p.peek()
		if !ok || t.quoted {
			return nil
		}
		switch strings.ToLower(t.text) {
		case "and":
			p.pos++
		case "or":
			return errFilter("the emulator supports only 'and' between comparisons, not 'or'.")
		default:
			return nil
		}
	}
}

// term := "(" expr ")" | prop op literal
func (p *filterParser) term() *apiError {
	t, e := p.next()
	if e != nil {
		return e
	}
	if !t.quoted && t.text == "(" {
		if e := p.expr(); e != nil {
			return e
		}
		if t, e := p.next(); e != nil || t.text != ")" || t.quoted {
			return errFilter("a closing parenthesis is missing in '%s'.", p.src)
		}
		return nil
	}
	if t.quoted || t.text == ")" || t.text == "," {
		return errFilter("a property name was expected in '%s'.", p.src)
	}
	if nt, ok := p.peek(); ok && !nt.quoted && nt.text == "(" {
		return errFilter("the function '%s' is not supported by the emulator.", t.text)
	}
	if strings.EqualFold(t.text, "not") {
		return errFilter("'not' is not supported by the emulator.")
	}
	prop, ok := filterProps[strings.ToLower(t.text)]
	if !ok {
		if _, known := propIndex[strings.ToLower(t.text)]; known {
			return errFilter("filtering on '%s' is not supported by the emulator.", t.text)
		}
		return errNoProperty(t.text, "microsoft.graph.message")
	}
	opTok, e := p.next()
	if e != nil {
		return e
	}
	op := strings.ToLower(opTok.text)
	if _, ok := opNames[op]; !ok || opTok.quoted {
		return errFilter("'%s' is not a supported operator in '%s'.", opTok.text, p.src)
	}
	lit, e := p.next()
	if e != nil {
		return e
	}
	cl := clause{prop: prop.name, kind: prop.kind, op: op}
	if e := cl.setLiteral(lit); e != nil {
		return e
	}
	if prop.kind != kindDate && op != "eq" && op != "ne" {
		return errFilter("the operator '%s' is not supported on '%s' by the emulator.", op, prop.name)
	}
	p.f.clauses = append(p.f.clauses, cl)
	if !containsFold(p.f.props, prop.name) {
		p.f.props = append(p.f.props, prop.name)
	}
	return nil
}

// setLiteral checks the literal's type against the property's and stores its value.
func (cl *clause) setLiteral(lit token) *apiError {
	litKind := kindString
	switch {
	case lit.quoted:
		cl.str = lit.text
	case strings.EqualFold(lit.text, "null"):
		cl.null = true
		return nil
	case lit.text == "true" || lit.text == "false":
		litKind = kindBool
		cl.b = lit.text == "true"
	default:
		t, err := time.Parse(time.RFC3339, lit.text)
		if err != nil {
			return errFilter("the literal '%s' is not valid.", lit.text)
		}
		litKind = kindDate
		cl.t = t
	}
	if litKind != cl.kind {
		return errFilter("A binary operator with incompatible types was detected. Found operand types '%s' and '%s' for operator kind '%s'.",
			kindNames[cl.kind], kindNames[litKind], opNames[cl.op])
	}
	return nil
}

// leads reports whether the $orderby properties are the first properties of the filter, in the
// same order: Graph's condition for combining $filter with $orderby.
func (f *filter) leads(keys []orderKey) bool {
	if len(keys) > len(f.props) {
		return false
	}
	for i, k := range keys {
		if !strings.EqualFold(k.prop, f.props[i]) {
			return false
		}
	}
	return true
}

// match reports whether it satisfies every clause.
func (f *filter) match(it *item) bool {
	for i := range f.clauses {
		if !f.clauses[i].match(it) {
			return false
		}
	}
	return true
}

func (cl *clause) match(it *item) bool {
	m := &it.msg
	switch cl.kind {
	case kindString:
		var v string
		switch cl.prop {
		case "internetMessageId":
			v = m.InternetMessageID
		case "conversationId":
			v = m.ConversationID
		case "subject":
			v = m.Subject
		case "importance":
			v = m.Importance
		}
		if cl.null {
			return (cl.op == "eq") == (v == "")
		}
		return strings.EqualFold(v, cl.str) == (cl.op == "eq")
	case kindBool:
		var v bool
		switch cl.prop {
		case "isDraft":
			v = m.IsDraft
		case "isRead":
			v = m.IsRead
		case "hasAttachments":
			v = m.HasAttachments
		}
		if cl.null {
			return cl.op == "ne"
		}
		return (v == cl.b) == (cl.op == "eq")
	}
	var t *time.Time
	switch cl.prop {
	case "createdDateTime":
		t = &m.CreatedDateTime
	case "lastModifiedDateTime":
		t = &m.LastModifiedDateTime
	case "receivedDateTime":
		t = &m.ReceivedDateTime
	case "sentDateTime":
		t = m.SentDateTime
	}
	if cl.null {
		return (t == nil) == (cl.op == "eq")
	}
	if t == nil {
		return cl.op == "ne"
	}
	c := t.Compare(cl.t)
	switch cl.op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	}
	return c <= 0
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
