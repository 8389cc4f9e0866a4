package rules

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"

	"github.com/plancheck/plancheck/plan"
)

// Limits that keep a hostile or careless rule from hanging or crashing a
// run. expr bounds the size of a program (MaxNodes) and the arrays a run
// allocates (vm.VM.MemoryBudget), but neither loops over data nor strings:
// the loader rewrites every program so that each predicate iteration and
// every string built is charged to the Run of the rule's evaluation over
// one document.
const (
	maxExprBytes = 16 << 10 // longer expressions are refused; expr's parser recurses per bracket
	maxNesting   = 100      // bracket depth
	maxNodes     = 2000
	memoryBudget = 1_000_000 // expr's unit: array elements and the like
	// A rule may take maxSteps loop iterations plus stepsPerByte for each
	// byte of the document: linear work is never stopped on a big but
	// honest plan, quadratic work is.
	maxSteps     = 1_000_000
	stepsPerByte = 16
	maxBytes     = 64 << 20
	maxDuration  = 10 * time.Second
	maxMessage   = 16 << 10 // bytes of one rendered message or suggestion; longer ones are cut
	maxRuleFile  = 1 << 20  // bytes; toml's parser recurses per bracket too
)

// ErrBudget reports a rule that did too much work on one document. The
// rule is stopped for that document; other rules go on.
var ErrBudget = errors.New("rule exceeded its work budget")

// Run is the state of one rule's evaluation over one document: the source
// that matches are built from, and what the rule has spent. It is not
// safe for concurrent use: one per rule per document per worker.
type Run struct {
	src   *plan.Source
	limit int // loop iterations allowed
	steps int
	bytes int
	start time.Time
	// env is the environment of the target being evaluated, reused from
	// one target to the next.
	env Env
}

// NewRun starts the evaluation of a rule over the document read from src.
func NewRun(src *plan.Source) *Run {
	r := &Run{src: src, limit: maxSteps, start: time.Now()}
	if src != nil {
		r.limit += stepsPerByte * len(src.Text)
	}
	return r
}

// step charges n loop iterations.
func (r *Run) step(n int) error {
	r.steps += n
	if r.steps > r.limit {
		return fmt.Errorf("%w: more than %d loop iterations", ErrBudget, r.limit)
	}
	// The clock is read now and then only: it bounds rules whose single
	// steps are expensive.
	if r.steps&1023 == 0 && time.Since(r.start) > maxDuration {
		return fmt.Errorf("%w: ran longer than %v", ErrBudget, maxDuration)
	}
	return nil
}

// alloc charges a string of n bytes before it is built.
func (r *Run) alloc(n int) error {
	if n < 0 || n > maxBytes-r.bytes {
		return fmt.Errorf("%w: strings longer than %d bytes in all", ErrBudget, maxBytes)
	}
	r.bytes += n
	return r.step(1)
}

// exprError is a problem in an expression at a character offset.
type exprError struct {
	from int // offset in characters from the start of the expression
	msg  string
}

func nodeError(n ast.Node, format string, args ...any) exprError {
	return exprError{from: n.Location().From, msg: fmt.Sprintf(format, args...)}
}

// validator checks what expr's type checker cannot: names of another
// scope, match outside templates, unknown vocab lists and bad constant
// regexps. It runs first, on the tree as written, and then passes the
// Run as the first argument of every call to a rule function: the
// functions are shared by all goroutines, the Run is not.
type validator struct {
	scope    Scope
	template bool
	lists    map[string][]string
	regexps  map[string]int // function name → index of its regexp argument
	funcs    map[string]bool
	errs     []exprError
}

