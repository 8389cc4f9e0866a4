package rules

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/checker/nature"
	exprcompiler "github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/plancheck/plancheck/plan"
)

// compiler compiles the expressions of one Set against Env. Everything
// is compiled once, at load; programs are then shared by all goroutines.
type compiler struct {
	lists map[string][]string
	// base is expr's configuration (environment, functions, limits),
	// built once and copied for each expression: applying the options
	// anew for every expression was a third of the load time.
	base    *conf.Config
	caches  *caches
	fnNames map[string]bool
	// done holds the programs compiled so far, by scope, mode and
	// source: the same template part ({{ match.text }}) recurs in many
	// rules.
	done map[compileKey]compileResult
}

type compileKey struct {
	src   string
	scope Scope
	mode  exprMode
}

type compileResult struct {
	prog *vm.Program
	errs []exprError
}

// disabledBuiltins are expr built-ins rules may not use: the clock would
// make output depend on the day, and JSON/base64 of the views (which link
// to each other) is not something a rule needs.
var disabledBuiltins = []string{"now", "date", "duration", "timezone", "toJSON", "fromJSON", "toBase64", "fromBase64"}

func newCompiler(lists map[string][]string) *compiler {
	cs := newCaches()
	cs.register(lists)
	fns := newFunctions(cs)
	c := &compiler{lists: lists, caches: cs, fnNames: map[string]bool{}, done: map[compileKey]compileResult{}}
	opts := []expr.Option{expr.Env(Env{}), expr.MaxNodes(maxNodes)}
	for _, name := range disabledBuiltins {
		opts = append(opts, expr.DisableBuiltin(name))
	}
	opts = append(opts, exprOptions(fns)...)
	c.base = conf.CreateNew()
	for _, op := range opts {
		op(c.base)
	}
	for name := range c.base.Disabled {
		delete(c.base.Builtins, name)
	}
	for _, f := range fns {
		c.fnNames[f.Name] = true
	}
	return c
}

