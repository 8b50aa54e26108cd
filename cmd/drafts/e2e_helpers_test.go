package main

// Helpers of the end-to-end suite (the *_e2e_test.go files): the drafts binary is built once per test
// run and run for real, in a pseudo-terminal read through a terminal emulator, or as a command
// whose output is captured, against the Graph emulator scripted to misbehave.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// e2eToken is the bearer token the suite gives the binary. The emulators accept only it, and
// every byte the binary writes (screen, stdout, stderr, files) is searched for it.
const e2eToken = "e2e-S3CRET-eyJhbGciOiJub25lIn0.bearer-token-never-printed"

// e2eWait is the generous bound of every wait for the screen or the process: the suite runs
// under -race on two busy cores.
const e2eWait = 30 * time.Second

var (
	buildOnce sync.Once
	builtPath string
	buildErr  error
	buildDir  string
)

// e2eParallel is how many tests run at once unless -parallel says otherwise: the end-to-end
// tests mostly wait (on Retry-After, backoff, the programs they drive), so more of them than
// there are cores can share the machine.
const e2eParallel = 8

// TestMain raises the parallelism of the end-to-end tests, and removes the binary built for
// them.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", fmt.Sprint(e2eParallel))
	}
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// e2e marks an end-to-end test: skipped with -short, run in parallel with the others (they
// mostly wait on the programs they drive), after the binary is built.
func e2e(t *testing.T) {
	t.Helper()
	binary(t)
	t.Parallel()
}

// binary builds the drafts binary once per test run (with -race when the tests run with it) and
// returns its path. End-to-end tests are skipped with -short.
func binary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: builds and runs the binary; skipped with -short")
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "drafts-e2e-")
		if buildErr != nil {
			return
		}
		builtPath = filepath.Join(buildDir, "drafts")
		args := []string{"build", "-o", builtPath}
		if raceEnabled {
			args = append(args, "-race")
		}
		args = append(args, "github.com/draftsmail/drafts/cmd/drafts")
		out, err := exec.Command(goTool(), args...).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtPath
}

// goTool is the go command of the toolchain running the tests.
func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// graphServer is an emulator serving on loopback that accepts only e2eToken.
type graphServer struct {
	*emulator.Server
	base string // e.g. http://127.0.0.1:41234/v1.0
	addr string // 127.0.0.1:41234
}

// newGraph starts an emulator (sent copies visible at once unless opts says otherwise).
func newGraph(t *testing.T, opts emulator.Options) *graphServer {
	t.Helper()
	g := unstartedGraph(t, opts)
	g.start(t, "127.0.0.1:0")
	return g
}

// unstartedGraph makes an emulator that is not serving yet: a network outage until start.
func unstartedGraph(t *testing.T, opts emulator.Options) *graphServer {
	t.Helper()
	opts.Token = e2eToken
	if opts.SendDelay == 0 {
		opts.NoSendDelay = true
	}
	g := &graphServer{Server: emulator.New(opts)}
	t.Cleanup(func() { _ = g.Close() })
	return g
}

func (g *graphServer) start(t *testing.T, addr string) {
	t.Helper()
	base, err := g.Start(addr)
	if err != nil {
		t.Fatal(err)
	}
	g.base = base
	g.addr = strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/v1.0")
}

// posts is the number of send requests the server saw.
func (g *graphServer) posts() int { return g.Count("POST", "/send") }

// gets counts the GETs whose path and query contain every one of parts.
func (g *graphServer) gets(parts ...string) []emulator.RequestRecord {
	var out []emulator.RequestRecord
	for _, r := range g.Requests() {
		if r.Method != "GET" {
			continue
		}
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(r.Path, p)
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// sendRecords returns the send requests the server saw, in order.
func (g *graphServer) sendRecords() []emulator.RequestRecord {
	var out []emulator.RequestRecord
	for _, r := range g.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/send") {
			out = append(out, r)
		}
	}
	return out
}

// where says where the draft with internetMessageId imid is: "drafts", "sent", "deleted", or
// "lost" when it is nowhere.
func (g *graphServer) where(imid string) string {
	for folder, name := range map[string]string{"drafts": "drafts", "sentitems": "sent", "deleteditems": "deleted"} {
		for _, m := range g.Messages("", folder) {
			if m.InternetMessageID == imid {
				return name
			}
		}
	}
	return "lost"
}

