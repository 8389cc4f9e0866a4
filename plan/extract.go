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
	// Every method reads a paragraph once, with a wordScanner, for the
	// words of its lists and the runes that start what it looks for; All
	// reads it once for all of them.
	ownerWords, deadlineWords, targetWords, vagueWords, termWords, allWords *wordScanner
	// junk matches page furniture (Vocab.JunkLines) for the parser.
	junk *regexp.Regexp

	// Owners.
	labels     *runeTrie
	ownerVerbs []string // longest first, for suffix tests
	verbSet    *runeTrie
	nameBreaks *runeTrie // words that end an owner name inside a sentence
	suffixes   []string  // owner name suffixes, longest first
	collective *runeTrie
	leads      []string
	assists    []string

	// Deadlines; anchorWords are dateForms' anchors.
	anchorWords       *runeTrie
	deferredAuthority *runeTrie
	deferredTerms     *runeTrie

	// Targets.
	comparators *runeTrie // reversed: read backwards from a value
	farCmp      *runeTrie // comparators that may stand before the indicator

	// Terms.
	plainTerm map[string]bool
}

// The runes each method needs the offsets of (besides the words of its
// lists): structural grammar, not vocabulary.
const (
	ownerMarks    = "（(请由"                                   // annotations, 请A…, 由A牵头
	deadlineMarks = "《》"                                     // titles; the date forms' anchors are added
	targetMarks   = "0123456789０１２３４５６７８９，。；：！？、,;:!?\n\r《》" // values, clauses, titles
	termMarks     = "“《\""                                   // opening quotes
)

// NewExtractor compiles the patterns of v. A nil Vocab gives an extractor
// that only knows grammar (dates, numbers with units, quotes).
func NewExtractor(v *Vocab) *Extractor {
	if v == nil {
		v = &Vocab{}
	}
	x := &Extractor{
		junk:              wordsRegexp(v.JunkLines),
		labels:            newRuneTrie(v.OwnerLabels),
		ownerVerbs:        longestFirst(v.OwnerVerbs),
		verbSet:           newRuneTrie(v.OwnerVerbs),
		nameBreaks:        newRuneTrie(append(slices.Clone(v.OwnerVerbs), nameBreakWords...)),
		suffixes:          longestFirst(v.OwnerSuffixes),
		collective:        newRuneTrie(v.CollectiveOwners),
		leads:             longestFirst(v.LeadLabels),
		assists:           longestFirst(v.AssistLabels),
		deferredAuthority: newRuneTrie(v.DeferredAuthorities),
		deferredTerms:     newRuneTrie(v.DeferredTerms),
		comparators:       newReverseTrie(v.TargetComparators),
		farCmp:            newRuneTrie(multiRune(v.TargetComparators)),
		plainTerm:         map[string]bool{},
	}
	for _, w := range v.PlainTerms {
		x.plainTerm[strings.TrimSpace(w)] = true
	}
	var tries [wordKinds]*runeTrie
	tries[wordsLabel] = x.labels
	tries[wordsDeferred] = newRuneTrie(v.DeferredDeadlines)
	tries[wordsLead] = newRuneTrie(v.DeferredLeads)
	tries[wordsVagueTime] = newRuneTrie(v.VagueDeadlines)
	tries[wordsReference] = newRuneTrie(v.ReferenceTargets)
	tries[wordsVague] = newRuneTrie(append(slices.Clone(v.VagueVerbs), v.VagueQuantifiers...))
	only := func(kinds ...int) [wordKinds]*runeTrie {
		var some [wordKinds]*runeTrie
		for _, k := range kinds {
			some[k] = tries[k]
		}
		return some
	}
	dateMarks := []rune(deadlineMarks)
	var anchors []string
	for _, f := range dateForms() {
		for _, a := range f.re.anchors {
			r, _ := utf8.DecodeRuneInString(a)
			dateMarks = append(dateMarks, r)
			anchors = append(anchors, a)
		}
	}
	x.anchorWords = newRuneTrie(anchors)
	x.ownerWords = newWordScanner([]rune(ownerMarks), only(wordsLabel))
	x.deadlineWords = newWordScanner(dateMarks, only(wordsDeferred, wordsLead, wordsVagueTime))
	x.targetWords = newWordScanner([]rune(targetMarks), only(wordsReference))
	x.vagueWords = newWordScanner(nil, only(wordsVague))
	x.termWords = newWordScanner([]rune(termMarks), only())
	x.allWords = newWordScanner(append([]rune(ownerMarks+targetMarks+termMarks), dateMarks...), tries)
	return x
}

// Facts are what the methods of an Extractor find in one range.
type Facts struct {
	Owners    []Owner
	Deadlines []Deadline
	Targets   []Target
	Vague     []Match
	Terms     []Term
}

