package rules

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxRequired bounds the runes of a prefilter: a larger class (\p{Han},
// [^。]) says nothing useful about where a match can be.
const maxRequired = 32

// maxWindow bounds the width, in characters, of the patterns searched in
// windows (see regexpPlan).
const maxWindow = 64

// regexpPlan is what is known of a rule's regexp before matching, to
// spare Go's regexp engine, which tries every position of a text, most of
// the work.
type regexpPlan struct {
	// required holds runes one of which every match contains (empty when
	// there is no such small set): texts with none of them cannot match,
	// and most Chinese sentences contain no ASCII comma.
	required runeSet
	// width is the most characters a match can span when that is bounded
	// (≤ maxWindow) and the pattern has no assertions (^ $ \b), else 0.
	// Such a pattern with a required set is searched only in the windows
	// of width characters around each required rune (findWindows).
	width int
}

func newRegexpPlan(pattern string) *regexpPlan {
	tree, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return &regexpPlan{}
	}
	tree = tree.Simplify()
	pl := &regexpPlan{}
	if set, ok := requiredOf(tree); ok {
		pl.required = newRuneSet(set)
		if w, ok := maxWidth(tree); ok && w <= maxWindow {
			pl.width = w
		}
	}
	return pl
}

// runeSet finds the first of a few runes in a text. strings.IndexAny is
// fast for ASCII sets only; for others it decodes every character of the
// text, so each non-ASCII rune is searched for by its encoding instead.
type runeSet struct {
	ascii  string   // the ASCII members
	others []string // the other members, encoded
}

func newRuneSet(runes string) runeSet {
	var s runeSet
	for _, r := range runes {
		switch {
		case r < utf8.RuneSelf:
			if !strings.ContainsRune(s.ascii, r) {
				s.ascii += string(r)
			}
		case !slices.Contains(s.others, string(r)):
			s.others = append(s.others, string(r))
		}
	}
	return s
}

func (s *runeSet) empty() bool { return s.ascii == "" && len(s.others) == 0 }

// index returns the byte offset of the first member in text, or -1.
func (s *runeSet) index(text string) int {
	first := -1
	if s.ascii != "" {
		first = strings.IndexAny(text, s.ascii)
	}
	for _, o := range s.others {
		within := text
		if first >= 0 {
			within = text[:first]
		}
		if i := strings.Index(within, o); i >= 0 {
			first = i
		}
	}
	return first
}

// maxWidth is the most characters a match of re can span, when that is
// bounded and re has no empty-width assertion.
func maxWidth(re *syntax.Regexp) (int, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return 0, true
	case syntax.OpLiteral:
		return len(re.Rune), true
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1, true
	case syntax.OpCapture, syntax.OpQuest:
		return maxWidth(re.Sub[0])
	case syntax.OpRepeat:
		w, ok := maxWidth(re.Sub[0])
		if !ok || re.Max < 0 || re.Max > maxWindow {
			return 0, false
		}
		return w * re.Max, true
	case syntax.OpConcat, syntax.OpAlternate:
		total := 0
		for _, sub := range re.Sub {
			w, ok := maxWidth(sub)
			if !ok {
				return 0, false
			}
			if re.Op == syntax.OpConcat {
				total += w
			} else {
				total = max(total, w)
			}
		}
		return total, true
	}
	// Star, plus and the assertions.
	return 0, false
}

// findWindows is FindAllStringSubmatchIndex for a pattern with a required
// set and a bounded width w, calling fn with each match. A match holding
// the first required rune at or after pos starts at most w−1 characters
// before it and ends at most w characters from it, so the leftmost match
// from pos, if it starts no later than that rune, lies in that window; if
// none does, the search goes on after the rune. Without assertions, a
// match in a window is a match in the text.
func findWindows(re *regexp.Regexp, text string, required *runeSet, w int, fn func(loc []int) error) error {
	for pos := 0; pos < len(text); {
		i := required.index(text[pos:])
		if i < 0 {
			return nil
		}
		p := pos + i
		ws := p
		for k := 1; k < w && ws > pos; k++ {
			_, n := utf8.DecodeLastRuneInString(text[pos:ws])
			ws -= n
		}
		we := p
		for k := 0; k < w && we < len(text); k++ {
			_, n := utf8.DecodeRuneInString(text[we:])
			we += n
		}
		if loc := re.FindStringSubmatchIndex(text[ws:we]); loc != nil && ws+loc[0] <= p {
			for k := range loc {
				if loc[k] >= 0 {
					loc[k] += ws
				}
			}
			if err := fn(loc); err != nil {
				return err
			}
			pos = loc[1]
			continue
		}
		_, n := utf8.DecodeRuneInString(text[p:])
		pos = p + n
	}
	return nil
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
