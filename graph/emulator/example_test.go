package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/draftsmail/drafts/graph/emulator"
)

// A test or demo serves the emulator, lists drafts like any Graph client, and sends one.
func Example() {
	clock := time.Date(2024, 5, 6, 9, 30, 0, 0, time.UTC)
	s := emulator.New(emulator.Options{Now: func() time.Time { return clock }, NoSendDelay: true})
	s.SeedDemo()
	ts := httptest.NewServer(s)
	defer ts.Close()
	base := ts.URL + "/v1.0"

	req, _ := http.NewRequest(http.MethodGet, base+"/me/mailFolders/drafts/messages?$top=3&$select=subject", nil)
	req.Header.Set("Authorization", "Bearer any-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	var page struct {
		Value []struct {
			ID      string `json:"id"`
			Subject string `json:"subject"`
		} `json:"value"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	for _, m := range page.Value {
		fmt.Println(m.Subject)
	}

	req, _ = http.NewRequest(http.MethodPost, base+"/me/messages/"+page.Value[0].ID+"/send", nil)
	req.Header.Set("Authorization", "Bearer any-token")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status, s.Count("POST", "/send"), s.Sent("")[0].Subject)
	// Output:
	// Q3 budget review — revised figures
	// Team lunch on Thursday? 🍕🌮
	// Re: Offsite venue shortlist
	// 202 Accepted 1 Q3 budget review — revised figures
}
