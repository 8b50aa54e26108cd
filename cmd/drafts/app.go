package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/config"
	"github.com/draftsmail/drafts/graph"
)

// stdio is the process's standard streams, replaceable in tests, and
// whether standard input and output are terminals.
type stdio struct {
	in            io.Reader
	out, err      io.Writer
	inTTY, outTTY bool
}

// app holds what every subcommand shares: the streams, the environment and
// the global flags.
type app struct {
	io     stdio
	getenv func(string) string
	flags  config.Flags
	now    func() time.Time // the demo's clock once it is connected (DRAFTS_DEMO_NOW); nil: the real one
	// args are the command line's arguments, as given (for the JSON of a send whose flags
	// could not be read).
	args []string
	// who is the account connect signed in with (or the access token's subject), "" when not
	// known: the drafts list cache is kept per account.
	who string
}

// run executes the command line and returns the exit code. Every error is
// printed as one line on stderr.
func run(ctx context.Context, args []string, s stdio, getenv func(string) string) int {
	a := &app{io: s, getenv: getenv, args: args}
	root := a.rootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var known *exitError
	if ctx.Err() != nil && exitCode(err) == exitFailed && !(errors.As(err, &known) && known.known) {
		fmt.Fprintln(s.err, "drafts: interrupted")
		return exitCanceled
	}
	if msg := errorLine(err); msg != "" {
		fmt.Fprintln(s.err, "drafts: "+msg)
	}
	return exitCode(err)
}

// errorLine is the one line printed for err: Graph errors in words a user
// can act on, everything else cleaned of control characters.
func errorLine(err error) string {
	var e *exitError
	if errors.As(err, &e) {
		return e.msg
	}
	return graph.Describe(err)
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "drafts",
		Short: "List, show and send the mail drafts of an Outlook / Microsoft 365 mailbox",
		Long: `drafts lists the drafts of a Microsoft 365 or Outlook mailbox through Microsoft Graph,
sends the one you choose, and confirms the send by watching its copy arrive in Sent Items.

Run without a command, it opens the full-screen interface. Try it without an account:
  drafts --demo
For your own mailbox, register an app and sign in once with 'drafts login' (see the README);
scripts may set DRAFTS_ACCESS_TOKEN to a Graph token with Mail.ReadWrite and Mail.Send instead.

Settings come from flags, then the environment (DRAFTS_GRAPH_URL, DRAFTS_MAILBOX,
DRAFTS_ACCESS_TOKEN, ...), then the settings file ('drafts config init' writes one);
'drafts status' shows the effective values and where each came from.

` + exitCodesHelp,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runTUI(cmd)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.flags.GraphURL, "graph-url", "", "Microsoft Graph root, e.g. https://graph.microsoft.us/v1.0 (env "+config.EnvGraphURL+")")
	pf.StringVar(&a.flags.Mailbox, "mailbox", "", "a shared or delegated mailbox, e.g. shared@contoso.com (env "+config.EnvMailbox+"; default: your own)")
	pf.BoolVar(&a.flags.Demo, "demo", false, "use the built-in Graph emulator with a demo mailbox: no account, no network")
	pf.StringVar(&a.flags.CAFile, "ca-file", "", "PEM file of extra CAs the Graph client trusts, e.g. the one 'drafts emulator --tls' prints (env "+config.EnvCAFile+")")
	pf.StringVar(&a.flags.ConfigPath, "config", "", "settings file (env "+config.EnvConfig+"; default: drafts/config.toml in your config directory)")
	root.PersistentPreRun = func(cmd *cobra.Command, _ []string) {
		a.flags.GraphURLSet = cmd.Flags().Changed("graph-url")
		a.flags.MailboxSet = cmd.Flags().Changed("mailbox")
		a.flags.CAFileSet = cmd.Flags().Changed("ca-file")
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		err = usageErrorf("%s (see '%s --help')", err, cmd.CommandPath())
		a.flagErrorJSON(cmd, err)
		return err
	})
	cmds := []*cobra.Command{a.listCmd(), a.sendCmd(), a.editCmd(), a.newCmd(), a.rmCmd(), a.emulatorCmd(), a.loginCmd(), a.logoutCmd(), a.statusCmd(), a.configCmd()}
	cmds = append(cmds, a.replyCmds()...)
	cmds = append(cmds, a.attachmentsCmd(), a.attachCmd(), a.saveCmd(), a.manCmd())
	for _, c := range cmds {
		noFileNames(c)
	}
	root.AddCommand(cmds...) // in this order: the first close match is the one suggested
	// 'drafts completion bash|zsh|fish|powershell' prints a completion script (Cobra's). Any
	// other word is a usage error, not Cobra's help on stdout (which a script would save as
	// its "completion script").
	root.CompletionOptions.HiddenDefaultCmd = false
	root.SetIn(a.io.in) // before the completion command, which takes its writer when made
	root.SetOut(a.io.out)
	root.SetErr(a.io.err)
	root.InitDefaultCompletionCmd()
	// (Find, not Commands: Commands sorts them, and the order is what suggestions go by.)
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.Args = subcommandArgs
		c.RunE = func(cmd *cobra.Command, _ []string) error {
			return usageErrorf("%s needs a shell: bash, zsh, fish or powershell", cmd.CommandPath())
		}
	}
	root.Version = version()
	root.SetVersionTemplate("drafts {{.Version}}\n")
	return root
}

// noFileNames keeps the shell from offering file names where an id, an attachment's name or
// nothing belongs: every command but attach, whose FILE arguments come after its ID.
func noFileNames(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		noFileNames(c)
	}
	if cmd.ValidArgsFunction != nil {
		return
	}
	files := strings.HasPrefix(cmd.Use, "attach ")
	cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if files && len(args) > 0 {
			return nil, cobra.ShellCompDirectiveDefault
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}

// exactArgs is cobra.ExactArgs with a usage exit code and a clear line.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErrorf("%s needs %s (see '%s --help')", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}

// minArgs is the Args of a command taking at least n arguments: fewer is a usage error.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usageErrorf("%s needs %s (see '%s --help')", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}

// subcommandArgs is the Args of a command with subcommands: a word that is
// none of them is a usage error that names the closest one.
func subcommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's default, which it sets lazily
	}
	hint := ""
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		hint = fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	return usageErrorf("unknown command %q for %s%s (see '%s --help')", args[0], cmd.CommandPath(), hint, cmd.CommandPath())
}

// config resolves the effective configuration from flags and environment.
func (a *app) config() (config.Config, error) {
	cfg, err := config.Load(a.flags, a.getenv)
	if err != nil {
		return cfg, usageErrorf("%v", err)
	}
	return cfg, nil
}

// oneLine flattens s for a single output line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
