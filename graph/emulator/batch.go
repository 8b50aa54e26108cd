package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// JSON batching: POST /v1.0/$batch with {"requests": [{id, method, url, headers, body,
// dependsOn}]}, answered 200 with {"responses": [{id, status, headers, body}]}.
// https://learn.microsoft.com/graph/json-batching
//
// Documented and done: at most 20 requests; ids unique without regard to case, else 400; url
// relative to the version ("/me/messages"); a body needs a Content-Type header; a body is a
// JSON object, or base64 for other content types; a status per response; a request whose
// dependency failed is 424 (Failed Dependency); a throttled request is 429 with its
// Retry-After among its headers (https://learn.microsoft.com/graph/throttling#throttling-and-batching).
// Each request goes through the whole handler, as if sent alone with the batch's token: the
// request log, injected faults, authorization and latency apply to it.
//
// ASSUMED: a url may start with the batch's own version ("/v1.0/me"), as Microsoft's JavaScript
// client sends it; the wording of the 400s for the batch as a whole and the body of a 424 (not
// documented); requests run one at a time, in the order given except that a request waits for
// what it depends on (Graph may run independent ones in parallel and answer in any order: a
// client must match responses by id); an absolute url, or a $batch inside a batch, is a 400 for
// that request.

// maxBatch is the most requests a batch may hold.
const maxBatch = 20

// batchRequest is one request of a batch.
type batchRequest struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	DependsOn []string          `json:"dependsOn"`
}

func errBatch(format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, "BadRequest", format, args...)
}

// serveBatch serves POST /$batch.
func (c *call) serveBatch() *apiError {
	if c.r.Method != http.MethodPost {
		return errMethod(c.r.Method)
	}
	data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody+1))
	if err != nil || len(data) > maxBody {
		return errBatch("Invalid batch payload format.")
	}
	var in struct {
		Requests *[]batchRequest `json:"requests"`
	}
	if err := json.Unmarshal(data, &in); err != nil || in.Requests == nil {
		return errBatch("Invalid batch payload format.")
	}
	reqs := *in.Requests
	if len(reqs) > maxBatch {
		return errBatch("The batch request has %d requests; the limit is %d.", len(reqs), maxBatch)
	}
	for i := range reqs {
		if b := bytes.TrimSpace(reqs[i].Body); bytes.Equal(b, []byte("null")) {
			reqs[i].Body = nil // "body": null is no body (Microsoft's Go SDK sends it)
		}
	}
	order, e := batchOrder(reqs)
	if e != nil {
		return e
	}
	status := map[string]int{} // by lower-case id
	out := make([][]byte, len(reqs))
	for _, i := range order {
		r := reqs[i]
		failed := false
		for _, d := range r.DependsOn {
			if status[strings.ToLower(d)] >= 400 {
				failed = true
			}
		}
		var res *bufResponse
		if failed {
			res = c.innerError(newError(http.StatusFailedDependency, "FailedDependency",
				"The request was not run: a request it depends on failed."))
		} else {
			res = c.runInner(r)
		}
		status[strings.ToLower(r.ID)] = res.status
		out[i] = appendBatchResponse(nil, r.ID, res)
	}
	b := append([]byte(nil), `{"responses":[`...)
	for i, r := range out {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, r...)
	}
	b = append(b, "]}"...)
	c.writeJSON(http.StatusOK, b)
	return nil
}

// batchOrder checks the batch's requests and returns the order to run them in: as given, except
// that a request runs after those it depends on.
func batchOrder(reqs []batchRequest) ([]int, *apiError) {
	ids := map[string]bool{}
	for _, r := range reqs {
		if r.ID == "" || r.Method == "" || r.URL == "" {
			return nil, errBatch("Invalid batch payload format: every request needs an id, a method and a url.")
		}
		id := strings.ToLower(r.ID)
		if ids[id] {
			return nil, errBatch("Batch request id '%s' is used more than once.", r.ID)
		}
		ids[id] = true
		if len(r.Body) > 0 && headerValue(r.Headers, "Content-Type") == "" {
			return nil, errBatch("Content-Type header is missing for the request with id '%s': a body needs one.", r.ID)
		}
	}
	for _, r := range reqs {
		for _, d := range r.DependsOn {
			if !ids[strings.ToLower(d)] || strings.EqualFold(d, r.ID) {
				return nil, errBatch("The request with id '%s' depends on '%s', which is not another request of the batch.", r.ID, d)
			}
		}
	}
	done := map[string]bool{}
	order := make([]int, 0, len(reqs))
	for len(order) < len(reqs) {
		progress := false
		for i, r := range reqs {
			if done[strings.ToLower(r.ID)] {
				continue
			}
			ready := true
			for _, d := range r.DependsOn {
				ready = ready && done[strings.ToLower(d)]
			}
			if ready {
				done[strings.ToLower(r.ID)] = true
				order = append(order, i)
				progress = true
			}
		}
		if !progress {
			return nil, errBatch("The dependsOn of the batch's requests form a cycle.")
		}
	}
	return order, nil
}

