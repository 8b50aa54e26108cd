package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/privfile"
)

// maxFileSize bounds the settings file; a real one is a few hundred bytes.
const maxFileSize = 1 << 20

// fileSettings is the settings file. Pointers tell a key that is absent
// from one set to "" (which means something: mailbox = "" is your own).
type fileSettings struct {
	ClientID     *string `toml:"client_id"`
	Tenant       *string `toml:"tenant"`
	Cloud        *string `toml:"cloud"`
	GraphURL     *string `toml:"graph_url"`
	CAFile       *string `toml:"ca_file"`
	Mailbox      *string `toml:"mailbox"`
	Auth         *string `toml:"auth"`
	ClientSecret *string `toml:"client_secret"`
	Certificate  *string `toml:"certificate"`
	SendWait     *string `toml:"send_wait"`
	UndoSend     *string `toml:"undo_send"`
	Refresh      *string `toml:"refresh"`
	ConfirmSend  *bool   `toml:"confirm_send"`
	CacheList    *bool   `toml:"cache_list"`
	TokenStore   *string `toml:"token_store"`
}

// keyDoc documents one key of the file: what it holds and a valid line.
type keyDoc struct {
	key, kind, example string
}

var fileKeys = []keyDoc{
	{"client_id", "a string", `client_id = "11111111-2222-3333-4444-555555555555"`},
	{"tenant", "a string", `tenant = "contoso.onmicrosoft.com"`},
	{"cloud", "a string", `cloud = "global"`},
	{"graph_url", "a string", `graph_url = "https://graph.microsoft.com/v1.0"`},
	{"ca_file", "a string", `ca_file = "emulator-ca.pem"`},
	{"mailbox", "a string", `mailbox = "shared@contoso.com"`},
	{"auth", "a string", `auth = "device-code"`},
	{"client_secret", "a string", `client_secret = "..."`},
	{"certificate", "a string", `certificate = "/path/to/app-cert.pem"`},
	{"send_wait", "a string", `send_wait = "2m"`},
	{"undo_send", "a string", `undo_send = "5s"`},
	{"refresh", "a string", `refresh = "30s"`},
	{"confirm_send", "true or false", `confirm_send = true`},
	{"cache_list", "true or false", `cache_list = true`},
	{"token_store", "a string", `token_store = "auto"`},
}

func keyInfo(key string) (keyDoc, bool) {
	for _, k := range fileKeys {
		if k.key == key {
			return k, true
		}
	}
	return keyDoc{}, false
}

// FileError is a problem with the settings file: which file, where, which
// key, what is wrong and how to fix it.
type FileError struct {
	// Path is the file.
	Path string
	// Line is the 1-based line, or 0 when the problem is the whole file.
	Line int
	// Key is the setting concerned, if known.
	Key string
	// Problem says what is wrong.
	Problem string
	// Fix says what to do about it.
	Fix string
	// Err is the underlying error, if any (for errors.Is).
	Err error
}

// Error is one line: file, line, key, problem, fix.
func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString("config file ")
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d", e.Line)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, ", key %q", e.Key)
	}
	b.WriteString(": ")
	b.WriteString(e.Problem)
	if e.Fix != "" {
		b.WriteString("; fix: ")
		b.WriteString(e.Fix)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

// fileValue is one setting read from the file, as text, with its line.
type fileValue struct {
	raw  string
	line int
}

// fileValues is what the settings file set.
type fileValues struct {
	path   string
	mode   fs.FileMode
	values map[string]fileValue
}

func (fv *fileValues) get(key string) (fileValue, bool) {
	if fv == nil {
		return fileValue{}, false
	}
	v, ok := fv.values[key]
	return v, ok
}

// readFile reads and decodes the settings file at path. A missing file is
// nil, nil unless the path was named explicitly (then it is likely a typo).
func readFile(path string, explicit bool, from Origin) (*fileValues, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		return nil, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, &FileError{Path: path, Problem: "does not exist (named by " + from.String() + ")", Fix: "check the path, or create it with 'drafts config init --config " + path + "'", Err: err}
	case err != nil:
		return nil, unreadable(path, err)
	case fi.IsDir():
		return nil, &FileError{Path: path, Problem: "is a directory, not a file", Fix: "point --config or " + EnvConfig + " at the config.toml inside it"}
	case fi.Size() > maxFileSize:
		return nil, &FileError{Path: path, Problem: fmt.Sprintf("is %d bytes, too big for a settings file", fi.Size()), Fix: "point --config or " + EnvConfig + " at the right file"}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, unreadable(path, err)
	}
	fv, err := decodeFile(path, data)
	if err != nil {
		return nil, err
	}
	fv.mode = fi.Mode().Perm()
	return fv, nil
}

