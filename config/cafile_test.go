package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/emulator"
)

// writeCA writes a fresh emulator CA certificate to path.
func writeCA(t *testing.T, path string) *emulator.Certificates {
	t.Helper()
	certs, err := emulator.NewCertificates(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, certs.CAPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return certs
}

func TestCAFileLetsTheGraphClientTrustATLSEmulator(t *testing.T) {
	dir := t.TempDir()
	caPath := filepath.Join(dir, "ca.pem")
	certs := writeCA(t, caPath)
	emu := emulator.New(emulator.Options{})
	emu.SeedGenerated(3)
	base, err := emu.StartTLS("127.0.0.1:0", certs.Server)
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()

	list := func(e map[string]string) error {
		c, err := Load(Flags{}, env(e))
		if err != nil {
			t.Fatal(err)
		}
		cl, err := c.NewClient("", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cl.Drafts(10).Next(context.Background())
		return err
	}
	e := map[string]string{EnvGraphURL: base, EnvAccessToken: "t"}
	// Without the CA the certificate is refused: checks are never off. It is said as what it is,
	// with the fix.
	if err := list(e); err == nil || !strings.Contains(graph.Describe(err), "is not trusted") || !strings.Contains(graph.Describe(err), "ca_file") {
		t.Fatalf("without ca_file: %v", err)
	}
	e[EnvCAFile] = caPath
	if err := list(e); err != nil {
		t.Fatalf("with ca_file: %v", err)
	}
	c, _ := Load(Flags{}, env(e))
	if c.Origin("ca_file").Kind != FromEnv || c.CAFile != caPath {
		t.Fatalf("ca_file %q from %v", c.CAFile, c.Origin("ca_file"))
	}
	// --ca-file wins over the environment.
	if _, err := Load(Flags{CAFile: filepath.Join(dir, "nope.pem"), CAFileSet: true}, env(e)); err == nil ||
		!strings.HasPrefix(err.Error(), "--ca-file: ") {
		t.Fatalf("--ca-file over the environment: %v", err)
	}
	// The file is the Graph client's alone: a client given its own http.Client does not trust it.
	cl, err := c.NewClient("", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Drafts(1).Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	other, err := graph.New(graph.Options{BaseURL: base, Tokens: graph.StaticToken("t")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Drafts(1).Next(context.Background()); err == nil {
		t.Fatal("a client without ca_file trusted the emulator's CA")
	}
}

func TestBadCAFileIsOneClearError(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	os.WriteFile(notPEM, []byte("hello"), 0o644)
	key := filepath.Join(dir, "key.pem")
	os.WriteFile(key, []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), 0o600)
	broken := filepath.Join(dir, "broken.pem")
	os.WriteFile(broken, []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o644)
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.pem"), "does not exist"},
		{notPEM, "holds no PEM certificate"},
		{key, `holds a "PRIVATE KEY" block`},
		{broken, "does not parse"},
	} {
		_, err := Load(Flags{}, env(map[string]string{EnvCAFile: tc.path}))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), EnvCAFile) || strings.Contains(err.Error(), "\n") {
			t.Fatalf("%s: err = %v, want one line from %s saying %q", tc.path, err, EnvCAFile, tc.want)
		}
	}
}
