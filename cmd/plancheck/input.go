package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/plancheck/plancheck"
	"github.com/plancheck/plancheck/docx"
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
	".doc": "a legacy Word file: convert it with `libreoffice --headless --convert-to docx FILE`",
	".wps": "a WPS file: save it as .docx from WPS, or `libreoffice --headless --convert-to docx FILE`",
	".pdf": "a PDF: convert the original document to .docx, or copy its text into a .txt file (`pdftotext -layout FILE`)",
}

// input is one draft as read: its text (for .docx, the rendering of the
// document) and, for a Word file, the document itself.
type input struct {
	src *plan.Source
	doc *docx.Document
}

// readInput reads a file, or standard input for "-": a .docx file (by its
// content, whatever its name) is rendered, anything else decoded as text.
// Formats it cannot read are refused with a hint.
func readInput(c *cli.Context, name string) (input, error) {
	if hint, ok := unsupported[strings.ToLower(filepath.Ext(name))]; ok {
		return input{}, fmt.Errorf("%s: %s", name, hint)
	}
	display, r := name, io.Reader(nil)
	if name == "-" {
		display, r = "<stdin>", c.App.Reader
	} else {
		f, err := os.Open(name)
		if err != nil {
			return input{}, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return input{}, fmt.Errorf("%s: is a directory", name)
		}
		r = f
	}
	max := c.Int64("max-size")
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return input{}, fmt.Errorf("%s: %w", display, err)
	}
	if int64(len(data)) > max {
		return input{}, fmt.Errorf("%s: %w: more than %d bytes (raise the limit with --max-size)", display, plan.ErrTooLarge, max)
	}
	if docx.IsDocx(data) || strings.EqualFold(filepath.Ext(name), ".docx") {
		doc, err := docx.Read(display, data, docx.DefaultLimits())
		if err != nil {
			return input{}, fmt.Errorf("%s: %w", display, err)
		}
		return input{src: doc.Source(), doc: doc}, nil
	}
	src, err := plan.NewSource(display, data)
	if err != nil {
		return input{}, fmt.Errorf("%s: %w", display, err)
	}
	return input{src: src}, nil
}

func readPlan(c *cli.Context, name string, set *rules.Set) (*plan.Plan, error) {
	in, err := readInput(c, name)
	if err != nil {
		return nil, err
	}
	return plan.Parse(in.src, &set.Vocab), nil
}
