package main

import (
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// goreleaserConfig is the part of .goreleaser.yaml the release depends on.
type goreleaserConfig struct {
	Version int `yaml:"version"`
	Before  struct {
		Hooks []string `yaml:"hooks"`
	} `yaml:"before"`
	Builds []struct {
		Main   string   `yaml:"main"`
		Binary string   `yaml:"binary"`
		Env    []string `yaml:"env"`
		Goos   []string `yaml:"goos"`
		Goarch []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		Files []string `yaml:"files"`
	} `yaml:"archives"`
	Release struct {
		Disable bool `yaml:"disable"`
	} `yaml:"release"`
}

// TestGoreleaserConfig checks .goreleaser.yaml without goreleaser (whose cold install takes
// minutes here: BENCHMARKS.md): version 2, one static build of cmd/drafts for linux, darwin
// and windows on amd64 and arm64, the hook that makes the completions and the man page, the
// archives carrying them, and nothing published. (The keys it does not read are for
// 'goreleaser check' to judge, where goreleaser is installed: .ci/run.)
func TestGoreleaserConfig(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c goreleaserConfig
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	if c.Version != 2 || !c.Release.Disable {
		t.Errorf("version %d, release disabled %v: want 2, true", c.Version, c.Release.Disable)
	}
	if len(c.Builds) != 1 {
		t.Fatalf("%d builds, want 1", len(c.Builds))
	}
	b := c.Builds[0]
	sorted := func(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
	if b.Main != "./cmd/drafts" || b.Binary != "drafts" || !slices.Contains(b.Env, "CGO_ENABLED=0") ||
		!slices.Equal(sorted(b.Goos), []string{"darwin", "linux", "windows"}) || !slices.Equal(sorted(b.Goarch), []string{"amd64", "arm64"}) {
		t.Errorf("build %+v", b)
	}
	if !slices.Equal(c.Before.Hooks, []string{"sh scripts/release-files.sh"}) {
		t.Errorf("hooks %q", c.Before.Hooks)
	}
	for _, a := range c.Archives {
		if !slices.Contains(a.Files, "completions/*") || !slices.Contains(a.Files, "manpages/*") {
			t.Errorf("an archive without the completions or the man page: %q", a.Files)
		}
	}
	if len(c.Archives) == 0 {
		t.Error("no archives")
	}
}

// TestReleaseFiles runs the hook with the built binary: the four completion scripts and the
// gzipped man page, where the archives take them from.
func TestReleaseFiles(t *testing.T) {
	e2e(t)
	out := t.TempDir()
	cmd := exec.Command("sh", filepath.Join("..", "..", "scripts", "release-files.sh"), out)
	cmd.Env = append(os.Environ(), "DRAFTS_BIN="+binary(t))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	for sh, want := range map[string]string{"bash": "__start_drafts", "zsh": "#compdef drafts", "fish": "complete -c drafts", "powershell": "Register-ArgumentCompleter"} {
		b, err := os.ReadFile(filepath.Join(out, "completions", "drafts."+sh))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("completions/drafts.%s: %v, no %q", sh, err, want)
		}
	}
	f, err := os.Open(filepath.Join(out, "manpages", "drafts.1.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	page, err := io.ReadAll(z)
	if err != nil || !strings.HasPrefix(string(page), ".TH DRAFTS 1") {
		t.Fatalf("the man page: %v, %.40q", err, page)
	}
}
