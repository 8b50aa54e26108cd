package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/graph/emulator"
)

func (a *app) emulatorCmd() *cobra.Command {
	var (
		addr      string
		drafts    int
		sendDelay time.Duration
		token     string
		inDrafts  bool
		latency   time.Duration
		nextLink  string
		useTLS    bool
		certFile  string
		keyFile   string
		faults    bool
	)
	cmd := &cobra.Command{
		Use:   "emulator [--addr HOST:PORT] [--tls [--cert FILE --key FILE]] [--drafts N] [--send-delay D] [--latency D] [--deferred-in-drafts] [--faults]",
		Short: "Serve the built-in Microsoft Graph emulator (for demos, tests and other clients)",
		Long: `Serve a local Microsoft Graph mail endpoint with a demo mailbox, until Ctrl-C.

The first line printed is the base URL to use (ending in /v1.0), e.g. for drafts itself:
  DRAFTS_GRAPH_URL=<url> DRAFTS_ACCESS_TOKEN=any drafts list
With --tls it serves https (HTTP/2 or HTTP/1.1) with a certificate for 127.0.0.1 and
localhost, signed by a CA made at start; the second line is the path of that CA's PEM file,
for the client to trust (DRAFTS_CA_FILE=<file> for drafts, NODE_EXTRA_CA_CERTS=<file> for
node). --cert and --key serve your own certificate instead (the second line is then --cert).
Answers are gzip-compressed when the request accepts it.
Any well-formed bearer token is accepted unless --token is given (an opaque word, or a
JWT that has not expired). With --addr 127.0.0.1:0 a free port is chosen. --drafts N serves exactly N generated drafts instead of the demo mailbox.
--deferred-in-drafts holds a send later in Drafts with its time, as Outlook.com is reported to,
instead of in the Outbox as Exchange Online does. --next-link last moves a page's
@odata.nextLink after "value", to check that a client does not depend on its position.
--latency D delays every answer by D, as a far-away or busy Graph would (for benchmarks and
tests). --faults opens /_emulator/faults, where a tester scripts Graph's misbehaviour over
HTTP (off by default: anyone who reaches the port could use it):
  curl -X POST <root>/_emulator/faults -d '{"method":"POST","path":"/send","times":1,"fault":{"status":503}}'
  curl -X DELETE <root>/_emulator/faults
where <root> is the URL without /v1.0; a fault has status, code, message, retryAfter, delay
("2s"), dropBeforeAct, dropAfterAct, body, contentType, truncate, gone ("sent", "deleted"),
delayAfterAct, nextLink, nextLinkToSelf and oversize (graph/emulator/faultapi.go).
GET <root>/_emulator/stats counts the requests served.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if drafts < 0 {
				return usageErrorf("--drafts must not be negative")
			}
			if sendDelay < 0 {
				return usageErrorf("--send-delay must not be negative")
			}
			if latency < 0 {
				return usageErrorf("--latency must not be negative")
			}
			if nextLink != "first" && nextLink != "last" {
				return usageErrorf("--next-link must be first or last, not %q", nextLink)
			}
			if !useTLS && (certFile != "" || keyFile != "") {
				return usageErrorf("--cert and --key need --tls")
			}
			emu := emulator.New(emulator.Options{SendDelay: sendDelay, NoSendDelay: sendDelay == 0, Token: token,
				DeferredInDrafts: inDrafts, NextLinkLast: nextLink == "last", Latency: latency, FaultControl: faults})
			if cmd.Flags().Changed("drafts") {
				emu.SeedGenerated(drafts)
			} else {
				emu.SeedDemo()
			}
			var base, trust string
			var err error
			if useTLS {
				t, terr := setUpEmulatorTLS(certFile, keyFile)
				if terr != nil {
					return terr
				}
				defer t.cleanup()
				base, err = emu.StartTLS(addr, t.cert)
				trust = t.trust
			} else {
				base, err = emu.Start(addr)
			}
			if err != nil {
				return fmt.Errorf("cannot serve on %s: %w", addr, err)
			}
			defer emu.Close()
			fmt.Fprintln(a.io.out, base)
			if trust != "" {
				fmt.Fprintln(a.io.out, trust)
			}
			fmt.Fprintf(a.io.err, "Graph emulator serving at %s; press Ctrl-C to stop\n", base)
			<-cmd.Context().Done()
			fmt.Fprintln(a.io.err, "stopped")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8787", "address to listen on")
	f.IntVar(&drafts, "drafts", 0, "serve exactly N generated drafts instead of the demo mailbox")
	f.DurationVar(&sendDelay, "send-delay", 1500*time.Millisecond, "time before a sent message shows in Sent Items")
	f.StringVar(&token, "token", "", "accept only this bearer token (default: any)")
	f.DurationVar(&latency, "latency", 0, "delay every answer by D")
	f.BoolVar(&faults, "faults", false, "open /_emulator/faults, to script faults over HTTP")
	f.BoolVar(&inDrafts, "deferred-in-drafts", false, "hold a send later in Drafts with its time (Outlook.com), not in the Outbox")
	f.BoolVar(&useTLS, "tls", false, "serve https (HTTP/2) with a certificate made at start; prints the CA file to trust")
	f.StringVar(&certFile, "cert", "", "with --tls: the server certificate (PEM) to serve instead of a made one")
	f.StringVar(&keyFile, "key", "", "with --tls: the private key (PEM) of --cert")
	f.StringVar(&nextLink, "next-link", "first", "where a listing page puts @odata.nextLink: first (before value, as Graph does for messages) or last")
	return cmd
}
