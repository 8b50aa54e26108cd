package graph

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Attachment is a file (or an attached message, or a link) on a message, as listed. Every string
// is cleaned.
type Attachment struct {
	ID          string
	Name        string
	ContentType string
	Size        int64
	IsInline    bool   // shown in the body (an image), not as a file
	Kind        string // "file", "item" (an attached message) or "reference" (a link)
	// FromOriginal marks a forward's attachment that came with the message forwarded (see
	// MarkCarried); Attachments leaves it false.
	FromOriginal bool
}

// IsFile reports whether the attachment has bytes that can be saved as a file.
func (a Attachment) IsFile() bool { return a.Kind == "file" }

// Attachments lists the attachments of a message, without their bytes.
func (c *Client) Attachments(ctx context.Context, msgID string) ([]Attachment, error) {
	const op = "list attachments"
	u, err := c.messageURL(msgID)
	if err != nil {
		return nil, err
	}
	res, err := c.exec(ctx, call{op: op, method: http.MethodGet, url: u + "/attachments?$select=id,name,contentType,size,isInline", idempotent: true})
	if err != nil {
		return nil, err
	}
	var page struct {
		Value []struct {
			Type        string `json:"@odata.type"`
			ID          string `json:"id"`
			Name        string `json:"name"`
			ContentType string `json:"contentType"`
			Size        int64  `json:"size"`
			IsInline    bool   `json:"isInline"`
		} `json:"value"`
	}
	if err := c.decode(op, res, &page); err != nil {
		return nil, err
	}
	out := make([]Attachment, 0, len(page.Value))
	for _, a := range page.Value {
		kind := strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(a.Type), "#microsoft.graph."), "attachment")
		out = append(out, Attachment{ID: CleanLine(a.ID), Name: CleanLine(a.Name), ContentType: CleanLine(a.ContentType),
			Size: a.Size, IsInline: a.IsInline, Kind: kind})
	}
	return out, nil
}

// AttachmentBytes reads the bytes of a file attachment (GET .../attachments/{id}/$value).
func (c *Client) AttachmentBytes(ctx context.Context, msgID, attID string) ([]byte, error) {
	u, err := c.messageURL(msgID)
	if err != nil {
		return nil, err
	}
	if attID == "" {
		return nil, ErrNoID
	}
	res, err := c.exec(ctx, call{op: "read attachment", method: http.MethodGet, url: u + "/attachments/" + url.PathEscape(attID) + "/$value", idempotent: true})
	if err != nil {
		return nil, err
	}
	return res.body, nil
}

// Attachment size limits: Graph takes a file up to 3 MB in one POST; larger ones (to 150 MB)
// go through an upload session, in ranges of at most 4 MB (a multiple of 320 KiB, as Graph
// asks).
const (
	MaxInlineAttachment = 3 << 20
	MaxAttachment       = 150 << 20
	uploadChunk         = 10 * 320 << 10
)

// ErrAttachmentTooLarge is Attach's error for a file over MaxAttachment: nothing is sent.
var ErrAttachmentTooLarge = fmt.Errorf("the file is larger than Graph takes as an attachment (%d MB)", MaxAttachment>>20)

