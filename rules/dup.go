package rules

import (
	"math"
	"slices"
	"sync"

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
// candidates. Tasks with identical sets (identical texts, mostly) are
// found by hashing, whatever their number.
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
	sc := dupScratchPool.Get().(*dupScratch)
	defer sc.release()
	idx := &dupIndex{best: map[*UnitView]dupHit{}}
	// Every task's characters, padding left out, decoded once into one
	// array. A text of fewer than two characters has no bigram: it is
	// similar to nothing, by the definition.
	tasks, texts := sc.tasks[:0], sc.texts[:0]
	size := 0
	for _, it := range items {
		if it.IsTask {
			size += len(it.Text)
		}
	}
	chars := slices.Grow(sc.chars[:0], size)
	for _, it := range items {
		if !it.IsTask {
			continue
		}
		from := len(chars)
		chars = appendPadFree(chars, it.Text)
		if len(chars)-from < 2 {
			chars = chars[:from]
			continue
		}
		tasks = append(tasks, it)
		texts = append(texts, chars[from:len(chars):len(chars)])
	}
	sc.tasks, sc.texts, sc.chars = tasks, texts, chars
	// Each task's distinct bigrams, numbered in order of first appearance,
	// with the count of tasks each occurs in; then renumbered by rank,
	// rarest first (a counting sort, stable, so the same on every run).
	// Sorted ranks serve both as the prefix order and for the Jaccard
	// index, and postings are a slice. All sets share one backing array,
	// sized by the characters (an upper bound on bigrams).
	arena := slices.Grow(sc.arena[:0], len(chars))
	all := slices.Grow(sc.all[:0], len(texts))[:len(texts)]
	id := sc.bigramIDs(len(chars))
	df, counted := sc.df[:0], sc.counted[:0] // per bigram: tasks, and the last task counted (+1)
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
		all[i] = arena[start:len(arena):len(arena)]
	}
	sc.arena, sc.all, sc.df, sc.counted = arena, all, df, counted
	sc.sortByRank(all, df)
	// A task whose set equals an earlier one's (the same text, or one
	// repeating the same bigrams) has similarity 1 with it, the most there
	// is: its answer is the first task with that set. Only the first of
	// each set takes part in the join, however many repeat it.
	firsts, sets := sc.firsts[:0], sc.sets[:0]
	bySet := map[uint64][]int{}
	for i, set := range all {
		h := setHash(set)
		if f := sameSet(sets, bySet[h], set); f >= 0 {
			idx.best[tasks[i]] = dupHit{of: firsts[f], score: 1}
			continue
		}
		bySet[h] = append(bySet[h], len(firsts))
		firsts = append(firsts, tasks[i])
		sets = append(sets, set)
	}
	sc.firsts, sc.sets = firsts, sets
	// Postings in one array: bigram g's are posted[start[g]:end[g]], filled
	// item by item, so that they hold the earlier items only.
	start := zeroed(&sc.start, len(df)+1)
	for _, set := range sets {
		for _, g := range set[:prefixLen(len(set), t)] {
			start[g+1]++
		}
	}
	for g := 1; g < len(start); g++ {
		start[g] += start[g-1]
	}
	posted := zeroed(&sc.posted, int(start[len(df)]))
	end := append(sc.end[:0], start[:len(df)]...)
	sc.end = end
	postedAt := zeroed(&sc.postedAt, len(posted)) // the bigram's place in the posted item's set
	// shared counts, per candidate of the current item, the prefix bigrams
	// seen in common so far, plus one (0: not a candidate; pruned: cannot
	// reach the threshold). Reset after each item.
	const pruned = -1
	shared := zeroed(&sc.shared, len(firsts))
	cands := sc.cands[:0]
	for i, it := range firsts {
		n := len(sets[i]) // at least 1: texts have two characters or more
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
	sc.cands = cands
	return idx
}

// dupScratch holds newDupIndex's working arrays, reused from one document
// to the next: an index allocates several times the size of the tasks'
// text, which was a tenth of the memory allocated checking a folder.
type dupScratch struct {
	tasks, firsts []*UnitView
	chars         []rune
	texts         [][]rune
	all, sets     [][]int32
	ids           bigramIDs
	arena, df, counted, start, posted, end, postedAt, shared, cands,
	rank, first, holders, next, filled, byCount []int32
}

var dupScratchPool = sync.Pool{New: func() any { return new(dupScratch) }}

// release forgets the document (its units and texts) and returns the
// arrays to the pool.
func (sc *dupScratch) release() {
	clear(sc.tasks)
	clear(sc.firsts)
	clear(sc.texts)
	clear(sc.all)
	clear(sc.sets)
	dupScratchPool.Put(sc)
}

