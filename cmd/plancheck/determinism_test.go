package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// layOutCopies lays out copies of srcs in dir: copies subfolders, each holding
// every source, so that a directory walk meets many files.
func layOutCopies(t *testing.T, dir string, srcs []string, copies int) int {
	t.Helper()
	n := 0
	for i := range copies {
		for _, src := range srcs {
			copyFile(t, src, filepath.Join(dir, fmt.Sprintf("batch%02d", i), filepath.Base(src)))
			n++
		}
	}
	return n
}

// The report is the same bytes whatever --jobs, and from run to run
// (Vale's TestIsDeterministic).
func TestDeterministicOutput(t *testing.T) {
	t.Parallel() // the slowest test, and self-contained: overlap it with the rest
	srcs := []string{sampleDraft, "testdata/second.txt"}
	if _, err := os.Stat(corpusDir); err == nil {
		srcs = corpusFiles(t, "*.txt")
	} else {
		t.Log("../shared absent: using the project's drafts")
	}
	protectInputs(t, srcs...)
	copies := 100 / len(srcs)
	if testing.Short() {
		copies = 2
	}
	dir := t.TempDir()
	n := layOutCopies(t, dir, srcs, copies)

	runJSON := func(jobs int, args ...string) string {
		t.Helper()
		out, errOut, code := runCLI(t, "", append([]string{"check", "--format", "json", "--jobs", fmt.Sprint(jobs)}, args...)...)
		require.Empty(t, errOut)
		require.Equal(t, exitFindings, code)
		return out
	}
	want := runJSON(1, dir)
	var r Report
	require.NoError(t, json.Unmarshal([]byte(want), &r))
	require.Len(t, r.Files, n, "every copy is checked")
	require.NotEmpty(t, allFindings(r))
	// Every copy of a draft, checked by whichever worker, gets the same
	// findings: many samples of any map-order dependence in one run.
	byDraft := map[string][]ReportFinding{}
	for _, f := range r.Files {
		base := filepath.Base(f.File)
		if first, ok := byDraft[base]; ok {
			assert.Equal(t, first, f.Findings, "%s differs from the first copy of %s", f.File, base)
		} else {
			byDraft[base] = f.Findings
		}
	}
	for _, jobs := range []int{2, 8} {
		assert.Equal(t, want, runJSON(jobs, dir), "--jobs %d differs from --jobs 1", jobs)
	}

	// Repeated runs over a smaller set (the whole set is slow on 2 cores).
	few := filepath.Join(dir, "batch00")
	first := runJSON(8, few)
	for range 2 {
		assert.Equal(t, first, runJSON(8, few), "a repeated run differs")
	}
}
