package plan

import (
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// miniVocab is a small vocabulary for the table tests, so that they test
// the grammar of the extractors, not the shipped word lists.
func miniVocab() *Vocab {
	return &Vocab{
		OwnerLabels:         []string{"责任单位", "牵头单位", "配合单位", "责任科室"},
		LeadLabels:          []string{"牵头"},
		AssistLabels:        []string{"配合", "参与"},
		OwnerVerbs:          []string{"负责", "牵头", "配合", "参与", "牵头负责", "按职责分工负责"},
		OwnerSuffixes:       []string{"部", "委", "局", "科", "中心", "人民政府"},
		CollectiveOwners:    []string{"各地", "各有关部门和单位", "各省级人民政府", "各省、自治区、直辖市人民政府"},
		DeferredDeadlines:   []string{"按省统一进度"},
		DeferredLeads:       []string{"根据", "按照"},
		DeferredAuthorities: []string{"省", "上级"},
		DeferredTerms:       []string{"要求", "安排", "进度要求"},
		VagueDeadlines:      []string{"年内", "适时", "今年"},
		VagueVerbs:          []string{"进一步加强", "加强", "大力推进"},
		VagueQuantifiers:    []string{"明显改善", "一批"},
		TargetComparators:   []string{"达到", "达", "低于", "不低于", "提高到", "提高", "下降", "新增", "控制在"},
		ReferenceTargets:    []string{"省要求", "国家标准"},
		PlainTerms:          []string{"十三五"},
	}
}

func exSource(t *testing.T, s string) *Source {
	t.Helper()
	src, err := NewSource("t.txt", []byte(s))
	require.NoError(t, err)
	return src
}

// spanOf writes a span as line:col-line:col.
func exSpan(m Match) string {
	return fmt.Sprintf("%d:%d-%d:%d", m.Start.Line, m.Start.Col, m.End.Line, m.End.Col)
}

func TestOwners(t *testing.T) {
	type want struct {
		span, name, role, form string
		collective             bool
	}
	tests := []struct {
		name, in string
		want     []want
	}{
		{"label full-width, 等 stripped", "加强管理。（责任单位：市卫生局、市财政局等）", []want{
			{"1:12-1:16", "市卫生局", "responsible", "label", false},
			{"1:17-1:21", "市财政局", "responsible", "label", false},
		}},
		{"label half-width", "(责任科室:中医科)", []want{
			{"1:7-1:10", "中医科", "responsible", "label", false},
		}},
		{"lead and assist labels", "牵头单位：市卫生局；配合单位：市财政局、各地", []want{
			{"1:6-1:10", "市卫生局", "lead", "label", false},
			{"1:16-1:20", "市财政局", "assist", "label", false},
			{"1:21-1:23", "各地", "assist", "label", true},
		}},
		{"label continues over a line inside brackets", "（责任单位：市卫生局、\n市疾控中心）", []want{
			{"1:7-1:11", "市卫生局", "responsible", "label", false},
			{"2:1-2:6", "市疾控中心", "responsible", "label", false},
		}},
		{"label stops at a blank line", "（责任单位：市卫生局、\n\n市疾控中心）", []want{
			{"1:7-1:11", "市卫生局", "responsible", "label", false},
		}},
		{"trailing 负责 with a note", "（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）", []want{
			{"1:2-1:11", "人力资源社会保障部", "responsible", "trailing", false},
			{"1:12-1:15", "财政部", "responsible", "trailing", false},
		}},
		{"trailing lead and assists", "（财政部牵头，国家发展改革委、民政部配合）", []want{
			{"1:2-1:5", "财政部", "lead", "trailing", false},
			{"1:8-1:15", "国家发展改革委", "assist", "trailing", false},
			{"1:16-1:19", "民政部", "assist", "trailing", false},
		}},
		{"trailing collectives", "（各有关部门和单位，各省级人民政府按职责分工负责）", []want{
			{"1:2-1:10", "各有关部门和单位", "responsible", "trailing", true},
			{"1:11-1:18", "各省级人民政府", "responsible", "trailing", true},
		}},
		{"trailing 等有关部门和单位", "（人力资源社会保障部等有关部门和单位负责）", []want{
			{"1:2-1:11", "人力资源社会保障部", "responsible", "trailing", false},
		}},
		{"sentence 请", "请科技部、工业和信息化部等部门在2019年2月底前完成。", []want{
			{"1:2-1:5", "科技部", "responsible", "sentence", false},
			{"1:6-1:13", "工业和信息化部", "responsible", "sentence", false},
		}},
		{"sentence 请 collective with 、", "，请各省、自治区、直辖市人民政府在年底前完成", []want{
			{"1:3-1:17", "各省、自治区、直辖市人民政府", "responsible", "sentence", true},
		}},
		{"sentence 请 ends at a verb", "请财政部落实《条例》", []want{
			{"1:2-1:5", "财政部", "responsible", "sentence", false},
		}},
		{"sentence 由…牵头负责", "由市卫生局牵头负责。", []want{
			{"1:2-1:6", "市卫生局", "lead", "sentence", false},
		}},
		{"由X牵头的 describes", "落实由卫生局牵头的公共卫生组工作。", nil},
		{"由…负责人 is a person", "建立由政府负责人牵头的机制", nil},
		{"申请 is not 请", "可申请财政部补贴", nil},
		{"bracket without owners", "（含新区，下同）（即加强区域医疗中心建设）", nil},
		{"annotation without verb", "（财政部、民政部）", nil},
	}
	x := NewExtractor(miniVocab())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := exSource(t, tt.in)
			got := x.Owners(src, 0, len(src.Text))
			require.Len(t, got, len(tt.want), "%+v", got)
			for i, w := range tt.want {
				o := got[i]
				assert.Equal(t, w.span, exSpan(o.Match), w.name)
				assert.Equal(t, w.name, o.Name)
				assert.Equal(t, w.name, o.Text)
				assert.Equal(t, w.role, o.Role, w.name)
				assert.Equal(t, w.form, o.Form, w.name)
				assert.Equal(t, w.collective, o.Collective, w.name)
			}
		})
	}
}

