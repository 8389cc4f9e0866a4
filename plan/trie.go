package plan

import (
	"math/bits"
	"slices"
	"sync"
	"unicode/utf8"
)

// runeSet is a set of runes with a constant-time test for the Basic
// Multilingual Plane, where all Chinese text lives; runes above it are
// kept in a short list.
type runeSet struct {
	bmp    *[0x10000 / 64]uint64 // bit r of the BMP; nil when the set holds no BMP rune
	astral []rune
}

func (s *runeSet) add(r rune) {
	if r < 0 || r > 0xFFFF {
		if !slices.Contains(s.astral, r) {
			s.astral = append(s.astral, r)
		}
		return
	}
	if s.bmp == nil {
		s.bmp = new([0x10000 / 64]uint64)
	}
	s.bmp[r>>6] |= 1 << (r & 63)
}

func (s *runeSet) has(r rune) bool {
	if uint32(r) <= 0xFFFF {
		return s.bmp != nil && s.bmp[uint32(r)>>6]&(1<<(r&63)) != 0
	}
	return s.astral != nil && slices.Contains(s.astral, r)
}

// decodeRune is utf8.DecodeRuneInString(s[i:]) with ASCII and the
// three-byte form decoded inline.
func decodeRune(s string, i int) (rune, int) {
	// One call per character: the three-byte form (nearly all Chinese)
	// is decoded here, without the general decoder's tables.
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c&0xF0 == 0xE0 && i+2 < len(s) {
		c1, c2 := s[i+1], s[i+2]
		if c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			r := rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F)
			if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) { // not overlong, not a surrogate
				return r, 3
			}
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}

// decodeLastRune is utf8.DecodeLastRuneInString(s[lo:i]) with ASCII and
// the three-byte form (nearly all Chinese) decoded inline.
func decodeLastRune(s string, lo, i int) (rune, int) {
	if i > lo {
		if c := s[i-1]; c < utf8.RuneSelf {
			return rune(c), 1
		}
		if i-3 >= lo && s[i-3]&0xF0 == 0xE0 && validThreeBytes(s[i-3], s[i-2], s[i-1]) {
			return rune(s[i-3]&0x0F)<<12 | rune(s[i-2]&0x3F)<<6 | rune(s[i-1]&0x3F), 3
		}
	}
	return utf8.DecodeLastRuneInString(s[lo:i])
}

// runeTrie finds the words of a list in a text, leftmost-longest, by
// walking a trie over runes from every character: O(text × longest word),
// with no backtracking and no dependence on the order of the list.
type runeTrie struct {
	// first is the set of the runes that begin a word: the root's
	// children, found by their rank in the set (rank[w] counts the set's
	// BMP runes below 64*w).
	first runeSet
	rank  [0x10000 / 64]uint16
	nodes []trieNode // nodes[0] is the root
}

// trieNode holds its children sorted by rune.
type trieNode struct {
	keys []rune
	kids []int32
	word bool
}

// child returns the index of n's child for r, or -1.
func (n *trieNode) child(r rune) int32 {
	keys := n.keys
	if len(keys) > 8 {
		if i, ok := slices.BinarySearch(keys, r); ok {
			return n.kids[i]
		}
		return -1
	}
	for i, k := range keys {
		if k == r {
			return n.kids[i]
		}
	}
	return -1
}

func newRuneTrie(words []string) *runeTrie { return buildTrie(words, false) }

// newReverseTrie stores the words backwards, for longestBefore.
func newReverseTrie(words []string) *runeTrie { return buildTrie(words, true) }

func buildTrie(words []string, reverse bool) *runeTrie {
	t := &runeTrie{nodes: []trieNode{{}}}
	for _, w := range longestFirst(words) {
		rs := []rune(w)
		if reverse {
			slices.Reverse(rs)
		}
		t.first.add(rs[0])
		n := int32(0)
		for _, r := range rs {
			c := t.nodes[n].child(r)
			if c < 0 {
				c = int32(len(t.nodes))
				t.nodes = append(t.nodes, trieNode{})
				nd := &t.nodes[n]
				i, _ := slices.BinarySearch(nd.keys, r)
				nd.keys = slices.Insert(nd.keys, i, r)
				nd.kids = slices.Insert(nd.kids, i, c)
			}
			n = c
		}
		t.nodes[n].word = true
	}
	if t.first.bmp != nil {
		total := 0
		for w, bitsAt := range t.first.bmp {
			t.rank[w] = uint16(total)
			total += bits.OnesCount64(bitsAt)
		}
	}
	return t
}

