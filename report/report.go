package report

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/plancheck/plancheck/docx"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// toolName is the name every format gives the tool.
const toolName = "plancheck"

// flushSize is how much rendered output a formatter gathers before it
// writes: few writes, yet a file with many findings still streams.
const flushSize = 64 << 10

// DefaultMaxWidth is the widest source excerpt, in display cells, that the
// text format prints before it windows a long line around the span.
const DefaultMaxWidth = 100

// RuleInfo describes a rule for formats that list rules (SARIF's
// tool.driver.rules, the per-rule summary, GitHub annotation titles).
type RuleInfo struct {
	ID        string
	Title     string
	Severity  rules.Severity
	Rationale string
	Tags      []string
}

// File is one checked input: its findings (already sorted, see
// rules.SortFindings), its source (nil when it could not be read), or the
// error that stopped it. Findings are rendered under Name, whatever their
// own File field says, so that one file's block never mixes names.
type File struct {
	Name     string
	Source   *plan.Source
	Findings []rules.Finding
	Err      error
	// Title is the plan's title as read ("" when none), for the 修改意见.
	Title string
	// Doc is the Word document the source was rendered from, nil for
	// plain text: the docx format comments a copy of it.
	Doc *docx.Document
}

// Options control rendering. The zero value renders plain text without
// colour, rule titles or tool version.
type Options struct {
	// Color turns on ANSI colour in the text format; the caller decides it
	// from the terminal and NO_COLOR.
	Color bool
	// ToolVersion is reported by json and sarif.
	ToolVersion string
	// InformationURI is sarif's tool.driver.informationUri, an absolute
	// URI; omitted when empty.
	InformationURI string
	// Rules describes every enabled rule, in any order.
	Rules []RuleInfo
	// MaxWidth is the widest excerpt the text format shows, in display
	// cells; 0 means DefaultMaxWidth.
	MaxWidth int
	// Author and Initials sign the Word comments and the 修改意见; Date
	// (YYYY-MM-DD) dates them. Empty values get placeholders.
	Author, Initials, Date string
}

// Formatter renders a run file by file, so that long runs stream: Start
// once, File once per input in order, Finish once. Formats that need the
// whole run (sarif) keep findings, never sources.
type Formatter interface {
	Start() error
	File(f File) error
	Finish() error
}

// constructors maps each format name to its constructor.
var constructors = map[string]func(c *common) Formatter{
	"checkstyle":    newCheckstyle,
	"csv":           newCSV,
	"docx":          newDocx,
	"feedback-docx": newFeedbackDocx,
	"feedback-md":   newFeedbackMarkdown,
	"github":        newGitHub,
	"json":          newJSON,
	"markdown":      newMarkdown,
	"sarif":         newSARIF,
	"text":          newText,
}

// Formats returns the names New accepts, sorted.
func Formats() []string {
	return slices.Sorted(maps.Keys(constructors))
}

// New returns the formatter for format writing to w. It fails on an
// unknown format, naming the known ones, and on duplicate rule ids in
// opt.Rules.
func New(format string, w io.Writer, opt Options) (Formatter, error) {
	ctor, ok := constructors[format]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (known: %s)", format, strings.Join(Formats(), ", "))
	}
	c, err := newCommon(w, opt)
	if err != nil {
		return nil, err
	}
	return ctor(c), nil
}

// common is what every formatter shares: the writer, the options, the
// rules by id and the running counts for the summary.
type common struct {
	w   io.Writer
	opt Options
	// rules are opt.Rules sorted by id, so that SARIF rule indexes do not
	// depend on the caller's order.
	rules  []RuleInfo
	ruleOf map[string]RuleInfo
	tally  tally
}

func newCommon(w io.Writer, opt Options) (*common, error) {
	c := &common{
		w:      w,
		opt:    opt,
		rules:  slices.Clone(opt.Rules),
		ruleOf: make(map[string]RuleInfo, len(opt.Rules)),
		tally:  tally{bySeverity: map[rules.Severity]int{}, byRule: map[string]int{}},
	}
	if c.opt.MaxWidth <= 0 {
		c.opt.MaxWidth = DefaultMaxWidth
	}
	slices.SortFunc(c.rules, func(a, b RuleInfo) int { return strings.Compare(a.ID, b.ID) })
	for _, r := range c.rules {
		if _, dup := c.ruleOf[r.ID]; dup {
			return nil, fmt.Errorf("duplicate rule id %q in report options", r.ID)
		}
		c.ruleOf[r.ID] = r
	}
	return c, nil
}

