package plan

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The parser reads some simple structures by hand where a regexp would
// say the same more slowly. The regexps here are their specification:
// each test below checks the hand-written reader against its regexp on
// the texts made from an alphabet of the runes that matter.

const specCNDigits = `[一二三四五六七八九十百零〇○两]`

// labelSpecs are the numbering labels of labelStyles, in the same order.
var labelSpecs = []struct {
	style string
	re    *regexp.Regexp
}{
	{StyleCnParen, regexp.MustCompile(`^[（(]\s*(` + specCNDigits + `+)\s*[）)]`)},
	{StyleArabicParen, regexp.MustCompile(`^[（(]\s*([0-9０-９]{1,3})\s*[）)]`)},
	{StyleCnComma, regexp.MustCompile(`^(` + specCNDigits + `+)\s*[、，,]`)},
	{StyleCnShi, regexp.MustCompile(`^(` + specCNDigits + `{1,3})是`)},
	{StyleArabicComma, regexp.MustCompile(`^([0-9０-９]{1,3})\s*、`)},
	{StyleArabicDot, regexp.MustCompile(`^([0-9０-９]{1,3})\s*[.．]`)},
	{StyleArabicHalf, regexp.MustCompile(`^([0-9０-９]{1,3})[)）]`)},
	{StyleCircled, regexp.MustCompile(`^([①-⑳])`)},
}

// dateAfterSpec is what may follow a dot label although it starts with a digit.
var dateAfterSpec = regexp.MustCompile(`^[0-9０-９]{1,2}\s*[月日]|^[0-9０-９]{4}\s*年`)

// specTexts returns n texts of up to max runes drawn from alphabet,
// always the same ones.
func specTexts(alphabet string, n, max int) []string {
	rs := []rune(alphabet)
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for k := rng.IntN(max + 1); k > 0; k-- {
			b.WriteRune(rs[rng.IntN(len(rs))])
		}
		out[i] = b.String()
	}
	return out
}

func TestLabelStylesMatchSpec(t *testing.T) {
	require.Len(t, labelStyles, len(labelSpecs))
	texts := specTexts("（(）) \t\n\u3000一十〇○两1２0、，,是.．①⑳⑴月日年中", 40000, 7)
	for _, text := range texts[:20000] {
		texts = append(texts, "（"+text) // bracketed labels need it first
	}
	for i, spec := range labelSpecs {
		require.Equal(t, spec.style, labelStyles[i].style)
		matched := 0
		for _, text := range texts {
			num, end, ok := labelStyles[i].match(text)
			m := spec.re.FindStringSubmatchIndex(text)
			if !assert.Equal(t, m != nil, ok, "%s %q", spec.style, text) || m == nil {
				continue
			}
			matched++
			assert.Equal(t, []int{m[1], m[2], m[3]}, []int{end, num[0], num[1]}, "%s %q", spec.style, text)
		}
		assert.Greater(t, matched, 100, "the alphabet makes %s labels", spec.style)
	}
	for _, text := range texts {
		assert.Equal(t, dateAfterSpec.MatchString(text), dateAfter(text), "%q", text)
	}
}

func TestIsWhiteSpace(t *testing.T) {
	for r := rune(-1); r <= unicode.MaxRune+1; r++ {
		if isWhiteSpace(r) != unicode.IsSpace(r) {
			t.Fatalf("isWhiteSpace(%U) = %v", r, isWhiteSpace(r))
		}
	}
}

// sentenceEndSpec is what indexSentenceEnd finds.
var sentenceEndSpec = regexp.MustCompile(`[。！？!?]`)

func TestIndexSentenceEnd(t *testing.T) {
	for _, text := range specTexts("。！？!?，a加\xe3\xef\x80", 50000, 12) {
		want := -1
		if loc := sentenceEndSpec.FindStringIndex(text); loc != nil {
			want = loc[0]
		}
		assert.Equal(t, want, indexSentenceEnd(text), "%q", text)
	}
}

func TestDecodeLastRune(t *testing.T) {
	pieces := []string{"a", "加", "𠀀", "é", "\xff", "\x80", "\xe5\x8a", "\xed\xa0\x80", "\xe0\x80\x80", "\xe0\xa0\x80"}
	for seed := range uint64(5000) {
		text := randomText(seed, pieces, int(seed%7))
		for _, s := range []string{text, text[:len(text)/2]} {
			for lo := 0; lo <= len(s); lo++ {
				for i := lo; i <= len(s); i++ {
					r, n := decodeLastRune(s, lo, i)
					wr, wn := utf8.DecodeLastRuneInString(s[lo:i])
					require.Equal(t, [2]int{int(wr), wn}, [2]int{int(r), n}, "%q[%d:%d]", s, lo, i)
				}
			}
		}
	}
}
