package checker_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck"
	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

func loadSet(t testing.TB) *rules.Set {
	t.Helper()
	set, err := rules.LoadFile("testdata/rules.toml", nil)
	require.NoError(t, err)
	return set
}

// parser returns a parse function for RunFixtures using the set's vocabulary.
func parser(set *rules.Set) func(string, []byte) (*plan.Plan, error) {
	return func(name string, data []byte) (*plan.Plan, error) {
		src, err := plan.NewSource(name, data)
		if err != nil {
			return nil, err
		}
		return plan.Parse(src, &set.Vocab), nil
	}
}

func parseText(t testing.TB, set *rules.Set, name, text string) *plan.Plan {
	t.Helper()
	p, err := parser(set)(name, []byte(text))
	require.NoError(t, err)
	return p
}

const draft = "2012年全市卫生工作要点\n" + // 1
	"一、重点任务\n" + // 2
	"（一）完善服务体系\n" + // 3
	"1.年内完成社区卫生服务中心建设,覆盖率达到95%以上。（责任单位：医政科）\n" + // 4
	"2.进一步加强宣传,适时开展督查,逐步推开。\n" + // 5
	"三、保障措施\n" + // 6
	"3.做好选拨和布署工作。\n" // 7

// short renders a finding as "line:col-line:col rule excerpt | message".
func short(f rules.Finding) string {
	return fmt.Sprintf("%d:%d-%d:%d %s %s | %s", f.Start.Line, f.Start.Col, f.End.Line, f.End.Col, f.RuleID, f.Excerpt, f.Message)
}

func TestCheck(t *testing.T) {
	set := loadSet(t)
	findings, errs := checker.New(set).Check(parseText(t, set, "draft.txt", draft))
	require.Empty(t, errs)
	var got []string
	for _, f := range findings {
		got = append(got, short(f))
		assert.Equal(t, "draft.txt", f.File)
		assert.Len(t, f.Fingerprint, 16)
	}
	assert.Equal(t, []string{
		"4:3-4:5 deadline-vague 年内 | “年内”不是明确的完成时限",
		"4:17-4:18 punct-ascii-comma , | 中文中使用了半角逗号",
		"5:3-5:22 owner-missing 进一步加强宣传,适时开展督查,逐步推开 | 第2.项“进一步加强宣传,适时开展督查,逐步推开”未明确责任单位",
		"5:10-5:11 punct-ascii-comma , | 中文中使用了半角逗号",
		"5:11-5:13 deadline-vague 适时 | “适时”不是明确的完成时限",
		"5:17-5:18 punct-ascii-comma , | 中文中使用了半角逗号",
		"5:18-5:20 deadline-vague 逐步 | “逐步”不是明确的完成时限",
		"6:3-6:7 numbering-gap 保障措施 | “三、”前一项是“一、”",
		"7:5-7:7 typo-common 选拨 | “选拨”疑为错别字",
		"7:8-7:10 typo-common 布署 | “布署”疑为错别字",
	}, got)

	byRule := map[string]rules.Finding{}
	for _, f := range findings {
		byRule[f.RuleID] = f
	}
	owner := byRule["owner-missing"]
	assert.Equal(t, rules.Warning, owner.Severity)
	assert.Equal(t, "在条目末尾补充“（责任单位：…）”", owner.Suggestion)
	assert.Equal(t, []string{"一、重点任务", "（一）完善服务体系", "2"}, owner.Section)
	assert.Equal(t, plan.Position{Line: 5, Col: 3, Offset: len("2012年全市卫生工作要点\n一、重点任务\n（一）完善服务体系\n1.年内完成社区卫生服务中心建设,覆盖率达到95%以上。（责任单位：医政科）\n2.")}, owner.Start)
}

func TestFingerprints(t *testing.T) {
	set := loadSet(t)
	c := checker.New(set)
	fingerprints := func(text string) map[string][]string {
		findings, errs := c.Check(parseText(t, set, "draft.txt", text))
		require.Empty(t, errs)
		out := map[string][]string{}
		for _, f := range findings {
			out[f.RuleID+" "+f.Excerpt] = append(out[f.RuleID+" "+f.Excerpt], f.Fingerprint)
		}
		return out
	}
	base := fingerprints(draft)
	// The three commas of item 2 are occurrences 0, 1, 2 of the same rule
	// and unit text: distinct fingerprints.
	commas := base["punct-ascii-comma ,"]
	require.Len(t, commas, 3)
	assert.NotEqual(t, commas[1], commas[2])

	// Moving the text down and re-indenting it keeps the fingerprints.
	moved := strings.Replace(draft, "2012年全市卫生工作要点\n", "2012年全市卫生工作要点\n\n\n", 1)
	moved = strings.Replace(moved, "2.进一步", "　　2.进一步", 1)
	assert.Equal(t, base, fingerprints(moved))

	// Editing the unit changes them.
	edited := strings.Replace(draft, "逐步推开", "逐步推广", 1)
	assert.NotEqual(t, base["deadline-vague 适时"], fingerprints(edited)["deadline-vague 适时"])
	assert.Equal(t, base["deadline-vague 年内"], fingerprints(edited)["deadline-vague 年内"], "another unit is not affected")
}

