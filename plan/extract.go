package plan

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Extractor finds the facts a reviewer looks for in a piece of a plan:
// owners, deadlines, quantitative targets, vague wording and quoted terms.
//
// Its patterns are compiled once from a Vocab by NewExtractor; the word
// lists come from the Vocab, and only grammar (digits, numerals,
// punctuation, units of measure, a few function words) is written in Go.
// An Extractor is never modified after NewExtractor returns, so it is safe
// for concurrent use.
//
// Every method takes a byte range [start, end) of src.Text and returns
// values whose Match was built with NewMatch from the offsets where the
// value was found, sorted by offset, without overlaps within one kind (the
// longest candidate wins). Matches never run across a blank line. The text
// is matched as written: full-width and half-width digits, ％/%, （/(, ：/:
// and ．/. are all accepted, and only captured values are normalised.
type Extractor struct {
	// Owners.
	labels     *runeTrie
	ownerVerbs []string // longest first, for suffix tests
	verbSet    *runeTrie
	nameBreaks *runeTrie // words that end an owner name inside a sentence
	suffixes   []string  // owner name suffixes, longest first
	collective *runeTrie
	leads      []string
	assists    []string

	// Deadlines.
	dateForms         []dateForm
	deferredWords     *runeTrie // DeferredDeadlines as written
	deferredLeads     *runeTrie
	deferredAuthority *runeTrie
	deferredTerms     *runeTrie
	vagueTime         *runeTrie

	// Targets.
	comparators *runeTrie // reversed: read backwards from a value
	farCmp      *runeTrie // comparators that may stand before the indicator
	references  *runeTrie
	plainTerm   map[string]bool

	// Vague verbs and quantifiers, one matcher for both lists.
	vague *runeTrie
}

// NewExtractor compiles the patterns of v. A nil Vocab gives an extractor
// that only knows grammar (dates, numbers with units, quotes).
func NewExtractor(v *Vocab) *Extractor {
	if v == nil {
		v = &Vocab{}
	}
	x := &Extractor{
		labels:            newRuneTrie(v.OwnerLabels),
		ownerVerbs:        longestFirst(v.OwnerVerbs),
		verbSet:           newRuneTrie(v.OwnerVerbs),
		nameBreaks:        newRuneTrie(append(slices.Clone(v.OwnerVerbs), nameBreakWords...)),
		suffixes:          longestFirst(v.OwnerSuffixes),
		collective:        newRuneTrie(v.CollectiveOwners),
		leads:             longestFirst(v.LeadLabels),
		assists:           longestFirst(v.AssistLabels),
		dateForms:         newDateForms(),
		deferredWords:     newRuneTrie(v.DeferredDeadlines),
		deferredLeads:     newRuneTrie(v.DeferredLeads),
		deferredAuthority: newRuneTrie(v.DeferredAuthorities),
		deferredTerms:     newRuneTrie(v.DeferredTerms),
		vagueTime:         newRuneTrie(v.VagueDeadlines),
		comparators:       newReverseTrie(v.TargetComparators),
		farCmp:            newRuneTrie(multiRune(v.TargetComparators)),
		references:        newRuneTrie(v.ReferenceTargets),
		plainTerm:         map[string]bool{},
		vague:             newRuneTrie(append(slices.Clone(v.VagueVerbs), v.VagueQuantifiers...)),
	}
	for _, w := range v.PlainTerms {
		x.plainTerm[strings.TrimSpace(w)] = true
	}
	return x
}

// reSpace is the padding real plans put between a number and its unit:
// ASCII space, U+3000 and U+00A0, at most two (skipPad outside regexps).
const reSpace = `[ \x{3000}\x{00A0}]{0,2}`

// longestFirst returns the non-empty words of ws, trimmed and without
// duplicates, longest first and then lexically: the order regexp
// alternations need so that the leftmost-first engine prefers the longest
// word, and one that does not depend on the order of the configuration.
func longestFirst(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Or(-cmp.Compare(utf8.RuneCountInString(a), utf8.RuneCountInString(b)), strings.Compare(a, b))
	})
	return slices.Compact(out)
}

// alternation is a non-capturing regexp group matching any of ws, longest
// first, so that the leftmost-first engine prefers the longest.
func alternation(ws []string) string {
	ws = longestFirst(ws)
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = regexp.QuoteMeta(w)
	}
	return `(?:` + strings.Join(q, `|`) + `)`
}

// multiRune keeps the words of two characters or more.
func multiRune(ws []string) []string {
	var out []string
	for _, w := range ws {
		if utf8.RuneCountInString(strings.TrimSpace(w)) >= 2 {
			out = append(out, w)
		}
	}
	return out
}

