// Package config turns flags, the environment, the settings file and
// defaults into one Config, signs in to Microsoft Entra ID, keeps the token
// cache, and builds the Graph client the configuration describes.
package config

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"github.com/draftsmail/drafts/graph"
)

// Environment variables drafts reads.
const (
	EnvConfig       = "DRAFTS_CONFIG"
	EnvGraphURL     = "DRAFTS_GRAPH_URL"
	EnvMailbox      = "DRAFTS_MAILBOX"
	EnvAccessToken  = "DRAFTS_ACCESS_TOKEN"
	EnvClientID     = "DRAFTS_CLIENT_ID"
	EnvTenant       = "DRAFTS_TENANT"
	EnvCloud        = "DRAFTS_CLOUD"
	EnvAuth         = "DRAFTS_AUTH"
	EnvClientSecret = "DRAFTS_CLIENT_SECRET"
	EnvCertificate  = "DRAFTS_CERTIFICATE"
	EnvSendWait     = "DRAFTS_SEND_WAIT"
	EnvUndoSend     = "DRAFTS_UNDO_SEND"
	EnvRefresh      = "DRAFTS_REFRESH"
	EnvConfirmSend  = "DRAFTS_CONFIRM_SEND"
	EnvCacheList    = "DRAFTS_CACHE_LIST"
	EnvTokenStore   = "DRAFTS_TOKEN_STORE"
	EnvCacheDir     = "DRAFTS_CACHE_DIR"
	EnvCAFile       = "DRAFTS_CA_FILE"
)

// DefaultUndoSend is how long a confirmed send can be undone in the
// full-screen UI when undo_send is not set; MaxUndoSend is the longest
// allowed (longer is what sending later is for).
const (
	DefaultUndoSend = 5 * time.Second
	MaxUndoSend     = 2 * time.Minute
)

// DefaultRefresh is how often the full-screen UI asks Graph what changed in Drafts when refresh
// is not set (0 turns the quiet refresh off); MinRefresh is the shortest allowed.
const (
	DefaultRefresh = 30 * time.Second
	MinRefresh     = 5 * time.Second
)

// DefaultTenant is the tenant used when none is configured: any work,
// school or personal Microsoft account.
const DefaultTenant = "common"

// Flags are the command-line values that override the environment. A
// field is used only when its Set flag says the user gave it.
type Flags struct {
	GraphURL, Mailbox       string
	GraphURLSet, MailboxSet bool
	Demo                    bool
	// ConfigPath is --config: the settings file. Empty means DRAFTS_CONFIG,
	// else the default (see DefaultConfigPath).
	ConfigPath string
	// CAFile is --ca-file, used when CAFileSet.
	CAFile    string
	CAFileSet bool
}

// AuthMode is how drafts signs in.
type AuthMode string

// The sign-in modes.
const (
	// AuthDeviceCode signs a user in with the device code flow (delegated).
	AuthDeviceCode AuthMode = "device-code"
	// AuthClientSecret signs the app in with a client secret (app-only).
	AuthClientSecret AuthMode = "client-secret"
	// AuthCertificate signs the app in with a certificate (app-only).
	AuthCertificate AuthMode = "certificate"
)

// AppOnly reports whether the mode signs in as the app, not as a user.
func (m AuthMode) AppOnly() bool { return m == AuthClientSecret || m == AuthCertificate }

// StoreMode says where the token cache may live.
type StoreMode string

// The token store modes.
const (
	// StoreAuto encrypts the cache file with a key kept in the OS keyring
	// when one answers, and otherwise keeps a private plain file (saying so).
	StoreAuto StoreMode = "auto"
	// StoreKeyring requires the OS keyring.
	StoreKeyring StoreMode = "keyring"
	// StoreFile keeps a private plain file and never asks the keyring.
	StoreFile StoreMode = "file"
)

// Config is the effective configuration.
type Config struct {
	// GraphURL is the Graph root including the version.
	GraphURL string
	// CAFile is a PEM file of extra certificate authorities the Graph client trusts, besides
	// the system's (ca_file, DRAFTS_CA_FILE); "" for none.
	CAFile string
	// caRoots is the system roots and CAFile's certificates, read when the setting was loaded.
	caRoots *x509.CertPool
	// Mailbox is the UPN of the mailbox, or "" for the signed-in user.
	Mailbox string
	// AccessToken is a bearer token given in the environment; it overrides
	// sign-in. It is a secret: never print it.
	AccessToken string
	// Demo runs against the built-in emulator instead of Graph.
	Demo bool

	// Cloud picks the sign-in host (and the default Graph host).
	Cloud Cloud
	// Tenant is the Entra ID tenant to sign in to.
	Tenant string
	// ClientID is the app registration's Application (client) ID.
	ClientID string
	// Auth is the sign-in mode.
	Auth AuthMode
	// ClientSecret is the app's secret for AuthClientSecret. A secret:
	// never print it.
	ClientSecret string
	// Certificate is the PEM file (certificate and key) for AuthCertificate.
	Certificate string
	// SendWait is how long to watch Sent Items after a send.
	SendWait time.Duration
	// UndoSend is how long the full-screen UI holds a confirmed send,
	// while it can still be undone, before it posts it (0: at once).
	UndoSend time.Duration
	// Refresh is how often the full-screen UI quietly asks what changed in Drafts (0: never).
	Refresh time.Duration
	// ConfirmSend makes 'drafts send' ask y/N on a terminal when --yes is
	// not given (default true). The full-screen UI always asks.
	ConfirmSend bool
	// CacheList keeps the drafts list (not the bodies) in a private file next to the token
	// cache, so the full-screen UI starts with it on screen (default true).
	CacheList bool
	// TokenStore says where the token cache may live.
	TokenStore StoreMode
	// CacheDir is the directory of the token cache file.
	CacheDir string

	// ConfigFile is the settings file looked for; ConfigFound says whether
	// it existed and was read.
	ConfigFile  string
	ConfigFound bool

	origins map[string]Origin
}

