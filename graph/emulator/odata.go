package emulator

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Page sizes: Graph's default page for messages and the largest $top it accepts.
const (
	defaultTop = 10
	maxTop     = 1000
)

// query is a parsed set of OData query options.
type query struct {
	sel      []bool   // which messageProps $select asked for; nil = all
	selNames []string // the $select names as given, for @odata.context
	top      int
	topSet   bool // $top was given
	skip     int
	orderBy  []orderKey
	filter   *filter
	count    bool
	search   []string   // lower-cased $search terms; nil = no $search
	expand   *expansion // what $expand asks for; nil = nothing
}

// supportedOptions are the system query options the emulator implements.
var supportedOptions = map[string]bool{
	"select": true, "top": true, "skip": true, "orderby": true, "filter": true, "count": true, "search": true,
	"expand": true,
}

// parseQuery parses and validates the OData options of a request. Options need their "$" as in
// Graph v1.0, except that the supported ones are also accepted without it (as Graph's Outlook
// endpoints do); other parameters without "$" are ignored, other "$" options are an error.
func parseQuery(raw url.Values) (*query, *apiError) {
	q := &query{top: defaultTop}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	seen := map[string]bool{}
	var search string
	hasSearch := false
	for _, key := range keys {
		vals := raw[key]
		name := strings.ToLower(key)
		dollar := strings.HasPrefix(name, "$")
		name = strings.TrimPrefix(name, "$")
		if !supportedOptions[name] {
			if dollar {
				return nil, newError(http.StatusBadRequest, "BadRequest", "The query parameter '%s' is not supported.", key)
			}
			continue
		}
		if seen[name] || len(vals) > 1 {
			return nil, newError(http.StatusBadRequest, "BadRequest",
				"Query option '$%s' was specified more than once, but it must be specified at most once.", name)
		}
		seen[name] = true
		v := vals[0]
		var e *apiError
		switch name {
		case "select":
			e = q.parseSelect(v)
		case "top":
			q.top, e = parseInt("$top", v)
			q.topSet = true
			if e == nil && (q.top < 1 || q.top > maxTop) {
				e = newError(http.StatusBadRequest, "ErrorInvalidArgument",
					"The value of '$top' must be between 1 and %d; '%s' is not.", maxTop, v)
			}
		case "skip":
			q.skip, e = parseInt("$skip", v)
		case "orderby":
			q.orderBy, e = parseOrderBy(v)
		case "filter":
			q.filter, e = parseFilter(v)
		case "count":
			switch strings.ToLower(v) {
			case "true":
				q.count = true
			case "false":
			default:
				e = newError(http.StatusBadRequest, "RequestBroker--ParseUri",
					"Invalid value '%s' for $count query option found. Valid values are 'true' and 'false'.", v)
			}
		case "search":
			search, hasSearch = v, true
		case "expand":
			q.expand, e = parseExpand(v)
		}
		if e != nil {
			return nil, e
		}
	}
	if hasSearch {
		if q.orderBy != nil {
			return nil, newError(http.StatusBadRequest, "BadRequest", "The query parameter '$orderBy' is not supported with '$search'.")
		}
		if q.filter != nil {
			return nil, newError(http.StatusBadRequest, "BadRequest", "The query parameter '$filter' is not supported with '$search'.")
		}
		q.search = parseSearch(search)
	}
	if q.filter != nil && q.orderBy != nil && !q.filter.leads(q.orderBy) {
		return nil, newError(http.StatusBadRequest, "InefficientFilter", "The restriction or sort order is too complex for this operation.")
	}
	return q, nil
}

func parseInt(option, v string) (int, *apiError) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0, newError(http.StatusBadRequest, "RequestBroker--ParseUri",
			"Invalid value '%s' for %s query option found. The %s query option requires a non-negative integer value.", v, option, option)
	}
	return n, nil
}

// parseSelect parses a $select list of message properties (case-insensitive).
func (q *query) parseSelect(v string) *apiError {
	sel := make([]bool, len(messageProps))
	picked := false
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		i, ok := propIndex[strings.ToLower(name)]
		if !ok {
			return errNoProperty(name, "microsoft.graph.message")
		}
		if i >= 0 {
			sel[i] = true
		}
		q.selNames = append(q.selNames, name)
		picked = true
	}
	if picked {
		q.sel = sel
	}
	return nil
}

