package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/draftsmail/drafts/config"
)

func (a *app) configCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Manage the settings file",
		Args:  subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	var force bool
	initCmd := &cobra.Command{
		Use:   "init [--force]",
		Short: "Write a commented example settings file",
		Long: `Write a commented example settings file at --config, $DRAFTS_CONFIG, or the default
place (config.toml in the drafts folder of your config directory, e.g.
~/.config/drafts/config.toml on Linux). It refuses to replace an existing file unless
--force is given. Every key in it is commented out; remove the "#" to use one.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, _, err := config.ConfigPath(a.flags, a.getenv)
			if err != nil {
				return usageErrorf("%v", err)
			}
			if err := config.WriteExample(path, force); err != nil {
				return err
			}
			fmt.Fprintf(a.io.out, "wrote %s\n", path)
			fmt.Fprintln(a.io.err, "next: set client_id in it (see the comments), then run 'drafts login'")
			return nil
		},
	}
	initCmd.Flags().BoolVar(&force, "force", false, "replace an existing file")
	cmd.AddCommand(initCmd)
	return cmd
}
