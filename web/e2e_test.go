package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/rules"
)

// e2eResult is what e2e/e2e.js measured on the page.
type e2eResult struct {
	Highlights      int               `json:"highlights"`
	HighlightText   map[string]string `json:"highlightText"`
	AstralText      map[string]string `json:"astralText"`
	Comments        int               `json:"comments"`
	CoverageRows    int               `json:"coverageRows"`
	Lines           int               `json:"lines"`
	LaptopHighlight int               `json:"laptopHighlights"`
	AfterInfoOff    struct {
		Comments  int `json:"comments"`
		InfoMarks int `json:"infoMarks"`
	} `json:"afterInfoOff"`
	Downloads map[string]struct {
		File      string `json:"file"`
		Suggested string `json:"suggested"`
	} `json:"downloads"`
	TwoColumns      bool `json:"twoColumns"`
	NarrowOneColumn bool `json:"narrowOneColumn"`
	Clicked         struct {
		Inside bool `json:"inside"`
	} `json:"clicked"`
	ClickedFocused bool `json:"clickedFocused"`
	ParentLink     struct {
		Inside bool `json:"inside"`
	} `json:"parentLink"`
	ParentLinkFocused  bool     `json:"parentLinkFocused"`
	EnterFocusesSpan   bool     `json:"enterFocusesSpan"`
	EnterBackToComment bool     `json:"enterBackToComment"`
	TabOrder           []string `json:"tabOrder"`
	BinaryError        string   `json:"binaryError"`
	Screenshots        []string `json:"screenshots"`
	Problems           []string `json:"problems"`
}

// TestE2E drives the page in headless Chromium (e2e/e2e.js): upload the
// fixture draft and a parent, compare the highlights with the checker's
// findings, click a comment and see its span scroll into view, use the
// keyboard, download the commented .docx, and take screenshots at
// 1920×1080 and at 1366×768 with 125 % zoom into e2e/out/.
func TestE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("e2e: skipped in -short mode")
	}
	browser := os.Getenv("CHROMIUM")
	if browser == "" {
		var err error
		if browser, err = exec.LookPath("chromium"); err != nil {
			t.Skip("e2e: chromium not installed (apt-get install chromium fonts-noto-cjk)")
		}
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("e2e: node not installed")
	}
	if _, err := os.Stat("e2e/node_modules/playwright-core"); err != nil {
		t.Skip("e2e: playwright-core not installed (run `npm ci` in web/e2e)")
	}

	set := builtinSet(t)
	draft, parent := readFile(t, draftPath), readFile(t, parentPath)
	want, coverage := direct(t, set, "draft.txt", draft, parent)
	alone, _ := direct(t, set, "draft.txt", draft)
	require.Greater(t, len(want), len(alone), "the parent adds theme findings")
	_, ts := newServer(t, Config{})

	out, err := filepath.Abs("e2e/out")
	require.NoError(t, err)
	require.NoError(t, os.RemoveAll(out))
	absDraft, _ := filepath.Abs(draftPath)
	absParent, _ := filepath.Abs(parentPath)
	absAstral, _ := filepath.Abs(astralPath)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "e2e.js")
	cmd.Dir = "e2e"
	cmd.Env = append(os.Environ(),
		"PLANCHECK_URL="+ts.URL+"/", "PLANCHECK_DRAFT="+absDraft, "PLANCHECK_PARENT="+absParent,
		"PLANCHECK_ASTRAL="+absAstral, "PLANCHECK_OUT="+out, "CHROMIUM="+browser)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "e2e.js: %s", stderr.String())
	var r e2eResult
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &r), "%s", stdout.String())

	assert.Empty(t, r.Problems)
	assert.Equal(t, len(want), r.Highlights, "every finding is highlighted")
	assert.Equal(t, len(want), r.Comments)
	assert.Equal(t, len(alone), r.LaptopHighlight, "without the parent")
	assert.Equal(t, strings.Count(strings.TrimSuffix(string(draft), "\n"), "\n")+1, r.Lines)
	// The page draws lines without their line ends.
	noEOL := strings.NewReplacer("\r", "", "\n", "")
	for i, f := range want {
		assert.Equal(t, noEOL.Replace(f.Excerpt), r.HighlightText[strconv.Itoa(i)], "finding %d (%s): the highlighted text is the span's", i, f.RuleID)
	}
	astralWant, _ := direct(t, set, "astral.txt", readFile(t, astralPath))
	require.NotEmpty(t, astralWant)
	assert.Len(t, r.AstralText, len(astralWant))
	for i, f := range astralWant {
		assert.Equal(t, noEOL.Replace(f.Excerpt), r.AstralText[strconv.Itoa(i)], "astral finding %d (%s)", i, f.RuleID)
	}
	assert.Equal(t, len(coverage), r.CoverageRows)
	assert.True(t, r.ParentLink.Inside && r.ParentLinkFocused, "a task's link shows its line in the parent")
	info := 0
	for _, f := range want {
		if f.Severity == rules.Info {
			info++
		}
	}
	require.NotZero(t, info)
	assert.Equal(t, len(want)-info, r.AfterInfoOff.Comments, "unticking 提示 hides its comments")
	assert.Zero(t, r.AfterInfoOff.InfoMarks)

	assert.True(t, r.TwoColumns, "two columns at 1366×768, 125 %%")
	assert.True(t, r.NarrowOneColumn, "one column when narrow")
	assert.True(t, r.Clicked.Inside, "the clicked comment's span is in view")
	assert.True(t, r.ClickedFocused, "and has the focus")
	assert.True(t, r.EnterFocusesSpan, "Enter on a comment focuses its span")
	assert.True(t, r.EnterBackToComment, "Enter on the span goes back to the comment")
	date, run := slices.Index(r.TabOrder, "date"), slices.Index(r.TabOrder, "run")
	assert.True(t, date >= 0 && run > date, "Tab goes through the form to the run button: %v", r.TabOrder)
	assert.Contains(t, r.BinaryError, "不是文本文件")

	if dl, ok := r.Downloads["docx"]; ok {
		assert.Equal(t, "draft（批注）.docx", dl.Suggested)
		data := readFile(t, dl.File)
		assert.Equal(t, len(want), docxComments(t, data), "one Word comment per finding")
	} else {
		t.Error("no .docx download")
	}
	if dl, ok := r.Downloads["feedback-docx"]; ok {
		data := readFile(t, dl.File)
		_, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		assert.NoError(t, err, "the 修改意见 is a Word file")
	}
	if dl, ok := r.Downloads["json"]; ok {
		assert.Len(t, decodeReport(t, readFile(t, dl.File)).Files[0].Findings, len(want))
	}
	for _, s := range r.Screenshots {
		st, err := os.Stat(filepath.Join(out, s))
		if assert.NoError(t, err) {
			assert.Greater(t, st.Size(), int64(10<<10), "%s is a picture", s)
		}
	}
	t.Logf("screenshots in %s: %s", out, strings.Join(r.Screenshots, ", "))
}