// parseOrderBy parses "prop [asc|desc], ...".
func parseOrderBy(v string) ([]orderKey, *apiError) {
	var keys []orderKey
	for _, term := range strings.Split(v, ",") {
		fields := strings.Fields(term)
		if len(fields) == 0 || len(fields) > 2 {
			return nil, newError(http.StatusBadRequest, "RequestBroker--ParseUri", "Syntax error at position %d in '%s'.", len(v), v)
		}
		name := fields[0]
		i, ok := propIndex[strings.ToLower(name)]
		if !ok {
			return nil, errNoProperty(name, "microsoft.graph.message")
		}
		k := orderKey{prop: "id"}
		if i >= 0 {
			k.prop = messageProps[i].name
		}
		if _, ok := sortProps[k.prop]; !ok {
			return nil, newError(http.StatusBadRequest, "ErrorInvalidUrlQuery", "The property '%s' does not support sorting.", name)
		}
		if len(fields) == 2 {
			switch strings.ToLower(fields[1]) {
			case "asc":
			case "desc":
				k.desc = true
			default:
				return nil, newError(http.StatusBadRequest, "RequestBroker--ParseUri",
					"Syntax error: character '%s' is not valid at position %d in '%s'.", fields[1], strings.Index(v, fields[1]), v)
			}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// parseSearch splits a $search value ("word", "two words", subject:word) into lower-case terms.
func parseSearch(v string) []string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	terms := strings.Fields(strings.ToLower(v))
	if terms == nil {
		terms = []string{}
	}
	return terms
}

// matchesSearch reports whether every $search term occurs in it. A term "prop:word" looks only in
// subject, body, from or to; a plain term looks in all of them.
func (it *item) matchesSearch(terms []string) bool {
	for _, t := range terms {
		field, word, scoped := strings.Cut(t, ":")
		if !scoped {
			word = t
		}
		found := false
		for _, f := range []string{"subject", "body", "from", "to"} {
			if scoped && f != field {
				continue
			}
			if strings.Contains(strings.ToLower(it.searchText(f)), word) {
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

func (it *item) searchText(field string) string {
	switch field {
	case "subject":
		return it.msg.Subject
	case "body":
		return it.text
	case "from":
		if it.msg.From == nil {
			return ""
		}
		return it.msg.From.EmailAddress.Name + " " + it.msg.From.EmailAddress.Address
	}
	var sb strings.Builder
	for _, list := range [][]Recipient{it.msg.ToRecipients, it.msg.CcRecipients, it.msg.BccRecipients} {
		for _, r := range list {
			sb.WriteString(r.EmailAddress.Name + " " + r.EmailAddress.Address + " ")
		}
	}
	return sb.String()
}

// nextLink returns the absolute URL of the page starting at skip: the request's URL with $skip
// replaced, and with $top set to the page size when withTop (the size came from
// Prefer: odata.maxpagesize, which a client need not repeat on the next request).
func (c *call) nextLink(skip int, withTop bool) string {
	vals := c.r.URL.Query()
	for k := range vals {
		lk := strings.ToLower(k)
		if lk == "$skip" || lk == "skip" || (withTop && (lk == "$top" || lk == "top")) {
			delete(vals, k)
		}
	}
	vals.Set("$skip", strconv.Itoa(skip))
	if withTop {
		vals.Set("$top", strconv.Itoa(c.pageSize(nil)))
	}
	return requestScheme(c.r) + "://" + c.r.Host + c.r.URL.EscapedPath() + "?" + vals.Encode()
}

var maxPageSize = regexp.MustCompile(`(?i)odata\.maxpagesize\s*=\s*(\d+)`)

// preferredPageSize returns the page size a Prefer: odata.maxpagesize=N header asks for
// (capped at limit), or 0 when there is none.
// https://learn.microsoft.com/graph/api/message-delta ("Prefer: odata.maxpagesize={x}")
func preferredPageSize(h http.Header, limit int) int {
	for _, v := range h.Values("Prefer") {
		if m := maxPageSize.FindStringSubmatch(v); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
				return min(n, limit)
			}
		}
	}
	return 0
}

// pageSize is the size of a listing page: $top, or the Prefer: odata.maxpagesize when that is
// smaller or $top was not given, noted as applied. q nil reads only the preference (or the
// default).
func (c *call) pageSize(q *query) int {
	top, topSet := defaultTop, false
	if q != nil {
		top, topSet = q.top, q.topSet
	}
	if n := preferredPageSize(c.r.Header, maxTop); n > 0 && (!topSet || n < top) {
		if q != nil {
			c.applied("odata.maxpagesize=" + strconv.Itoa(n))
		}
		return n
	}
	return top
}

// applied adds a preference to the Preference-Applied header.
func (c *call) applied(pref string) {
	h := c.w.Header()
	if old := h.Get("Preference-Applied"); old != "" {
		pref = old + "," + pref
	}
	h.Set("Preference-Applied", pref)
}
