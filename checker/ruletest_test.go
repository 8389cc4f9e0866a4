package checker_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/rules"
)

// copyFixtures copies testdata/fixtures into a temporary directory.
func copyFixtures(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir("testdata/fixtures")
	require.NoError(t, err)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata/fixtures", e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644))
	}
	return dir
}

func TestRunFixtures(t *testing.T) {
	set := loadSet(t)
	results, err := checker.RunFixtures("testdata/fixtures", set, parser(set))
	require.NoError(t, err)
	var names []string
	for _, r := range results {
		names = append(names, r.Name)
		assert.True(t, r.OK(), "%s: %s", r.Name, strings.Join(r.Problems, "\n"))
	}
	assert.Equal(t, []string{"all.txt", "pinghu.txt"}, names, "notes.txt has no .want")
}

func TestRunFixturesReportsMismatches(t *testing.T) {
	set := loadSet(t)
	dir := copyFixtures(t)
	path := filepath.Join(dir, "pinghu.want")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	edited := strings.Replace(string(data), "4:3-4:5 deadline-vague \"年内\"\n", "5:3-5:5 deadline-vague \"进一\"\n", 1)
	// A span one column off is a mismatch too.
	edited = strings.Replace(edited, "4:17-4:18 punct-ascii-comma", "4:17-4:19 punct-ascii-comma", 1)
	require.NoError(t, os.WriteFile(path, []byte(edited), 0o644))

	results, err := checker.RunFixtures(dir, set, parser(set))
	require.NoError(t, err)
	require.Len(t, results, 2)
	assert.True(t, results[0].OK())
	assert.Equal(t, []string{
		`pinghu.txt:4:3: unexpected deadline-vague "年内"`,
		`pinghu.txt:4:17: unexpected punct-ascii-comma ","`,
		`pinghu.txt:5:3: missing deadline-vague "进一"`,
		`pinghu.txt:4:17: missing punct-ascii-comma ","`,
	}, results[1].Problems)
}

func TestRunFixturesBadWantFiles(t *testing.T) {
	set := loadSet(t)
	tests := []struct{ want, err string }{
		{"4:3 deadline-vague \"年内\"\n", "pinghu.want:1: want LINE:COL-ENDLINE:ENDCOL rule-id \"excerpt\""},
		{"# rules: deadline-vagueness\n", `pinghu.want: # rules: unknown rule "deadline-vagueness"`},
	}
	for _, tt := range tests {
		dir := copyFixtures(t)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "pinghu.want"), []byte(tt.want), 0o644))
		_, err := checker.RunFixtures(dir, set, parser(set))
		require.Error(t, err)
		assert.Contains(t, err.Error(), tt.err)
	}
}

func TestUpdateFixtures(t *testing.T) {
	set := loadSet(t)
	dir := copyFixtures(t)
	original, err := os.ReadFile(filepath.Join(dir, "pinghu.want"))
	require.NoError(t, err)
	// Keep the comments and the header, drop the expectations.
	var kept []string
	for _, l := range strings.SplitAfter(string(original), "\n") {
		if strings.HasPrefix(l, "#") {
			kept = append(kept, l)
		}
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pinghu.want"), []byte(strings.Join(kept, "")), 0o644))

	require.NoError(t, checker.UpdateFixtures(dir, set, parser(set)))
	got, err := os.ReadFile(filepath.Join(dir, "pinghu.want"))
	require.NoError(t, err)
	assert.Equal(t, string(original), string(got))

	results, err := checker.RunFixtures(dir, set, parser(set))
	require.NoError(t, err)
	for _, r := range results {
		assert.True(t, r.OK(), r.Name)
	}
}

func TestWriteWant(t *testing.T) {
	set := loadSet(t)
	findings, _ := checker.New(set).Check(parseText(t, set, "draft.txt", "1.年内完成,\t“建设”。\n"))
	var b bytes.Buffer
	require.NoError(t, checker.WriteWant(&b, findings, []string{"deadline-vague"}))
	assert.Equal(t, "# rules: deadline-vague\n1:3-1:5 deadline-vague \"年内\"\n", b.String())
	b.Reset()
	require.NoError(t, checker.WriteWant(&b, []rules.Finding{{RuleID: "x-y", Excerpt: "a\t“b”"}}, nil))
	assert.Equal(t, "0:0-0:0 x-y \"a\\t“b”\"\n", b.String(), "excerpts are Go-quoted, Chinese kept as is")
}