func unreadable(path string, err error) error {
	fix := "check that the file exists and that you may read it"
	if errors.Is(err, fs.ErrPermission) {
		fix = "give yourself read permission (chmod 600 " + path + "), or point --config elsewhere"
	}
	return &FileError{Path: path, Problem: "cannot be read (" + privfile.Reason(err).Error() + ")", Fix: fix, Err: err}
}

// decodeFile decodes the TOML strictly: unknown keys, wrong types and bad
// syntax are errors that name the line and the key.
func decodeFile(path string, data []byte) (*fileValues, error) {
	var s fileSettings
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, decodeError(path, data, err)
	}
	lines := keyLines(data)
	fv := &fileValues{path: path, values: map[string]fileValue{}}
	set := func(key string, p *string) {
		if p != nil {
			fv.values[key] = fileValue{raw: *p, line: lines[key]}
		}
	}
	set("client_id", s.ClientID)
	set("tenant", s.Tenant)
	set("cloud", s.Cloud)
	set("graph_url", s.GraphURL)
	set("ca_file", s.CAFile)
	set("mailbox", s.Mailbox)
	set("auth", s.Auth)
	set("client_secret", s.ClientSecret)
	set("certificate", s.Certificate)
	set("send_wait", s.SendWait)
	set("undo_send", s.UndoSend)
	set("refresh", s.Refresh)
	set("token_store", s.TokenStore)
	if s.ConfirmSend != nil {
		fv.values["confirm_send"] = fileValue{raw: strconv.FormatBool(*s.ConfirmSend), line: lines["confirm_send"]}
	}
	if s.CacheList != nil {
		fv.values["cache_list"] = fileValue{raw: strconv.FormatBool(*s.CacheList), line: lines["cache_list"]}
	}
	return fv, nil
}

// keyLines maps each top-level key of a valid document to its line.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	p := unstable.Parser{}
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		if e.Kind != unstable.KeyValue {
			continue
		}
		it := e.Key()
		if !it.Next() {
			continue
		}
		k := it.Node()
		line := 0
		if k.Raw.Length > 0 {
			line = p.Shape(k.Raw).Start.Line
		}
		lines[string(k.Data)] = line
	}
	return lines
}

var typeMismatch = regexp.MustCompile(`cannot decode TOML (\w+) into`)

func decodeError(path string, data []byte, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		first := strict.Errors[0]
		line, _ := first.Position()
		key := strings.Join(first.Key(), ".")
		problem := "unknown key"
		if len(strict.Errors) > 1 {
			var more []string
			for _, e := range strict.Errors[1:] {
				l, _ := e.Position()
				more = append(more, fmt.Sprintf("%q on line %d", strings.Join(e.Key(), "."), l))
			}
			problem += " (also unknown: " + strings.Join(more, ", ") + ")"
		}
		fix := "remove it or correct its spelling"
		if s := suggestKey(first.Key()[len(first.Key())-1]); s != "" {
			fix += fmt.Sprintf(" (did you mean %q?)", s)
		}
		fix += "; the keys drafts knows are " + knownKeys() + ", all at the top level"
		return &FileError{Path: path, Line: line, Key: key, Problem: problem, Fix: fix, Err: err}
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		key := strings.Join(de.Key(), ".")
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if m := typeMismatch.FindStringSubmatch(msg); m != nil {
			kd, _ := keyInfo(key)
			return &FileError{Path: path, Line: line, Key: key,
				Problem: fmt.Sprintf("must be %s, not %s %s", kd.kind, article(m[1]), m[1]),
				Fix:     "write it like " + kd.example, Err: err}
		}
		if key == "" {
			key = keyOnLine(data, line)
		}
		fix := `write each setting as key = value, with text in double quotes (mailbox = "shared@contoso.com")`
		if strings.Contains(msg, "already defined") {
			fix = "keep only one line that sets it"
		}
		return &FileError{Path: path, Line: line, Key: key,
			Problem: fmt.Sprintf("not valid TOML at column %d: %s", col, graph.CleanLine(msg)),
			Fix:     fix, Err: err}
	}
	return &FileError{Path: path, Problem: "not valid TOML: " + graph.CleanLine(err.Error()), Fix: `write each setting as key = value, with text in double quotes`, Err: err}
}

func article(typ string) string {
	if strings.ContainsAny(typ[:1], "aeiouAEIOU") {
		return "an"
	}
	return "a"
}

// keyOnLine guesses the key a broken line was setting.
func keyOnLine(data []byte, line int) string {
	ls := strings.Split(string(data), "\n")
	if line < 1 || line > len(ls) {
		return ""
	}
	k, _, ok := strings.Cut(ls[line-1], "=")
	if !ok {
		return ""
	}
	k = strings.Trim(strings.TrimSpace(k), `"'`)
	if _, known := keyInfo(k); known {
		return k
	}
	return ""
}

