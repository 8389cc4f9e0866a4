package report

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/plancheck/plancheck/plan"
)

// jsonSchemaVersion is the version of the json format documented in doc.go.
// It rises only when a field changes meaning or goes away.
const jsonSchemaVersion = 1

// jsonReport is the whole json document. The formatter streams it piece by
// piece; the type exists so that tests can decode and re-encode a report.
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

// jsonFormatter streams the json document: the head at Start, one element
// of "files" per File, the summary at Finish. The pieces are indented so
// that the result is byte for byte what json.MarshalIndent would give.
type jsonFormatter struct {
	*common
	files int
}

func newJSON(c *common) Formatter { return &jsonFormatter{common: c} }

// marshalJSON encodes v indented under prefix, without escaping <, > and &
// (the text is Chinese prose, not HTML) and without a final newline.
func marshalJSON(v any, prefix string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func (j *jsonFormatter) Start() error {
	tool, err := marshalJSON(jsonTool{Name: toolName, Version: j.opt.ToolVersion}, "  ")
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString("{\n  \"version\": ")
	b.WriteString(strconv.Itoa(jsonSchemaVersion))
	b.WriteString(",\n  \"tool\": ")
	b.Write(tool)
	b.WriteString(",\n  \"files\": [")
	_, err = j.w.Write(b.Bytes())
	return err
}

func (j *jsonFormatter) File(f File) error {
	j.tally.add(f)
	jf := jsonFile{File: f.Name, Findings: make([]jsonFinding, 0, len(f.Findings))}
	if f.Err != nil {
		jf.Error = errText(f.Err)
	}
	for _, fd := range f.Findings {
		jf.Findings = append(jf.Findings, jsonFinding{
			Rule:        fd.RuleID,
			Severity:    fd.Severity.String(),
			Start:       fd.Start,
			End:         fd.End,
			Section:     append([]string{}, fd.Section...),
			Excerpt:     fd.Excerpt,
			Message:     fd.Message,
			Suggestion:  fd.Suggestion,
			Fingerprint: fd.Fingerprint,
		})
	}
	data, err := marshalJSON(jf, "    ")
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if j.files > 0 {
		b.WriteByte(',')
	}
	j.files++
	b.WriteString("\n    ")
	b.Write(data)
	_, err = j.w.Write(b.Bytes())
	return err
}

func (j *jsonFormatter) Finish() error {
	s := jsonSummary{
		Files:      j.tally.files,
		Failed:     j.tally.failed,
		Findings:   j.tally.findings,
		BySeverity: map[string]int{},
		ByRule:     j.tally.byRule,
	}
	for _, sev := range severitiesWorstFirst {
		s.BySeverity[sev.String()] = j.tally.bySeverity[sev]
	}
	data, err := marshalJSON(s, "  ")
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if j.files > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("],\n  \"summary\": ")
	b.Write(data)
	b.WriteString("\n}\n")
	_, err = j.w.Write(b.Bytes())
	return err
}
