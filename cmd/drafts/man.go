package main

import (
	"fmt"
	"regexp"
	"strings"

	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
)

// manCmd prints the man page, made from the commands' own help (their Long texts carry the
// exit codes and the settings): the release archives carry it (see .goreleaser.yaml), and
// 'drafts man | man -l -' shows it without installing.
func (a *app) manCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "man",
		Short: "Print the man page (roff) on standard output, e.g. drafts man | man -l -",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			page, err := mcobra.NewManPage(1, cmd.Root())
			if err != nil {
				return fmt.Errorf("make the man page: %w", err)
			}
			_, err = fmt.Fprint(a.io.out, tidyRoff(page.Build(roff.NewDocument())))
			return err
		},
	}
}

// thLine is the man page's title line as mango writes it: its last field, the one-line
// description, is too long for the page's header (man prints it over the other fields).
var thLine = regexp.MustCompile(`(?m)^(\.TH [^"]* "[^"]*" "[^"]*") "[^"]*"$`)

// tidyRoff mends what mango makes of help texts written for a terminal: each line of a Long
// text becomes its own paragraph (sentences cut in half), a text line starting with ' is read
// as a roff control line (and lost), and the header's description field overprints it. Lines
// of one paragraph are joined again (roff fills them; indented lines still start a line of
// their own), a blank line of the help stays one paragraph break.
func tidyRoff(page string) string {
	page = thLine.ReplaceAllString(page, `$1 "User Commands"`)
	lines := strings.Split(page, "\n")
	var out []string
	isText := func(l string) bool { return l != "" && !strings.HasPrefix(l, ".") }
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l == ".PP" {
			j := i
			for j+1 < len(lines) && lines[j+1] == ".PP" {
				j++
			}
			next := ""
			if j+1 < len(lines) {
				next = lines[j+1]
			}
			switch {
			case j > i || len(out) == 0 || !isText(out[len(out)-1]) || !isText(next):
				out = append(out, ".PP") // a blank line of the help: a paragraph break
			case strings.HasPrefix(out[len(out)-1], " "):
				out = append(out, ".br") // after an indented line (an example): a line of its own
			}
			i = j
			continue
		}
		if strings.HasPrefix(l, "'") {
			l = `\&` + l // text, not a control line
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