func TestDeadlines(t *testing.T) {
	type want struct{ span, text, kind, from, to string }
	tests := []struct {
		name, in string
		year     int
		want     []want
	}{
		{"by a month, with year", "于2012年6月前启动", 2018, []want{{"1:2-1:10", "2012年6月前", "date", "2012-01-01", "2012-06-30"}}},
		{"month end", "6月底", 2018, []want{{"1:1-1:4", "6月底", "date", "2018-01-01", "2018-06-30"}}},
		{"month end before", "12月底前完成", 2018, []want{{"1:1-1:6", "12月底前", "date", "2018-01-01", "2018-12-31"}}},
		{"year end", "年底前完成，2018 年底", 2019, []want{
			{"1:1-1:4", "年底前", "date", "2019-01-01", "2019-12-31"},
			{"1:7-1:14", "2018 年底", "date", "2018-01-01", "2018-12-31"},
		}},
		{"halves", "上半年启动，下半年完成", 2012, []want{
			{"1:1-1:4", "上半年", "date", "2012-01-01", "2012-06-30"},
			{"1:7-1:10", "下半年", "date", "2012-07-01", "2012-12-31"},
		}},
		{"quarters", "第一季度，三季度末前", 2018, []want{
			{"1:1-1:5", "第一季度", "date", "2018-01-01", "2018-03-31"},
			{"1:6-1:11", "三季度末前", "date", "2018-01-01", "2018-09-30"},
		}},
		{"vague, and 今年底 beats 今年", "年内完成，今年底前，适时", 2018, []want{
			{"1:1-1:3", "年内", "vague", "", ""},
			{"1:6-1:10", "今年底前", "date", "2018-01-01", "2018-12-31"},
			{"1:11-1:13", "适时", "vague", "", ""},
		}},
		{"around a day", "10月1日前后", 2018, []want{{"1:1-1:8", "10月1日前后", "date", "2018-09-28", "2018-10-04"}}},
		{"weekday", "请于 12月23日（星期五）前反馈", 2011, []want{{"1:4-1:16", "12月23日（星期五）前", "date", "2011-01-01", "2011-12-23"}}},
		{"year span", "2018-2020年", 2018, []want{{"1:1-1:11", "2018-2020年", "date", "2018-01-01", "2020-12-31"}}},
		{"date span", "2019年1月1日至12月31日，", 2018, []want{{"1:1-1:17", "2019年1月1日至12月31日", "date", "2019-01-01", "2019-12-31"}}},
		{"target year", "到2020年，", 2018, []want{{"1:1-1:7", "到2020年", "date", "2020-01-01", "2020-12-31"}}},
		{"到2020年底 is 2020年底", "到2020年底", 2018, []want{{"1:2-1:8", "2020年底", "date", "2020-01-01", "2020-12-31"}}},
		{"month end with year", "2019年3月底前", 2018, []want{{"1:1-1:10", "2019年3月底前", "date", "2019-01-01", "2019-03-31"}}},
		{"recurring", "每年2月底前报送", 2018, []want{{"1:1-1:7", "每年2月底前", "recurring", "2018-01-01", "2018-02-28"}}},
		{"relative", "本意见印发之日起30日内", 2018, []want{{"1:4-1:13", "印发之日起30日内", "relative", "", ""}}},
		{"completion label", "（完成时限：2012年12月）", 2018, []want{{"1:7-1:15", "2012年12月", "date", "2012-12-01", "2012-12-31"}}},
		{"full-width digits", "２０１２年６月前", 2018, []want{{"1:1-1:9", "２０１２年６月前", "date", "2012-01-01", "2012-06-30"}}},
		{"Chinese month", "十二月底前", 2018, []want{{"1:1-1:6", "十二月底前", "date", "2018-01-01", "2018-12-31"}}},
		{"start only", "2020年起实施", 2018, []want{{"1:1-1:7", "2020年起", "date", "2020-01-01", ""}}},
		{"deferred literal and pattern", "按省统一进度，根据省爱卫办考核安排", 2018, []want{
			{"1:1-1:7", "按省统一进度", "deferred", "", ""},
			{"1:8-1:18", "根据省爱卫办考核安排", "deferred", "", ""},
		}},
		{"unknown year leaves the date open", "6月底", 0, []want{{"1:1-1:4", "6月底", "date", "", ""}}},
		{"CRLF", "第一行\r\n于6月中旬前", 2018, []want{{"2:2-2:7", "6月中旬前", "date", "2018-01-01", "2018-06-20"}}},
		{"years of names", "制定《健康嘉兴2030行动纲要》，实施行动计划（2018-2020 年）", 2018, nil},
		{"date in Chinese numerals", "二○一一年十二月十九日", 2018, nil},
		{"bare month and bare year", "6月26日国际禁毒日外，6月，2012年是关键一年", 2018, []want{
			{"1:1-1:6", "6月26日", "date", "2018-06-26", "2018-06-26"},
		}},
		{"no date across a blank line", "2019年\n\n6月前", 2018, []want{{"3:1-3:4", "6月前", "date", "2018-01-01", "2018-06-30"}}},
	}
	x := NewExtractor(miniVocab())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := exSource(t, tt.in)
			got := x.Deadlines(src, 0, len(src.Text), tt.year)
			require.Len(t, got, len(tt.want), "%+v", got)
			for i, w := range tt.want {
				d := got[i]
				assert.Equal(t, w.span, exSpan(d.Match), w.text)
				assert.Equal(t, w.text, d.Text)
				assert.Equal(t, w.kind, d.Kind, w.text)
				assert.Equal(t, w.from, d.From, w.text)
				assert.Equal(t, w.to, d.To, w.text)
			}
		})
	}
}

