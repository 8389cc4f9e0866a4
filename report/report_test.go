package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// draftA is a small plan with what stresses the renderers: full-width
// indentation, a tab, a span over two lines, a line far wider than a
// terminal, ASCII punctuation among Chinese.
const draftA = "2024年全市卫生健康工作要点\n" +
	"一、重点工作\n" +
	"（一）深化医药卫生体制改革\n" +
	"　　1.推进紧密型县域医共体建设，年内完成。\n" +
	"　　2.提高家庭医生签约服务覆盖率，\n" +
	"力争达到85%以上。（责任单位：基层卫生科）\n" +
	"\t3.健全公共卫生体系，加强疾病预防控制机构能力建设，完善重大疫情监测预警机制，提升突发公共卫生事件应急处置能力,推动医防融合发展，适时开展全员培训和应急演练，建立健全分级分层分流的重大疫情救治体系，做好传染病防控工作。\n"

const draftC = "2024年工作计划\n一、工作任务\n"

var testRules = []RuleInfo{
	{ID: "punct-halfwidth", Title: "中文语境使用半角标点", Severity: rules.Warning,
		Rationale: "GB/T 15834—2011 规定中文语境使用全角标点。", Tags: []string{"punctuation", "gb-15834"}},
	{ID: "owner-missing", Title: "条目缺少责任单位", Severity: rules.Error,
		Rationale: "每项任务都应写明牵头单位，便于督办。", Tags: []string{"owner"}},
	{ID: "deadline-vague", Title: "完成时限不具体", Severity: rules.Warning,
		Rationale: "“年内”“适时”等说法无法督办，应写明年月。", Tags: []string{"deadline", "deadline"}},
	{ID: "target-baseline", Title: "目标缺少基数", Severity: rules.Info},
	{ID: "target-missing", Title: "条目缺少量化目标", Severity: rules.Info},
}

var testOptions = Options{
	ToolVersion:    "0.1.0-test",
	InformationURI: "https://github.com/plancheck/plancheck",
	Rules:          testRules,
}

// spanOf returns the decoded byte range of needle, which must occur exactly
// once in src (test setup only: production code never searches).
func spanOf(t *testing.T, src *plan.Source, needle string) (int, int) {
	t.Helper()
	require.Equal(t, 1, strings.Count(src.Text, needle), "needle %q must be unique", needle)
	i := strings.Index(src.Text, needle)
	return i, i + len(needle)
}

func finding(t *testing.T, src *plan.Source, start, end int, rule string, sev rules.Severity, msg, sugg string, section ...string) rules.Finding {
	t.Helper()
	return rules.Finding{
		RuleID: rule, Severity: sev, File: src.Name, Span: src.Span(start, end),
		Excerpt: src.Text[start:end], Message: msg, Suggestion: sugg, Section: section,
		Fingerprint: fmt.Sprintf("%s:%d", rule, start),
	}
}

// testFiles is the fixed input of the golden tests: a file with findings of
// every severity, a file that could not be read, and a clean file.
func testFiles(t *testing.T) []File {
	t.Helper()
	a, err := plan.NewSource("drafts/2024年工作要点.txt", []byte(draftA))
	require.NoError(t, err)
	c, err := plan.NewSource("drafts/c.txt", []byte(draftC))
	require.NoError(t, err)
	sec := []string{"一、重点工作", "（一）深化医药卫生体制改革"}
	item := func(n string) []string { return append(slices.Clone(sec), n) }

	s, e := spanOf(t, a, "年内")
	_, done := spanOf(t, a, "年内完成。")
	ms, me := spanOf(t, a, "提高家庭医生签约服务覆盖率，\n力争达到85%以上")
	cs, ce := spanOf(t, a, ",")
	ss, se := spanOf(t, a, "适时")
	ts, te := spanOf(t, a, "2024年")
	fs := []rules.Finding{
		finding(t, a, ss, se, "deadline-vague", rules.Warning, "完成时限“适时”不具体", "写明完成时限，如“2024年6月底前”", item("3")...),
		finding(t, a, s, e, "deadline-vague", rules.Warning, "完成时限“年内”不具体", "写明完成的年月，如“2024年12月底前”", item("1")...),
		finding(t, a, done, done, "owner-missing", rules.Error, "条目1未写明责任单位", "在条目末尾注明“（责任单位：…）”", item("1")...),
		finding(t, a, ms, me, "target-baseline", rules.Info, "目标“85%以上”未写明基数和统计口径", "", item("2")...),
		finding(t, a, cs, ce, "punct-halfwidth", rules.Warning, "中文之间用了半角逗号“,”", "改为全角逗号“，”", item("3")...),
		finding(t, a, ts, te, "title-year", rules.Info, "标题年份“2024年”与发文日期不一致", "核对标题年份"),
	}
	return []File{
		{Name: a.Name, Source: a, Findings: rules.SortFindings(fs)},
		{Name: "drafts/扫描件.doc", Err: fmt.Errorf("%w: NUL byte at offset 12", plan.ErrBinary)},
		{Name: c.Name, Source: c},
	}
}

