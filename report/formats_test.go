package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// TestJSONRoundTrip decodes the streamed document and encodes it again in
// one piece: the bytes must be the same, so the streaming is exact, and
// the content must be the input's.
func TestJSONRoundTrip(t *testing.T) {
	files := testFiles(t)
	for _, in := range [][]File{files, nil, files[1:2]} {
		out := render(t, "json", testOptions, in)
		var doc jsonReport
		require.NoError(t, json.Unmarshal(out, &doc))
		again, err := marshalJSON(doc)
		require.NoError(t, err)
		assert.Equal(t, string(out), string(again)+"\n")
	}

	var doc jsonReport
	require.NoError(t, json.Unmarshal(render(t, "json", testOptions, files), &doc))
	assert.Equal(t, jsonSchemaVersion, doc.Version)
	assert.Equal(t, jsonTool{Name: "plancheck", Version: "0.1.0-test"}, doc.Tool)
	require.Len(t, doc.Files, 3)
	assert.Equal(t, "drafts/扫描件.doc", doc.Files[1].File)
	assert.Contains(t, doc.Files[1].Error, "NUL byte at offset 12")
	assert.NotNil(t, doc.Files[2].Findings)
	fds := files[0].Findings
	require.Len(t, doc.Files[0].Findings, len(fds))
	for i, jf := range doc.Files[0].Findings {
		fd := fds[i]
		sev, err := rules.ParseSeverity(jf.Severity)
		require.NoError(t, err)
		assert.Equal(t, fd.Severity, sev)
		assert.Equal(t, plan.Span{Start: jf.Start, End: jf.End}, fd.Span)
		assert.Equal(t, fd.RuleID, jf.Rule)
		assert.Equal(t, fd.Excerpt, jf.Excerpt)
		assert.Equal(t, fd.Fingerprint, jf.Fingerprint)
		assert.NotNil(t, jf.Section)
	}
	assert.Equal(t, jsonSummary{
		Files: 3, Failed: 1, Findings: 6,
		BySeverity: map[string]int{"error": 1, "warning": 3, "info": 2},
		ByRule:     map[string]int{"deadline-vague": 2, "owner-missing": 1, "punct-halfwidth": 1, "target-baseline": 1, "title-year": 1},
	}, doc.Summary)
}

func TestGitHubEscaping(t *testing.T) {
	fd := rules.Finding{
		RuleID: "x-y", Severity: rules.Info,
		Span:    plan.Span{Start: plan.Position{Line: 2, Col: 3}, End: plan.Position{Line: 2, Col: 5}},
		Message: "达到85%\r\n以上: 是, 否", Suggestion: "改",
	}
	opt := Options{Rules: []RuleInfo{{ID: "x-y", Title: "a:b,c%"}}}
	out := string(render(t, "github", opt, []File{
		{Name: "dir/a,b:c.txt", Findings: []rules.Finding{fd}},
		{Name: "e.txt", Err: errors.New("first\nsecond")},
	}))
	assert.Equal(t,
		"::notice file=dir/a%2Cb%3Ac.txt,line=2,col=3,endLine=2,endColumn=5,title=[x-y] a%3Ab%2Cc%25::达到85%25%0D%0A以上: 是, 否%0A建议：改\n"+
			"::error file=e.txt::first; second\n", out)
}

func TestGitHubPositions(t *testing.T) {
	cases := []struct {
		name string
		span plan.Span
		want string
	}{
		{"one line", plan.Span{Start: plan.Position{Line: 3, Col: 1}, End: plan.Position{Line: 3, Col: 4}}, "line=3,col=1,endLine=3,endColumn=4,"},
		{"several lines", plan.Span{Start: plan.Position{Line: 3, Col: 7}, End: plan.Position{Line: 5, Col: 2}}, "line=3,endLine=5,"},
		{"no position", plan.Span{}, "file=a.txt,title="},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := string(render(t, "github", Options{}, []File{{Name: "a.txt", Findings: []rules.Finding{
				{RuleID: "r", Severity: rules.Warning, Span: tc.span, Message: "m"},
			}}}))
			assert.Contains(t, out, tc.want)
			assert.True(t, strings.HasPrefix(out, "::warning file=a.txt,"), out)
		})
	}
}

func TestCheckstyleParses(t *testing.T) {
	type xmlError struct {
		Line     int    `xml:"line,attr"`
		Column   int    `xml:"column,attr"`
		Severity string `xml:"severity,attr"`
		Message  string `xml:"message,attr"`
		Source   string `xml:"source,attr"`
	}
	type xmlFile struct {
		Name   string     `xml:"name,attr"`
		Errors []xmlError `xml:"error"`
	}
	var doc struct {
		XMLName xml.Name  `xml:"checkstyle"`
		Version string    `xml:"version,attr"`
		Files   []xmlFile `xml:"file"`
	}
	files := testFiles(t)
	files[0].Findings[0].Message = `含 <"&'> 的说明`
	require.NoError(t, xml.Unmarshal(render(t, "checkstyle", testOptions, files), &doc))
	assert.Equal(t, "4.3", doc.Version)
	require.Len(t, doc.Files, 3)
	assert.Equal(t, files[0].Name, doc.Files[0].Name)
	fds := files[0].Findings
	require.Len(t, doc.Files[0].Errors, len(fds))
	for i, e := range doc.Files[0].Errors {
		fd := fds[i]
		assert.Equal(t, fd.Start.Line, e.Line)
		assert.Equal(t, fd.Start.Col, e.Column)
		assert.Equal(t, fd.Severity.String(), e.Severity)
		assert.Equal(t, messageWithSuggestion(fd), e.Message, "newlines survive attribute normalisation")
		assert.Equal(t, "plancheck."+fd.RuleID, e.Source)
	}
	require.Len(t, doc.Files[1].Errors, 1)
	assert.Equal(t, "error", doc.Files[1].Errors[0].Severity)
	assert.Empty(t, doc.Files[2].Errors)
}