func TestTargets(t *testing.T) {
	type want struct {
		span, text, indicator, comparator string
		value, value2                     float64
		unit                              string
		byRef                             bool
	}
	tests := []struct {
		name, in string
		want     []want
	}{
		{"qualifier only", "接种率持续保持在95%以上。", []want{{"1:9-1:14", "95%以上", "接种率持续保持在", "以上", 95, 0, "%", false}}},
		{"comparator and qualifier", "流动人口儿童接种率达到85%以上", []want{{"1:10-1:17", "达到85%以上", "流动人口儿童接种率", "达到…以上", 85, 0, "%", false}}},
		{"rates", "孕产妇年死亡率低于8/10万，婴儿死亡率低于6‰。", []want{
			{"1:8-1:15", "低于8/10万", "孕产妇年死亡率", "低于", 8, 0, "/10万", false},
			{"1:21-1:25", "低于6‰", "婴儿死亡率", "低于", 6, 0, "‰", false},
		}},
		{"money", "人均筹资总额提高到506元，", []want{{"1:7-1:14", "提高到506元", "人均筹资总额", "提高到", 506, 0, "元", false}}},
		{"far comparator", "新增家庭医生签约人数30万人以上", []want{{"1:1-1:17", "新增家庭医生签约人数30万人以上", "家庭医生签约人数", "新增…以上", 30, 0, "万人", false}}},
		{"full-width percent", "下降15％以上", []want{{"1:1-1:8", "下降15％以上", "", "下降…以上", 15, 0, "%", false}}},
		{"range", "建设2-3个基地", []want{{"1:3-1:7", "2-3个", "建设", "", 2, 3, "个", false}}},
		{"percent range", "63%～68%", []want{{"1:1-1:8", "63%～68%", "", "", 63, 68, "%", false}}},
		{"by reference", "体检率不低于省要求，达到国家标准", []want{
			{"1:4-1:10", "不低于省要求", "体检率", "不低于", 0, 0, "", true},
			{"1:11-1:17", "达到国家标准", "", "达到", 0, 0, "", true},
		}},
		{"ceiling", "增幅控制在4.6%以内", []want{{"1:3-1:12", "控制在4.6%以内", "增幅", "控制在…以内", 4.6, 0, "%", false}}},
		{"percentage points", "提高2个百分点", []want{{"1:1-1:8", "提高2个百分点", "", "提高", 2, 0, "个百分点", false}}},
		{"full-width digits and spaces", "配置率达到 １００％ 以上", []want{{"1:4-1:14", "达到 １００％ 以上", "配置率", "达到…以上", 100, 0, "%", false}}},
		{"indicator keeps closed brackets", "新增配置除颤仪（AED）1000台", []want{{"1:1-1:18", "新增配置除颤仪（AED）1000台", "配置除颤仪（AED）", "新增", 1000, 0, "台", false}}},
		{"not targets", "2012年，国发〔2018〕39号，“十二五”，《95%的人》，6个月，第3名，3岁以下婴幼儿，H7N9，30天内", nil},
		{"no target across a blank line", "达到\n\n85%", []want{{"3:1-3:4", "85%", "", "", 85, 0, "%", false}}},
	}
	x := NewExtractor(miniVocab())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := exSource(t, tt.in)
			got := x.Targets(src, 0, len(src.Text))
			require.Len(t, got, len(tt.want), "%+v", got)
			for i, w := range tt.want {
				g := got[i]
				assert.Equal(t, w.span, exSpan(g.Match), w.text)
				assert.Equal(t, w.text, g.Text)
				assert.Equal(t, w.indicator, g.Indicator, w.text)
				assert.Equal(t, w.comparator, g.Comparator, w.text)
				assert.InDelta(t, w.value, g.Value, 1e-9, w.text)
				assert.InDelta(t, w.value2, g.Value2, 1e-9, w.text)
				assert.Equal(t, w.unit, g.Unit, w.text)
				assert.Equal(t, w.byRef, g.ByReference, w.text)
				assert.Equal(t, !w.byRef, g.HasValue, w.text)
			}
		})
	}
}

