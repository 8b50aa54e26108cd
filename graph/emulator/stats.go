package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// StatsPath is where the emulator reports how many requests it has served, for scripts that
// measure a client from outside the process (scripts/bench.sh). It lies outside Graph's URL space
// (every Graph path starts with a version, /v1.0 or /beta), needs no token, and is neither
// recorded in the request log nor subject to injected faults or latency.
const StatsPath = "/_emulator/stats"

// serveStats answers GET StatsPath with the request counts as JSON:
//
//	{"requests":11,"maxInFlight":2,"routes":{"GET /v1.0/me/mailFolders/drafts/messages":10,...}}
//
// routes counts requests by method and path (without the query string).
func (s *Server) serveStats(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	counts := map[string]int{}
	total := 0
	s.log.mu.Lock()
	for _, rec := range s.log.records {
		path, _, _ := strings.Cut(rec.Path, "?")
		counts[rec.Method+" "+path]++
		total++
	}
	s.log.mu.Unlock()
	routes := make([]string, 0, len(counts))
	for k := range counts {
		routes = append(routes, k)
	}
	slices.Sort(routes)
	b := []byte(`{"requests":`)
	b = strconv.AppendInt(b, int64(total), 10)
	b = append(b, `,"maxInFlight":`...)
	b = strconv.AppendInt(b, int64(s.MaxInFlight()), 10)
	b = append(b, `,"routes":{`...)
	for i, k := range routes {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(counts[k]), 10)
	}
	b = append(b, "}}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}