// OriginKind says where a setting came from.
type OriginKind int

// Where settings come from, lowest precedence first.
const (
	FromDefault OriginKind = iota
	FromFile
	FromEnv
	FromFlag
	// FromInferred is a value derived from another setting.
	FromInferred
)

// Origin is where one setting's value came from.
type Origin struct {
	Kind OriginKind
	// Name is the flag ("--mailbox"), the variable ("DRAFTS_MAILBOX"),
	// the file path, or for defaults and inferred values a short note.
	Name string
	// Line is the file line, for FromFile.
	Line int
}

// String describes the origin, e.g. "--mailbox", "env DRAFTS_TENANT",
// "/home/a/.config/drafts/config.toml:3", "default".
func (o Origin) String() string {
	switch o.Kind {
	case FromFlag:
		return o.Name
	case FromEnv:
		return "env " + o.Name
	case FromFile:
		if o.Line > 0 {
			return fmt.Sprintf("%s:%d", o.Name, o.Line)
		}
		return o.Name
	case FromInferred:
		return o.Name
	}
	if o.Name != "" {
		return "default (" + o.Name + ")"
	}
	return "default"
}

// Origin returns where the named setting (a settings-file key such as
// "mailbox", or "access_token", "cache_dir", "config") came from.
func (c Config) Origin(key string) Origin { return c.origins[key] }

// Setting is one effective setting for display. Secrets show only
// whether they are set.
type Setting struct {
	Key    string
	Value  string
	Origin Origin
}

// Settings lists the effective settings with where each came from, in a
// stable order. Secrets are never included, only "set (hidden)".
func (c Config) Settings() []Setting {
	hidden := func(v string) string {
		if v == "" {
			return "(not set)"
		}
		return "set (hidden)"
	}
	orNone := func(v, none string) string {
		if v == "" {
			return none
		}
		return v
	}
	s := []Setting{
		{"config", orNone(c.ConfigFile, "(none)"), c.origins["config"]},
		{"cloud", string(c.Cloud), c.origins["cloud"]},
		{"graph_url", c.GraphURL, c.origins["graph_url"]},
		{"ca_file", orNone(c.CAFile, "(none: the system's roots)"), c.origins["ca_file"]},
		{"tenant", c.Tenant, c.origins["tenant"]},
		{"client_id", orNone(c.ClientID, "(not set)"), c.origins["client_id"]},
		{"auth", string(c.Auth), c.origins["auth"]},
		{"client_secret", hidden(c.ClientSecret), c.origins["client_secret"]},
		{"certificate", orNone(c.Certificate, "(not set)"), c.origins["certificate"]},
		{"mailbox", orNone(c.Mailbox, "(your own)"), c.origins["mailbox"]},
		{"send_wait", c.SendWait.String(), c.origins["send_wait"]},
		{"undo_send", c.UndoSend.String(), c.origins["undo_send"]},
		{"refresh", c.Refresh.String(), c.origins["refresh"]},
		{"confirm_send", strconv.FormatBool(c.ConfirmSend), c.origins["confirm_send"]},
		{"cache_list", strconv.FormatBool(c.CacheList), c.origins["cache_list"]},
		{"token_store", string(c.TokenStore), c.origins["token_store"]},
		{"cache_dir", orNone(c.CacheDir, "(unknown)"), c.origins["cache_dir"]},
		{"access_token", hidden(c.AccessToken), c.origins["access_token"]},
	}
	return s
}

// String describes the configuration without its secrets.
func (c Config) String() string {
	tok := "none"
	if c.AccessToken != "" {
		tok = "set (hidden)"
	}
	return fmt.Sprintf("graph-url=%s mailbox=%q token=%s demo=%v", c.GraphURL, c.Mailbox, tok, c.Demo)
}

// TokenCacheFile is the token cache file for delegated sign-in, or "" when
// no cache directory is known.
func (c Config) TokenCacheFile() string {
	if c.CacheDir == "" {
		return ""
	}
	return filepath.Join(c.CacheDir, cacheFileName)
}

// NewClient builds the Graph client the configuration describes. base
// overrides GraphURL when non-empty (demo mode passes the emulator's URL).
// hc nil means a client of its own, which trusts CAFile's authorities too.
// tokens nil means the DRAFTS_ACCESS_TOKEN value; pass a sign-in's
// TokenSource otherwise.
func (c Config) NewClient(base string, tokens graph.TokenSource, hc *http.Client) (*graph.Client, error) {
	if base == "" {
		base = c.GraphURL
	}
	if tokens == nil {
		tokens = graph.StaticToken(c.AccessToken)
	}
	cl, err := graph.New(graph.Options{BaseURL: base, Mailbox: c.Mailbox, Tokens: tokens, HTTPClient: hc, RootCAs: c.caRoots, UserAgent: "drafts"})
	if err != nil {
		from := "--graph-url or " + EnvGraphURL
		if o, ok := c.origins["graph_url"]; ok && o.Kind != FromDefault {
			from = o.String()
		}
		return nil, fmt.Errorf("%w (from %s)", err, from)
	}
	return cl, nil
}

// ErrNoClientID is returned when sign-in is needed but no app registration
// is configured.
var ErrNoClientID = errors.New("no client_id")
