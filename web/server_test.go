package web

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"log"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/report"
	"github.com/plancheck/plancheck/rules"
)

// TestCheckMatchesChecker: the API's json report holds exactly the
// findings the checker gives for the same draft, positions included,
// with and without a higher-level plan.
func TestCheckMatchesChecker(t *testing.T) {
	set := builtinSet(t)
	draft, parent := readFile(t, draftPath), readFile(t, parentPath)
	_, ts := newServer(t, Config{})
	for _, tc := range []struct {
		name    string
		parents [][]byte
	}{
		{"draft alone", nil},
		{"against a parent", [][]byte{parent}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, _ := direct(t, set, "draft.txt", draft, tc.parents...)
			require.NotEmpty(t, want)
			files := []formFile{{"draft", "draft.txt", draft}}
			for _, p := range tc.parents {
				files = append(files, formFile{"parent", "parent.txt", p})
			}
			body, ct := form(t, files, nil)
			status, h, data := post(t, ts.URL+"/api/check", body, ct)
			require.Equal(t, http.StatusOK, status, "%s", data)
			assert.Equal(t, "application/json; charset=utf-8", h.Get("Content-Type"))
			assert.Equal(t, strconv.Itoa(len(want)), h.Get("X-Plancheck-Findings"))
			r := decodeReport(t, data)
			got := r.Files[0].Findings
			require.Len(t, got, len(want))
			byRule := map[string]int{}
			for i, w := range want {
				byRule[w.RuleID]++
				assert.Equal(t, w.RuleID, got[i].Rule, "finding %d", i)
				assert.Equal(t, w.Start, got[i].Start, "finding %d (%s) start", i, w.RuleID)
				assert.Equal(t, w.End, got[i].End, "finding %d (%s) end", i, w.RuleID)
				assert.Equal(t, w.Message, got[i].Message, "finding %d", i)
			}
			assert.Equal(t, byRule, r.Summary.ByRule)
			assert.Equal(t, len(want), r.Summary.Findings)
		})
	}
}

// reviewDoc is the part of /api/review the tests read.
type reviewDoc struct {
	Draft struct {
		Name  string   `json:"name"`
		Docx  bool     `json:"docx"`
		Lines []string `json:"lines"`
		Paras []int    `json:"paras"`
	} `json:"draft"`
	Parents []struct {
		Lines []string `json:"lines"`
	} `json:"parents"`
	Report   json.RawMessage `json:"report"`
	Coverage []struct {
		ID      string `json:"id"`
		Parent  int    `json:"parent"`
		Verdict string `json:"verdict"`
		Span    *struct {
			Start struct{ Line, Col int }
		} `json:"span"`
		Matches []struct {
			Start struct{ Line int } `json:"start"`
		} `json:"matches"`
	} `json:"coverage"`
	Rules     []ruleJSON `json:"rules"`
	RunErrors []string   `json:"run_errors"`
	Formats   []string   `json:"formats"`
}

// TestReview: the page's document has the draft's lines, and every
// finding's (line, col) range cut out of them in code points, as the
// page's script cuts it, is the finding's excerpt.
func TestReview(t *testing.T) {
	set := builtinSet(t)
	draft, parent := readFile(t, draftPath), readFile(t, parentPath)
	_, ts := newServer(t, Config{})
	body, ct := form(t, []formFile{{"draft", "draft.txt", draft}, {"parent", "parent.txt", parent}}, nil)
	status, _, data := post(t, ts.URL+"/api/review", body, ct)
	require.Equal(t, http.StatusOK, status, "%s", data)
	var rv reviewDoc
	require.NoError(t, json.Unmarshal(data, &rv))

	want, coverage := direct(t, set, "draft.txt", draft, parent)
	assert.Equal(t, strings.Split(strings.TrimSuffix(string(draft), "\n"), "\n"), rv.Draft.Lines)
	assert.False(t, rv.Draft.Docx)
	r := decodeReport(t, rv.Report)
	require.Len(t, r.Files[0].Findings, len(want))
	for i, f := range r.Files[0].Findings {
		assert.Equal(t, want[i].Excerpt, cut(rv.Draft.Lines, f.Start.Line, f.Start.Col, f.End.Line, f.End.Col), "finding %d (%s)", i, f.Rule)
	}
	require.Len(t, rv.Parents, 1)
	require.Len(t, rv.Coverage, len(coverage))
	for i, c := range rv.Coverage {
		assert.Equal(t, coverage[i].Theme.ID, c.ID)
		assert.Equal(t, coverage[i].Verdict, c.Verdict)
		require.NotNil(t, c.Span, c.ID)
		assert.Equal(t, 1, c.Parent)
		// The link into the parent lands on the theme's own line.
		line := rv.Parents[0].Lines[c.Span.Start.Line-1]
		assert.Contains(t, line, coverage[i].Theme.Title, c.ID)
	}
	var ids []string
	for _, ru := range set.Enabled() {
		ids = append(ids, ru.ID)
	}
	var got []string
	for _, ru := range rv.Rules {
		got = append(got, ru.ID)
	}
	assert.Equal(t, ids, got)
	assert.Empty(t, rv.RunErrors)
	assert.Contains(t, rv.Formats, "json")
}

