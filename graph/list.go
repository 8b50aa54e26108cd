package graph

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Well-known folder names (Graph accepts them in any case and any locale).
const (
	FolderDrafts    = "drafts"
	FolderSentItems = "sentitems"
)

// ErrForeignNextLink is returned when a page's @odata.nextLink points at a
// host other than the configured Graph host. The client never follows it, so
// the token cannot leak there.
var ErrForeignNextLink = errors.New("Graph's next-page link points to another host; refusing to follow it")

// ErrNextLinkLoop is returned when a page links to a page already read.
var ErrNextLinkLoop = errors.New("Graph's next-page link repeats an earlier page; stopping")

// Pager reads a folder listing one page at a time, so a caller can show the
// first page while the rest load. A Pager is for one goroutine at a time.
type Pager struct {
	c     *Client
	op    string
	next  string
	seen  map[string]struct{}
	state *pageState // what the decoder keeps from page to page
	// Pages counts the pages read so far.
	Pages int
}

// Drafts returns a Pager over the Drafts folder, newest change first, with
// pageSize messages a page (0 means the client's page size). Messages carry
// no body; open one with Message.
func (c *Client) Drafts(pageSize int) *Pager {
	return c.folderPager("list drafts", FolderDrafts, pageSize, "lastModifiedDateTime desc")
}

// Sent returns a Pager over Sent Items, most recently sent first.
func (c *Client) Sent(pageSize int) *Pager {
	return c.folderPager("list sent items", FolderSentItems, pageSize, "sentDateTime desc")
}

// FolderInbox is the well-known Inbox.
const FolderInbox = "inbox"

// LatestInbox lists the n most recent messages of the Inbox, newest first.
func (c *Client) LatestInbox(ctx context.Context, n int) ([]Message, error) {
	if n <= 0 {
		n = 25
	}
	msgs, err := c.folderPager("list the inbox", FolderInbox, min(n, 1000), "receivedDateTime desc").Next(ctx)
	if len(msgs) > n {
		msgs = msgs[:n]
	}
	return msgs, err
}

func (c *Client) folderPager(op, folder string, pageSize int, orderBy string) *Pager {
	if pageSize <= 0 || pageSize > 1000 {
		pageSize = c.pageSize
	}
	q := url.Values{}
	q.Set("$select", listFields)
	q.Set("$expand", expandDeferred)
	q.Set("$orderby", orderBy)
	q.Set("$top", strconv.Itoa(pageSize))
	return &Pager{c: c, op: op, next: c.folderURL(folder) + "/messages?" + encodeQuery(q), state: newPageState(pageSize)}
}

// More reports whether another page may follow.
func (p *Pager) More() bool { return p.next != "" }

// Next fetches the next page. After the last page More is false; calling
// Next then returns no messages and no error. A next-page link to another
// host or back to an earlier page ends paging with an error.
func (p *Pager) Next(ctx context.Context) ([]Message, error) {
	if p.next == "" {
		return nil, nil
	}
	st := p.state
	k := call{op: p.op, method: "GET", url: p.next, idempotent: true}
	if st != nil {
		k.into = st.body
	}
	res, err := p.c.exec(ctx, k)
	if err != nil {
		return nil, err
	}
	msgs, nextLink, err := p.c.decodePage(p.op, res, st)
	if err != nil {
		return nil, err
	}
	if st != nil {
		st.body = res.body[:0] // the messages hold copies; the next page may reuse it
	}
	if p.seen == nil {
		p.seen = make(map[string]struct{})
	}
	if u, err := url.Parse(p.next); err == nil {
		p.seen[pageKey(u)] = struct{}{}
	}
	p.Pages++
	p.next = ""
	p.state = nil // paging ends here unless a next link follows
	if nextLink != "" {
		if err := p.c.checkNextLink(nextLink, p.seen); err != nil {
			return msgs, fmt.Errorf("%s: %w", p.op, err)
		}
		p.next = nextLink
		p.state = st
	}
	return msgs, nil
}

// All reads every remaining page and returns all messages.
func (p *Pager) All(ctx context.Context) ([]Message, error) {
	var pages [][]Message
	var err error
	for p.More() && err == nil {
		var msgs []Message
		msgs, err = p.Next(ctx)
		pages = append(pages, msgs)
	}
	if len(pages) == 1 && len(pages[0]) > 0 {
		return pages[0], err
	}
	return slices.Concat(pages...), err // one allocation of the exact size
}

