package main

import (
	"runtime/debug"
	"strings"
)

// version is the module version and commit the binary was built from, as Go records them
// (go install …@vX.Y.Z, or a build in a git checkout: "(devel)" with the commit).
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (built without module information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		v += " (commit " + rev[:min(12, len(rev))] + modified + ")"
	}
	return v + ", " + info.GoVersion
}
