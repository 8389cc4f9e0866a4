package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:  "rules",
		Usage: "list the rules, the functions rules may call, and test rules against fixture drafts",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the rules in force (after .plancheck.toml or --config)",
				Description: `Prints one line per rule: id, severity, scope, title, and "off" for disabled
rules. With --verbose, every field of the merged rule (where it was defined,
its expressions, its rationale) and the vocabulary lists.`,
				Flags: []cli.Flag{
					configFlag(),
					&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "show every field"},
					&cli.BoolFlag{Name: "markdown", Usage: "print a Markdown table of the rules (README's table is made with it)"},
				},
				Action: func(c *cli.Context) error {
					set, err := loadRules(c)
					if err != nil {
						return err
					}
					if c.Bool("markdown") {
						writeRuleTable(c.App.Writer, set)
						return nil
					}
					writeRules(c.App.Writer, set, c.Bool("verbose"))
					return nil
				},
			},
			{
				Name:  "functions",
				Usage: "list the functions rule expressions may call, with signatures and examples",
				Action: func(c *cli.Context) error {
					for _, f := range rules.Functions() {
						fmt.Fprintf(c.App.Writer, "%s\n", f.Signature)
						fmt.Fprintf(c.App.Writer, "    %s\n    e.g. %s\n\n", f.Doc, f.Example)
					}
					return nil
				},
			},
			{
				Name:      "test",
				Usage:     "run fixture drafts (X.txt with X.want beside it) against the rules",
				ArgsUsage: "[DIR]",
				Description: `Every X.txt in DIR (default: fixtures/rules) that has an X.want beside it is
checked; each line of X.want is an expected finding:

   LINE:COL-ENDLINE:ENDCOL rule-id "excerpt"

(columns in characters, 1-based, end exclusive). A "# rules: id1 id2" line
limits the comparison to those rules. Every finding must be expected and
every expectation found. --update rewrites the .want files from the
current findings: review the diff before you commit it.`,
				Flags: []cli.Flag{configFlag(), &cli.BoolFlag{Name: "update", Usage: "rewrite the .want files"}},
				Action: func(c *cli.Context) error {
					if err := checkArgsAreFiles(c); err != nil {
						return err
					}
					dir := "fixtures/rules"
					if c.NArg() > 0 {
						dir = c.Args().First()
					}
					set, err := loadRules(c)
					if err != nil {
						return err
					}
					parse := func(name string, data []byte) (*plan.Plan, error) {
						src, err := plan.NewSource(name, data)
						if err != nil {
							return nil, err
						}
						return plan.Parse(src, &set.Vocab), nil
					}
					if c.Bool("update") {
						if err := checker.UpdateFixtures(dir, set, parse); err != nil {
							return cli.Exit(err.Error(), exitError)
						}
						return nil
					}
					results, err := checker.RunFixtures(dir, set, parse)
					if err != nil {
						return cli.Exit(err.Error(), exitError)
					}
					failed := 0
					for _, r := range results {
						if r.OK() {
							continue
						}
						failed++
						for _, p := range r.Problems {
							fmt.Fprintln(c.App.Writer, p)
						}
					}
					fmt.Fprintf(c.App.Writer, "%d passed, %d failed\n", len(results)-failed, failed)
					if failed > 0 {
						return cli.Exit("", exitFindings)
					}
					return nil
				},
			},
		},
	}
}

func writeRules(w io.Writer, set *rules.Set, verbose bool) {
	for _, r := range set.Rules {
		state := ""
		if !r.Enabled {
			state = "  (off)"
		}
		fmt.Fprintf(w, "%-24s %-8s %-10s %s%s\n", r.ID, r.Severity, r.Scope, r.Title, state)
		if !verbose {
			continue
		}
		field := func(name, value string) {
			if value != "" {
				fmt.Fprintf(w, "    %-11s %s\n", name+":", strings.ReplaceAll(strings.TrimSpace(value), "\n", "\n                "))
			}
		}
		field("defined", fmt.Sprintf("%s:%d", r.File, r.Line))
		field("when", r.When)
		field("check", r.Check)
		field("message", r.Message)
		field("suggestion", r.Suggestion)
		field("rationale", r.Rationale)
		field("tags", strings.Join(r.Tags, ", "))
		if r.MaxPerUnit > 0 {
			field("max/unit", fmt.Sprint(r.MaxPerUnit))
		}
		fmt.Fprintln(w)
	}
	if verbose {
		fmt.Fprintf(w, "files merged: %s\n\nvocabulary:\n", strings.Join(set.Files, ", "))
		for _, name := range sortedKeys(set.Lists) {
			fmt.Fprintf(w, "  %s (%d): %s\n", name, len(set.Lists[name]), strings.Join(set.Lists[name], " "))
		}
	}
}

// writeRuleTable prints the rule records as the Markdown table README shows.
func writeRuleTable(w io.Writer, set *rules.Set) {
	fmt.Fprintln(w, "| id | 规则 | severity | scope | tags |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, r := range set.Rules {
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s |\n", r.ID, r.Title, r.Severity, r.Scope, strings.Join(r.Tags, ", "))
	}
}

func sortedKeys(m map[string][]string) []string {
	return slices.Sorted(maps.Keys(m))
}
