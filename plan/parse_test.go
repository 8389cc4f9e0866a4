package plan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusDir is the shared acceptance data beside the checkout.
const corpusDir = "../../shared/corpus"

// corpusFile reads a corpus file, skipping the test when ../shared is absent.
func corpusFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	if os.IsNotExist(err) {
		t.Skipf("%s: ../shared absent", name)
	}
	require.NoError(t, err)
	return data
}

func parseCorpus(t testing.TB, name string) *Plan {
	t.Helper()
	src, err := NewSource(name, corpusFile(t, name))
	require.NoError(t, err)
	return Parse(src, testVocab(t))
}

func children(u *Unit, k Kind) []*Unit {
	var out []*Unit
	for _, c := range u.Children {
		if c.Kind == k {
			out = append(out, c)
		}
	}
	return out
}

func topHeadings(p *Plan) []*Unit {
	var out []*Unit
	for _, u := range p.Units {
		if u.Kind == KindHeading {
			out = append(out, u)
		}
	}
	return out
}

func labels(us []*Unit) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Label
	}
	return out
}

func countStyle(p *Plan, style string) int {
	n := 0
	for _, u := range p.Items() {
		if u.Style == style {
			n++
		}
	}
	return n
}

func TestParsePinghuDraft(t *testing.T) {
	p := parseCorpus(t, "003_b8266a3591212cdf.txt")
	require.NotNil(t, p.Title)
	assert.Equal(t, "2012年全市卫生工作要点", p.Title.Text)
	assert.Equal(t, 2012, p.Year)
	assert.Equal(t, "全市", p.Scope)
	require.NotNil(t, p.DraftMarker)
	assert.Contains(t, p.DraftMarker.Text, "征求意见稿")
	require.NotNil(t, p.Issuer)
	assert.Equal(t, "平湖市卫生局", p.Issuer.Text)

	heads := topHeadings(p)
	assert.Equal(t, []string{"一、", "一、", "二、"}, labels(heads))
	assert.Equal(t, "指导思想", heads[0].Title.Text)
	subs := children(heads[2], KindHeading)
	assert.Equal(t, []string{"（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）"}, labels(subs))

	items := p.Items()
	require.Len(t, items, 46)
	assert.Len(t, children(heads[1], KindItem), 10)
	key := items[10:]
	for i, it := range key {
		assert.Equal(t, i+1, it.Number, "item %s at line %d", it.Label, it.Start.Line)
	}
	// Unnumbered paragraphs belong to the item above them.
	for line, number := range map[int]int{51: 1, 57: 3, 72: 9, 83: 13, 87: 14, 108: 22} {
		it := key[number-1]
		paras := children(it, KindParagraph)
		require.NotEmpty(t, paras, "item %d", number)
		assert.Equal(t, line, paras[0].Start.Line, "item %d", number)
		assert.Greater(t, it.End.Line, it.Start.Line, "item %d's text runs over its continuation", number)
	}
	assert.Equal(t, []string{"二、重点工作", "（三）以农村为重点，抓好基层卫…", "11"}, key[10].Path)
	assert.Equal(t, "继续开展第四轮参合居民健康体检工作，体检率不低于省要求，城乡居民健康档案建档率达90%以上", key[10].Title.Text)
}

func TestParseHeadingsAndItemCounts(t *testing.T) {
	for _, tc := range []struct {
		file     string
		headings int
		items    int
	}{
		{"000_61405fd166fa8747.txt", 7, 27},
		{"002_2032df219b2d64b3.txt", 10, 36},
		{"001_ac02b3254bada0ac.txt", 11, 49},
		{"004_5e872680af3ad2eb.txt", 4, 26},
		{"national/02_guofa-2018-39-employment-yijian.txt", 5, 15},
		{"national/08_guobanfa-2018-127-research-autonomy-tongzhi.txt", 5, 11},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p := parseCorpus(t, tc.file)
			assert.Len(t, topHeadings(p), tc.headings)
			assert.Len(t, p.Items(), tc.items)
		})
	}
}