// All returns what Owners, Deadlines, Targets, Vague and Terms return for
// [start, end) of src, reading the text once instead of five times.
func (x *Extractor) All(src *Source, start, end int, year int) Facts {
	return x.facts(src, start, end, year, factAll)
}

// The kinds of facts, for facts to choose from.
const (
	factOwners = 1 << iota
	factDeadlines
	factTargets
	factVague
	factTerms
	factAll = factOwners | factDeadlines | factTargets | factVague | factTerms
)

// facts is All for the kinds of facts in want; the others are left nil.
func (x *Extractor) facts(src *Source, start, end int, year int, want int) Facts {
	found := newScanned()
	defer found.release()
	f := found.room()
	for _, seg := range found.paragraphs(src.Text, start, end) {
		x.allWords.scan(src.Text, seg[0], seg[1], found)
		if want&factOwners != 0 {
			f.Owners = x.ownersIn(src, seg[0], seg[1], found, f.Owners)
		}
		if want&factDeadlines != 0 {
			f.Deadlines = x.deadlinesIn(src, seg[0], seg[1], year, found, f.Deadlines)
		}
		if want&factTargets != 0 {
			f.Targets = x.targetsIn(src, seg[0], seg[1], found, f.Targets)
		}
		if want&factVague != 0 {
			f.Vague = x.vagueIn(src, found, f.Vague)
		}
		if want&factTerms != 0 {
			f.Terms = x.termsIn(src, seg[0], seg[1], found, f.Terms)
		}
	}
	found.cands = f
	return Facts{
		Owners:    pickLongest(f.Owners),
		Deadlines: pickLongest(f.Deadlines),
		Targets:   pickLongest(f.Targets),
		Vague:     exactCopy(f.Vague),
		Terms:     exactCopy(f.Terms),
	}
}

