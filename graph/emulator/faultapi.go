package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// FaultsPath is where a client outside the process scripts faults ([Server.Inject]) when
// [Options.FaultControl] is set ('drafts emulator --faults'): a tester driving the built binary
// can then make Graph refuse, stall, drop or throttle exactly as the package's own tests do.
// Like StatsPath it lies outside Graph's URL space, needs no token, and is neither recorded nor
// subject to faults or latency. Off by default: an emulator listening beyond this machine must
// not be told to misbehave by anyone who reaches it.
//
//	POST   /_emulator/faults   {"method":"POST","path":"/send","times":1,"fault":{"status":503}}
//	DELETE /_emulator/faults   every rule goes
//
// The fault's fields are Fault's, in JSON: status, code, message, retryAfter, delay (a Go
// duration, "2s"), dropBeforeAct, dropAfterAct, body, contentType, truncate, gone ("sent" or
// "deleted"), delayAfterAct, nextLink, nextLinkToSelf, oversize. An unknown field is refused.
const FaultsPath = "/_emulator/faults"

// faultJSON is a Fault as the control surface takes it.
type faultJSON struct {
	Status         int    `json:"status"`
	Code           string `json:"code"`
	Message        string `json:"message"`
	RetryAfter     string `json:"retryAfter"`
	Delay          string `json:"delay"`
	DropBeforeAct  bool   `json:"dropBeforeAct"`
	DropAfterAct   bool   `json:"dropAfterAct"`
	Body           string `json:"body"`
	ContentType    string `json:"contentType"`
	Truncate       bool   `json:"truncate"`
	Gone           string `json:"gone"`
	DelayAfterAct  string `json:"delayAfterAct"`
	NextLink       string `json:"nextLink"`
	NextLinkToSelf bool   `json:"nextLinkToSelf"`
	Oversize       int64  `json:"oversize"`
}

// ruleJSON is a Rule as the control surface takes it.
type ruleJSON struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Query  string    `json:"query"`
	Times  int       `json:"times"`
	Fault  faultJSON `json:"fault"`
}

// serveFaults answers FaultsPath: POST adds a rule, DELETE clears them all.
func (s *Server) serveFaults(w http.ResponseWriter, r *http.Request) {
	switch {
	case !s.opts.FaultControl:
		http.Error(w, "fault control is off: start the emulator with --faults", http.StatusNotFound)
	case r.Method == http.MethodDelete:
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPost:
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
		dec.DisallowUnknownFields()
		var rj ruleJSON
		if err := dec.Decode(&rj); err != nil {
			http.Error(w, "not a fault rule: "+err.Error(), http.StatusBadRequest)
			return
		}
		rule, err := rj.rule()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.Inject(rule)
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "POST, DELETE")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// rule is rj as a Rule, its durations and Gone read.
func (rj ruleJSON) rule() (Rule, error) {
	f := rj.Fault
	fault := Fault{Status: f.Status, Code: f.Code, Message: f.Message, RetryAfter: f.RetryAfter,
		DropBeforeAct: f.DropBeforeAct, DropAfterAct: f.DropAfterAct, ContentType: f.ContentType, Truncate: f.Truncate,
		NextLink: f.NextLink, NextLinkToSelf: f.NextLinkToSelf, Oversize: f.Oversize}
	if f.Body != "" {
		fault.Body = []byte(f.Body)
	}
	for _, d := range []struct {
		text string
		to   *time.Duration
		name string
	}{{f.Delay, &fault.Delay, "delay"}, {f.DelayAfterAct, &fault.DelayAfterAct, "delayAfterAct"}} {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		if err != nil || v < 0 {
			return Rule{}, fmt.Errorf("%s: %q is not a duration such as \"2s\"", d.name, d.text)
		}
		*d.to = v
	}
	switch strings.ToLower(f.Gone) {
	case "":
	case "sent":
		fault.Gone = GoneSent
	case "deleted":
		fault.Gone = GoneDeleted
	default:
		return Rule{}, fmt.Errorf("gone: %q is not \"sent\" or \"deleted\"", f.Gone)
	}
	if rj.Times < 0 {
		return Rule{}, fmt.Errorf("times: %d is negative (0 means every request)", rj.Times)
	}
	return Rule{Method: rj.Method, Path: rj.Path, Query: rj.Query, Times: rj.Times, Fault: fault}, nil
}
