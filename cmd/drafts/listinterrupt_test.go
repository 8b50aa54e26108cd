package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/draftsmail/drafts/graph"
)

// pagedGraph is a Graph listing of two pages of two drafts, served by a test server whose second
// page (or first) can be made to misbehave.
type pagedGraph struct {
	base string
	// pageN, if set, answers page n (1 or 2) instead of the drafts.
	page1, page2 http.HandlerFunc
}

func newPagedGraph(t *testing.T, g *pagedGraph) map[string]string {
	t.Helper()
	done := make(chan struct{})
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/me/mailFolders/drafts/messages") {
			http.NotFound(w, r)
			return
		}
		n := 1
		if r.URL.Query().Get("$skiptoken") == "2" {
			n = 2
		}
		if h := map[int]http.HandlerFunc{1: g.page1, 2: g.page2}[n]; h != nil {
			h(w, r.WithContext(withDone(r.Context(), done)))
			return
		}
		next := ""
		if n == 1 {
			next = srv.URL + "/v1.0/me/mailFolders/drafts/messages?%24skiptoken=2"
		}
		writePage(w, next, fmt.Sprintf("AAMk-%d-a", n), fmt.Sprintf("AAMk-%d-b", n))
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) }) // runs first: frees a handler that still waits
	g.base = srv.URL + "/v1.0"
	home := t.TempDir()
	return map[string]string{
		"HOME":                home,
		"XDG_CONFIG_HOME":     filepath.Join(home, "config"),
		"XDG_CACHE_HOME":      filepath.Join(home, "cache"),
		"DRAFTS_CACHE_DIR":    filepath.Join(home, "cache", "drafts"),
		"DRAFTS_ACCESS_TOKEN": "test-token",
		"DRAFTS_GRAPH_URL":    g.base,
	}
}

// withDone is ctx, also ended when done is closed (the test is over).
func withDone(ctx context.Context, done <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-done:
		case <-ctx.Done():
		}
		cancel()
	}()
	return ctx
}

