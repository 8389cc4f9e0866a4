package plan

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quote kinds, the values of Term.Quote.
const (
	quoteDouble = "“”"
	quoteTitle  = "《》"
	quoteASCII  = `""`
)

// maxSloganRunes bounds a slogan: “四个着力、三个持续、两个全面、一个统筹” has 19
// characters; a longer quotation is a citation, not a slogan.
const maxSloganRunes = 24

// maxExplainGap is how many characters may stand between a term and the
// 即 or ： that explains it (“1126”工作思路为指导，即…).
const maxExplainGap = 8

// arabicSlogan is a numeric slogan written with digits: 1126, 3521, 1+X,
// 15+X, 8020计划; a year (2035年…) is not one.
var arabicSlogan = regexp.MustCompile(`^[0-9０-９]+(?:[+＋][0-9０-９A-Za-zＸ]+)*\p{Han}{0,4}$`)

// countNumerals start a Chinese numeric slogan: 三个年, 六统一, 两票制, 双随机一公开.
const countNumerals = "一二三四五六七八九十两双百千"

// Terms returns the quoted terms in [start, end) of src: “…”, 《…》 and
// "…" between Chinese text, outermost only, never across a line break.
// Inner is the text between the marks; Quote is "“”", "《》" or `""` for
// ASCII quotes. Slogan is set for a “”-quoted
// numeric slogan (“三个年”, “1126”, “六统一”, “两票制”) that is not one of
// Vocab.PlainTerms; Explained when an explanation follows the closing mark:
// a bracket right after it, or 即/也就是/： within a few characters
// (“五个一”系列活动：…). Unquoted slogans are not looked for.
func (x *Extractor) Terms(src *Source, start, end int) []Term {
	found := newScanned()
	defer found.release()
	out := found.room().Terms
	for _, seg := range found.paragraphs(src.Text, start, end) {
		x.termWords.scan(src.Text, seg[0], seg[1], found)
		out = x.termsIn(src, seg[0], seg[1], found, out)
	}
	found.cands.Terms = out
	return exactCopy(out)
}

// termsIn appends to out the terms of the paragraph text[lo:hi], given the
// marks a scan found there.
func (x *Extractor) termsIn(src *Source, lo, hi int, found *scanned, out []Term) []Term {
	text := src.Text
	opening := 0
	for _, m := range found.marks {
		if m.r == '“' || m.r == '《' || m.r == '"' {
			opening++
		}
	}
	// Terms do not nest: skip the marks inside the last one.
	next := lo
	for _, m := range found.marks {
		i, r := m.at, m.r
		if i < next {
			continue
		}
		var n, closing int
		var quote string
		switch r {
		case '“':
			n = len("“")
			closing, quote = quoteEnd(text, i+n, hi, '“', '”'), quoteDouble
		case '《':
			n = len("《")
			closing, quote = titleEnd(text, i+n, hi), quoteTitle
		case '"':
			n = 1
			closing, quote = asciiQuoteEnd(text, i, hi), quoteASCII
		default:
			continue
		}
		if closing < 0 {
			continue
		}
		_, cn := utf8.DecodeRuneInString(text[closing:])
		inner := text[i+n : closing]
		t := Term{Match: NewMatch(src, i, closing+cn), Inner: inner, Quote: quote}
		t.Slogan = quote != quoteTitle && x.isSlogan(inner)
		t.Explained = explained(text, closing+cn, hi)
		if len(out) == cap(out) {
			out = slices.Grow(out, opening) // Term is large: grow once per paragraph
		}
		out = append(out, t)
		next = closing + cn
	}
	return out
}

// quoteEnd returns the offset of the mark closing a quote opened just
// before text[i], or -1 when another opening mark or a line break comes first.
func quoteEnd(text string, i, hi int, open, close rune) int {
	for j := i; j < hi; {
		r, n := decodeRune(text, j)
		switch r {
		case close:
			if j == i {
				return -1
			}
			return j
		case open, '\n', '\r':
			return -1
		}
		j += n
	}
	return -1
}

// titleEnd returns the offset of the 》 closing a 《 opened just before
// text[i], counting nested 《》, or -1 at a line break.
func titleEnd(text string, i, hi int) int {
	depth := 0
	for j := i; j < hi; {
		r, n := decodeRune(text, j)
		switch r {
		case '《':
			depth++
		case '》':
			if depth == 0 {
				if j == i {
					return -1
				}
				return j
			}
			depth--
		case '\n', '\r':
			return -1
		}
		j += n
	}
	return -1
}

// asciiQuoteEnd pairs an ASCII " at text[i] with the next one on the line
// when the quote stands in Chinese text: Chinese inside, and no Latin
// letter or digit touching the marks from outside.
func asciiQuoteEnd(text string, i, hi int) int {
	j := strings.IndexAny(text[i+1:hi], "\"\n\r")
	if j <= 0 || text[i+1+j] != '"' {
		return -1
	}
	j += i + 1
	if !strings.ContainsFunc(text[i+1:j], isHan) {
		return -1
	}
	before, after := runeBefore(text, i), runeAt(text[:hi], j+1)
	if isLatinOrDigit(before) || isLatinOrDigit(after) || !isCJKContext(before) && !isCJKContext(after) {
		return -1
	}
	return j
}

func isLatinOrDigit(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// isCJKContext accepts a Chinese character, CJK or full-width punctuation,
// or the edge of the text.
func isCJKContext(r rune) bool {
	return r == 0 || isHan(r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF || r >= 0x2010 && r <= 0x2027
}

// isSlogan recognises a numeric slogan by its shape.
func (x *Extractor) isSlogan(inner string) bool {
	// Most terms start with neither a digit nor a count numeral: rule
	// them out before trimming, counting and looking up.
	r, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(inner, unicode.IsSpace))
	digit := isDigitRune(r)
	if !digit && !strings.ContainsRune(countNumerals, r) {
		return false
	}
	inner = strings.TrimSpace(inner)
	n := utf8.RuneCountInString(inner)
	if n > maxSloganRunes || x.plainTerm[inner] {
		return false
	}
	if digit {
		return arabicSlogan.MatchString(inner) && !strings.ContainsRune(inner, '年')
	}
	// A short term (四风, 两票制, 三个年) or one that counts twice or more
	// (两学一做, 双下沉两提升) is a slogan; a longer phrase that merely
	// starts with 一 (“一切工作到支部”) is a quotation.
	return n <= 5 || numeralGroups(inner) >= 2
}

// numeralGroups counts the runs of count numerals in s.
func numeralGroups(s string) int {
	groups, in := 0, false
	for _, r := range s {
		is := strings.ContainsRune(countNumerals, r)
		if is && !in {
			groups++
		}
		in = is
	}
	return groups
}

// explained looks after a term's closing mark at text[i] for an
// explanation: a bracket right after it, or 即, 也就是 or a colon after at
// most maxExplainGap Chinese characters (and a comma).
func explained(text string, i, hi int) bool {
	text = text[:hi]
	for k := 0; k <= maxExplainGap && i < hi; k++ {
		// “1126”工作思路（即…）: a short head noun may stand between the
		// term and its explanation.
		r, n := decodeRune(text, i)
		switch r {
		case '即', '：', ':', '（', '(':
			return true
		case '也':
			if strings.HasPrefix(text[i:], "也就是") {
				return true
			}
		case '，', ',':
			return hasAnyPrefix(text[i+n:], "即", "也就是")
		}
		if !isHan(r) {
			return false
		}
		i += n
	}
	return false
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