// title returns the rule's title, or "" for a rule the options do not describe.
func (c *common) title(id string) string { return c.ruleOf[id].Title }

// tally counts a run for the summaries.
type tally struct {
	files, failed, findings int
	bySeverity              map[rules.Severity]int
	byRule                  map[string]int
}

func (t *tally) add(f File) {
	t.files++
	if f.Err != nil {
		t.failed++
	}
	t.findings += len(f.Findings)
	for _, fd := range f.Findings {
		t.bySeverity[fd.Severity]++
		t.byRule[fd.RuleID]++
	}
}

// ruleCount is one line of the per-rule summary.
type ruleCount struct {
	id    string
	count int
}

// ruleCounts lists rules with findings, most frequent first, then by id.
func (t *tally) ruleCounts() []ruleCount {
	out := make([]ruleCount, 0, len(t.byRule))
	for id, n := range t.byRule {
		out = append(out, ruleCount{id, n})
	}
	slices.SortFunc(out, func(a, b ruleCount) int {
		return cmp.Or(cmp.Compare(b.count, a.count), strings.Compare(a.id, b.id))
	})
	return out
}

// severitiesWorstFirst orders severities in summaries.
var severitiesWorstFirst = []rules.Severity{rules.Error, rules.Warning, rules.Info}

// severityLabels are the Chinese names of severities for readers of the
// text, markdown and csv formats.
var severityLabels = map[rules.Severity]string{rules.Error: "错误", rules.Warning: "警告", rules.Info: "提示"}

func severityLabel(s rules.Severity) string {
	if l, ok := severityLabels[s]; ok {
		return l
	}
	return s.String()
}

// sentence summarises the run in one Chinese sentence, e.g.
// "3 个文件，12 条意见（错误 1，警告 9，提示 2），1 个文件无法检查".
func (t *tally) sentence() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d 个文件，", t.files)
	if t.findings == 0 {
		b.WriteString("未发现问题")
	} else {
		var parts []string
		for _, s := range severitiesWorstFirst {
			if n := t.bySeverity[s]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", severityLabel(s), n))
			}
		}
		fmt.Fprintf(&b, "%d 条意见（%s）", t.findings, strings.Join(parts, "，"))
	}
	if t.failed > 0 {
		fmt.Fprintf(&b, "，%d 个文件无法检查", t.failed)
	}
	return b.String()
}

// location names where a finding is for a reader, e.g.
// "二、重点工作 › （三）… › 11，第78行第5列".
func location(fd rules.Finding) string {
	var buf [256]byte // on the stack: most locations fit
	b := buf[:0]
	for i, s := range fd.Section {
		if i > 0 {
			b = append(b, " › "...)
		}
		b = append(b, s...)
	}
	if fd.Start.Para <= 0 && fd.Start.Line <= 0 {
		return string(b)
	}
	if len(b) > 0 {
		b = append(b, "，"...)
	}
	if fd.Start.Para > 0 {
		b = append(b, "段落 "...)
		b = strconv.AppendInt(b, int64(fd.Start.Para), 10)
		b = append(b, "，第"...)
		b = strconv.AppendInt(b, int64(fd.Start.ParaChar), 10)
		b = append(b, "字"...)
	} else {
		b = append(b, "第"...)
		b = strconv.AppendInt(b, int64(fd.Start.Line), 10)
		b = append(b, "行第"...)
		b = strconv.AppendInt(b, int64(fd.Start.Col), 10)
		b = append(b, "列"...)
	}
	return string(b)
}

// suggestionSep goes between a finding's message and its suggestion.
const suggestionSep = "\n建议："

// messageWithSuggestion joins a finding's message and suggestion for
// formats that have a single message field.
func messageWithSuggestion(fd rules.Finding) string {
	if fd.Suggestion == "" {
		return fd.Message
	}
	return fd.Message + suggestionSep + fd.Suggestion
}

// errText renders a file's error on one line (joined errors print one per
// line); formats print it for the file instead of findings.
func errText(err error) string {
	return strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
}
