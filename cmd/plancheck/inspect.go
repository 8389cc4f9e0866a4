package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/plancheck/plancheck/plan"
)

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show what the rules will see: the parsed plan with positions and extracted owners, deadlines, targets",
		ArgsUsage: "FILE|-",
		Description: `Prints the document tree (--format tree) or the full model (--format json).
Every unit shows its kind, numbering, level and position (line:col-line:col,
columns in characters); items show the owners, deadlines, targets, vague
wording and quoted terms the extractors found.

Example:
   plancheck inspect fixtures/owner-missing.txt
   plancheck inspect --format json draft.txt | jq '.units[] | select(.kind=="heading")'`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "tree", Usage: "tree or json"},
			configFlag(),
			maxSizeFlag(),
		},
		Action: func(c *cli.Context) error {
			if err := checkArgsAreFiles(c); err != nil {
				return err
			}
			if c.NArg() != 1 {
				return cli.Exit("inspect takes one FILE (or - for standard input)", exitError)
			}
			set, err := loadRules(c)
			if err != nil {
				return err
			}
			doc, err := readPlan(c, c.Args().First(), set)
			if err != nil {
				return cli.Exit(err, exitError)
			}
			switch c.String("format") {
			case "json":
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(doc)
			case "tree":
				writeTree(c.App.Writer, doc)
				return nil
			default:
				return cli.Exit(fmt.Sprintf("unknown --format %q (want tree or json)", c.String("format")), exitError)
			}
		},
	}
}

// writeTree prints the plan as an indented outline, one unit a line, with
// what was extracted from it underneath.
func writeTree(w io.Writer, p *plan.Plan) {
	fmt.Fprintf(w, "%s  (%s, %d lines)\n", p.File, p.Encoding, p.Source.LineCount())
	meta := func(name string, m *plan.Match) {
		if m != nil {
			fmt.Fprintf(w, "  %-8s %s  %s\n", name, oneLine(m.Text), spanText(m.Span))
		}
	}
	meta("title", p.Title)
	if p.Year != 0 || p.Scope != "" {
		fmt.Fprintf(w, "  %-8s %d %s\n", "year", p.Year, p.Scope)
	}
	meta("draft", p.DraftMarker)
	meta("issuer", p.Issuer)
	meta("date", p.Date)
	if p.ReplyBy != nil {
		meta("reply by", &p.ReplyBy.Match)
	}
	fmt.Fprintln(w)
	var walk func(us []*plan.Unit, depth int)
	walk = func(us []*plan.Unit, depth int) {
		for _, u := range us {
			writeUnit(w, u, depth)
			walk(u.Children, depth+1)
		}
	}
	walk(p.Units, 0)
}

func writeUnit(w io.Writer, u *plan.Unit, depth int) {
	indent := strings.Repeat("  ", depth)
	head := string(u.Kind)
	if u.Level > 0 {
		head = fmt.Sprintf("%s L%d", u.Kind, u.Level)
	}
	text := u.Text
	if u.Title != nil && u.Kind != plan.KindTitle {
		text = u.Title.Text
	}
	if u.Label != "" && !strings.HasPrefix(text, u.Label) {
		text = u.Label + " " + text
	}
	if u.Short {
		head += " SHORT"
	}
	fmt.Fprintf(w, "%s%-13s %-22s %s\n", indent, head, spanText(u.Span), clip(oneLine(text), 48))
	sub := indent + "    "
	for _, c := range u.Cells {
		if c.Missing {
			fmt.Fprintf(w, "%s%-10s (missing) %s\n", sub, c.Column+":", spanText(c.Span))
			continue
		}
		fmt.Fprintf(w, "%s%-10s %s  %s\n", sub, c.Column+":", clip(oneLine(c.Text), 40), spanText(c.Span))
	}
	for _, o := range u.Owners {
		fmt.Fprintf(w, "%sowner     %s  %s (%s, %s)\n", sub, o.Name, spanText(o.Span), o.Role, o.Form)
	}
	for _, d := range u.Deadlines {
		when := d.Kind
		if d.From != "" {
			when = d.From + ".." + d.To
		}
		fmt.Fprintf(w, "%sdeadline  %s  %s → %s\n", sub, oneLine(d.Text), spanText(d.Span), when)
	}
	for _, t := range u.Targets {
		desc := fmt.Sprintf("%s %s %g", t.Indicator, t.Comparator, t.Value)
		if t.Value2 != 0 {
			desc += fmt.Sprintf("～%g", t.Value2)
		}
		desc += t.Unit
		if t.ByReference {
			desc = t.Indicator + " " + t.Comparator + " (by reference, no value)"
		}
		fmt.Fprintf(w, "%starget    %s  %s → %s\n", sub, oneLine(t.Text), spanText(t.Span), strings.TrimSpace(desc))
	}
	for _, v := range u.Vague {
		fmt.Fprintf(w, "%svague     %s  %s\n", sub, v.Text, spanText(v.Span))
	}
	for _, t := range u.Terms {
		note := ""
		if t.Slogan {
			note = " slogan"
			if !t.Explained {
				note += ", unexplained"
			}
		}
		fmt.Fprintf(w, "%sterm      %s  %s%s\n", sub, t.Text, spanText(t.Span), note)
	}
}

// spanText writes a span as line:col-line:col (columns in characters, end exclusive).
func spanText(s plan.Span) string {
	return fmt.Sprintf("%d:%d-%d:%d", s.Start.Line, s.Start.Col, s.End.Line, s.End.Col)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u3000", " ")), " ")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
