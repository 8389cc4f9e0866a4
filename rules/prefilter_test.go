package rules

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequiredRunes(t *testing.T) {
	for _, tc := range []struct{ pattern, want string }{
		{`\p{Han}([,;:!?])|([,;:!?])\p{Han}|(\()[\p{Han}“]|[\p{Han}”](\))`, ",:;!?,:;!?()"},
		{`(?:^|[^0-9])([0-2][0-9]年)(?:[^0-9来]|$)`, "年"},
		{`[0-9]+[-~－][0-9]+`, "-~－"},
		{`(?m)([^。！？])\s*$`, ""},
		{`进一步加强|不断完善`, "进不"},
		{`a*b?`, ""},
	} {
		set := newRegexpPlan(tc.pattern).required
		got := set.ascii + strings.Join(set.others, "")
		assert.ElementsMatch(t, uniqueRunes(tc.want), []rune(got), tc.pattern)
	}
}

// The prefilter never hides a match: for every pattern, a text the
// regexp matches holds one of its required runes.
func TestPrefilterNeverHidesAMatch(t *testing.T) {
	texts := []string{"中文,中文", "在18年试点", "2-3个", "加强管理", "（一）加强", "进一步加强宣传"}
	for _, p := range []string{`\p{Han}([,;:!?])`, `([0-2][0-9]年)`, `[0-9]+[-~－][0-9]+`, `进一步加强|不断完善`, `(?m)([^。])$`} {
		re, required := regexp.MustCompile(p), newRegexpPlan(p).required
		for _, text := range texts {
			if re.MatchString(text) {
				assert.True(t, required.empty() || required.index(text) >= 0, "%s on %q", p, text)
			}
		}
	}
}

// windowPatterns have a required set and a bounded width, so findAll
// searches them in windows.
var windowPatterns = []string{
	`\p{Han}([,;:!?])|([,;:!?])\p{Han}|(\()[\p{Han}“]|[\p{Han}”](\))`,
	`a|bc`,
	`(x)y{0,3}`,
	`[,，]`,
	`中.文`,
	`ab?c?d?`,
	`[^a]b[^a]`,
	`k.{0,4}`,
}

func TestWindowPatternsHavePlans(t *testing.T) {
	for _, p := range windowPatterns {
		assert.Positive(t, newRegexpPlan(p).width, p)
	}
	for _, p := range []string{`a+`, `^ab`, `ab$`, `\bab`, `a.*b`, `[^a]{2}`} {
		assert.Zero(t, newRegexpPlan(p).width, p)
	}
}

// findWindows finds what the regexp finds in the whole text.
func TestFindWindowsMatchesFindAll(t *testing.T) {
	texts := []string{
		"中文,中文(一)中文“(引文)”，中文,",
		"abcbcaabc", "xyyyyyx xy x", "中文中的文中中文", "aabcdabdacd", "babab bxb", "kkkkkkk K1234567",
		",,,,", "", "a", "中,文,,中(中)", "𠀀,𠀀b𠀀",
	}
	for _, p := range windowPatterns {
		assertWindowsAgree(t, p, texts...)
	}
}

func assertWindowsAgree(t *testing.T, pattern string, texts ...string) {
	t.Helper()
	re := regexp.MustCompile(pattern)
	pl := newRegexpPlan(pattern)
	if pl.width == 0 {
		return
	}
	for _, text := range texts {
		var got [][]int
		require.NoError(t, findWindows(re, text, &pl.required, pl.width, func(loc []int) error {
			got = append(got, slices.Clone(loc))
			return nil
		}))
		assert.Equal(t, re.FindAllStringSubmatchIndex(text, -1), got, "%s on %q", pattern, text)
	}
}

func FuzzFindWindows(f *testing.F) {
	for i, p := range windowPatterns {
		f.Add(p, "中文,中文(一)中文“(引文)”abcbcaxyyyy"+strings.Repeat("中,", i))
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
		if _, err := regexp.Compile(pattern); err != nil || len(pattern) > 64 {
			return
		}
		assertWindowsAgree(t, pattern, text)
	})
}

func uniqueRunes(s string) []rune {
	var out []rune
	for _, r := range s {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// runeSet.index finds what strings.IndexAny finds.
func TestRuneSetIndex(t *testing.T) {
	for _, set := range []string{",;", "年", "-~－", "（）“”", "a年b月", ""} {
		rs := newRuneSet(set)
		for _, text := range []string{"", "2018年3月", "中文,中文；", "1-2个，3～4个", "（甲）“乙”", "ab", "月年"} {
			assert.Equal(t, strings.IndexAny(text, set), rs.index(text), "%q in %q", set, text)
		}
	}
}
