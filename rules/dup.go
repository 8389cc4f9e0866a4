package rules

import (
	"math"
	"slices"
	"strings"
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
	// Items with the same text as an earlier one are its duplicates at 1;
	// only the first of each text takes part in the join.
	var firsts []*UnitView
	firstByText := map[string]*UnitView{}
	var key strings.Builder
	for _, it := range items {
		if !it.IsTask {
			continue
		}
		key.Reset()
		for _, r := range it.Text {
			if !isPad(r) {
				key.WriteRune(r)
			}
		}
		if f, ok := firstByText[key.String()]; ok {
			idx.best[it] = dupHit{of: f, score: 1}
			continue
		}
		firstByText[key.String()] = it
		firsts = append(firsts, it)
	}
	// Number the bigrams in order of first appearance and count the items
	// each occurs in; then rank them rarest first (a counting sort, stable,
	// so the order is the same on every run), so that ordering a set is
	// sorting small integers and postings are a slice.
	sets := make([][]uint64, len(firsts)) // sorted by value, for jaccard
	total := 0
	for i, it := range firsts {
		sets[i] = bigramSet(it.Text)
		total += len(sets[i])
	}
	ids := make([][]int32, len(firsts))
	id := make(map[uint64]int32, total)
	df := make([]int32, 0, total)
	for i := range firsts {
		ids[i] = make([]int32, len(sets[i]))
		for k, g := range sets[i] {
			n, ok := id[g]
			if !ok {
				n = int32(len(df))
				id[g] = n
				df = append(df, 0)
			}
			df[n]++
			ids[i][k] = n
		}
	}
	rank := rarestFirst(df)
	postings := make([][]int, len(df))
	seen := make([]bool, len(firsts)) // candidates of the current item, reset after it
	var ordered []int32
	var cands []int
	for i, it := range firsts {
		n := len(sets[i])
		if n == 0 {
			continue
		}
		ordered = ordered[:0]
		for _, g := range ids[i] {
			ordered = append(ordered, rank[g])
		}
		slices.Sort(ordered)
		prefix := ordered[:prefixLen(n, t)]
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
