package emulator

import (
	"strings"
)

// $filter: comparisons (eq ne gt ge lt le), "and", "or", "not", parentheses, the string
// functions startswith(prop,'x') and contains(prop,'x'), any() over toRecipients, ccRecipients
// and bccRecipients (toRecipients/any(r: r/emailAddress/address eq 'x@y'), or /any() for "has
// one"), and the paths from/emailAddress/address (and /name) and sender/emailAddress/...
// https://learn.microsoft.com/graph/filter-query-parameter (operators, functions, lambda
// operators on collections, with mail examples such as
// "$filter=from/emailAddress/address eq 'someuser@example.com'" and
// "toRecipients/any(r:r/emailAddress/address eq '...')").
// String comparisons and functions ignore case, as Exchange does (ASSUMED for contains and
// startswith; documented for eq on Outlook properties by example only).

// filter is a parsed $filter.
type filter struct {
	root  cond
	props []string // properties in order of first appearance, for the InefficientFilter rule
}

// cond is a node of a parsed $filter: it says whether an item (and, inside any(), the
// recipient bound to the lambda's variable) satisfies it.
type cond interface {
	eval(it *item, r *Recipient) bool
}

type andCond struct{ l, r cond }
type orCond struct{ l, r cond }
type notCond struct{ x cond }

func (c andCond) eval(it *item, r *Recipient) bool { return c.l.eval(it, r) && c.r.eval(it, r) }
func (c orCond) eval(it *item, r *Recipient) bool  { return c.l.eval(it, r) || c.r.eval(it, r) }
func (c notCond) eval(it *item, r *Recipient) bool { return !c.x.eval(it, r) }

// funcCond is startswith(prop,'lit') or contains(prop,'lit').
type funcCond struct {
	fn  string
	get func(it *item, r *Recipient) string
	lit string
}

func (c funcCond) eval(it *item, r *Recipient) bool {
	v, lit := strings.ToLower(c.get(it, r)), strings.ToLower(c.lit)
	if c.fn == "startswith" {
		return strings.HasPrefix(v, lit)
	}
	return strings.Contains(v, lit)
}

// anyCond is coll/any(v: body), or coll/any() when body is nil.
type anyCond struct {
	list func(m *Message) []Recipient
	body cond
}

