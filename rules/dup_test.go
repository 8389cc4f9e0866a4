package rules

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
)

// bruteDuplicates is the definition duplicate_of answers, for several
// thresholds at once: for each task item, the first earlier task item of
// highest bigram Jaccard index, when that index is at least t.
func bruteDuplicates(items []*UnitView, ts []float64) map[float64]map[*UnitView]*UnitView {
	out := map[float64]map[*UnitView]*UnitView{}
	for _, t := range ts {
		out[t] = map[*UnitView]*UnitView{}
	}
	var tasks []*UnitView
	var sets [][]uint64
	for _, it := range items {
		if it.IsTask {
			tasks = append(tasks, it)
			sets = append(sets, bigramSet(it.Text))
		}
	}
	for i, it := range tasks {
		bestJ, bestScore := -1, 0.0
		for j := range tasks[:i] {
			if s := jaccard(sets[i], sets[j]); s > bestScore {
				bestJ, bestScore = j, s
			}
		}
		for _, t := range ts {
			if bestJ >= 0 && bestScore >= t {
				out[t][it] = tasks[bestJ]
			}
		}
	}
	return out
}

// TestDupIndexIsExact compares the prefix-filtered index with the
// quadratic definition on every corpus plan, and on all of them in one
// document (so that many items are near duplicates of each other), at
// several thresholds.
func TestDupIndexIsExact(t *testing.T) {
	names, _ := filepath.Glob("../../shared/corpus/*.txt")
	names = append(names, "../fixtures/rules/item-duplicate.txt", "../fixtures/samples/draft.txt")
	var all []byte
	for _, name := range names {
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		all = append(all, data...)
		all = append(all, '\n')
	}
	var docs [][]byte
	for _, name := range names {
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		docs = append(docs, data)
	}
	// The corpus again with words changed: every item gets near duplicates.
	all = append(all, bytes.ReplaceAll(bytes.ReplaceAll(all, []byte("工作"), []byte("任务")), []byte("加强"), []byte("强化"))...)
	docs = append(docs, all)
	builtin, err := os.ReadFile("../rules.toml")
	require.NoError(t, err)
	set, err := LoadBuiltin(builtin, "rules.toml")
	require.NoError(t, err)
	for _, data := range docs {
		src, err := plan.NewSource("x.txt", data)
		require.NoError(t, err)
		d := NewDoc(plan.Parse(src, &set.Vocab), set.Lists)
		thresholds := []float64{0.3, 0.5, 0.6, 0.8, 1}
		brute := bruteDuplicates(d.Plan.Items, thresholds)
		for _, th := range thresholds {
			want := brute[th]
			got := newDupIndex(d.Plan.Items, th)
			found := 0
			for _, it := range d.Plan.Items {
				if want[it] != nil {
					found++
				}
				if !assert.Same(t, want[it], got.best[it].of, "threshold %v, item at line %d", th, it.Line) {
					return
				}
			}
			if th == 0.6 && len(data) == len(all) {
				// Otherwise the comparison above proves little.
				assert.Greater(t, found, 100, "the combined document should have near duplicates")
			}
		}
	}
}

func TestPrefixLen(t *testing.T) {
	for _, c := range []struct {
		n    int
		t    float64
		want int
	}{{10, 0.6, 5}, {3, 1, 1}, {5, 0.2, 5}, {7, 0.5, 4}, {1, 0.6, 1}, {0, 0.6, 0}} {
		assert.Equal(t, c.want, prefixLen(c.n, c.t), "n=%d t=%v", c.n, c.t)
	}
}

// TestDupIndexMachineMade is a plan whose items differ only by a number:
// every pair is similar, the exact join would be quadratic, and the
// bounded one must still find each item's near duplicate among the
// earlier items.
func TestDupIndexMachineMade(t *testing.T) {
	var b strings.Builder
	const n = 2700
	for s, label := range []string{"一", "二", "三"} {
		fmt.Fprintf(&b, "%s、重点工作\n", label)
		for i := 1; i <= n/3; i++ {
			k := s*n/3 + i
			fmt.Fprintf(&b, "%d.完成第%d项任务，培训乡村医生%d名。\n", i, k, k)
		}
	}
	src, err := plan.NewSource("x.txt", []byte(b.String()))
	require.NoError(t, err)
	d := NewDoc(plan.Parse(src, &plan.Vocab{}), nil)
	require.Equal(t, n, len(d.Plan.Items))
	idx := newDupIndex(d.Plan.Items, 0.6)
	for i, it := range d.Plan.Items[100:] {
		hit := idx.best[it]
		if assert.NotNil(t, hit.of, "item %d", i+101) {
			assert.Less(t, hit.of.Line, it.Line)
			assert.GreaterOrEqual(t, hit.score, 0.6)
		}
	}
}

// BenchmarkDupIndex is duplicate_of's index over the items of the five
// corpus plans as one document.
func BenchmarkDupIndex(b *testing.B) {
	names, _ := filepath.Glob("../../shared/corpus/*.txt")
	if len(names) == 0 {
		b.Skip("real plans not available: ../shared absent")
	}
	var all []byte
	for _, name := range names {
		data, err := os.ReadFile(name)
		require.NoError(b, err)
		all = append(all, data...)
	}
	builtin, err := os.ReadFile("../rules.toml")
	require.NoError(b, err)
	set, err := LoadBuiltin(builtin, "rules.toml")
	require.NoError(b, err)
	src, err := plan.NewSource("x.txt", all)
	require.NoError(b, err)
	d := NewDoc(plan.Parse(src, &set.Vocab), set.Lists)
	b.SetBytes(int64(len(all)))
	for b.Loop() {
		newDupIndex(d.Plan.Items, 0.6)
	}
}

