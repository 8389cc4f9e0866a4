package plan

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fast paths of the extractors must find exactly what the plain
// algorithms they replace find: a trie walked from every character, a
// regexp run over the whole paragraph. These tests hold them to it on the
// corpus and on random text built from the pieces that matter.

// scanTexts returns the paragraphs of the corpus (empty when ../shared is
// absent) and random lines made of pieces.
func scanTexts(t *testing.T, pieces []string, n int) []string {
	t.Helper()
	var texts []string
	if srcs := exCorpusTexts(); len(srcs) > 0 {
		for _, text := range srcs {
			for _, seg := range paragraphSpans(text, 0, len(text)) {
				texts = append(texts, text[seg[0]:seg[1]])
			}
		}
	}
	rng := rand.New(rand.NewSource(int64(n)))
	for range n {
		var b strings.Builder
		for k := rng.Intn(30); k > 0; k-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	return texts
}

// exCorpusTexts reads the corpus plans, or nothing when ../shared is absent.
func exCorpusTexts() []string {
	var texts []string
	for _, pattern := range []string{"*.txt", "national/*[^e].txt"} {
		names, _ := filepath.Glob(filepath.Join(corpusDir, pattern))
		for _, n := range names {
			if data, err := os.ReadFile(n); err == nil {
				texts = append(texts, string(data))
			}
		}
	}
	return texts
}

// eachWords collects what runeTrie.each finds.
func eachWords(t *runeTrie, text string, lo, hi int) [][2]int {
	var out [][2]int
	t.each(text, lo, hi, func(s, e int) { out = append(out, [2]int{s, e}) })
	return out
}

// naiveEach is the trie search without the trie: the longest word at each
// character, as the extractors first did it.
func naiveEach(words []string, text string, lo, hi int) [][2]int {
	var out [][2]int
	for i := lo; i < hi; {
		best := 0
		for _, w := range words {
			if w != "" && strings.HasPrefix(text[i:hi], w) {
				best = max(best, len(w))
			}
		}
		if best > 0 {
			out = append(out, [2]int{i, i + best})
			i += best
			continue
		}
		_, n := utf8.DecodeRuneInString(text[i:])
		i += n
	}
	return out
}

func TestRuneTrie(t *testing.T) {
	words := []string{"进一步", "进一步加强", "加强", "强", "a", "𠀀字", "年内"}
	trie := newRuneTrie(words)
	rev := newReverseTrie(words)
	pieces := []string{"进", "一步", "加", "强", "a", "b", "𠀀", "字", "年", "内", "\xff", "，"}
	for _, text := range scanTexts(t, pieces, 2000) {
		require.Equal(t, naiveEach(words, text, 0, len(text)), eachWords(trie, text, 0, len(text)), "%q", text)
		for i := 0; i <= len(text); i++ {
			best := 0
			for _, w := range words {
				if strings.HasSuffix(text[:i], w) {
					best = max(best, len(w))
				}
			}
			require.Equal(t, best, rev.longestBefore(text, 0, i), "%q before %d", text, i)
		}
	}
	assert.True(t, trie.isWord("加强"))
	assert.False(t, trie.isWord("加"))
	assert.Zero(t, newRuneTrie(nil).longestAt("加强", 0))
}

// TestWordScanner checks each scanner of an Extractor against its tries
// run one by one and a plain search for its marks.
func TestWordScanner(t *testing.T) {
	x := NewExtractor(testVocab(t))
	pieces := []string{"根据", "省", "要求", "年内", "责任单位", "：", "达到", "国家标准", "进一步加强", "（", "请", "由",
		"“", "《", "》", "2019", "年", "月", "季度", "内", "，", "加", "𠀀", "\xe5", "a"}
	found := newScanned()
	defer found.release()
	for _, text := range scanTexts(t, pieces, 3000) {
		for name, sc := range map[string]*wordScanner{"owner": x.ownerWords, "deadline": x.deadlineWords,
			"target": x.targetWords, "vague": x.vagueWords, "term": x.termWords, "all": x.allWords} {
			sc.scan(text, 0, len(text), found)
			for k, trie := range sc.tries {
				if trie != nil {
					require.Equal(t, eachWords(trie, text, 0, len(text)), append([][2]int(nil), found.words[k]...), "%s %d %q", name, k, text)
				} else {
					require.Empty(t, found.words[k])
				}
			}
			var marks []mark
			for i, r := range text {
				if sc.marks.has(r) {
					marks = append(marks, mark{i, r})
				}
			}
			require.Equal(t, marks, append([]mark(nil), found.marks...), "%s %q", name, text)
		}
	}
}

// TestAnchoredRegexp checks every date form against its regexp run by
// FindAllStringSubmatchIndex over the whole paragraph.
func TestAnchoredRegexp(t *testing.T) {
	x := NewExtractor(nil)
	pieces := []string{"2019", "１２", "3", "12", "年", "月", "日", "号", "底", "末", "前", "以前", "起", "上旬", "初",
		"至", "到", "-", "—", "～", " ", "\u3000", "每年", "今年", "明", "年度", "上半年", "下", "第", "三", "季度",
		"二十", "一", "十", "个月", "工作日", "天", "周", "内", "以内", "印发之日起", "截至", "（星期五）", "，", "东", "\xe5"}
	texts := scanTexts(t, pieces, 4000)
	// An anchor with no match, then a run of characters a date may hold
	// and a match that the window around the first anchor cuts short.
	for n := range 80 {
		texts = append(texts, "月"+strings.Repeat("一", n)+"12月1日至2020年12月31日底", "内"+strings.Repeat("1", n)+"30个工作日以内")
	}
	found := newScanned()
	defer found.release()
	for _, text := range texts {
		x.deadlineWords.scan(text, 0, len(text), found)
		for _, f := range dateForms() {
			want := f.re.re.FindAllStringSubmatchIndex(text, -1)
			var got [][]int
			f.re.each(text, 0, len(text), found.marks, func(loc []int) { got = append(got, loc) })
			require.Equal(t, want, got, "%s in %q", f.re.re, text)
		}
	}
}

func TestPatternBounds(t *testing.T) {
	for _, tc := range []struct {
		pattern  string
		min, max int
		in, out  string
	}{
		{`abc`, 3, 3, "abc", "d"},
		{`[0-9]{1,2}年`, 4, 5, "09年", "月"},
		{`a+b`, 2, -1, "ab", "c"},
		{`(?:ab|c)?d`, 1, 3, "abcd", "e"},
		{`x|年月`, 1, 6, "x年月", "日"},
		{`(?P<q>前|以前)?`, 0, 6, "前以", "后"},
	} {
		lo, hi, alphabet := patternBounds(tc.pattern)
		assert.Equal(t, [2]int{tc.min, tc.max}, [2]int{lo, hi}, tc.pattern)
		require.NotNil(t, alphabet, tc.pattern)
		for _, r := range tc.in {
			assert.True(t, alphabet.has(r), "%s holds %q", tc.pattern, r)
		}
		for _, r := range tc.out {
			assert.False(t, alphabet.has(r), "%s lacks %q", tc.pattern, r)
		}
	}
	_, _, alphabet := patternBounds(`.+`)
	assert.Nil(t, alphabet, "any character: no alphabet")
	_, _, alphabet = patternBounds(`\p{Han}`)
	assert.Nil(t, alphabet, "a class too large to list")
	re, err := syntax.Parse(`a{2,3}`, syntax.Perl)
	require.NoError(t, err)
	lo, hi := matchLen(re)
	assert.Equal(t, [2]int{2, 3}, [2]int{lo, hi})
}

// TestAll checks that All finds what the five methods find, on every
// corpus paragraph, every line and the whole of each plan.
func TestAll(t *testing.T) {
	for _, v := range []*Vocab{testVocab(t), nil} {
		x := NewExtractor(v)
		for _, src := range exCorpusAll(t) {
			ranges := [][2]int{{0, len(src.Text)}}
			for n := 1; n <= src.LineCount(); n++ {
				s, e := exLine(src, n)
				ranges = append(ranges, [2]int{s, e})
			}
			for _, r := range ranges {
				f := x.All(src, r[0], r[1], 2019)
				want := Facts{
					Owners:    x.Owners(src, r[0], r[1]),
					Deadlines: x.Deadlines(src, r[0], r[1], 2019),
					Targets:   x.Targets(src, r[0], r[1]),
					Vague:     x.Vague(src, r[0], r[1]),
					Terms:     x.Terms(src, r[0], r[1]),
				}
				require.Equal(t, want, f, "%s %v", src.Name, r)
			}
		}
	}
}

func TestYmd(t *testing.T) {
	for _, d := range [][3]int{{2012, 1, 1}, {999, 12, 31}, {0, 0, 0}, {12345, 5, 9}, {100, 10, 10}} {
		assert.Equal(t, fmt.Sprintf("%04d-%02d-%02d", d[0], d[1], d[2]), ymd(d[0], d[1], d[2]))
	}
}

func TestIsHan(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isHan(r) != unicode.Is(unicode.Han, r) {
			t.Fatalf("isHan(%U) = %v", r, isHan(r))
		}
	}
}
