package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// --output writes the report to the file, the same bytes as stdout would
// get, and nothing to stdout.
func TestOutputFile(t *testing.T) {
	protectInputs(t, sampleDraft)
	for _, format := range []string{"text", "json", "sarif", "csv"} {
		t.Run(format, func(t *testing.T) {
			want, _, wantCode := runCLI(t, "", "check", "--format", format, sampleDraft)
			path := filepath.Join(t.TempDir(), "report."+format)
			out, errOut, code := runCLI(t, "", "check", "--format", format, "--output", path, sampleDraft)
			assert.Equal(t, wantCode, code)
			assert.Empty(t, out, "nothing on stdout")
			assert.Empty(t, errOut)
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, want, string(got))
		})
	}
}

// backdate sets path's modification time in the past, so that a write
// within the test's second cannot go unnoticed.
func backdate(t *testing.T, path string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(path, old, old))
}

// --output naming an input is refused with exit 2, whatever the spelling
// of the name, and the input is left as it was.
func TestOutputIsAnInput(t *testing.T) {
	protectInputs(t, sampleDraft)
	wd, err := os.Getwd()
	require.NoError(t, err)
	// Each case names the output and the inputs for a folder d holding draft.txt.
	tests := []struct {
		name  string
		names func(d string) (output string, inputs []string)
	}{
		{"same name", func(d string) (string, []string) {
			return filepath.Join(d, "draft.txt"), []string{filepath.Join(d, "draft.txt")}
		}},
		{"among several inputs", func(d string) (string, []string) {
			return filepath.Join(d, "draft.txt"), []string{sampleDraft, filepath.Join(d, "draft.txt")}
		}},
		{"inside a directory argument", func(d string) (string, []string) {
			return filepath.Join(d, "draft.txt"), []string{d}
		}},
		{"directory argument with a trailing slash", func(d string) (string, []string) {
			return filepath.Join(d, "draft.txt"), []string{d + string(filepath.Separator)}
		}},
		{"dot in the output path", func(d string) (string, []string) {
			return d + "/./draft.txt", []string{filepath.Join(d, "draft.txt")}
		}},
		{"absolute output, relative input", func(d string) (string, []string) {
			rel, err := filepath.Rel(wd, filepath.Join(d, "draft.txt"))
			if err != nil {
				panic(err)
			}
			return filepath.Join(d, "draft.txt"), []string{rel}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := t.TempDir()
			input := filepath.Join(d, "draft.txt")
			copyFile(t, sampleDraft, input)
			backdate(t, input)
			before := statFile(t, input)
			output, inputs := tt.names(d)
			out, errOut, code := runCLI(t, "", append([]string{"check", "--output", output}, inputs...)...)
			assert.Equal(t, exitError, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, "refusing to overwrite")
			assert.Equal(t, before, statFile(t, input), "the input is untouched: bytes and modification time")
		})
	}
}

// --write-baseline naming an input must not overwrite it either.
func TestWriteBaselineIsAnInput(t *testing.T) {
	input := filepath.Join(t.TempDir(), "draft.txt")
	copyFile(t, sampleDraft, input)
	backdate(t, input)
	before := statFile(t, input)
	out, errOut, code := runCLI(t, "", "check", "--write-baseline", input, input)
	assert.Equal(t, exitError, code)
	assert.Empty(t, out)
	assert.NotEmpty(t, errOut)
	assert.Equal(t, before, statFile(t, input))
}

// A usage error must not leave an empty report file behind (or truncate
// an old one): the format is known to be bad before the file is opened.
func TestOutputNotCreatedOnUsageError(t *testing.T) {
	protectInputs(t, sampleDraft)
	path := filepath.Join(t.TempDir(), "old-report.txt")
	require.NoError(t, os.WriteFile(path, []byte("last week's report\n"), 0o644))
	backdate(t, path)
	before := statFile(t, path)
	_, errOut, code := runCLI(t, "", "check", "--format", "yaml", "--output", path, sampleDraft)
	require.Equal(t, exitError, code)
	require.Contains(t, errOut, "yaml")
	assert.Equal(t, before, statFile(t, path))
}

// Progress is drawn only on a terminal: with stderr a buffer, checking
// many files writes nothing there.
func TestNoProgressWithoutTerminal(t *testing.T) {
	protectInputs(t, "testdata/clean.txt")
	dir := t.TempDir()
	n := layOutCopies(t, dir, []string{"testdata/clean.txt"}, 30)
	require.Equal(t, 30, n)
	var stdout, stderr bytes.Buffer
	code := run([]string{"plancheck", "check", "--format", "json", dir}, strings.NewReader(""), &stdout, &stderr)
	assert.Equal(t, exitOK, code)
	assert.Empty(t, stderr.String(), "no progress (\\r, counters) on a non-terminal stderr")
	assert.NotContains(t, stdout.String(), "\r")
	assert.Contains(t, stdout.String(), `"files": 30`)
}

// The hidden profiling flags write pprof files, and refuse to overwrite
// an input like --output does.
func TestProfileFlags(t *testing.T) {
	d := t.TempDir()
	input := filepath.Join(d, "draft.txt")
	copyFile(t, sampleDraft, input)
	cpu, mem := filepath.Join(d, "cpu.prof"), filepath.Join(d, "mem.prof")
	_, errOut, code := runCLI(t, "", "check", "--cpuprofile", cpu, "--memprofile", mem, input)
	assert.Equal(t, exitFindings, code, errOut)
	for _, p := range []string{cpu, mem} {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		// pprof files are gzip-compressed protocol buffers.
		assert.True(t, bytes.HasPrefix(data, []byte{0x1f, 0x8b}), "%s is a gzip file", p)
	}
	backdate(t, input)
	before := statFile(t, input)
	for _, flag := range []string{"--cpuprofile", "--memprofile"} {
		_, errOut, code = runCLI(t, "", "check", flag, input, input)
		assert.Equal(t, exitError, code)
		assert.Contains(t, errOut, "refusing to overwrite")
		assert.Equal(t, before, statFile(t, input), "the input is untouched")
	}
}
