package rules

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/plancheck/plancheck/plan"
)

// Severity orders findings; higher is worse.
type Severity int

// Severities, lowest first.
const (
	Info Severity = iota + 1
	Warning
	Error
)

var severityNames = map[Severity]string{Info: "info", Warning: "warning", Error: "error"}

func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	for k, v := range severityNames {
		if v == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// UnmarshalText makes a bad severity in a rule file a positioned TOML error.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Finding is one problem a rule found, modelled on
// golang.org/x/tools/go/analysis.Diagnostic plus a severity. Output
// formats only render findings; they decide nothing.
type Finding struct {
	RuleID   string   `json:"rule"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	// Span is the exact range in the original input (see plan.Position
	// for the units of each field).
	plan.Span
	// Excerpt is the text of the span as written.
	Excerpt string `json:"excerpt"`
	// Message says what is wrong, quoting the text (Chinese).
	Message string `json:"message"`
	// Suggestion is an imperative phrase that says how to fix it.
	Suggestion string `json:"suggestion,omitempty"`
	// Section is the unit's section path.
	Section []string `json:"section,omitempty"`
	// Fingerprint identifies the finding across edits (rule + normalised
	// unit text + occurrence), for baselines and SARIF.
	Fingerprint string `json:"fingerprint"`
}

// Compare orders findings by file, position, end, rule and message: a
// full key, so that sorting is deterministic.
func Compare(a, b Finding) int {
	return a.Compare(&b)
}

// Compare is Compare(*a, *b) without copying the findings, for sorting
// many. It returns at the first key that differs (cmp.Or would compare
// every key).
func (a *Finding) Compare(b *Finding) int {
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Start.Offset, b.Start.Offset); c != 0 {
		return c
	}
	if c := cmp.Compare(a.End.Offset, b.End.Offset); c != 0 {
		return c
	}
	if c := strings.Compare(a.RuleID, b.RuleID); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

// SortFindings sorts fs in place and drops exact duplicates.
func SortFindings(fs []Finding) []Finding {
	slices.SortFunc(fs, Compare)
	return slices.CompactFunc(fs, func(a, b Finding) bool { return Compare(a, b) == 0 })
}

// Fingerprint identifies a finding across edits that move it: a hash of
// the rule id, the text of the unit it is on with all spaces removed (so
// re-wrapping or re-indenting does not change it) and the occurrence
// index of that (rule, unit text) pair in the document, 16 hex digits.
func Fingerprint(ruleID, unitText string, occurrence int) string {
	return FingerprintNormalized(ruleID, NormalizeText(unitText), occurrence)
}

// FingerprintNormalized is Fingerprint of a text already normalized with
// NormalizeText.
func FingerprintNormalized(ruleID, normalized string, occurrence int) string {
	// Hashed from one pooled buffer: writing the unit text to a hash.Hash
	// copied it for every finding.
	bp := fingerprintBufs.Get().(*[]byte)
	b := append((*bp)[:0], ruleID...)
	b = append(b, 0)
	b = append(b, normalized...)
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(occurrence), 10)
	sum := sha256.Sum256(b)
	*bp = b
	fingerprintBufs.Put(bp)
	return hex.EncodeToString(sum[:8])
}

var fingerprintBufs = sync.Pool{New: func() any { return new([]byte) }}

// NormalizeText removes every space (ASCII, U+3000, NBSP, line ends) from s.
func NormalizeText(s string) string {
	for i := 0; i < len(s); {
		r, n := plan.DecodeRune(s, i)
		if plan.IsSpace(r) {
			return strings.Map(func(r rune) rune {
				if plan.IsSpace(r) {
					return -1
				}
				return r
			}, s)
		}
		i += n
	}
	return s // most unit texts have no space at all
}
