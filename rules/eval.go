package rules

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/plancheck/plancheck/plan"
)

// Hit is one problem a rule found on a target, before it becomes a
// Finding.
type Hit struct {
	Span       plan.Match
	Message    string
	Suggestion string
	// Text and Section are those of the unit the hit is on: the target's,
	// or a unit the check returned.
	Text    string
	Section []string
}

// EvalError is a rule failing at run time on one target.
type EvalError struct {
	Field string // when, check, message or suggestion
	// Line and Col locate the failing part of the expression (1-based,
	// characters); 0 when unknown.
	Line, Col int
	Err       error
}

func (e *EvalError) Error() string {
	msg := e.Err.Error()
	var fe *file.Error
	if errors.As(e.Err, &fe) {
		msg = fe.Message
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s %d:%d: %s", e.Field, e.Line, e.Col, msg)
	}
	return e.Field + ": " + msg
}

func (e *EvalError) Unwrap() error { return e.Err }

func evalError(field string, err error) *EvalError {
	e := &EvalError{Field: field, Err: err}
	var fe *file.Error
	if errors.As(err, &fe) && fe.Line > 0 {
		e.Line, e.Col = fe.Line, fe.Column+1
	}
	return e
}

// Eval runs r on one target with the worker's VM m, charging run. It
// returns the hits, or an *EvalError (errors.Is(err, ErrBudget) when the
// rule ran out of budget).
func (r *Rule) Eval(m *vm.VM, t *Target, run *Run) (hits []Hit, err error) {
	defer func() {
		// expr recovers panics inside a program; this catches the rest
		// (a bad value handed to a template, say).
		if p := recover(); p != nil {
			hits, err = nil, &EvalError{Field: "check", Err: fmt.Errorf("internal error: %v", p)}
		}
	}()
	if r.prog.check == nil {
		return nil, &EvalError{Field: "check", Err: errors.New("rule is not compiled")}
	}
	if r.prog.gate != nil && !r.prog.gate(t, run) {
		return nil, nil
	}
	env := &run.env
	t.fill(env)
	env.Run = run
	m.MemoryBudget = memoryBudget
	if r.prog.when != nil {
		ok, err := m.Run(r.prog.when, env)
		if err != nil {
			return nil, evalError("when", err)
		}
		if ok != true {
			return nil, nil
		}
	}
	res, err := m.Run(r.prog.check, env)
	if err != nil {
		return nil, evalError("check", err)
	}
	if !r.prog.list {
		if res != true {
			return nil, nil
		}
		hits = []Hit{{Span: t.Span, Text: t.Text, Section: t.Section}}
	} else {
		hits, err = toHits(res, t)
		if err != nil {
			return nil, &EvalError{Field: "check", Err: err}
		}
	}
	for i := range hits {
		env.Match = hits[i].Span
		if hits[i].Message, err = r.prog.message.render(m, env, run); err != nil {
			return nil, evalError("message", err)
		}
		if r.prog.suggestion != nil {
			if hits[i].Suggestion, err = r.prog.suggestion.render(m, env, run); err != nil {
				return nil, evalError("suggestion", err)
			}
		}
	}
	return hits, nil
}

// toHits turns a check's list into hits: matches and things that embed
// one are reported on the target's unit; units, rows and sentences at
// their own span.
func toHits(res any, t *Target) ([]Hit, error) {
	if ms, ok := res.([]plan.Match); ok {
		hits := make([]Hit, len(ms))
		for i, m := range ms {
			hits[i] = Hit{Span: m, Text: t.Text, Section: t.Section}
		}
		return hits, nil
	}
	if res == nil {
		return nil, nil
	}
	v := reflect.ValueOf(res)
	if v.Kind() != reflect.Slice {
		return nil, fmt.Errorf("check returned %T, not a list", res)
	}
	hits := make([]Hit, 0, v.Len())
	for i := range v.Len() {
		h := Hit{Text: t.Text, Section: t.Section}
		switch x := v.Index(i).Interface().(type) {
		case plan.Match:
			h.Span = x
		case *UnitView:
			if x == nil {
				continue
			}
			h.Span, h.Text, h.Section = DefaultSpan(x.U), x.Text, x.Path
		case *RowView:
			if x == nil {
				continue
			}
			h.Span, h.Text, h.Section = DefaultSpan(x.U), x.Text, x.U.Path
		case *SentenceView:
			if x == nil {
				continue
			}
			h.Span, h.Text = x.Span, x.Text
			if x.Unit != nil {
				h.Section = x.Unit.Path
			}
		default:
			m, ok := embeddedMatch(x)
			if !ok {
				return nil, fmt.Errorf("check returned a list holding %T, not matches", x)
			}
			h.Span = m
		}
		hits = append(hits, h)
	}
	return hits, nil
}

func embeddedMatch(x any) (plan.Match, bool) {
	v := reflect.ValueOf(x)
	if v.Kind() != reflect.Struct {
		return plan.Match{}, false
	}
	f := v.FieldByName("Match")
	if !f.IsValid() || f.Type() != matchType {
		return plan.Match{}, false
	}
	return f.Interface().(plan.Match), true
}

// render writes the template with env, within the message budget.
func (t *template) render(m *vm.VM, env *Env, run *Run) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		s := p.text
		switch {
		case p.matchText:
			s = env.Match.Text
		case p.prog != nil:
			v, err := m.Run(p.prog, env)
			if err != nil {
				return "", err
			}
			s = format(v)
		}
		if err := run.alloc(len(s)); err != nil {
			return "", err
		}
		b.WriteString(s)
		if b.Len() > maxMessage {
			break
		}
	}
	return truncate(b.String(), maxMessage), nil
}

// truncate cuts s to at most n bytes at a character boundary, marking the
// cut with "…": a message quoting a runaway unit stays readable.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// format writes a template value: lists joined with 、, matches by their text.
func format(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case plan.Match:
		return x.Text
	case []string:
		return strings.Join(x, "、")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = format(e)
		}
		return strings.Join(parts, "、")
	}
	if m, ok := embeddedMatch(v); ok {
		return m.Text
	}
	return fmt.Sprint(v)
}