// cut returns the text of lines from (l1, c1) to (l2, c2), columns in
// code points, end exclusive, line ends as "\n".
func cut(lines []string, l1, c1, l2, c2 int) string {
	var b strings.Builder
	for l := l1; l <= l2 && l <= len(lines); l++ {
		r := []rune(lines[l-1])
		s, e := 0, len(r)
		if l == l1 {
			s = min(c1-1, len(r))
		}
		if l == l2 {
			e = min(c2-1, len(r))
		}
		if e > s {
			b.WriteString(string(r[s:e]))
		}
		if l < l2 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// TestReviewDocx: a Word draft is shown as its rendering, with
// paragraph numbers, and its findings index that rendering.
func TestReviewDocx(t *testing.T) {
	set := builtinSet(t)
	data := readFile(t, "../fixtures/docx/numbering.docx")
	_, ts := newServer(t, Config{})
	body, ct := form(t, []formFile{{"draft", "numbering.docx", data}}, nil)
	status, _, resp := post(t, ts.URL+"/api/review", body, ct)
	require.Equal(t, http.StatusOK, status, "%s", resp)
	var rv reviewDoc
	require.NoError(t, json.Unmarshal(resp, &rv))
	assert.True(t, rv.Draft.Docx)
	require.Len(t, rv.Draft.Paras, len(rv.Draft.Lines))
	assert.Equal(t, 1, rv.Draft.Paras[0])
	want, _ := direct(t, set, "numbering.docx", data)
	require.NotEmpty(t, want)
	r := decodeReport(t, rv.Report)
	require.Len(t, r.Files[0].Findings, len(want))
	for i, f := range r.Files[0].Findings {
		assert.Equal(t, want[i].Excerpt, cut(rv.Draft.Lines, f.Start.Line, f.Start.Col, f.End.Line, f.End.Col), "finding %d (%s)", i, f.Rule)
	}
}

// TestFormats: every download is the report in its format, named after
// the draft, with as many findings as the checker gives.
func TestFormats(t *testing.T) {
	set := builtinSet(t)
	draft := readFile(t, draftPath)
	want, _ := direct(t, set, "draft.txt", draft)
	s, ts := newServer(t, Config{})
	require.NotEmpty(t, s.formats)
	for _, format := range s.formats {
		t.Run(format, func(t *testing.T) {
			body, ct := form(t, []formFile{{"draft", "草稿.txt", draft}}, map[string]string{"format": format, "author": "市卫生健康委办公室", "date": "2019-03-15"})
			status, h, data := post(t, ts.URL+"/api/check", body, ct)
			require.Equal(t, http.StatusOK, status, "%s", data)
			df, err := s.download(format)
			require.NoError(t, err)
			assert.Equal(t, df.Type, h.Get("Content-Type"))
			_, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
			require.NoError(t, err)
			assert.Equal(t, "草稿"+df.Suffix, params["filename"])
			assert.Equal(t, strconv.Itoa(len(want)), h.Get("X-Plancheck-Findings"))

			// The same bytes as the report package writes for the same check.
			var b bytes.Buffer
			f, err := report.New(format, &b, report.Options{Rules: ruleInfos(set), Author: "市卫生健康委办公室", Date: "2019-03-15"})
			require.NoError(t, err)
			in, err := checker.ReadInput("草稿.txt", draft)
			require.NoError(t, err)
			p := plan.Parse(in.Source, &set.Vocab)
			require.NotNil(t, p.Title)
			title := strings.Join(strings.Fields(p.Title.Text), "")
			require.NoError(t, f.Start())
			require.NoError(t, f.File(report.File{Name: "草稿.txt", Source: in.Source, Findings: renamed(want, "草稿.txt"), Title: title}))
			require.NoError(t, f.Finish())
			assert.Equal(t, b.String(), string(data))
		})
	}
	if _, err := s.download("docx"); err == nil {
		t.Run("docx comments", func(t *testing.T) {
			body, ct := form(t, []formFile{{"draft", "draft.txt", draft}}, map[string]string{"format": "docx"})
			status, _, data := post(t, ts.URL+"/api/check", body, ct)
			require.Equal(t, http.StatusOK, status, "%s", data)
			assert.Equal(t, len(want), docxComments(t, data))
		})
	}
}

// docxComments counts the comments of a Word document.
func docxComments(t testing.TB, data []byte) int {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	for _, f := range zr.File {
		if f.Name == "word/comments.xml" {
			rc, err := f.Open()
			require.NoError(t, err)
			defer rc.Close()
			xml, err := io.ReadAll(rc)
			require.NoError(t, err)
			return bytes.Count(xml, []byte("<w:comment "))
		}
	}
	return 0
}

func renamed(fs []rules.Finding, name string) []rules.Finding {
	out := make([]rules.Finding, len(fs))
	for i, f := range fs {
		f.File = name
		out[i] = f
	}
	return out
}

// TestPastedText: pasted text is checked like the same text uploaded;
// browsers send a textarea's line ends as CR LF, which moves offsets but
// not lines and columns.
func TestPastedText(t *testing.T) {
	set := builtinSet(t)
	draft := readFile(t, draftPath)
	want, _ := direct(t, set, "draft.txt", draft)
	_, ts := newServer(t, Config{})
	crlf := strings.ReplaceAll(string(draft), "\n", "\r\n")
	body, ct := form(t, []formFile{{"draft", "", nil}}, map[string]string{"text": crlf})
	status, _, data := post(t, ts.URL+"/api/check", body, ct)
	require.Equal(t, http.StatusOK, status, "%s", data)
	r := decodeReport(t, data)
	assert.Equal(t, pastedName, r.Files[0].File)
	require.Len(t, r.Files[0].Findings, len(want))
	for i, f := range r.Files[0].Findings {
		assert.Equal(t, want[i].Start.Line, f.Start.Line)
		assert.Equal(t, want[i].Start.Col, f.Start.Col)
		assert.Equal(t, want[i].End.Col, f.End.Col)
		assert.Equal(t, want[i].Start.Offset+want[i].Start.Line-1, f.Start.Offset, "one CR more per line before")
	}
}

func TestRulesAPI(t *testing.T) {
	set := builtinSet(t)
	_, ts := newServer(t, Config{})
	resp, err := http.Get(ts.URL + "/api/rules")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var got rulesResponse
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	assert.Equal(t, "builtin", got.RuleSet.Name)
	enabled := set.Enabled()
	require.Len(t, got.Rules, len(enabled))
	for i, r := range enabled {
		assert.Equal(t, r.ID, got.Rules[i].ID)
		assert.Equal(t, r.Title, got.Rules[i].Title)
		assert.Equal(t, r.Severity.String(), got.Rules[i].Severity)
		assert.Equal(t, string(r.Scope), got.Rules[i].Scope)
		assert.Equal(t, r.Rationale, got.Rules[i].Rationale)
	}

	resp2, err := http.Get(ts.URL + "/api/rules?rules=nosuch")
	require.NoError(t, err)
	defer resp2.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp2.StatusCode)
	var e errorJSON
	require.NoError(t, json.NewDecoder(resp2.Body).Decode(&e))
	assert.Equal(t, "unknown-rules", e.Error.Code)
	assert.Regexp(t, hanRe, e.Error.Message)
}

// TestRuleSets: a request chooses among the configured sets; a set with
// a rule disabled does not report it.
func TestRuleSets(t *testing.T) {
	strict, lax := builtinSet(t), builtinSet(t)
	require.NoError(t, lax.Select(nil, []string{"deadline-*"}))
	_, ts := newServer(t, Config{RuleSets: []RuleSet{{Name: "config", Label: "本单位配置", Set: lax}, {Name: "builtin", Label: "内置规则", Set: strict}}})
	draft := readFile(t, draftPath)
	count := func(rulesName string) map[string]int {
		fields := map[string]string{}
		if rulesName != "" {
			fields["rules"] = rulesName
		}
		body, ct := form(t, []formFile{{"draft", "draft.txt", draft}}, fields)
		status, _, data := post(t, ts.URL+"/api/check", body, ct)
		require.Equal(t, http.StatusOK, status, "%s", data)
		return decodeReport(t, data).Summary.ByRule
	}
	assert.NotContains(t, count(""), "deadline-missing", "the first set is the default")
	assert.NotContains(t, count("config"), "deadline-missing")
	assert.Contains(t, count("builtin"), "deadline-missing")
}

func TestHealthzAndPage(t *testing.T) {
	_, ts := newServer(t, Config{ToolVersion: "1.2.3"})
	for _, tc := range []struct {
		path, typ, contains string
	}{
		{"/healthz", "application/json", `"status": "ok"`},
		{"/", "text/html", "开始检查"},
		{"/static/app.js", "text/javascript", "api/review"},
		{"/static/style.css", "text/css", ".comment"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := http.Get(ts.URL + tc.path)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Contains(t, resp.Header.Get("Content-Type"), tc.typ)
			assert.Contains(t, string(body), tc.contains)
			assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'self'")
		})
	}
	resp, err := http.Get(ts.URL + "/nosuch")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// TestAssetsOffline: nothing the page loads comes from elsewhere.
func TestAssetsOffline(t *testing.T) {
	n := 0
	err := fs.WalkDir(static, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := static.ReadFile(path)
		require.NoError(t, err)
		assert.True(t, utf8.Valid(data), path)
		for _, ref := range []string{"http://", "https://", "//cdn", "@import", "url("} {
			assert.NotContains(t, string(data), ref, path)
		}
		n++
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, 3, n, "index.html, style.css, app.js")
}

// TestLogHasNoContent: the log says what was asked, never what was sent.
func TestLogHasNoContent(t *testing.T) {
	var logBuf bytes.Buffer
	_, ts := newServer(t, Config{Log: log.New(&logBuf, "", 0)})
	body, ct := form(t, []formFile{{"draft", "机密草稿.txt", []byte("一、总体要求\n1.推进机密事项。\n")}}, map[string]string{"author": "某某办公室"})
	status, _, data := post(t, ts.URL+"/api/check", body, ct)
	require.Equal(t, http.StatusOK, status, "%s", data)
	body, ct = form(t, []formFile{{"draft", "机密草稿.txt", []byte{0, 1, 2}}}, nil)
	status, _, _ = post(t, ts.URL+"/api/check", body, ct)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	got := logBuf.String()
	assert.Contains(t, got, "POST /api/check 200")
	assert.Contains(t, got, "POST /api/check 422")
	for _, secret := range []string{"机密", "某某", "推进"} {
		assert.NotContains(t, got, secret)
	}
}

func TestDownloadName(t *testing.T) {
	for _, tc := range []struct{ name, suffix, want string }{
		{"草稿.txt", "（批注）.docx", "草稿（批注）.docx"},
		{"a.b.docx", ".sarif", "a.b.sarif"},
		{".txt", ".sarif", "plancheck.sarif"},
		{"noext", ".csv", "noext.csv"},
	} {
		assert.Equal(t, tc.want, downloadName(tc.name, tc.suffix))
	}
}

func TestDisplayName(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"草稿.txt", "草稿.txt"},
		{`C:\Users\张三\草稿.docx`, "草稿.docx"},
		{"../../etc/passwd", "passwd"},
		{"", "draft"},
	} {
		assert.Equal(t, tc.want, displayName(tc.file, "draft"))
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"20MB", 20 << 20},
		{"20 mb", 20 << 20},
		{"512KB", 512 << 10},
		{"1GiB", 1 << 30},
		{"3M", 3 << 20},
		{"1000", 1000},
		{"1000B", 1000},
		{"", 0},
		{"MB", 0},
		{"-1MB", 0},
		{"0", 0},
		{"1.5MB", 0},
		{"2000000GB", 0},
	} {
		got, err := ParseSize(tc.in)
		if tc.want == 0 {
			assert.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestSizeLabel(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{20 << 20, "20 MB"},
		{3 << 19, "1.5 MB"},
		{512 << 10, "512 KB"},
		{100, "100 字节"},
	} {
		assert.Equal(t, tc.want, sizeLabel(tc.n))
	}
}

// TestConcurrentChecksAgree: checks running at once, against the rule
// set's configured parent, give the same bytes as one alone.
func TestConcurrentChecksAgree(t *testing.T) {
	set := builtinSet(t)
	pin, err := checker.ReadInput("parent.txt", readFile(t, parentPath))
	require.NoError(t, err)
	parent := plan.Parse(pin.Source, &set.Vocab)
	_, ts := newServer(t, Config{RuleSets: []RuleSet{{Name: "config", Label: "本单位配置", Set: set, Parents: []*plan.Plan{parent}}}})
	draft := readFile(t, draftPath)
	check := func() []byte {
		body, ct := form(t, []formFile{{"draft", "draft.txt", draft}}, map[string]string{"format": "sarif"})
		status, _, data := post(t, ts.URL+"/api/check", body, ct)
		require.Equal(t, http.StatusOK, status, "%s", data)
		return data
	}
	want := check()
	assert.Contains(t, string(want), "theme-not-covered", "the configured parent is used")
	const n = 8
	got := make(chan []byte, n)
	for range n {
		body, ct := form(t, []formFile{{"draft", "draft.txt", draft}}, map[string]string{"format": "sarif"})
		go func() {
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/check", body)
			req.Header.Set("Content-Type", ct)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				got <- []byte(err.Error())
				return
			}
			defer resp.Body.Close()
			data, _ := io.ReadAll(resp.Body)
			got <- data
		}()
	}
	for range n {
		assert.Equal(t, string(want), string(<-got))
	}
}
