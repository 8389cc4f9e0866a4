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

// sarifFormatter keeps results until Finish: the rule table comes first
// and may have to name rules the options did not describe.
type sarifFormatter struct {
	*common
	results       []sarifResult
	notifications []sarifNotification
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
	artifact := sarifArtifact{URI: artifactURI(f.Name)}
	if f.Err != nil {
		s.notifications = append(s.notifications, sarifNotification{
			Level:     "error",
			Message:   sarifText{Text: errText(f.Err)},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: artifact}}},
		})
	}
	for _, fd := range f.Findings {
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: artifact}}
		if fd.Start.Line > 0 {
			r := &sarifRegion{
				StartLine:   fd.Start.Line,
				StartColumn: fd.Start.Col,
				EndLine:     fd.End.Line,
				EndColumn:   fd.End.Col,
			}
			if fd.Start.Para > 0 {
				r.Properties = &sarifParaProps{Para: fd.Start.Para, ParaChar: fd.Start.ParaChar, EndPara: fd.End.Para, EndParaChar: fd.End.ParaChar}
			} else {
				off, n := fd.Start.Offset, fd.End.Offset-fd.Start.Offset
				r.ByteOffset, r.ByteLength = &off, &n
			}
			if fd.Excerpt != "" {
				r.Snippet = &sarifText{Text: fd.Excerpt}
			}
			loc.PhysicalLocation.Region = r
		}
		res := sarifResult{
			RuleID:    fd.RuleID,
			Level:     sarifLevel(fd.Severity),
			Message:   sarifText{Text: messageWithSuggestion(fd)},
			Locations: []sarifLocation{loc},
		}
		if fd.Fingerprint != "" {
			res.PartialFingerprints = map[string]string{sarifFingerprint: fd.Fingerprint}
		}
		s.results = append(s.results, res)
	}
	return nil
}

func (s *sarifFormatter) Finish() error {
	descriptors := make([]sarifRule, 0, len(s.rules))
	index := make(map[string]int, len(s.rules))
	for _, r := range s.rules {
		index[r.ID] = len(descriptors)
		descriptors = append(descriptors, describeRule(r))
	}
	// Rules the options did not describe still get a descriptor, so that
	// every result has a ruleIndex; sorted, after the described ones.
	var unknown []string
	for _, res := range s.results {
		if _, ok := index[res.RuleID]; !ok && !slices.Contains(unknown, res.RuleID) {
			unknown = append(unknown, res.RuleID)
		}
	}
	slices.Sort(unknown)
	for _, id := range unknown {
		index[id] = len(descriptors)
		descriptors = append(descriptors, sarifRule{ID: id, Name: camelName(id), ShortDescription: sarifText{Text: id}})
	}
	results := make([]sarifResult, 0, len(s.results))
	for _, res := range s.results {
		res.RuleIndex = index[res.RuleID]
		results = append(results, res)
	}
	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           toolName,
				Version:        s.opt.ToolVersion,
				InformationURI: s.opt.InformationURI,
				Rules:          descriptors,
			}},
			Invocations: []sarifInvocation{{
				ExecutionSuccessful:        len(s.notifications) == 0,
				ToolExecutionNotifications: s.notifications,
			}},
			ColumnKind: "unicodeCodePoints",
			Results:    results,
		}},
	}
	data, err := marshalJSON(log, "")
	if err != nil {
		return err
	}
	_, err = s.w.Write(append(data, '\n'))
	return err
}

func describeRule(r RuleInfo) sarifRule {
	d := sarifRule{
		ID:                   r.ID,
		Name:                 camelName(r.ID),
		ShortDescription:     sarifText{Text: cmp.Or(r.Title, r.ID)},
		DefaultConfiguration: &sarifConfig{Level: sarifLevel(r.Severity)},
	}
	if r.Rationale != "" {
		d.FullDescription = &sarifText{Text: r.Rationale}
		d.Help = &sarifText{Text: r.Rationale}
	}
	if len(r.Tags) > 0 {
		// SARIF wants the tags distinct.
		tags := slices.Clone(r.Tags)
		slices.Sort(tags)
		d.Properties = &sarifProps{Tags: slices.Compact(tags)}
	}
	return d
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
