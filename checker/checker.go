// Package checker runs a compiled rule set over parsed plans and turns
// what the rules find into sorted, fingerprinted findings. It also runs
// rule fixtures (ruletest.go), for the default rules and a bureau's own.
package checker

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/expr-lang/expr/vm"

	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
	"github.com/plancheck/plancheck/themes"
)

// Checker holds a compiled rule set. It is safe for concurrent use: the
// programs are shared, and each Check call has its own VM.
type Checker struct {
	set     *rules.Set
	rules   []*rules.Rule
	matcher *themes.Matcher
	workers int // goroutines sharing one document's rules (≤ 1: one)
}

// New returns a checker for the rules of set enabled now.
func New(set *rules.Set) *Checker {
	return &Checker{set: set, rules: set.Enabled(), matcher: themes.NewMatcher(set.ThemeOptions())}
}

// WithWorkers returns a checker that runs the rules of each document on n
// goroutines, so that a lone document uses the cores that checking
// several documents side by side would. The findings do not change.
func (c *Checker) WithWorkers(n int) *Checker {
	d := *c
	d.workers = n
	return &d
}

// Matcher is the theme matcher built from the rule set's vocabulary, for
// callers that trace coverage without checking (plancheck trace).
func (c *Checker) Matcher() *themes.Matcher { return c.matcher }

// Rules returns the rules the checker runs, in set order.
func (c *Checker) Rules() []*rules.Rule { return c.rules }

// RunError is a rule failing at run time on one unit: the run goes on
// with the other units and rules.
type RunError struct {
	File   string
	Pos    plan.Position // the unit's start in the original input
	RuleID string
	Err    error
}

func (e *RunError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s: %v", e.File, e.Pos.Line, e.Pos.Col, e.RuleID, e.Err)
}

func (e *RunError) Unwrap() error { return e.Err }

// found is a finding with the text of its unit, for the fingerprint, and
// the unit itself, for capping.
type found struct {
	f    rules.Finding
	text string
	unit any
}

// foundBufs holds the buffers workers collect findings in.
var foundBufs = sync.Pool{New: func() any { return new([]found) }}

// capPerUnit keeps at most max findings of one rule per unit (0: all);
// the last one kept says how many more the unit has.
func capPerUnit(fs []found, max int) []found {
	if max <= 0 {
		return fs
	}
	count := map[any]int{}
	for _, f := range fs {
		count[f.unit]++
	}
	kept := map[any]int{}
	out := fs[:0]
	for _, f := range fs {
		kept[f.unit]++
		n := kept[f.unit]
		if n > max {
			continue
		}
		if n == max && count[f.unit] > max {
			f.f.Message += fmt.Sprintf("（本段另有%d处同类问题）", count[f.unit]-max)
		}
		out = append(out, f)
	}
	return out
}

// Check runs every enabled rule over p. Findings come sorted (see
// rules.SortFindings) with fingerprints; errs holds one RunError per rule
// and unit that failed, sorted by position. A rule that exhausts its
// budget is stopped for this document.
func (c *Checker) Check(p *plan.Plan) (findings []rules.Finding, errs []error) {
	findings, _, errs = c.CheckAgainst(p, nil)
	return findings, errs
}

// CheckAgainst is Check with the higher-level plans the draft must carry
// out: their headings and items become themes, matched in the draft with
// the [[theme]] declarations of the rule set; theme-scope rules see the
// coverage, which is also returned (one result per theme, parents first).
func (c *Checker) CheckAgainst(p *plan.Plan, parents []*plan.Plan) (findings []rules.Finding, coverage []themes.Result, errs []error) {
	doc, err := newDoc(p, c.set.Lists)
	if err != nil {
		return nil, nil, []error{&RunError{File: p.File, Pos: plan.Position{Line: 1, Col: 1}, RuleID: "-", Err: err}}
	}
	m := &vm.VM{}
	if len(parents) > 0 || len(c.set.Themes) > 0 {
		var themeErrs []error
		coverage, themeErrs = c.coverage(m, doc, p, parents)
		errs = append(errs, themeErrs...)
	}
	fs, runErrs := c.runRules(m, doc, p)
	findings = sortedFindings(fs)
	slices.SortStableFunc(runErrs, func(a, b *RunError) int {
		return cmp.Or(cmp.Compare(a.Pos.Offset, b.Pos.Offset), cmp.Compare(a.RuleID, b.RuleID))
	})
	for _, e := range runErrs {
		errs = append(errs, e)
	}
	return findings, coverage, errs
}

