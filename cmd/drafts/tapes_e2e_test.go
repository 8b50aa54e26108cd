package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// tapeStep is one step of a VHS tape as the real program sees it: bytes typed into the
// terminal, or what the screen must show (a Wait+Screen).
type tapeStep struct {
	line   int
	keys   string         // typed
	expect *regexp.Regexp // or: matched by the screen, its lines joined by newlines
}

// tape is what a VHS tape in demo/ asks of the program.
type tape struct {
	output     string            // the GIF it renders
	cols, rows int               // '# size: COLSxROWS': the terminal the test gives the program
	env        map[string]string // Env lines
	command    string            // what it types at the shell prompt before the first Enter
	steps      []tapeStep        // after the program starts
}

var (
	tapeType = regexp.MustCompile(`^Type(?:@\S+)? "((?:[^"\\]|\\.)*)"$`)
	tapeEnv  = regexp.MustCompile(`^Env (\S+) "([^"]*)"$`)
	tapeKey  = regexp.MustCompile(`^(Enter|Down|Up|Left|Right|Tab|Escape|Space|Backspace)(?:@\S+)?(?: (\d+))?$`)
	tapeCtrl = regexp.MustCompile(`^Ctrl\+([A-Z])$`)
	tapeSize = regexp.MustCompile(`^# size: (\d+)x(\d+)$`)
	tapeWait = regexp.MustCompile(`^Wait(\+Screen|\+Line)?(?:@\S+)?(?: /([^/]*)/)?$`)
)

// keyBytes is what a terminal sends for each key VHS names.
var keyBytes = map[string]string{
	"Enter": "\r", "Down": "\x1b[B", "Up": "\x1b[A", "Left": "\x1b[D", "Right": "\x1b[C",
	"Tab": "\t", "Escape": "\x1b", "Space": " ", "Backspace": "\x7f",
}

// parseTape reads a tape. Every line is a VHS command the test knows, a setting it ignores
// (Set, Output, Sleep, Hide, Show, Require), or a comment: an unknown command is an error, so
// a tape never says more than the test checks.
func parseTape(path string) (tape, error) {
	f, err := os.Open(path)
	if err != nil {
		return tape{}, err
	}
	defer f.Close()
	tp := tape{env: map[string]string{}}
	started := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		add := func(s tapeStep) {
			s.line = n
			tp.steps = append(tp.steps, s)
		}
		switch {
		case l == "":
		case tapeWait.MatchString(l):
			// VHS waits for it while it records; the test waits for the same on its screen.
			m := tapeWait.FindStringSubmatch(l)
			if m[1] != "+Screen" || m[2] == "" {
				return tp, fmt.Errorf("%s:%d: only Wait+Screen /REGEX/ (the last line of a full-screen program means little)", path, n)
			}
			if !started {
				return tp, fmt.Errorf("%s:%d: a Wait before the program starts", path, n)
			}
			re, err := regexp.Compile(m[2])
			if err != nil {
				return tp, fmt.Errorf("%s:%d: %v", path, n, err)
			}
			add(tapeStep{expect: re})
		case tapeSize.MatchString(l):
			m := tapeSize.FindStringSubmatch(l)
			tp.cols, _ = strconv.Atoi(m[1])
			tp.rows, _ = strconv.Atoi(m[2])
		case strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "Output "):
			tp.output = strings.TrimSpace(strings.TrimPrefix(l, "Output "))
		case strings.HasPrefix(l, "Set "), strings.HasPrefix(l, "Sleep "), l == "Hide", l == "Show", strings.HasPrefix(l, "Require "):
		case tapeEnv.MatchString(l):
			m := tapeEnv.FindStringSubmatch(l)
			tp.env[m[1]] = m[2]
		case tapeType.MatchString(l):
			text, err := strconv.Unquote(`"` + tapeType.FindStringSubmatch(l)[1] + `"`)
			if err != nil {
				return tp, fmt.Errorf("%s:%d: %v", path, n, err)
			}
			if started {
				add(tapeStep{keys: text})
			} else {
				tp.command += text
			}
		case tapeKey.MatchString(l):
			m := tapeKey.FindStringSubmatch(l)
			times := 1
			if m[2] != "" {
				times, _ = strconv.Atoi(m[2])
			}
			if !started {
				if m[1] != "Enter" {
					return tp, fmt.Errorf("%s:%d: %s at the shell prompt", path, n, m[1])
				}
				started = true
				continue
			}
			for range times {
				add(tapeStep{keys: keyBytes[m[1]]})
			}
		case tapeCtrl.MatchString(l):
			c := tapeCtrl.FindStringSubmatch(l)[1][0]
			add(tapeStep{keys: string(rune(c - 'A' + 1))})
		default:
			return tp, fmt.Errorf("%s:%d: %q is not a command this test knows", path, n, l)
		}
	}
	if err := sc.Err(); err != nil {
		return tp, err
	}
	for i, st := range tp.steps {
		// A lone ESC with the next key close behind reads as alt+key: an expectation between
		// them makes the test (and the recording's pause) wait until the ESC has done its work.
		if st.keys == "\x1b" && (i+1 == len(tp.steps) || tp.steps[i+1].expect == nil) {
			return tp, fmt.Errorf("%s:%d: Escape must be followed by a Wait+Screen for what it does", path, st.line)
		}
	}
	if !started || tp.cols == 0 || tp.output == "" {
		return tp, fmt.Errorf("%s: a tape needs '# size: COLSxROWS', an Output and a command started with Enter", path)
	}
	return tp, nil
}