// exprCompile is expr.Compile with the compiler's configuration and the
// given checks: what expr.Compile does after applying its options.
func (c *compiler) exprCompile(src string, mode exprMode, patches ...ast.Visitor) (*vm.Program, error) {
	cfg := *c.base
	cfg.Visitors = append(slices.Clip(c.base.Visitors), patches...)
	if mode == modeWhen {
		// expr.AsBool() with expr.WarnOnAny(): a when must be a bool.
		cfg.Expect, cfg.ExpectAny = reflect.Bool, false
	}
	cfg.Check()
	tree, err := checker.ParseCheck(src, &cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Optimize {
		if err := optimizer.Optimize(&tree.Node, &cfg); err != nil {
			var fe *file.Error
			if errors.As(err, &fe) {
				return nil, fe.Bind(tree.Source)
			}
			return nil, err
		}
	}
	return exprcompiler.Compile(tree, &cfg)
}

type exprMode int

const (
	modeWhen exprMode = iota
	modeCheck
	modeTemplate
)

// compile compiles one expression of a rule of scope s, once per source,
// scope and mode.
func (c *compiler) compile(src string, s Scope, mode exprMode) (*vm.Program, []exprError) {
	key := compileKey{src, s, mode}
	done, ok := c.done[key]
	if !ok {
		done.prog, done.errs = c.compileOnce(src, s, mode)
		c.done[key] = done
	}
	return done.prog, done.errs
}

// compileOnce compiles one expression. It never panics: a broken rule file
// is an error list, not a crash.
func (c *compiler) compileOnce(src string, s Scope, mode exprMode) (prog *vm.Program, errs []exprError) {
	defer func() {
		if r := recover(); r != nil {
			prog, errs = nil, []exprError{{from: -1, msg: fmt.Sprintf("internal error compiling the expression: %v", r)}}
		}
	}()
	if strings.TrimSpace(src) == "" {
		return nil, []exprError{{from: -1, msg: "empty expression"}}
	}
	if len(src) > maxExprBytes {
		return nil, []exprError{{from: -1, msg: fmt.Sprintf("expression longer than %d bytes", maxExprBytes)}}
	}
	if e := nestingError(src); e != nil {
		return nil, []exprError{*e}
	}
	v := &validator{scope: s, template: mode == modeTemplate, lists: c.lists, regexps: regexpArgs, funcs: c.fnNames}
	b := &bounder{}
	prog, err := c.exprCompile(src, mode, v, b)
	errs = append(v.errs, b.errs...)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			errs = append(errs, exprError{from: fe.From, msg: fe.Message})
		} else {
			errs = append(errs, exprError{from: -1, msg: err.Error()})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return prog, nil
}

// resultKind says what a check returns.
type resultKind int

const (
	resultBool resultKind = iota
	resultMatches
	resultBad
)

var (
	matchType    = reflect.TypeFor[plan.Match]()
	unitViewType = reflect.TypeFor[*UnitView]()
	rowViewType  = reflect.TypeFor[*RowView]()
	sentenceType = reflect.TypeFor[*SentenceView]()
)

// checkResult classifies a check's static result type: a bool, or a list
// of matches, of things carrying one (owners, deadlines…), or of units,
// rows or sentences (reported at their span).
func checkResult(prog *vm.Program) (resultKind, string) {
	n := prog.Node().Nature()
	t := n.Type
	if t == nil || t.Kind() == reflect.Interface {
		return resultBad, "check must return a bool or a list of matches; its type is not known at load time"
	}
	if t.Kind() == reflect.Bool {
		return resultBool, ""
	}
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		var cache nature.Cache
		elem := n.Elem(&cache).Type
		if elem != nil && reportable(elem) {
			return resultMatches, ""
		}
		if elem == nil || elem.Kind() == reflect.Interface {
			return resultBad, "check returns a list whose elements' type is not known at load time (return the list itself, e.g. filter(item.deadlines, …), not a map(…) of it)"
		}
		return resultBad, fmt.Sprintf("check must return a bool or a list of matches, not []%s", typeName(elem))
	}
	return resultBad, fmt.Sprintf("check must return a bool or a list of matches, not %s", typeName(t))
}

func reportable(t reflect.Type) bool {
	switch t {
	case matchType, unitViewType, rowViewType, sentenceType:
		return true
	}
	return t.Kind() == reflect.Struct && embedsMatch(t)
}

func embedsMatch(t reflect.Type) bool {
	f, ok := t.FieldByName("Match")
	return ok && f.Anonymous && f.Type == matchType
}

// printable says whether a template part of this static type can be
// written into a message.
func printable(prog *vm.Program) error {
	n := prog.Node().Nature()
	t := n.Type
	if t == nil || t.Kind() == reflect.Interface {
		return errors.New("its type is not known at load time (convert with string())")
	}
	ok := false
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Float64:
		ok = true
	case reflect.Struct:
		ok = t == matchType || embedsMatch(t)
	case reflect.Slice:
		var cache nature.Cache
		elem := n.Elem(&cache).Type
		ok = elem != nil && elem.Kind() == reflect.String
	}
	if !ok {
		return fmt.Errorf("cannot write a value of type %s into a message (use a string field such as .text)", typeName(t))
	}
	return nil
}

// template is a message or suggestion: literal text and {{ expr }} parts.
type template struct {
	parts []templatePart
}

type templatePart struct {
	text string
	prog *vm.Program
	// matchText marks {{ match.text }}, the commonest part, written
	// without running the program.
	matchText bool
}