func (c anyCond) eval(it *item, _ *Recipient) bool {
	list := c.list(&it.msg)
	if c.body == nil {
		return len(list) > 0
	}
	for i := range list {
		if c.body.eval(it, &list[i]) {
			return true
		}
	}
	return false
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

// maxFilterDepth bounds the nesting of parentheses, not and any(), so that a hostile $filter
// cannot exhaust the stack.
const maxFilterDepth = 32

// parseFilter parses a $filter expression.
func parseFilter(s string) (*filter, *apiError) {
	toks, e := lexFilter(s)
	if e != nil {
		return nil, e
	}
	if len(toks) == 0 {
		return nil, errFilter("the expression '%s' is empty.", s)
	}
	p := &filterParser{toks: toks, src: s, f: &filter{}}
	root, e := p.orExpr()
	if e != nil {
		return nil, e
	}
	if p.pos < len(p.toks) {
		return nil, errFilter("unexpected '%s' in '%s'.", p.toks[p.pos].text, s)
	}
	p.f.root = root
	return p.f, nil
}

type filterParser struct {
	toks  []token
	pos   int
	src   string
	f     *filter
	depth int
	lvar  string // the variable of the any() being parsed, or ""
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

// keyword reports whether the next token is the word w (any case), and takes it if so.
func (p *filterParser) keyword(w string) bool {
	t, ok := p.peek()
	if ok && !t.quoted && strings.EqualFold(t.text, w) {
		p.pos++
		return true
	}
	return false
}

// punct takes the next token, which must be the punctuation c.
func (p *filterParser) punct(c string) *apiError {
	t, e := p.next()
	if e != nil {
		return e
	}
	if t.quoted || t.text != c {
		return errFilter("'%s' was expected in '%s'.", c, p.src)
	}
	return nil
}

// orExpr := andExpr { "or" andExpr }
func (p *filterParser) orExpr() (cond, *apiError) {
	l, e := p.andExpr()
	if e != nil {
		return nil, e
	}
	for p.keyword("or") {
		r, e := p.andExpr()
		if e != nil {
			return nil, e
		}
		l = orCond{l, r}
	}
	return l, nil
}

// andExpr := unary { "and" unary }
func (p *filterParser) andExpr() (cond, *apiError) {
	l, e := p.unary()
	if e != nil {
		return nil, e
	}
	for p.keyword("and") {
		r, e := p.unary()
		if e != nil {
			return nil, e
		}
		l = andCond{l, r}
	}
	return l, nil
}

// unary := "not" unary | "(" orExpr ")" | function | lambda | comparison
func (p *filterParser) unary() (cond, *apiError) {
	if p.depth++; p.depth > maxFilterDepth {
		return nil, errFilter("the expression '%s' is nested too deeply.", p.src)
	}
	defer func() { p.depth-- }()
	if p.keyword("not") {
		x, e := p.unary()
		if e != nil {
			return nil, e
		}
		return notCond{x}, nil
	}
	t, e := p.next()
	if e != nil {
		return nil, e
	}
	if !t.quoted && t.text == "(" {
		x, e := p.orExpr()
		if e != nil {
			return nil, e
		}
		if e := p.punct(")"); e != nil {
			return nil, errFilter("a closing parenthesis is missing in '%s'.", p.src)
		}
		return x, nil
	}
	if t.quoted || t.text == ")" || t.text == "," {
		return nil, errFilter("a property name was expected in '%s'.", p.src)
	}
	if nt, ok := p.peek(); ok && !nt.quoted && nt.text == "(" {
		if coll, ok := strings.CutSuffix(strings.ToLower(t.text), "/any"); ok {
			return p.lambda(coll, t.text)
		}
		return p.function(t.text)
	}
	return p.comparison(t.text)
}

// function := ("startswith" | "contains") "(" stringProp "," literal ")"
func (p *filterParser) function(name string) (cond, *apiError) {
	fn := strings.ToLower(name)
	if fn != "startswith" && fn != "contains" {
		return nil, errFilter("the function '%s' is not supported by the emulator.", name)
	}
	p.pos++ // "("
	pt, e := p.next()
	if e != nil {
		return nil, e
	}
	prop, e := p.property(pt)
	if e != nil {
		return nil, e
	}
	if prop.kind != kindString {
		return nil, errFilter("the function '%s' takes a string property, and '%s' is not one.", name, pt.text)
	}
	if e := p.punct(","); e != nil {
		return nil, e
	}
	lit, e := p.next()
	if e != nil {
		return nil, e
	}
	if !lit.quoted {
		return nil, errFilter("the function '%s' takes a string literal in quotes, not '%s'.", name, lit.text)
	}
	if e := p.punct(")"); e != nil {
		return nil, e
	}
	return funcCond{fn: fn, get: prop.str, lit: lit.text}, nil
}

// lambda := coll "/any" "(" [ var ":" orExpr ] ")"
func (p *filterParser) lambda(coll, text string) (cond, *apiError) {
	list, ok := recipientLists[coll]
	if !ok {
		return nil, errFilter("any() is supported on toRecipients, ccRecipients and bccRecipients, not on '%s'.", text)
	}
	if p.lvar != "" {
		return nil, errFilter("any() cannot be nested in '%s'.", p.src)
	}
	p.notice(list.name)
	p.pos++ // "("
	if p.keyword(")") {
		return anyCond{list: list.get}, nil
	}
	t, e := p.next()
	if e != nil {
		return nil, e
	}
	v, rest, ok := strings.Cut(t.text, ":")
	if t.quoted || !ok || v == "" || !isIdent(v) {
		return nil, errFilter("any() needs a variable, as in %s/any(r: r/emailAddress/address eq 'x'), in '%s'.", list.name, p.src)
	}
	if rest != "" {
		// "r:r/emailAddress/address": the rest of the word is the start of the body.
		p.pos--
		p.toks[p.pos] = token{text: rest}
	}
	p.lvar = v
	body, e := p.orExpr()
	p.lvar = ""
	if e != nil {
		return nil, e
	}
	if e := p.punct(")"); e != nil {
		return nil, e
	}
	return anyCond{list: list.get, body: body}, nil
}

// comparison := property op literal
func (p *filterParser) comparison(name string) (cond, *apiError) {
	prop, e := p.property(token{text: name})
	if e != nil {
		return nil, e
	}
	opTok, e := p.next()
	if e != nil {
		return nil, e
	}
	op := strings.ToLower(opTok.text)
	if _, ok := opNames[op]; !ok || opTok.quoted {
		return nil, errFilter("'%s' is not a supported operator in '%s'.", opTok.text, p.src)
	}
	lit, e := p.next()
	if e != nil {
		return nil, e
	}
	cl := &clause{prop: prop, op: op}
	if e := cl.setLiteral(lit); e != nil {
		return nil, e
	}
	if prop.kind != kindDate && op != "eq" && op != "ne" {
		return nil, errFilter("the operator '%s' is not supported on '%s' by the emulator.", op, prop.name)
	}
	return cl, nil
}

// property resolves a property name or path, noting it for the InefficientFilter rule.
func (p *filterParser) property(t token) (filterProp, *apiError) {
	if t.quoted || t.text == "(" || t.text == ")" || t.text == "," {
		return filterProp{}, errFilter("a property name was expected in '%s'.", p.src)
	}
	name := strings.ToLower(t.text)
	if p.lvar != "" {
		if v, path, ok := strings.Cut(name, "/"); ok && v == strings.ToLower(p.lvar) {
			if prop, ok := recipientProps[path]; ok {
				return prop, nil
			}
			return filterProp{}, errFilter("'%s' is not a property of a recipient the emulator filters on.", t.text)
		}
	}
	prop, ok := filterProps[name]
	if !ok {
		if _, known := propIndex[name]; known {
			return filterProp{}, errFilter("filtering on '%s' is not supported by the emulator.", t.text)
		}
		if root, _, ok := strings.Cut(name, "/"); ok {
			if _, known := propIndex[root]; known {
				return filterProp{}, errFilter("filtering on '%s' is not supported by the emulator.", t.text)
			}
		}
		return filterProp{}, errNoProperty(t.text, "microsoft.graph.message")
	}
	p.notice(prop.name)
	return prop, nil
}

// notice records a property in the order of first appearance.
func (p *filterParser) notice(name string) {
	if !containsFold(p.f.props, name) {
		p.f.props = append(p.f.props, name)
	}
}

// isIdent reports whether s is a lambda variable name: letters, digits and _, not first a digit.
func isIdent(s string) bool {
	for i, r := range s {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9'
		if !ok {
			return false
		}
	}
	return s != ""
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

// match reports whether it satisfies the filter.
func (f *filter) match(it *item) bool { return f.root.eval(it, nil) }

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
