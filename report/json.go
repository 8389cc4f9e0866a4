package report

import (
	"maps"
	"slices"

	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// jsonSchemaVersion is the version of the json format documented in doc.go.
// It rises only when a field changes meaning or goes away.
const jsonSchemaVersion = 1

// jsonFormatter streams the json document described in doc.go: the head at
// Start, one element of "files" per File, the summary at Finish, all
// through one jsonWriter, so that the whole is byte for byte what
// json.MarshalIndent would give for the document.
type jsonFormatter struct {
	*common
	jw jsonWriter
	// buf is kept between calls for its capacity.
	buf []byte
}

func newJSON(c *common) Formatter { return &jsonFormatter{common: c} }

// flush writes b out and returns it emptied.
func (j *jsonFormatter) flush(b []byte) ([]byte, error) {
	_, err := j.w.Write(b)
	j.buf = b[:0]
	return j.buf, err
}

func (j *jsonFormatter) Start() error {
	w := &j.jw
	b := w.beginObject(j.buf)
	b = w.intField(b, "version", jsonSchemaVersion)
	b = w.key(b, "tool")
	b = w.beginObject(b)
	b = w.stringField(b, "name", toolName)
	b = w.stringField(b, "version", j.opt.ToolVersion)
	b = w.endObject(b)
	b = w.key(b, "files")
	b = w.beginArray(b)
	_, err := j.flush(b)
	return err
}

func (j *jsonFormatter) File(f File) error {
	j.tally.add(f)
	w := &j.jw
	b := w.beginObject(j.buf)
	b = w.stringField(b, "file", f.Name)
	if f.Err != nil {
		b = w.stringField(b, "error", errText(f.Err))
	}
	b = w.key(b, "findings")
	b = w.beginArray(b)
	for i := range f.Findings {
		b = writeJSONFinding(b, w, &f.Findings[i])
		if len(b) >= flushSize {
			var err error
			if b, err = j.flush(b); err != nil {
				return err
			}
		}
	}
	b = w.endArray(b)
	b = w.endObject(b)
	_, err := j.flush(b)
	return err
}

func writeJSONFinding(b []byte, w *jsonWriter, fd *rules.Finding) []byte {
	b = w.beginObject(b)
	b = w.stringField(b, "rule", fd.RuleID)
	b = w.stringField(b, "severity", fd.Severity.String())
	b = w.key(b, "start")
	b = writeJSONPosition(b, w, fd.Start)
	b = w.key(b, "end")
	b = writeJSONPosition(b, w, fd.End)
	b = w.key(b, "section")
	b = w.stringArray(b, fd.Section)
	b = w.stringField(b, "excerpt", fd.Excerpt)
	b = w.stringField(b, "message", fd.Message)
	b = w.stringField(b, "suggestion", fd.Suggestion)
	b = w.stringField(b, "fingerprint", fd.Fingerprint)
	return w.endObject(b)
}

// writeJSONPosition writes p as encoding/json would by its field tags:
// para and para_char only when set.
func writeJSONPosition(b []byte, w *jsonWriter, p plan.Position) []byte {
	b = w.beginObject(b)
	b = w.intField(b, "line", p.Line)
	b = w.intField(b, "col", p.Col)
	b = w.intField(b, "offset", p.Offset)
	if p.Para != 0 {
		b = w.intField(b, "para", p.Para)
	}
	if p.ParaChar != 0 {
		b = w.intField(b, "para_char", p.ParaChar)
	}
	return w.endObject(b)
}

func (j *jsonFormatter) Finish() error {
	w := &j.jw
	b := w.endArray(j.buf)
	b = w.key(b, "summary")
	b = w.beginObject(b)
	b = w.intField(b, "files", j.tally.files)
	b = w.intField(b, "failed", j.tally.failed)
	b = w.intField(b, "findings", j.tally.findings)
	bySeverity := make(map[string]int, len(severitiesWorstFirst))
	for _, sev := range severitiesWorstFirst {
		bySeverity[sev.String()] = j.tally.bySeverity[sev]
	}
	b = w.key(b, "by_severity")
	b = writeJSONCounts(b, w, bySeverity)
	b = w.key(b, "by_rule")
	b = writeJSONCounts(b, w, j.tally.byRule)
	b = w.endObject(b)
	b = w.endObject(b)
	_, err := j.flush(append(b, '\n'))
	return err
}

// writeJSONCounts writes m as an object, keys sorted as encoding/json
// sorts them.
func writeJSONCounts(b []byte, w *jsonWriter, m map[string]int) []byte {
	b = w.beginObject(b)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		b = w.intField(b, k, m[k])
	}
	return w.endObject(b)
}
