package rules

import (
	"math"
	"slices"
	"unicode/utf8"

	"github.com/plancheck/plancheck/plan"
)

// dupIndex finds, once per document and threshold, the most similar
// earlier task item of every task item whose similarity reaches the
// threshold, so that the near-duplicate rule is not a quadratic loop over
// the items in the rule language. Similarity is the Jaccard index of
// character bigrams, as in the similar function.
//
// The search is exact, and fast because of prefix filtering (the
// all-pairs similarity join of Chaudhuri et al. and Xiao et al.'s
// PPJoin): order every item's bigrams from the rarest in the document to
// the most common; two sets whose Jaccard index is at least t share a
// bigram among the first |x| − ⌈t·|x|⌉ + 1 of each. Only those prefixes are
// indexed, and they are made of rare bigrams, so each item meets few
// candidates. Identical texts are found by hashing first, whatever their
// number.
//
// Machine-made plans (thousands of items differing only by a number) make
// every pair similar, and an exact answer quadratic; there the search is
// bounded (maxPosting, maxCandidates) and takes the nearest earlier items.
type dupIndex struct {
	best map[*UnitView]dupHit
}

type dupHit struct {
	of    *UnitView
	score float64
}

// maxPosting is how many of the latest earlier items sharing one prefix
// bigram are examined; maxCandidates bounds the candidates of one item.
// Real plans stay far below both, so the answer is exact for them.
const (
	maxPosting    = 16
	maxCandidates = 32
)

func newDupIndex(items []*UnitView, t float64) *dupIndex {
	idx := &dupIndex{best: map[*UnitView]dupHit{}}
	// Items with the same text as an earlier one (spaces aside) are its
	// duplicates at 1; only the first of each text takes part in the join.
	var firsts []*UnitView
	byHash := map[uint64][]*UnitView{}
	for _, it := range items {
		if !it.IsTask {
			continue
		}
		h := padFreeHash(it.Text)
		if f := samePadFree(byHash[h], it.Text); f != nil {
			idx.best[it] = dupHit{of: f, score: 1}
			continue
		}
		byHash[h] = append(byHash[h], it)
		firsts = append(firsts, it)
	}
	// Each item's distinct bigrams, numbered in order of first appearance,
	// with the count of items each occurs in; then renumbered by rank,
	// rarest first (a counting sort, stable, so the same on every run).
	// Sorted ranks serve both as the prefix order and for the Jaccard
	// index, and postings are a slice.
	sets := make([][]int32, len(firsts))
	var id bigramIDs
	var df, counted []int32 // per bigram: items, and the last item counted (+1)
	for i, it := range firsts {
		var set []int32
		prev := rune(-1)
		for k := 0; k < len(it.Text); {
			r, n := plan.DecodeRune(it.Text, k)
			k += n
			if plan.IsSpace(r) {
				continue
			}
			if prev >= 0 {
				n := id.get(uint64(prev)<<32|uint64(r), int32(len(df)))
				if int(n) == len(df) {
					df = append(df, 0)
					counted = append(counted, 0)
				}
				if counted[n] != int32(i+1) {
					counted[n] = int32(i + 1)
					df[n]++
					set = append(set, n)
				}
			}
			prev = r
		}
		sets[i] = set
	}
	rank := rarestFirst(df)
	for _, set := range sets {
		for k, n := range set {
			set[k] = rank[n]
		}
		slices.Sort(set)
	}
	postings := make([][]int, len(df))
	seen := make([]bool, len(firsts)) // candidates of the current item, reset after it
	var cands []int
	for i, it := range firsts {
		n := len(sets[i])
		if n == 0 {
			continue
		}
		prefix := sets[i][:prefixLen(n, t)]
		best, bestJ := dupHit{}, -1
		cands = cands[:0]
	collect:
		for _, g := range prefix {
			ps := postings[g]
			for _, j := range ps[max(0, len(ps)-maxPosting):] {
				if len(cands) == maxCandidates {
					break collect
				}
				if !seen[j] {
					seen[j] = true
					cands = append(cands, j)
				}
			}
		}
		for _, j := range cands {
			seen[j] = false
			m := float64(len(sets[j]))
			if m < t*float64(n) || float64(n) < t*m {
				continue // sizes too far apart for the threshold
			}
			s := jaccard(sets[i], sets[j])
			if s >= t && (s > best.score || s == best.score && j < bestJ) {
				best, bestJ = dupHit{of: firsts[j], score: s}, j
			}
		}
		if best.of != nil {
			idx.best[it] = best
		}
		for _, g := range prefix {
			postings[g] = append(postings[g], i)
		}
	}
	return idx
}

