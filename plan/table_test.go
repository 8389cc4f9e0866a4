package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tableCorpusDir is the shared acceptance data beside the checkout.
const tableCorpusDir = "../../shared/corpus"

// tableTestVocab holds the column names the table tests rely on, so they
// do not depend on the shipped rules.toml.
func tableTestVocab() *Vocab {
	return &Vocab{
		TableColumns:      []string{"序号", "任务", "责任处室", "责任单位", "责任人", "牵头领导", "完成时限"},
		DeferredDeadlines: []string{"根据省里要求", "按省统一进度"},
	}
}

func tableSource(t *testing.T, text string) *Source {
	t.Helper()
	src, err := NewSource("t.txt", []byte(text))
	require.NoError(t, err)
	return src
}

func tpos(line, col, off int) Position { return Position{Line: line, Col: col, Offset: off} }

// wantCell is a cell expected at an exact place.
type wantCell struct {
	row     int
	column  string
	text    string
	missing bool
	start   Position
	end     Position
}

func checkCells(t *testing.T, table *Unit, want []wantCell) {
	t.Helper()
	for _, w := range want {
		require.Less(t, w.row, len(table.Children), "row %d", w.row)
		c, ok := table.Children[w.row].Cell(w.column)
		require.True(t, ok, "row %d column %q", w.row, w.column)
		assert.Equal(t, w.text, c.Text, "row %d column %q", w.row, w.column)
		assert.Equal(t, w.missing, c.Missing, "row %d column %q missing", w.row, w.column)
		assert.Equal(t, w.start, c.Start, "row %d column %q start", w.row, w.column)
		assert.Equal(t, w.end, c.End, "row %d column %q end", w.row, w.column)
	}
}

