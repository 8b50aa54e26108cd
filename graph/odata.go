package graph

import (
	"net/url"
	"sort"
	"strings"
)

// quoteOData returns s as an OData string literal: in single quotes, with
// each single quote doubled.
func quoteOData(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// encodeQuery encodes q like url.Values.Encode but leaves '$' and ',' as
// they are, which keeps URLs readable in logs; both are legal in a query.
func encodeQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(escapeQuery(k))
			b.WriteByte('=')
			b.WriteString(escapeQuery(v))
		}
	}
	return b.String()
}

func escapeQuery(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "%24", "$")
	e = strings.ReplaceAll(e, "%2C", ",")
	return strings.ReplaceAll(e, "+", "%20")
}
