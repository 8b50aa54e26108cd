package config

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// writeConfig writes a settings file and returns the environment that
// selects it.
func writeConfig(t *testing.T, body string) (string, map[string]string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, map[string]string{EnvConfig: path}
}

func TestFileValid(t *testing.T) {
	path, e := writeConfig(t, `# a comment
client_id = "11111111-2222-3333-4444-555555555555"
tenant = "contoso.onmicrosoft.com"
cloud = "usgov"
mailbox = "shared@contoso.example"
auth = "device-code"
send_wait = "90s"
confirm_send = false
token_store = "file"
certificate = "certs/app.pem"
`)
	c, err := Load(Flags{}, env(e))
	if err != nil {
		t.Fatal(err)
	}
	if c.ClientID != testClientID || c.Tenant != "contoso.onmicrosoft.com" || c.Cloud != CloudUSGov ||
		c.GraphURL != "https://graph.microsoft.us/v1.0" || c.Mailbox != "shared@contoso.example" ||
		c.SendWait != 90*time.Second || c.ConfirmSend || c.TokenStore != StoreFile || !c.ConfigFound {
		t.Fatalf("%+v", c)
	}
	if c.Certificate != filepath.Join(filepath.Dir(path), "certs", "app.pem") {
		t.Fatalf("certificate %q is not relative to the file", c.Certificate)
	}
	if c.Authority() != "https://login.microsoftonline.us/contoso.onmicrosoft.com" {
		t.Fatalf("authority %q", c.Authority())
	}
	if o := c.Origin("cloud"); o.String() != path+":4" {
		t.Fatalf("cloud origin %q", o)
	}
	if o := c.Origin("confirm_send"); o.String() != path+":8" {
		t.Fatalf("confirm_send origin %q", o)
	}
	if o := c.Origin("graph_url"); o.Kind != FromDefault || !strings.Contains(o.String(), "usgov") {
		t.Fatalf("graph_url origin %q", o)
	}
}

func TestFileMissingIsFineUnlessNamed(t *testing.T) {
	home := t.TempDir()
	c, err := Load(Flags{}, env(map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, "cfg")}))
	if err != nil || c.ConfigFound || c.ClientID != "" || c.Tenant != "common" || c.Cloud != CloudGlobal || c.Auth != AuthDeviceCode || !c.ConfirmSend {
		t.Fatalf("%+v, %v", c, err)
	}
	if !strings.HasSuffix(c.ConfigFile, filepath.Join("drafts", "config.toml")) {
		t.Fatalf("default path %q", c.ConfigFile)
	}
	_, err = Load(Flags{ConfigPath: filepath.Join(home, "nope.toml")}, env(nil))
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), "--config") {
		t.Fatalf("named missing file: %v", err)
	}
}

func TestFileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		line       int
		key        string
		want       []string
	}{
		{"bad syntax", "client_id = \"x\"\nconfirm_send = tru\n", 2, "confirm_send", []string{"not valid TOML", "double quotes"}},
		{"unterminated string", "tenant = \"contoso\n", 1, "tenant", []string{"not valid TOML"}},
		{"unknown key", "\n\nmailbx = \"a@b.c\"\n", 3, "mailbx", []string{"unknown key", `did you mean "mailbox"`, "client_id"}},
		{"unknown table", "[ui]\ntheme = \"dark\"\n", 1, "ui", []string{"unknown key", "top level"}},
		{"wrong type bool", "confirm_send = \"yes\"\n", 1, "confirm_send", []string{"must be true or false, not a string", "confirm_send = true"}},
		{"wrong type string", "\nclient_id = 12\n", 2, "client_id", []string{"must be a string, not an integer", `client_id = "`}},
		{"duplicate key", "tenant = \"a\"\ntenant = \"b\"\n", 2, "tenant", []string{"already defined"}},
		{"bad cloud", "tenant = \"a\"\ncloud = \"mars\"\n", 2, "cloud", []string{`"mars"`, "global, usgov, usgovdod, china"}},
		{"bad duration", "send_wait = \"soon\"\n", 1, "send_wait", []string{"not a duration", `"2m"`}},
		{"bad client id", "client_id = \"my app\"\n", 1, "client_id", []string{"Application (client) ID"}},
		{"bad auth", "auth = \"password\"\n", 1, "auth", []string{"device-code, client-secret or certificate"}},
		{"bad mailbox", "mailbox = \"shared\"\n", 1, "mailbox", []string{"shared@contoso.com"}},
		{"cloud contradicts graph", "cloud = \"china\"\ngraph_url = \"https://graph.microsoft.com/v1.0\"\n", 2, "graph_url", []string{"global cloud", "cloud is china"}},
		{"bad store", "token_store = \"disk\"\n", 1, "token_store", []string{"auto, keyring or file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, e := writeConfig(t, tc.body)
			_, err := Load(Flags{}, env(e))
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v (%T)", err, err)
			}
			if fe.Path != path || fe.Line != tc.line || fe.Key != tc.key || fe.Fix == "" {
				t.Fatalf("FileError{%q line %d key %q fix %q}, want line %d key %q", fe.Path, fe.Line, fe.Key, fe.Fix, tc.line, tc.key)
			}
			msg := err.Error()
			for _, w := range append(tc.want, path, "line ", "key \""+tc.key+"\"", "fix: ") {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
			if strings.ContainsAny(msg, "\n\r") {
				t.Errorf("not one line: %q", msg)
			}
		})
	}
}

