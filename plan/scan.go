package plan

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// Go's regexps have no literal prefix to skip to when a pattern starts
// with a character class, so searching a whole paragraph for a date or a
// number tries the pattern at every character. The helpers here run a
// pattern only where it can match, over a window just large enough that
// the matches found are exactly those FindAllStringSubmatchIndex would
// find: the patterns have no assertions (^, $, \b), so a match depends
// only on the text it covers.

// anchoredRegexp finds the matches of a pattern every match of which
// contains one of a few literal anchors (月 for 6月底前): the pattern runs
// only around each anchor, over the run of characters a match can hold.
type anchoredRegexp struct {
	re      *regexp.Regexp
	anchors []string
	// shortest is the byte length of the shortest anchor; minLen and
	// maxLen bound the byte length of a match (maxLen -1: unbounded).
	shortest, minLen, maxLen int
	// alphabet holds every rune a match can contain; nil when unknown.
	alphabet *runeSet
	// anchorEnds says that a match holds one anchor, at its end (以内 of
	// 30日以内): the window then ends at the anchor.
	anchorEnds bool
}

func newAnchoredRegexp(pattern string, anchorEnds bool, anchors ...string) *anchoredRegexp {
	a := &anchoredRegexp{re: regexp.MustCompile(pattern), anchors: anchors, anchorEnds: anchorEnds}
	a.minLen, a.maxLen, a.alphabet = patternBounds(pattern)
	a.shortest = len(anchors[0])
	for _, w := range anchors {
		a.shortest = min(a.shortest, len(w))
	}
	return a
}

// each calls fn with the matches in text[lo:hi], in order, as
// FindAllStringSubmatchIndex(text[lo:hi]) would return them but with
// offsets into text. marks holds, in order, every place in the range
// where the first rune of an anchor stands (and possibly others).
//
// From pos, let l be the first anchor. No match starts before the run of
// alphabet characters around l, nor more than maxLen-shortest bytes
// before it (a match holds an anchor), and a match starting at or before
// l ends within that run and within maxLen bytes of l. So the leftmost
// match starting at or before l, if any, is the leftmost match of the
// window those bounds leave; one after l may have been cut by the window
// and is left to the next anchor.
func (a *anchoredRegexp) each(text string, lo, hi int, marks []mark, fn func(loc []int)) {
	text = text[:hi]
	c := 0
	for pos := lo; pos < hi; {
		l, alen := -1, 0
		for ; c < len(marks) && l < 0; c++ {
			if marks[c].at < pos {
				continue
			}
			for _, w := range a.anchors {
				if strings.HasPrefix(text[marks[c].at:], w) {
					l, alen = marks[c].at, len(w)
					break
				}
			}
		}
		if l < 0 {
			return
		}
		ws, we := pos, hi
		if a.maxLen >= 0 {
			ws, we = max(pos, l+a.shortest-a.maxLen), min(hi, l+a.maxLen)
		}
		if a.anchorEnds {
			we = l + alen
		}
		if a.alphabet != nil {
			ws, we = a.alphabet.runBefore(text, ws, l), a.alphabet.runAfter(text, l+alen, we)
		}
		for !utf8.RuneStart(text[ws]) {
			ws++
		}
		var loc []int
		if we-ws >= a.minLen {
			loc = a.re.FindStringSubmatchIndex(text[ws:we])
		}
		if loc == nil || ws+loc[0] > l {
			_, n := utf8.DecodeRuneInString(text[l:])
			pos = l + n
			continue
		}
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += ws
			}
		}
		fn(loc)
		// The match holds the anchor at l, so pos moves past l; were a
		// form's anchors declared wrong, max keeps the loop going.
		pos = max(loc[1], l+alen)
	}
}

// runBefore returns the start of the run of runes of s ending at text[i],
// not before lo.
func (s *runeSet) runBefore(text string, lo, i int) int {
	for i > lo {
		r, n := decodeLastRune(text, lo, i)
		if !s.has(r) {
			break
		}
		i -= n
	}
	return i
}

// runAfter returns the end of the run of runes of s starting at text[i],
// not after hi.
func (s *runeSet) runAfter(text string, i, hi int) int {
	for i < hi {
		r, n := decodeRune(text[:hi], i)
		if !s.has(r) {
			break
		}
		i += n
	}
	return i
}

// patternBounds returns the shortest and longest byte length of a match
// of pattern (longest -1 when unbounded) and the set of runes a match can
// hold (nil when a class is too large to list).
func patternBounds(pattern string) (minLen, maxLen int, alphabet *runeSet) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		panic(err) // the caller compiled pattern already
	}
	re = re.Simplify()
	minLen, maxLen = matchLen(re)
	alphabet = &runeSet{}
	if !addAlphabet(alphabet, re) {
		alphabet = nil
	}
	return minLen, maxLen, alphabet
}

// matchLen returns the bounds of the byte length of a match of re; hi
// is -1 when unbounded.
func matchLen(re *syntax.Regexp) (lo, hi int) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			lo += runeBytes(r)
		}
		return lo, lo
	case syntax.OpCharClass:
		lo = utf8.UTFMax
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi = min(lo, runeBytes(re.Rune[i])), max(hi, runeBytes(re.Rune[i+1]))
		}
		return lo, hi
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1, utf8.UTFMax
	case syntax.OpCapture:
		return matchLen(re.Sub[0])
	case syntax.OpQuest:
		_, hi = matchLen(re.Sub[0])
		return 0, hi
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		lo, hi = matchLen(re.Sub[0])
		switch {
		case re.Op == syntax.OpStar:
			lo = 0
		case re.Op == syntax.OpRepeat:
			lo *= re.Min
		}
		switch {
		case hi == 0:
		case re.Op == syntax.OpRepeat && re.Max >= 0 && hi > 0:
			hi *= re.Max
		default:
			hi = -1
		}
		return lo, hi
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			l, h := matchLen(sub)
			lo += l
			if hi >= 0 {
				hi += h
			}
			if h < 0 {
				hi = -1
			}
		}
		return lo, hi
	case syntax.OpAlternate:
		for k, sub := range re.Sub {
			l, h := matchLen(sub)
			if k == 0 || l < lo {
				lo = l
			}
			if hi >= 0 {
				hi = max(hi, h)
			}
			if h < 0 {
				hi = -1
			}
		}
		return lo, hi
	}
	return 0, 0 // empty matches and assertions
}

// runeBytes is the UTF-8 length of r, counting invalid runes as the
// three bytes of U+FFFD.
func runeBytes(r rune) int {
	if n := utf8.RuneLen(r); n > 0 {
		return n
	}
	return 3
}

// addAlphabet adds to set every rune a match of re can hold, and returns
// false when a class is too large to list.
func addAlphabet(set *runeSet, re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return false
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return false
		}
		for _, r := range re.Rune {
			set.add(r)
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > 0x1000 {
				return false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				set.add(r)
			}
		}
	}
	for _, sub := range re.Sub {
		if !addAlphabet(set, sub) {
			return false
		}
	}
	return true
}