// runeTrie finds the words of a list in a text, leftmost-longest, by
// walking a trie over runes from every character: O(text × longest word),
// with no backtracking and no dependence on the order of the list.
type runeTrie struct {
	next map[rune]*runeTrie
	word bool
}

func newRuneTrie(words []string) *runeTrie { return buildTrie(words, false) }

// newReverseTrie stores the words backwards, for longestBefore.
func newReverseTrie(words []string) *runeTrie { return buildTrie(words, true) }

func buildTrie(words []string, reverse bool) *runeTrie {
	root := &runeTrie{}
	for _, w := range longestFirst(words) {
		rs := []rune(w)
		if reverse {
			slices.Reverse(rs)
		}
		n := root
		for _, r := range rs {
			if n.next == nil {
				n.next = map[rune]*runeTrie{}
			}
			c := n.next[r]
			if c == nil {
				c = &runeTrie{}
				n.next[r] = c
			}
			n = c
		}
		n.word = true
	}
	return root
}

// longestAt returns the byte length of the longest word starting at s[i:],
// 0 when none does.
func (t *runeTrie) longestAt(s string, i int) int {
	best := 0
	n := t
	for j := i; j < len(s); {
		r, size := utf8.DecodeRuneInString(s[j:])
		if n = n.next[r]; n == nil {
			break
		}
		j += size
		if n.word {
			best = j - i
		}
	}
	return best
}

// longestBefore returns the byte length of the longest word ending at
// s[i] and starting at lo or after, 0 when none does. The trie must have
// been built by newReverseTrie.
func (t *runeTrie) longestBefore(s string, lo, i int) int {
	best := 0
	n := t
	for j := i; j > lo; {
		r, size := utf8.DecodeLastRuneInString(s[lo:j])
		if n = n.next[r]; n == nil {
			break
		}
		j -= size
		if n.word {
			best = i - j
		}
	}
	return best
}

// isWord reports whether s is one of the words.
func (t *runeTrie) isWord(s string) bool { return s != "" && t.longestAt(s, 0) == len(s) }

