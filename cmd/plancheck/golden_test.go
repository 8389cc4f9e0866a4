package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenDrafts are checked in every format. Names are relative, so the
// file names inside the goldens do not depend on the checkout's location.
var goldenDrafts = []struct{ name, path string }{
	{"draft", sampleDraft},
	{"second", "testdata/second.txt"},
}

// assertGolden compares have with testdata/golden/name, or rewrites it
// under -update. An absent golden means empty output, so that the stderr
// goldens exist only where something is written there.
func assertGolden(t *testing.T, name, have string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if have == "" {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				require.NoError(t, err)
			}
			return
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(have), 0o644))
		return
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		data, err = nil, nil
	}
	require.NoError(t, err)
	if want := string(data); have != want {
		t.Errorf("%s differs from the golden (-want +have); run `go test ./cmd/plancheck -update` and review the diff if the change is intended:\n%s",
			path, lineDiff(want, have))
	}
}

// lineDiff is a line diff of want and have: "-" lines only in want, "+"
// lines only in have, runs of common lines shortened to their count.
func lineDiff(want, have string) string {
	a, b := strings.SplitAfter(want, "\n"), strings.SplitAfter(have, "\n")
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	same := 0
	flush := func() {
		if same > 0 {
			fmt.Fprintf(&out, "  … %d same line(s)\n", same)
			same = 0
		}
	}
	show := func(prefix, line string) {
		flush()
		fmt.Fprintf(&out, "%s %q\n", prefix, line)
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			same++
			i++
			j++
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			show("-", a[i])
			i++
		default:
			show("+", b[j])
			j++
		}
	}
	flush()
	return out.String()
}

// Every output format on the sample drafts, stdout and stderr kept apart.
func TestGoldenFormats(t *testing.T) {
	// The text formats README documents; a new format gets a golden when
	// it is added here (binary ones, such as docx, are tested in report).
	formats := []string{"text", "json", "sarif", "github", "checkstyle", "markdown", "csv"}
	require.Subset(t, report.Formats(), formats)
	for _, d := range goldenDrafts {
		protectInputs(t, d.path)
		// Precondition for the exit code: the draft has warnings or errors.
		r, _, _ := checkJSON(t, "", d.path)
		require.GreaterOrEqual(t, worstSeverity(r), severityRank["warning"], "%s: the goldens should show findings", d.path)
		for _, format := range formats {
			t.Run(d.name+"/"+format, func(t *testing.T) {
				out, errOut, code := runCLI(t, "", "check", "--format", format, d.path)
				assert.Equal(t, exitFindings, code)
				assertGolden(t, d.name+"."+format+".stdout", out)
				assertGolden(t, d.name+"."+format+".stderr", errOut)
			})
		}
	}
}

// The inspect tree of the sample draft.
func TestGoldenInspectTree(t *testing.T) {
	for _, d := range append(goldenDrafts, struct{ name, path string }{"table", "testdata/table.txt"}) {
		t.Run(d.name, func(t *testing.T) {
			protectInputs(t, d.path)
			out, errOut, code := runCLI(t, "", "inspect", d.path)
			assert.Equal(t, exitOK, code)
			assertGolden(t, d.name+".inspect.stdout", out)
			assertGolden(t, d.name+".inspect.stderr", errOut)
		})
	}
}

func TestLineDiff(t *testing.T) {
	assert.NotContains(t, lineDiff("a\nb\n", "a\nb\n"), "\"")
	assert.Equal(t, "  … 1 same line(s)\n- \"b\\n\"\n+ \"x\\n\"\n  … 2 same line(s)\n", lineDiff("a\nb\nc\n", "a\nx\nc\n"))
	assert.Equal(t, "  … 1 same line(s)\n+ \"n\\n\"\n  … 2 same line(s)\n", lineDiff("a\nc\n", "a\nn\nc\n"))
}