func render(t *testing.T, format string, opt Options, files []File) []byte {
	t.Helper()
	var b bytes.Buffer
	f, err := New(format, &b, opt)
	require.NoError(t, err)
	require.NoError(t, f.Start())
	for _, file := range files {
		require.NoError(t, f.File(file))
	}
	require.NoError(t, f.Finish())
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	files := testFiles(t)
	colour := testOptions
	colour.Color = true
	cases := []struct {
		golden, format string
		opt            Options
	}{
		{"checkstyle", "checkstyle", testOptions},
		{"csv", "csv", testOptions},
		{"github", "github", testOptions},
		{"json", "json", testOptions},
		{"markdown", "markdown", testOptions},
		{"sarif", "sarif", testOptions},
		{"text", "text", testOptions},
		{"text_color", "text", colour},
		{"text_bare", "text", Options{}},
	}
	for _, tc := range cases {
		t.Run(tc.golden, func(t *testing.T) {
			got := render(t, tc.format, tc.opt, files)
			path := filepath.Join("testdata", "golden", tc.golden+".golden")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, got, 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./report -update to create it")
			// Strings, so that a mismatch prints a have/want diff.
			assert.Equal(t, string(want), string(got))
		})
	}
}

func TestGoldenCoversEveryFormat(t *testing.T) {
	for _, f := range Formats() {
		_, err := os.Stat(filepath.Join("testdata", "golden", f+".golden"))
		assert.NoError(t, err, "format %s has no golden file", f)
	}
}

// TestDeterministic renders every format twice, the second time with the
// rules in another order: the bytes must not change.
func TestDeterministic(t *testing.T) {
	files := testFiles(t)
	shuffled := testOptions
	shuffled.Rules = slices.Clone(testRules)
	slices.Reverse(shuffled.Rules)
	for _, format := range Formats() {
		in := files
		if oneDocument[format] {
			in = files[:1]
		}
		first := render(t, format, testOptions, in)
		for range 3 {
			assert.Equal(t, string(first), string(render(t, format, shuffled, in)), format)
		}
	}
}

func TestFormats(t *testing.T) {
	assert.Equal(t, []string{"checkstyle", "csv", "docx", "feedback-docx", "feedback-md", "github", "json", "markdown", "sarif", "text"}, Formats())
}

func TestNewErrors(t *testing.T) {
	_, err := New("xml", &bytes.Buffer{}, Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"xml"`)
	assert.Contains(t, err.Error(), strings.Join(Formats(), ", "))

	dup := Options{Rules: []RuleInfo{{ID: "a-b"}, {ID: "c"}, {ID: "a-b"}}}
	_, err = New("text", &bytes.Buffer{}, dup)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"a-b"`)
}

func TestEmptyRun(t *testing.T) {
	for _, format := range Formats() {
		if oneDocument[format] {
			continue // TestDocxOneInput
		}
		out := render(t, format, Options{}, nil)
		if format == "github" {
			// Annotations only: nothing to annotate, nothing to say.
			assert.Empty(t, out)
			continue
		}
		assert.NotEmpty(t, out, format)
	}
	assert.Equal(t, "0 个文件，未发现问题\n", string(render(t, "text", Options{}, nil)))
}

func TestSentence(t *testing.T) {
	cases := []struct {
		name  string
		files []File
		want  string
	}{
		{"clean", []File{{Name: "a"}, {Name: "b"}}, "2 个文件，未发现问题"},
		{"failed", []File{{Name: "a", Err: plan.ErrEmpty}}, "1 个文件，未发现问题，1 个文件无法检查"},
		{"mixed", []File{{Name: "a", Findings: []rules.Finding{
			{RuleID: "x", Severity: rules.Info}, {RuleID: "x", Severity: rules.Error}, {RuleID: "y", Severity: rules.Info},
		}}}, "1 个文件，3 条意见（错误 1，提示 2）"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := newCommon(&bytes.Buffer{}, Options{})
			require.NoError(t, err)
			for _, f := range tc.files {
				c.tally.add(f)
			}
			assert.Equal(t, tc.want, c.tally.sentence())
		})
	}
}

func TestLocation(t *testing.T) {
	pos := plan.Span{Start: plan.Position{Line: 78, Col: 5, Offset: 900}, End: plan.Position{Line: 78, Col: 7, Offset: 906}}
	cases := []struct {
		name string
		fd   rules.Finding
		want string
	}{
		{"section and line", rules.Finding{Span: pos, Section: []string{"二、重点工作", "（三）…", "11"}}, "二、重点工作 › （三）… › 11，第78行第5列"},
		{"line only", rules.Finding{Span: pos}, "第78行第5列"},
		{"section only", rules.Finding{Section: []string{"一、总体要求"}}, "一、总体要求"},
		{"paragraph", rules.Finding{Span: plan.Span{Start: plan.Position{Line: 3, Col: 4, Para: 2, ParaChar: 9}}, Section: []string{"一"}}, "一，段落 2，第9字"},
		{"empty section name", rules.Finding{Span: pos, Section: []string{""}}, "第78行第5列"},
		{"nothing", rules.Finding{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, location(tc.fd)) })
	}
}
