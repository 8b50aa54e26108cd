// Command gosdk runs Microsoft's Go Graph SDK (github.com/microsoftgraph/msgraph-sdk-go) against
// `drafts emulator --tls` for the operations drafts uses: list drafts with paging, get one,
// create, patch with If-Match, attach and list attachments, createReply, send, find the copy in
// Sent Items, and a $batch. It is a module of its own, so that the drafts module never depends
// on the SDK (a cold build of it takes minutes and gigabytes). scripts/gosdk.sh runs it.
//
// Usage: gosdk BASE_URL CA_FILE (the two lines `drafts emulator --tls` prints). It exits 1,
// saying what differed, on the first mismatch.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	khttp "github.com/microsoft/kiota-http-go"
	msgraph "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// staticToken gives the same bearer token for the allowed hosts.
type staticToken struct {
	hosts *absauth.AllowedHostsValidator
}

// GetAuthorizationToken returns the token for a URL on an allowed host, else none.
func (t staticToken) GetAuthorizationToken(_ context.Context, u *url.URL, _ map[string]interface{}) (string, error) {
	if !t.hosts.IsUrlHostValid(u) {
		return "", nil
	}
	return "drafts-gosdk-check", nil
}

// GetAllowedHostsValidator returns the hosts the token may be sent to.
func (t staticToken) GetAllowedHostsValidator() *absauth.AllowedHostsValidator { return t.hosts }

func main() {
	if len(os.Args) != 3 || !strings.HasPrefix(os.Args[1], "https://") {
		fmt.Fprintln(os.Stderr, "usage: gosdk https://127.0.0.1:PORT/v1.0 CA_FILE")
		os.Exit(2)
	}
	if err := run(context.Background(), os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "gosdk: "+err.Error())
		os.Exit(1)
	}
	fmt.Println("gosdk: all operations match")
}

// newClient builds a Graph client for base that trusts the CA in caFile (and nothing else).
func newClient(base, caFile string) (*msgraph.GraphServiceClient, *msgraph.GraphRequestAdapter, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, nil, err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		return nil, nil, errors.New(caFile + " holds no certificate")
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: roots}
	hc := &http.Client{
		Transport:     khttp.NewCustomTransportWithParentTransport(tr, msgraphcore.GetDefaultMiddlewaresWithOptions(&msgraphcore.GraphClientOptions{})...),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	hosts := absauth.NewAllowedHostsValidator([]string{u.Hostname()})
	auth := absauth.NewBaseBearerTokenAuthenticationProvider(staticToken{&hosts})
	adapter, err := msgraph.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, nil, nil, hc)
	if err != nil {
		return nil, nil, err
	}
	adapter.SetBaseUrl(base)
	return msgraph.NewGraphServiceClient(adapter), adapter, nil
}

