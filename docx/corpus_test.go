package docx

// The tests here parse the renderings of the shared Word drafts with
// plan.Parse and compare them with the .txt versions parsed the same way.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
)

// testVocab reads the [vocab] table of the shipped rules.toml, or falls
// back to the few lists these tests need.
func testVocab(t *testing.T) *plan.Vocab {
	t.Helper()
	var cfg struct {
		Vocab plan.Vocab `toml:"vocab"`
	}
	if _, err := toml.DecodeFile("../rules.toml", &cfg); err == nil {
		return &cfg.Vocab
	}
	return &plan.Vocab{
		TableColumns:      []string{"序号", "具体任务", "责任处室", "责任人", "牵头领导", "完成时限"},
		DeferredDeadlines: []string{"根据省里要求", "按省统一进度"},
	}
}

func parseCorpusText(t *testing.T, name string) *plan.Plan {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	if os.IsNotExist(err) {
		t.Skipf("%s: ../shared absent", name)
	}
	require.NoError(t, err)
	src, err := plan.NewSource(name, data)
	require.NoError(t, err)
	return plan.Parse(src, testVocab(t))
}

// outline lists a plan's headings and items as label + title, squeezed
// of padding, the structure both readings must share.
func outline(p *plan.Plan) []string {
	var out []string
	p.Walk(func(u *plan.Unit) bool {
		if u.Kind == plan.KindHeading || u.Kind == plan.KindItem {
			title := ""
			if u.Title != nil {
				title = u.Title.Text
			}
			out = append(out, string(u.Kind)+" "+u.Label+squeeze(title))
		}
		return true
	})
	return out
}

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u3000' || r == '\t' || r == '\u00a0' || r == '\n' {
			return -1
		}
		return r
	}, s)
}

func TestParsePinghuDocx(t *testing.T) {
	d := readShared(t, "003-pinghu-draft.docx")
	p := plan.Parse(d.Source(), testVocab(t))
	items := p.Items()
	require.Len(t, items, 46)
	var numbers []int
	for _, it := range items[10:] {
		numbers = append(numbers, it.Number)
	}
	want := make([]int, 36)
	for i := range want {
		want[i] = i + 1
	}
	assert.Equal(t, want, numbers, "items 1–36 continue across the sections")

	var tops []string
	for _, u := range p.Units {
		if u.Kind == plan.KindHeading {
			tops = append(tops, u.Label)
		}
	}
	require.GreaterOrEqual(t, len(tops), 3)
	assert.Equal(t, []string{"一、", "一、", "二、"}, tops[:3], "the second top heading renders 一、 again")

	// Item 1's continuation paragraph (with the accepted change) is inside it.
	var item1 *plan.Unit
	for _, it := range items[10:] {
		if it.Number == 1 {
			item1 = it
			break
		}
	}
	require.NotNil(t, item1)
	assert.Contains(t, item1.Text, "管理、协调、督查，并及时")
	assert.NotContains(t, item1.Text, "督导")
	var paras int
	for _, c := range item1.Children {
		if c.Kind == plan.KindParagraph {
			paras++
		}
	}
	assert.Equal(t, 1, paras, "item 1 holds its continuation paragraph")

	assert.Equal(t, outline(parseCorpusText(t, "003_b8266a3591212cdf.txt")), outline(p))
}

func TestParseJiaxingDocx(t *testing.T) {
	d := readShared(t, "000-jiaxing-table.docx")
	p := plan.Parse(d.Source(), testVocab(t))
	assert.Len(t, p.Items(), 27)
	tables := p.OfKind(plan.KindTable)
	require.Len(t, tables, 1)
	table := tables[0]
	assert.Equal(t, []string{"序号", "", "具体任务", "责任处室", "责任人", "牵头领导", "完成时限"}, table.Columns)
	rows := table.Children
	require.Len(t, rows, 34)
	assert.True(t, rows[0].Short, "row 1's merged person cells leave it one short")
	c, ok := rows[0].Cell("完成时限")
	require.True(t, ok)
	assert.Equal(t, "12月底", c.Text)
	// The vertically merged group cell: its text in the first row, an
	// empty cell in the rows it spans.
	assert.Equal(t, "改革创新年", rows[0].Cells[1].Text)
	assert.Equal(t, "", rows[1].Cells[1].Text)
	assert.False(t, rows[1].Cells[1].Missing)

	txt := parseCorpusText(t, "000_61405fd166fa8747.txt")
	assert.Equal(t, outline(txt), outline(p))
	txtRows := txt.OfKind(plan.KindTable)[0].Children
	require.Len(t, txtRows, len(rows))
	for i, row := range rows {
		// 序号 10–34 are split over two paragraphs in the .docx ("1", "0"):
		// compare the cells after it.
		want, have := txtRows[i].Cells[1:], row.Cells[1:]
		require.Len(t, have, len(want), "row %d", i+1)
		for j := range want {
			assert.Equal(t, squeeze(want[j].Text), squeeze(have[j].Text), "row %d cell %d", i+1, j+2)
		}
	}
}