func TestVague(t *testing.T) {
	src := exSource(t, "进一步加强管理，加强监督；\n大力推进改革，一批项目明显改善")
	got := NewExtractor(miniVocab()).Vague(src, 0, len(src.Text))
	var spans []string
	for _, m := range got {
		spans = append(spans, exSpan(m)+" "+m.Text)
	}
	assert.Equal(t, []string{"1:1-1:6 进一步加强", "1:9-1:11 加强", "2:1-2:5 大力推进", "2:8-2:10 一批", "2:12-2:16 明显改善"}, spans)
}

func TestTerms(t *testing.T) {
	type want struct {
		span, inner, quote string
		slogan, explained  bool
	}
	tests := []struct {
		name, in string
		want     []want
	}{
		{"numeric slogan", "抓好“三个年”活动", []want{{"1:3-1:8", "三个年", "“”", true, false}}},
		{"explained after its head noun", "以“1126”工作思路为指导,即突出", []want{{"1:2-1:8", "1126", "“”", true, true}}},
		{"explained by a bracket", "“一个关键”(全面从严治党)", []want{{"1:1-1:7", "一个关键", "“”", true, true}}},
		{"explained by a colon", "“五个一”系列活动：组织", []want{{"1:1-1:6", "五个一", "“”", true, true}}},
		{"title", "《健康嘉兴2030行动纲要》", []want{{"1:1-1:15", "健康嘉兴2030行动纲要", "《》", false, false}}},
		{"nested title, outer only", "《关于印发〈规定〉的通知》", []want{{"1:1-1:14", "关于印发〈规定〉的通知", "《》", false, false}}},
		{"plain term and ordinary term", "“十三五”期间“健康细胞”", []want{
			{"1:1-1:6", "十三五", "“”", false, false},
			{"1:8-1:14", "健康细胞", "“”", false, false},
		}},
		{"ASCII quotes between Chinese", `实施"两票制"改革`, []want{{"1:3-1:8", "两票制", `""`, true, false}}},
		{"ASCII quotes in English", `he said "hello" and "你好"x`, nil},
		{"unclosed quote", "“三个年\n”", nil},
		{"year is not a slogan", "实施“2035年终结结核病”行动", []want{{"1:3-1:15", "2035年终结结核病", "“”", false, false}}},
	}
	x := NewExtractor(miniVocab())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := exSource(t, tt.in)
			got := x.Terms(src, 0, len(src.Text))
			require.Len(t, got, len(tt.want), "%+v", got)
			for i, w := range tt.want {
				g := got[i]
				assert.Equal(t, w.span, exSpan(g.Match), w.inner)
				assert.Equal(t, w.inner, g.Inner)
				assert.Equal(t, w.quote, g.Quote, w.inner)
				assert.Equal(t, w.slogan, g.Slogan, w.inner)
				assert.Equal(t, w.explained, g.Explained, w.inner)
			}
		})
	}
}