// exactCopy returns s in a slice of its own length, nil when empty: the
// candidates of a range are collected in room that is used again.
func exactCopy[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
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

// paragraphSpans splits [start, end) of text at blank lines (lines of
// nothing but white space), so that no match runs from one paragraph into
// the next. A line ends at LF, CR LF or a lone CR, as in Source. A range
// that cuts a character is shrunk to the whole characters inside it.
func paragraphSpans(text string, start, end int) [][2]int {
	return appendParagraphSpans(nil, text, start, end)
}

// appendParagraphSpans is paragraphSpans appending to spans.
func appendParagraphSpans(spans [][2]int, text string, start, end int) [][2]int {
	start, end = max(start, 0), min(end, len(text))
	for start < end && !utf8.RuneStart(text[start]) {
		start++
	}
	for end > start && end < len(text) && !utf8.RuneStart(text[end]) {
		end--
	}
	if start >= end {
		return spans
	}
	segStart := start
	cr := strings.IndexByte(text[start:end], '\r') // the next CR, searched for again once passed
	if cr >= 0 {
		cr += start
	}
	for i := start; i < end; {
		j := end // the line is text[i:j], its terminator text[j:next]
		if lf := strings.IndexByte(text[i:end], '\n'); lf >= 0 {
			j = i + lf
		}
		if cr >= 0 && cr < i {
			if cr = strings.IndexByte(text[i:end], '\r'); cr >= 0 {
				cr += i
			}
		}
		if cr >= 0 && cr < j {
			j = cr
		}
		next := j
		if next < end && text[next] == '\r' {
			next++
		}
		if next < end && text[next] == '\n' {
			next++
		}
		if blank(text[i:j]) {
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

// blank reports whether s is nothing but white space.
func blank(s string) bool {
	for _, r := range s {
		if !isWhiteSpace(r) {
			return false
		}
	}
	return true
}

// isClauseSep reports the runes that end the clauses no date or number
// match runs across: ，。；：！？、 and their ASCII forms, and line ends.
func isClauseSep(r rune) bool {
	switch r {
	case '，', '。', '；', '：', '！', '？', '、', ',', ';', ':', '!', '?', '\n', '\r':
		return true
	}
	return false
}

// titleSpans appends to spans the ranges of 《…》 titles (outermost)
// given the marks found in a paragraph (which must include 《 and 》):
// years and percentages inside a title are part of a name.
func titleSpans(spans [][2]int, marks []mark) [][2]int {
	depth, open := 0, 0
	for _, m := range marks {
		switch m.r {
		case '《':
			if depth == 0 {
				open = m.at
			}
			depth++
		case '》':
			if depth > 0 {
				if depth--; depth == 0 {
					spans = append(spans, [2]int{open, m.at + len("》")})
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
// sorted by offset in a slice of their own (nil when there are none):
// cands is room the caller uses again. It sorts keys, not the candidates,
// which are large.
func pickLongest[T offsetter](cands []T) []T {
	if disjointInOrder(cands) {
		// Nothing to drop or reorder, as is usual: the extractors find
		// candidates in text order and rarely two at one place.
		return exactCopy(cands)
	}
	keys := make([]spanKey, len(cands))
	for i, c := range cands {
		s, e := c.Offsets()
		keys[i] = spanKey{s: s, e: e, i: i}
	}
	slices.SortFunc(keys, func(a, b spanKey) int {
		return cmp.Or(cmp.Compare(a.s, b.s), cmp.Compare(b.e, a.e), cmp.Compare(a.i, b.i))
	})
	var kept []spanKey
	for i := 0; i < len(keys); {
		// A cluster is a run of candidates each overlapping the run so far.
		clusterEnd := keys[i].e
		j := i + 1
		for ; j < len(keys) && keys[j].s < clusterEnd; j++ {
			clusterEnd = max(clusterEnd, keys[j].e)
		}
		kept = longestDisjoint(kept, keys[i:j])
		i = j
	}
	// Order by offset; ties (empty spans) keep the order they were kept in.
	for k := range kept {
		kept[k].order = k
	}
	slices.SortFunc(kept, func(a, b spanKey) int {
		return cmp.Or(cmp.Compare(a.s, b.s), cmp.Compare(a.e, b.e), cmp.Compare(a.order, b.order))
	})
	out := make([]T, len(kept))
	for k, key := range kept {
		out[k] = cands[key.i]
	}
	return out
}

// disjointInOrder reports whether cands are non-empty spans, each
// starting at or after the end of the one before: pickLongest keeps them
// all, in this order.
func disjointInOrder[T offsetter](cands []T) bool {
	prevEnd := -1
	for _, c := range cands {
		s, e := c.Offsets()
		if s >= e || s < prevEnd {
			return false
		}
		prevEnd = e
	}
	return true
}

// spanKey is a candidate's span, its index among the candidates, and its
// place among the kept.
type spanKey struct{ s, e, i, order int }

// longestDisjoint appends to kept the candidates chosen from one cluster,
// greedily, longest first (earliest first on ties).
func longestDisjoint(kept, cl []spanKey) []spanKey {
	if len(cl) == 1 {
		return append(kept, cl[0])
	}
	order := slices.Clone(cl)
	slices.SortStableFunc(order, func(a, b spanKey) int {
		return cmp.Or(cmp.Compare(b.e-b.s, a.e-a.s), cmp.Compare(a.s, b.s))
	})
	from := len(kept)
	for _, c := range order {
		free := true
		for _, k := range kept[from:] {
			if c.s < k.e && k.s < c.e {
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
		r, n := decodeRune(text[:e], s)
		if !isWhiteSpace(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := decodeLastRune(text, s, e)
		if !isWhiteSpace(r) {
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
		if i >= len(text) {
			break
		}
		r, n := decodeRune(text, i)
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
		r, n := decodeLastRune(text, lo, i)
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
	r, _ := decodeLastRune(text, 0, i)
	return r
}

// runeAt returns the rune starting at text[i], or 0 at the end.
func runeAt(text string, i int) rune {
	if i >= len(text) {
		return 0
	}
	r, _ := decodeRune(text, i)
	return r
}

// isDigitRune accepts ASCII and full-width digits.
func isDigitRune(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// isWhiteSpace is unicode.IsSpace with its test beyond Latin-1 written
// out: the general table lookup is slow, and Chinese text asks it of
// nearly every character.
func isWhiteSpace(r rune) bool {
	if r <= 0xFF {
		return unicode.IsSpace(r)
	}
	switch r {
	case 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// isHan reports a Chinese character; the common ideographs, all Han, are
// tested first, and nothing below U+2E80 is Han.
func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x2E80 && unicode.Is(unicode.Han, r)
}

// Vague returns every occurrence of Vocab.VagueVerbs and
// Vocab.VagueQuantifiers in [start, end), leftmost-longest, found by one
// rune trie built from both lists.
func (x *Extractor) Vague(src *Source, start, end int) []Match {
	found := newScanned()
	defer found.release()
	out := found.room().Vague
	for _, seg := range found.paragraphs(src.Text, start, end) {
		x.vagueWords.scan(src.Text, seg[0], seg[1], found)
		out = x.vagueIn(src, found, out)
	}
	found.cands.Vague = out
	return exactCopy(out)
}

// vagueIn appends to out the vague words a scan of a paragraph found.
func (x *Extractor) vagueIn(src *Source, found *scanned, out []Match) []Match {
	for _, w := range found.words[wordsVague] {
		out = append(out, NewMatch(src, w[0], w[1]))
	}
	return out
}
