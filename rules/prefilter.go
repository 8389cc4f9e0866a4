package rules

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"
)

// maxRequired bounds the runes of a prefilter: a larger class (\p{Han},
// [^。]) says nothing useful about where a match can be.
const maxRequired = 32

// requiredRunes caches, per regexp, a set of runes one of which every
// match must contain ("" when there is no such small set). Texts with none
// of them skip the regexp: most Chinese sentences contain no ASCII comma,
// and Go's regexp engine is slow to find that out for itself.
var requiredRunes sync.Map // *regexp.Regexp → string

func mayMatch(re *regexp.Regexp, text string) bool {
	v, ok := requiredRunes.Load(re)
	if !ok {
		v, _ = requiredRunes.LoadOrStore(re, required(re.String()))
	}
	set := v.(string)
	return set == "" || strings.ContainsAny(text, set)
}

// required computes the prefilter set of a pattern from its syntax tree.
func required(pattern string) string {
	tree, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return ""
	}
	set, ok := requiredOf(tree.Simplify())
	if !ok {
		return ""
	}
	return set
}

// requiredOf returns a set of runes one of which any match of re must
// contain, and whether there is one (small enough to be useful).
func requiredOf(re *syntax.Regexp) (string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 || re.Flags&syntax.FoldCase != 0 {
			return "", false
		}
		return string(re.Rune[0]), true
	case syntax.OpCharClass:
		var b strings.Builder
		n := 0
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi-lo+1 > maxRequired || n+int(hi-lo+1) > maxRequired {
				return "", false
			}
			for r := lo; r <= hi; r++ {
				if !utf8.ValidRune(r) {
					return "", false
				}
				b.WriteRune(r)
				n++
			}
		}
		return b.String(), n > 0
	case syntax.OpCapture, syntax.OpPlus:
		return requiredOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min == 0 {
			return "", false
		}
		return requiredOf(re.Sub[0])
	case syntax.OpConcat:
		// Any child that must match will do: take the smallest set.
		best, found := "", false
		for _, sub := range re.Sub {
			if set, ok := requiredOf(sub); ok && (!found || utf8.RuneCountInString(set) < utf8.RuneCountInString(best)) {
				best, found = set, true
			}
		}
		return best, found
	case syntax.OpAlternate:
		// Every branch needs one of its runes: the union.
		var b strings.Builder
		for _, sub := range re.Sub {
			set, ok := requiredOf(sub)
			if !ok {
				return "", false
			}
			b.WriteString(set)
		}
		if utf8.RuneCountInString(b.String()) > maxRequired*4 {
			return "", false
		}
		return b.String(), true
	}
	return "", false
}