func TestParseQinhuangdao(t *testing.T) {
	p := parseCorpus(t, "001_ac02b3254bada0ac.txt")
	assert.Equal(t, 5, countStyle(p, StyleCnShi))
	assert.Equal(t, 40, countStyle(p, StyleCnParen))
	var n11 *Unit
	for _, it := range p.Items() {
		if it.Style == StyleCnParen {
			if it.Number == 11 {
				n11 = it
			}
		}
	}
	require.NotNil(t, n11)
	subs := children(n11, KindItem)
	assert.Equal(t, []string{"1.", "2.", "3.", "4."}, labels(subs))
	assert.Equal(t, 3, subs[0].Start.Col, "the indented sub-item keeps its column")
}

func TestParseShenzhenMixedDot(t *testing.T) {
	p := parseCorpus(t, "002_2032df219b2d64b3.txt")
	forms := map[string][]int{}
	for _, it := range p.Items() {
		forms[it.Form] = append(forms[it.Form], it.Number)
	}
	assert.Equal(t, []int{33}, forms["1."])
	assert.Len(t, forms["1．"], 35)
}

func TestParseZhejiangFooterIsJunk(t *testing.T) {
	p := parseCorpus(t, "004_5e872680af3ad2eb.txt")
	items := p.Items()
	require.Len(t, items, 26)
	last := items[25]
	assert.NotContains(t, last.Text, "分享到")
	var junk []string
	for _, u := range p.Units {
		if u.Kind == KindJunk {
			junk = append(junk, u.Text)
		}
	}
	assert.Len(t, junk, 4)
	withPara := 0
	for _, it := range items {
		if len(children(it, KindParagraph)) > 0 {
			withPara++
			assert.Equal(t, 4, it.Number, "only item 4 has a continuation paragraph")
		}
	}
	assert.Equal(t, 1, withPara)
}

func TestParseNationalTitleOverTwoLines(t *testing.T) {
	p := parseCorpus(t, "national/02_guofa-2018-39-employment-yijian.txt")
	require.NotNil(t, p.Title)
	assert.Equal(t, "国务院关于做好当前和今后一个时期促进就业工作的若干意见", strings.ReplaceAll(p.Title.Text, "\n", ""))
	assert.Equal(t, 1, p.Title.Start.Line)
	assert.Equal(t, 2, p.Title.End.Line)
	// Items are numbered across sections: the neighbour of （三） is （二）.
	items := p.Items()
	require.Len(t, items, 15)
	require.NotNil(t, items[2].Prev)
	assert.Equal(t, 2, items[2].Prev.Number)
}

func itemByNumber(t *testing.T, p *Plan, style string, n int) *Unit {
	t.Helper()
	for _, it := range p.Items() {
		if it.Style == style && it.Number == n {
			return it
		}
	}
	t.Fatalf("no item %d of style %s", n, style)
	return nil
}

func TestParseExtractsPinghu(t *testing.T) {
	p := parseCorpus(t, "003_b8266a3591212cdf.txt")
	require.NotNil(t, p.ReplyBy)
	assert.Contains(t, p.ReplyBy.Text, "12月23日")
	assert.Equal(t, 5, p.ReplyBy.Start.Line)
	assert.Equal(t, "2011-12-23", p.ReplyBy.To, "the notice is dated 2011")
	key := p.Items()[10:]
	p.Walk(func(u *Unit) bool {
		if u.Kind != KindWrapper {
			assert.Empty(t, u.Owners, "no owner anywhere in 003 (line %d)", u.Start.Line)
		}
		return true
	})
	var deadlines []string
	for _, d := range key[1].Deadlines {
		deadlines = append(deadlines, d.Text)
	}
	assert.Contains(t, deadlines, "2012年6月前")
	var targets []string
	for _, tg := range key[7].Targets {
		targets = append(targets, tg.Text)
	}
	assert.Subset(t, targets, []string{"低于8/10万", "低于6‰"})
}

