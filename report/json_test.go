package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// The json document as Go values, for tests that decode a report or
// encode one with encoding/json to compare with the formatter's bytes.

type jsonReport struct {
	Version int         `json:"version"`
	Tool    jsonTool    `json:"tool"`
	Files   []jsonFile  `json:"files"`
	Summary jsonSummary `json:"summary"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonFile struct {
	File     string        `json:"file"`
	Error    string        `json:"error,omitempty"`
	Findings []jsonFinding `json:"findings"`
}

type jsonFinding struct {
	Rule        string        `json:"rule"`
	Severity    string        `json:"severity"`
	Start       plan.Position `json:"start"`
	End         plan.Position `json:"end"`
	Section     []string      `json:"section"`
	Excerpt     string        `json:"excerpt"`
	Message     string        `json:"message"`
	Suggestion  string        `json:"suggestion"`
	Fingerprint string        `json:"fingerprint"`
}

type jsonSummary struct {
	Files      int            `json:"files"`
	Failed     int            `json:"failed"`
	Findings   int            `json:"findings"`
	BySeverity map[string]int `json:"by_severity"`
	ByRule     map[string]int `json:"by_rule"`
}

// marshalJSON encodes v as the json and sarif formats promise to: indented
// by two spaces, <, > and & left alone, no final newline.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// jsonReportOf builds the document doc.go describes for files straight
// from the input, independently of the formatter.
func jsonReportOf(opt Options, files []File) jsonReport {
	doc := jsonReport{
		Version: jsonSchemaVersion,
		Tool:    jsonTool{Name: toolName, Version: opt.ToolVersion},
		Files:   []jsonFile{},
		Summary: jsonSummary{
			BySeverity: map[string]int{"error": 0, "warning": 0, "info": 0},
			ByRule:     map[string]int{},
		},
	}
	for _, f := range files {
		jf := jsonFile{File: f.Name, Findings: []jsonFinding{}}
		doc.Summary.Files++
		if f.Err != nil {
			jf.Error = errText(f.Err)
			doc.Summary.Failed++
		}
		for _, fd := range f.Findings {
			jf.Findings = append(jf.Findings, jsonFinding{
				Rule: fd.RuleID, Severity: fd.Severity.String(), Start: fd.Start, End: fd.End,
				Section: append([]string{}, fd.Section...), Excerpt: fd.Excerpt,
				Message: fd.Message, Suggestion: fd.Suggestion, Fingerprint: fd.Fingerprint,
			})
			doc.Summary.Findings++
			doc.Summary.BySeverity[fd.Severity.String()]++
			doc.Summary.ByRule[fd.RuleID]++
		}
		doc.Files = append(doc.Files, jf)
	}
	return doc
}

// trickyStrings are what a JSON string encoder gets wrong: quotes,
// backslashes, every kind of control character, HTML characters (left
// alone), the JavaScript line terminators, invalid and truncated UTF-8,
// non-characters and characters beyond the BMP.
var trickyStrings = []string{
	"",
	"年内完成",
	`他说"年内"\完成/`,
	"\x00\x01\x07\b\t\n\v\f\r\x1b\x1f\x20\x7f",
	"<b>&amp;</b> 'x'",
	"前\u2028中\u2029后\u2027\u202a",
	"\xff\xfe",
	"年\xe5\xb9",        // truncated character
	"\xe5\xb9\n内",      // truncated before an ASCII byte
	"\xed\xa0\x80",     // surrogate half in UTF-8
	"\xc0\x80",         // overlong NUL
	"\xf4\x90\x80\x80", // beyond U+10FFFF
	"\ufffd\ufeff\uffff",
	"𠀋𩸽😀 \U0010FFFF",
	"a\u0301 e\u200b\u00a0\u3000",
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range trickyStrings {
		want, err := marshalJSON(s)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(appendJSONString(nil, s)), "%q", s)
		assert.Equal(t, "prefix"+string(want), string(appendJSONString([]byte("prefix"), s)), "%q appends", s)
	}
}

// TestJSONWriterNesting checks indentation deeper than the formats go,
// and empty objects and arrays at every level.
func TestJSONWriterNesting(t *testing.T) {
	var want any = map[string]any{"k": []any{}, "e": map[string]any{}}
	var w jsonWriter
	var b []byte
	const depth = 20
	for range depth {
		b = w.beginArray(b)
		b = w.int(b, 1)
	}
	b = w.beginObject(b)
	b = w.key(b, "e")
	b = w.beginObject(b)
	b = w.endObject(b)
	b = w.key(b, "k")
	b = w.stringArray(b, nil)
	b = w.endObject(b)
	for range depth {
		b = w.string(b, "x")
		b = w.endArray(b)
		want = []any{1, want, "x"}
	}
	expected, err := marshalJSON(want)
	require.NoError(t, err)
	assert.Equal(t, string(expected), string(b))
}

// everyPositionField returns a position with every field set, each to a
// different value, so that a field added to plan.Position and not written
// by the formatter makes TestJSONMatchesEncodingJSON fail.
func everyPositionField(base int) plan.Position {
	var p plan.Position
	v := reflect.ValueOf(&p).Elem()
	for i := range v.NumField() {
		v.Field(i).SetInt(int64(base + i))
	}
	return p
}

// TestJSONMatchesEncodingJSON renders tricky input and compares it with
// encoding/json's encoding of the same document built independently.
func TestJSONMatchesEncodingJSON(t *testing.T) {
	var fds []rules.Finding
	for i, s := range trickyStrings {
		fds = append(fds, rules.Finding{
			RuleID: "rule-" + s, Severity: rules.Severity(i%3 + 1),
			Span:    plan.Span{Start: plan.Position{Line: i + 1, Col: 2, Offset: 10 * i}, End: plan.Position{Line: i + 1, Col: 5, Offset: 10*i + 9}},
			Excerpt: s, Message: "问题" + s, Suggestion: s, Section: []string{s, "二"}, Fingerprint: s,
		})
	}
	fds = append(fds,
		rules.Finding{RuleID: "nil-section", Severity: rules.Info, Message: "m"},
		rules.Finding{RuleID: "empty-section", Severity: rules.Error, Message: "m", Section: []string{}},
		rules.Finding{RuleID: "doc", Severity: rules.Warning, Message: "m",
			Span: plan.Span{Start: everyPositionField(1), End: everyPositionField(20)}},
	)
	cases := []struct {
		name  string
		opt   Options
		files []File
	}{
		{"none", Options{}, nil},
		{"tricky", Options{ToolVersion: "v\"1\"\u2028"}, []File{
			{Name: "a\"\\\x01.txt", Findings: fds},
			{Name: "坏\xff.doc", Err: errors.Join(errors.New("first\u2029"), errors.New("<second>"))},
			{Name: "clean.txt"},
		}},
		{"error only", Options{}, []File{{Name: "x", Err: errors.New("e")}}},
		{"clean only", Options{}, []File{{Name: "x"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, err := marshalJSON(jsonReportOf(tc.opt, tc.files))
			require.NoError(t, err)
			assert.Equal(t, string(want)+"\n", string(render(t, "json", tc.opt, tc.files)))
		})
	}
}

// TestJSONStreams checks that a file with many findings is written in
// pieces, not gathered whole.
func TestJSONStreams(t *testing.T) {
	fd := rules.Finding{RuleID: "r", Severity: rules.Info, Message: strings.Repeat("长", 1000)}
	fds := make([]rules.Finding, 200)
	for i := range fds {
		fds[i] = fd
	}
	var w writeCounter
	f, err := New("json", &w, Options{})
	require.NoError(t, err)
	require.NoError(t, f.Start())
	require.NoError(t, f.File(File{Name: "a.txt", Findings: fds}))
	require.NoError(t, f.Finish())
	assert.Greater(t, w.writes, 3, "one file of %d bytes in more than one write", w.n)
	assert.Less(t, w.max, 2*flushSize)
}

// writeCounter counts the writes it is given and their sizes.
type writeCounter struct{ writes, n, max int }

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	w.n += len(p)
	w.max = max(w.max, len(p))
	return len(p), nil
}

// FuzzJSONString compares appendJSONString with encoding/json, and the
// message-and-suggestion quoting of sarif with quoting the joined text.
func FuzzJSONString(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s, "建议")
	}
	f.Fuzz(func(t *testing.T, msg, sugg string) {
		want, err := marshalJSON(msg)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(appendJSONString(nil, msg)))

		fd := rules.Finding{Message: msg, Suggestion: sugg}
		want, err = marshalJSON(messageWithSuggestion(fd))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(appendJSONMessage(nil, &fd)))
	})
}
