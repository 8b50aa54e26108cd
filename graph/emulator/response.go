package emulator

import (
	"net/http"
	"strconv"
)

// jsonContentType is the Content-Type Graph sends with JSON bodies.
const jsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

// bufResponse is an http.ResponseWriter that keeps the whole response in memory, so that latency,
// truncation and dropped connections can be applied after the handler has run.
type bufResponse struct {
	header http.Header
	status int
	body   []byte
}

func newBufResponse() *bufResponse { return &bufResponse{header: http.Header{}} }

// Header returns the response headers.
func (b *bufResponse) Header() http.Header { return b.header }

// WriteHeader records the status code.
func (b *bufResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

// Write appends to the body.
func (b *bufResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	b.body = append(b.body, p...)
	return len(p), nil
}

// writeJSON writes a JSON body with Graph's headers.
func (c *call) writeJSON(status int, body []byte) {
	h := c.w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("OData-Version", "4.0")
	c.w.WriteHeader(status)
	if c.w.body == nil {
		c.w.body = body // take ownership: no copy of a large page
		return
	}
	_, _ = c.w.Write(body)
}

// writeEmpty writes a response with no body (202, 204).
func (c *call) writeEmpty(status int) {
	c.w.WriteHeader(status)
}

// respond copies the buffered response to w, compressed if r allows it (gzip.go), recording its
// status first so that a client which has seen the response always finds it in the request log.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, b *bufResponse, rec *RequestRecord, outcome string) {
	maybeGzip(r, b)
	status := b.status
	if status == 0 {
		status = http.StatusOK
	}
	h := w.Header()
	for k, v := range b.header {
		h[k] = v
	}
	if status != http.StatusNoContent && status != http.StatusNotModified {
		h.Set("Content-Length", strconv.Itoa(len(b.body)))
	}
	s.log.finish(rec, status, outcome)
	w.WriteHeader(status)
	_, _ = w.Write(b.body)
}

// drop closes the client's connection without a response. Under a server that cannot hijack
// (HTTP/2), it aborts the handler with http.ErrAbortHandler, which resets the stream.
func (s *Server) drop(w http.ResponseWriter, rec *RequestRecord) {
	s.log.finish(rec, 0, OutcomeDropped)
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
