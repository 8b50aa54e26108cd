package emulator

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Bearer tokens. With Options.Token set, that token alone is accepted. Without it the emulator
// still checks what Graph's front door checks before it looks at the signature (ASSUMED: it
// cannot check a signature it never issued):
//
//   - the Authorization header is "Bearer <token>" with a non-empty token, else 401
//     InvalidAuthenticationToken "Access token is empty." (as Graph answers a request with no
//     token);
//   - the token is an RFC 6750 b64token (letters, digits and -._~+/ then any "=";
//     https://www.rfc-editor.org/rfc/rfc6750#section-2.1), else 401 "CompactToken parsing
//     failed with error code: 80049217", Graph's answer to a token it cannot parse (observed:
//     https://github.com/microsoftgraph/msgraph-training-dotnet/issues/31);
//   - a token of three dot-separated parts is taken for a JWT (JWS compact form): its first two
//     parts must be base64url JSON objects, else 401 with the IDX14102/IDX14101 wording of the
//     token library Graph uses, and its "exp" claim, if any, must not have passed on
//     Options.Now, else 401 "Lifetime validation failed, the token is expired." (observed:
//     https://github.com/s1t5/mail-archiver/issues/267).
//
// Any other token (an opaque word such as "demo", or a JWT from any issuer) is accepted, so
// `drafts --demo`, scripts and Microsoft's SDKs with a made-up token keep working.
// https://learn.microsoft.com/graph/errors lists 401 as "Required authentication information
// is either missing or not valid for the resource."

// authorize checks the Authorization header the way Graph's front door does.
func (s *Server) authorize(r *http.Request) *apiError {
	token, ok := bearerToken(r)
	if !ok || token == "" {
		return errToken("Access token is empty.")
	}
	if s.opts.Token != "" {
		if subtle.ConstantTimeCompare([]byte(token), []byte(s.opts.Token)) == 1 {
			return nil
		}
		if !strings.Contains(token, ".") {
			return errToken(msgNoDots)
		}
		return errToken("Access token validation failure. Invalid audience.")
	}
	if !isB64Token(token) {
		return errToken("CompactToken parsing failed with error code: 80049217")
	}
	if strings.Count(token, ".") != 2 {
		return nil
	}
	return checkJWT(token, s.opts.Now())
}

// msgNoDots is the token library's answer to a token that is not a JWT.
const msgNoDots = "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'."

func errToken(msg string) *apiError {
	return newError(http.StatusUnauthorized, "InvalidAuthenticationToken", "%s", msg)
}

// isB64Token reports whether t is an RFC 6750 b64token.
func isB64Token(t string) bool {
	body := strings.TrimRight(t, "=")
	if body == "" {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-._~+/", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// checkJWT checks the form of a JWS compact token and its expiry at now.
func checkJWT(token string, now time.Time) *apiError {
	parts := strings.Split(token, ".")
	var header map[string]any
	if !decodePart(parts[0], &header) {
		return errToken("IDX14102: Unable to decode the header as Base64Url encoded string.")
	}
	var claims struct {
		Exp *json.Number `json:"exp"`
	}
	if !decodePart(parts[1], &claims) {
		return errToken("IDX14101: Unable to decode the payload as Base64Url encoded string.")
	}
	if claims.Exp != nil {
		exp, err := claims.Exp.Float64()
		if err != nil || now.After(time.Unix(int64(exp), 0)) {
			return errToken("Lifetime validation failed, the token is expired.")
		}
	}
	return nil
}

// decodePart decodes one base64url part of a JWT into v.
func decodePart(part string, v any) bool {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
	if err != nil {
		return false
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	return dec.Decode(v) == nil
}

// bearerToken returns the token of an "Authorization: Bearer <token>" header.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(token), true
}
