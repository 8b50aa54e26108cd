package config

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"

	"github.com/draftsmail/drafts/graph"
)

// ErrSignInRequired is matched (errors.Is) by every error whose fix is to
// sign in again with 'drafts login': nobody signed in, a refresh token that
// expired or was revoked, a policy that now wants the user present. The UI
// can show its sign-in screen when it sees one.
var ErrSignInRequired = errors.New("sign in again: drafts login")

// SignInError is a failed sign-in or token refresh, in words a user can act
// on. It never contains a token.
type SignInError struct {
	// Code is the Entra ID error code ("AADSTS65001") or, without one, the
	// OAuth error ("authorization_declined"); empty for local problems.
	Code string
	// Advice says what happened and what to do.
	Advice string
	// SignInAgain is true when 'drafts login' is the fix.
	SignInAgain bool
	// CorrelationID identifies the attempt for an admin or Microsoft support.
	CorrelationID string
}

// Error is the advice with the code.
func (e *SignInError) Error() string {
	s := e.Advice
	var ids []string
	if e.Code != "" {
		ids = append(ids, e.Code)
	}
	if e.CorrelationID != "" {
		ids = append(ids, "correlation id "+e.CorrelationID)
	}
	if len(ids) > 0 {
		s += " (" + strings.Join(ids, ", ") + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrSignInRequired) true when signing in again is
// the fix.
func (e *SignInError) Is(target error) bool { return target == ErrSignInRequired && e.SignInAgain }

// IsSignInRequired reports whether err is fixed by signing in again.
func IsSignInRequired(err error) bool { return errors.Is(err, ErrSignInRequired) }

const loginCmd = "'drafts login'"

// errNotSignedIn is the error when the cache holds no account.
func errNotSignedIn() error {
	return &SignInError{SignInAgain: true,
		Advice: "nobody is signed in: run " + loginCmd + " (or set " + EnvAccessToken + " to a Graph token, or try 'drafts --demo')"}
}

// advice for the AADSTS codes users meet most, with what to do.
type adviceFunc func(s *signInContext) (string, bool)

type signInContext struct {
	clientID, tenant string
	appOnly          bool
	cloud            Cloud
}

func fixed(text string, again bool) adviceFunc {
	return func(*signInContext) (string, bool) { return text, again }
}

var aadstsAdvice = map[int]adviceFunc{
	// The app registration.
	7000218: fixed("this app registration does not allow public client flows: in Microsoft Entra ID open App registrations > your app > Authentication, set 'Allow public client flows' to Yes, save, then run "+loginCmd+" again", false),
	700016: func(c *signInContext) (string, bool) {
		return fmt.Sprintf("the app %s is not known in tenant %q: check client_id, and set tenant to the tenant the app is registered in (or make the app multi-tenant)", c.clientID, c.tenant), false
	},
	7000112: fixed("this app registration is disabled: ask the tenant's admin to enable it", false),
	50194:   fixed("this app is registered for one tenant only, so tenant \"common\" cannot be used: set tenant to your tenant ID or domain (e.g. contoso.onmicrosoft.com)", false),
	9002331: fixed("this app is registered for personal Microsoft accounts only: set tenant = \"consumers\"", false),
	50059:   fixed("the sign-in service could not tell which tenant to use: set tenant to your tenant ID or domain", false),
	90002: func(c *signInContext) (string, bool) {
		return fmt.Sprintf("tenant %q does not exist: check tenant", c.tenant), false
	},
	500011: fixed("Microsoft Graph of this cloud is not known in the tenant: check cloud (global, usgov, usgovdod, china) against where your tenant lives", false),
	// Consent.
	65001: func(c *signInContext) (string, bool) {
		if c.appOnly {
			return "the app has not been granted its application permissions: in App registrations > API permissions add Microsoft Graph application permissions Mail.ReadWrite and Mail.Send, then 'Grant admin consent'", false
		}
		return "drafts has not been allowed to use Mail.ReadWrite and Mail.Send in this tenant: run " + loginCmd + " and accept the consent prompt, or ask an admin to grant consent (App registrations > API permissions > Grant admin consent)", true
	},
	65004: fixed("you declined the permissions drafts needs (read and send mail): run "+loginCmd+" again and accept them", true),
	// The user.
	50126: fixed("wrong user name or password: run "+loginCmd+" again", true),
	50034: fixed("this user does not exist in the tenant: check the account, or the tenant setting", true),
	50057: fixed("this user account is disabled: ask your admin", false),
	50055: fixed("your password has expired: change it in a browser, then run "+loginCmd+" again", true),
	50105: fixed("your account is not assigned to this app: ask an admin to assign you (Enterprise applications > the app > Users and groups)", false),
	// Wrong tenant.
	50020: wrongTenant,
	90072: wrongTenant,
	// Conditional Access.
	53000: conditionalAccess,
	53001: conditionalAccess,
	53002: conditionalAccess,
	53003: conditionalAccess,
	53004: fixed("your organization requires you to set up multi-factor authentication first: do so at https://aka.ms/mfasetup, then run "+loginCmd+" again", true),
	// App-only credentials.
	7000215: fixed("the client secret is wrong: use the secret's Value (not its Secret ID) from App registrations > Certificates & secrets", false),
	7000222: fixed("the client secret has expired: create a new one under App registrations > Certificates & secrets", false),
	700027:  fixed("the certificate was not accepted: upload its public part under App registrations > Certificates & secrets, and check the certificate setting", false),
}

// Refresh-token and session problems: the fix is to sign in again.
var signInAgainCodes = map[int]bool{
	70008: true, 700082: true, 700084: true, 50173: true, 50133: true, 70043: true,
	50076: true, 50079: true, 50078: true, 50089: true, 50074: true, 50072: true, 70000: true,
	50132: true, 50140: true, 54005: true,
}

func wrongTenant(c *signInContext) (string, bool) {
	return fmt.Sprintf("this account does not belong to tenant %q: set tenant to your organization's tenant, or to \"common\"; a personal account (outlook.com) needs an app registration that allows personal Microsoft accounts", c.tenant), true
}

func conditionalAccess(*signInContext) (string, bool) {
	return "your organization's Conditional Access policy blocked this sign-in (it may forbid the device code flow, or want a managed device): ask your IT admin", false
}

var oauthAdvice = map[string]adviceFunc{
	"authorization_declined": fixed("sign-in was declined on the sign-in page: run "+loginCmd+" again to retry", true),
	"expired_token":          fixed("the code expired before sign-in finished (a code lasts 15 minutes): run "+loginCmd+" again", true),
	"bad_verification_code":  fixed("the sign-in service did not recognise the code: run "+loginCmd+" again", true),
	"invalid_grant":          fixed("your sign-in has expired or was revoked: run "+loginCmd, true),
	"interaction_required":   fixed("your organization wants you to sign in again: run "+loginCmd, true),
	"login_required":         fixed("you need to sign in again: run "+loginCmd, true),
	"consent_required":       fixed("drafts needs your consent again: run "+loginCmd, true),
	"unauthorized_client":    fixed("this app registration may not sign you in this way: turn on 'Allow public client flows' and, for personal accounts, allow personal Microsoft accounts in the app registration", false),
	"invalid_client":         fixed("the sign-in service refused the app's credentials: check client_id and the app's secret or certificate", false),
	"invalid_scope":          fixed("the sign-in service refused the permissions drafts asks for (Mail.ReadWrite, Mail.Send): check the app registration's API permissions and the cloud setting", false),
	"temporarily_unavailable": func(*signInContext) (string, bool) {
		return "the sign-in service is busy: try again in a moment", false
	},
}

// oauthError is the error body of the Entra ID token endpoints.
type oauthError struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	ErrorCodes    []int  `json:"error_codes"`
	CorrelationID string `json:"correlation_id"`
	SubError      string `json:"suberror"`
}

