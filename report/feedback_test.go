package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/docx"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// signedOptions sign and date the 修改意见.
var signedOptions = func() Options {
	o := testOptions
	o.Author, o.Date = "市卫生健康委办公室", "2019-03-08"
	return o
}()

// oneLetter is the golden input's first file with a title and two
// coverage gaps against a higher-level plan.
func oneLetter(t *testing.T) []File {
	t.Helper()
	f := testFiles(t)[0]
	f.Title = "2024年全市卫生健康工作要点（征求意见稿）"
	themes := []rules.Finding{
		{RuleID: "theme-missing", Severity: rules.Warning, File: f.Name, Message: "上级部署“推进分级诊疗”在稿中未见落实", Suggestion: "补充落实分级诊疗的任务"},
		{RuleID: "theme-missing", Severity: rules.Warning, File: f.Name, Message: "上级部署“加强基层医疗卫生服务能力”在稿中未见落实"},
	}
	f.Findings = rules.SortFindings(append(append([]rules.Finding(nil), f.Findings...), themes...))
	return []File{f}
}

// docxParagraphs reads a written document's paragraphs back.
func docxParagraphs(t *testing.T, out []byte) []string {
	t.Helper()
	d, err := docx.Read("out.docx", out, docx.DefaultLimits())
	require.NoError(t, err)
	var ps []string
	for n := 1; n <= d.Paragraphs(); n++ {
		ps = append(ps, d.ParaText(n))
	}
	return ps
}

func TestFeedbackGolden(t *testing.T) {
	cases := []struct {
		golden string
		opt    Options
		files  []File
	}{
		{"feedback-md", testOptions, testFiles(t)},
		{"feedback-md_one", signedOptions, oneLetter(t)},
		{"feedback-docx", testOptions, testFiles(t)},
		{"feedback-docx_one", signedOptions, oneLetter(t)},
	}
	for _, tc := range cases {
		t.Run(tc.golden, func(t *testing.T) {
			format, _, _ := strings.Cut(tc.golden, "_")
			out := render(t, format, tc.opt, tc.files)
			if format == "feedback-docx" {
				// The zip is binary: keep its paragraphs.
				out = []byte(strings.Join(docxParagraphs(t, out), "\n") + "\n")
			}
			checkGolden(t, tc.golden, out)
		})
	}
}

// mdSyntax is the Markdown the feedback-md format writes around its text.
var (
	mdHeading   = regexp.MustCompile(`^#+ `)
	mdItem      = regexp.MustCompile(`^([0-9]+)\. `)
	mdUnescaper = regexp.MustCompile(`\\(.)`)
)

