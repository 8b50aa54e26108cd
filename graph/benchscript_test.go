package graph

import (
	"os"
	"regexp"
	"testing"
)

// TestBenchScriptSelectsTheListFields keeps scripts/bench.sh honest: its
// curl floor must fetch the same fields as the client's listing.
func TestBenchScriptSelectsTheListFields(t *testing.T) {
	script, err := os.ReadFile("../scripts/bench.sh")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^SELECT='([^']*)'$`).FindSubmatch(script)
	if m == nil {
		t.Fatal("scripts/bench.sh has no SELECT='...' line")
	}
	if string(m[1]) != listFields {
		t.Fatalf("scripts/bench.sh selects\n%s\nbut the client lists with\n%s", m[1], listFields)
	}
}