// rootChild returns the node for the words beginning with r, or -1. The
// root's keys are sorted, so a BMP rune's index is its rank in first.
func (t *runeTrie) rootChild(r rune) int32 {
	if uint32(r) > 0xFFFF {
		return t.nodes[0].child(r)
	}
	w, bit := uint32(r)>>6, uint64(1)<<(uint32(r)&63)
	if t.first.bmp == nil || t.first.bmp[w]&bit == 0 {
		return -1
	}
	return t.nodes[0].kids[int(t.rank[w])+bits.OnesCount64(t.first.bmp[w]&(bit-1))]
}

// longestAt returns the byte length of the longest word starting at s[i:],
// 0 when none does.
func (t *runeTrie) longestAt(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	r, n := decodeRune(s, i)
	return t.longestFrom(s, i, r, n)
}

// longestFrom is longestAt for a caller that has decoded the rune r, of n
// bytes, at s[i].
func (t *runeTrie) longestFrom(s string, i int, r rune, n int) int {
	node := t.rootChild(r)
	if node < 0 {
		return 0
	}
	best := 0
	if t.nodes[node].word {
		best = n
	}
	for j := i + n; j < len(s); {
		r, size := decodeRune(s, j)
		if node = t.nodes[node].child(r); node < 0 {
			break
		}
		j += size
		if t.nodes[node].word {
			best = j - i
		}
	}
	return best
}

// longestBefore returns the byte length of the longest word ending at
// s[i] and starting at lo or after, 0 when none does. The trie must have
// been built by newReverseTrie.
func (t *runeTrie) longestBefore(s string, lo, i int) int {
	if i <= lo {
		return 0
	}
	r, size := decodeLastRune(s, lo, i)
	node := t.rootChild(r)
	if node < 0 {
		return 0
	}
	best := 0
	j := i - size
	if t.nodes[node].word {
		best = size
	}
	for j > lo {
		r, size := decodeLastRune(s, lo, j)
		if node = t.nodes[node].child(r); node < 0 {
			break
		}
		j -= size
		if t.nodes[node].word {
			best = i - j
		}
	}
	return best
}

// isWord reports whether s is one of the words.
func (t *runeTrie) isWord(s string) bool { return s != "" && t.longestAt(s, 0) == len(s) }

// each calls fn with the leftmost-longest, non-overlapping occurrences of
// the words in s[lo:hi]. It is for short ranges: a paragraph is read by a
// wordScanner.
func (t *runeTrie) each(s string, lo, hi int, fn func(start, end int)) {
	s = s[:hi]
	for i := lo; i < hi; {
		r, size := decodeRune(s, i)
		if n := t.longestFrom(s, i, r, size); n > 0 {
			fn(i, i+n)
			i += n
			continue
		}
		i += size
	}
}

// The kinds of words a wordScanner finds: the slots of its tries.
const (
	wordsLabel     = iota // Vocab.OwnerLabels
	wordsDeferred         // Vocab.DeferredDeadlines
	wordsLead             // Vocab.DeferredLeads
	wordsVagueTime        // Vocab.VagueDeadlines
	wordsReference        // Vocab.ReferenceTargets
	wordsVague            // Vocab.VagueVerbs and Vocab.VagueQuantifiers
	wordKinds
)

// A class is a uint8 with a bit for marks and one per kind: this fails
// to compile when the kinds outgrow it.
const _ uint8 = 1 << wordKinds

// wordScanner finds in one pass over a paragraph what several scans
// would: the words of a few tries, for each trie the leftmost-longest
// occurrences runeTrie.each finds, and the offsets of a few marked runes.
// Decoding and one table lookup are all it does for most characters.
type wordScanner struct {
	tries [wordKinds]*runeTrie // nil for a kind not looked for
	marks runeSet
	// class has, for each BMP rune, bit 0 set for a mark and bit 1+k set
	// when a word of tries[k] begins with it; some holds the runes whose
	// class is not 0, a set small enough to stay in the fastest cache.
	class *[0x10000]uint8
	some  runeSet
}

// newWordScanner makes a scanner for marks and the tries set in tries.
func newWordScanner(marks []rune, tries [wordKinds]*runeTrie) *wordScanner {
	sc := &wordScanner{tries: tries, class: new([0x10000]uint8)}
	for _, r := range marks {
		sc.marks.add(r)
	}
	sc.some.bmp = new([0x10000 / 64]uint64) // scan reads it unchecked
	sc.some.union(&sc.marks)
	for _, t := range tries {
		if t != nil {
			sc.some.union(&t.first)
		}
	}
	sc.some.eachBMP(func(r rune) { sc.class[r] = sc.classOf(r) })
	return sc
}

