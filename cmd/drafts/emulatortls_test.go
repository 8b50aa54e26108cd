package main

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// TestEmulatorCommandServesTLSAndDraftsTrustsItsCA: `drafts emulator --tls` prints the https
// base URL, then the CA file; drafts lists over https once DRAFTS_CA_FILE names that file, and
// refuses the certificate without it. The CA file is gone when the emulator stops.
func TestEmulatorCommandServesTLSAndDraftsTrustsItsCA(t *testing.T) {
	emu, lines := serveEmulator(t, 2, "--tls", "--addr", "127.0.0.1:0", "--drafts", "3")
	base, ca := lines[0], lines[1]
	if !strings.HasPrefix(base, "https://127.0.0.1:") || !strings.HasSuffix(base, "/v1.0") {
		t.Fatalf("first line %q is not an https base URL", base)
	}
	fi, err := os.Stat(ca)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("CA file %q: %v", ca, err)
	}
	if di, err := os.Stat(filepath.Dir(ca)); err != nil || di.Mode().Perm() != 0o700 {
		t.Fatalf("CA directory: %v %v", di.Mode(), err)
	}
	env := map[string]string{"DRAFTS_GRAPH_URL": base, "DRAFTS_ACCESS_TOKEN": "x", "DRAFTS_CACHE_DIR": t.TempDir()}
	if r := drafts(t, env, "list", "--json"); r.code == exitOK || !strings.Contains(r.stderr, "certificate") {
		t.Fatalf("without the CA: exit %d, stderr %q", r.code, r.stderr)
	}
	env["DRAFTS_CA_FILE"] = ca
	r := drafts(t, env, "list", "--json")
	var got []any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 3 {
		t.Fatalf("listing over https: %d drafts, %v; stderr %q", len(got), err, r.stderr)
	}
	if code := emu.stop(); code != 0 {
		t.Fatalf("exit %d after Ctrl-C (-1: it did not stop)", code)
	}
	if _, err := os.Stat(filepath.Dir(ca)); !os.IsNotExist(err) {
		t.Fatalf("CA directory left behind: %v", err)
	}
}

func TestBadCAFileIsExit2WithOneLine(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.pem")
	r := drafts(t, map[string]string{"DRAFTS_GRAPH_URL": "https://127.0.0.1:1/v1.0", "DRAFTS_ACCESS_TOKEN": "x", "DRAFTS_CA_FILE": missing}, "list")
	if r.code != exitUsage || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "DRAFTS_CA_FILE") || !strings.Contains(r.stderr, "does not exist") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestEmulatorTLSFlagsAreChecked(t *testing.T) {
	for _, args := range [][]string{
		{"emulator", "--cert", "a.pem", "--key", "b.pem"},
		{"emulator", "--tls", "--cert", "a.pem"},
		{"emulator", "--tls", "--cert", "missing.pem", "--key", "missing.pem"},
		{"emulator", "--next-link", "middle"},
	} {
		r := drafts(t, map[string]string{}, args...)
		if r.code != exitUsage {
			t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

// TestEmulatorServesTheCertificateGiven: with --cert and --key the emulator serves that
// certificate and prints --cert's path after the base URL; a client trusting the certificate's
// CA lists over https.
func TestEmulatorServesTheCertificateGiven(t *testing.T) {
	dir := t.TempDir()
	certs, err := emulator.NewCertificates(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var chain []byte
	for _, der := range certs.Server.Certificate {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	key, err := x509.MarshalPKCS8PrivateKey(certs.Server.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile, caFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"), filepath.Join(dir, "ca.pem")
	os.WriteFile(certFile, chain, 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}), 0o600)
	os.WriteFile(caFile, certs.CAPEM, 0o644)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"emulator", "--tls", "--cert", certFile, "--key", keyFile, "--addr", "127.0.0.1:0", "--drafts", "2"},
			stdio{in: strings.NewReader(""), out: pw, err: io.Discard}, func(string) string { return "" })
		pw.Close()
	}()
	rd := bufio.NewReader(pr)
	base, _ := rd.ReadString('\n')
	trust, _ := rd.ReadString('\n')
	go io.Copy(io.Discard, pr)
	base, trust = strings.TrimSpace(base), strings.TrimSpace(trust)
	if !strings.HasPrefix(base, "https://") || trust != certFile {
		t.Fatalf("printed %q then %q", base, trust)
	}
	r := drafts(t, map[string]string{"DRAFTS_GRAPH_URL": base, "DRAFTS_ACCESS_TOKEN": "x", "DRAFTS_CACHE_DIR": t.TempDir(), "DRAFTS_CA_FILE": caFile}, "list", "--json")
	var got []any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 2 {
		t.Fatalf("listing: %d drafts, %v; stderr %q", len(got), err, r.stderr)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
}
