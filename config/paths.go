package config

import (
	"errors"
	"path/filepath"
	"runtime"
	"strings"
)

// The directories below follow os.UserConfigDir and os.UserCacheDir, but
// read the environment through getenv, so tests (and the program's own
// tests of the CLI) never touch the real user's files.

// userConfigDir is os.UserConfigDir through getenv.
func userConfigDir(getenv func(string) string) (string, error) {
	switch runtime.GOOS {
	case "windows":
		return envDir(getenv, "AppData", "")
	case "darwin", "ios":
		return envDir(getenv, "HOME", "Library/Application Support")
	case "plan9":
		return envDir(getenv, "home", "lib")
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	return envDir(getenv, "HOME", ".config")
}

// userCacheDir is os.UserCacheDir through getenv.
func userCacheDir(getenv func(string) string) (string, error) {
	switch runtime.GOOS {
	case "windows":
		return envDir(getenv, "LocalAppData", "")
	case "darwin", "ios":
		return envDir(getenv, "HOME", "Library/Caches")
	case "plan9":
		return envDir(getenv, "home", "lib/cache")
	}
	if d := getenv("XDG_CACHE_HOME"); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	return envDir(getenv, "HOME", ".cache")
}

func envDir(getenv func(string) string, name, sub string) (string, error) {
	d := getenv(name)
	if d == "" {
		return "", errors.New("$" + name + " is not set")
	}
	if sub == "" {
		return d, nil
	}
	return filepath.Join(d, filepath.FromSlash(sub)), nil
}

// userHomeDir is os.UserHomeDir through getenv.
func userHomeDir(getenv func(string) string) (string, error) {
	switch runtime.GOOS {
	case "windows":
		return envDir(getenv, "USERPROFILE", "")
	case "plan9":
		return envDir(getenv, "home", "")
	}
	return envDir(getenv, "HOME", "")
}

// cutHome returns the rest of a path that starts at the home directory:
// "~/x" (and "~\x" on Windows).
func cutHome(p string) (string, bool) {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		return rest, true
	}
	if runtime.GOOS == "windows" {
		return strings.CutPrefix(p, `~\`)
	}
	return "", false
}
