package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// The SARIF object model, for tests that read a log back: the formatter
// writes the log directly (jsonWriter).

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	ColumnKind  string            `json:"columnKind"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name"`
	ShortDescription     sarifText    `json:"shortDescription"`
	FullDescription      *sarifText   `json:"fullDescription,omitempty"`
	Help                 *sarifText   `json:"help,omitempty"`
	DefaultConfiguration *sarifConfig `json:"defaultConfiguration,omitempty"`
	Properties           *sarifProps  `json:"properties,omitempty"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifProps struct {
	Tags []string `json:"tags"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

// sarifRegion gives both the text region (1-based code-point columns, end
// exclusive: plancheck's own convention) and the byte range in the
// original file, which plancheck knows exactly whatever the encoding.
type sarifRegion struct {
	StartLine   int        `json:"startLine"`
	StartColumn int        `json:"startColumn"`
	EndLine     int        `json:"endLine"`
	EndColumn   int        `json:"endColumn"`
	ByteOffset  *int       `json:"byteOffset,omitempty"`
	ByteLength  *int       `json:"byteLength,omitempty"`
	Snippet     *sarifText `json:"snippet,omitempty"`
	// Properties locate a finding of a Word document in the document
	// itself (paragraph and character); its lines and columns are those
	// of plancheck's text rendering, and byte offsets are left out.
	Properties *sarifParaProps `json:"properties,omitempty"`
}