func TestParseExtractsOwners(t *testing.T) {
	p := parseCorpus(t, "001_ac02b3254bada0ac.txt")
	it := itemByNumber(t, p, StyleCnParen, 24)
	require.Len(t, it.Owners, 1)
	assert.Equal(t, "中医科", it.Owners[0].Name)

	p = parseCorpus(t, "national/02_guofa-2018-39-employment-yijian.txt")
	for _, it := range p.Items() {
		assert.NotEmpty(t, it.Owners, "item %s", it.Label)
		for _, o := range it.Owners {
			assert.Equal(t, "trailing", o.Form, "item %s owner %s", it.Label, o.Name)
		}
	}

	p = parseCorpus(t, "national/08_guobanfa-2018-127-research-autonomy-tongzhi.txt")
	heads := topHeadings(p)
	require.Len(t, heads, 5)
	var sectionDeadlines []string
	for _, d := range heads[1].Deadlines {
		sectionDeadlines = append(sectionDeadlines, d.Text)
	}
	assert.Contains(t, strings.Join(sectionDeadlines, "|"), "2019年2月底前", "the section-wide deadline belongs to section 二")
	var sentenceOwners []string
	for _, it := range p.Items() {
		for _, o := range it.Owners {
			if o.Form == "sentence" {
				sentenceOwners = append(sentenceOwners, o.Name)
			}
		}
	}
	assert.Subset(t, sentenceOwners, []string{"科技部", "工业和信息化部", "农业农村部", "卫生健康委"})
}

func TestParseTableRows(t *testing.T) {
	p := parseCorpus(t, "000_61405fd166fa8747.txt")
	tables := p.OfKind(KindTable)
	require.Len(t, tables, 1)
	rows := tables[0].Children
	require.Len(t, rows, 34)
	assert.True(t, rows[0].Short)
	assert.Len(t, rows[10].Owners, 6, "row 11: two departments, two people, two leaders")
	for _, n := range []int{10, 27, 32, 33} {
		require.NotEmpty(t, rows[n-1].Deadlines, "row %d", n)
		assert.Equal(t, DeadlineDeferred, rows[n-1].Deadlines[0].Kind, "row %d", n)
	}
	require.NotEmpty(t, rows[25].Deadlines)
	assert.Equal(t, "10月1日前后", rows[25].Deadlines[0].Text)
	assert.Equal(t, []string{"改革创新年", "1"}, rows[0].Path)
}

// spanText reads the characters a span addresses from the original bytes.
func spanOriginal(src *Source, sp Span) string {
	return string(src.Original()[sp.Start.Offset:sp.End.Offset])
}

// Every extracted span across the corpus addresses its own text in the
// original file, and line:col agree with the offsets.
func TestParseSpansAddressOriginal(t *testing.T) {
	names, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	nat, _ := filepath.Glob(filepath.Join(corpusDir, "national", "*[^e].txt"))
	names = append(names, nat...)
	if len(names) == 0 {
		t.Skip("../shared absent")
	}
	checked := 0
	for _, name := range names {
		rel, _ := filepath.Rel(corpusDir, name)
		p := parseCorpus(t, rel)
		check := func(m Match) {
			if spanOriginal(p.Source, m.Span) != m.Text {
				t.Errorf("%s:%d:%d: span addresses %q, want %q", rel, m.Start.Line, m.Start.Col, spanOriginal(p.Source, m.Span), m.Text)
			}
			line := p.Source.LineText(m.Start.Line)
			runes := []rune(line)
			if m.Start.Line == m.End.Line && m.End.Col-1 <= len(runes) && string(runes[m.Start.Col-1:m.End.Col-1]) != m.Text {
				t.Errorf("%s:%d:%d: columns address %q, want %q", rel, m.Start.Line, m.Start.Col, string(runes[m.Start.Col-1:m.End.Col-1]), m.Text)
			}
			checked++
		}
		p.Walk(func(u *Unit) bool {
			if u.Title != nil {
				check(*u.Title)
			}
			for _, o := range u.Owners {
				check(o.Match)
			}
			for _, d := range u.Deadlines {
				check(d.Match)
			}
			for _, tg := range u.Targets {
				check(tg.Match)
			}
			for _, v := range u.Vague {
				check(v)
			}
			return true
		})
	}
	assert.Greater(t, checked, 200)
}