func knownKeys() string {
	names := make([]string, len(fileKeys))
	for i, k := range fileKeys {
		names[i] = k.key
	}
	return strings.Join(names, ", ")
}

// suggestKey returns the known key closest to an unknown one, if close.
func suggestKey(k string) string {
	k = strings.ToLower(strings.ReplaceAll(k, "-", "_"))
	best, bestD := "", 3
	for _, kd := range fileKeys {
		if d := editDistance(k, kd.key); d < bestD {
			best, bestD = kd.key, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// groupOrWorldReadable reports whether a file mode lets others read it. On
// Windows the mode bits say nothing about that.
func groupOrWorldReadable(mode fs.FileMode) bool {
	return runtime.GOOS != "windows" && mode&0o077 != 0
}

// ExampleFile is the commented settings file 'drafts config init' writes.
const ExampleFile = `# drafts settings. Every key is optional; remove the "#" to use one.
# Precedence: command-line flags > environment (DRAFTS_*) > this file > defaults.
# 'drafts status' shows the value in effect and where it came from.

# The Application (client) ID of your app registration in Microsoft Entra ID
# (App registrations > your app > Overview). Required to sign in.
# Env: DRAFTS_CLIENT_ID
# client_id = "11111111-2222-3333-4444-555555555555"

# The directory (tenant) to sign in to: "common" (work, school or personal
# accounts), "organizations", "consumers", a tenant ID or a domain.
# App-only sign-in needs your real tenant. Env: DRAFTS_TENANT
# tenant = "common"

# The Microsoft cloud: global, usgov (GCC High), usgovdod (DoD) or china
# (21Vianet). It picks the sign-in host and the Graph host. Env: DRAFTS_CLOUD
# cloud = "global"

# The Microsoft Graph root, if not the cloud's own (for example a proxy).
# Flag: --graph-url. Env: DRAFTS_GRAPH_URL
# graph_url = "https://graph.microsoft.com/v1.0"

# A PEM file of certificate authorities the Graph client trusts besides the
# system's: the file 'drafts emulator --tls' prints, or a TLS proxy's CA.
# Relative paths start at this file's directory. Flag: --ca-file.
# Env: DRAFTS_CA_FILE
# ca_file = "emulator-ca.pem"

# A shared or delegated mailbox; empty means your own. Signed in as yourself,
# you need access to it (Full Access, Send As), and drafts also asks for
# Mail.ReadWrite.Shared and Mail.Send.Shared. Required for app-only sign-in.
# Flag: --mailbox. Env: DRAFTS_MAILBOX
# mailbox = "shared@contoso.com"

# How to sign in: "device-code" (you, in a browser; the default),
# "client-secret" or "certificate" (app-only, for admins). Env: DRAFTS_AUTH
# auth = "device-code"

# App-only with a client secret: prefer the environment (DRAFTS_CLIENT_SECRET)
# to this file. If you put it here, keep the file private (chmod 600).
# client_secret = "..."

# App-only with a certificate: a PEM file holding the certificate and its
# unencrypted private key. Relative paths start at this file's directory.
# Env: DRAFTS_CERTIFICATE
# certificate = "app-cert.pem"

# How long to watch Sent Items for the copy of a sent draft. Env: DRAFTS_SEND_WAIT
# send_wait = "2m"

# How long the full-screen UI waits after 'y' before it sends, while 'u'
# undoes the send ("0s": send at once). 'drafts send' takes --undo instead.
# Env: DRAFTS_UNDO_SEND
# undo_send = "5s"

# How often the full-screen UI quietly asks Graph what changed in Drafts, so
# that drafts written meanwhile show up by themselves ("0s": only when r is
# pressed). Env: DRAFTS_REFRESH
# refresh = "30s"

# Whether 'drafts send' asks y/N on a terminal when --yes is not given (it
# always refuses without --yes when nobody can answer). The full-screen UI
# always asks. Env: DRAFTS_CONFIRM_SEND
# confirm_send = true

# Whether the full-screen UI keeps the drafts list (subjects, recipients,
# dates; never the bodies) in a private file next to the token cache, so the
# next start shows it at once while it asks Graph only what changed. Encrypted
# like the token cache; 'drafts logout' removes it. Env: DRAFTS_CACHE_LIST
# cache_list = true

# Where sign-in tokens are kept: "auto" (encrypted with a key in the OS
# keyring when one answers, else a private file), "keyring" (fail if none)
# or "file". Env: DRAFTS_TOKEN_STORE
# token_store = "auto"
`

// WriteExample writes ExampleFile to path (mode 0600 in a 0700 directory).
// It refuses to replace an existing file unless force is set.
func WriteExample(path string, force bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("cannot create the directory for %s: %w", path, err)
	}
	if !force {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%s already exists; keep it, or replace it with 'drafts config init --force'", path)
		}
	}
	if err := privfile.WriteAtomic(path, []byte(ExampleFile)); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