func TestParseTableInline(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		first   int
		last    int
		columns []string
		labels  []string
		short   []bool
		texts   []string
		span    Span
		rowSpan []Span
		cells   []wantCell
	}{{
		name: "one cell per line",
		text: "附件\n\n\t序号\n\t工作任务\n\t责任单位\n\t完成时限\n\n" +
			"\t1\n\t制定方案。\n\t办公室\n\n宣传处\n\t6月底\n\n" + // a cell of two paragraphs
			"\t2\n\t开展培训。\n\t\n\t年底前\n\n" + // an empty cell
			"\t3\n\t完成评估。\n\t9月底\n\n" + // short, a deadline last: the gap in the middle
			"\t4\n\t编制目录。\n\t医政处\n\n" + // short, no deadline: the gap at the end
			"以上任务按期完成。\n",
		first:   3,
		last:    26,
		columns: []string{"序号", "工作任务", "责任单位", "完成时限"},
		labels:  []string{"1", "2", "3", "4"},
		short:   []bool{false, false, true, true},
		texts:   []string{"1\t制定方案。\t办公室\n\n宣传处\t6月底", "2\t开展培训。\t\t年底前", "3\t完成评估。\t\t9月底", "4\t编制目录。\t医政处\t"},
		span:    Span{tpos(3, 1, 8), tpos(26, 5, 205)},
		rowSpan: []Span{{tpos(8, 1, 59), tpos(13, 5, 109)}, {tpos(15, 1, 111), tpos(18, 5, 143)}, {tpos(20, 1, 145), tpos(22, 5, 173)}, {tpos(24, 1, 175), tpos(26, 5, 205)}},
		cells: []wantCell{
			{0, "序号", "1", false, tpos(8, 2, 60), tpos(8, 3, 61)},
			{0, "责任单位", "办公室\n\n宣传处", false, tpos(10, 2, 80), tpos(12, 4, 100)},
			{0, "完成时限", "6月底", false, tpos(13, 2, 102), tpos(13, 5, 109)},
			{1, "责任单位", "", false, tpos(17, 2, 132), tpos(17, 2, 132)},
			{2, "工作任务", "完成评估。", false, tpos(21, 2, 149), tpos(21, 7, 164)},
			{2, "责任单位", "", true, tpos(21, 7, 164), tpos(21, 7, 164)},
			{2, "完成时限", "9月底", false, tpos(22, 2, 166), tpos(22, 5, 173)},
			{3, "责任单位", "医政处", false, tpos(26, 2, 196), tpos(26, 5, 205)},
			{3, "完成时限", "", true, tpos(26, 5, 205), tpos(26, 5, 205)},
		},
	}, {
		name: "one row per line",
		text: "序号\t任务\t责任单位\t完成时限\n" +
			"1\t任务甲\t办公室\t3月底\n" +
			"2\t任务乙\t\t\n" + // two empty cells
			"3\t任务丙\n" + // short, no deadline
			"\n说明：无。\n",
		first:   1,
		last:    4,
		columns: []string{"序号", "任务", "责任单位", "完成时限"},
		labels:  []string{"1", "2", "3"},
		short:   []bool{false, false, true},
		texts:   []string{"1\t任务甲\t办公室\t3月底", "2\t任务乙\t\t", "3\t任务丙\t\t"},
		span:    Span{tpos(1, 1, 0), tpos(4, 6, 95)},
		rowSpan: []Span{{tpos(2, 1, 40), tpos(2, 14, 69)}, {tpos(3, 1, 70), tpos(3, 8, 83)}, {tpos(4, 1, 84), tpos(4, 6, 95)}},
		cells: []wantCell{
			{0, "完成时限", "3月底", false, tpos(2, 11, 62), tpos(2, 14, 69)},
			{1, "责任单位", "", false, tpos(3, 7, 82), tpos(3, 7, 82)},
			{1, "完成时限", "", false, tpos(3, 8, 83), tpos(3, 8, 83)},
			{2, "责任单位", "", true, tpos(4, 6, 95), tpos(4, 6, 95)},
			{2, "完成时限", "", true, tpos(4, 6, 95), tpos(4, 6, 95)},
		},
	}, {
		name:    "cells ended by tabs",
		text:    "序号\t任务\t责任单位\t\n1\t任务甲\t办公室\t\n2\t任务乙\t\t\n",
		first:   1,
		last:    3,
		columns: []string{"序号", "任务", "责任单位"},
		labels:  []string{"1", "2"},
		short:   []bool{false, false},
		texts:   []string{"1\t任务甲\t办公室", "2\t任务乙\t"},
		span:    Span{tpos(1, 1, 0), tpos(3, 8, 64)},
		rowSpan: []Span{{tpos(2, 1, 28), tpos(2, 11, 50)}, {tpos(3, 1, 51), tpos(3, 8, 64)}},
		cells: []wantCell{
			{0, "责任单位", "办公室", false, tpos(2, 7, 40), tpos(2, 10, 49)},
			{1, "责任单位", "", false, tpos(3, 7, 63), tpos(3, 7, 63)},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tableSource(t, tt.text)
			v := tableTestVocab()
			last, ok := tableAt(src, tt.first, v)
			require.True(t, ok)
			assert.Equal(t, tt.last, last)
			table := parseTable(src, tt.first, last, v)
			require.NotNil(t, table)
			assert.Equal(t, KindTable, table.Kind)
			assert.Equal(t, tt.columns, table.Columns)
			assert.Equal(t, strings.Join(tt.columns, "\t"), table.Text)
			assert.Equal(t, tt.span, table.Span)
			require.Len(t, table.Children, len(tt.labels))
			for i, row := range table.Children {
				assert.Equal(t, KindRow, row.Kind)
				assert.Equal(t, tt.labels[i], row.Label)
				assert.Equal(t, i+1, row.Number)
				assert.Equal(t, tt.short[i], row.Short, "row %d short", i)
				assert.Equal(t, tt.texts[i], row.Text, "row %d text", i)
				assert.Equal(t, tt.rowSpan[i], row.Span, "row %d span", i)
				assert.Len(t, row.Cells, len(tt.columns))
				assert.Same(t, table, row.Parent)
				assert.Same(t, src, row.Source())
				s, e := row.Body()
				assert.Equal(t, src.Span(s, e), row.Span)
				assert.Nil(t, row.Path)
			}
			checkCells(t, table, tt.cells)
		})
	}
}

func TestParseTableLinks(t *testing.T) {
	src := tableSource(t, "序号\t任务\n1\t甲\n2\t乙\n3\t丙\n")
	table := parseTable(src, 1, 4, tableTestVocab())
	require.NotNil(t, table)
	rows := table.Children
	require.Len(t, rows, 3)
	assert.Nil(t, rows[0].Prev)
	assert.Same(t, rows[1], rows[0].Next)
	assert.Same(t, rows[0], rows[1].Prev)
	assert.Same(t, rows[2], rows[1].Next)
	assert.Nil(t, rows[2].Next)
}

