package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// TestConcurrentListingSendingAndEditing runs listers, senders, editors and a clock under -race
// and checks that no message is lost or duplicated.
func TestConcurrentListingSendingAndEditing(t *testing.T) {
	e := newEnv(t, Options{SendDelay: time.Second})
	e.s.SeedGenerated(300)
	drafts := e.s.Drafts("")
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	report := func(err error) {
		select {
		case errs <- err:
		default:
		}
	}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(drafts); i += 8 {
				d := drafts[i]
				switch i % 3 {
				case 0, 1:
					req, _ := http.NewRequest(http.MethodPost, e.url("/me/messages/"+d.ID+"/send"), nil)
					req.Header.Set("Authorization", "Bearer t")
					resp, err := e.ts.Client().Do(req)
					if err != nil {
						report(err)
						continue
					}
					resp.Body.Close()
					if resp.StatusCode != http.StatusAccepted {
						report(fmt.Errorf("send %d", resp.StatusCode))
					}
				case 2:
					resp, _ := e.do(http.MethodPatch, "/me/messages/"+d.ID, `{"subject":"edited"}`)
					if resp.StatusCode != http.StatusOK {
						report(fmt.Errorf("patch %d", resp.StatusCode))
					}
				}
			}
		}(w)
	}
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				folder := []string{"drafts", "sentitems"}[(i+r)%2]
				next := "/me/mailFolders/" + folder + "/messages?$top=50&$select=subject&$orderby=" + url.QueryEscape("lastModifiedDateTime desc")
				for next != "" {
					next = e.list(next).NextLink
				}
				e.clock.Advance(100 * time.Millisecond)
			}
		}(r)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	e.clock.Advance(2 * time.Second)
	nd, ns := len(e.s.Drafts("")), len(e.s.Sent(""))
	if nd != 100 || ns != 200 {
		t.Fatalf("drafts %d sent %d, want 100 and 200", nd, ns)
	}
	if m := e.s.MaxInFlight(); m < 1 {
		t.Fatalf("MaxInFlight %d", m)
	}
}