// oneRule loads the test rules plus one more rule.
func oneRule(t *testing.T, scope, check, message string) *rules.Set {
	t.Helper()
	dir := t.TempDir()
	base, err := os.ReadFile("testdata/rules.toml")
	require.NoError(t, err)
	extra := fmt.Sprintf("\n[[rule]]\nid = \"extra-rule\"\ntitle = \"t\"\nseverity = \"info\"\nscope = %q\ncheck = '''%s'''\nmessage = '''%s'''\n", scope, check, message)
	path := filepath.Join(dir, "rules.toml")
	require.NoError(t, os.WriteFile(path, append(base, extra...), 0o644))
	set, err := rules.LoadFile(path, nil)
	require.NoError(t, err)
	return set
}

func TestCheckRunErrorIsPositionedAndTheRunGoesOn(t *testing.T) {
	// item.prev is nil for the first item of each section.
	set := oneRule(t, "item", "item.prev.number > 0", "x")
	findings, errs := checker.New(set).Check(parseText(t, set, "draft.txt", draft))
	require.Len(t, errs, 2)
	assert.Regexp(t, `^draft\.txt:4:3: extra-rule: check 1:\d+: `, errs[0].Error())
	assert.Regexp(t, `^draft\.txt:7:3: extra-rule: check 1:\d+: `, errs[1].Error())
	var re *checker.RunError
	require.ErrorAs(t, errs[0], &re)
	assert.Equal(t, "extra-rule", re.RuleID)

	n := map[string]int{}
	for _, f := range findings {
		n[f.RuleID]++
	}
	assert.Equal(t, 1, n["extra-rule"], "item 2 has a previous item")
	assert.Equal(t, 3, n["deadline-vague"], "other rules go on")
}

func TestCheckHostileRulesAreBounded(t *testing.T) {
	tests := []struct {
		name, scope, check, message string
	}{
		// 3 items nested 20 deep: 3^20 iterations without the budget.
		{"nested loops over data", "item", strings.Repeat("all(plan.items, ", 20) + "true" + strings.Repeat(")", 20), "x"},
		{"a 1 GB message", "item", "true", `{{ repeat(repeat("x", 1000), 1000000) }}`},
		{"doubling a string", "item", `let a = repeat(item.text, 100); let b = a + a; let c = b + b; let d = c + c; let e = d + d; let f = e + e; let g = f + f; let h = g + g; let i = h + h; let j = i + i; let k = j + j; let l = k + k; let m = l + l; let n = m + m; len(n + n + n) > 0`, "x"},
		{"a huge range", "item", "len(1..100000000) > 0", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := oneRule(t, tt.scope, tt.check, tt.message)
			start := time.Now()
			findings, errs := checker.New(set).Check(parseText(t, set, "draft.txt", draft))
			// Bounded, not fast: a few seconds under the race detector.
			assert.Less(t, time.Since(start), 30*time.Second)
			require.NotEmpty(t, errs)
			for _, e := range errs {
				var re *checker.RunError
				require.ErrorAs(t, e, &re)
				assert.Equal(t, "extra-rule", re.RuleID)
			}
			assert.NotEmpty(t, findings, "the other rules still report")
		})
	}
	t.Run("a budget error stops the rule for the document", func(t *testing.T) {
		set := oneRule(t, "item", "true", `{{ repeat(repeat("x", 1000), 1000000) }}`)
		_, errs := checker.New(set).Check(parseText(t, set, "draft.txt", draft))
		require.Len(t, errs, 1)
		assert.True(t, errors.Is(errs[0], rules.ErrBudget))
	})
	t.Run("catastrophic backtracking is not possible", func(t *testing.T) {
		set := oneRule(t, "item", `find(item, "(a+)+$")`, "x")
		text := strings.Replace(draft, "逐步推开", strings.Repeat("a", 50000)+"b", 1)
		start := time.Now()
		_, errs := checker.New(set).Check(parseText(t, set, "draft.txt", text))
		assert.Empty(t, errs)
		assert.Less(t, time.Since(start), 30*time.Second)
	})
}

func TestCheckIsSafeForConcurrentUse(t *testing.T) {
	set := loadSet(t)
	c := checker.New(set)
	p := parseText(t, set, "draft.txt", draft)
	want, errs := c.Check(p)
	require.Empty(t, errs)
	var wg sync.WaitGroup
	results := make([][]rules.Finding, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				results[i], _ = c.Check(p)
			}
		}()
	}
	wg.Wait()
	for _, got := range results {
		assert.Equal(t, want, got)
	}
}

