package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/plancheck/plancheck"
	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

func configFlag() cli.Flag {
	return &cli.StringFlag{
		Name:    "config",
		Aliases: []string{"rules"},
		Usage:   "rule file or project config (default: .plancheck.toml found upwards from the working directory, else the built-in rules)",
	}
}

func maxSizeFlag() cli.Flag {
	return &cli.Int64Flag{
		Name: "max-size", Value: plan.DefaultMaxBytes, Usage: "refuse inputs larger than this many bytes",
		Action: func(_ *cli.Context, v int64) error {
			if v < 1 {
				return cli.Exit(fmt.Sprintf("--max-size must be at least 1, not %d", v), exitError)
			}
			return nil
		},
	}
}

// loadRules loads --config, else the nearest .plancheck.toml, else the
// embedded default set. Rule-file errors exit 2 with every problem listed.
func loadRules(c *cli.Context) (*rules.Set, error) {
	path := c.String("config")
	if path == "" {
		if wd, err := os.Getwd(); err == nil {
			path, _ = rules.FindConfig(wd)
		}
	}
	var set *rules.Set
	var err error
	if path == "" {
		set, err = rules.LoadBuiltin(plancheck.DefaultRules, plancheck.DefaultRulesName)
	} else {
		set, err = rules.LoadFile(path, plancheck.DefaultRules)
	}
	if err != nil {
		return nil, cli.Exit(err.Error(), exitError)
	}
	return set, nil
}

// readInput reads a file, or standard input for "-", and decodes it (see
// checker.ReadInput), refusing inputs over --max-size.
func readInput(c *cli.Context, name string) (checker.Input, error) {
	display, r, size := name, io.Reader(nil), int64(0)
	if name == "-" {
		display, r = "<stdin>", c.App.Reader
	} else {
		f, err := os.Open(name)
		if err != nil {
			return checker.Input{}, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			if st.IsDir() {
				return checker.Input{}, fmt.Errorf("%s: is a directory", name)
			}
			size = st.Size()
		}
		r = f
	}
	max := c.Int64("max-size")
	tooLarge := func() error {
		return fmt.Errorf("%s: %w: more than %d bytes (raise the limit with --max-size)", display, plan.ErrTooLarge, max)
	}
	if size > max {
		return checker.Input{}, tooLarge()
	}
	// Read into a buffer of the file's size (plus room to see that it
	// ends), not one doubled as it fills; the limit still holds for
	// inputs whose size is not known (standard input, pipes).
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(r, max+1)); err != nil {
		return checker.Input{}, fmt.Errorf("%s: %w", display, err)
	}
	data := buf.Bytes()
	if int64(len(data)) > max {
		return checker.Input{}, tooLarge()
	}
	return checker.ReadInput(display, data)
}

func readPlan(c *cli.Context, name string, set *rules.Set) (*plan.Plan, error) {
	in, err := readInput(c, name)
	if err != nil {
		return nil, err
	}
	return plan.Parse(in.Source, &set.Vocab), nil
}
