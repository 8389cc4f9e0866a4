package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/themes"
)

func traceCommand() *cli.Command {
	return &cli.Command{
		Name:      "trace",
		Usage:     "the traceability matrix: where the draft takes up each task of the higher-level plan",
		ArgsUsage: "DRAFT",
		Description: `One row per theme of the higher-level plan(s) (each heading and numbered
item) and per [[theme]] of the rule set: its place and text in the parent,
the verdict (covered, weak, missing, not-applicable), the score, and the
draft units that take it up with the phrases they share. Then the reverse
view: draft items that take up no theme (local initiatives, or off-topic).
Markdown and CSV paste into a 对照表; JSON is a documented contract (README).

Example:
   plancheck trace --parent 省2020要点.txt --format markdown 市2020要点征求意见稿.docx`,
		Flags: []cli.Flag{
			configFlag(),
			&cli.StringSliceFlag{Name: "parent", Usage: "a higher-level plan; repeat for several (default: `parent` in the config)"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text, markdown, csv or json"},
			maxSizeFlag(),
		},
		Action: func(c *cli.Context) error {
			if err := checkArgsAreFiles(c); err != nil {
				return err
			}
			if c.NArg() != 1 {
				return cli.Exit("trace takes one DRAFT", exitError)
			}
			set, err := loadRules(c)
			if err != nil {
				return err
			}
			x := plan.NewExtractor(&set.Vocab)
			parents, err := readParents(c, set, x)
			if err != nil {
				return cli.Exit(err.Error(), exitError)
			}
			if len(parents) == 0 && len(set.Themes) == 0 {
				return cli.Exit("trace needs a higher-level plan (--parent FILE, or parent = [...] in the config) or [[theme]] declarations", exitError)
			}
			in, err := readInput(c, c.Args().First())
			if err != nil {
				return cli.Exit(err.Error(), exitError)
			}
			draft := plan.ParseWith(in.Source, &set.Vocab, x)
			ck := checker.New(set)
			_, coverage, errs := ck.CheckAgainst(draft, parents)
			for _, e := range errs {
				fmt.Fprintln(c.App.ErrWriter, "plancheck:", e)
			}
			m := buildMatrix(draft, coverage, ck.Matcher().Unmatched(coverage, draft), set.NotApplicable)
			switch c.String("format") {
			case "text":
				writeMatrixText(c.App.Writer, m)
			case "markdown":
				writeMatrixMarkdown(c.App.Writer, m)
			case "csv":
				return writeMatrixCSV(c.App.Writer, m)
			case "json":
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(m)
			default:
				return cli.Exit(fmt.Sprintf("unknown --format %q (want text, markdown, csv or json)", c.String("format")), exitError)
			}
			if len(errs) > 0 {
				return cli.Exit("", exitError)
			}
			return nil
		},
	}
}

// matrix is the JSON contract of plancheck trace (documented in README).
type matrix struct {
	Draft     string        `json:"draft"`
	Themes    []matrixTheme `json:"themes"`
	Unmatched []matrixUnit  `json:"unmatched"`
}

type matrixTheme struct {
	ID      string        `json:"id"`
	Source  string        `json:"source"`
	Kind    string        `json:"kind"`
	Label   string        `json:"label,omitempty"`
	Text    string        `json:"text"`
	File    string        `json:"file,omitempty"`
	Line    int           `json:"line,omitempty"`
	Verdict string        `json:"verdict"`
	Reason  string        `json:"reason,omitempty"`
	Score   float64       `json:"score"`
	Matches []matrixMatch `json:"matches"`
}

type matrixMatch struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	Label    string   `json:"label,omitempty"`
	Text     string   `json:"text"`
	Score    float64  `json:"score"`
	Evidence []string `json:"evidence"`
}

type matrixUnit struct {
	File  string `json:"file"`
	Line  int    `json:"line"`
	Col   int    `json:"col"`
	Label string `json:"label,omitempty"`
	Text  string `json:"text"`
}

func buildMatrix(draft *plan.Plan, coverage []themes.Result, unmatched []*plan.Unit, notApplicable map[string]string) matrix {
	m := matrix{Draft: draft.File, Themes: []matrixTheme{}, Unmatched: []matrixUnit{}}
	for _, r := range coverage {
		t := matrixTheme{
			ID: r.Theme.ID, Source: "parent", Kind: r.Theme.Kind, Label: r.Theme.Label, Text: r.Theme.Title,
			File: r.Theme.File, Line: r.Theme.Start.Line, Verdict: r.Verdict, Reason: notApplicable[r.Theme.ID],
			Score: round3(r.Score), Matches: []matrixMatch{},
		}
		if r.Theme.Source == themes.SourceDeclared {
			t.Source, t.File, t.Line = "config", "", 0
		}
		if r.Verdict != themes.Missing && r.Verdict != themes.NotApplicable {
			for _, um := range r.Matches {
				mm := matrixMatch{File: draft.File, Line: um.Unit.Start.Line, Col: um.Unit.Start.Col, Label: unitLabel(um.Unit),
					Text: unitTitle(um.Unit), Score: round3(um.Score), Evidence: []string{}}
				for _, e := range um.Evidence {
					mm.Evidence = append(mm.Evidence, e.Phrase)
				}
				t.Matches = append(t.Matches, mm)
			}
		}
		m.Themes = append(m.Themes, t)
	}
	for _, u := range unmatched {
		m.Unmatched = append(m.Unmatched, matrixUnit{File: draft.File, Line: u.Start.Line, Col: u.Start.Col, Label: unitLabel(u), Text: unitTitle(u)})
	}
	return m
}

