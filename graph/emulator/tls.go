package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"time"
)

// Certificates are what serving over TLS needs: a certificate authority made for this run
// (CAPEM, to give clients to trust) and the server certificate it signed for 127.0.0.1, ::1
// and localhost. Nothing else trusts that CA, and its key is not kept.
type Certificates struct {
	// CAPEM is the CA certificate, PEM-encoded: the file a client adds to its trusted roots
	// (NODE_EXTRA_CA_CERTS for node, ca_file for drafts).
	CAPEM []byte
	// Server is the server's certificate chain and key, for StartTLS.
	Server tls.Certificate
}

// certLifetime is how long the certificates made by NewCertificates are valid.
const certLifetime = 30 * 24 * time.Hour

// NewCertificates makes a fresh CA and a server certificate for the loopback names, valid from
// an hour before now (clocks differ) for 30 days. The keys are ECDSA P-256.
func NewCertificates(now time.Time) (*Certificates, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	notBefore, notAfter := now.Add(-time.Hour), now.Add(certLifetime)
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "drafts Graph emulator CA", Organization: []string{"drafts"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "localhost", Organization: []string{"drafts"}},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Certificates{
		CAPEM:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		Server: tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key, Leaf: leaf},
	}, nil
}

// serial is a random 128-bit certificate serial number.
func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n
}

// StartTLS is Start over TLS with cert (from NewCertificates, or tls.LoadX509KeyPair of the
// files a user gives): it serves HTTP/2 to clients that offer it (ALPN "h2") and HTTP/1.1 to
// the others, and returns the https base URL, e.g. "https://127.0.0.1:38123/v1.0". Like
// Microsoft 365, it accepts TLS 1.2 and later only.
func (s *Server) StartTLS(addr string, cert tls.Certificate) (baseURL string, err error) {
	if len(cert.Certificate) == 0 || cert.PrivateKey == nil {
		return "", errors.New("emulator: StartTLS needs a certificate and its key")
	}
	return s.start(addr, &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
	})
}
