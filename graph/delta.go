package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// Delta is what changed in Drafts since a delta link: drafts added or changed (in full, as a
// listing gives them), the ids of drafts removed, and the link for the next time.
type Delta struct {
	Changed []Message
	Removed []string
	Link    string
}

// DeltaPageSize is the page size asked of a delta query (Prefer: odata.maxpagesize).
const DeltaPageSize = 1000

// DraftsDelta reads what changed in Drafts since link (an @odata.deltaLink this method returned).
// With link "", it asks for a link from now ($deltatoken=latest) and no changes: take it before a
// full listing, so that nothing changed during the listing is missed. An expired link is an
// error for which IsSyncExpired reports true: list again, and start over.
func (c *Client) DraftsDelta(ctx context.Context, link string) (Delta, error) {
	const op = "look for changes in Drafts"
	next := link
	if next == "" {
		q := url.Values{}
		q.Set("$select", listFields)
		q.Set("$expand", expandDeferred)
		q.Set("$deltatoken", "latest")
		next = c.folderURL(FolderDrafts) + "/messages/delta?" + encodeQuery(q)
	} else if err := c.checkNextLink(next, nil); err != nil {
		return Delta{}, err
	}
	var d Delta
	seen := map[string]struct{}{}
	for pages := 0; next != ""; pages++ {
		res, err := c.exec(ctx, call{op: op, method: http.MethodGet, url: next, idempotent: true,
			prefer: "odata.maxpagesize=" + strconv.Itoa(DeltaPageSize)})
		if err != nil {
			return Delta{}, err
		}
		msgs, _, err := c.decodePage(op, res, nil)
		if err != nil {
			return Delta{}, err
		}
		var links struct {
			Next  string `json:"@odata.nextLink"`
			Delta string `json:"@odata.deltaLink"`
			Value []struct {
				ID      string           `json:"id"`
				Removed *json.RawMessage `json:"@removed"`
			} `json:"value"`
		}
		if err := c.decode(op, res, &links); err != nil {
			return Delta{}, err
		}
		for i, v := range links.Value {
			switch {
			case v.Removed != nil:
				d.Removed = append(d.Removed, CleanLine(v.ID))
			case i < len(msgs):
				d.Changed = append(d.Changed, msgs[i])
			}
		}
		if u, err := url.Parse(next); err == nil {
			seen[pageKey(u)] = struct{}{}
		}
		next = ""
		switch {
		case links.Next != "":
			if err := c.checkNextLink(links.Next, seen); err != nil {
				return Delta{}, err
			}
			next = links.Next
		case links.Delta != "":
			if err := c.checkNextLink(links.Delta, nil); err != nil {
				return Delta{}, err
			}
			d.Link = links.Delta
		}
	}
	return d, nil
}

// IsSyncExpired reports whether err says a delta link expired (410 Gone): list again.
func IsSyncExpired(err error) bool {
	e, ok := AsError(err)
	return ok && e.Status == http.StatusGone
}
