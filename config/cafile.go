package config

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"os"
)

// Setting ca_file (DRAFTS_CA_FILE) names a PEM file of extra certificate authorities that the
// Graph client trusts: the CA a local emulator over TLS prints (drafts emulator --tls), or a
// proxy's. The system's roots stay trusted and certificates are always checked; only the Graph
// client's own transport trusts the file, not sign-in and not the rest of the process.

// maxCAFile bounds a CA file; a bundle of a few hundred roots is about 200 KB.
const maxCAFile = 4 << 20

// readCAFile reads a PEM file of CA certificates into a pool holding the system roots and
// them. It says in words what is wrong with a file that cannot serve.
func readCAFile(path string) (*x509.CertPool, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%s does not exist", path)
		}
		return nil, fmt.Errorf("cannot read %s: %v", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCAFile+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", path, err)
	}
	if len(data) > maxCAFile {
		return nil, fmt.Errorf("%s is larger than %d bytes: not a CA file", path, maxCAFile)
	}
	certs, err := parsePEMCerts(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}

// parsePEMCerts returns the CERTIFICATE blocks of a PEM file; anything else in it, or none at
// all, is an error.
func parsePEMCerts(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("holds a %q block; only CERTIFICATE blocks belong in a CA file", block.Type)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("a certificate does not parse: %v", err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
	}
	return certs, nil
}
