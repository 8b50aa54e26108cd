package emulator

import (
	"compress/gzip"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startTLS serves a demo mailbox over TLS and returns its base URL and a client that trusts
// only the emulator's CA.
func startTLS(t *testing.T) (string, *http.Client, *Certificates) {
	t.Helper()
	certs, err := NewCertificates(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{})
	s.SeedDemo()
	base, err := s.StartTLS("127.0.0.1:0", certs.Server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certs.CAPEM) {
		t.Fatal("CA PEM does not parse")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true, DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return base, &http.Client{Transport: tr}, certs
}

func get(t *testing.T, c *http.Client, url string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test-token")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

func TestTLSServesHTTP2WithItsOwnCA(t *testing.T) {
	base, c, certs := startTLS(t)
	if !strings.HasPrefix(base, "https://127.0.0.1:") || !strings.HasSuffix(base, "/v1.0") {
		t.Fatalf("base %q", base)
	}
	resp, data := get(t, c, base+"/me/mailFolders/drafts/messages?$select=subject")
	if resp.Proto != "HTTP/2.0" || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s", resp.Proto, resp.Status, data)
	}
	var page listPage
	if err := json.Unmarshal(data, &page); err != nil || len(page.Value) == 0 {
		t.Fatalf("page: %v %s", err, data)
	}
	if !strings.HasPrefix(page.Context, "https://127.0.0.1:") {
		t.Fatalf("@odata.context %q is not https", page.Context)
	}
	if page.NextLink != "" && !strings.HasPrefix(page.NextLink, "https://") {
		t.Fatalf("nextLink %q is not https", page.NextLink)
	}
	// localhost is in the certificate too; a client that offers only HTTP/1.1 gets it.
	leaf := certs.Server.Leaf
	if err := leaf.VerifyHostname("localhost"); err != nil {
		t.Fatal(err)
	}
	if err := leaf.VerifyHostname("::1"); err != nil {
		t.Fatal(err)
	}
	h1cfg := c.Transport.(*http.Transport).TLSClientConfig.Clone()
	h1cfg.NextProtos = []string{"http/1.1"}
	h1 := &http.Transport{TLSClientConfig: h1cfg}
	defer h1.CloseIdleConnections()
	resp, _ = get(t, &http.Client{Transport: h1}, base+"/me")
	if resp.Proto != "HTTP/1.1" || resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP/1.1 client: %s %s", resp.Proto, resp.Status)
	}
}

func TestTLSIsRefusedByAClientThatDoesNotTrustTheCA(t *testing.T) {
	base, _, _ := startTLS(t)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	_, err := (&http.Client{Transport: tr}).Get(base + "/me")
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("err = %v, want an unknown authority", err)
	}
}

func TestGzipWhenAsked(t *testing.T) {
	base, c, _ := startTLS(t)
	plain := New(Options{})
	plain.SeedDemo()
	plainBase, err := plain.Start("")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	for _, tc := range []struct {
		name string
		c    *http.Client
		base string
	}{{"tls", c, base}, {"plain", &http.Client{Transport: tr}, plainBase}} {
		url := tc.base + "/me/mailFolders/drafts/messages"
		resp, raw := get(t, tc.c, url, "Accept-Encoding", "gzip, deflate, br")
		if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s: headers %v", tc.name, resp.Header)
		}
		zr, err := gzip.NewReader(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		unzipped, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		var page listPage
		if err := json.Unmarshal(unzipped, &page); err != nil || len(page.Value) == 0 {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if _, ident := get(t, tc.c, url); !json.Valid(ident) {
			t.Fatalf("%s: without Accept-Encoding the body is not plain JSON", tc.name)
		}
		resp, _ = get(t, tc.c, url, "Accept-Encoding", "gzip;q=0, identity")
		if resp.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s: gzip;q=0 was compressed", tc.name)
		}
	}
}
