package rules

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/expr-lang/expr/vm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
)

func TestGateOf(t *testing.T) {
	c := newCompiler(map[string][]string{"typos": {"帐号→账号"}, "words": {"若干", "一批"}})
	for _, tc := range []struct {
		src   string
		scope Scope
		gated bool
	}{
		{`find(sentence, "\\p{Han}(,)")`, ScopeSentence, true},
		{`filter(find(unit, "[0-9]+-[0-9]+"), # != nil)`, ScopeText, true},
		{`find_any(sentence, vocab.words)`, ScopeSentence, true},
		{`filter(find_any(unit, keys(vocab.typos)), true)`, ScopeText, true},
		{`find(sentence, "(?m)[^。]$")`, ScopeSentence, false},    // no required rune
		{`find(sentence.unit, ",")`, ScopeSentence, false},       // not the scope's own variable
		{`find(unit, ",") ?? find(unit, ";")`, ScopeText, false}, // another form
		{`find_any(sentence, ["a", "b"])`, ScopeSentence, false}, // not a vocab list
		{`line_ends(item)`, ScopeItem, false},
		{`filter(task.deadlines, .kind == "deferred")`, ScopeTask, true},
		{`filter(unit.terms, .slogan)`, ScopeText, true},
		{`filter(sentence.targets, .has_value)`, ScopeSentence, true},
		{`filter(task.title, true)`, ScopeTask, false},                 // not a list
		{`filter(plan.items, .is_task)`, ScopeItem, false},             // not the scope's variable
		{`filter(task?.deadlines, .kind == "date")`, ScopeTask, false}, // optional chaining
	} {
		assert.Equal(t, tc.gated, c.gateOf(tc.src, tc.scope) != nil, tc.src)
	}
	g := c.gateOf(`find_any(sentence, keys(vocab.typos))`, ScopeSentence)
	require.NotNil(t, g)
	src, err := plan.NewSource("t.txt", []byte("请核对帐号。请核对账号。"))
	require.NoError(t, err)
	run := NewRun(src)
	at := func(s, e int) *Target {
		return &Target{sentence: &SentenceView{Span: plan.NewMatch(src, s, e)}}
	}
	assert.True(t, g(at(0, 18), run))
	assert.False(t, g(at(18, 36), run))
	lg := c.gateOf(`filter(task.deadlines, .kind == "deferred")`, ScopeTask)
	require.NotNil(t, lg)
	assert.False(t, lg(&Target{unit: &UnitView{}}, run))
	assert.True(t, lg(&Target{unit: &UnitView{Deadlines: []plan.Deadline{{}}}}, run))
}

// Gates change no result: every built-in rule finds the same with and
// without its gate on the corpus plans and the rule fixtures.
func TestGatesChangeNothing(t *testing.T) {
	builtin, err := os.ReadFile("../rules.toml")
	require.NoError(t, err)
	set, err := LoadBuiltin(builtin, "rules.toml")
	require.NoError(t, err)
	names, _ := filepath.Glob("../../shared/corpus/*.txt")
	fixtures, _ := filepath.Glob("../fixtures/rules/*.txt")
	names = append(names, fixtures...)
	gated := 0
	for _, r := range set.Rules {
		if r.prog.gate != nil {
			gated++
		}
	}
	require.GreaterOrEqual(t, gated, 4, "the built-in find and find_any rules have gates")
	m := &vm.VM{}
	for _, name := range names {
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		src, err := plan.NewSource(name, data)
		require.NoError(t, err)
		doc := NewDoc(plan.Parse(src, &set.Vocab), set.Lists)
		for _, r := range set.Rules {
			if r.prog.gate == nil {
				continue
			}
			gate := r.prog.gate
			with, without := evalAll(t, m, r, doc), func() []Hit {
				r.prog.gate = nil
				defer func() { r.prog.gate = gate }()
				return evalAll(t, m, r, doc)
			}()
			assert.Equal(t, without, with, "%s on %s", r.ID, name)
		}
	}
}

func evalAll(t *testing.T, m *vm.VM, r *Rule, doc *Doc) []Hit {
	var all []Hit
	run := NewRun(doc.Src)
	doc.Each(r.Scope, func(tg *Target) bool {
		hits, err := r.Eval(m, tg, run)
		require.NoError(t, err)
		all = append(all, hits...)
		return true
	})
	return all
}