// union adds the runes of o to s.
func (s *runeSet) union(o *runeSet) {
	if o.bmp != nil {
		if s.bmp == nil {
			s.bmp = new([0x10000 / 64]uint64)
		}
		for i, w := range o.bmp {
			s.bmp[i] |= w
		}
	}
	for _, r := range o.astral {
		s.add(r)
	}
}

// eachBMP calls fn with the BMP runes of s in order.
func (s *runeSet) eachBMP(fn func(r rune)) {
	if s.bmp == nil {
		return
	}
	for w, word := range s.bmp {
		for ; word != 0; word &= word - 1 {
			fn(rune(w*64 + bits.TrailingZeros64(word)))
		}
	}
}

// classOf computes class for any rune.
func (sc *wordScanner) classOf(r rune) uint8 {
	var c uint8
	if sc.marks.has(r) {
		c = 1
	}
	for k, t := range sc.tries {
		if t != nil && t.first.has(r) {
			c |= 2 << k
		}
	}
	return c
}

// mark is a marked rune found by a wordScanner.
type mark struct {
	at int
	r  rune
}

// scanned is what a wordScanner found in a paragraph: words[k] for
// tries[k] as [start, end) pairs, and the marks, all in text order. Get
// one with newScanned and release it when done: its slices are reused.
type scanned struct {
	words [wordKinds][][2]int
	marks []mark
	// anchors is room for Deadlines to keep the marks of its anchors.
	anchors []mark
	// titleSpans holds the titles of the paragraph once titles has found
	// them (titlesFound), for Deadlines and Targets.
	titleSpans  [][2]int
	titlesFound bool
	// spans holds the paragraphs of the range being read.
	spans [][2]int
	// cands is room for the candidates of the range, which the methods
	// of Extractor copy out of it when done.
	cands Facts
}

// room returns cands emptied, for a range's candidates.
func (res *scanned) room() Facts {
	f := res.cands
	return Facts{f.Owners[:0], f.Deadlines[:0], f.Targets[:0], f.Vague[:0], f.Terms[:0]}
}

// paragraphs returns paragraphSpans(text, start, end), in room of res.
func (res *scanned) paragraphs(text string, start, end int) [][2]int {
	res.spans = appendParagraphSpans(res.spans[:0], text, start, end)
	return res.spans
}

// titles returns the ranges of the 《…》 titles among the marks.
func (res *scanned) titles() [][2]int {
	if !res.titlesFound {
		res.titleSpans, res.titlesFound = titleSpans(res.titleSpans[:0], res.marks), true
	}
	return res.titleSpans
}

var scannedPool = sync.Pool{New: func() any { return new(scanned) }}

func newScanned() *scanned { return scannedPool.Get().(*scanned) }

func (res *scanned) release() { scannedPool.Put(res) }

// scan fills res with what text[lo:hi] holds.
func (sc *wordScanner) scan(text string, lo, hi int, res *scanned) {
	text = text[:hi]
	res.marks = res.marks[:0]
	res.titlesFound = false
	for k := range res.words {
		res.words[k] = res.words[k][:0]
	}
	var next [wordKinds]int // where each trie's leftmost-longest scan stands
	bmp := sc.some.bmp
	for i := lo; i < hi; {
		// decodeRune, inlined by hand: this loop reads every character.
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			if i+2 < hi && r&0xF0 == 0xE0 && validThreeBytes(byte(r), text[i+1], text[i+2]) {
				r, n = (r&0x0F)<<12|rune(text[i+1]&0x3F)<<6|rune(text[i+2]&0x3F), 3
			} else {
				r, n = utf8.DecodeRuneInString(text[i:])
			}
		}
		// sc.some.has(r), inlined by hand.
		if uint32(r) <= 0xFFFF {
			if bmp[r>>6]&(1<<(r&63)) == 0 {
				i += n
				continue
			}
		} else if !sc.some.has(r) {
			i += n
			continue
		}
		var c uint8
		if uint32(r) <= 0xFFFF {
			c = sc.class[uint16(r)]
		} else {
			c = sc.classOf(r)
		}
		if c != 0 {
			if c&1 != 0 {
				res.marks = append(res.marks, mark{i, r})
			}
			for k := 0; c > 1; k++ {
				if c >>= 1; c&1 == 0 || i < next[k] {
					continue
				}
				if w := sc.tries[k].longestFrom(text, i, r, n); w > 0 {
					res.words[k] = append(res.words[k], [2]int{i, i + w})
					next[k] = i + w
				}
			}
		}
		i += n
	}
}