// graphError returns the status and code of a Graph error answer.
func graphError(err error) (int, string) {
	var oe *odataerrors.ODataError
	if errors.As(err, &oe) {
		code := ""
		if e := oe.GetErrorEscaped(); e != nil && e.GetCode() != nil {
			code = *e.GetCode()
		}
		return oe.ResponseStatusCode, code
	}
	return 0, ""
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func run(ctx context.Context, base, caFile string) error {
	client, adapter, err := newClient(base, caFile)
	if err != nil {
		return err
	}
	me := client.Me()
	drafts := me.MailFolders().ByMailFolderId("drafts").Messages()

	// List drafts with paging, following @odata.nextLink.
	top := int32(3)
	first, err := drafts.Get(ctx, &users.ItemMailFoldersItemMessagesRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMailFoldersItemMessagesRequestBuilderGetQueryParameters{Top: &top, Select: []string{"id", "subject", "isDraft"}},
	})
	if err != nil {
		return fmt.Errorf("list drafts: %w", err)
	}
	if next := str(first.GetOdataNextLink()); !strings.HasPrefix(next, base+"/") {
		return fmt.Errorf("list drafts: nextLink %q", next)
	}
	it, err := msgraphcore.NewPageIterator[models.Messageable](first, adapter, models.CreateMessageCollectionResponseFromDiscriminatorValue)
	if err != nil {
		return err
	}
	var listed []models.Messageable
	if err := it.Iterate(ctx, func(m models.Messageable) bool { listed = append(listed, m); return true }); err != nil {
		return fmt.Errorf("list drafts, next pages: %w", err)
	}
	count, err := drafts.Count().Get(ctx, nil)
	if err != nil {
		return fmt.Errorf("$count: %w", err)
	}
	if count == nil || int(*count) != len(listed) || len(listed) <= int(top) {
		return fmt.Errorf("list drafts: %d over the pages, $count %v", len(listed), count)
	}

	// Get one.
	one, err := me.Messages().ByMessageId(str(listed[0].GetId())).Get(ctx, nil)
	if err != nil || str(one.GetId()) != str(listed[0].GetId()) {
		return fmt.Errorf("get one draft: %v", err)
	}

	// Create a draft.
	subject, html := "From the Go SDK", "Hello <b>there</b>"
	body := models.NewItemBody()
	bodyType := models.HTML_BODYTYPE
	body.SetContentType(&bodyType)
	body.SetContent(&html)
	addr := "alex@contoso.example"
	email := models.NewEmailAddress()
	email.SetAddress(&addr)
	to := models.NewRecipient()
	to.SetEmailAddress(email)
	draft := models.NewMessage()
	draft.SetSubject(&subject)
	draft.SetBody(body)
	draft.SetToRecipients([]models.Recipientable{to})
	created, err := me.Messages().Post(ctx, draft, nil)
	if err != nil {
		return fmt.Errorf("create a draft: %w", err)
	}
	if created.GetIsDraft() == nil || !*created.GetIsDraft() || created.GetFrom() != nil || created.GetSentDateTime() == nil ||
		!strings.HasPrefix(str(created.GetBody().GetContent()), "<html>") {
		return fmt.Errorf("create a draft: isDraft %v, from %v, body %q", created.GetIsDraft(), created.GetFrom(), str(created.GetBody().GetContent()))
	}
	id := str(created.GetId())

	// Patch it with If-Match; a stale etag is 412.
	etag, _ := created.GetAdditionalData()["@odata.etag"].(*string)
	if etag == nil {
		return errors.New("create a draft: no @odata.etag")
	}
	patch := func(subject string) (models.Messageable, error) {
		h := abs.NewRequestHeaders()
		h.Add("If-Match", *etag)
		m := models.NewMessage()
		m.SetSubject(&subject)
		return me.Messages().ByMessageId(id).Patch(ctx, m, &users.ItemMessagesMessageItemRequestBuilderPatchRequestConfiguration{Headers: h})
	}
	patched, err := patch("From the Go SDK, edited")
	if err != nil || str(patched.GetSubject()) != "From the Go SDK, edited" {
		return fmt.Errorf("patch: %v", err)
	}
	if _, err := patch("stale"); err == nil {
		return errors.New("patch with a stale etag: no error")
	} else if st, code := graphError(err); st != http.StatusPreconditionFailed || code != "ErrorIrresolvableConflict" {
		return fmt.Errorf("patch with a stale etag: %d %s (%v)", st, code, err)
	}

	// Attach a file and list attachments.
	att := models.NewFileAttachment()
	name, odataType := "note.txt", "#microsoft.graph.fileAttachment"
	att.SetName(&name)
	att.SetOdataType(&odataType)
	att.SetContentBytes([]byte("a note"))
	if _, err := me.Messages().ByMessageId(id).Attachments().Post(ctx, att, nil); err != nil {
		return fmt.Errorf("attach: %w", err)
	}
	atts, err := me.Messages().ByMessageId(id).Attachments().Get(ctx, nil)
	if err != nil || len(atts.GetValue()) != 1 || str(atts.GetValue()[0].GetName()) != name {
		return fmt.Errorf("list attachments: %v", err)
	}

	// createReply to a message in the Inbox.
	one32 := int32(1)
	inbox, err := me.MailFolders().ByMailFolderId("inbox").Messages().Get(ctx, &users.ItemMailFoldersItemMessagesRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMailFoldersItemMessagesRequestBuilderGetQueryParameters{Top: &one32},
	})
	if err != nil || len(inbox.GetValue()) != 1 {
		return fmt.Errorf("list the inbox: %v", err)
	}
	rb := users.NewItemMessagesItemCreateReplyPostRequestBody()
	comment := "Thanks!"
	rb.SetComment(&comment)
	reply, err := me.Messages().ByMessageId(str(inbox.GetValue()[0].GetId())).CreateReply().Post(ctx, rb, nil)
	if err != nil || !strings.HasPrefix(strings.ToUpper(str(reply.GetSubject())), "RE: ") {
		return fmt.Errorf("createReply: %v", err)
	}

	// Send, then find the copy in Sent Items by internetMessageId.
	imid := str(patched.GetInternetMessageId())
	if err := me.Messages().ByMessageId(id).Send().Post(ctx, nil); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	filter := "internetMessageId eq '" + strings.ReplaceAll(imid, "'", "''") + "'"
	var sent []models.Messageable
	for i := 0; i < 50 && len(sent) == 0; i++ {
		res, err := me.MailFolders().ByMailFolderId("sentitems").Messages().Get(ctx, &users.ItemMailFoldersItemMessagesRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.ItemMailFoldersItemMessagesRequestBuilderGetQueryParameters{Filter: &filter},
		})
		if err != nil {
			return fmt.Errorf("Sent Items: %w", err)
		}
		if sent = res.GetValue(); len(sent) == 0 {
			time.Sleep(100 * time.Millisecond) // the copy may take time to show
		}
	}
	if len(sent) != 1 || str(sent[0].GetId()) == id || sent[0].GetFrom() == nil {
		return fmt.Errorf("Sent Items: %d copies", len(sent))
	}

	// $batch: two GETs, the second depending on the first.
	batch := msgraphcore.NewBatchRequest(adapter)
	r1, err := me.Messages().ByMessageId(str(reply.GetId())).ToGetRequestInformation(ctx, nil)
	if err != nil {
		return err
	}
	r2, err := me.Messages().ByMessageId(id).ToGetRequestInformation(ctx, nil)
	if err != nil {
		return err
	}
	i1, err := batch.AddBatchRequestStep(*r1)
	if err != nil {
		return err
	}
	i2, err := batch.AddBatchRequestStep(*r2)
	if err != nil {
		return err
	}
	i2.DependsOnItem(i1)
	res, err := batch.Send(ctx, adapter)
	if err != nil {
		return fmt.Errorf("$batch: %w", err)
	}
	s1, s2 := res.GetResponseById(str(i1.GetId())), res.GetResponseById(str(i2.GetId()))
	if s1 == nil || s2 == nil || *s1.GetStatus() != 200 || *s2.GetStatus() != 404 {
		return fmt.Errorf("$batch: answers %v %v", s1, s2)
	}
	got, err := msgraphcore.GetBatchResponseById[models.Messageable](res, str(i1.GetId()), models.CreateMessageFromDiscriminatorValue)
	if err != nil || str(got.GetId()) != str(reply.GetId()) {
		return fmt.Errorf("$batch: the reply: %v", err)
	}
	return nil
}
