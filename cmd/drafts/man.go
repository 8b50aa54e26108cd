package main

import (
	"fmt"

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
			_, err = fmt.Fprint(a.io.out, page.Build(roff.NewDocument()))
			return err
		},
	}
}