// TestFeedbackSameDocument checks that feedback-docx holds the document
// feedback-md writes, paragraph for line, without the Markdown.
func TestFeedbackSameDocument(t *testing.T) {
	for name, files := range map[string][]File{"several": testFiles(t), "one": oneLetter(t), "none": nil} {
		t.Run(name, func(t *testing.T) {
			md := string(render(t, "feedback-md", signedOptions, files))
			var want []string
			for _, line := range strings.Split(strings.TrimSuffix(md, "\n"), "\n") {
				if line == "" {
					continue
				}
				line = strings.TrimSuffix(line, `\`)
				line = mdHeading.ReplaceAllString(line, "")
				line = mdItem.ReplaceAllString(line, "$1.")
				want = append(want, mdUnescaper.ReplaceAllString(line, "$1"))
			}
			assert.Equal(t, want, docxParagraphs(t, render(t, "feedback-docx", signedOptions, files)))
		})
	}
}

func TestFeedbackLetter(t *testing.T) {
	md := string(render(t, "feedback-md", signedOptions, oneLetter(t)))
	lines := strings.Split(md, "\n")
	require.Greater(t, len(lines), 4)
	assert.Equal(t, "# 关于《2024年全市卫生健康工作要点》（征求意见稿）的修改意见", lines[0])
	assert.Equal(t, "市卫生健康委办公室（盖章）　　　　　　2019年3月8日\\", lines[2])
	assert.Equal(t, 28, len([]rune(strings.TrimSuffix(lines[2], `\`))), "the sender line fills a 公文 line")
	assert.Equal(t, contactLine, lines[3])
	// The parts, in order, the coverage gaps first.
	var parts []string
	for _, l := range lines {
		if strings.HasPrefix(l, "## ") {
			parts = append(parts, l)
		}
	}
	assert.Equal(t, []string{"## 一、上级部署落实情况", "## 二、总体意见", "## 三、具体修改意见"}, parts)
	// Comments are numbered on through the sections, the title's last.
	assert.Contains(t, md, "### （一）一、重点工作 › （一）深化医药卫生体制改革\n\n1. （第4行第18列）原文：“年内”。问题：完成时限“年内”不具体。建议：写明完成的年月，如“2024年12月底前”。\n2. （第4行第23列）问题：条目1未写明责任单位。")
	assert.Contains(t, md, "4. （第7行第57列）原文：“,”。问题：中文之间用了半角逗号“,”。")
	assert.Contains(t, md, "### （二）其他\n\n6. （第1行第1列）原文：“2024年”。")
	assert.Contains(t, md, "## 一、上级部署落实情况\n\n1. 问题：上级部署“加强基层医疗卫生服务能力”在稿中未见落实。\n2. 问题：上级部署“推进分级诊疗”在稿中未见落实。建议：补充落实分级诊疗的任务。\n")
	assert.Contains(t, md, "对照上级部署，提出落实方面的意见2条，见第一部分。共提出具体修改意见6条。其中：2处完成时限不具体，1处条目缺少责任单位，1处中文语境使用半角标点，1处目标缺少基数，1处title-year。")
}

func TestFeedbackPlaceholders(t *testing.T) {
	md := string(render(t, "feedback-md", Options{}, testFiles(t)[2:]))
	assert.True(t, strings.HasPrefix(md, "# 关于《c》（征求意见稿）的修改意见\n\n××单位（盖章）"), md)
	assert.Contains(t, md, "××××年××月××日\\\n")
	assert.Contains(t, md, "## 一、总体意见\n\n"+noComments+"\n")
	assert.NotContains(t, md, "具体修改意见")
}

func TestFeedbackBadDate(t *testing.T) {
	for _, format := range []string{"feedback-md", "feedback-docx"} {
		f, err := New(format, &bytes.Buffer{}, Options{Date: "2019-3-8"})
		require.NoError(t, err)
		assert.EqualError(t, f.Start(), `date "2019-3-8": want YYYY-MM-DD`, format)
	}
}

func TestLetterTitle(t *testing.T) {
	cases := []struct {
		name string
		f    File
		want string
	}{
		{"title", File{Title: "2012年全市卫生工作要点"}, "关于《2012年全市卫生工作要点》（征求意见稿）的修改意见"},
		{"marker closing the title", File{Title: "2012年全市卫生工作要点（征求意见稿）"}, "关于《2012年全市卫生工作要点》（征求意见稿）的修改意见"},
		{"other marker, half-width", File{Title: "2012年全市卫生工作要点 (讨论稿)"}, "关于《2012年全市卫生工作要点》（讨论稿）的修改意见"},
		{"marker inside", File{Title: "关于2012年工作要点征求意见稿的说明"}, "关于《关于2012年工作要点征求意见稿的说明》的修改意见"},
		{"no title", File{Name: "drafts/2012年要点.docx"}, "关于《2012年要点》（征求意见稿）的修改意见"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, letterTitle(tc.f)) })
	}
}

func TestFeedbackSummary(t *testing.T) {
	c, err := newCommon(&bytes.Buffer{}, Options{Rules: []RuleInfo{{ID: "owner-missing", Title: "条目缺少责任单位"}}})
	require.NoError(t, err)
	fb := &feedbackFormatter{common: c}
	of := func(ids ...string) []rules.Finding {
		var fds []rules.Finding
		for _, id := range ids {
			fds = append(fds, rules.Finding{RuleID: id})
		}
		return fds
	}
	cases := []struct {
		name     string
		themes   int
		specific []rules.Finding
		want     string
	}{
		{"nothing", 0, nil, "经研究，我单位无修改意见。"},
		{"themes only", 3, nil, "对照上级部署，提出落实方面的意见3条，见第一部分。其他方面无修改意见。"},
		{"most frequent first, then by id", 0, of("b", "owner-missing", "a", "owner-missing"),
			"共提出具体修改意见4条。其中：2处条目缺少责任单位，1处a，1处b。请逐项研究修改。"},
		{"the rest counted together", 0, of("a", "a", "b", "c", "d", "e", "f", "f", "g"),
			"共提出具体修改意见9条。其中：2处a，2处f，1处b，1处c，1处d，另有其他问题2处。请逐项研究修改。"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, fb.summary(tc.themes, tc.specific)) })
	}
}

func TestGroupBySection(t *testing.T) {
	at := func(section ...string) rules.Finding { return rules.Finding{Section: section} }
	fds := []rules.Finding{
		at(),
		at("一、总体要求"),
		at("二、重点工作", "（一）医改"),
		at("二、重点工作", "（一）医改", "1"),
		at("二、重点工作", "（一）医改", "（2）"),
		at("二、重点工作", "（二）公卫", "3"),
		at("二、重点工作", "（一）医改", "①"),
		at("三、保障", "（一）"),
	}
	var got []string
	for _, s := range groupBySection(fds) {
		got = append(got, fmt.Sprintf("%s: %d", s.name, len(s.findings)))
	}
	assert.Equal(t, []string{"一、总体要求: 1", "二、重点工作 › （一）医改: 4", "二、重点工作 › （二）公卫: 1", "三、保障: 1", "其他: 1"}, got)
}

func TestComment(t *testing.T) {
	long := strings.Repeat("字", 70)
	cases := []struct {
		name string
		fd   rules.Finding
		want string
	}{
		{"text", rules.Finding{Span: plan.Span{Start: plan.Position{Line: 3, Col: 5}}, Excerpt: "年内", Message: "时限不具体", Suggestion: "写明年月。"},
			"（第3行第5列）原文：“年内”。问题：时限不具体。建议：写明年月。"},
		{"document", rules.Finding{Span: plan.Span{Start: plan.Position{Line: 9, Col: 7, Para: 6, ParaChar: 5}}, Excerpt: "年\n内", Message: "时限不具体；"},
			"（段落6，第5字）原文：“年内”。问题：时限不具体。"},
		{"no position, no excerpt", rules.Finding{Message: "缺少标题？"}, "问题：缺少标题？"},
		{"clipped", rules.Finding{Excerpt: long, Message: "太长"}, "原文：“" + strings.Repeat("字", 59) + "…”。问题：太长。"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, comment(tc.fd)) })
	}
}

func TestHanNumber(t *testing.T) {
	for n, want := range map[int]string{1: "一", 9: "九", 10: "十", 11: "十一", 20: "二十", 35: "三十五", 99: "九十九", 100: "100", 0: "0"} {
		assert.Equal(t, want, hanNumber(n), "%d", n)
	}
}

func TestFeedbackSentence(t *testing.T) {
	for in, want := range map[string]string{"改": "改。", "改。": "改。", "改？": "改？", "改；": "改。", "改, ": "改。", "": "。"} {
		assert.Equal(t, want, sentence(in), "%q", in)
	}
}

func TestMarkdownLine(t *testing.T) {
	cases := []struct {
		in   block
		want string
	}{
		{block{text: "年内<b>*完成*</b>"}, `年内\<b\>\*完成\*\</b\>`},
		{block{text: "1. 单位"}, `1\. 单位`},
		{block{text: "- 单位"}, `\- 单位`},
		{block{text: "# 单位"}, `\# 单位`},
		{block{text: "85.5%"}, `85.5%`},
		{block{text: "2019. 年"}, `2019\. 年`},
		{block{text: "a__b", verbatim: true}, "a__b"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, mdLine(tc.in), tc.in.text)
	}
}
