package docx

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
)

// checkMapping checks the whole rendering against the document: every
// line of a paragraph is its label (and a table cell's tab) followed by
// exactly the paragraph's next characters, every character's Position
// names its paragraph and its place in it, and every character of every
// paragraph is rendered once (empty paragraphs after a cell's first may
// have no line).
func checkMapping(t *testing.T, d *Document) {
	t.Helper()
	src := d.Source()
	require.True(t, src.IsDocument())
	seen := map[int]int{}
	for n := 1; n <= src.LineCount(); n++ {
		start := src.LineStart(n)
		line := src.LineText(n)
		end := src.Pos(start + len(line))
		if end.Para == 0 {
			assert.Contains(t, []string{"", "\t"}, line, "line %d has no paragraph", n)
			continue
		}
		base := seen[end.Para]
		own := end.ParaChar - 1 - base
		prefix := utf8.RuneCountInString(line) - own
		require.GreaterOrEqual(t, own, 0, "line %d", n)
		require.GreaterOrEqual(t, prefix, 0, "line %d", n)
		runes := []rune(line)
		wantPrefix := ""
		if base == 0 {
			wantPrefix = d.Label(end.Para)
		}
		if p := string(runes[:prefix]); p != wantPrefix {
			assert.Equal(t, "\t"+wantPrefix, p, "line %d prefix", n)
		}
		para := []rune(d.ParaText(end.Para))
		require.LessOrEqual(t, base+own, len(para), "line %d", n)
		off := start + len(string(runes[:prefix]))
		for i, c := range runes[prefix:] {
			want := para[base+i]
			if c != want {
				assert.True(t, c == ' ' && (want == '\t' || want < 0x20), "line %d char %d: %q for %q", n, i+1, c, want)
			}
			// Pos walks the line: on long lines, sample it.
			if len(runes) < 1000 || i%97 == 0 {
				pos := src.Pos(off)
				assert.Equal(t, plan.Position{Line: n, Col: prefix + i + 1, Offset: off, Para: end.Para, ParaChar: base + i + 1}, pos, "line %d char %d", n, i+1)
			}
			off += utf8.RuneLen(c)
		}
		seen[end.Para] = base + own
	}
	for i := 1; i <= d.Paragraphs(); i++ {
		if n, ok := seen[i]; ok {
			assert.Equal(t, utf8.RuneCountInString(d.ParaText(i)), n, "paragraph %d rendered in part", i)
		} else {
			assert.Empty(t, d.ParaText(i), "paragraph %d not rendered", i)
		}
	}
}

func TestReadFixtures(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			data := fixture(t, f.name)
			require.True(t, IsDocx(data))
			d, err := Read(f.name, data, DefaultLimits())
			require.NoError(t, err)
			assert.Equal(t, f.want, d.Source().Text)
			assert.Equal(t, "DOCX", d.Source().Encoding)
			assert.Equal(t, data, d.Source().Original())
			checkMapping(t, d)
		})
	}
}

// TestPositions checks spans of the renderings: Line and Col in the
// rendering, Para and ParaChar in the document.
func TestPositions(t *testing.T) {
	tests := []struct {
		file     string
		text     string // the span's text, which starts the line's nth occurrence
		nth      int
		line     int
		col      int
		para     int
		paraChar int
	}{
		{"inline.docx", "95%", 1, 1, 11, 1, 11},
		{"inline.docx", "3项", 1, 1, 17, 1, 17},
		{"inline.docx", "市卫健委", 1, 2, 2, 2, 2},
		{"inline.docx", "督查", 1, 4, 3, 4, 3},
		{"inline.docx", "续", 1, 6, 4, 5, 7},
		{"inline.docx", "第三行", 1, 7, 1, 5, 8},
		{"inline.docx", "丁", 1, 8, 6, 6, 6},
		{"inline.docx", "一二", 1, 9, 9, 7, 9},
		{"inline.docx", "完成", 1, 11, 8, 9, 8},
		{"numbering.docx", "甲项", 1, 3, 3, 3, 1},
		{"numbering.docx", "多级", 1, 9, 4, 9, 1},
		{"numbering.docx", "不重起", 1, 24, 3, 24, 1},
		{"tables.docx", "宣传处", 1, 11, 1, 9, 1},
		{"tables.docx", "方案", 1, 9, 4, 7, 3},
		{"tables.docx", "说明", 1, 40, 5, 33, 4},
		{"tables.docx", "换行", 1, 41, 1, 33, 6},
		{"tables.docx", "年底", 2, 53, 2, 43, 1},
		{"003-pinghu-draft.docx", "督查", 1, 31, 20, 31, 20},
		{"003-pinghu-draft.docx", "认真贯彻", 2, 18, 3, 18, 1},
		{"003-pinghu-draft.docx", "稳步推进新医改", 1, 29, 4, 29, 1},
		{"000-jiaxing-table.docx", "李金大", 1, 59, 2, 57, 1},
	}
	docs := map[string]*Document{}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.text, func(t *testing.T) {
			d := docs[tt.file]
			if d == nil {
				if strings.HasPrefix(tt.file, "0") {
					d = readShared(t, tt.file)
				} else {
					var err error
					d, err = Read(tt.file, fixture(t, tt.file), DefaultLimits())
					require.NoError(t, err)
				}
				docs[tt.file] = d
			}
			src := d.Source()
			locs := regexp.MustCompile(regexp.QuoteMeta(tt.text)).FindAllStringIndex(src.Text, -1)
			require.GreaterOrEqual(t, len(locs), tt.nth)
			s, e := locs[tt.nth-1][0], locs[tt.nth-1][1]
			sp := src.Span(s, e)
			assert.Equal(t, tt.line, sp.Start.Line, "line")
			assert.Equal(t, tt.col, sp.Start.Col, "col")
			assert.Equal(t, tt.para, sp.Start.Para, "para")
			assert.Equal(t, tt.paraChar, sp.Start.ParaChar, "para char")
			// The span read back from the document through Para/ParaChar.
			para := []rune(d.ParaText(sp.Start.Para))
			n := utf8.RuneCountInString(tt.text)
			require.LessOrEqual(t, sp.Start.ParaChar-1+n, len(para))
			assert.Equal(t, tt.text, string(para[sp.Start.ParaChar-1:sp.Start.ParaChar-1+n]))
			assert.Equal(t, sp.Start.Para, sp.End.Para)
			assert.Equal(t, sp.Start.ParaChar+n, sp.End.ParaChar)
		})
	}
}

