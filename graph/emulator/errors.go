package emulator

import (
	"fmt"
	"net/http"
)

// apiError is a Graph error response: an HTTP status and the code and message of the body.
type apiError struct {
	status  int
	code    string
	message string
}

func newError(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// The errors Graph's mail API returns, with Graph's own codes and messages.
func errItemNotFound() *apiError {
	return newError(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
}

func errIDMalformed() *apiError {
	return newError(http.StatusBadRequest, "ErrorInvalidIdMalformed", "Id is malformed.")
}

func errInvalidUser(upn string) *apiError {
	return newError(http.StatusNotFound, "ErrorInvalidUser", "The requested user '%s' is invalid.", upn)
}

func errSegment(seg string) *apiError {
	return newError(http.StatusBadRequest, "BadRequest", "Resource not found for the segment '%s'.", seg)
}

func errMethod(method string) *apiError {
	return newError(http.StatusMethodNotAllowed, "ErrorInvalidRequest",
		"The OData request is not supported. The HTTP method '%s' is not allowed on this resource.", method)
}

func errNoProperty(name, typ string) *apiError {
	return newError(http.StatusBadRequest, "RequestBroker--ParseUri",
		"Could not find a property named '%s' on type '%s'.", name, typ)
}

func errFilter(format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, "ErrorInvalidUrlQueryFilter", "Invalid filter clause: "+format, args...)
}

func errBadJSON() *apiError {
	return newError(http.StatusBadRequest, "BadRequest",
		"Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
}

// defaultFault gives the code and message used for an injected status without its own.
func defaultFault(status int) (code, message string) {
	switch status {
	case http.StatusBadRequest:
		return "BadRequest", "Bad request."
	case http.StatusUnauthorized:
		return "InvalidAuthenticationToken", "Access token has expired or is not yet valid."
	case http.StatusForbidden:
		return "ErrorAccessDenied", "Access is denied. Check credentials and try again."
	case http.StatusNotFound:
		return "ErrorItemNotFound", "The specified object was not found in the store."
	case http.StatusTooManyRequests:
		return "ApplicationThrottled", "Application is over its MailboxConcurrency limit."
	case http.StatusInternalServerError:
		return "InternalServerError", "An internal server error occurred. The operation failed."
	case http.StatusBadGateway:
		return "BadGateway", "The server received an invalid response from an upstream server."
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable", "The service is temporarily unavailable. Please retry later."
	case http.StatusGatewayTimeout:
		return "GatewayTimeout", "The operation timed out."
	}
	return "UnknownError", http.StatusText(status)
}

// writeError writes e in Graph's error shape to w.
func (c *call) writeError(e *apiError) {
	b := append([]byte(nil), `{"error":{"code":`...)
	b = appendString(b, e.code)
	b = append(b, `,"message":`...)
	b = appendString(b, e.message)
	b = append(b, `,"innerError":{"date":`...)
	b = appendString(b, c.now.UTC().Format("2006-01-02T15:04:05"))
	b = append(b, `,"request-id":`...)
	b = appendString(b, c.requestID)
	b = append(b, `,"client-request-id":`...)
	b = appendString(b, c.clientRequestID)
	b = append(b, "}}}"...)
	if e.status == http.StatusUnauthorized {
		c.w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`)
	}
	c.writeJSON(e.status, b)
}

// lengthRequiredPage is the page HTTP.sys (in front of Graph) answers a POST without a
// Content-Length with; it is HTML, not a Graph error.
const lengthRequiredPage = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">
<HTML><HEAD><TITLE>Length Required</TITLE>
<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>
<BODY><h2>Length Required</h2>
<hr><p>HTTP Error 411. The request must be chunked or have a content length.</p>
</BODY></HTML>
`