func TestParseTableGroupColumn(t *testing.T) {
	// Rows one cell wider than the header: column 1 is a merged group label,
	// mostly empty; 乙\n组 is a label written over two lines.
	src := tableSource(t, "\t序号\n\t任务\n\t责任单位\n\n"+
		"\t1\n\t甲组\n\t任务一\n\t办公室\n\n"+
		"\t2\n\t\n\t任务二\n\t医政处\n\n"+
		"\t3\n\t\n\t任务三\n\t法规处\n\n"+
		"\t4\n\t乙\n组\n\t任务四\n\t办公室\n\n"+
		"\t5\n\t\n\t任务五\n\t医政处\n")
	table := parseTable(src, 1, src.LineCount(), tableTestVocab())
	require.NotNil(t, table)
	assert.Equal(t, []string{"序号", "", "任务", "责任单位"}, table.Columns)
	var paths []string
	for _, row := range table.Children {
		require.Len(t, row.Path, 1)
		paths = append(paths, row.Path[0])
	}
	assert.Equal(t, []string{"甲组", "甲组", "甲组", "乙组", "乙组"}, paths)
	c, ok := table.Children[3].Cell("")
	require.True(t, ok)
	assert.Equal(t, "乙\n组", c.Text)
	assert.Equal(t, Span{tpos(21, 2, 125), tpos(22, 2, 132)}, c.Span)
	task, ok := table.Children[3].Cell("任务")
	require.True(t, ok)
	assert.Equal(t, "任务四", task.Text)
}

func TestParseTableExtraCells(t *testing.T) {
	// One row in three is wider, and its extra cell is not a mostly empty
	// column: it is kept beyond the columns, nothing is missing.
	src := tableSource(t, "序号\t任务\t责任单位\n1\t甲\t办公室\n2\t乙\t医政处\t备注\n3\t丙\t法规处\n")
	table := parseTable(src, 1, 4, tableTestVocab())
	require.NotNil(t, table)
	assert.Equal(t, []string{"序号", "任务", "责任单位"}, table.Columns)
	row := table.Children[1]
	require.Len(t, row.Cells, 4)
	assert.False(t, row.Short)
	extra := row.Cells[3]
	assert.Equal(t, "", extra.Column)
	assert.Equal(t, "备注", extra.Text)
	assert.False(t, extra.Missing)
	assert.Equal(t, Span{tpos(3, 9, 59), tpos(3, 11, 65)}, extra.Span)
	for _, c := range row.Cells {
		assert.False(t, c.Missing)
	}
}

func TestTableAtBounds(t *testing.T) {
	tests := []struct {
		name string
		text string
		line int
		last int // 0: no table
	}{
		{"ordinary text", "一、总体要求\n\n坚持问题导向。\n", 1, 0},
		{"tab-indented paragraph", "\t这是一个缩进段落。\n\n\t又一个段落。\n", 1, 0},
		{"one column named", "\t序号\n\t内容\n\n\t1\n\t甲\n", 1, 0},
		{"header without rows", "\t序号\n\t责任单位\n\n正文。\n", 1, 0},
		{"inside a header", "\t序号\n\t任务\n\t责任单位\n\n\t1\n\t甲\n\t办公室\n", 2, 0},
		{"inside a row-per-line table", "序号\t任务\n1\t甲\n序号\t任务\n", 3, 0},
		{"text after the table", "\t序号\n\t任务\n\n\t1\n\t甲\n\n正文。\n\n再一段。\n", 1, 5},
		{"a tab-indented paragraph after a numbered table", "\t序号\n\t任务\n\n\t1\n\t甲\n\n\t正文缩进段落。\n", 1, 5},
		{"text between rows continues a cell", "\t序号\n\t任务\n\n\t1\n\t甲\n\n说明文字\n\n\t2\n\t乙\n", 1, 10},
		{"a cell over lines without a blank", "\t序号\n\t任务\n\n\t1\n\t服务\n提升年\n", 1, 6},
		{"an unnumbered row (merged 序号)", "\t序号\n\t任务\n\n\t1\n\t甲\n\n\t\n\t乙\n", 1, 8},
		{"a second table ends the first", "\t序号\n\t任务\n\n\t1\n\t甲\n\n\t序号\n\t责任单位\n\n\t1\n\t办公室\n", 1, 5},
		{"the second table", "\t序号\n\t任务\n\n\t1\n\t甲\n\n\t序号\n\t责任单位\n\n\t1\n\t办公室\n", 7, 11},
		{"rows after a blank line", "序号\t任务\n1\t甲\n\n2\t乙\n正文。\n", 1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tableSource(t, tt.text)
			last, ok := tableAt(src, tt.line, tableTestVocab())
			assert.Equal(t, tt.last != 0, ok)
			assert.Equal(t, tt.last, last)
		})
	}
}

