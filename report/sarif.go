package report

import (
	"cmp"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/plancheck/plancheck/rules"
)

// SARIF constants. The schema URI is the one the OASIS schema file names
// as its id.
const (
	sarifSchema      = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion     = "2.1.0"
	sarifFingerprint = "plancheck/v1"
)

// sarifFormatter keeps the findings until Finish: the rule table comes
// first and may have to name rules the options did not describe, and every
// result carries its rule's index in that table.
type sarifFormatter struct {
	*common
	results       []sarifPending
	notifications []sarifPending
}

// sarifPending is a finding, or a file's error, waiting for Finish, with
// the URI of its file.
type sarifPending struct {
	uri string
	fd  rules.Finding
	err string
}

func newSARIF(c *common) Formatter { return &sarifFormatter{common: c} }

var sarifLevels = map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Info: "note"}

func sarifLevel(s rules.Severity) string {
	if l, ok := sarifLevels[s]; ok {
		return l
	}
	return "none"
}

func (s *sarifFormatter) Start() error { return nil }

func (s *sarifFormatter) File(f File) error {
	s.tally.add(f)
	uri := artifactURI(f.Name)
	if f.Err != nil {
		s.notifications = append(s.notifications, sarifPending{uri: uri, err: errText(f.Err)})
	}
	for _, fd := range f.Findings {
		s.results = append(s.results, sarifPending{uri: uri, fd: fd})
	}
	return nil
}

