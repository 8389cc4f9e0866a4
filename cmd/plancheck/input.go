package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/plancheck/plancheck"
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
	return &cli.Int64Flag{Name: "max-size", Value: plan.DefaultMaxBytes, Usage: "refuse inputs larger than this many bytes"}
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

// unsupported names the formats people send that plancheck cannot read,
// with how to convert them.
var unsupported = map[string]string{
	".doc":  "a legacy Word file: convert it with `libreoffice --headless --convert-to txt:Text FILE`",
	".docx": "a Word file: .docx reading is not available yet; save it as plain text (`libreoffice --headless --convert-to txt:Text FILE`)",
	".wps":  "a WPS file: save it as .txt from WPS, or `libreoffice --headless --convert-to txt:Text FILE`",
	".pdf":  "a PDF: copy its text into a .txt file, or `pdftotext -layout FILE`",
}

// readSource reads a file, or standard input for "-", refusing formats it
// cannot read with a hint.
func readSource(c *cli.Context, name string) (*plan.Source, error) {
	if hint, ok := unsupported[strings.ToLower(filepath.Ext(name))]; ok {
		return nil, fmt.Errorf("%s: %s", name, hint)
	}
	if name == "-" {
		src, err := plan.ReadSource("<stdin>", c.App.Reader, c.Int64("max-size"))
		if err != nil {
			return nil, fmt.Errorf("<stdin>: %w", err)
		}
		return src, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", name)
	}
	src, err := plan.ReadSource(name, f, c.Int64("max-size"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return src, nil
}

func readPlan(c *cli.Context, name string, set *rules.Set) (*plan.Plan, error) {
	src, err := readSource(c, name)
	if err != nil {
		return nil, err
	}
	return plan.Parse(src, &set.Vocab), nil
}
