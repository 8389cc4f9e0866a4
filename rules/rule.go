package rules

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/expr-lang/expr/vm"

	"github.com/plancheck/plancheck/plan"
)

// Scope says which units of a plan a rule is evaluated on.
type Scope string

// Scopes, from the whole document down to a sentence.
const (
	ScopeDocument  Scope = "document"
	ScopeSection   Scope = "section"   // numbered headings
	ScopeItem      Scope = "item"      // numbered task items
	ScopeNumbered  Scope = "numbered"  // headings and items alike, as `unit`: for numbering rules
	ScopeTask      Scope = "task"      // items and table rows alike, as `task`: for owner/deadline/target rules
	ScopeText      Scope = "text"      // every unit with text of its own (headings, items, paragraphs, preamble), as `unit`
	ScopeParagraph Scope = "paragraph" // unnumbered paragraphs, preamble included
	ScopeTableRow  Scope = "table_row"
	ScopeSentence  Scope = "sentence" // sentences of items, paragraphs and preamble
)

// Scopes lists every scope, largest first.
func Scopes() []Scope {
	return []Scope{ScopeDocument, ScopeSection, ScopeItem, ScopeNumbered, ScopeTask, ScopeText, ScopeTheme, ScopeParagraph, ScopeTableRow, ScopeSentence}
}

// UnmarshalText accepts the name of a scope, so that a misspelt scope is
// an error rather than a rule that never runs.
func (s *Scope) UnmarshalText(b []byte) error {
	for _, sc := range Scopes() {
		if string(sc) == string(b) {
			*s = sc
			return nil
		}
	}
	names := make([]string, 0, 6)
	for _, sc := range Scopes() {
		names = append(names, string(sc))
	}
	return fmt.Errorf("unknown scope %q (want %s)", b, strings.Join(names, ", "))
}

// MarshalText writes the scope's name.
func (s Scope) MarshalText() ([]byte, error) { return []byte(s), nil }

// Rule is one check: its documentation, its expressions as written and,
// once its set is loaded, their compiled programs.
type Rule struct {
	ID       string
	Title    string
	Severity Severity
	Scope    Scope
	// When, if set, selects the units Check runs on (a bool expression).
	When string
	// Check returns true for a problem on the unit, or a list of matches,
	// one finding each.
	Check string
	// Message and Suggestion are templates: text with {{ expr }} parts.
	Message    string
	Suggestion string
	Rationale  string
	Tags       []string
	Enabled    bool
	// MaxPerUnit, when positive, caps the findings on one unit: the last
	// one kept says how many more there are, so a paragraph full of
	// half-width commas stays readable.
	MaxPerUnit int
	// File and Line say where the rule was defined.
	File string
	Line int

	keys map[string]keyPos // where each field is written in File
	prog compiled
}

// compiled holds a rule's programs, shared by all goroutines.
type compiled struct {
	when, check         *vm.Program
	list                bool // check returns a list of matches
	message, suggestion *template
	// gate, when set, is false for the targets on which check cannot find
	// anything (see gateOf): those skip the VM.
	gate func(t *Target, run *Run) bool
}

var ruleIDRe = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Set is a loaded, compiled rule set: the rules and the word lists they
// and the reader use.
type Set struct {
	// Rules holds enabled and disabled rules, in the order their files
	// define them (a replaced rule keeps its place).
	Rules []*Rule
	// Vocab is the reader's word lists, taken from Lists.
	Vocab plan.Vocab
	// Lists holds every [vocab] list by name, Vocab's and any others.
	Lists map[string][]string
	// Files lists the files merged, in order.
	Files []string
	// Themes are the [[theme]] declarations; Parents the higher-level
	// plans the configuration names (`parent = [...]`), as paths;
	// NotApplicable maps theme ids to the reason they do not apply to
	// this draft (`[not_applicable]`).
	Themes        []*ThemeSpec
	Parents       []string
	NotApplicable map[string]string
}

// Enabled returns the enabled rules in order.
func (s *Set) Enabled() []*Rule {
	var out []*Rule
	for _, r := range s.Rules {
		if r.Enabled {
			out = append(out, r)
		}
	}
	return out
}

// Rule returns the rule with the given id, or nil.
func (s *Set) Rule(id string) *Rule {
	for _, r := range s.Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Select applies --enable and --disable: each pattern is a rule id or a
// glob ("deadline-*"); disabling wins. A plain id naming no rule is an
// error (a typo would otherwise pass silently); a glob may match nothing.
func (s *Set) Select(enable, disable []string) error {
	var errs []string
	apply := func(patterns []string, on bool) {
		for _, p := range patterns {
			n, err := s.match(p, func(r *Rule) { r.Enabled = on })
			if err != nil {
				errs = append(errs, err.Error())
			} else if n == 0 && !isGlob(p) {
				errs = append(errs, fmt.Sprintf("unknown rule %q", p))
			}
		}
	}
	apply(enable, true)
	apply(disable, false)
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// match calls fn for every rule pattern p names and returns how many.
func (s *Set) match(p string, fn func(*Rule)) (int, error) {
	if _, err := path.Match(p, ""); err != nil {
		return 0, fmt.Errorf("bad pattern %q: %v", p, err)
	}
	n := 0
	for _, r := range s.Rules {
		if ok, _ := path.Match(p, r.ID); ok {
			fn(r)
			n++
		}
	}
	return n, nil
}

func isGlob(p string) bool { return strings.ContainsAny(p, `*?[\`) }