// Finish writes the whole log.
func (s *sarifFormatter) Finish() error {
	index := make(map[string]int, len(s.rules))
	for i, r := range s.rules {
		index[r.ID] = i
	}
	// Rules the options did not describe still get a descriptor, so that
	// every result has a ruleIndex; sorted, after the described ones.
	var unknown []string
	for _, res := range s.results {
		if _, ok := index[res.fd.RuleID]; !ok {
			index[res.fd.RuleID] = -1
			unknown = append(unknown, res.fd.RuleID)
		}
	}
	slices.Sort(unknown)
	for i, id := range unknown {
		index[id] = len(s.rules) + i
	}

	w := &jsonWriter{}
	b := w.beginObject(nil)
	b = w.stringField(b, "$schema", sarifSchema)
	b = w.stringField(b, "version", sarifVersion)
	b = w.key(b, "runs")
	b = w.beginArray(b)
	b = w.beginObject(b)
	b = w.key(b, "tool")
	b = w.beginObject(b)
	b = w.key(b, "driver")
	b = w.beginObject(b)
	b = w.stringField(b, "name", toolName)
	if s.opt.ToolVersion != "" {
		b = w.stringField(b, "version", s.opt.ToolVersion)
	}
	if s.opt.InformationURI != "" {
		b = w.stringField(b, "informationUri", s.opt.InformationURI)
	}
	b = w.key(b, "rules")
	b = w.beginArray(b)
	for _, r := range s.rules {
		b = writeSARIFRule(b, w, r)
	}
	for _, id := range unknown {
		b = w.beginObject(b)
		b = w.stringField(b, "id", id)
		b = w.stringField(b, "name", camelName(id))
		b = writeSARIFText(b, w, "shortDescription", id)
		b = w.endObject(b)
	}
	b = w.endArray(b)
	b = w.endObject(b)
	b = w.endObject(b)

	b = w.key(b, "invocations")
	b = w.beginArray(b)
	b = w.beginObject(b)
	b = w.key(b, "executionSuccessful")
	b = w.bool(b, len(s.notifications) == 0)
	if len(s.notifications) > 0 {
		b = w.key(b, "toolExecutionNotifications")
		b = w.beginArray(b)
		for _, n := range s.notifications {
			b = w.beginObject(b)
			b = w.stringField(b, "level", "error")
			b = writeSARIFText(b, w, "message", n.err)
			b = writeSARIFLocations(b, w, n.uri, nil)
			b = w.endObject(b)
		}
		b = w.endArray(b)
	}
	b = w.endObject(b)
	b = w.endArray(b)

	b = w.stringField(b, "columnKind", "unicodeCodePoints")
	b = w.key(b, "results")
	b = w.beginArray(b)
	for i := range s.results {
		b = writeSARIFResult(b, w, &s.results[i], index)
		if len(b) >= flushSize {
			if _, err := s.w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	b = w.endArray(b)
	b = w.endObject(b)
	b = w.endArray(b)
	b = w.endObject(b)
	_, err := s.w.Write(append(b, '\n'))
	return err
}

func writeSARIFRule(b []byte, w *jsonWriter, r RuleInfo) []byte {
	b = w.beginObject(b)
	b = w.stringField(b, "id", r.ID)
	b = w.stringField(b, "name", camelName(r.ID))
	b = writeSARIFText(b, w, "shortDescription", cmp.Or(r.Title, r.ID))
	if r.Rationale != "" {
		b = writeSARIFText(b, w, "fullDescription", r.Rationale)
		b = writeSARIFText(b, w, "help", r.Rationale)
	}
	b = w.key(b, "defaultConfiguration")
	b = w.beginObject(b)
	b = w.stringField(b, "level", sarifLevel(r.Severity))
	b = w.endObject(b)
	if len(r.Tags) > 0 {
		// SARIF wants the tags distinct.
		tags := slices.Clone(r.Tags)
		slices.Sort(tags)
		b = w.key(b, "properties")
		b = w.beginObject(b)
		b = w.key(b, "tags")
		b = w.stringArray(b, slices.Compact(tags))
		b = w.endObject(b)
	}
	return w.endObject(b)
}

func writeSARIFResult(b []byte, w *jsonWriter, res *sarifPending, index map[string]int) []byte {
	fd := &res.fd
	b = w.beginObject(b)
	b = w.stringField(b, "ruleId", fd.RuleID)
	b = w.intField(b, "ruleIndex", index[fd.RuleID])
	b = w.stringField(b, "level", sarifLevel(fd.Severity))
	b = w.key(b, "message")
	b = w.beginObject(b)
	b = w.key(b, "text")
	b = appendJSONMessage(w.next(b), fd)
	b = w.endObject(b)
	b = writeSARIFLocations(b, w, res.uri, fd)
	if fd.Fingerprint != "" {
		b = w.key(b, "partialFingerprints")
		b = w.beginObject(b)
		b = w.stringField(b, sarifFingerprint, fd.Fingerprint)
		b = w.endObject(b)
	}
	return w.endObject(b)
}

// writeSARIFLocations writes the one-element locations array of a result
// (fd not nil) or a notification.
func writeSARIFLocations(b []byte, w *jsonWriter, uri string, fd *rules.Finding) []byte {
	b = w.key(b, "locations")
	b = w.beginArray(b)
	b = w.beginObject(b)
	b = w.key(b, "physicalLocation")
	b = w.beginObject(b)
	b = w.key(b, "artifactLocation")
	b = w.beginObject(b)
	b = w.stringField(b, "uri", uri)
	b = w.endObject(b)
	if fd != nil && fd.Start.Line > 0 {
		b = writeSARIFRegion(b, w, fd)
	}
	b = w.endObject(b)
	b = w.endObject(b)
	return w.endArray(b)
}

// writeSARIFRegion gives both the text region (1-based code-point columns,
// end exclusive: plancheck's own convention) and the byte range in the
// original file, which plancheck knows exactly whatever the encoding. A
// finding of a Word document is located in the document itself
// (paragraph and character) by the region's properties instead: its lines
// and columns are those of plancheck's text rendering, and byte offsets
// are left out.
func writeSARIFRegion(b []byte, w *jsonWriter, fd *rules.Finding) []byte {
	b = w.key(b, "region")
	b = w.beginObject(b)
	b = w.intField(b, "startLine", fd.Start.Line)
	b = w.intField(b, "startColumn", fd.Start.Col)
	b = w.intField(b, "endLine", fd.End.Line)
	b = w.intField(b, "endColumn", fd.End.Col)
	doc := fd.Start.Para > 0
	if !doc {
		b = w.intField(b, "byteOffset", fd.Start.Offset)
		b = w.intField(b, "byteLength", fd.End.Offset-fd.Start.Offset)
	}
	if fd.Excerpt != "" {
		b = writeSARIFText(b, w, "snippet", fd.Excerpt)
	}
	if doc {
		b = w.key(b, "properties")
		b = w.beginObject(b)
		b = w.intField(b, "para", fd.Start.Para)
		b = w.intField(b, "paraChar", fd.Start.ParaChar)
		b = w.intField(b, "endPara", fd.End.Para)
		b = w.intField(b, "endParaChar", fd.End.ParaChar)
		b = w.endObject(b)
	}
	return w.endObject(b)
}

// appendJSONMessage appends messageWithSuggestion(fd) quoted, without
// building it: quoting the pieces one after another is quoting their
// concatenation, since the separator begins with an ASCII byte and ends
// with a whole character, so that no character spans two pieces.
func appendJSONMessage(b []byte, fd *rules.Finding) []byte {
	b = append(b, '"')
	b = appendJSONEscaped(b, fd.Message)
	if fd.Suggestion != "" {
		b = appendJSONEscaped(b, suggestionSep)
		b = appendJSONEscaped(b, fd.Suggestion)
	}
	return append(b, '"')
}

// writeSARIFText writes a SARIF message object, {"text": …}, under key k.
func writeSARIFText(b []byte, w *jsonWriter, k, text string) []byte {
	b = w.key(b, k)
	b = w.beginObject(b)
	b = w.stringField(b, "text", text)
	return w.endObject(b)
}

// camelName turns a kebab-case rule id into the CamelCase name SARIF
// viewers show: deadline-vague → DeadlineVague.
func camelName(id string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(id, "-") {
		if part == "" {
			continue
		}
		r, n := utf8.DecodeRuneInString(part)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(part[n:])
	}
	return b.String()
}

// artifactURI turns a file name into a URI reference: a relative path with
// forward slashes (what GitHub matches against the repository), or a file:
// URI for an absolute path. Characters outside URIs are percent-encoded.
func artifactURI(name string) string {
	p := filepath.ToSlash(name)
	if filepath.IsAbs(name) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive path: file:///C:/…
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: path.Clean(p)}).String()
}