// bigramIDs numbers bigrams: an open-addressing hash table, several
// times faster than a map for this one job, which runs on every
// character of every task.
type bigramIDs struct {
	keys []uint64 // bigram+1; 0 marks a free slot
	ids  []int32
	n    int
}

// get returns the number of bigram g, giving it next if it has none.
func (t *bigramIDs) get(g uint64, next int32) int32 {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	key := g + 1
	mask := uint64(len(t.keys) - 1)
	for i := (key * 0x9E3779B97F4A7C15) >> 32 & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case key:
			return t.ids[i]
		case 0:
			t.keys[i], t.ids[i] = key, next
			t.n++
			return next
		}
	}
}

func (t *bigramIDs) grow() {
	old, oldIDs := t.keys, t.ids
	size := max(1024, 2*len(old))
	t.keys, t.ids, t.n = make([]uint64, size), make([]int32, size), 0
	for i, key := range old {
		if key != 0 {
			t.get(key-1, oldIDs[i])
		}
	}
}

// rarestFirst ranks ids by their counts, ascending, ties in id order.
func rarestFirst(counts []int32) []int32 {
	maxCount := int32(0)
	for _, c := range counts {
		maxCount = max(maxCount, c)
	}
	next := make([]int32, maxCount+2) // first rank of each count
	for _, c := range counts {
		next[c+1]++
	}
	for c := 1; c < len(next); c++ {
		next[c] += next[c-1]
	}
	rank := make([]int32, len(counts))
	for i, c := range counts {
		rank[i] = next[c]
		next[c]++
	}
	return rank
}

// prefixLen is how many of a set's n rarest bigrams must be indexed and
// probed for a Jaccard threshold t. The small tolerance keeps rounding
// from shortening the prefix (t·n a hair above an integer).
func prefixLen(n int, t float64) int {
	return n - int(math.Ceil(t*float64(n)-1e-9)) + 1
}

// jaccard is the Jaccard index of two sorted sets.
func jaccard[T int32 | uint64](a, b []T) float64 {
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

// padFreeHash is the FNV-1a hash of s without its padding.
func padFreeHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); {
		r, n := plan.DecodeRune(s, i)
		i += n
		if !plan.IsSpace(r) {
			h = (h ^ uint64(r)) * 1099511628211
		}
	}
	return h
}

// samePadFree returns the unit among us whose text equals s, padding
// aside, or nil.
func samePadFree(us []*UnitView, s string) *UnitView {
	for _, u := range us {
		if u.Text == s || equalPadFree(u.Text, s) {
			return u
		}
	}
	return nil
}

func equalPadFree(a, b string) bool {
	i, j := 0, 0
	for {
		for i < len(a) {
			r, n := utf8.DecodeRuneInString(a[i:])
			if !plan.IsSpace(r) {
				break
			}
			i += n
		}
		for j < len(b) {
			r, n := utf8.DecodeRuneInString(b[j:])
			if !plan.IsSpace(r) {
				break
			}
			j += n
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		ra, na := utf8.DecodeRuneInString(a[i:])
		rb, nb := utf8.DecodeRuneInString(b[j:])
		if ra != rb {
			return false
		}
		i, j = i+na, j+nb
	}
}