type sarifParaProps struct {
	Para        int `json:"para"`
	ParaChar    int `json:"paraChar"`
	EndPara     int `json:"endPara"`
	EndParaChar int `json:"endParaChar"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

// sarifSchemaPath is the OASIS SARIF 2.1.0 schema in the shared directory
// beside the checkout.
const sarifSchemaPath = "../../shared/schemas/sarif-schema-2.1.0.json"

// schemaValidator checks a JSON value against a JSON Schema draft-04, for
// the keywords the SARIF schema uses: $ref (local), type, enum, required,
// properties, additionalProperties, items, minItems, uniqueItems, minimum,
// maximum, pattern, anyOf, oneOf. format and default are annotations only.
// No JSON Schema module is in the module cache and the go.mod is frozen,
// so this stands in for one.
type schemaValidator struct {
	root     map[string]any
	patterns map[string]*regexp.Regexp
}

func loadSchema(t *testing.T) *schemaValidator {
	t.Helper()
	data, err := os.ReadFile(sarifSchemaPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("SARIF schema: ../shared absent")
	}
	require.NoError(t, err)
	var root map[string]any
	require.NoError(t, json.Unmarshal(data, &root))
	require.Equal(t, "http://json-schema.org/draft-04/schema#", root["$schema"])
	return &schemaValidator{root: root, patterns: map[string]*regexp.Regexp{}}
}

func (v *schemaValidator) resolve(ref string) map[string]any {
	var node any = v.root
	for part := range strings.SplitSeq(strings.TrimPrefix(ref, "#/"), "/") {
		node = node.(map[string]any)[part]
	}
	return node.(map[string]any)
}

func jsonType(x any) string {
	switch x := x.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", x)
}

func typeMatches(want any, got string) bool {
	switch want := want.(type) {
	case string:
		return want == got || want == "number" && got == "integer"
	case []any:
		return slices.ContainsFunc(want, func(w any) bool { return typeMatches(w, got) })
	}
	return false
}

// validate returns every violation of schema by x, each prefixed by its
// JSON path.
func (v *schemaValidator) validate(path string, schema map[string]any, x any) []string {
	if ref, ok := schema["$ref"].(string); ok {
		// In draft-04 $ref replaces its siblings.
		return v.validate(path, v.resolve(ref), x)
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	if want, ok := schema["type"]; ok && !typeMatches(want, jsonType(x)) {
		fail("type %s, want %v", jsonType(x), want)
		return errs
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return reflect.DeepEqual(e, x) }) {
		fail("%v not in %v", x, enum)
	}
	if n, ok := x.(float64); ok {
		if m, ok := schema["minimum"].(float64); ok && n < m {
			fail("%v < minimum %v", n, m)
		}
		if m, ok := schema["maximum"].(float64); ok && n > m {
			fail("%v > maximum %v", n, m)
		}
	}
	if s, ok := x.(string); ok {
		if p, ok := schema["pattern"].(string); ok {
			re := v.patterns[p]
			if re == nil {
				re = regexp.MustCompile(p)
				v.patterns[p] = re
			}
			if !re.MatchString(s) {
				fail("%q does not match %s", s, p)
			}
		}
	}
	if arr, ok := x.([]any); ok {
		if m, ok := schema["minItems"].(float64); ok && float64(len(arr)) < m {
			fail("%d items < minItems %v", len(arr), m)
		}
		if u, _ := schema["uniqueItems"].(bool); u {
			for i := range arr {
				for j := i + 1; j < len(arr); j++ {
					if reflect.DeepEqual(arr[i], arr[j]) {
						fail("items %d and %d equal, want unique", i, j)
					}
				}
			}
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, e := range arr {
				errs = append(errs, v.validate(fmt.Sprintf("%s[%d]", path, i), items, e)...)
			}
		}
	}
	if obj, ok := x.(map[string]any); ok {
		for _, r := range asSlice(schema["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				fail("missing required %q", r)
			}
		}
		props, _ := schema["properties"].(map[string]any)
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if p, ok := props[k].(map[string]any); ok {
				errs = append(errs, v.validate(path+"."+k, p, obj[k])...)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("property %q not allowed", k)
				}
			case map[string]any:
				errs = append(errs, v.validate(path+"."+k, ap, obj[k])...)
			}
		}
	}
	if anyOf := asSlice(schema["anyOf"]); len(anyOf) > 0 && !slices.ContainsFunc(anyOf, func(s any) bool {
		return len(v.validate(path, s.(map[string]any), x)) == 0
	}) {
		fail("matches none of anyOf")
	}
	if oneOf := asSlice(schema["oneOf"]); len(oneOf) > 0 {
		n := 0
		for _, s := range oneOf {
			if len(v.validate(path, s.(map[string]any), x)) == 0 {
				n++
			}
		}
		if n != 1 {
			fail("matches %d of oneOf, want 1", n)
		}
	}
	return errs
}

func asSlice(x any) []any {
	s, _ := x.([]any)
	return s
}

func decodeJSON(t *testing.T, data []byte) any {
	t.Helper()
	var x any
	require.NoError(t, json.Unmarshal(data, &x))
	return x
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	v := loadSchema(t)
	cases := []struct {
		name  string
		opt   Options
		files []File
	}{
		{"fixture", testOptions, testFiles(t)},
		{"no options", Options{}, testFiles(t)},
		{"empty run", testOptions, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := decodeJSON(t, render(t, "sarif", tc.opt, tc.files))
			assert.Empty(t, v.validate("$", v.root, doc))
		})
	}
}

// TestSchemaValidatorRejects makes sure the validator can fail: each
// mutation of a valid log must be reported.
func TestSchemaValidatorRejects(t *testing.T) {
	v := loadSchema(t)
	out := render(t, "sarif", testOptions, testFiles(t))
	cases := []struct {
		name   string
		mutate func(log map[string]any)
		want   string
	}{
		{"unknown property", func(l map[string]any) { l["extra"] = 1 }, `property "extra" not allowed`},
		{"bad version", func(l map[string]any) { l["version"] = "2.0" }, "not in"},
		{"result without message", func(l map[string]any) { delete(result0(l), "message") }, `missing required "message"`},
		{"bad level", func(l map[string]any) { result0(l)["level"] = "fatal" }, "not in"},
		{"column zero", func(l map[string]any) { region0(l)["startColumn"] = 0.0 }, "minimum"},
		{"region without start", func(l map[string]any) {
			r := region0(l)
			delete(r, "startLine")
			delete(r, "byteOffset")
		}, "anyOf"},
		{"duplicate rules", func(l map[string]any) {
			d := l["runs"].([]any)[0].(map[string]any)["tool"].(map[string]any)["driver"].(map[string]any)
			rs := d["rules"].([]any)
			d["rules"] = append(rs, rs[0])
		}, "unique"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			log := decodeJSON(t, out).(map[string]any)
			tc.mutate(log)
			errs := v.validate("$", v.root, log)
			require.NotEmpty(t, errs)
			assert.Contains(t, strings.Join(errs, "\n"), tc.want)
		})
	}
}

func result0(l map[string]any) map[string]any {
	return l["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
}

func region0(l map[string]any) map[string]any {
	loc := result0(l)["locations"].([]any)[0].(map[string]any)
	return loc["physicalLocation"].(map[string]any)["region"].(map[string]any)
}

// TestSARIFContent reads the log back and checks it against the input
// findings: positions, rule indexes, levels, fingerprints, notifications.
func TestSARIFContent(t *testing.T) {
	files := testFiles(t)
	var log sarifLog
	require.NoError(t, json.Unmarshal(render(t, "sarif", testOptions, files), &log))
	require.Len(t, log.Runs, 1)
	run := log.Runs[0]
	assert.Equal(t, "unicodeCodePoints", run.ColumnKind)

	ids := make([]string, len(run.Tool.Driver.Rules))
	for i, r := range run.Tool.Driver.Rules {
		ids[i] = r.ID
	}
	// Described rules sorted by id, then the undescribed one.
	assert.Equal(t, []string{"deadline-vague", "owner-missing", "punct-halfwidth", "target-baseline", "target-missing", "title-year"}, ids)

	fds := files[0].Findings
	require.Len(t, run.Results, len(fds))
	levels := map[string]string{"error": "error", "warning": "warning", "info": "note"}
	for i, res := range run.Results {
		fd := fds[i]
		assert.Equal(t, fd.RuleID, res.RuleID)
		assert.Equal(t, fd.RuleID, ids[res.RuleIndex])
		assert.Equal(t, levels[fd.Severity.String()], res.Level)
		assert.True(t, strings.HasPrefix(res.Message.Text, fd.Message))
		assert.Equal(t, fd.Suggestion != "", strings.Contains(res.Message.Text, "\n建议："+fd.Suggestion))
		assert.Equal(t, map[string]string{"plancheck/v1": fd.Fingerprint}, res.PartialFingerprints)
		require.Len(t, res.Locations, 1)
		pl := res.Locations[0].PhysicalLocation
		assert.Equal(t, "drafts/2024%E5%B9%B4%E5%B7%A5%E4%BD%9C%E8%A6%81%E7%82%B9.txt", pl.ArtifactLocation.URI)
		require.NotNil(t, pl.Region)
		off, n := fd.Start.Offset, fd.End.Offset-fd.Start.Offset
		assert.Equal(t, sarifRegion{
			StartLine: fd.Start.Line, StartColumn: fd.Start.Col, EndLine: fd.End.Line, EndColumn: fd.End.Col,
			ByteOffset: &off, ByteLength: &n,
			Snippet: snippetOf(fd.Excerpt),
		}, *pl.Region)
	}

	require.Len(t, run.Invocations, 1)
	inv := run.Invocations[0]
	assert.False(t, inv.ExecutionSuccessful)
	require.Len(t, inv.ToolExecutionNotifications, 1)
	n := inv.ToolExecutionNotifications[0]
	assert.Equal(t, "error", n.Level)
	assert.Contains(t, n.Message.Text, "NUL byte")
	assert.Equal(t, "drafts/%E6%89%AB%E6%8F%8F%E4%BB%B6.doc", n.Locations[0].PhysicalLocation.ArtifactLocation.URI)

	var clean sarifLog
	require.NoError(t, json.Unmarshal(render(t, "sarif", testOptions, files[2:]), &clean))
	assert.True(t, clean.Runs[0].Invocations[0].ExecutionSuccessful)
	assert.NotNil(t, clean.Runs[0].Results, "results must be present, even empty")
}

func snippetOf(excerpt string) *sarifText {
	if excerpt == "" {
		return nil
	}
	return &sarifText{Text: excerpt}
}

func TestArtifactURI(t *testing.T) {
	cases := []struct{ name, want string }{
		{"a.txt", "a.txt"},
		{"./drafts/a.txt", "drafts/a.txt"},
		{"drafts/工作 要点.txt", "drafts/%E5%B7%A5%E4%BD%9C%20%E8%A6%81%E7%82%B9.txt"},
		{"/srv/plans/a#1.txt", "file:///srv/plans/a%231.txt"},
		{"c:x.txt", "./c:x.txt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, artifactURI(tc.name)) })
	}
}

func TestCamelName(t *testing.T) {
	cases := []struct{ id, want string }{
		{"deadline-vague", "DeadlineVague"}, {"owner-missing", "OwnerMissing"}, {"x", "X"}, {"a--b", "AB"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, camelName(tc.id), tc.id)
	}
}

// A Word document's findings carry the paragraph and character in the
// region's properties, and no byte offsets (they would be offsets into
// plancheck's rendering, not into the .docx file).
func TestSARIFDocumentRegion(t *testing.T) {
	src := plan.NewDocSource("d.docx", "DOCX", "一、加强管理。\n", nil, []plan.ParaLine{{Para: 1, Prefix: 2}})
	fd := rules.Finding{RuleID: "r", Severity: rules.Warning, File: "d.docx", Span: src.Span(12, 18), Excerpt: "管理", Message: "m"}
	var b bytes.Buffer
	f, err := New("sarif", &b, Options{})
	require.NoError(t, err)
	require.NoError(t, f.Start())
	require.NoError(t, f.File(File{Name: "d.docx", Source: src, Findings: []rules.Finding{fd}}))
	require.NoError(t, f.Finish())
	out := b.String()
	assert.Contains(t, out, `"properties": {`)
	assert.Contains(t, out, `"para": 1`)
	assert.Contains(t, out, `"paraChar": 3`)
	assert.NotContains(t, out, "byteOffset")
}

// TestSARIFRoundTrip reads the log back into the object model and encodes
// it again with encoding/json: the bytes must be the same, so the log is
// laid out and escaped as json.MarshalIndent would, every field where the
// model puts it and left out where the model omits it.
func TestSARIFRoundTrip(t *testing.T) {
	files := testFiles(t)
	doc := plan.NewDocSource("d.docx", "DOCX", "一、加强管理。\n", nil, []plan.ParaLine{{Para: 1, Prefix: 2}})
	docFile := File{Name: "d.docx", Source: doc, Findings: []rules.Finding{
		{RuleID: "r-undescribed", Severity: rules.Warning, Span: doc.Span(12, 18), Excerpt: "管理", Message: `含 <"&'> 的说明`, Suggestion: "改\t写"},
		{RuleID: "a-undescribed", Severity: rules.Severity(9), Message: "no position", Fingerprint: "f"},
	}}
	cases := []struct {
		name  string
		opt   Options
		files []File
	}{
		{"golden input", testOptions, files},
		{"no input", testOptions, nil},
		{"no options", Options{}, append([]File{docFile}, files...)},
		{"tags but no rationale", Options{Rules: []RuleInfo{{ID: "x", Tags: []string{"b", "a", "b"}}}}, []File{docFile}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, "sarif", tc.opt, tc.files)
			var log sarifLog
			require.NoError(t, json.Unmarshal(out, &log))
			again, err := marshalJSON(log)
			require.NoError(t, err)
			assert.Equal(t, string(again)+"\n", string(out))
		})
	}
}