var (
	aadstsRE = regexp.MustCompile(`AADSTS(\d+)`)
	// jwtRE matches anything shaped like a JWT, as a last line of defence
	// against a token in an error text.
	jwtRE = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*)?`)
)

// translate turns an MSAL error into a SignInError (or a plain error for
// network trouble and cancellation). It never repeats a response body
// verbatim: MSAL's own texts can include the body of a response it could
// not decode, which for a token endpoint would hold tokens.
func translate(err error, c *signInContext) error {
	if err == nil {
		return nil
	}
	var se *storeError
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &se) {
		return err
	}
	var ce msalerrors.CallErr
	if errors.As(err, &ce) {
		return translateCall(ce, c)
	}
	var je msalerrors.InvalidJsonErr
	if errors.As(err, &je) {
		return &SignInError{Advice: "the sign-in service sent an answer drafts could not read; try again, and check the cloud and any proxy in between"}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		host := ue.URL
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Host
		}
		return fmt.Errorf("cannot reach the sign-in service %s (%s); check the network and try again", host, graph.CleanLine(redact(ue.Err.Error())))
	}
	msg := graph.CleanLine(redact(err.Error()))
	if msg == "no token found" {
		return errNotSignedIn()
	}
	return fmt.Errorf("the sign-in service could not be used (%s); check the network and the cloud and tenant settings, then try again", truncate(msg, 300))
}

func translateCall(ce msalerrors.CallErr, c *signInContext) error {
	var body oauthError
	text := ce.Err.Error()
	if i := strings.Index(text, "{"); i >= 0 {
		_ = json.Unmarshal([]byte(text[i:]), &body)
	}
	status := 0
	if ce.Resp != nil {
		status = ce.Resp.StatusCode
	}
	e := &SignInError{CorrelationID: graph.CleanLine(body.CorrelationID)}
	switch body.Error {
	case "authorization_declined", "expired_token", "bad_verification_code":
		// The device code's own outcome says more than its AADSTS code.
		e.Code = body.Error
		e.Advice, e.SignInAgain = oauthAdvice[body.Error](c)
		return e
	}
	code := 0
	if len(body.ErrorCodes) > 0 {
		code = body.ErrorCodes[0]
	} else if m := aadstsRE.FindStringSubmatch(body.Description); m != nil {
		code, _ = strconv.Atoi(m[1])
	}
	if code != 0 {
		e.Code = "AADSTS" + strconv.Itoa(code)
		if f, ok := aadstsAdvice[code]; ok {
			e.Advice, e.SignInAgain = f(c)
			return e
		}
		if signInAgainCodes[code] {
			e.Advice, e.SignInAgain = "run "+loginCmd+": your sign-in has expired, was revoked, or needs you again", true
			return e
		}
	}
	if f, ok := oauthAdvice[body.Error]; ok {
		if e.Code == "" {
			e.Code = body.Error
		}
		e.Advice, e.SignInAgain = f(c)
		return e
	}
	desc := firstSentence(graph.CleanLine(redact(body.Description)))
	switch {
	case desc != "":
		e.Advice = "the sign-in service said: " + desc
	case body.Error != "":
		e.Code = graph.CleanLine(body.Error)
		e.Advice = fmt.Sprintf("the sign-in service refused (HTTP %d)", status)
	default:
		e.Advice = fmt.Sprintf("the sign-in service answered HTTP %d; try again, and check the cloud and tenant settings", status)
	}
	return e
}

// firstSentence keeps the part of an Entra description before its trace
// and correlation ids.
func firstSentence(s string) string {
	s = aadstsRE.ReplaceAllString(s, "")
	s = strings.TrimLeft(s, ": ")
	if i := strings.Index(s, " Trace ID:"); i >= 0 {
		s = s[:i]
	}
	return truncate(strings.TrimSpace(s), 300)
}

func redact(s string) string { return jwtRE.ReplaceAllString(s, "[token removed]") }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
