package emulator

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Compression. Graph compresses a response when the request's Accept-Encoding allows gzip, and
// Microsoft's SDKs ask for it ("Accept-Encoding: gzip" is sent by their compression handler;
// https://learn.microsoft.com/graph/sdks/customize-client). The emulator compresses JSON and
// text answers (ASSUMED: which bodies Graph compresses is not documented; attachment bytes
// ($value) and upload answers are sent as they are), whatever their size, so that a client's
// decompression is exercised by every call that asks for it, at gzip's fastest level.
//
// Request bodies sent with Content-Encoding: gzip are decompressed: Microsoft's Go SDK (its
// kiota compression handler) compresses every request body by default, and sends it again
// uncompressed only after a 415 (ASSUMED that Graph takes them: the SDK's default works against
// it). Other encodings are 415 Unsupported Media Type.

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
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
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

// decodeRequestBody replaces a gzip-encoded request body by its decompressed bytes (at most
// maxBody+1, so the handlers' own limit still applies), and fixes Content-Length to match.
func decodeRequestBody(r *http.Request) *apiError {
	enc := strings.TrimSpace(strings.ToLower(r.Header.Get("Content-Encoding")))
	switch enc {
	case "", "identity":
		return nil
	case "gzip":
	default:
		return newError(http.StatusUnsupportedMediaType, "UnsupportedMediaType",
			"The request body's Content-Encoding '%s' is not supported.", enc)
	}
	zr, err := gzip.NewReader(r.Body)
	if err != nil {
		return newError(http.StatusBadRequest, "BadRequest", "The request body is not valid gzip: %v.", err)
	}
	data, err := io.ReadAll(io.LimitReader(zr, maxBody+1))
	if err != nil {
		return newError(http.StatusBadRequest, "BadRequest", "The request body is not valid gzip: %v.", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.ContentLength = int64(len(data))
	r.Header.Set("Content-Length", strconv.Itoa(len(data)))
	r.Header.Del("Content-Encoding")
	return nil
}