// TestE2EDemoTapesReachWhatTheyShow plays every tape in demo/ into the real program in a
// pseudo-terminal of the tape's size, with its environment: each Wait+Screen must match the
// screen once the keys before it have been typed, as it must while VHS records. It also checks that each tape renders
// demo/NAME.gif and that the README shows that GIF.
func TestE2EDemoTapesReachWhatTheyShow(t *testing.T) {
	e2e(t)
	paths, err := filepath.Glob(filepath.Join("..", "..", "demo", "*.tape"))
	if err != nil || len(paths) < 4 {
		t.Fatalf("tapes %v, %v: want at least four", paths, err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".tape")
		t.Run(name, func(t *testing.T) {
			tp, err := parseTape(path)
			if err != nil {
				t.Fatal(err)
			}
			if want := "demo/" + name + ".gif"; tp.output != want || !strings.Contains(string(readme), "("+want+")") {
				t.Errorf("the tape renders %q; want %s, shown in the README", tp.output, want)
			}
			playTape(t, tp)
		})
	}
}

// playTape runs the tape's command (drafts and its flags) and types its keys.
func playTape(t *testing.T, tp tape) {
	t.Helper()
	args := strings.Fields(tp.command)
	if len(args) == 0 || args[0] != "drafts" {
		t.Fatalf("the tape runs %q, not drafts", tp.command)
	}
	env := newE2EEnv(t, "")
	delete(env.vars, "DRAFTS_GRAPH_URL")
	delete(env.vars, "DRAFTS_ACCESS_TOKEN")
	for k, v := range tp.env {
		env.vars[k] = v
	}
	s := startTUI(t, env, tp.cols, tp.rows, args[1:]...)
	s.typesText = true // tapes type into the filter and the send-later prompt
	for _, st := range tp.steps {
		if st.expect != nil {
			s.waitUntil(fmt.Sprintf("/%s/ (line %d)", st.expect, st.line), st.expect.MatchString)
			continue
		}
		s.keys(st.keys)
	}
	if code := s.waitExit(); code != exitOK {
		t.Fatalf("drafts ended with exit %d; the screen shows:\n%s", code, s.screen())
	}
}

// TestParseTape reads a tape into keys and expectations, and refuses what the test could not
// check: an unknown command, an Escape not followed by an expectation, no size.
func TestParseTape(t *testing.T) {
	write := func(body string) string {
		p := filepath.Join(t.TempDir(), "x.tape")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	head := "# size: 80x24\nOutput demo/x.gif\nSet FontSize 16\nEnv TZ \"UTC\"\nHide\nType \"drafts --demo\"\nEnter\nShow\n"
	tp, err := parseTape(write(head + "Wait+Screen@5s /1 of/\nDown 2\nType \"s\"\nEscape\nWait+Screen /back/\nCtrl+C\n"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, s := range tp.steps {
		exp := ""
		if s.expect != nil {
			exp = s.expect.String()
		}
		keys = append(keys, s.keys+"|"+exp)
	}
	want := []string{"|1 of", "\x1b[B|", "\x1b[B|", "s|", "\x1b|", "|back", "\x03|"}
	if tp.command != "drafts --demo" || tp.cols != 80 || tp.rows != 24 || tp.env["TZ"] != "UTC" || strings.Join(keys, ",") != strings.Join(want, ",") {
		t.Fatalf("parsed %+v, keys %q", tp, keys)
	}
	for name, body := range map[string]string{
		"an unknown command":       head + "Wait /x/\n",
		"Escape with no expect":    head + "Escape\nType \"q\"\n",
		"a Wait before the start":  "# size: 80x24\nOutput demo/x.gif\nWait+Screen /x/\nType \"drafts\"\nEnter\n",
		"a Wait for the last line": head + "Wait /x/\n",
		"a bad regular expression": head + "Wait+Screen /(x/\n",
		"no size":                  strings.Replace(head, "# size: 80x24\n", "", 1),
	} {
		if _, err := parseTape(write(body)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