// Re-encoded as GB18030 and UTF-16, a corpus file parses to the same
// units at the same lines and columns; offsets address the same text in
// each encoding's own bytes.
func TestParseReencoded(t *testing.T) {
	for _, name := range []string{"003_b8266a3591212cdf.txt", "000_61405fd166fa8747.txt"} {
		data := corpusFile(t, name)
		want := Parse(mustSource(t, name, data), testVocab(t))
		for enc, b := range map[string][]byte{EncGB18030: gb18030(t, string(data)), EncUTF16LE: utf16LE(string(data))} {
			src := mustSource(t, name, b)
			require.Equal(t, enc, src.Encoding)
			got := Parse(src, testVocab(t))
			var wantSpans, gotSpans []string
			collect := func(p *Plan, out *[]string, orig []byte, enc string) {
				p.Walk(func(u *Unit) bool {
					*out = append(*out, fmt.Sprintf("%s %d:%d-%d:%d", u.Kind, u.Start.Line, u.Start.Col, u.End.Line, u.End.Col))
					for _, tg := range u.Targets {
						*out = append(*out, fmt.Sprintf("target %s %d:%d", tg.Text, tg.Start.Line, tg.Start.Col))
						assert.Equal(t, tg.Text, decodeAs(t, enc, orig[tg.Start.Offset:tg.End.Offset]))
					}
					return true
				})
			}
			collect(want, &wantSpans, data, EncUTF8)
			collect(got, &gotSpans, b, enc)
			assert.Equal(t, wantSpans, gotSpans, "%s as %s", name, enc)
		}
	}
}

func mustSource(t *testing.T, name string, data []byte) *Source {
	t.Helper()
	src, err := NewSource(name, data)
	require.NoError(t, err)
	return src
}

// A dot label may be followed by a date: 2.9月底前… is item 2, not a
// decimal inside item 1.
func TestParseDotLabelBeforeDate(t *testing.T) {
	src := mustSource(t, "t.txt", []byte("2019年全市卫生健康工作要点\n一、重点工作\n1.推进A。\n2.9月底前完成B。\n3．6月底前完成C。\n4.2019年12月前完成D。\n5.2.5亿元用于E。\n"))
	p := Parse(src, testVocab(t))
	var got []string
	for _, it := range p.Items() {
		got = append(got, it.Label)
	}
	assert.Equal(t, []string{"1.", "2.", "3．", "4."}, got, "5.2.5 is a decimal inside item 4's paragraph, not a label")
}

// A table split across pages, its header repeated, reads as one table.
func TestParseTableSplitAcrossPages(t *testing.T) {
	text := "2019年全市卫生健康工作要点\n一、重点工作\n1.加强管理。\n附件\n" +
		"\t序号\n\t具体任务\n\t责任处室\n\t完成时限\n\n\t1\n\t任务一\n\t医政处\n\t6月底\n\n" +
		"\t序号\n\t具体任务\n\t责任处室\n\t完成时限\n\n\t2\n\t任务二\n\t基层处\n\t12月底\n"
	p := Parse(mustSource(t, "t.txt", []byte(text)), testVocab(t))
	tables := p.OfKind(KindTable)
	require.Len(t, tables, 1)
	rows := tables[0].Children
	require.Len(t, rows, 2)
	assert.Equal(t, []string{"1", "2"}, []string{rows[0].Label, rows[1].Label})
	assert.Same(t, rows[1], rows[0].Next)
	assert.Same(t, tables[0], rows[1].Parent)
	assert.Equal(t, 23, tables[0].End.Line)
}
