package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var severityRank = map[string]int{"info": 1, "warning": 2, "error": 3}

// worstSeverity is the rank of the most severe finding of r (0: none).
func worstSeverity(r Report) int {
	worst := 0
	for _, f := range allFindings(r) {
		worst = max(worst, severityRank[f.Severity])
	}
	return worst
}

func TestExitCodes(t *testing.T) {
	protectInputs(t, sampleDraft, "testdata/clean.txt", "testdata/warnings.txt")
	tests := []struct {
		name   string
		failOn string // the --fail-on in force, for the precondition
		args   []string
		want   int
	}{
		{"clean draft", "warning", []string{"testdata/clean.txt"}, exitOK},
		{"findings", "warning", []string{sampleDraft}, exitFindings},
		{"fail-on never", "never", []string{"--fail-on", "never", sampleDraft}, exitOK},
		{"fail-on error, only warnings", "error", []string{"--fail-on", "error", "testdata/warnings.txt"}, exitOK},
		{"fail-on error, errors", "error", []string{"--fail-on", "error", sampleDraft}, exitFindings},
		{"fail-on info, only warnings", "info", []string{"--fail-on", "info", "testdata/warnings.txt"}, exitFindings},
		{"warnings at the default", "warning", []string{"testdata/warnings.txt"}, exitFindings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Precondition: the draft really has (or lacks) findings at
			// or above --fail-on, read from the json report.
			r, _, _ := checkJSON(t, "", tt.args...)
			derived := exitOK
			if tt.failOn != "never" && worstSeverity(r) >= severityRank[tt.failOn] {
				derived = exitFindings
			}
			require.Equal(t, tt.want, derived, "precondition: findings at or above --fail-on %s", tt.failOn)

			out, errOut, code := runCLI(t, "", append([]string{"check"}, tt.args...)...)
			assert.Equal(t, tt.want, code, "stderr: %s", errOut)
			assert.Empty(t, errOut, "findings are not errors: nothing on stderr")
			assert.NotEmpty(t, out, "the report (at least its summary) goes to stdout")
		})
	}
}