func unitTitle(u *plan.Unit) string {
	if u.Kind == plan.KindRow {
		for _, c := range u.Cells {
			if strings.Contains(c.Column, "任务") || strings.Contains(c.Column, "内容") {
				return oneLine(c.Text)
			}
		}
	}
	if u.Title != nil {
		return oneLine(u.Title.Text)
	}
	return clip(oneLine(u.Text), 40)
}

// unitLabel names a unit in the matrix: its label, or 分解表第N项 for a row.
func unitLabel(u *plan.Unit) string {
	if u.Kind == plan.KindRow {
		return "分解表第" + u.Label + "项 "
	}
	return u.Label
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

var verdictNames = map[string]string{
	themes.Covered: "已落实", themes.Weak: "落实不充分", themes.Missing: "未落实", themes.NotApplicable: "不适用",
}

func matchCell(t matrixTheme, sep string) string {
	var parts []string
	for _, mm := range t.Matches {
		parts = append(parts, fmt.Sprintf("第%d行 %s%s（%s）", mm.Line, mm.Label, clip(mm.Text, 20), strings.Join(mm.Evidence, "、")))
	}
	if t.Reason != "" {
		parts = append(parts, "理由："+t.Reason)
	}
	return strings.Join(parts, sep)
}

func parentCell(t matrixTheme) string {
	if t.Source == "config" {
		return "（配置）"
	}
	return fmt.Sprintf("%s 第%d行", t.File, t.Line)
}

func writeMatrixText(w io.Writer, m matrix) {
	for _, t := range m.Themes {
		fmt.Fprintf(w, "%-10s %-6s %.3f  %s %s%s\n", verdictNames[t.Verdict], t.ID, t.Score, parentCell(t), t.Label, clip(t.Text, 30))
		for _, mm := range t.Matches {
			fmt.Fprintf(w, "    → %s:%d:%d %s%s  [%s]\n", mm.File, mm.Line, mm.Col, mm.Label, clip(mm.Text, 30), strings.Join(mm.Evidence, "、"))
		}
	}
	if len(m.Unmatched) > 0 {
		fmt.Fprintf(w, "\n本稿中未对应上级部署的条目（%d）：\n", len(m.Unmatched))
		for _, u := range m.Unmatched {
			fmt.Fprintf(w, "    %s:%d:%d %s%s\n", u.File, u.Line, u.Col, u.Label, clip(u.Text, 40))
		}
	}
}

func mdCell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}

func writeMatrixMarkdown(w io.Writer, m matrix) {
	fmt.Fprintf(w, "# 上级部署落实对照表：%s\n\n", m.Draft)
	fmt.Fprintln(w, "| 序号 | 上级部署（位置） | 内容 | 落实情况 | 相似度 | 本稿对应条目（共同表述） |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for i, t := range m.Themes {
		fmt.Fprintf(w, "| %d | %s | %s | %s | %.3f | %s |\n", i+1, mdCell(parentCell(t)), mdCell(t.Label+t.Text),
			verdictNames[t.Verdict], t.Score, mdCell(matchCell(t, "；")))
	}
	if len(m.Unmatched) > 0 {
		fmt.Fprintf(w, "\n## 本稿中未对应上级部署的条目\n\n| 位置 | 条目 |\n|---|---|\n")
		for _, u := range m.Unmatched {
			fmt.Fprintf(w, "| 第%d行 | %s |\n", u.Line, mdCell(u.Label+u.Text))
		}
	}
}

// writeMatrixCSV writes UTF-8 with a BOM so that Excel opens it in Chinese.
func writeMatrixCSV(w io.Writer, m matrix) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	_ = cw.Write([]string{"序号", "编号", "上级部署位置", "内容", "落实情况", "相似度", "本稿对应条目"})
	for i, t := range m.Themes {
		_ = cw.Write([]string{fmt.Sprint(i + 1), t.ID, parentCell(t), t.Label + t.Text, verdictNames[t.Verdict], fmt.Sprintf("%.3f", t.Score), matchCell(t, "\n")})
	}
	for _, u := range m.Unmatched {
		_ = cw.Write([]string{"", "", "", u.Label + u.Text, "本稿独有", "", fmt.Sprintf("第%d行", u.Line)})
	}
	cw.Flush()
	return cw.Error()
}