func TestFileUnreadable(t *testing.T) {
	dir := t.TempDir()
	// A directory where the file should be.
	_, err := Load(Flags{ConfigPath: dir}, env(nil))
	if err == nil || !strings.Contains(err.Error(), "is a directory") || !strings.Contains(err.Error(), dir) {
		t.Fatalf("directory: %v", err)
	}
	// A path through a file: cannot be read, even by root.
	f := filepath.Join(dir, "file")
	os.WriteFile(f, nil, 0o600)
	_, err = Load(Flags{}, env(map[string]string{EnvConfig: filepath.Join(f, "config.toml")}))
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "cannot be read") || !strings.Contains(err.Error(), "fix: ") {
		t.Fatalf("through a file: %v", err)
	}
	// No read permission (meaningless for root).
	if os.Geteuid() != 0 {
		p := filepath.Join(dir, "locked.toml")
		os.WriteFile(p, []byte("tenant = \"a\"\n"), 0o000)
		_, err = Load(Flags{ConfigPath: p}, env(nil))
		if err == nil || !strings.Contains(err.Error(), "permission denied") || !strings.Contains(err.Error(), "chmod 600") {
			t.Fatalf("no permission: %v", err)
		}
	}
}

func TestFileSecretNeedsAPrivateFile(t *testing.T) {
	skipOnWindows(t)
	path, e := writeConfig(t, "auth = \"client-secret\"\nclient_secret = \"hunter2-secret\"\n")
	if c, err := Load(Flags{}, env(e)); err != nil || c.ClientSecret != "hunter2-secret" {
		t.Fatalf("private file: %v", err)
	}
	os.Chmod(path, 0o644)
	_, err := Load(Flags{}, env(e))
	if err == nil || !strings.Contains(err.Error(), "chmod 600") || !strings.Contains(err.Error(), "line 2") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("err = %v", err)
	}
}

