package emulator

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
)

// Compression. Graph compresses a response when the request's Accept-Encoding allows gzip, and
// Microsoft's SDKs ask for it ("Accept-Encoding: gzip" is sent by their compression handler;
// https://learn.microsoft.com/graph/sdks/customize-client). The emulator compresses JSON and
// text answers (ASSUMED: which bodies Graph compresses is not documented; attachment bytes
// ($value) and upload answers are sent as they are), whatever their size, so that a client's
// decompression is exercised by every call that asks for it.

// acceptsGzip reports whether an Accept-Encoding header allows gzip (a q=0 refuses it).
func acceptsGzip(h http.Header) bool {
	for _, v := range h.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
				continue
			}
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// compressible reports whether a response of this content type is compressed.
func compressible(contentType string) bool {
	ct := strings.ToLower(contentType)
	return strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "text/")
}

// maybeGzip compresses b's body in place when the request allows it and the body is JSON or
// text, setting Content-Encoding and Vary.
func maybeGzip(r *http.Request, b *bufResponse) {
	if r == nil || len(b.body) == 0 || b.header.Get("Content-Encoding") != "" ||
		!compressible(b.header.Get("Content-Type")) || !acceptsGzip(r.Header) {
		return
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b.body); err != nil {
		return
	}
	if err := zw.Close(); err != nil {
		return
	}
	b.body = buf.Bytes()
	b.header.Set("Content-Encoding", "gzip")
	b.header.Add("Vary", "Accept-Encoding")
}
