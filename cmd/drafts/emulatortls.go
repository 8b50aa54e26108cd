package main

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// emulatorTLS is what `drafts emulator --tls` serves with: the server certificate, and the
// file a client should trust (the CA made for this run, or --cert's own file).
type emulatorTLS struct {
	cert    tls.Certificate
	trust   string // the path printed after the base URL
	cleanup func()
}

// setUpEmulatorTLS loads --cert and --key, or makes a CA and a certificate for 127.0.0.1 and
// localhost and writes the CA (public, 0644) into a fresh private temporary directory (0700)
// that cleanup removes.
func setUpEmulatorTLS(certFile, keyFile string) (*emulatorTLS, error) {
	if (certFile == "") != (keyFile == "") {
		return nil, usageErrorf("--cert and --key go together: give both, or neither to make a certificate")
	}
	if certFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, usageErrorf("--cert/--key: %v", err)
		}
		return &emulatorTLS{cert: cert, trust: certFile, cleanup: func() {}}, nil
	}
	certs, err := emulator.NewCertificates(time.Now())
	if err != nil {
		return nil, fmt.Errorf("cannot make a certificate: %w", err)
	}
	dir, err := os.MkdirTemp("", "drafts-emulator-")
	if err != nil {
		return nil, fmt.Errorf("cannot write the CA certificate: %w", err)
	}
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, certs.CAPEM, 0o644); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("cannot write the CA certificate: %w", err)
	}
	return &emulatorTLS{cert: certs.Server, trust: path, cleanup: func() { _ = os.RemoveAll(dir) }}, nil
}
