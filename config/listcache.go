package config

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"time"

	json "github.com/goccy/go-json"

	"github.com/draftsmail/drafts/graph"
	"github.com/draftsmail/drafts/graph/privfile"
)

// The drafts list kept between runs, so the full-screen UI starts with it on screen and asks
// Graph only what changed since (its delta link). It holds what the list shows — subjects,
// recipients, dates, never a body — in one private file beside the token cache, with the same
// protections: mode 0600 in the 0700 cache directory, replaced atomically, and encrypted with
// the token cache's key when that is in the OS keyring (never plainer than the tokens: when the
// token cache is encrypted and its key cannot be had, the list is not kept). The encryption
// binds the file to its mailbox, so another mailbox's list does not decrypt. A damaged, foreign
// or older-format file is ignored with a note and replaced at the next save.

// Names and format of the list cache. Format 2 keeps what the screen's list keeps, without the
// ids a send finds its copy by (the send reads them before its POST); a drafts that expects them
// in the list (format 1) must not take such a file for its own.
const (
	listCacheName = "drafts-list"
	listFormat    = 2
)

// listMagic starts an encrypted list file; a plain one is gzip.
var listMagic = []byte("DRAFTS-LIST-AES256GCM-1\n")

// CachedList is what the list cache holds.
type CachedList struct {
	Drafts    []graph.Message // as listed, no bodies: the first ones (see Load)
	Count     int             // how many drafts it holds: Drafts and the Rest
	DeltaLink string          // where to ask what changed since; "" when none was had
	Saved     time.Time       // when it was saved
	// Rest reads the drafts after Drafts, handing them to each a chunk at a time (a chunk is
	// each's to keep); nil when there are none.
	Rest func(each func([]graph.Message)) error
}

// restChunk is how many drafts Rest hands over at a time: whoever keeps them in another form
// never holds all of them twice.
const restChunk = 1000

// ListCache is the drafts list of one mailbox kept between runs.
type ListCache struct {
	path    string
	store   *Store // the token cache, whose key encrypts the list when it is encrypted
	mailbox string // the mailbox's key (its Graph URL and user): a list of another is foreign
}

// listHeader is the first JSON value of the file; one value per draft follows. The whole is
// gzip-compressed (a list of 100,000 drafts is about 115 MB of JSON, some 15 MB compressed), and
// sealed as one when encrypted. Drafts are written one at a time: a save never holds a second
// copy of the list.
type listHeader struct {
	Format  int       `json:"format"`
	Mailbox string    `json:"mailbox"`
	Saved   time.Time `json:"saved"`
	Link    string    `json:"deltaLink"`
	Count   int       `json:"count"`
}

// OpenListCache opens the list cache of a mailbox (its key: Graph URL and user) beside the token
// cache cfg names, encrypted as that is (cfg.TokenStore, the OS keyring).
func OpenListCache(cfg Config, mailbox string, opts StoreOptions) (*ListCache, error) {
	store, err := OpenStore(cfg.CacheDir, cfg.TokenStore, opts)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(store.dir, listCacheName)
	if _, err := privfile.PrepareDir(store.dir, []string{path}, "the drafts list cache", "set "+EnvCacheDir); err != nil {
		return nil, err
	}
	return &ListCache{path: path, store: store, mailbox: mailbox}, nil
}

// Path is the cache file.
func (c *ListCache) Path() string { return c.path }

// Load reads the list: its first drafts (up to first) at once, for the first frame, and
// CachedList.Rest to read the others (called once, off the screen's goroutine: 100,000 drafts
// take some 0.4 s to decode). A missing file is ok=false with no note; a file that cannot be
// used (damaged, of another mailbox or format, its key gone) is ok=false with a note saying so.
func (c *ListCache) Load(ctx context.Context, first int) (list CachedList, ok bool, note string) {
	data, err := os.ReadFile(c.path)
	if errors.Is(err, fs.ErrNotExist) {
		return CachedList{}, false, ""
	}
	ignored := func(why string) (CachedList, bool, string) {
		return CachedList{}, false, "the cached drafts list " + c.path + " " + why + "; it is ignored and listed again"
	}
	if err != nil {
		return ignored("cannot be read (" + privfile.Reason(err).Error() + ")")
	}
	if bytes.HasPrefix(data, listMagic) {
		if data, err = c.open(ctx, data); err != nil {
			return ignored("could not be decrypted (" + err.Error() + ")")
		}
	} else if c.encrypted() {
		return ignored("is not encrypted as the token cache is")
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return ignored("is damaged")
	}
	d := &listDecoder{r: bufio.NewReaderSize(zr, 64<<10)}
	var h listHeader
	switch {
	case d.next(&h) != nil:
		return ignored("is damaged")
	case h.Format != listFormat:
		return ignored(fmt.Sprintf("is of another format (%d)", h.Format))
	case h.Mailbox != c.mailbox:
		return ignored("is of another mailbox")
	case h.Count < 0:
		return ignored("is damaged")
	}
	ds, err := d.drafts(min(h.Count, first))
	if err != nil {
		return ignored("is damaged")
	}
	list = CachedList{Drafts: ds, Count: h.Count, DeltaLink: h.Link, Saved: h.Saved}
	if more := h.Count - len(ds); more > 0 {
		list.Rest = func(each func([]graph.Message)) error {
			for more > 0 {
				chunk, err := d.drafts(min(more, restChunk))
				if err != nil {
					return errors.New("the cached drafts list " + c.path + " is damaged")
				}
				each(chunk)
				more -= len(chunk)
			}
			return nil
		}
	}
	return list, true, ""
}