// TestCheckCorpus runs a rule set the size of the built-in one over the
// real plans: no run errors, and the same findings twice.
func TestCheckCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	national, _ := filepath.Glob(filepath.Join(dir, "national", "*.txt"))
	files = append(files, national...)
	if len(files) == 0 {
		t.Skip("corpus: ../shared absent")
	}
	set, err := rules.LoadFile(filepath.Join("..", "rules", "testdata", "builtin_like.toml"), nil)
	require.NoError(t, err)
	c := checker.New(set)
	total := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".source.txt") {
			continue
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		p, err := parser(set)(filepath.Base(f), data)
		require.NoError(t, err)
		findings, errs := c.Check(p)
		assert.Empty(t, errs, f)
		again, _ := c.Check(p)
		assert.Equal(t, findings, again, f)
		for _, fd := range findings {
			// Excerpts are the text at the span, read from the source.
			s, e := fd.Start.Offset, fd.End.Offset
			require.LessOrEqual(t, s, e)
			assert.Equal(t, fd.Excerpt, string(data[s:e]), "%s %s", f, fd.RuleID)
		}
		total += len(findings)
	}
	assert.Positive(t, total)
}

// TestWorkersChangeNothing checks that running a document's rules on
// several goroutines gives the findings and errors of one, in the same
// order (under -race in CI, it also finds shared state the rules write),
// with the default rules.
func TestWorkersChangeNothing(t *testing.T) {
	set, err := rules.LoadBuiltin(plancheck.DefaultRules, "rules.toml")
	require.NoError(t, err)
	texts := map[string]string{"draft.txt": draft}
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "*.txt"))
	fixtures, _ := filepath.Glob(filepath.Join("..", "fixtures", "rules", "*.txt"))
	for _, f := range append(files, fixtures...) {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		texts[f] = string(data)
	}
	serial, parallel := checker.New(set), checker.New(set).WithWorkers(4)
	for name, text := range texts {
		p := parseText(t, set, name, text)
		want, wantErrs := serial.Check(p)
		got, gotErrs := parallel.Check(p)
		assert.Equal(t, want, got, name)
		assert.Equal(t, wantErrs, gotErrs, name)
	}
	// Rules sharing the document's lazily built state (the near-duplicate
	// index) from several goroutines.
	base, err := os.ReadFile("testdata/rules.toml")
	require.NoError(t, err)
	for _, id := range []string{"dup-a", "dup-b", "dup-c"} {
		base = fmt.Appendf(base, "\n[[rule]]\nid = %q\ntitle = \"t\"\nseverity = \"info\"\nscope = \"item\"\ncheck = \"duplicate_of(plan, item, 0.6) != nil\"\nmessage = \"x\"\n", id)
	}
	path := filepath.Join(t.TempDir(), "rules.toml")
	require.NoError(t, os.WriteFile(path, base, 0o644))
	dups, err := rules.LoadFile(path, nil)
	require.NoError(t, err)
	dupText, err := os.ReadFile(filepath.Join("..", "fixtures", "rules", "item-duplicate.txt"))
	require.NoError(t, err)
	for range 5 {
		p := parseText(t, dups, "dup.txt", string(dupText))
		want, _ := checker.New(dups).Check(p)
		require.NotEmpty(t, want)
		got, _ := checker.New(dups).WithWorkers(3).Check(parseText(t, dups, "dup.txt", string(dupText)))
		assert.Equal(t, want, got)
	}
	// Run errors keep their order too (item.prev is nil on first items).
	bad := oneRule(t, "item", "item.prev.number > 0", "x")
	p := parseText(t, bad, "draft.txt", draft)
	_, wantErrs := checker.New(bad).Check(p)
	_, gotErrs := checker.New(bad).WithWorkers(3).Check(p)
	require.Len(t, wantErrs, 2)
	assert.Equal(t, wantErrs, gotErrs)
}

// FuzzWorkers checks arbitrary drafts with the default rules on one and on
// three goroutines: the findings and errors must be the same.
func FuzzWorkers(f *testing.F) {
	f.Add(draft)
	for _, name := range []string{"item-duplicate.txt", "punct-halfwidth.txt", "numbering-gap.txt"} {
		if data, err := os.ReadFile(filepath.Join("..", "fixtures", "rules", name)); err == nil {
			f.Add(string(data))
		}
	}
	set, err := rules.LoadBuiltin(plancheck.DefaultRules, "rules.toml")
	require.NoError(f, err)
	serial, parallel := checker.New(set), checker.New(set).WithWorkers(3)
	f.Fuzz(func(t *testing.T, text string) {
		src, err := plan.NewSource("draft.txt", []byte(text))
		if err != nil {
			return // not a text (empty, binary): ReadInput's tests cover those
		}
		p := plan.Parse(src, &set.Vocab)
		want, wantErrs := serial.Check(p)
		got, gotErrs := parallel.Check(p)
		require.Equal(t, want, got)
		require.Equal(t, fmt.Sprint(wantErrs), fmt.Sprint(gotErrs))
	})
}
