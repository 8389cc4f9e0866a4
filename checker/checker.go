// Package checker runs a compiled rule set over parsed plans and turns
// what the rules find into sorted, fingerprinted findings. It also runs
// rule fixtures (ruletest.go), for the default rules and a bureau's own.
package checker

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/expr-lang/expr/vm"

	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// Checker holds a compiled rule set. It is safe for concurrent use: the
// programs are shared, and each Check call has its own VM.
type Checker struct {
	set   *rules.Set
	rules []*rules.Rule
}

// New returns a checker for the rules of set enabled now.
func New(set *rules.Set) *Checker {
	return &Checker{set: set, rules: set.Enabled()}
}

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

// found is a finding with the text of its unit, for the fingerprint.
type found struct {
	f    rules.Finding
	text string
}

// Check runs every enabled rule over p. Findings come sorted (see
// rules.SortFindings) with fingerprints; errs holds one RunError per rule
// and unit that failed, sorted by position. A rule that exhausts its
// budget is stopped for this document.
func (c *Checker) Check(p *plan.Plan) (findings []rules.Finding, errs []error) {
	doc, err := newDoc(p, c.set.Lists)
	if err != nil {
		return nil, []error{&RunError{File: p.File, Pos: plan.Position{Line: 1, Col: 1}, RuleID: "-", Err: err}}
	}
	m := &vm.VM{}
	var fs []found
	var runErrs []*RunError
	for _, r := range c.rules {
		run := rules.NewRun(p.Source)
		targets := doc.Targets(r.Scope)
		for i := range targets {
			t := &targets[i]
			hits, err := r.Eval(m, t, run)
			if err != nil {
				runErrs = append(runErrs, &RunError{File: p.File, Pos: t.Span.Start, RuleID: r.ID, Err: err})
				if errors.Is(err, rules.ErrBudget) {
					break
				}
				continue
			}
			for _, h := range hits {
				fs = append(fs, found{text: h.Text, f: rules.Finding{
					RuleID: r.ID, Severity: r.Severity, File: p.File, Span: h.Span.Span, Excerpt: h.Span.Text,
					Message: h.Message, Suggestion: h.Suggestion, Section: h.Section,
				}})
			}
		}
	}
	slices.SortFunc(fs, func(a, b found) int { return rules.Compare(a.f, b.f) })
	fs = slices.CompactFunc(fs, func(a, b found) bool { return rules.Compare(a.f, b.f) == 0 })
	seen := map[string]int{}
	findings = make([]rules.Finding, len(fs))
	for i, x := range fs {
		key := x.f.RuleID + "\x00" + rules.NormalizeText(x.text)
		x.f.Fingerprint = rules.Fingerprint(x.f.RuleID, x.text, seen[key])
		seen[key]++
		findings[i] = x.f
	}
	slices.SortStableFunc(runErrs, func(a, b *RunError) int {
		return cmp.Or(cmp.Compare(a.Pos.Offset, b.Pos.Offset), cmp.Compare(a.RuleID, b.RuleID))
	})
	for _, e := range runErrs {
		errs = append(errs, e)
	}
	return findings, errs
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
