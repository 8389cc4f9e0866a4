package rules

import (
	"math"
	"slices"

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

// dupIndex returns the document's index for threshold t, built on first
// use.
func (d *DocView) dupIndex(t float64) *dupIndex {
	d.dupsMu.Lock()
	defer d.dupsMu.Unlock()
	idx := d.dups[t]
	if idx == nil {
		if d.dups == nil {
			d.dups = map[float64]*dupIndex{}
		}
		idx = newDupIndex(d.Items, t)
		d.dups[t] = idx
	}
	return idx
}

func newDupIndex(items []*UnitView, t float64) *dupIndex {
	idx := &dupIndex{best: map[*UnitView]dupHit{}}
	// Every task's characters, padding left out, decoded once into one
	// array, for the identity test and the bigrams.
	var tasks []*UnitView
	size := 0
	for _, it := range items {
		if it.IsTask {
			tasks = append(tasks, it)
			size += len(it.Text)
		}
	}
	chars := make([]rune, 0, size)
	// Items with the same text as an earlier one (padding aside) are its
	// duplicates at 1; only the first of each text takes part in the join.
	var firsts []*UnitView
	var texts [][]rune // of firsts
	byHash := map[uint64][]int{}
	for _, it := range tasks {
		from := len(chars)
		chars = appendPadFree(chars, it.Text)
		text := chars[from:len(chars):len(chars)]
		h := runesHash(text)
		if f := sameText(texts, byHash[h], text); f >= 0 {
			idx.best[it] = dupHit{of: firsts[f], score: 1}
			chars = chars[:from]
			continue
		}
		byHash[h] = append(byHash[h], len(firsts))
		firsts = append(firsts, it)
		texts = append(texts, text)
	}
	// Each item's distinct bigrams, numbered in order of first appearance,
	// with the count of items each occurs in; then renumbered by rank,
	// rarest first (a counting sort, stable, so the same on every run).
	// Sorted ranks serve both as the prefix order and for the Jaccard
	// index, and postings are a slice. All sets share one backing array,
	// sized by the characters (an upper bound on bigrams).
	arena := make([]int32, 0, len(chars))
	sets := make([][]int32, len(firsts))
	id := newBigramIDs(len(chars))
	var df, counted []int32 // per bigram: items, and the last item counted (+1)
	for i, text := range texts {
		start := len(arena)
		for k := 1; k < len(text); k++ {
			n := id.get(uint64(text[k-1])<<32|uint64(text[k]), int32(len(df)))
			if int(n) == len(df) {
				df = append(df, 0)
				counted = append(counted, 0)
			}
			if counted[n] != int32(i+1) {
				counted[n] = int32(i + 1)
				df[n]++
				arena = append(arena, n)
			}
		}
		sets[i] = arena[start:len(arena):len(arena)]
	}
	sortByRank(sets, df)
	// Postings in one array: bigram g's are posted[start[g]:end[g]], filled
	// item by item, so that they hold the earlier items only.
	start := make([]int32, len(df)+1)
	for _, set := range sets {
		for _, g := range set[:prefixLen(len(set), t)] {
			start[g+1]++
		}
	}
	for g := 1; g < len(start); g++ {
		start[g] += start[g-1]
	}
	posted := make([]int32, start[len(df)])
	end := slices.Clone(start[:len(df)])
	postedAt := make([]int32, len(posted)) // the bigram's place in the posted item's set
	// shared counts, per candidate of the current item, the prefix bigrams
	// seen in common so far, plus one (0: not a candidate; pruned: cannot
	// reach the threshold). Reset after each item.
	const pruned = -1
	shared := make([]int32, len(firsts))
	var cands []int32
	for i, it := range firsts {
		n := len(sets[i])
		if n == 0 {
			continue
		}
		prefix := sets[i][:prefixLen(n, t)]
		best, bestJ := dupHit{}, -1
		cands = cands[:0]
		// Positional filter (PPJoin): the sets are in one global order, so
		// the bigrams two items share before places p (in this item) and q
		// (in the other) are all in both prefixes, and were all counted
		// unless a posting list was cut (maxPosting); what they can share
		// from p and q on is at most min(n−p, m−q).
		complete := true
	collect:
		for p, g := range prefix {
			from := max(start[g], end[g]-maxPosting)
			if from > start[g] {
				complete = false
			}
			for k := from; k < end[g]; k++ {
				j := posted[k]
				if shared[j] == 0 {
					if len(cands) == maxCandidates {
						break collect
					}
					cands = append(cands, j)
					shared[j] = 1
				}
				if shared[j] == pruned {
					continue
				}
				m := len(sets[j])
				if complete && !canReach(int(shared[j])-1+min(n-p, m-int(postedAt[k])), n, m, t) {
					shared[j] = pruned
					continue
				}
				shared[j]++
			}
		}
		for _, j := range cands {
			ok := shared[j] != pruned
			shared[j] = 0
			if !ok {
				continue
			}
			m := float64(len(sets[j]))
			if m < t*float64(n) || float64(n) < t*m {
				continue // sizes too far apart for the threshold
			}
			s := jaccard(sets[i], sets[j])
			if s >= t && (s > best.score || s == best.score && int(j) < bestJ) {
				best, bestJ = dupHit{of: firsts[j], score: s}, int(j)
			}
		}
		if best.of != nil {
			idx.best[it] = best
		}
		for p, g := range prefix {
			posted[end[g]], postedAt[end[g]] = int32(i), int32(p)
			end[g]++
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

// newBigramIDs makes a table for the bigrams of n characters. Real texts
// repeat about half their bigrams, so it is sized for n/2 and grows in
// the rare text that has more.
func newBigramIDs(n int) *bigramIDs {
	size := 64
	for size < n {
		size *= 2
	}
	return &bigramIDs{keys: make([]uint64, size), ids: make([]int32, size)}
}

func (t *bigramIDs) grow() {
	old, oldIDs := t.keys, t.ids
	t.keys, t.ids, t.n = make([]uint64, 2*len(old)), make([]int32, 2*len(old)), 0
	for i, key := range old {
		if key != 0 {
			t.get(key-1, oldIDs[i])
		}
	}
}

// sortByRank renumbers every set's bigrams by their rank, rarest first
// (rarestFirst), and leaves each set in ascending order. It sorts all
// sets at once by listing, rank by rank, the sets that hold it (df is
// each bigram's number of sets), rather than sorting each set.
func sortByRank(sets [][]int32, df []int32) {
	rank := rarestFirst(df)
	// holders[first[r]:first[r+1]] are the sets holding the bigram of rank r.
	first := make([]int32, len(df)+1)
	for n, c := range df {
		first[rank[n]+1] = c
	}
	for r := 1; r < len(first); r++ {
		first[r] += first[r-1]
	}
	holders := make([]int32, first[len(df)])
	next := slices.Clone(first[:len(df)])
	for i, set := range sets {
		for _, n := range set {
			r := rank[n]
			holders[next[r]] = int32(i)
			next[r]++
		}
	}
	filled := make([]int32, len(sets))
	for r := range df {
		for _, i := range holders[first[r]:first[r+1]] {
			sets[i][filled[i]] = int32(r)
			filled[i]++
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

// canReach reports whether two sets of sizes n and m sharing at most
// overlap elements can have a Jaccard index of at least t. It errs on
// the side of yes by a margin far above rounding, so that it never
// rejects a pair jaccard would accept.
func canReach(overlap, n, m int, t float64) bool {
	return float64(overlap)*(1+t) >= t*float64(n+m)-1e-6
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

// appendPadFree appends the characters of s but its padding to dst.
func appendPadFree(dst []rune, s string) []rune {
	for i := 0; i < len(s); {
		r, n := plan.DecodeRune(s, i)
		i += n
		if !plan.IsSpace(r) {
			dst = append(dst, r)
		}
	}
	return dst
}

// runesHash is the FNV-1a hash of rs.
func runesHash(rs []rune) uint64 {
	h := uint64(14695981039346656037)
	for _, r := range rs {
		h = (h ^ uint64(r)) * 1099511628211
	}
	return h
}

// sameText returns the one of candidates (indexes into texts) whose text
// is text, or -1.
func sameText(texts [][]rune, candidates []int, text []rune) int {
	for _, c := range candidates {
		if slices.Equal(texts[c], text) {
			return c
		}
	}
	return -1
}
