package rules

import (
	"slices"
	"strings"
)

// dupIndex finds, once per document, the most similar earlier task item
// of every task item, so that the near-duplicate rule is not a quadratic
// loop over the items in the rule language. Similarity is the Jaccard
// index of character bigrams, as in the similar function.
type dupIndex struct {
	best map[*UnitView]dupHit
}

type dupHit struct {
	of    *UnitView
	score float64
}

// maxPosting bounds the items a bigram may occur in and still be used to
// find candidates: common bigrams (工作, 建设) say nothing about identity.
// Identical texts are found by hashing, whatever their number.
const (
	maxPosting    = 64
	maxCandidates = 32
)

func newDupIndex(items []*UnitView) *dupIndex {
	idx := &dupIndex{best: map[*UnitView]dupHit{}}
	var tasks []*UnitView
	var sets [][]uint64
	for _, it := range items {
		if it.IsTask {
			tasks = append(tasks, it)
			sets = append(sets, bigramSet(it.Text))
		}
	}
	df := map[uint64]int{}
	for _, s := range sets {
		for _, g := range s {
			df[g]++
		}
	}
	postings := map[uint64][]int{}
	firstByText := map[string]int{}
	shared := make([]int, len(tasks)) // rare bigrams shared with item j, reset after each item
	for i, it := range tasks {
		key := strings.Join(strings.FieldsFunc(it.Text, isPad), "")
		if j, ok := firstByText[key]; ok {
			idx.best[it] = dupHit{of: tasks[j], score: 1}
		} else {
			firstByText[key] = i
			idx.best[it] = idx.candidate(i, tasks, sets, postings, shared)
		}
		for _, g := range sets[i] {
			if df[g] <= maxPosting {
				postings[g] = append(postings[g], i)
			}
		}
	}
	return idx
}

// candidate scores the earlier items sharing the most rare bigrams with
// item i and returns the most similar one.
func (idx *dupIndex) candidate(i int, tasks []*UnitView, sets [][]uint64, postings map[uint64][]int, shared []int) dupHit {
	var cands []int
	for _, g := range sets[i] {
		for _, j := range postings[g] {
			if shared[j] == 0 {
				cands = append(cands, j)
			}
			shared[j]++
		}
	}
	defer func() {
		for _, j := range cands {
			shared[j] = 0
		}
	}()
	slices.SortFunc(cands, func(a, b int) int {
		if shared[a] != shared[b] {
			return shared[b] - shared[a]
		}
		return a - b
	})
	var best dupHit
	for _, j := range cands[:min(len(cands), maxCandidates)] {
		if s := jaccard(sets[i], sets[j]); s > best.score || s == best.score && best.of != nil && tasks[j].Line < best.of.Line {
			best = dupHit{of: tasks[j], score: s}
		}
	}
	return best
}

// bigramSet is the sorted set of a text's character bigrams, padding
// skipped, each bigram packed into one integer.
func bigramSet(s string) []uint64 {
	var out []uint64
	prev := rune(-1)
	for _, r := range s {
		if isPad(r) {
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

func jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	inter, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