// Attach adds a file to a draft: in one POST up to 3 MB, else through an upload session, its
// ranges PUT in order (progress, if set, is told how many bytes are there). A failure leaves
// no half attachment behind that drafts made: an upload session that fails is cancelled.
func (c *Client) Attach(ctx context.Context, msgID, name, contentType string, data []byte, progress func(done, total int64)) error {
	u, err := c.messageURL(msgID)
	if err != nil {
		return err
	}
	if len(data) > MaxAttachment {
		return ErrAttachmentTooLarge
	}
	if len(data) <= MaxInlineAttachment {
		body, err := json.Marshal(map[string]any{"@odata.type": "#microsoft.graph.fileAttachment",
			"name": name, "contentType": contentType, "contentBytes": base64.StdEncoding.EncodeToString(data)})
		if err != nil {
			return err
		}
		_, err = c.exec(ctx, call{op: "attach file", method: http.MethodPost, url: u + "/attachments", body: body})
		if err == nil && progress != nil {
			progress(int64(len(data)), int64(len(data)))
		}
		return err
	}
	body, err := json.Marshal(map[string]any{"AttachmentItem": map[string]any{"attachmentType": "file", "name": name,
		"size": len(data), "contentType": contentType}})
	if err != nil {
		return err
	}
	const op = "start upload"
	res, err := c.exec(ctx, call{op: op, method: http.MethodPost, url: u + "/attachments/createUploadSession", body: body})
	if err != nil {
		return err
	}
	var session struct {
		UploadURL string `json:"uploadUrl"`
	}
	if err := c.decode(op, res, &session); err != nil {
		return err
	}
	return c.upload(ctx, session.UploadURL, data, progress)
}

// upload PUTs data to a session's uploadUrl in ranges. The URL is pre-authenticated: the
// token is not sent with it (Graph's is on another host), and it must be https, or on the
// loopback as the emulator's is.
func (c *Client) upload(ctx context.Context, uploadURL string, data []byte, progress func(done, total int64)) error {
	target, err := url.Parse(uploadURL)
	if err != nil || target.Scheme != "https" && !(target.Scheme == "http" && isLoopback(target.Hostname())) {
		return errors.New("Graph gave an upload address drafts will not use (not https)")
	}
	total := int64(len(data))
	for start := int64(0); start < total; {
		end := min(start+uploadChunk, total)
		cctx, cancel := context.WithTimeout(ctx, c.timeout)
		req, err := http.NewRequestWithContext(cctx, http.MethodPut, uploadURL, bytes.NewReader(data[start:end]))
		if err != nil {
			cancel()
			return err
		}
		req.ContentLength = end - start
		req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end-1, total))
		resp, err := c.http.Do(req)
		if err != nil {
			cancel()
			c.cancelUpload(uploadURL)
			return &TransportError{Op: "upload attachment", Host: target.Host, Err: err}
		}
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
		cancel()
		if resp.StatusCode >= 300 {
			c.cancelUpload(uploadURL)
			return newError("upload attachment", resp.StatusCode, resp.Header, msg)
		}
		start = end
		if progress != nil {
			progress(start, total)
		}
	}
	return nil
}

// cancelUpload deletes an upload session that failed, best effort.
func (c *Client) cancelUpload(uploadURL string) {
	req, err := http.NewRequest(http.MethodDelete, uploadURL, nil)
	if err == nil {
		if resp, err := c.http.Do(req); err == nil {
			_ = resp.Body.Close()
		}
	}
}

// ReplyKind is what CreateReply makes.
type ReplyKind string

// The kinds of draft made from a message.
const (
	Reply    ReplyKind = "createReply"
	ReplyAll ReplyKind = "createReplyAll"
	Forward  ReplyKind = "createForward"
)

// CreateReply makes a reply, reply-all or forward draft of a message (POST
// .../createReply | createReplyAll | createForward), with comment above the quoted original
// when it is not empty, and returns the new draft (in Drafts, in the same conversation).
func (c *Client) CreateReply(ctx context.Context, msgID string, kind ReplyKind, comment string) (Message, error) {
	u, err := c.messageURL(msgID)
	if err != nil {
		return Message{}, err
	}
	var body []byte
	if comment != "" {
		if body, err = json.Marshal(map[string]string{"comment": comment}); err != nil {
			return Message{}, err
		}
	}
	op := "create " + strings.TrimPrefix(strings.ToLower(string(kind)), "create")
	res, err := c.exec(ctx, call{op: op, method: http.MethodPost, url: u + "/" + string(kind), body: body})
	if err != nil {
		return Message{}, err
	}
	return c.decodeMessage(op, res)
}
