package rules_test

import (
	"testing"

	"github.com/expr-lang/expr/vm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// draft is a small plan: two sections, a non-task section, an owner, a
// vague deadline, ASCII commas and a typo.
const draft = "2024年全市卫生健康工作要点\n" + // 1
	"一、重点任务\n" + // 2
	"（一）完善服务体系\n" + // 3
	"1.年内完成社区卫生服务中心建设,覆盖率达到95%以上。（责任单位：医政科）\n" + // 4
	"2.进一步加强宣传,适时开展督查。\n" + // 5
	"（二）加强队伍建设\n" + // 6
	"3.选拨优秀人才。\n" + // 7
	"三、保障措施\n" + // 8
	"4.加强组织领导。\n" // 9

func loadBasic(t testing.TB) *rules.Set {
	t.Helper()
	set, err := rules.LoadFile("testdata/basic.toml", nil)
	require.NoError(t, err)
	return set
}

func pos(line, col int) [2]int { return [2]int{line, col} }

func spanOf(m plan.Match) [2][2]int {
	return [2][2]int{pos(m.Start.Line, m.Start.Col), pos(m.End.Line, m.End.Col)}
}

func TestNewDoc(t *testing.T) {
	set := loadBasic(t)
	doc := rules.NewDoc(parse(t, set, draft), set.Lists)
	dv := doc.Plan
	assert.Equal(t, "2024年全市卫生健康工作要点", dv.Title)
	assert.Equal(t, 2024, dv.Year)
	require.Len(t, dv.Headings, 4)
	require.Len(t, dv.Items, 4)
	assert.Equal(t, 4, dv.ItemsCount)

	var labels []string
	var tasks []bool
	for _, it := range dv.Items {
		labels = append(labels, it.Label)
		tasks = append(tasks, it.IsTask)
	}
	assert.Equal(t, []string{"1.", "2.", "3.", "4."}, labels)
	assert.Equal(t, []bool{true, true, true, false}, tasks, "item 4 is under 保障措施")

	first, second := dv.Items[0], dv.Items[1]
	assert.Equal(t, "年内完成社区卫生服务中心建设,覆盖率达到95%以上", first.Title)
	assert.Equal(t, "一、重点任务 › （一）完善服务体系 › 1", first.Section)
	assert.Equal(t, 4, first.Line)
	assert.Same(t, second, first.Next)
	assert.Same(t, first, second.Prev)
	assert.Nil(t, first.Prev)
	assert.Same(t, second, dv.Items[2].Prev, "numbering neighbours run across sections")
	assert.True(t, first.FirstInParent)
	assert.False(t, second.FirstInParent)
	assert.True(t, dv.Items[2].FirstInParent, "item 3 is the first of its style in its section")
	assert.Equal(t, "（一）", first.ParentLabel)

	sec := dv.Headings[0]
	assert.Equal(t, "重点任务", sec.Title)
	assert.Equal(t, 2, sec.ChildrenCount)
	assert.Equal(t, 5, sec.ItemsCount, "（一）, 1., 2., （二）, 3.")
	assert.False(t, sec.HasSubItems)
	assert.True(t, dv.Headings[1].HasSubItems)
	assert.Same(t, dv.Headings[0], dv.Headings[3].Prev, "三、 follows 一、 among the top headings")

	require.Len(t, first.Sentences, 2)
	s0, s1 := first.Sentences[0], first.Sentences[1]
	assert.Equal(t, "年内完成社区卫生服务中心建设,覆盖率达到95%以上。", s0.Text)
	assert.Equal(t, [2][2]int{pos(4, 3), pos(4, 29)}, spanOf(s0.Span))
	assert.Equal(t, "（责任单位：医政科）", s1.Text)
	assert.Equal(t, [2][2]int{pos(4, 29), pos(4, 39)}, spanOf(s1.Span))
	assert.Len(t, s0.Owners, 0)
	assert.Len(t, s1.Owners, 1, "the owner annotation lies in the second sentence")
	assert.Same(t, first, s0.Unit)

	assert.Len(t, targets(doc, rules.ScopeDocument), 1)
	assert.Len(t, targets(doc, rules.ScopeSection), 4)
	assert.Len(t, targets(doc, rules.ScopeItem), 4)
	assert.Len(t, targets(doc, rules.ScopeSentence), 5)
	assert.Empty(t, targets(doc, rules.ScopeTableRow))
}

func TestDefaultSpan(t *testing.T) {
	set := loadBasic(t)
	p := parse(t, set, draft)
	doc := rules.NewDoc(p, set.Lists)
	item := doc.Plan.Items[0]
	sp := rules.DefaultSpan(item.U)
	assert.Equal(t, "年内完成社区卫生服务中心建设,覆盖率达到95%以上", sp.Text)
	assert.Equal(t, [2][2]int{pos(4, 3), pos(4, 28)}, spanOf(sp))
	head := rules.DefaultSpan(doc.Plan.Headings[0].U)
	assert.Equal(t, "重点任务", head.Text)
	assert.Equal(t, [2][2]int{pos(2, 3), pos(2, 7)}, spanOf(head))
	assert.Equal(t, "2024年全市卫生健康工作要点", targets(doc, rules.ScopeDocument)[0].Span.Text)
}

// evalRule compiles a one-rule file and runs it over draft.
func evalRule(t *testing.T, scope, when, check, message string) ([]rules.Hit, []error) {
	t.Helper()
	set := loadBasic(t)
	content := `[vocab]
vague_deadlines = ["年内", "适时"]
vague_verbs = ["进一步加强", "加强"]
typos = ["选拨"]
non_task_sections = ["保障措施"]

[[rule]]
id = "t-rule"
title = "t"
severity = "info"
scope = "` + scope + `"
check = '''` + check + `'''
message = '''` + message + `'''
`
	if when != "" {
		content += "when = '''" + when + "'''\n"
	}
	dir := writeFiles(t, map[string]string{"t.toml": content})
	rs, err := rules.LoadFile(dir+"/t.toml", nil)
	require.NoError(t, err)
	p := parse(t, set, draft)
	doc := rules.NewDoc(p, rs.Lists)
	m := &vm.VM{}
	var hits []rules.Hit
	var errs []error
	run := rules.NewRun(p.Source)
	doc.Each(rs.Rules[0].Scope, func(tg *rules.Target) bool {
		h, err := rs.Rules[0].Eval(m, tg, run)
		if err != nil {
			errs = append(errs, err)
		}
		hits = append(hits, h...)
		return true
	})
	return hits, errs
}

type hitWant struct {
	span    [2][2]int
	excerpt string
	message string
}

func hitsOf(hits []rules.Hit) []hitWant {
	out := []hitWant{}
	for _, h := range hits {
		out = append(out, hitWant{spanOf(h.Span), h.Span.Text, h.Message})
	}
	return out
}

func TestEval(t *testing.T) {
	tests := []struct {
		name, scope, when, check, message string
		want                              []hitWant
	}{
		{
			name: "bool check reports the item's title", scope: "item", when: "item.is_task",
			check: "len(item.owners) == 0", message: "第{{ item.label }}项“{{ match.text }}”",
			want: []hitWant{
				{[2][2]int{pos(5, 3), pos(5, 17)}, "进一步加强宣传,适时开展督查", "第2.项“进一步加强宣传,适时开展督查”"},
				{[2][2]int{pos(7, 3), pos(7, 9)}, "选拨优秀人才", "第3.项“选拨优秀人才”"},
			},
		},
		{
			name: "find_any: longest word first, exact positions", scope: "item",
			check: "find_any(item, vocab.vague_verbs)", message: "{{ match.text }}@{{ match.start.col }}",
			want: []hitWant{
				{[2][2]int{pos(5, 3), pos(5, 8)}, "进一步加强", "进一步加强@3"},
				{[2][2]int{pos(9, 3), pos(9, 5)}, "加强", "加强@3"},
			},
		},
		{
			name: "find with a group reports the group", scope: "sentence",
			check: `find(sentence, "\\p{Han}(,)")`, message: "“{{ before(match, 2) }}{{ match.text }}{{ after(match, 2) }}”",
			want: []hitWant{
				{[2][2]int{pos(4, 17), pos(4, 18)}, ",", "“建设,覆盖”"},
				{[2][2]int{pos(5, 10), pos(5, 11)}, ",", "“宣传,适时”"},
			},
		},
		{
			name: "find on a match", scope: "item", when: "len(item.targets) > 0",
			check: `find(item.targets[0].Match, "[0-9]+")`, message: "{{ match.text }}",
			want: []hitWant{{[2][2]int{pos(4, 23), pos(4, 25)}, "95", "95"}},
		},
		{
			name: "a list of units from a document rule", scope: "document",
			check: `filter(plan.items, !.is_task)`, message: "{{ match.text }}",
			want: []hitWant{{[2][2]int{pos(9, 3), pos(9, 9)}, "加强组织领导", "加强组织领导"}},
		},
		{
			name: "a list of sentences", scope: "item",
			check: `filter(item.sentences, len(.owners) > 0)`, message: "{{ match.text }}",
			want: []hitWant{{[2][2]int{pos(4, 29), pos(4, 39)}, "（责任单位：医政科）", "（责任单位：医政科）"}},
		},
		{
			name: "numbering with prev and cn2int/int2cn", scope: "section", when: "section.prev != nil",
			check: "cn2int(trim(section.label, \"、（）\")) != section.prev.number + 1", message: "{{ section.label }}应为{{ int2cn(section.prev.number + 1) }}",
			want: []hitWant{{[2][2]int{pos(8, 3), pos(8, 7)}, "保障措施", "三、应为二"}},
		},
		{
			name: "similar and norm in a document rule", scope: "document",
			check: `similar(plan.items[0].title, plan.items[0].title) == 1 && norm("９５％") == "95%"`, message: "ok",
			want: []hitWant{{[2][2]int{pos(1, 1), pos(1, 16)}, "2024年全市卫生健康工作要点", "ok"}},
		},
		{
			name: "a list literal as word list", scope: "item",
			check: `find_any(item, ["督查", "宣传"])`, message: "{{ match.text }}",
			want: []hitWant{
				{[2][2]int{pos(5, 8), pos(5, 10)}, "宣传", "宣传"},
				{[2][2]int{pos(5, 15), pos(5, 17)}, "督查", "督查"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, errs := evalRule(t, tt.scope, tt.when, tt.check, tt.message)
			require.Empty(t, errs)
			assert.Equal(t, tt.want, hitsOf(hits))
		})
	}
}

func TestEvalRunError(t *testing.T) {
	// item.prev is nil on the first item of each numbering chain.
	hits, errs := evalRule(t, "item", "", "item.prev.number > 0", "x")
	assert.Len(t, hits, 2, "the other items go on")
	require.Len(t, errs, 2)
	var ee *rules.EvalError
	require.ErrorAs(t, errs[0], &ee)
	assert.Equal(t, "check", ee.Field)
	assert.Equal(t, 1, ee.Line)
	assert.Positive(t, ee.Col)
	assert.Contains(t, ee.Error(), "check 1:")
}

// targets collects copies of the targets of scope s.
func targets(doc *rules.Doc, s rules.Scope) []rules.Target {
	var out []rules.Target
	doc.Each(s, func(t *rules.Target) bool {
		out = append(out, *t)
		return true
	})
	return out
}
