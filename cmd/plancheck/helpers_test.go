package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Inputs the tests read, relative to the package directory. Goldens use
// these relative names, so they do not depend on where the checkout lives.
const (
	sampleDraft = "../../fixtures/samples/draft.txt"
	corpusDir   = "../../../shared/corpus"
	corpus003   = corpusDir + "/003_b8266a3591212cdf.txt"
)

// corpusFiles returns the real plans of ../shared/corpus matching the
// globs (relative to the corpus folder), or skips the test when the folder
// is absent (a fresh clone has no ../shared).
func corpusFiles(t *testing.T, globs ...string) []string {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skip("real plans not available: ../shared absent")
	}
	var files []string
	for _, g := range globs {
		m, err := filepath.Glob(filepath.Join(corpusDir, g))
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.NotEmpty(t, files, "no corpus files match %v", globs)
	return files
}

// fileState is what protectInputs remembers of an input.
type fileState struct {
	sum   [32]byte
	mtime int64
	size  int64
}

func statFile(t *testing.T, path string) fileState {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	st, err := os.Stat(path)
	require.NoError(t, err)
	return fileState{sum: sha256.Sum256(data), mtime: st.ModTime().UnixNano(), size: st.Size()}
}

// protectInputs checks, when the test ends, that plancheck wrote none of
// paths: same bytes, same modification time.
func protectInputs(t *testing.T, paths ...string) {
	t.Helper()
	before := map[string]fileState{}
	for _, p := range paths {
		before[p] = statFile(t, p)
	}
	t.Cleanup(func() {
		for _, p := range paths {
			if after := statFile(t, p); after != before[p] {
				t.Errorf("input %s was modified by the run", p)
			}
		}
	})
}

// Report is the json format's document (report/doc.go), decoded.
type Report struct {
	Version int          `json:"version"`
	Files   []ReportFile `json:"files"`
	Summary struct {
		Files      int            `json:"files"`
		Failed     int            `json:"failed"`
		Findings   int            `json:"findings"`
		BySeverity map[string]int `json:"by_severity"`
		ByRule     map[string]int `json:"by_rule"`
	} `json:"summary"`
}

// ReportFile is one input of a json report.
type ReportFile struct {
	File     string          `json:"file"`
	Error    string          `json:"error"`
	Findings []ReportFinding `json:"findings"`
}

// ReportPos is a position of the json format.
type ReportPos struct {
	Line   int `json:"line"`
	Col    int `json:"col"`
	Offset int `json:"offset"`
}

// ReportFinding is one finding of the json format.
type ReportFinding struct {
	Rule        string    `json:"rule"`
	Severity    string    `json:"severity"`
	Start       ReportPos `json:"start"`
	End         ReportPos `json:"end"`
	Section     []string  `json:"section"`
	Excerpt     string    `json:"excerpt"`
	Message     string    `json:"message"`
	Suggestion  string    `json:"suggestion"`
	Fingerprint string    `json:"fingerprint"`
}

// where is a finding's identity without its file name and byte offsets:
// what must not change when the same text is re-encoded or moved between
// files.
func (f ReportFinding) where() string {
	return fmt.Sprintf("%d:%d-%d:%d %s %q %s", f.Start.Line, f.Start.Col, f.End.Line, f.End.Col, f.Rule, f.Excerpt, f.Message)
}

// checkJSON runs `check --format json` with extra flags before the files
// and decodes the report; the exit code is returned for the caller to check.
func checkJSON(t *testing.T, stdin string, flagsAndFiles ...string) (Report, string, int) {
	t.Helper()
	out, errOut, code := runCLI(t, stdin, append([]string{"check", "--format", "json"}, flagsAndFiles...)...)
	var r Report
	require.NoError(t, json.Unmarshal([]byte(out), &r), "stdout is not a json report (exit %d, stderr %q):\n%s", code, errOut, out)
	require.Equal(t, 1, r.Version)
	return r, errOut, code
}

// allFindings flattens a report's findings, in output order.
func allFindings(r Report) []ReportFinding {
	var fs []ReportFinding
	for _, f := range r.Files {
		fs = append(fs, f.Findings...)
	}
	return fs
}

// text is a decoded file indexed by character, to read what a (line, col)
// span addresses without searching for it.
type text struct {
	runes      []rune
	lineStarts []int // rune index where each line starts
}

func newText(s string) *text {
	t := &text{runes: []rune(s), lineStarts: []int{0}}
	for i, r := range t.runes {
		if r == '\n' {
			t.lineStarts = append(t.lineStarts, i+1)
		}
	}
	return t
}

// index turns a 1-based line and character column into a rune index; ok
// is false when the position lies outside the text or past its line's end.
func (t *text) index(line, col int) (int, bool) {
	if line < 1 || line > len(t.lineStarts) || col < 1 {
		return 0, false
	}
	lineEnd := len(t.runes)
	if line < len(t.lineStarts) {
		lineEnd = t.lineStarts[line] - 1 // the '\n'
	}
	i := t.lineStarts[line-1] + col - 1
	return i, i <= lineEnd
}

// span returns the characters of [start, end) given as 1-based line and
// column, end exclusive.
func (t *text) span(sl, sc, el, ec int) (string, error) {
	s, ok1 := t.index(sl, sc)
	e, ok2 := t.index(el, ec)
	if !ok1 || !ok2 || e < s {
		return "", fmt.Errorf("span %d:%d-%d:%d is outside the text or reversed", sl, sc, el, ec)
	}
	return string(t.runes[s:e]), nil
}

// readText reads a UTF-8 file for position checks: its characters
// (without a BOM) and its bytes as stored (byte offsets count the BOM).
func readText(t *testing.T, path string) (*text, []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return newText(string(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))), data
}

// lines splits output into lines without the trailing empty one.
func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// copyFile copies src to dst, creating dst's folder.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
	require.NoError(t, os.WriteFile(dst, data, 0o644))
}