// zeroed returns (*buf)[:n] cleared, growing *buf when it is too short.
func zeroed[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	} else {
		*buf = (*buf)[:n]
		clear(*buf)
	}
	return *buf
}

// bigramIDs numbers bigrams: an open-addressing hash table, several
// times faster than a map for this one job, which runs on every
// character of every task. A slot holds its key and number side by side,
// so that a probe reads one cache line.
type bigramIDs struct {
	slots []bigramSlot
	n     int // slots in use
}

type bigramSlot struct {
	key uint64 // bigram+1; 0 marks a free slot
	id  int32
}

// maxInitialSlots bounds the table made before counting: a long plan
// repeats most of its bigrams (the 12 MB benchmark file has 20,000
// distinct ones in two million characters), so it starts at 64K slots and
// grows if the text needs more.
const maxInitialSlots = 1 << 16

// bigramIDs returns the scratch table, emptied, for the bigrams of n
// characters.
func (sc *dupScratch) bigramIDs(n int) *bigramIDs {
	size := 64
	for size < 2*(n+1) && size < maxInitialSlots {
		size *= 2
	}
	sc.ids = bigramIDs{slots: zeroed(&sc.ids.slots, size)}
	return &sc.ids
}

// get returns the number of bigram g, giving it next if it has none.
func (t *bigramIDs) get(g uint64, next int32) int32 {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	key := g + 1
	mask := uint64(len(t.slots) - 1)
	for i := (key * 0x9E3779B97F4A7C15) >> 32 & mask; ; i = (i + 1) & mask {
		switch t.slots[i].key {
		case key:
			return t.slots[i].id
		case 0:
			t.slots[i] = bigramSlot{key, next}
			t.n++
			return next
		}
	}
}

func (t *bigramIDs) grow() {
	old := t.slots
	t.slots, t.n = make([]bigramSlot, 2*len(old)), 0
	for _, s := range old {
		if s.key != 0 {
			t.get(s.key-1, s.id)
		}
	}
}

// sortByRank renumbers every set's bigrams by their rank, rarest first
// (rarestFirst), and leaves each set in ascending order. It sorts all
// sets at once by listing, rank by rank, the sets that hold it (df is
// each bigram's number of sets), rather than sorting each set.
func (sc *dupScratch) sortByRank(sets [][]int32, df []int32) {
	rank := rarestFirst(df, &sc.rank, &sc.byCount)
	// holders[first[r]:first[r+1]] are the sets holding the bigram of rank r.
	first := zeroed(&sc.first, len(df)+1)
	for n, c := range df {
		first[rank[n]+1] = c
	}
	for r := 1; r < len(first); r++ {
		first[r] += first[r-1]
	}
	holders := zeroed(&sc.holders, int(first[len(df)]))
	next := append(sc.next[:0], first[:len(df)]...)
	sc.next = next
	for i, set := range sets {
		for _, n := range set {
			r := rank[n]
			holders[next[r]] = int32(i)
			next[r]++
		}
	}
	filled := zeroed(&sc.filled, len(sets))
	for r := range df {
		for _, i := range holders[first[r]:first[r+1]] {
			sets[i][filled[i]] = int32(r)
			filled[i]++
		}
	}
}

// rarestFirst ranks ids by their counts, ascending, ties in id order,
// into *rank (byCount is scratch).
func rarestFirst(counts []int32, rank, byCount *[]int32) []int32 {
	maxCount := int32(0)
	for _, c := range counts {
		maxCount = max(maxCount, c)
	}
	next := zeroed(byCount, int(maxCount)+2) // first rank of each count
	for _, c := range counts {
		next[c+1]++
	}
	for c := 1; c < len(next); c++ {
		next[c] += next[c-1]
	}
	r := zeroed(rank, len(counts))
	for i, c := range counts {
		r[i] = next[c]
		next[c]++
	}
	return r
}

// prefixLen is how many of a set's n rarest bigrams must be indexed and
// probed for a Jaccard threshold t. The small tolerance keeps rounding
// from shortening the prefix (t·n a hair above an integer).
func prefixLen(n int, t float64) int {
	if n == 0 {
		return 0 // a text of one character has no bigram, and no prefix
	}
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

// setHash is the FNV-1a hash of a set of bigram ranks.
func setHash(set []int32) uint64 {
	h := uint64(14695981039346656037)
	for _, g := range set {
		h = (h ^ uint64(g)) * 1099511628211
	}
	return h
}

// sameSet returns the one of candidates (indexes into sets) whose set is
// set, or -1.
func sameSet(sets [][]int32, candidates []int, set []int32) int {
	for _, c := range candidates {
		if slices.Equal(sets[c], set) {
			return c
		}
	}
	return -1
}