// headerValue finds a header in a batch request's headers without regard to case.
func headerValue(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// innerError is the buffered answer e, as the handler would write it.
func (c *call) innerError(e *apiError) *bufResponse {
	ic := &call{s: c.s, r: c.r, w: newBufResponse(), now: c.now, requestID: newRequestID(), clientRequestID: c.clientRequestID}
	ic.writeError(e)
	return ic.w
}

// runInner runs one request of a batch through the whole handler, with the batch's token.
func (c *call) runInner(r batchRequest) *bufResponse {
	rel := strings.TrimPrefix(r.URL, "/")
	if version := c.base[strings.LastIndexByte(c.base, '/')+1:]; len(rel) > len(version) &&
		strings.EqualFold(rel[:len(version)+1], version+"/") {
		// "/v1.0/me/messages": Microsoft's JavaScript client sends the version with the path
		// (BatchRequestContent keeps all of a Request's URL but the scheme and host).
		rel = rel[len(version)+1:]
	}
	if strings.Contains(r.URL, "://") || strings.HasPrefix(strings.ToLower(rel), "$batch") {
		return c.innerError(errBatch("The url of a request in a batch is relative to the version, such as /me/messages: '%s' is not.", r.URL))
	}
	body := []byte(r.Body)
	if len(body) > 0 && body[0] == '"' {
		// A non-JSON body comes base64-encoded in a JSON string.
		var s string
		if err := json.Unmarshal(body, &s); err == nil {
			if raw, err := base64.StdEncoding.DecodeString(s); err == nil {
				body = raw
			} else if raw, err := base64.URLEncoding.DecodeString(s); err == nil {
				body = raw
			}
		}
	}
	req, err := http.NewRequestWithContext(c.r.Context(), strings.ToUpper(r.Method), c.base+"/"+rel, bytes.NewReader(body))
	if err != nil {
		return c.innerError(errBatch("The url '%s' of the request with id '%s' is not valid.", r.URL, r.ID))
	}
	req.Host, req.TLS, req.RemoteAddr = c.r.Host, c.r.TLS, c.r.RemoteAddr
	for k, v := range r.Headers {
		req.Header.Set(k, v)
	}
	req.Header.Del("Accept-Encoding") // the batch's answer is compressed as a whole
	req.Header.Set("Content-Length", strconv.Itoa(len(body)))
	req.ContentLength = int64(len(body))
	if auth := c.r.Header.Get("Authorization"); auth != "" {
		req.Header.Set("Authorization", auth)
	} else {
		req.Header.Del("Authorization")
	}
	w := newBufResponse()
	c.s.ServeHTTP(w, req)
	if w.status == 0 {
		// Nothing was written: the batch's request ended (its client went away) while
		// this one waited. No client reads this answer; it is not a success all the same.
		return c.innerError(newError(http.StatusServiceUnavailable, "ServiceUnavailable", "The request was cancelled."))
	}
	return w
}

// appendBatchResponse appends one element of "responses".
func appendBatchResponse(b []byte, id string, res *bufResponse) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, id)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(res.status), 10)
	b = append(b, `,"headers":{`...)
	first := true
	for _, k := range slices.Sorted(maps.Keys(res.header)) {
		switch k {
		case "Content-Length", "Content-Encoding", "Vary":
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, k)
		b = append(b, ':')
		b = appendString(b, strings.Join(res.header[k], ", "))
	}
	b = append(b, '}')
	if len(res.body) > 0 {
		b = append(b, `,"body":`...)
		if strings.HasPrefix(strings.ToLower(res.header.Get("Content-Type")), "application/json") && json.Valid(res.body) {
			b = append(b, res.body...)
		} else {
			b = appendString(b, base64.StdEncoding.EncodeToString(res.body))
		}
	}
	return append(b, '}')
}
