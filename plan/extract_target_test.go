package plan

import (
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// targetSpec is the grammar matchValue reads, as a regexp: matchValue
// must find what it finds, to the byte, in every group.
var targetSpec = regexp.MustCompile(func() string {
	num := `[0-9０-９]+(?:[.．][0-9０-９]+)?`
	rate := `[/／][0-9０-９]*[十百千万]+(?:人口|人)?`
	unit := `(?:[万亿千]?` + alternation(targetUnits) + `(?:` + rate + `)?|` + rate + `|[万亿])`
	return `^(?P<v1>` + num + `)(?:(?P<u1>[%％‰])?` + reSpace + reDash + reSpace + `(?P<v2>` + num + `))?` +
		reSpace + `(?P<unit>` + unit + `)(?:` + reSpace + `(?P<q>` + strings.Join(targetQualifiers, "|") + `))?`
}())

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

// checkValue compares matchValue at text[i:hi] with targetSpec.
func checkValue(t *testing.T, text string, i, hi int) bool {
	t.Helper()
	loc := targetSpec.FindStringSubmatchIndex(text[i:hi])
	m, ok := matchValue(text, i, hi)
	if loc == nil || !ok {
		return assert.Equal(t, loc != nil, ok, "%q: regexp %v, matchValue %v", text[i:hi], loc, ok)
	}
	group := func(k int) [2]int {
		if loc[2*k] < 0 {
			return [2]int{-1, -1}
		}
		return [2]int{i + loc[2*k], i + loc[2*k+1]}
	}
	want := valueMatch{start: i + loc[0], end: i + loc[1], v1: group(1), v2: group(3), unit: group(4), q: group(5)}
	return assert.Equal(t, want, m, "%q", text[i:hi])
}

// TestMatchValueIsTheGrammar checks matchValue against targetSpec at every
// digit of the corpus and on random strings built from the pieces of the
// grammar, so that the hand-written reader and the regexp cannot drift.
func TestMatchValueIsTheGrammar(t *testing.T) {
	var texts []string
	for _, pattern := range []string{"*.txt", "national/*[^e].txt"} {
		names, _ := filepath.Glob(filepath.Join(corpusDir, pattern))
		for _, n := range names {
			data, err := os.ReadFile(n)
			require.NoError(t, err)
			texts = append(texts, string(data))
		}
	}
	for _, text := range texts {
		for i, r := range text {
			if isDigitRune(r) {
				hi := i + strings.IndexAny(text[i:]+"\n", "\r\n")
				if !checkValue(t, text, i, hi) {
					return
				}
			}
		}
	}
	pieces := []string{
		"1", "23", "０", "９８", ".", "．", "5.", ".5", "%", "％", "‰", " ", "\u3000", "\u00a0",
		"—", "——", "－", "-", "～", "~", "至", "到", "万", "亿", "千", "十", "百", "/", "／", "人口", "人",
		"以上", "以下", "以内", "之内", "左右", "及以上", "及以", "以", "个", "个百分", "个月", "个工作日",
		"百分点", "平方", "平方米", "元", "年", "周年", "岁", "东", "a", "，",
	}
	pieces = append(pieces, targetUnits...)
	rng := rand.New(rand.NewSource(1))
	for k := 0; k < 50000; k++ {
		var b strings.Builder
		b.WriteString(pieces[rng.Intn(4)]) // a digit first
		for n := rng.Intn(7); n > 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		text := "前" + b.String()
		if !checkValue(t, text, len("前"), len(text)) {
			return
		}
	}
}

func TestMatchValue(t *testing.T) {
	for _, tc := range []struct {
		text, want, unit, q string
	}{
		{"95%以上", "95%以上", "%", "以上"},
		{"8/10万，", "8/10万", "/10万", ""},
		{"2-3个月", "2-3个月", "个月", ""},
		{"63%～68%之间", "63%～68%", "%", ""},
		{"5%-8东", "5%", "%", ""},
		{"1 件/千人口", "1 件/千人口", "件/千人口", ""},
		{"30万人以上", "30万人以上", "万人", "以上"},
		{"2018年", "2018年", "年", ""},
		{"5万-东", "5万", "万", ""},
		{"3.5.6", "", "", ""},
		{"12、", "", "", ""},
	} {
		m, ok := matchValue(tc.text, 0, len(tc.text))
		if tc.want == "" {
			assert.False(t, ok, tc.text)
			continue
		}
		require.True(t, ok, tc.text)
		assert.Equal(t, tc.want, tc.text[m.start:m.end], tc.text)
		assert.Equal(t, tc.unit, tc.text[m.unit[0]:m.unit[1]], tc.text)
		if tc.q != "" {
			assert.Equal(t, tc.q, tc.text[m.q[0]:m.q[1]], tc.text)
		}
	}
}