// freeAddr returns a loopback address nothing listens on (for a network outage at start).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// e2eEnv is the environment of one run of the binary: the host's, without drafts' own settings
// or the terminal's, with a private home and cache directory, pointed at base with e2eToken.
type e2eEnv struct {
	vars     map[string]string
	cacheDir string
}

func newE2EEnv(t testing.TB, base string) *e2eEnv {
	t.Helper()
	home := t.TempDir()
	e := &e2eEnv{cacheDir: filepath.Join(home, "cache", "drafts"), vars: map[string]string{
		"HOME":                home,
		"XDG_CONFIG_HOME":     filepath.Join(home, "config"),
		"XDG_CACHE_HOME":      filepath.Join(home, "cache"),
		"DRAFTS_CACHE_DIR":    filepath.Join(home, "cache", "drafts"),
		"DRAFTS_ACCESS_TOKEN": e2eToken,
		"DRAFTS_GRAPH_URL":    base,
		"TERM":                "xterm-256color",
		"GORACE":              "exitcode=66",
		// Sends go out when y is pressed; the undo countdown has its own tests in ui/.
		"DRAFTS_UNDO_SEND": "0s",
		// An unclear answer with the draft still in Drafts is settled after a quarter of this
		// (2.5 s, not 30 s); the watch for a copy is long enough for the slow cases.
		"DRAFTS_SEND_WAIT": "10s",
	}}
	return e
}

func (e *e2eEnv) list() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "DRAFTS_") || k == "TERM" || k == "NO_COLOR" || k == "COLORTERM" || k == "HOME" || strings.HasPrefix(k, "XDG_") || k == "GORACE" {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range e.vars {
		env = append(env, k+"="+v)
	}
	return env
}

// noLeaks fails t if out shows the token, a data race, or a panic.
func noLeaks(t testing.TB, what string, out []byte) {
	t.Helper()
	for _, bad := range []string{e2eToken, "S3CRET", "bearer-token-never-printed"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("%s shows the access token (%q)", what, bad)
		}
	}
	for _, bad := range []string{"WARNING: DATA RACE", "panic:", "goroutine "} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("%s shows %q:\n%s", what, bad, out)
		}
	}
}

// plainTextProblems is terminalAttacks for a command's output, which has no escape sequence at
// all, nor a carriage return or backspace.
func plainTextProblems(b []byte) []string {
	bad := terminalAttacks(b, false)
	if bytes.IndexByte(b, 0x1b) >= 0 {
		bad = append(bad, "an escape sequence")
	}
	if bytes.ContainsAny(b, "\r\b") {
		bad = append(bad, "a carriage return or backspace")
	}
	return bad
}

// noLeaksInFiles fails t if a file under dir holds the token.
func noLeaksInFiles(t testing.TB, dir string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, _ := os.ReadFile(p)
		if bytes.Contains(data, []byte("S3CRET")) {
			t.Errorf("%s holds the access token", p)
		}
		return nil
	})
}

// cliResult is what one run of the binary as a command printed and returned.
type cliResult struct {
	code           int
	stdout, stderr string
}

// cli runs the binary with args and no terminal, and checks its output for leaks.
func cli(t *testing.T, env *e2eEnv, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*e2eWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = env.list()
	cmd.Stdin = strings.NewReader("")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := cliResult{code: 0, stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("drafts %v: %v", args, err)
	}
	for name, b := range map[string][]byte{"stdout": out.Bytes(), "stderr": errb.Bytes()} {
		what := fmt.Sprintf("drafts %s (%s)", strings.Join(args, " "), name)
		noLeaks(t, what, b)
		if bad := plainTextProblems(b); len(bad) > 0 {
			t.Errorf("%s is not plain text: %q", what, bad)
		}
	}
	noLeaksInFiles(t, env.vars["HOME"])
	if r.code == 66 {
		t.Errorf("drafts %v: the race detector found a data race:\n%s", args, r.stderr)
	}
	return r
}