// TestExtractRange checks that only [start, end) is read: the item
// between the two others yields its own facts only.
func TestExtractRange(t *testing.T) {
	src := exSource(t, "1.年底前完成。（财政部负责）\n2.6月底前达到90%。（民政部负责）\n3.上半年启动。")
	x := NewExtractor(miniVocab())
	s := src.LineStart(2)
	e := s + len(src.LineText(2))
	ds := x.Deadlines(src, s, e, 2018)
	require.Len(t, ds, 1)
	assert.Equal(t, "6月底前", ds[0].Text)
	os := x.Owners(src, s, e)
	require.Len(t, os, 1)
	assert.Equal(t, "民政部", os[0].Name)
	assert.Equal(t, "2:14-2:17", exSpan(os[0].Match))
	ts := x.Targets(src, s, e)
	require.Len(t, ts, 1)
	assert.Equal(t, "达到90%", ts[0].Text)
}

// TestExtractGB18030 checks that spans of a GB18030 input point at its
// own bytes: the extractors build every span through the Source.
func TestExtractGB18030(t *testing.T) {
	utf := "第一行\n（责任单位：市卫生局）于6月底前完成。"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(utf)
	require.NoError(t, err)
	src, err := NewSource("gb.txt", []byte(gb))
	require.NoError(t, err)
	require.Equal(t, EncGB18030, src.Encoding)
	x := NewExtractor(miniVocab())
	os := x.Owners(src, 0, len(src.Text))
	require.Len(t, os, 1)
	ds := x.Deadlines(src, 0, len(src.Text), 2018)
	require.Len(t, ds, 1)
	for _, m := range []Match{os[0].Match, ds[0].Match} {
		orig := src.Original()[m.Start.Offset:m.End.Offset]
		text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(orig)
		require.NoError(t, err)
		assert.Equal(t, m.Text, string(text))
	}
	assert.Equal(t, "2:7-2:11", exSpan(os[0].Match))
	assert.Equal(t, "2:13-2:17", exSpan(ds[0].Match))
}

func TestParagraphSpans(t *testing.T) {
	text := "ab\n \ncd\r\n\r\nef\n\u3000\ngh"
	var got []string
	for _, sp := range paragraphSpans(text, 0, len(text)) {
		got = append(got, text[sp[0]:sp[1]])
	}
	assert.Equal(t, []string{"ab\n", "cd\r\n", "ef\n", "gh"}, got)
	assert.Empty(t, paragraphSpans(text, 2, 5), "a range of blank lines")

	// A range that cuts a character keeps the whole characters only (found
	// by FuzzExtract: a title ran past the end of its range).
	title := "《纲要》"
	assert.Equal(t, [][2]int{{0, 9}}, paragraphSpans(title, 0, len(title)-1))
	assert.Equal(t, [][2]int{{3, 12}}, paragraphSpans(title, 1, len(title)))
	assert.Empty(t, NewExtractor(miniVocab()).Terms(exSource(t, title), 0, len(title)-1))
}