func (v *validator) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		switch {
		case n.Value == "match" && !v.template:
			v.errs = append(v.errs, nodeError(n, "match is only set in message and suggestion"))
		case scopedNames[n.Value] && !contains(scopeNames[v.scope], n.Value):
			v.errs = append(v.errs, nodeError(n, "%s is not available in a rule of scope %s%s", n.Value, v.scope, scopeHint(v.scope)))
		}
	case *ast.MemberNode:
		id, ok1 := n.Node.(*ast.IdentifierNode)
		prop, ok2 := n.Property.(*ast.StringNode)
		if ok1 && ok2 && id.Value == "vocab" {
			if _, ok := v.lists[prop.Value]; !ok {
				v.errs = append(v.errs, nodeError(n.Property, "unknown vocab list %q", prop.Value))
			}
		}
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return
		}
		if i, ok := v.regexps[id.Value]; ok && i < len(n.Arguments) {
			if s, ok := n.Arguments[i].(*ast.StringNode); ok {
				if _, err := compileRegexp(s.Value); err != nil {
					v.errs = append(v.errs, nodeError(s, "%v", err))
				}
			}
		}
		if v.funcs[id.Value] {
			n.Arguments = append([]ast.Node{runIdent(n.Location())}, n.Arguments...)
		}
	}
}

func scopeHint(s Scope) string {
	names := scopeNames[s]
	if len(names) == 0 {
		return " (use plan)"
	}
	return " (use " + names[0] + ")"
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// runName is the env field that carries the Run into function calls.
const runName = "__run"

func runIdent(loc file.Location) ast.Node {
	id := &ast.IdentifierNode{Value: runName}
	id.SetLocation(loc)
	return id
}

// bounder charges work to the Run: every predicate iteration calls _tick
// first, and string concatenation goes through _concat. It runs on the
// checked tree, after validator, so operand types are known.
type bounder struct {
	errs []exprError
}

func (b *bounder) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BuiltinNode:
		for _, a := range n.Arguments {
			p, ok := a.(*ast.PredicateNode)
			if !ok {
				continue
			}
			loc := p.Node.Location()
			tick := &ast.CallNode{Callee: &ast.IdentifierNode{Value: "_tick"}, Arguments: []ast.Node{runIdent(loc)}}
			tick.SetLocation(loc)
			seq := &ast.SequenceNode{Nodes: []ast.Node{tick, p.Node}}
			seq.SetLocation(loc)
			p.Node = seq
		}
	case *ast.BinaryNode:
		if n.Operator != "+" {
			return
		}
		l, r := kindOf(n.Left), kindOf(n.Right)
		switch {
		case l == reflect.String && r == reflect.String:
			call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: "_concat"}, Arguments: []ast.Node{runIdent(n.Location()), n.Left, n.Right}}
			ast.Patch(node, call)
			// An enclosing + is visited next and must see a string.
			call.SetType(reflect.TypeFor[string]())
		case (l == reflect.Interface || l == reflect.Invalid) && (r == reflect.Interface || r == reflect.Invalid || r == reflect.String),
			(r == reflect.Interface || r == reflect.Invalid) && l == reflect.String:
			b.errs = append(b.errs, nodeError(n, "the operands of + must have types known at load time (convert with string() or int())"))
		}
	}
}

func kindOf(n ast.Node) reflect.Kind {
	t := n.Type()
	if t == nil {
		return reflect.Invalid
	}
	return t.Kind()
}

// nestingError reports brackets nested deeper than maxNesting, outside
// string literals: expr's parser would recurse once per level.
func nestingError(src string) *exprError {
	depth := 0
	quote := rune(0)
	escaped := false
	i := 0
	for _, r := range src {
		switch {
		case quote != 0:
			switch {
			case escaped:
				escaped = false
			case r == '\\' && quote != '`':
				escaped = true
			case r == quote:
				quote = 0
			}
		case r == '"' || r == '\'' || r == '`':
			quote = r
		case r == '(' || r == '[' || r == '{':
			depth++
			if depth > maxNesting {
				return &exprError{from: i, msg: fmt.Sprintf("brackets nested more than %d deep", maxNesting)}
			}
		case r == ')' || r == ']' || r == '}':
			depth--
		}
		i++
	}
	return nil
}
