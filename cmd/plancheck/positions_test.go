package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/width"
)

// sarifLog is the part of a SARIF log the position test reads.
type sarifLog struct {
	Runs []struct {
		ColumnKind string `json:"columnKind"`
		Results    []struct {
			RuleID    string `json:"ruleId"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
						EndLine     int `json:"endLine"`
						EndColumn   int `json:"endColumn"`
						ByteOffset  int `json:"byteOffset"`
						ByteLength  int `json:"byteLength"`
						Snippet     *struct {
							Text string `json:"text"`
						} `json:"snippet"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

// Every SARIF region addresses exactly its snippet in the original file:
// lines and columns counted in code points with the end exclusive, and
// the byte range too.
func TestSARIFRegionsAddressSnippets(t *testing.T) {
	files := []string{sampleDraft, "testdata/second.txt"}
	if _, err := os.Stat(corpusDir); err == nil {
		for _, f := range corpusFiles(t, "*.txt", "national/*.txt") {
			if !strings.HasSuffix(f, ".source.txt") { // where a national text came from, not a plan
				files = append(files, f)
			}
		}
	} else {
		t.Log("../shared absent: checking the project's drafts only")
	}
	protectInputs(t, files...)
	for _, path := range files {
		t.Run(strings.TrimPrefix(path, corpusDir+"/"), func(t *testing.T) {
			out, errOut, code := runCLI(t, "", "check", "--format", "sarif", path)
			require.NotEqual(t, exitError, code, errOut)
			var log sarifLog
			require.NoError(t, json.Unmarshal([]byte(out), &log))
			require.Len(t, log.Runs, 1)
			run := log.Runs[0]
			assert.Equal(t, "unicodeCodePoints", run.ColumnKind)
			require.NotEmpty(t, run.Results, "precondition: the draft has findings")
			txt, data := readText(t, path)
			for i, res := range run.Results {
				require.Len(t, res.Locations, 1)
				reg := res.Locations[0].PhysicalLocation.Region
				require.NotNil(t, reg, "result %d (%s) has no region", i, res.RuleID)
				at := fmt.Sprintf("%s:%d:%d-%d:%d [%s]", path, reg.StartLine, reg.StartColumn, reg.EndLine, reg.EndColumn, res.RuleID)
				got, err := txt.span(reg.StartLine, reg.StartColumn, reg.EndLine, reg.EndColumn)
				if !assert.NoError(t, err, at) {
					continue
				}
				if reg.Snippet == nil {
					assert.Empty(t, got, "%s: a region without a snippet must be empty", at)
					continue
				}
				assert.Equal(t, reg.Snippet.Text, got, "%s: region by line/column", at)
				if assert.True(t, reg.ByteOffset >= 0 && reg.ByteLength >= 0 && reg.ByteOffset+reg.ByteLength <= len(data), at) {
					assert.Equal(t, reg.Snippet.Text, string(data[reg.ByteOffset:reg.ByteOffset+reg.ByteLength]), "%s: region by bytes", at)
				}
			}
		})
	}
}

// header is the first line of a text-format finding: file:line:col: severity: message [rule].
var header = regexp.MustCompile(`^(.+):(\d+):(\d+): (error|warning|info): (.*) \[([a-z0-9-]+)\]$`)

// cells is the display width of a character as the text format lays it out.
func cells(r rune) int {
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// underlined returns the characters of a displayed source line that the
// marks line puts '^' and '~' under.
func underlined(src, marks string) string {
	var b strings.Builder
	col := 0
	for _, r := range src {
		w := cells(r)
		if w > 0 && col < len(marks) && (marks[col] == '^' || marks[col] == '~') {
			b.WriteRune(r)
		}
		col += w
	}
	return b.String()
}

// Ten findings of the real draft 003, spread over the file: in json the
// excerpt is the text at line:col-endline:endcol; in the text format the
// header gives the same line:col and the underline sits under the excerpt.
func TestSpotCheckExcerpts(t *testing.T) {
	files := corpusFiles(t, "003_*.txt")
	path := files[0]
	protectInputs(t, path)
	txt, _ := readText(t, path)

	r, _, _ := checkJSON(t, "", path)
	fs := allFindings(r)
	require.GreaterOrEqual(t, len(fs), 10, "precondition: 003 has findings to sample")
	var sample []ReportFinding
	for i := range 10 {
		sample = append(sample, fs[i*(len(fs)-1)/9])
	}
	for _, f := range sample {
		got, err := txt.span(f.Start.Line, f.Start.Col, f.End.Line, f.End.Col)
		require.NoError(t, err, f.where())
		assert.Equal(t, f.Excerpt, got, f.where())
	}

	out, _, _ := runCLI(t, "", "check", "--format", "text", path)
	// Index the text output's finding blocks by their header.
	type block struct{ src, marks string }
	blocks := map[string]block{}
	ls := lines(out)
	for i, l := range ls {
		m := header.FindStringSubmatch(l)
		if m == nil || i+2 >= len(ls) {
			continue
		}
		_, src, ok1 := strings.Cut(ls[i+1], " | ")
		_, marks, ok2 := strings.Cut(ls[i+2], " | ")
		require.True(t, ok1 && ok2, "finding %q has no underlined source line", l)
		blocks[m[2]+":"+m[3]+" "+m[6]+" "+m[5]] = block{src, marks}
	}
	clipped := 0
	for _, f := range sample {
		key := strconv.Itoa(f.Start.Line) + ":" + strconv.Itoa(f.Start.Col) + " " + f.Rule + " " + f.Message
		b, ok := blocks[key]
		if !assert.True(t, ok, "text output has no finding %s", key) {
			continue
		}
		// The underline covers the excerpt (its first line, and only the
		// part the display window shows).
		want, _, _ := strings.Cut(f.Excerpt, "\n")
		have := underlined(b.src, b.marks)
		if have != want && have != "" && strings.HasSuffix(b.src, "…") && strings.HasPrefix(want, have) {
			clipped++ // the window cut the span short
			continue
		}
		assert.Equal(t, want, have, "%s: underlined text\n%s\n%s", key, b.src, b.marks)
	}
	assert.Less(t, clipped, len(sample)/2, "most sampled underlines should be compared whole")
}