func TestPickLongest(t *testing.T) {
	src := exSource(t, "0123456789")
	m := func(s, e int) Match { return NewMatch(src, s, e) }
	got := pickLongest([]Match{m(5, 6), m(0, 2), m(1, 5), m(4, 9), m(9, 10)})
	var spans []string
	for _, g := range got {
		spans = append(spans, g.Text)
	}
	assert.Equal(t, []string{"01", "45678", "9"}, spans, "1234 loses to the longer 45678, 01 survives")
}

func TestSmallInt(t *testing.T) {
	for in, want := range map[string]int{"12": 12, "１２": 12, "十": 10, "十二": 12, "二十三": 23, "一百零五": 105, "两": 2, "三千": 3000} {
		got, ok := smallInt(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	_, ok := smallInt("十x")
	assert.False(t, ok)
}

// TestVocabOrder checks that the order of the word lists does not change
// what is found: alternations and tries sort the words themselves.
func TestVocabOrder(t *testing.T) {
	v := miniVocab()
	r := *v
	for _, l := range []*[]string{&r.OwnerVerbs, &r.OwnerSuffixes, &r.TargetComparators, &r.VagueVerbs, &r.DeferredTerms, &r.OwnerLabels} {
		rev := make([]string, len(*l))
		for i, w := range *l {
			rev[len(rev)-1-i] = w
		}
		*l = rev
	}
	src := exSource(t, "（财政部牵头负责）进一步加强管理，人均筹资总额提高到506元，根据省统一进度要求。牵头单位：民政部")
	a, b := NewExtractor(v), NewExtractor(&r)
	n := len(src.Text)
	assert.Equal(t, a.Owners(src, 0, n), b.Owners(src, 0, n))
	assert.Equal(t, a.Targets(src, 0, n), b.Targets(src, 0, n))
	assert.Equal(t, a.Vague(src, 0, n), b.Vague(src, 0, n))
	assert.Equal(t, a.Deadlines(src, 0, n, 2018), b.Deadlines(src, 0, n, 2018))
	require.NotEmpty(t, a.Owners(src, 0, n))
}

// FuzzExtract runs every extractor over arbitrary text and range: each
// value must lie inside the range, carry the text at its offsets, and come
// sorted without overlaps.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"（责任单位：市卫生局、\n市财政局）于2012年6月前达到95%以上。",
		"请科技部、工业和信息化部等部门在2019年2月底前完成（财政部牵头，民政部配合）",
		"“三个年”《纲要（2018-2020年）》低于8/10万，每年2月底前，根据省爱卫办考核安排\r\n\r\n年内",
		"２０１２年６月前，新增配置除颤仪（AED）1000台，\"两票制\"",
	} {
		f.Add(s, 0, len(s))
	}
	x := NewExtractor(miniVocab())
	f.Fuzz(func(t *testing.T, s string, start, end int) {
		if !utf8.ValidString(s) {
			return // decoding is Source's business; this fuzzes the extractors
		}
		src, err := NewSource("fuzz", []byte(s))
		if err != nil {
			return
		}
		n := len(src.Text)
		start, end = min(max(start, 0), n), min(max(end, 0), n)
		var ms [][]Match
		ms = append(ms, exMatches(x.Owners(src, start, end), func(o Owner) Match { return o.Match }))
		ms = append(ms, exMatches(x.Deadlines(src, start, end, 2018), func(d Deadline) Match { return d.Match }))
		ms = append(ms, exMatches(x.Targets(src, start, end), func(t Target) Match { return t.Match }))
		ms = append(ms, x.Vague(src, start, end))
		ms = append(ms, exMatches(x.Terms(src, start, end), func(t Term) Match { return t.Match }))
		for _, kind := range ms {
			prev := start
			for _, m := range kind {
				s, e := m.Offsets()
				require.True(t, start <= s && s < e && e <= end, "%q outside [%d, %d)", m.Text, start, end)
				require.GreaterOrEqual(t, s, prev, "%q overlaps or is out of order", m.Text)
				require.Equal(t, src.Text[s:e], m.Text)
				prev = e
			}
		}
	})
}