// runRules runs every rule over doc with c.workers goroutines (m serving
// the first) and returns the findings and errors in rule order, so that
// the result is the same however many ran.
func (c *Checker) runRules(m *vm.VM, doc *rules.Doc, p *plan.Plan) ([]found, []*RunError) {
	// A worker appends its rules' findings to one pooled buffer, so that
	// they are not collected a rule at a time in slices grown by doubling.
	type ruleResult struct {
		buf      *[]found // the worker's buffer
		from, to int      // this rule's findings in it
		errs     []*RunError
	}
	results := make([]ruleResult, len(c.rules))
	evalRule := func(m *vm.VM, buf *[]found, i int) {
		r, res := c.rules[i], &results[i]
		run := rules.NewRun(p.Source)
		from := len(*buf)
		doc.Each(r.Scope, func(t *rules.Target) bool {
			hits, err := r.Eval(m, t, run)
			if err != nil {
				res.errs = append(res.errs, &RunError{File: p.File, Pos: t.Span.Start, RuleID: r.ID, Err: err})
				return !errors.Is(err, rules.ErrBudget)
			}
			for _, h := range hits {
				*buf = append(*buf, found{text: h.Text, unit: t.Subject(), f: rules.Finding{
					RuleID: r.ID, Severity: r.Severity, File: p.File, Span: h.Span.Span, Excerpt: h.Span.Text,
					Message: h.Message, Suggestion: h.Suggestion, Section: h.Section,
				}})
			}
			return true
		})
		*buf = (*buf)[:from+len(capPerUnit((*buf)[from:], r.MaxPerUnit))] // capped in place
		res.buf, res.from, res.to = buf, from, len(*buf)
	}
	workers := max(1, min(c.workers, len(c.rules)))
	bufs := make([]*[]found, workers)
	for w := range bufs {
		bufs[w] = foundBufs.Get().(*[]found)
	}
	if workers > 1 {
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				m := &vm.VM{}
				for i := int(next.Add(1) - 1); i < len(c.rules); i = int(next.Add(1) - 1) {
					evalRule(m, bufs[w], i)
				}
			})
		}
		wg.Wait()
	} else {
		for i := range c.rules {
			evalRule(m, bufs[0], i)
		}
	}
	total := 0
	for _, res := range results {
		total += res.to - res.from
	}
	fs := make([]found, 0, total)
	var runErrs []*RunError
	for _, res := range results {
		if res.buf != nil {
			fs = append(fs, (*res.buf)[res.from:res.to]...)
		}
		runErrs = append(runErrs, res.errs...)
	}
	for _, buf := range bufs {
		clear(*buf) // the pool must not keep this document alive
		*buf = (*buf)[:0]
		foundBufs.Put(buf)
	}
	return fs, runErrs
}

// sortedFindings sorts fs (see rules.Compare), drops duplicates and gives
// each finding its fingerprint.
func sortedFindings(fs []found) []rules.Finding {
	// Sorted through an index: a found is a few hundred bytes to swap.
	order := make([]int32, len(fs))
	for i := range order {
		order[i] = int32(i)
	}
	// Equal findings (two rules' hits can coincide) keep the first found.
	slices.SortFunc(order, func(a, b int32) int {
		if c := fs[a].f.Compare(&fs[b].f); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	order = slices.CompactFunc(order, func(a, b int32) bool { return fs[a].f.Compare(&fs[b].f) == 0 })
	type occurrence struct{ rule, text string }
	seen := map[occurrence]int{}
	normalized := map[string]string{} // findings on one unit share its text
	findings := make([]rules.Finding, len(order))
	for i, k := range order {
		x := &fs[k]
		norm, ok := normalized[x.text]
		if !ok {
			norm = rules.NormalizeText(x.text)
			normalized[x.text] = norm
		}
		key := occurrence{x.f.RuleID, norm}
		x.f.Fingerprint = rules.FingerprintNormalized(x.f.RuleID, norm, seen[key])
		seen[key]++
		findings[i] = x.f
	}
	return findings
}

// coverage derives the parents' themes, keeps the declared themes that
// apply to this draft, matches both in the draft and adds the results to
// the views for theme-scope rules.
func (c *Checker) coverage(m *vm.VM, doc *rules.Doc, p *plan.Plan, parents []*plan.Plan) ([]themes.Result, []error) {
	var errs []error
	var derived []themes.Theme
	for i, parent := range parents {
		derived = append(derived, c.matcher.Derive(parent, fmt.Sprintf("p%d", i+1))...)
	}
	var declared []themes.Declared
	for _, ts := range c.set.Themes {
		ok, err := ts.Applies(m, doc)
		if err != nil {
			errs = append(errs, &RunError{File: p.File, Pos: plan.Position{Line: 1, Col: 1}, RuleID: "theme " + ts.ID, Err: err})
			continue
		}
		if ok {
			declared = append(declared, ts.Declared)
		}
	}
	results := c.matcher.Match(derived, declared, p)
	for i := range results {
		if _, ok := c.set.NotApplicable[results[i].Theme.ID]; ok {
			results[i].Verdict = themes.NotApplicable
		}
	}
	doc.AddThemes(results, func(t themes.Theme) *plan.Unit { return c.matcher.NearestSection(t, p) }, c.set.NotApplicable)
	return results, errs
}

// newDoc builds the views, turning a panic on a malformed plan into an error.
func newDoc(p *plan.Plan, lists map[string][]string) (d *rules.Doc, err error) {
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, fmt.Errorf("internal error reading the plan's units: %v", r)
		}
	}()
	return rules.NewDoc(p, lists), nil
}