func TestParseTableContinuation(t *testing.T) {
	src := tableSource(t, "\t序号\n\t任务\n\n\t1\n\t甲\n\n说明文字\n\n\t2\n\t乙\n")
	table := parseTable(src, 1, 10, tableTestVocab())
	require.NotNil(t, table)
	require.Len(t, table.Children, 2)
	c, ok := table.Children[0].Cell("任务")
	require.True(t, ok)
	assert.Equal(t, "甲\n\n说明文字", c.Text)
	assert.Equal(t, Span{tpos(5, 2, 21), tpos(7, 5, 38)}, c.Span)
}

func tableCorpus(t *testing.T, name string) *Source {
	t.Helper()
	path := filepath.Join(tableCorpusDir, name)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("%s: ../shared absent", name)
	}
	require.NoError(t, err)
	src, err := NewSource(name, data)
	require.NoError(t, err)
	return src
}

func TestTableCorpusJiaxing(t *testing.T) {
	src := tableCorpus(t, "000_61405fd166fa8747.txt")
	v := tableTestVocab()
	var tables []*Unit
	for n := 1; n <= src.LineCount(); n++ {
		if last, ok := tableAt(src, n, v); ok {
			tables = append(tables, parseTable(src, n, last, v))
			n = last
		}
	}
	require.Len(t, tables, 1)
	table := tables[0]
	require.NotNil(t, table)
	assert.Equal(t, []string{"序号", "", "具体任务", "责任处室", "责任人", "牵头领导", "完成时限"}, table.Columns)
	rows := table.Children
	require.Len(t, rows, 34)
	// The table runs to the last row's last cell; the header is its start.
	assert.Equal(t, rows[33].Cells[6].End, table.End)
	assert.Equal(t, "\t序号", src.LineText(table.Start.Line))
	assert.Equal(t, 1, table.Start.Col)
	for i, row := range rows {
		assert.Equal(t, i+1, row.Number)
		assert.Equal(t, i == 0, row.Short, "row %d", i+1)
		assert.Len(t, row.Cells, 7, "row %d", i+1)
	}

	first := rows[0]
	deadline, ok := first.Cell("完成时限")
	require.True(t, ok)
	assert.Equal(t, "12月底", deadline.Text)
	var missing []string
	for _, c := range first.Cells {
		if c.Missing {
			missing = append(missing, c.Column)
		}
	}
	assert.Equal(t, []string{"牵头领导"}, missing)
	person, _ := first.Cell("责任人")
	assert.Equal(t, "李金大", person.Text)
	gap, _ := first.Cell("牵头领导")
	assert.Equal(t, person.End, gap.Start)
	assert.Equal(t, person.End, gap.End)

	unit, _ := rows[10].Cell("责任处室")
	assert.Contains(t, unit.Text, "组织人事处")
	assert.Contains(t, unit.Text, "宣传处")
	assert.Less(t, unit.Start.Line, unit.End.Line)
	for _, n := range []int{10, 27, 32, 33} {
		c, _ := rows[n-1].Cell("完成时限")
		assert.True(t, strings.HasPrefix(c.Text, "根据"), "row %d: %q", n, c.Text)
	}
	when, _ := rows[25].Cell("完成时限")
	assert.Equal(t, "10月1日前后", when.Text)

	for i, row := range rows {
		want := "服务提升年"
		switch {
		case i < 13:
			want = "改革创新年"
		case i < 18:
			want = "接轨深化年"
		}
		assert.Equal(t, []string{want}, row.Path, "row %d", i+1)
	}

	orig := src.Original()
	for _, c := range []Cell{deadline, person, unit, when, rows[0].Cells[0], rows[18].Cells[1]} {
		assert.Equal(t, c.Text, string(orig[c.Start.Offset:c.End.Offset]), "cell %q", c.Text)
	}
}

func TestTableAtCorpusLines(t *testing.T) {
	names, err := filepath.Glob(filepath.Join(tableCorpusDir, "*.txt"))
	require.NoError(t, err)
	national, err := filepath.Glob(filepath.Join(tableCorpusDir, "national", "*.txt"))
	require.NoError(t, err)
	names = append(names, national...)
	if len(names) == 0 {
		t.Skip("corpus: ../shared absent")
	}
	v := tableTestVocab()
	var found []string
	for _, name := range names {
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		src, err := NewSource(name, data)
		require.NoError(t, err)
		for n := 1; n <= src.LineCount(); n++ {
			if _, ok := tableAt(src, n, v); ok {
				found = append(found, filepath.Base(name)+":"+src.LineText(n))
			}
		}
	}
	assert.Equal(t, []string{"000_61405fd166fa8747.txt:\t序号"}, found)
}