// checkNextLink refuses links to other hosts and links to pages already
// read.
func (c *Client) checkNextLink(link string, seen map[string]struct{}) error {
	u, err := url.Parse(link)
	if err != nil || !u.IsAbs() || !c.sameOrigin(u) {
		return ErrForeignNextLink
	}
	if _, dup := seen[pageKey(u)]; dup {
		return ErrNextLinkLoop
	}
	return nil
}

// pageKey identifies the page u asks for, whatever the order and escaping
// of its query parameters and the case of its scheme and host, so that a
// loop is caught even when the link is spelt differently each time.
func pageKey(u *url.URL) string {
	return strings.ToLower(u.Scheme+"://"+u.Host) + u.EscapedPath() + "?" + u.Query().Encode()
}

// ListDrafts returns every draft, newest change first.
func (c *Client) ListDrafts(ctx context.Context) ([]Message, error) {
	return c.Drafts(0).All(ctx)
}

// LatestSent returns up to n messages from Sent Items, most recent first.
func (c *Client) LatestSent(ctx context.Context, n int) ([]Message, error) {
	if n <= 0 {
		n = 25
	}
	msgs, err := c.Sent(min(n, 1000)).Next(ctx)
	if len(msgs) > n {
		msgs = msgs[:n]
	}
	return msgs, err
}

// DraftCount returns how many messages the Drafts folder holds, from the
// folder's totalItemCount: one small request, so a UI can show the count
// before every page has loaded.
func (c *Client) DraftCount(ctx context.Context) (int, error) {
	const op = "count drafts"
	res, err := c.exec(ctx, call{op: op, method: "GET", url: c.folderURL(FolderDrafts) + "?$select=totalItemCount", idempotent: true})
	if err != nil {
		return 0, err
	}
	var f struct {
		TotalItemCount int `json:"totalItemCount"`
	}
	if err := c.decode(op, res, &f); err != nil {
		return 0, err
	}
	return f.TotalItemCount, nil
}

// Message fetches one message with its body as plain text. Graph is asked
// for text; an HTML body that comes anyway is converted.
func (c *Client) Message(ctx context.Context, id string) (Message, error) {
	const op = "open message"
	u, err := c.messageURL(id)
	if err != nil {
		return Message{}, err
	}
	u += "?$select=" + openFields + "&$expand=" + escapeQuery(expandDeferred)
	res, err := c.exec(ctx, call{op: op, method: "GET", url: u, prefer: `outlook.body-content-type="text"`, idempotent: true})
	if err != nil {
		return Message{}, err
	}
	return c.decodeMessage(op, res)
}

// FindSent looks in Sent Items for the message with the given
// internetMessageId. It returns nil and no error when there is none (yet).
// Every answer is checked: a server that ignored the filter cannot make a
// draft's copy out of another message (nor out of the draft itself).
func (c *Client) FindSent(ctx context.Context, internetMessageID string) (*Message, error) {
	msgs, err := c.filterSent(ctx, "internetMessageId eq "+quoteOData(internetMessageID))
	if err != nil {
		return nil, err
	}
	for i := range msgs {
		if m := &msgs[i]; m.InternetMessageID == internetMessageID && !m.IsDraft {
			return m, nil
		}
	}
	return nil, nil
}

// filterSent lists Sent Items matching an OData filter (no $orderby: Graph
// rejects an order that does not follow the filter's properties).
func (c *Client) filterSent(ctx context.Context, filter string) ([]Message, error) {
	return c.filterFolder(ctx, FolderSentItems, "look in Sent Items", filter)
}

// filterFolder lists a folder's messages matching an OData filter, a page of ten.
func (c *Client) filterFolder(ctx context.Context, folder, op, filter string) ([]Message, error) {
	q := url.Values{}
	q.Set("$filter", filter)
	q.Set("$select", listFields)
	q.Set("$top", "10")
	res, err := c.exec(ctx, call{op: op, method: "GET", url: c.folderURL(folder) + "/messages?" + encodeQuery(q), idempotent: true})
	if err != nil {
		return nil, err
	}
	msgs, _, err := c.decodePage(op, res, nil)
	return msgs, err
}

func (c *Client) folderURL(folder string) string {
	return c.root + "/mailFolders/" + url.PathEscape(folder)
}

// ErrNoID is the error of a request about a message given an empty id.
var ErrNoID = errors.New("no message id given")

// messageURL is the URL of the message id. An id of "." or ".." is escaped whole, so that it
// cannot become a dot segment of the path (and name another resource); an empty id is an error.
func (c *Client) messageURL(id string) (string, error) {
	if id == "" {
		return "", ErrNoID
	}
	esc := url.PathEscape(id)
	if strings.Trim(id, ".") == "" {
		esc = strings.Repeat("%2E", len(id))
	}
	return c.root + "/messages/" + esc, nil
}