// compileTemplate compiles each {{ expr }} of src. Error offsets are in
// characters of src.
func (c *compiler) compileTemplate(src string, s Scope) (*template, []exprError) {
	t := &template{}
	var errs []exprError
	rest, at := src, 0 // at: characters of src consumed
	for rest != "" {
		open := strings.Index(rest, "{{")
		if open < 0 {
			t.parts = append(t.parts, templatePart{text: rest})
			break
		}
		if open > 0 {
			t.parts = append(t.parts, templatePart{text: rest[:open]})
		}
		at += utf8.RuneCountInString(rest[:open])
		closing := strings.Index(rest[open+2:], "}}")
		if closing < 0 {
			errs = append(errs, exprError{from: at, msg: "{{ without }}"})
			break
		}
		code := rest[open+2 : open+2+closing]
		prog, es := c.compile(code, s, modeTemplate)
		if prog != nil {
			if err := printable(prog); err != nil {
				lead := len(code) - len(strings.TrimLeft(code, " \t"))
				es = append(es, exprError{from: lead, msg: err.Error()})
			}
		}
		for _, e := range es {
			if e.from >= 0 {
				e.from += at + 2
			}
			errs = append(errs, e)
		}
		t.parts = append(t.parts, templatePart{prog: prog, matchText: strings.TrimSpace(code) == "match.text"})
		at += 2 + utf8.RuneCountInString(code) + 2
		rest = rest[open+2+closing+2:]
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return t, nil
}

// compileRule compiles r's expressions and templates, reporting every
// problem.
func (c *compiler) compileRule(r *Rule) ErrorList {
	var errs ErrorList
	report := func(field, src string, es []exprError) {
		for _, e := range es {
			errs.Add(r.exprError(field, src, e))
		}
	}
	if r.When != "" {
		prog, es := c.compile(r.When, r.Scope, modeWhen)
		report("when", r.When, es)
		r.prog.when = prog
	}
	prog, es := c.compile(r.Check, r.Scope, modeCheck)
	report("check", r.Check, es)
	if prog != nil {
		kind, why := checkResult(prog)
		if kind == resultBad {
			report("check", r.Check, []exprError{{from: -1, msg: why}})
		}
		r.prog.check, r.prog.list = prog, kind == resultMatches
		if r.prog.list {
			r.prog.gate = c.gateOf(r.Check, r.Scope)
		}
	}
	var tes []exprError
	r.prog.message, tes = c.compileTemplate(r.Message, r.Scope)
	report("message", r.Message, tes)
	if r.Suggestion != "" {
		r.prog.suggestion, tes = c.compileTemplate(r.Suggestion, r.Scope)
		report("suggestion", r.Suggestion, tes)
	}
	return errs
}

// exprError positions an expression problem at its TOML line, with the
// expression's line for the caret.
func (r *Rule) exprError(field, src string, e exprError) *RuleError {
	line, col, text := lineCol(src, e.from)
	kp, ok := r.keys[field]
	first := kp.firstLine
	if !ok || first == 0 {
		first = r.Line
	}
	re := &RuleError{File: r.File, Line: first + line - 1, RuleID: r.ID, Field: field, Msg: e.msg}
	if e.from >= 0 && text != "" {
		re.Col, re.Expr = col, text
	}
	return re
}

// lineCol converts a character offset in src into a 1-based line and
// column (characters) and returns that line's text.
func lineCol(src string, from int) (int, int, string) {
	lines := strings.Split(src, "\n")
	line, col := 1, 1
	for _, r := range src {
		if from <= 0 {
			break
		}
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		from--
	}
	return line, col, strings.TrimRight(lines[line-1], "\r")
}

// gateOf returns a cheap test on a target that is false only when the
// check cannot find anything there, or nil. It knows three forms, on the
// scope's own variable x, alone or filtered (filter(…, pred)):
// find(x, "regexp") finds nothing in a text without one of the regexp's
// required runes; find_any(x, vocab.list) or find_any(x, keys(vocab.list))
// nothing in a text without one of the words; and filter(x.field, pred)
// nothing when the field is an empty list. Most targets skip the VM.
func (c *compiler) gateOf(src string, s Scope) func(*Target, *Run) bool {
	if len(scopeNames[s]) == 0 {
		return nil
	}
	subject := scopeNames[s][0]
	// With the configuration, so that find and keys are the rule
	// functions, not expr's built-ins of the same names.
	tree, err := parser.ParseWithConfig(src, c.base)
	if err != nil {
		return nil
	}
	n := tree.Node
	if b, ok := n.(*ast.BuiltinNode); ok && b.Name == "filter" && len(b.Arguments) == 2 {
		if field, ok := subjectField(b.Arguments[0], subject); ok {
			return listGate(s, field)
		}
		n = b.Arguments[0]
	}
	call, ok := n.(*ast.CallNode)
	if !ok || len(call.Arguments) != 2 {
		return nil
	}
	callee, ok1 := call.Callee.(*ast.IdentifierNode)
	arg, ok2 := call.Arguments[0].(*ast.IdentifierNode)
	if !ok1 || !ok2 || arg.Value != subject {
		return nil
	}
	var test func(string) bool
	switch callee.Value {
	case "find":
		p, ok := call.Arguments[1].(*ast.StringNode)
		if !ok {
			return nil
		}
		pat, err := c.caches.regexp(p.Value)
		if err != nil {
			return nil
		}
		required := &pat.plan.required
		if required.empty() {
			return nil
		}
		test = func(text string) bool { return required.index(text) >= 0 }
	case "find_any":
		list, ok := c.vocabList(call.Arguments[1])
		if !ok {
			return nil
		}
		test = c.caches.words(list).Contains
	default:
		return nil
	}
	return func(t *Target, run *Run) bool {
		text, ok := t.text(run)
		return !ok || test(text)
	}
}

// subjectField returns field when n is subject.field.
func subjectField(n ast.Node, subject string) (string, bool) {
	m, ok := n.(*ast.MemberNode)
	if !ok || m.Optional {
		return "", false
	}
	id, ok1 := m.Node.(*ast.IdentifierNode)
	prop, ok2 := m.Property.(*ast.StringNode)
	if !ok1 || !ok2 || id.Value != subject {
		return "", false
	}
	return prop.Value, true
}

// listGate tests that the list field (by its expr name) of the target's
// view is not empty; nil when the scope's view has no such list.
func listGate(s Scope, field string) func(*Target, *Run) bool {
	var view reflect.Type
	switch s {
	case ScopeSentence:
		view = reflect.TypeFor[SentenceView]()
	case ScopeTableRow:
		view = reflect.TypeFor[RowView]()
	case ScopeSection, ScopeItem, ScopeParagraph, ScopeNumbered, ScopeTask, ScopeText:
		view = reflect.TypeFor[UnitView]()
	default:
		return nil
	}
	index := -1
	for i := range view.NumField() {
		f := view.Field(i)
		if f.Tag.Get("expr") == field && f.Type.Kind() == reflect.Slice {
			index = i
		}
	}
	if index < 0 {
		return nil
	}
	return func(t *Target, _ *Run) bool {
		var v reflect.Value
		switch {
		case t.sentence != nil:
			v = reflect.ValueOf(t.sentence)
		case t.unit != nil:
			v = reflect.ValueOf(t.unit)
		case t.row != nil:
			v = reflect.ValueOf(t.row)
		default:
			return true
		}
		return v.Elem().Field(index).Len() > 0
	}
}

// vocabList resolves vocab.name and keys(vocab.name).
func (c *compiler) vocabList(n ast.Node) ([]string, bool) {
	keys := false
	if call, ok := n.(*ast.CallNode); ok {
		id, ok := call.Callee.(*ast.IdentifierNode)
		if !ok || id.Value != "keys" || len(call.Arguments) != 1 {
			return nil, false
		}
		keys, n = true, call.Arguments[0]
	}
	m, ok := n.(*ast.MemberNode)
	if !ok {
		return nil, false
	}
	id, ok1 := m.Node.(*ast.IdentifierNode)
	name, ok2 := m.Property.(*ast.StringNode)
	if !ok1 || !ok2 || id.Value != "vocab" {
		return nil, false
	}
	list, ok := c.lists[name.Value]
	if !ok {
		return nil, false
	}
	if keys {
		if k := c.caches.lookup(list); k != nil {
			return k.keys, true
		}
		return entryKeys(list), true
	}
	return list, true
}
