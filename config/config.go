// Package config turns flags, the environment, the settings file and
// defaults into one Config, signs in to Microsoft Entra ID, keeps the token
// cache, and builds the Graph client the configuration describes.
package config

import (
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
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
	EnvConfirmSend  = "DRAFTS_CONFIRM_SEND"
	EnvTokenStore   = "DRAFTS_TOKEN_STORE"
	EnvCacheDir     = "DRAFTS_CACHE_DIR"
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
	// ConfirmSend makes 'drafts send' ask y/N on a terminal when --yes is
	// not given (default true). The full-screen UI always asks.
	ConfirmSend bool
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
		{"tenant", c.Tenant, c.origins["tenant"]},
		{"client_id", orNone(c.ClientID, "(not set)"), c.origins["client_id"]},
		{"auth", string(c.Auth), c.origins["auth"]},
		{"client_secret", hidden(c.ClientSecret), c.origins["client_secret"]},
		{"certificate", orNone(c.Certificate, "(not set)"), c.origins["certificate"]},
		{"mailbox", orNone(c.Mailbox, "(your own)"), c.origins["mailbox"]},
		{"send_wait", c.SendWait.String(), c.origins["send_wait"]},
		{"confirm_send", strconv.FormatBool(c.ConfirmSend), c.origins["confirm_send"]},
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

// DefaultConfigPath is where the settings file lives unless --config or
// DRAFTS_CONFIG says otherwise: config.toml in the drafts directory of the
// user's config directory ($XDG_CONFIG_HOME/drafts/config.toml on Linux).
func DefaultConfigPath(getenv func(string) string) (string, error) {
	dir, err := userConfigDir(getenv)
	if err != nil {
		return "", fmt.Errorf("cannot find your config directory (%v): use --config or %s", err, EnvConfig)
	}
	return filepath.Join(dir, "drafts", "config.toml"), nil
}

// ConfigPath returns the settings file the flags and environment select,
// and where that choice came from.
func ConfigPath(f Flags, getenv func(string) string) (string, Origin, error) {
	if f.ConfigPath != "" {
		return f.ConfigPath, Origin{Kind: FromFlag, Name: "--config"}, nil
	}
	if p := strings.TrimSpace(getenv(EnvConfig)); p != "" {
		return p, Origin{Kind: FromEnv, Name: EnvConfig}, nil
	}
	p, err := DefaultConfigPath(getenv)
	return p, Origin{Kind: FromDefault}, err
}

// Load resolves the configuration: flags over environment over the
// settings file over defaults. getenv is os.Getenv in the program and a map
// in tests; it is also how the config and cache directories are found.
func Load(f Flags, getenv func(string) string) (Config, error) {
	r := &resolver{f: f, getenv: getenv}
	c := Config{Demo: f.Demo, origins: map[string]Origin{}}

	path, from, err := ConfigPath(f, getenv)
	if err == nil {
		c.ConfigFile = path
		c.origins["config"] = from
		r.file, err = readFile(path, from.Kind != FromDefault, from)
		if err != nil {
			return Config{}, err
		}
		c.ConfigFound = r.file != nil
	} else {
		// No HOME: no default file, which is fine.
		c.origins["config"] = Origin{Kind: FromDefault, Name: "no config directory"}
	}
	if err := r.resolve(&c); err != nil {
		return Config{}, err
	}
	return c, nil
}

// resolver picks each setting from its sources in precedence order.
type resolver struct {
	f      Flags
	getenv func(string) string
	file   *fileValues
}

// value is one candidate value with its origin.
type value struct {
	raw    string
	origin Origin
	set    bool
}

// pick returns the value of a setting: the flag if given, else the
// non-empty environment variable, else the file's key.
func (r *resolver) pick(key, env, flag string, flagVal string, flagSet bool) value {
	if flag != "" && flagSet {
		return value{strings.TrimSpace(flagVal), Origin{Kind: FromFlag, Name: flag}, true}
	}
	if env != "" {
		if v := strings.TrimSpace(r.getenv(env)); v != "" {
			return value{v, Origin{Kind: FromEnv, Name: env}, true}
		}
	}
	if fv, ok := r.file.get(key); ok {
		return value{strings.TrimSpace(fv.raw), Origin{Kind: FromFile, Name: r.file.path, Line: fv.line}, true}
	}
	return value{}
}

// invalid builds the error for a bad value, naming its origin. Secret
// values are never repeated.
func (r *resolver) invalid(key string, v value, problem, fix string) error {
	switch v.origin.Kind {
	case FromFile:
		return &FileError{Path: v.origin.Name, Line: v.origin.Line, Key: key, Problem: problem, Fix: fix}
	case FromEnv:
		return fmt.Errorf("%s (environment): %s; fix: %s", v.origin.Name, problem, fix)
	case FromFlag:
		return fmt.Errorf("%s: %s; fix: %s", v.origin.Name, problem, fix)
	}
	return fmt.Errorf("%s: %s; fix: %s", key, problem, fix)
}

var (
	guidRE   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	tenantRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]*$`)
)

func (r *resolver) resolve(c *Config) error {
	def := func(note string) Origin { return Origin{Kind: FromDefault, Name: note} }

	// Cloud first: it gives the default Graph URL.
	cloudV := r.pick("cloud", EnvCloud, "", "", false)
	graphV := r.pick("graph_url", EnvGraphURL, "--graph-url", r.f.GraphURL, r.f.GraphURLSet)
	if cloudV.set {
		cl, ok := parseCloud(cloudV.raw)
		if !ok {
			return r.invalid("cloud", cloudV, fmt.Sprintf("%q is not a cloud drafts knows", cloudV.raw), "use one of "+cloudList())
		}
		c.Cloud, c.origins["cloud"] = cl, cloudV.origin
	} else if cl, ok := cloudOfGraphURL(graphV.raw); graphV.set && ok {
		c.Cloud, c.origins["cloud"] = cl, Origin{Kind: FromInferred, Name: "from graph_url (" + graphV.origin.String() + ")"}
	} else {
		c.Cloud, c.origins["cloud"] = CloudGlobal, def("")
	}
	if graphV.set {
		if cl, ok := cloudOfGraphURL(graphV.raw); ok && cloudV.set && cl != c.Cloud {
			return r.invalid("graph_url", graphV, fmt.Sprintf("%s is the Graph of the %s cloud, but cloud is %s (%s)", graphV.raw, cl, c.Cloud, cloudV.origin),
				"remove graph_url to use the cloud's own Graph, or set cloud = \""+string(cl)+"\"")
		}
		c.GraphURL, c.origins["graph_url"] = graphV.raw, graphV.origin
	} else {
		c.GraphURL, c.origins["graph_url"] = c.Cloud.GraphURL(), def("the "+string(c.Cloud)+" cloud's Graph")
	}

	if v := r.pick("tenant", EnvTenant, "", "", false); v.set {
		if !tenantRE.MatchString(v.raw) {
			return r.invalid("tenant", v, fmt.Sprintf("%q is not a tenant", v.raw),
				`use "common", "organizations", "consumers", a tenant ID (a GUID) or a domain such as contoso.onmicrosoft.com`)
		}
		c.Tenant, c.origins["tenant"] = v.raw, v.origin
	} else {
		c.Tenant, c.origins["tenant"] = DefaultTenant, def("")
	}

	if v := r.pick("client_id", EnvClientID, "", "", false); v.set && v.raw != "" {
		if !guidRE.MatchString(v.raw) {
			return r.invalid("client_id", v, fmt.Sprintf("%q is not an Application (client) ID", v.raw),
				"copy the GUID shown as 'Application (client) ID' on your app registration's Overview page in Microsoft Entra ID")
		}
		c.ClientID, c.origins["client_id"] = strings.ToLower(v.raw), v.origin
	} else {
		c.origins["client_id"] = def("none: see 'drafts login'")
	}

	if v := r.pick("auth", EnvAuth, "", "", false); v.set {
		m := AuthMode(strings.ToLower(v.raw))
		switch m {
		case AuthDeviceCode, AuthClientSecret, AuthCertificate:
		default:
			return r.invalid("auth", v, fmt.Sprintf("%q is not a sign-in mode", v.raw), "use device-code, client-secret or certificate")
		}
		c.Auth, c.origins["auth"] = m, v.origin
	} else {
		c.Auth, c.origins["auth"] = AuthDeviceCode, def("")
	}

	if v := r.pick("client_secret", EnvClientSecret, "", "", false); v.set {
		if v.origin.Kind == FromFile && groupOrWorldReadable(r.file.mode) {
			return r.invalid("client_secret", v, fmt.Sprintf("holds a secret, but other users may read the file (mode %04o)", r.file.mode),
				"chmod 600 "+r.file.path+", or remove client_secret and set "+EnvClientSecret+" instead")
		}
		c.ClientSecret, c.origins["client_secret"] = v.raw, v.origin
	} else {
		c.origins["client_secret"] = def("")
	}

	if v := r.pick("certificate", EnvCertificate, "", "", false); v.set && v.raw != "" {
		c.Certificate, c.origins["certificate"] = r.path(v), v.origin
	} else {
		c.origins["certificate"] = def("")
	}

	v := r.pick("mailbox", EnvMailbox, "--mailbox", r.f.Mailbox, r.f.MailboxSet)
	c.Mailbox, c.origins["mailbox"] = v.raw, v.origin
	if !v.set {
		c.origins["mailbox"] = def("")
	}
	if c.Mailbox != "" && !strings.Contains(c.Mailbox, "@") {
		return r.invalid("mailbox", v, fmt.Sprintf("%q is not an address like shared@contoso.com", c.Mailbox),
			"give the mailbox's full address (user principal name), or leave it empty for your own")
	}

	if v := r.pick("send_wait", EnvSendWait, "", "", false); v.set {
		d, err := time.ParseDuration(v.raw)
		if err != nil || d < 0 {
			return r.invalid("send_wait", v, fmt.Sprintf("%q is not a duration", v.raw), `write it like "2m", "90s" or "0s" (do not watch)`)
		}
		c.SendWait, c.origins["send_wait"] = d, v.origin
	} else {
		c.SendWait, c.origins["send_wait"] = graph.DefaultSendDeadline, def("")
	}

	if v := r.pick("confirm_send", EnvConfirmSend, "", "", false); v.set {
		b, err := strconv.ParseBool(v.raw)
		if err != nil {
			return r.invalid("confirm_send", v, fmt.Sprintf("%q is not true or false", v.raw), "use true or false")
		}
		c.ConfirmSend, c.origins["confirm_send"] = b, v.origin
	} else {
		c.ConfirmSend, c.origins["confirm_send"] = true, def("")
	}

	if v := r.pick("token_store", EnvTokenStore, "", "", false); v.set {
		m := StoreMode(strings.ToLower(v.raw))
		switch m {
		case StoreAuto, StoreKeyring, StoreFile:
		default:
			return r.invalid("token_store", v, fmt.Sprintf("%q is not a token store", v.raw), "use auto, keyring or file")
		}
		c.TokenStore, c.origins["token_store"] = m, v.origin
	} else {
		c.TokenStore, c.origins["token_store"] = StoreAuto, def("")
	}

	if d := strings.TrimSpace(r.getenv(EnvCacheDir)); d != "" {
		c.CacheDir, c.origins["cache_dir"] = d, Origin{Kind: FromEnv, Name: EnvCacheDir}
	} else if d, err := userCacheDir(r.getenv); err == nil {
		c.CacheDir, c.origins["cache_dir"] = filepath.Join(d, "drafts"), def("your cache directory")
	} else {
		c.origins["cache_dir"] = def("no cache directory: " + err.Error())
	}

	c.AccessToken = strings.TrimPrefix(strings.TrimSpace(r.getenv(EnvAccessToken)), "Bearer ")
	if c.AccessToken != "" {
		c.origins["access_token"] = Origin{Kind: FromEnv, Name: EnvAccessToken}
	} else {
		c.origins["access_token"] = def("")
	}
	return nil
}

// path resolves a path setting: "~/" is the home directory, and a relative
// path in the settings file starts at the file's directory.
func (r *resolver) path(v value) string {
	p := v.raw
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home := r.getenv("HOME"); home != "" {
			return filepath.Join(home, rest)
		}
	}
	if v.origin.Kind == FromFile && !filepath.IsAbs(p) {
		return filepath.Join(filepath.Dir(v.origin.Name), p)
	}
	return p
}

// NewClient builds the Graph client the configuration describes. base
// overrides GraphURL when non-empty (demo mode passes the emulator's URL).
// tokens nil means the DRAFTS_ACCESS_TOKEN value; pass a sign-in's
// TokenSource otherwise.
func (c Config) NewClient(base string, tokens graph.TokenSource, hc *http.Client) (*graph.Client, error) {
	if base == "" {
		base = c.GraphURL
	}
	if tokens == nil {
		tokens = graph.StaticToken(c.AccessToken)
	}
	cl, err := graph.New(graph.Options{BaseURL: base, Mailbox: c.Mailbox, Tokens: tokens, HTTPClient: hc, UserAgent: "drafts"})
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
