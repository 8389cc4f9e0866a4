package plancheck_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck"
	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/docx"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

const corpusDir = "../shared/corpus"

func builtin(t testing.TB) *rules.Set {
	t.Helper()
	set, err := rules.LoadBuiltin(plancheck.DefaultRules, plancheck.DefaultRulesName)
	require.NoError(t, err)
	return set
}

// checkCorpus runs the built-in rules over a corpus file, skipping when
// ../shared is absent.
func checkCorpus(t *testing.T, name string) (*plan.Plan, []rules.Finding) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	if os.IsNotExist(err) {
		t.Skipf("%s: ../shared absent", name)
	}
	require.NoError(t, err)
	set := builtin(t)
	src, err := plan.NewSource(name, data)
	require.NoError(t, err)
	p := plan.Parse(src, &set.Vocab)
	fs, errs := checker.New(set).Check(p)
	require.Empty(t, errs)
	return p, fs
}

func byRule(fs []rules.Finding, id string) []rules.Finding {
	var out []rules.Finding
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

func TestAcceptancePinghu(t *testing.T) {
	p, fs := checkCorpus(t, "003_b8266a3591212cdf.txt")
	items := p.Items()
	require.Len(t, items, 46)
	owner := map[int]bool{}
	for _, f := range byRule(fs, "owner-missing") {
		owner[f.Start.Line] = true
	}
	for _, it := range items[10:] {
		assert.True(t, owner[it.Start.Line], "重点工作 item %d has no owner-missing finding", it.Number)
	}
	dup := byRule(fs, "numbering-duplicate")
	require.Len(t, dup, 1)
	assert.Equal(t, 24, dup[0].Start.Line, "the second 一、")
	assert.Equal(t, "一、", dup[0].Excerpt)

	unmeasurable := map[int]bool{}
	for _, f := range byRule(fs, "target-unmeasurable") {
		unmeasurable[f.Start.Line] = true
	}
	assert.False(t, unmeasurable[64], "item 6 has targets (95%以上, 85%以上)")
	assert.False(t, unmeasurable[68], "item 8 has targets")
	assert.True(t, unmeasurable[61], "item 4 only 加强/促进")

	noPeriod := byRule(fs, "item-no-period")
	require.Len(t, noPeriod, 1, "only item 28 lacks its final 。 (统一标，营造环境 is not a finding)")
	assert.Equal(t, 121, noPeriod[0].Start.Line)
	assert.Equal(t, "象", noPeriod[0].Excerpt)
}

func TestAcceptanceJiaxingTable(t *testing.T) {
	_, fs := checkCorpus(t, "000_61405fd166fa8747.txt")
	short := byRule(fs, "table-row-incomplete")
	require.Len(t, short, 1)
	assert.Equal(t, 81, short[0].Start.Line, "row 1")
	assert.Contains(t, short[0].Message, "牵头领导")

	var deferredRows []int
	for _, f := range byRule(fs, "deadline-deferred") {
		if len(f.Section) > 0 && f.Start.Line > 70 {
			deferredRows = append(deferredRows, f.Start.Line)
		}
	}
	assert.Equal(t, []int{158, 317, 357, 365}, deferredRows, "rows 10, 27, 32, 33")
	for _, f := range byRule(fs, "owner-missing") {
		assert.Less(t, f.Start.Line, 70, "no owner-missing on table rows with a 责任处室: %s", f.Message)
	}
	typos := byRule(fs, "typo")
	require.Len(t, typos, 1)
	assert.Equal(t, "选拨", typos[0].Excerpt)
	assert.Equal(t, 21, typos[0].Start.Line)
	assert.Contains(t, typos[0].Suggestion, "选拔")
}

func TestAcceptanceQinhuangdao(t *testing.T) {
	p, fs := checkCorpus(t, "001_ac02b3254bada0ac.txt")
	var item24 *plan.Unit
	for _, it := range p.Items() {
		if it.Style == plan.StyleCnParen && it.Number == 24 {
			item24 = it
		}
	}
	require.NotNil(t, item24)
	for _, f := range byRule(fs, "owner-missing") {
		assert.NotEqual(t, item24.Start.Line, f.Start.Line, "item (二十四) names 中医科")
	}
	commas := byRule(fs, "punct-halfwidth")
	require.NotEmpty(t, commas)
	src := p.Source
	// Paragraphs are single lines in this file: at most 3 findings a line.
	perLine := map[int]int{}
	for _, f := range commas {
		runes := []rune(src.LineText(f.Start.Line))
		assert.Equal(t, f.Excerpt, string(runes[f.Start.Col-1:f.End.Col-1]), "%d:%d", f.Start.Line, f.Start.Col)
		perLine[f.Start.Line]++
	}
	capped := 0
	for line, n := range perLine {
		assert.LessOrEqual(t, n, 3, "line %d: half-width findings are capped per paragraph", line)
		if n == 3 {
			capped++
		}
	}
	assert.Positive(t, capped, "some paragraphs hit the cap")
}

func TestAcceptanceShenzhenMixedDot(t *testing.T) {
	_, fs := checkCorpus(t, "002_2032df219b2d64b3.txt")
	mixed := byRule(fs, "numbering-style-mixed")
	require.Len(t, mixed, 1)
	assert.Equal(t, "33.", mixed[0].Excerpt)
	assert.Equal(t, 45, mixed[0].Start.Line)
}

// Every finding's excerpt is what its span addresses in the original file.
func TestAcceptanceExcerptsMatchSource(t *testing.T) {
	names, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if len(names) == 0 {
		t.Skip("../shared absent")
	}
	for _, n := range names {
		rel, _ := filepath.Rel(corpusDir, n)
		p, fs := checkCorpus(t, rel)
		orig := p.Source.Original()
		for _, f := range fs {
			assert.Equal(t, f.Excerpt, string(orig[f.Start.Offset:f.End.Offset]), "%s:%d:%d %s", rel, f.Start.Line, f.Start.Col, f.RuleID)
		}
	}
}

func BenchmarkLoadBuiltin(b *testing.B) {
	for b.Loop() {
		if _, err := rules.LoadBuiltin(plancheck.DefaultRules, plancheck.DefaultRulesName); err != nil {
			b.Fatal(err)
		}
	}
}

// A Word draft and its text version get the same findings (rule and
// excerpt), except those only typed numbering can cause (the label's own
// punctuation is not in a Word paragraph's text) and the tracked change
// (督导 in the .txt reads 督查 in the .docx).
func TestAcceptanceDocxMatchesText(t *testing.T) {
	for _, tc := range []struct{ docx, txt string }{
		{"003-pinghu-draft.docx", "003_b8266a3591212cdf.txt"},
		{"000-jiaxing-table.docx", "000_61405fd166fa8747.txt"},
	} {
		t.Run(tc.docx, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../shared/docx", tc.docx))
			if os.IsNotExist(err) {
				t.Skip("../shared absent")
			}
			require.NoError(t, err)
			set := builtin(t)
			doc, err := docx.Read(tc.docx, data, docx.DefaultLimits())
			require.NoError(t, err)
			p := plan.Parse(doc.Source(), &set.Vocab)
			fromDocx, errs := checker.New(set).Check(p)
			require.Empty(t, errs)
			_, fromText := checkCorpus(t, tc.txt)
			count := func(fs []rules.Finding) map[string]int {
				m := map[string]int{}
				for _, f := range fs {
					if f.RuleID == "numbering-style-mixed" {
						continue // typed numbering only
					}
					m[f.RuleID+" "+f.Excerpt]++
				}
				return m
			}
			assert.Equal(t, count(fromText), count(fromDocx))
			// The same table model: row labels and group paths.
			textPlan, _ := checkCorpus(t, tc.txt)
			rowPaths := func(p *plan.Plan) []string {
				var out []string
				for _, r := range p.OfKind(plan.KindRow) {
					out = append(out, r.Label+"@"+strings.Join(r.Path, "/"))
				}
				return out
			}
			assert.Equal(t, rowPaths(textPlan), rowPaths(p))
			for _, f := range fromDocx {
				require.Positive(t, f.Start.Para, "%s %q has a paragraph position", f.RuleID, f.Excerpt)
				if f.End.Para != f.Start.Para || f.Excerpt == doc.Label(f.Start.Para) {
					continue // across paragraphs, or on Word's own numbering
				}
				// The paragraph and character address the excerpt in the document itself.
				para := []rune(doc.ParaText(f.Start.Para))
				require.LessOrEqual(t, f.End.ParaChar-1, len(para), "%s %q", f.RuleID, f.Excerpt)
				assert.Equal(t, f.Excerpt, string(para[f.Start.ParaChar-1:f.End.ParaChar-1]), "%s at 段落 %d, 第%d字", f.RuleID, f.Start.Para, f.Start.ParaChar)
			}
		})
	}
}

// A Word table split across pages (two tables, the header repeated) reads
// as one table, and a plan with no numbered sections still has its table.
func TestAcceptanceDocxSplitTable(t *testing.T) {
	data, err := os.ReadFile("fixtures/docx/tables.docx")
	require.NoError(t, err)
	doc, err := docx.Read("tables.docx", data, docx.DefaultLimits())
	require.NoError(t, err)
	p := plan.Parse(doc.Source(), &builtin(t).Vocab)
	tables := p.OfKind(plan.KindTable)
	require.Len(t, tables, 1)
	var labels []string
	for _, r := range tables[0].Children {
		labels = append(labels, r.Label)
	}
	assert.Equal(t, []string{"1", "2", "3", "4", "5", "6", "7", "8"}, labels)
}