// squeezeLines drops whitespace and empty lines: the .txt versions of the
// shared drafts are indented and padded, the Word versions are not.
func squeezeLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.Join(strings.Fields(strings.ReplaceAll(l, "\u3000", " ")), ""); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func TestReadPinghu(t *testing.T) {
	d := readShared(t, "003-pinghu-draft.docx")
	checkMapping(t, d)
	text := d.Source().Text
	assert.NotContains(t, text, "督导", "a deletion is not read")
	assert.Contains(t, text, "管理、协调、督查，并及时", "an insertion is read")
	assert.NotContains(t, text, "建议明确区域卫生信息平台", "comments are not read")
	assert.Len(t, regexp.MustCompile(`(?m)^一、`).FindAllString(text, -1), 2, "both top headings render 一、")
	var items []string
	for _, m := range regexp.MustCompile(`(?m)^(\d+)、`).FindAllStringSubmatch(text, -1) {
		items = append(items, m[1])
	}
	require.Len(t, items, 46)
	for i, n := range items[10:] {
		assert.Equal(t, i+1, atoi(n, 0), "item %d", i+1)
	}
	// Line for line the .txt, once the tracked change is accepted.
	corpus := string(sharedFile(t, corpusDir, "003_b8266a3591212cdf.txt"))
	corpus = strings.Replace(corpus, "协调、督导，", "协调、督查，", 1)
	assert.Equal(t, squeezeLines(corpus), squeezeLines(text))
}

func TestReadJiaxing(t *testing.T) {
	d := readShared(t, "000-jiaxing-table.docx")
	checkMapping(t, d)
	text := d.Source().Text
	assert.Len(t, regexp.MustCompile(`(?m)^\d+\.`).FindAllString(text, -1), 27)

	// The table: a header row and 34 rows of tab-led cells, blank lines
	// between rows; row 1 one cell short (its person cells are merged).
	i := strings.Index(text, "\t序号\n")
	require.Greater(t, i, 0)
	require.Equal(t, "\n\n", text[i-2:i], "a blank line before the table")
	var rows [][]string
	for _, block := range strings.Split(text[i:], "\n\n") {
		if !strings.HasPrefix(block, "\t") {
			break
		}
		var cells []string
		for _, l := range strings.Split(block, "\n") {
			if strings.HasPrefix(l, "\t") {
				cells = append(cells, l[1:])
			} else {
				cells[len(cells)-1] += "\n" + l
			}
		}
		rows = append(rows, cells)
	}
	require.Len(t, rows, 35)
	assert.Equal(t, []string{"序号", "", "具体任务", "责任处室", "责任人", "牵头领导", "完成时限"}, rows[0])
	assert.Len(t, rows[1], 6)
	assert.Equal(t, []string{"1", "改革创新年"}, rows[1][:2])
	for n, row := range rows[2:] {
		assert.Len(t, row, 7, "row %d", n+2)
	}
	assert.Equal(t, "", rows[2][1], "a vertically merged cell continues as an empty cell")
	assert.Equal(t, "组织人事处\n宣传处", rows[11][3], "a cell of two paragraphs")

	// The same text as the .txt, whitespace aside (the .docx splits 序号
	// 10–34 over two paragraphs, so compare the text run together).
	corpus := string(sharedFile(t, corpusDir, "000_61405fd166fa8747.txt"))
	assert.Equal(t, strings.Join(squeezeLines(corpus), ""), strings.Join(squeezeLines(text), ""))
}