// listDecoder reads the file's JSON values, one per line (an encoded string holds no raw
// newline): a line at a time, as goccy's stream decoder slows with the length of what it has
// read.
type listDecoder struct{ r *bufio.Reader }

func (d *listDecoder) next(v any) error {
	line, err := d.r.ReadBytes('\n')
	if err != nil && (err != io.EOF || len(line) == 0) {
		return err
	}
	return json.Unmarshal(line, v)
}

// drafts reads the next n drafts, cleaned.
func (d *listDecoder) drafts(n int) ([]graph.Message, error) {
	ds := make([]graph.Message, 0, min(n, 1<<16))
	for range n {
		var m graph.Message
		if err := d.next(&m); err != nil {
			return nil, err
		}
		cleanCached(&m)
		ds = append(ds, m)
	}
	return ds, nil
}

// Save replaces the file with the list: the drafts as listed, the delta link, when. A plain
// file is compressed straight into place, a draft at a time; an encrypted one is sealed whole
// (some 15 MB for 100,000 drafts).
func (c *ListCache) Save(ctx context.Context, drafts iter.Seq[graph.Message], count int, link string, saved time.Time) error {
	h := listHeader{Format: listFormat, Mailbox: c.mailbox, Saved: saved, Link: link, Count: count}
	var err error
	if c.encrypted() {
		var buf bytes.Buffer
		if err = writeList(&buf, h, drafts); err != nil {
			return err
		}
		var sealed []byte
		if sealed, err = c.seal(ctx, buf.Bytes()); err != nil {
			return err
		}
		err = privfile.WriteAtomic(c.path, sealed)
	} else {
		err = privfile.WriteAtomicFunc(c.path, func(w io.Writer) error { return writeList(w, h, drafts) })
	}
	if err != nil {
		return fmt.Errorf("cannot keep the drafts list in %s (%v)", c.path, privfile.Reason(err))
	}
	return nil
}

// writeList writes the file's content, compressed: the header, then each draft, a line each.
func writeList(w io.Writer, h listHeader, drafts iter.Seq[graph.Message]) error {
	zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	enc := json.NewEncoder(zw)
	if err := enc.Encode(h); err != nil {
		return err
	}
	n := 0
	for d := range drafts {
		if n++; n > h.Count {
			return fmt.Errorf("more drafts than the %d said", h.Count)
		}
		d.BodyPreview, d.Body = "", "" // the start of the body: never kept, as no body is
		if err := enc.Encode(&d); err != nil {
			return err
		}
	}
	if n != h.Count {
		return fmt.Errorf("%d drafts, not the %d said", n, h.Count)
	}
	return zw.Close()
}

// RemoveListCache deletes the list cache in dir ('drafts logout'); it reports whether there
// was one.
func RemoveListCache(dir string) (bool, error) {
	if dir == "" {
		return false, nil
	}
	err := os.Remove(filepath.Join(dir, listCacheName))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

func (c *ListCache) encrypted() bool {
	c.store.mu.Lock()
	defer c.store.mu.Unlock()
	return c.store.encrypt
}

// key is the token cache's key. create makes it when the keyring has none yet, holding the
// token cache's lock as its own writes do, so two processes never make two keys.
func (c *ListCache) key(ctx context.Context, create bool) ([]byte, error) {
	if create {
		unlock, err := c.store.lock(ctx, true)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	c.store.mu.Lock()
	defer c.store.mu.Unlock()
	return c.store.cacheKey(ctx, create)
}

// aad binds an encrypted file to its format and mailbox.
func (c *ListCache) aad() []byte { return append(append([]byte(nil), listMagic...), c.mailbox...) }

func (c *ListCache) seal(ctx context.Context, data []byte) ([]byte, error) {
	key, err := c.key(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("the drafts list is not kept: the token cache's key cannot be had (%v)", err)
	}
	return sealWith(key, listMagic, c.aad(), data)
}

func (c *ListCache) open(ctx context.Context, data []byte) ([]byte, error) {
	key, err := c.key(ctx, false)
	if err != nil {
		return nil, err
	}
	plain, err := openWith(key, listMagic, c.aad(), data)
	if errors.Is(err, errNoMatch) {
		return nil, errors.New("it is of another mailbox, or its key does not match")
	}
	return plain, err
}

// cleanCached cleans the strings of a cached draft again, as they were when listed: the file is
// the user's own, but what reaches the terminal is always cleaned.
func cleanCached(m *graph.Message) {
	for _, s := range []*string{&m.ID, &m.Subject, &m.BodyPreview, &m.From.Name, &m.From.Address,
		&m.InternetMessageID, &m.ConversationID, &m.ConversationIndex, &m.WebLink, &m.ChangeKey, &m.InReplyTo} {
		*s = graph.CleanLine(*s)
	}
	for _, rs := range [][]graph.Recipient{m.To, m.Cc, m.Bcc} {
		for i := range rs {
			rs[i].Name, rs[i].Address = graph.CleanLine(rs[i].Name), graph.CleanLine(rs[i].Address)
		}
	}
	m.Body, m.HasBody, m.Attachments = "", false, nil
}