// each calls fn with the leftmost-longest, non-overlapping occurrences of
// the words in s[lo:hi].
func (t *runeTrie) each(s string, lo, hi int, fn func(start, end int)) {
	s = s[:hi]
	for i := lo; i < hi; {
		if n := t.longestAt(s, i); n > 0 {
			fn(i, i+n)
			i += n
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
}

// paragraphSpans splits [start, end) of text at blank lines (lines of
// nothing but white space), so that no match runs from one paragraph into
// the next. A line ends at LF, CR LF or a lone CR, as in Source. A range
// that cuts a character is shrunk to the whole characters inside it.
func paragraphSpans(text string, start, end int) [][2]int {
	start, end = max(start, 0), min(end, len(text))
	for start < end && !utf8.RuneStart(text[start]) {
		start++
	}
	for end > start && end < len(text) && !utf8.RuneStart(text[end]) {
		end--
	}
	var spans [][2]int
	segStart := start
	for i := start; i < end; {
		j := i // the line is text[i:j], its terminator text[j:next]
		for j < end && text[j] != '\n' && text[j] != '\r' {
			j++
		}
		next := j
		if next < end && text[next] == '\r' {
			next++
		}
		if next < end && text[next] == '\n' {
			next++
		}
		if strings.TrimFunc(text[i:j], unicode.IsSpace) == "" {
			if i > segStart {
				spans = append(spans, [2]int{segStart, i})
			}
			segStart = next
		}
		i = next
		if next == j { // the range ended inside the line
			break
		}
	}
	if segStart < end {
		spans = append(spans, [2]int{segStart, end})
	}
	return spans
}

// clauseSeparators end the clauses no date or number match runs across.
const clauseSeparators = "，。；：！？、,;:!?\n\r"

// clauses calls fn with each clause of text[lo:hi] that contains one of
// the runes of trigger (a clause without 年, 月… holds no date): the
// regexps then run over a fraction of the text.
func clauses(text string, lo, hi int, trigger func(rune) bool, fn func(cs, ce int)) {
	cs, hit := lo, false
	for i, r := range text[lo:hi] {
		if strings.ContainsRune(clauseSeparators, r) {
			if hit {
				fn(cs, lo+i)
			}
			cs, hit = lo+i+utf8.RuneLen(r), false
			continue
		}
		hit = hit || trigger(r)
	}
	if hit {
		fn(cs, hi)
	}
}

// titleSpans returns the ranges of 《…》 titles (outermost) in text[lo:hi]:
// years and percentages inside a title are part of a name.
func titleSpans(text string, lo, hi int) [][2]int {
	var spans [][2]int
	depth, open := 0, 0
	for i, r := range text[lo:hi] {
		switch r {
		case '《':
			if depth == 0 {
				open = lo + i
			}
			depth++
		case '》':
			if depth > 0 {
				if depth--; depth == 0 {
					spans = append(spans, [2]int{open, lo + i + len("》")})
				}
			}
		}
	}
	return spans
}

// within reports whether [s, e) overlaps one of spans.
func within(spans [][2]int, s, e int) bool {
	for _, sp := range spans {
		if s < sp[1] && sp[0] < e {
			return true
		}
	}
	return false
}

// offsetter is any value carrying a Match.
type offsetter interface{ Offsets() (int, int) }

// pickLongest drops overlapping candidates, keeping the longest of each
// cluster of overlaps (the earliest on ties), and returns the survivors
// sorted by offset.
func pickLongest[T offsetter](cands []T) []T {
	slices.SortStableFunc(cands, func(a, b T) int {
		as, ae := a.Offsets()
		bs, be := b.Offsets()
		return cmp.Or(cmp.Compare(as, bs), cmp.Compare(be, ae))
	})
	out := cands[:0:0]
	for i := 0; i < len(cands); {
		// A cluster is a run of candidates each overlapping the run so far.
		_, clusterEnd := cands[i].Offsets()
		j := i + 1
		for ; j < len(cands); j++ {
			s, e := cands[j].Offsets()
			if s >= clusterEnd {
				break
			}
			clusterEnd = max(clusterEnd, e)
		}
		out = append(out, longestDisjoint(cands[i:j])...)
		i = j
	}
	slices.SortStableFunc(out, func(a, b T) int {
		as, ae := a.Offsets()
		bs, be := b.Offsets()
		return cmp.Or(cmp.Compare(as, bs), cmp.Compare(ae, be))
	})
	return out
}

// longestDisjoint chooses from one cluster greedily, longest first.
func longestDisjoint[T offsetter](cl []T) []T {
	if len(cl) == 1 {
		return cl
	}
	order := slices.Clone(cl)
	slices.SortStableFunc(order, func(a, b T) int {
		as, ae := a.Offsets()
		bs, be := b.Offsets()
		return cmp.Or(cmp.Compare(be-bs, ae-as), cmp.Compare(as, bs))
	})
	var kept []T
	for _, c := range order {
		s, e := c.Offsets()
		free := true
		for _, k := range kept {
			ks, ke := k.Offsets()
			if s < ke && ks < e {
				free = false
				break
			}
		}
		if free {
			kept = append(kept, c)
		}
	}
	return kept
}

// trimSpan shrinks [s, e) of text past white space at both ends.
func trimSpan(text string, s, e int) (int, int) {
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= n
	}
	return s, e
}

// skipPad skips up to two padding characters (space, U+3000, U+00A0),
// the most real plans put between a label and its colon or a number and
// its unit.
func skipPad(text string, i int) int {
	for k := 0; k < 2; k++ {
		r, n := utf8.DecodeRuneInString(text[min(i, len(text)):])
		if r != ' ' && r != '\u3000' && r != '\u00a0' {
			break
		}
		i += n
	}
	return i
}

// skipPadBack is skipPad backwards from i, never before lo.
func skipPadBack(text string, lo, i int) int {
	for k := 0; k < 2 && i > lo; k++ {
		r, n := utf8.DecodeLastRuneInString(text[lo:i])
		if r != ' ' && r != '\u3000' && r != '\u00a0' {
			break
		}
		i -= n
	}
	return i
}

// runeBefore returns the rune ending at text[i], or 0 at the start.
func runeBefore(text string, i int) rune {
	if i <= 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

// runeAt returns the rune starting at text[i], or 0 at the end.
func runeAt(text string, i int) rune {
	if i >= len(text) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r
}

// isDigitRune accepts ASCII and full-width digits.
func isDigitRune(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// isHan reports a Chinese character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// Vague returns every occurrence of Vocab.VagueVerbs and
// Vocab.VagueQuantifiers in [start, end), leftmost-longest, found by one
// rune trie built from both lists.
func (x *Extractor) Vague(src *Source, start, end int) []Match {
	var out []Match
	for _, seg := range paragraphSpans(src.Text, start, end) {
		x.vague.each(src.Text, seg[0], seg[1], func(s, e int) {
			out = append(out, NewMatch(src, s, e))
		})
	}
	return out
}