// A usage error exits 2 with its message on stderr and nothing on stdout,
// so that it can never corrupt a machine-readable report.
func TestUsageErrors(t *testing.T) {
	protectInputs(t, sampleDraft)
	tests := []struct {
		name      string
		args      []string
		stderrHas string
	}{
		{"no arguments", []string{"check"}, "needs at least one FILE"},
		{"flag after file", []string{"check", sampleDraft, "--format", "json"}, `"--format" after the file arguments`},
		{"short flag after file", []string{"check", sampleDraft, "-f", "json"}, `"-f" after the file arguments`},
		{"unknown format", []string{"check", "--format", "yaml", sampleDraft}, `unknown format "yaml"`},
		{"unknown fail-on", []string{"check", "--fail-on", "sometimes", sampleDraft}, "--fail-on"},
		{"unknown severity", []string{"check", "--severity", "fatal", sampleDraft}, "--severity"},
		{"jobs 0", []string{"check", "--jobs", "0", sampleDraft}, "--jobs"},
		{"unknown color", []string{"check", "--color", "sometimes", sampleDraft}, "--color"},
		{"unknown rule in --enable", []string{"check", "--enable", "no-such-rule", sampleDraft}, "no-such-rule"},
		{"missing baseline", []string{"check", "--baseline", "testdata/no-such-baseline.json", sampleDraft}, "no-such-baseline.json"},
		{"unknown flag at the root", []string{"--bogus"}, "-bogus"},
		{"unknown check flag", []string{"check", "--bogus", sampleDraft}, "-bogus"},
		{"unknown inspect flag", []string{"inspect", "--bogus", sampleDraft}, "-bogus"},
		{"unknown rules list flag", []string{"rules", "list", "--bogus"}, "-bogus"},
		{"inspect two files", []string{"inspect", sampleDraft, sampleDraft}, "one FILE"},
		{"inspect flag after file", []string{"inspect", sampleDraft, "--format", "json"}, `"--format" after the file arguments`},
		{"inspect unknown format", []string{"inspect", "--format", "xml", sampleDraft}, `"xml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", tt.args...)
			assert.Equal(t, exitError, code)
			assert.Empty(t, out, "a usage error writes nothing on stdout")
			assert.Contains(t, errOut, tt.stderrHas)
			assert.True(t, strings.HasPrefix(errOut, "plancheck: "), "stderr: %q", errOut)
		})
	}
}

// The hint after a usage error names the command the user typed.
func TestUsageErrorHint(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "'plancheck --help'"},
		{[]string{"check", "--bogus", sampleDraft}, "'plancheck check --help'"},
		{[]string{"rules", "list", "--bogus"}, "'plancheck rules list --help'"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, errOut, code := runCLI(t, "", tt.args...)
			require.Equal(t, exitError, code)
			assert.Contains(t, errOut, tt.want)
		})
	}
}

// lineOf returns the 1-based line of path whose text starts with prefix.
func lineOf(t *testing.T, path, prefix string) int {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.HasPrefix(sc.Text(), prefix) {
			return n
		}
	}
	require.FailNow(t, "no line starts with "+prefix, path)
	return 0
}

// A broken rule file exits 2 before any check, with every problem on
// stderr as file:line.
func TestConfigErrors(t *testing.T) {
	const cfg = "testdata/broken-rules.toml"
	protectInputs(t, sampleDraft, cfg)
	for _, cmd := range [][]string{
		{"check", "--config", cfg, sampleDraft},
		{"check", "--format", "json", "--config", cfg, sampleDraft},
		{"inspect", "--config", cfg, sampleDraft},
		{"rules", "list", "--config", cfg},
	} {
		t.Run(strings.Join(cmd[:2], " "), func(t *testing.T) {
			out, errOut, code := runCLI(t, "", cmd...)
			assert.Equal(t, exitError, code)
			assert.Empty(t, out)
			// Both mistakes are reported, each at its own line.
			assert.Contains(t, errOut, cfg+":"+strconv.Itoa(lineOf(t, cfg, "check ="))+":")
			assert.Contains(t, errOut, cfg+":"+strconv.Itoa(lineOf(t, cfg, "chek ="))+":")
			assert.Contains(t, errOut, `unknown key "chek"`)
		})
	}
}

// A file that cannot be read does not stop the others: they are checked
// and reported, the run exits 2, and stderr has one line naming the file.
func TestMissingFileAmongReadable(t *testing.T) {
	protectInputs(t, sampleDraft, "testdata/second.txt")
	missing := filepath.Join(t.TempDir(), "no-such-draft.txt")
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", "check", "--format", format, sampleDraft, missing, "testdata/second.txt")
			assert.Equal(t, exitError, code)
			errLines := lines(errOut)
			if assert.Len(t, errLines, 1, "stderr: %q", errOut) {
				assert.Contains(t, errLines[0], missing)
			}
			// The readable drafts are reported exactly as when checked alone.
			for _, name := range []string{sampleDraft, "testdata/second.txt"} {
				alone, _, _ := runCLI(t, "", "check", "--format", format, name)
				if format == "json" {
					var r, a Report
					require.NoError(t, json.Unmarshal([]byte(out), &r))
					require.NoError(t, json.Unmarshal([]byte(alone), &a))
					require.Len(t, r.Files, 3)
					i := slices.IndexFunc(r.Files, func(f ReportFile) bool { return f.File == name })
					require.GreaterOrEqual(t, i, 0, "%s missing from the report", name)
					assert.Equal(t, a.Files[0], r.Files[i])
					assert.NotEmpty(t, r.Files[i].Findings)
					assert.Equal(t, 1, r.Summary.Failed)
					continue
				}
				// text: every finding block of the draft alone appears.
				blocks := strings.Split(alone, "\n\n")
				for _, b := range blocks[:len(blocks)-1] {
					assert.Contains(t, out, b)
				}
			}
			if format == "json" {
				var r Report
				require.NoError(t, json.Unmarshal([]byte(out), &r))
				i := slices.IndexFunc(r.Files, func(f ReportFile) bool { return f.File == missing })
				require.GreaterOrEqual(t, i, 0)
				assert.NotEmpty(t, r.Files[i].Error)
				assert.Empty(t, r.Files[i].Findings)
			}
		})
	}
}

// Files that are not text get exit 2 and one clear line on stderr naming
// the file and what is wrong with it.
func TestUnreadableInputs(t *testing.T) {
	dir := t.TempDir()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa")
	tests := []struct {
		name    string
		file    string
		content []byte
		want    string
	}{
		{"png", "logo.png", png, "binary"},
		{"png named .txt", "scan.txt", png, "binary"},
		{"empty", "empty.txt", nil, "empty"},
		{"legacy Word", "draft.doc", []byte("\xD0\xCF\x11\xE0"), "legacy Word"},
		{"broken docx", "draft.docx", []byte("PK\x03\x04"), "corrupt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			require.NoError(t, os.WriteFile(path, tt.content, 0o644))
			protectInputs(t, path)
			for _, format := range []string{"text", "json"} {
				_, errOut, code := runCLI(t, "", "check", "--format", format, path)
				assert.Equal(t, exitError, code)
				errLines := lines(errOut)
				if assert.Len(t, errLines, 1, "one line on stderr, got %q", errOut) {
					assert.Contains(t, errLines[0], tt.want)
					assert.Equal(t, 1, strings.Count(errLines[0], path), "the line names the file once: %q", errLines[0])
				}
			}
			_, errOut, code := runCLI(t, "", "inspect", path)
			assert.Equal(t, exitError, code)
			assert.Len(t, lines(errOut), 1, "inspect: %q", errOut)
		})
	}
}

func utf16Bytes(s string, bigEndian bool) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	b := []byte{0xFF, 0xFE}
	if bigEndian {
		order, b = binary.BigEndian, []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = order.AppendUint16(b, u)
	}
	return b
}

func decodeUTF16(b []byte, bigEndian bool) string {
	var order binary.ByteOrder = binary.LittleEndian
	if bigEndian {
		order = binary.BigEndian
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = order.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// The same draft in another encoding or with other line ends gives the
// same findings at the same lines and columns; byte offsets address the
// file's own bytes.
func TestEncodings(t *testing.T) {
	protectInputs(t, sampleDraft)
	orig, err := os.ReadFile(sampleDraft)
	require.NoError(t, err)
	want, _, _ := checkJSON(t, "", sampleDraft)
	require.NotEmpty(t, allFindings(want))

	gbEnc := func(s string) []byte {
		b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
		require.NoError(t, err)
		return b
	}
	gbDec := func(b []byte) string {
		s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		require.NoError(t, err)
		return string(s)
	}
	tests := []struct {
		name   string
		encode func(string) []byte
		decode func([]byte) string // a byte range of the encoded file to text
	}{
		{"GB18030", gbEnc, gbDec},
		{"UTF-16LE", func(s string) []byte { return utf16Bytes(s, false) }, func(b []byte) string { return decodeUTF16(b, false) }},
		{"UTF-16BE", func(s string) []byte { return utf16Bytes(s, true) }, func(b []byte) string { return decodeUTF16(b, true) }},
		{"UTF-8 BOM", func(s string) []byte { return append([]byte("\xEF\xBB\xBF"), s...) }, func(b []byte) string { return string(b) }},
		{"CRLF", func(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }, func(b []byte) string { return string(b) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.encode(string(orig))
			require.False(t, bytes.Equal(data, orig))
			path := filepath.Join(t.TempDir(), "draft.txt")
			require.NoError(t, os.WriteFile(path, data, 0o644))
			protectInputs(t, path)
			got, errOut, _ := checkJSON(t, "", path)
			require.Empty(t, errOut)
			var haveWhere, wantWhere []string
			for _, f := range allFindings(got) {
				haveWhere = append(haveWhere, f.where())
				require.True(t, f.Start.Offset <= f.End.Offset && f.End.Offset <= len(data), "%s: offsets %d-%d", f.where(), f.Start.Offset, f.End.Offset)
				assert.Equal(t, f.Excerpt, tt.decode(data[f.Start.Offset:f.End.Offset]), "%s: the byte offsets address the excerpt", f.where())
			}
			for _, f := range allFindings(want) {
				wantWhere = append(wantWhere, f.where())
			}
			assert.Equal(t, wantWhere, haveWhere)
		})
	}
}

// "-" reads standard input; the findings are those of the file.
func TestStdin(t *testing.T) {
	protectInputs(t, sampleDraft)
	data, err := os.ReadFile(sampleDraft)
	require.NoError(t, err)
	want, _, wantCode := checkJSON(t, "", sampleDraft)
	got, errOut, code := checkJSON(t, string(data), "-")
	assert.Equal(t, wantCode, code)
	assert.Empty(t, errOut)
	require.Len(t, got.Files, 1)
	var have, wantW []string
	for _, f := range allFindings(got) {
		have = append(have, f.where())
	}
	for _, f := range allFindings(want) {
		wantW = append(wantW, f.where())
	}
	assert.Equal(t, wantW, have)

	// An empty standard input is an input error, not a clean draft.
	_, errOut, code = runCLI(t, "", "check", "-")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "empty")

	// inspect reads standard input too.
	out, errOut, code := runCLI(t, string(data), "inspect", "-")
	assert.Equal(t, exitOK, code, errOut)
	fileOut, _, _ := runCLI(t, "", "inspect", sampleDraft)
	_, treeFromFile, _ := strings.Cut(fileOut, "\n")
	_, treeFromStdin, _ := strings.Cut(out, "\n")
	assert.Equal(t, treeFromFile, treeFromStdin, "the tree below the header line is the same")
}