func TestPrecedenceFlagsEnvFileDefaults(t *testing.T) {
	path, e := writeConfig(t, `mailbox = "file@contoso.example"
graph_url = "https://graph.microsoft.com/v1.0"
tenant = "file-tenant.example"
send_wait = "30s"
`)
	e[EnvMailbox] = "env@contoso.example"
	e[EnvTenant] = "env-tenant.example"
	c, err := Load(Flags{Mailbox: "flag@contoso.example", MailboxSet: true}, env(e))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key, value, origin string
	}{
		{"mailbox", c.Mailbox, "--mailbox"},
		{"tenant", c.Tenant, "env " + EnvTenant},
		{"graph_url", c.GraphURL, path + ":2"},
		{"send_wait", c.SendWait.String(), path + ":4"},
		{"confirm_send", "true", "default"},
		{"config", c.ConfigFile, "env " + EnvConfig},
	} {
		if got := c.Origin(tc.key).String(); got != tc.origin {
			t.Errorf("%s = %q from %q, want from %q", tc.key, tc.value, got, tc.origin)
		}
	}
	if c.Mailbox != "flag@contoso.example" || c.Tenant != "env-tenant.example" || c.SendWait != 30*time.Second {
		t.Fatalf("%+v", c)
	}
	// The settings list shows every value with its origin, never a secret.
	e[EnvClientSecret] = "env-secret-value"
	e[EnvAccessToken] = "env-access-token"
	c, _ = Load(Flags{}, env(e))
	var lines []string
	for _, s := range c.Settings() {
		lines = append(lines, s.Key+"="+s.Value+" ("+s.Origin.String()+")")
	}
	out := strings.Join(lines, "\n")
	for _, want := range []string{"mailbox=env@contoso.example (env DRAFTS_MAILBOX)", "client_secret=set (hidden) (env DRAFTS_CLIENT_SECRET)", "access_token=set (hidden)", "tenant=env-tenant.example"} {
		if !strings.Contains(out, want) {
			t.Errorf("settings lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "env-secret-value") || strings.Contains(out, "env-access-token") {
		t.Fatalf("secret in settings:\n%s", out)
	}
}

func TestEnvErrorsNameTheVariable(t *testing.T) {
	for k, v := range map[string]string{EnvCloud: "mars", EnvSendWait: "-1s", EnvConfirmSend: "maybe", EnvAuth: "pw", EnvTokenStore: "x", EnvTenant: "a/b"} {
		_, err := Load(Flags{}, env(map[string]string{k: v}))
		if err == nil || !strings.Contains(err.Error(), k) || !strings.Contains(err.Error(), "fix: ") {
			t.Errorf("%s=%s: %v", k, v, err)
		}
	}
}

func TestCloudInferredFromGraphURL(t *testing.T) {
	c, err := Load(Flags{GraphURL: "https://dod-graph.microsoft.us/v1.0", GraphURLSet: true}, env(nil))
	if err != nil || c.Cloud != CloudUSGovDoD || !strings.Contains(c.Origin("cloud").String(), "--graph-url") {
		t.Fatalf("%v %v %v", c.Cloud, c.Origin("cloud"), err)
	}
	if c.Authority() != "https://login.microsoftonline.us/common" || !strings.HasPrefix(c.Cloud.DelegatedScopes(false)[0], "https://dod-graph.microsoft.us/") {
		t.Fatalf("authority %q scopes %v", c.Authority(), c.Cloud.DelegatedScopes(false))
	}
	c, _ = Load(Flags{}, env(map[string]string{EnvCloud: "china"}))
	if c.GraphURL != "https://microsoftgraph.chinacloudapi.cn/v1.0" || c.Authority() != "https://login.chinacloudapi.cn/common" || c.Cloud.AppScopes()[0] != "https://microsoftgraph.chinacloudapi.cn/.default" {
		t.Fatalf("china: %q %q", c.GraphURL, c.Authority())
	}
	// An emulator or proxy URL keeps the global cloud.
	c, _ = Load(Flags{GraphURL: "http://127.0.0.1:8787/v1.0", GraphURLSet: true}, env(nil))
	if c.Cloud != CloudGlobal {
		t.Fatalf("cloud %q", c.Cloud)
	}
}

var exampleKeyLine = regexp.MustCompile(`^# ([a-z_]+ = .*)$`)

func TestExampleFileParsesCommentedAndUncommented(t *testing.T) {
	_, e := writeConfig(t, ExampleFile)
	c, err := Load(Flags{}, env(e))
	if err != nil || !c.ConfigFound {
		t.Fatalf("example as written: %v", err)
	}
	// Uncomment every example setting (one auth mode at a time is the
	// user's business; the file must still parse).
	var out []string
	seen := map[string]bool{}
	for _, l := range strings.Split(ExampleFile, "\n") {
		if m := exampleKeyLine.FindStringSubmatch(l); m != nil {
			out = append(out, m[1])
			seen[strings.Fields(m[1])[0]] = true
			continue
		}
		out = append(out, l)
	}
	for _, k := range fileKeys {
		if !seen[k.key] {
			t.Errorf("the example does not show %s", k.key)
		}
	}
	path, e := writeConfig(t, strings.Join(out, "\n"))
	writeCA(t, filepath.Join(filepath.Dir(path), "emulator-ca.pem"))
	c, err = Load(Flags{}, env(e))
	if err != nil || c.ClientID == "" || c.Mailbox == "" || c.CAFile == "" {
		t.Fatalf("example uncommented: %v", err)
	}
}

func TestWriteExampleRefusesToOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.toml")
	if err := WriteExample(path, false); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); runtimeIsUnix() && fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %04o", fi.Mode().Perm())
	}
	os.WriteFile(path, []byte("tenant = \"mine\"\n"), 0o600)
	if err := WriteExample(path, false); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "tenant = \"mine\"\n" {
		t.Fatal("overwritten without --force")
	}
	if err := WriteExample(path, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != ExampleFile {
		t.Fatal("not replaced with --force")
	}
}