func writePage(w http.ResponseWriter, next string, ids ...string) {
	var value []map[string]any
	for _, id := range ids {
		value = append(value, map[string]any{
			"id": id, "subject": "Draft " + id, "isDraft": true,
			"internetMessageId":    "<" + id + "@contoso.example>",
			"lastModifiedDateTime": "2026-11-01T10:00:00Z",
			"toRecipients": []any{map[string]any{"emailAddress": map[string]any{
				"name": "Alex Wilber", "address": "alexw@contoso.example"}}},
		})
	}
	p := map[string]any{"value": value}
	if next != "" {
		p["@odata.nextLink"] = next
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(p)
}

// cancelAndHold is a page that ends the command's context (Ctrl-C) as it is asked for, then
// answers nothing until the client hangs up.
func cancelAndHold(cancel context.CancelFunc) http.HandlerFunc {
	return func(_ http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	}
}

// TestListInterruptedOrFailedIsNeverWhole runs 'drafts list' and 'drafts list --json' in-process
// against a listing of two pages that is interrupted (Ctrl-C while a page is read) or fails
// part-way. Each must exit non-zero with the reason on stderr; --json must print nothing on
// stdout; the table may show the rows it had but must end by saying it is incomplete.
//
// The outcome does not depend on timing: the interruption happens while the page is being read
// (the server cancels the command's context before answering), so a lister that drops the error
// in a race, closes the JSON array of the pages it had, or ends the table without a word fails
// whichever way its goroutines are scheduled.
func TestListInterruptedOrFailedIsNeverWhole(t *testing.T) {
	forbidden := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"error":{"code":"ErrorAccessDenied","message":"Access is denied."}}`))
	}
	for _, tc := range []struct {
		name   string
		setup  func(g *pagedGraph, cancel context.CancelFunc)
		code   int
		stderr string
		rows   int // drafts the table may show before saying it is incomplete
	}{
		{"Ctrl-C while page 2 is read", func(g *pagedGraph, cancel context.CancelFunc) { g.page2 = cancelAndHold(cancel) }, exitCanceled, "drafts: interrupted", 2},
		{"Ctrl-C while page 1 is read", func(g *pagedGraph, cancel context.CancelFunc) { g.page1 = cancelAndHold(cancel) }, exitCanceled, "drafts: interrupted", 0},
		{"page 2 fails", func(g *pagedGraph, _ context.CancelFunc) { g.page2 = forbidden }, exitFailed, "Mail.ReadWrite", 2},
	} {
		for _, asJSON := range []bool{false, true} {
			name := tc.name + "/table"
			args := []string{"list"}
			if asJSON {
				name, args = tc.name+"/json", append(args, "--json")
			}
			t.Run(name, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				g := &pagedGraph{}
				tc.setup(g, cancel)
				env := newPagedGraph(t, g)
				r := runWith(ctx, stdio{in: strings.NewReader("")}, env, args...)
				if r.code != tc.code || !strings.HasPrefix(r.stderr, "drafts: ") || !strings.Contains(r.stderr, tc.stderr) || strings.Count(r.stderr, "\n") != 1 {
					t.Fatalf("exit %d, stderr %q; want exit %d and one line with %q\nstdout:\n%s", r.code, r.stderr, tc.code, tc.stderr, r.stdout)
				}
				if asJSON {
					if r.stdout != "" {
						t.Fatalf("--json printed %q on an incomplete listing; want nothing", r.stdout)
					}
					return
				}
				checkIncompleteTable(t, r.stdout, tc.rows)
			})
		}
	}
}

// checkIncompleteTable checks the table of an incomplete listing: nothing at all, or the header,
// rows drafts and a last line that says the listing is incomplete.
func checkIncompleteTable(t *testing.T, out string, rows int) {
	t.Helper()
	if rows == 0 {
		if out != "" {
			t.Fatalf("table of a listing that got no page: %q; want nothing", out)
		}
		return
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != rows+2 || !strings.HasPrefix(lines[0], "MODIFIED") {
		t.Fatalf("table:\n%s\nwant the header, %d rows and a last line saying it is incomplete", out, rows)
	}
	last := lines[len(lines)-1]
	if !strings.Contains(last, "incomplete") || !strings.Contains(last, fmt.Sprint(rows)) {
		t.Fatalf("last line %q does not say the table is incomplete", last)
	}
}

// TestListWholeAcrossPages: the same listing read to its end is printed whole, exit 0.
func TestListWholeAcrossPages(t *testing.T) {
	env := newPagedGraph(t, &pagedGraph{})
	r := drafts(t, env, "list", "--json")
	var got []draftJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); r.code != 0 || err != nil || len(got) != 4 || r.stderr != "" {
		t.Fatalf("exit %d, %d drafts (%v), stderr %q\n%s", r.code, len(got), err, r.stderr, r.stdout)
	}
	r = drafts(t, env, "list")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if r.code != 0 || len(lines) != 5 || strings.Contains(r.stdout, "incomplete") || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q, table:\n%s", r.code, r.stderr, r.stdout)
	}
}

// fakePages is a listing of len(pages) pages; next, if set, runs before page i (0-based) is
// returned.
type fakePages struct {
	pages [][]graph.Message
	i     int
	next  func(ctx context.Context, i int) error
}

func (f *fakePages) More() bool { return f.i < len(f.pages) }

func (f *fakePages) Next(ctx context.Context) ([]graph.Message, error) {
	i := f.i
	if f.next != nil {
		if err := f.next(ctx, i); err != nil {
			return nil, err
		}
	}
	f.i++
	return f.pages[i], nil
}

func threePages() [][]graph.Message {
	return [][]graph.Message{{{ID: "1"}}, {{ID: "2"}}, {{ID: "3"}}}
}

// TestEachPageNeverEndsSilently: eachPage returns nil only after the last page; a cancelled
// context, a failing page or a failing printer always comes back as an error, even when the page
// being read when Ctrl-C came arrives whole.
func TestEachPageNeverEndsSilently(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name  string
		next  func(ctx context.Context, i int, cancel context.CancelFunc) error
		show  func(n int) error
		want  error
		shown int
	}{
		{"whole", nil, nil, nil, 3},
		{"page 2 fails", func(_ context.Context, i int, _ context.CancelFunc) error {
			if i == 1 {
				return boom
			}
			return nil
		}, nil, boom, 1},
		{"Ctrl-C while page 2 is read, and page 2 arrives anyway", func(_ context.Context, i int, cancel context.CancelFunc) error {
			if i == 1 {
				cancel()
			}
			return nil
		}, nil, context.Canceled, 2},
		{"printing page 1 fails", nil, func(n int) error {
			if n == 1 {
				return boom
			}
			return nil
		}, boom, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f := &fakePages{pages: threePages()}
			if tc.next != nil {
				f.next = func(ctx context.Context, i int) error { return tc.next(ctx, i, cancel) }
			}
			shown := 0
			err := eachPage(ctx, f, func([]graph.Message) error {
				shown++
				if tc.show != nil {
					return tc.show(shown)
				}
				return nil
			})
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if tc.want == nil && shown != 3 {
				t.Fatalf("%d pages shown, want 3", shown)
			}
			if tc.want != nil && shown > tc.shown {
				t.Fatalf("%d pages shown, want at most %d", shown, tc.shown)
			}
		})
	}
}

// TestListHelpSaysWhatAnIncompleteListDoes: the exit code of an interrupted listing is documented
// with the others, and 'drafts list --help' says what an incomplete listing prints.
func TestListHelpSaysWhatAnIncompleteListDoes(t *testing.T) {
	for args, wants := range map[string][]string{
		"--help":      {"130  interrupted by Ctrl-C (list: nothing printed as if it were the whole list)"},
		"list --help": {"exit code is 1 (130 after Ctrl-C)", "with --json nothing is printed on standard output", "says it is\nincomplete"},
	} {
		r := drafts(t, nil, strings.Fields(args)...)
		for _, want := range wants {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("drafts %s does not say %q:\n%s", args, want, r.stdout)
			}
		}
	}
}