func TestCSVForExcel(t *testing.T) {
	files := testFiles(t)
	out := render(t, "csv", testOptions, files)
	require.True(t, bytes.HasPrefix(out, []byte("\uFEFF")), "BOM first")
	body := out[len("\uFEFF"):]
	assert.NotContains(t, strings.ReplaceAll(string(body), "\r\n", ""), "\n", "every line end is CRLF")
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+len(files[0].Findings)+1)
	assert.Equal(t, csvHeader, rows[0])
	for i, fd := range files[0].Findings {
		row := rows[1+i]
		// csv.Reader turns the CRLF inside a quoted field back into LF.
		assert.Equal(t, []string{files[0].Name, strconv.Itoa(i + 1), location(fd), fd.Excerpt, fd.Message, fd.Suggestion, fd.RuleID, severityLabel(fd.Severity)}, row)
	}
	last := rows[len(rows)-1]
	assert.Equal(t, "drafts/扫描件.doc", last[0])
	assert.Equal(t, "错误", last[7])
	assert.Contains(t, last[4], "无法检查")
}

func TestCSVCell(t *testing.T) {
	cases := []struct{ in, want string }{
		{"年内", "年内"},
		{"", ""},
		{"=SUM(A1)", "'=SUM(A1)"},
		{"+5%", "'+5%"},
		{"-2", "'-2"},
		{"@x", "'@x"},
		{"5-8%", "5-8%"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, csvCell(tc.in), tc.in)
	}
}

func TestMarkdownCell(t *testing.T) {
	cases := []struct{ in, want string }{
		{"年内完成", "年内完成"},
		{"a|b", `a\|b`},
		{"第一行\n第二行\r\n第三行", "第一行<br>第二行<br>第三行"},
		{"*强调* _x_ `c` <b> [l] ~s~ #1 a\\b", "\\*强调\\* \\_x\\_ \\`c\\` \\<b\\> \\[l\\] \\~s\\~ \\#1 a\\\\b"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, string(appendMDCell(nil, tc.in)), tc.in)
	}
}

func TestClip(t *testing.T) {
	assert.Equal(t, "年内完成", clip("年内完成", 4))
	assert.Equal(t, "年内…", clip("年内完成", 3))
	long := strings.Repeat("字", maxExcerptRunes+5)
	out := string(render(t, "markdown", Options{}, []File{{Name: "a.txt", Findings: []rules.Finding{
		{RuleID: "r", Severity: rules.Info, Excerpt: long, Message: "m"},
	}}}))
	assert.Contains(t, out, "| "+strings.Repeat("字", maxExcerptRunes-1)+"… |")
	assert.NotContains(t, out, long)
}

// Replacers that say what the hand-written escapers must do, byte for
// byte; FuzzEscapers holds the escapers to them.
var (
	githubDataReplacer     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubPropertyReplacer = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	markdownReplacer       = strings.NewReplacer(
		`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
		"<", `\<`, ">", `\>`, "~", `\~`, "#", `\#`,
		"\r\n", "<br>", "\n", "<br>", "\r", "<br>",
	)
)

func xmlEscaped(s string) string {
	var b strings.Builder
	// Writing to a strings.Builder never fails.
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// escaperSeeds are the characters each escaper handles and some it must
// leave alone.
var escaperSeeds = []string{
	"",
	"达到85%\r\n以上: 是, 否",
	"a|b*c_d`e[f]g<h>i~j#k\\l",
	"第一行\n第二行\r\n第三行\r\r\n\n\r",
	`含 <"&'> 的说明`,
	"\x00\x01\t\x0b\x1f\x7f",
	"\xff年\xe5\xb9\xef\xbf\xbe\xef\xbf\xbf\ufffd",
	"\U0001F600\u2028",
}

func TestEscapers(t *testing.T) {
	for _, s := range escaperSeeds {
		checkEscapers(t, s)
	}
}

func FuzzEscapers(f *testing.F) {
	for _, s := range escaperSeeds {
		f.Add(s)
	}
	f.Fuzz(checkEscapers)
}

func checkEscapers(t *testing.T, s string) {
	assert.Equal(t, githubDataReplacer.Replace(s), string(appendGitHubData(nil, s)), "github data %q", s)
	assert.Equal(t, githubPropertyReplacer.Replace(s), string(appendGitHubProperty(nil, s)), "github property %q", s)
	assert.Equal(t, markdownReplacer.Replace(s), string(appendMDCell(nil, s)), "markdown %q", s)
	assert.Equal(t, xmlEscaped(s), string(appendXMLAttr(nil, s)), "xml %q", s)
}
