package config

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/draftsmail/drafts/graph"
)

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

// checkGraphURL refuses a Graph root that no request could use, as a bad setting (exit 2 on
// the command line) rather than a failed request later: not an http(s) URL, or without the API
// version (Graph answers 404 to every path without /v1.0 or /beta).
func checkGraphURL(r *resolver, v value) error {
	if err := graph.CheckBaseURL(v.raw); err != nil {
		return r.invalid("graph_url", v, strings.TrimPrefix(err.Error(), "graph: "), "give Graph's root with its version, like "+CloudGlobal.GraphURL())
	}
	if !graph.HasAPIVersion(v.raw) {
		return r.invalid("graph_url", v, fmt.Sprintf("%q has no API version", v.raw),
			"end it with /v1.0 (or /beta), like "+strings.TrimRight(v.raw, "/")+"/v1.0")
	}
	return nil
}

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
		if err := checkGraphURL(r, graphV); err != nil {
			return err
		}
		c.GraphURL, c.origins["graph_url"] = graphV.raw, graphV.origin
	} else {
		c.GraphURL, c.origins["graph_url"] = c.Cloud.GraphURL(), def("the "+string(c.Cloud)+" cloud's Graph")
	}

	if v := r.pick("ca_file", EnvCAFile, "--ca-file", r.f.CAFile, r.f.CAFileSet); v.set && v.raw != "" {
		path := r.path(v)
		roots, err := readCAFile(path)
		if err != nil {
			return r.invalid("ca_file", v, err.Error(), "give a PEM file of CA certificates, such as the one 'drafts emulator --tls' prints")
		}
		c.CAFile, c.caRoots, c.origins["ca_file"] = path, roots, v.origin
	} else {
		c.origins["ca_file"] = def("")
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

	auth, err := r.choice(c, "auth", EnvAuth, "a sign-in mode", string(AuthDeviceCode), string(AuthClientSecret), string(AuthCertificate))
	if err != nil {
		return err
	}
	c.Auth = AuthMode(auth)

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

	if v := r.pick("undo_send", EnvUndoSend, "", "", false); v.set {
		d, err := time.ParseDuration(v.raw)
		if err != nil || d < 0 || d > MaxUndoSend {
			return r.invalid("undo_send", v, fmt.Sprintf("%q is not a duration up to %s", v.raw, MaxUndoSend), `write it like "5s", "10s" or "0s" (send at once)`)
		}
		c.UndoSend, c.origins["undo_send"] = d, v.origin
	} else {
		c.UndoSend, c.origins["undo_send"] = DefaultUndoSend, def("")
	}

	if v := r.pick("refresh", EnvRefresh, "", "", false); v.set {
		d, err := time.ParseDuration(v.raw)
		if err != nil || d < 0 || d > 0 && d < MinRefresh {
			return r.invalid("refresh", v, fmt.Sprintf("%q is not 0s or a duration of at least %s", v.raw, MinRefresh), `write it like "30s", "2m" or "0s" (only when r is pressed)`)
		}
		c.Refresh, c.origins["refresh"] = d, v.origin
	} else {
		c.Refresh, c.origins["refresh"] = DefaultRefresh, def("")
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

	if v := r.pick("cache_list", EnvCacheList, "", "", false); v.set {
		b, err := strconv.ParseBool(v.raw)
		if err != nil {
			return r.invalid("cache_list", v, fmt.Sprintf("%q is not true or false", v.raw), "use true or false")
		}
		c.CacheList, c.origins["cache_list"] = b, v.origin
	} else {
		c.CacheList, c.origins["cache_list"] = true, def("")
	}

	store, err := r.choice(c, "token_store", EnvTokenStore, "a token store", string(StoreAuto), string(StoreKeyring), string(StoreFile))
	if err != nil {
		return err
	}
	c.TokenStore = StoreMode(store)

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
		if !graph.ValidToken(c.AccessToken) { // a bad setting, said before any request (never repeated)
			return r.invalid("access_token", value{origin: c.origins["access_token"]},
				"it has a space, line break or control character in it", "set it to the token alone, with no quotes")
		}
	} else {
		c.origins["access_token"] = def("")
	}
	return nil
}

// choice resolves a setting that must be one of choices (the first is the
// default), compared without regard to case, and records its origin.
func (r *resolver) choice(c *Config, key, env, what string, choices ...string) (string, error) {
	v := r.pick(key, env, "", "", false)
	if !v.set {
		c.origins[key] = Origin{Kind: FromDefault}
		return choices[0], nil
	}
	m := strings.ToLower(v.raw)
	if !slices.Contains(choices, m) {
		return "", r.invalid(key, v, fmt.Sprintf("%q is not %s", v.raw, what),
			"use "+strings.Join(choices[:len(choices)-1], ", ")+" or "+choices[len(choices)-1])
	}
	c.origins[key] = v.origin
	return m, nil
}

// path resolves a path setting: "~/" (or `~\` on Windows) is the home
// directory, and a relative path in the settings file starts at the file's
// directory.
func (r *resolver) path(v value) string {
	p := v.raw
	if rest, ok := cutHome(p); ok {
		if home, err := userHomeDir(r.getenv); err == nil {
			return filepath.Join(home, rest)
		}
	}
	if v.origin.Kind == FromFile && !filepath.IsAbs(p) {
		return filepath.Join(filepath.Dir(v.origin.Name), p)
	}
	return p
}