// bigramSet is the sorted set of a text's character bigrams, padding
// skipped: what similar compares, for the quadratic definition.
func bigramSet(s string) []uint64 {
	var out []uint64
	prev := rune(-1)
	for _, r := range s {
		if plan.IsSpace(r) {
			continue
		}
		if prev >= 0 {
			out = append(out, uint64(prev)<<32|uint64(r))
		}
		prev = r
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestAppendPadFreeDecodesAsRange checks the inline decoding against
// ranging over the string, on real text and broken bytes.
func TestAppendPadFreeDecodesAsRange(t *testing.T) {
	inputs := []string{"", "　", "\u3000\u3001，。", "加强 管理\u00a0。", "\xe4\xb8", "\xed\xa0\x80x", "\xe0\x80\xafy", "a\xffb\xe4\xb8\xadc", "\U0001F600中"}
	if data, err := os.ReadFile("../fixtures/samples/draft.txt"); err == nil {
		inputs = append(inputs, string(data))
	}
	for _, in := range inputs {
		var want []rune
		for _, r := range in {
			if !plan.IsSpace(r) {
				want = append(want, r)
			}
		}
		assert.Equal(t, want, appendPadFree(nil, in), "%q", in)
	}
}

func TestPadFreeText(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{{"加强 管理", "加强管理", true}, {"　加强管理 ", "加强管理", true}, {"加强管理", "加强管", false}, {"", "  ", true}, {"甲", "乙", false}} {
		a, b := appendPadFree(nil, c.a), appendPadFree(nil, c.b)
		assert.Equal(t, c.want, slices.Equal(a, b), "%q %q", c.a, c.b)
	}
}

func TestSameSet(t *testing.T) {
	sets := [][]int32{{1, 2, 3}, {1, 2}, {4}}
	for _, c := range []struct {
		set  []int32
		want int
	}{{[]int32{1, 2}, 1}, {[]int32{1, 2, 3}, 0}, {[]int32{2, 1}, -1}, {[]int32{4, 5}, -1}} {
		assert.Equal(t, c.want, sameSet(sets, []int{0, 1, 2}, c.set), "%v", c.set)
	}
	assert.Equal(t, setHash([]int32{1, 2}), setHash(sets[1]))
	assert.NotEqual(t, setHash([]int32{1, 2}), setHash([]int32{2, 1}))
}

// TestBigramIDsGrow numbers more bigrams than the table is first made for:
// each keeps its number through the growths.
func TestBigramIDsGrow(t *testing.T) {
	var sc dupScratch
	ids := sc.bigramIDs(10)
	first := len(ids.slots)
	const n = 3 * maxInitialSlots
	for i := range n {
		g := uint64(0x4E00+i%5000)<<32 | uint64(0x4E00+i/5000)
		if got := ids.get(g, int32(i)); got != int32(i) {
			t.Fatalf("bigram %d numbered %d", i, got)
		}
	}
	assert.Greater(t, len(ids.slots), first)
	assert.GreaterOrEqual(t, len(ids.slots), 2*n)
	for i := range n {
		g := uint64(0x4E00+i%5000)<<32 | uint64(0x4E00+i/5000)
		if got := ids.get(g, -1); got != int32(i) {
			t.Fatalf("bigram %d: %d after growing", i, got)
		}
	}
	// The scratch keeps the grown table for the next document, emptied.
	again := sc.bigramIDs(10)
	assert.Equal(t, 0, again.n)
	assert.Equal(t, int32(7), again.get(1, 7))
}

// FuzzDupIndex compares the index with the quadratic definition on
// arbitrary items, one per line. At most 17 items, so that no posting
// list or candidate list reaches its bound and the answer must be exact;
// one process runs many documents, so scratch state left by one would
// show in the next.
func FuzzDupIndex(f *testing.F) {
	f.Add("加强基层医疗卫生服务能力建设\n加强基层医疗服务能力建设\n推进分级诊疗")
	f.Add("a b c d\nabcd\n\n\xe4\xb8\nabce")
	f.Add("完成第1项任务\n完成第2项任务\n完成第3项任务\n完成第1项任务")
	f.Fuzz(func(t *testing.T, text string) {
		lines := strings.Split(text, "\n")
		if len(lines) > 17 {
			lines = lines[:17]
		}
		items := make([]*UnitView, len(lines))
		for i, l := range lines {
			items[i] = &UnitView{Text: l, IsTask: i%5 != 4, Line: i + 1}
		}
		thresholds := []float64{0.3, 0.6, 1}
		brute := bruteDuplicates(items, thresholds)
		for _, th := range thresholds {
			got := newDupIndex(items, th)
			for _, it := range items {
				if want := brute[th][it]; want != got.best[it].of {
					t.Fatalf("threshold %v, item %d: index says %v, definition %v", th, it.Line, lineOf(got.best[it].of), lineOf(want))
				}
			}
		}
	})
}

func lineOf(u *UnitView) any {
	if u == nil {
		return nil
	}
	return u.Line
}
