package rules

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
)

func TestChineseNumerals(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"一", 1}, {"十", 10}, {"十一", 11}, {"二十", 20}, {"二十四", 24}, {"九十九", 99},
		{"一百", 100}, {"一百零五", 105}, {"一百一十", 110}, {"两", 2}, {"〇", 0},
		{"二〇一二", 2012}, {"二○一二", 2012}, {"12", 12}, {"１２", 12}, {"", 0}, {"十x", 0}, {"abc", 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, cn2int(tt.in), tt.in)
	}
	for n := 0; n <= 999; n++ {
		require.Equal(t, n, cn2int(int2cn(n)), "round trip of %d via %s", n, int2cn(n))
	}
	for n, want := range map[int]string{0: "〇", 7: "七", 10: "十", 11: "十一", 20: "二十", 40: "四十", 101: "一百零一", 110: "一百一十", 999: "九百九十九"} {
		assert.Equal(t, want, int2cn(n))
	}
}

func TestNorm(t *testing.T) {
	assert.Equal(t, "95% AB cd 12", norm("９５％\u3000ＡＢ\u00a0ｃｄ 12"))
	assert.Equal(t, "，。（）：", norm("，。（）："), "punctuation is left alone")
}

func TestSimilar(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"加强队伍建设", "加强队伍建设", 1},
		{"加强 队伍建设", "加强队伍建设", 1},
		{"加强队伍建设", "完善服务体系", 0},
		{"ab", "abc", 0.5}, // {ab} vs {ab, bc}
		{"", "", 1},
		{"a", "b", 0},
	}
	for _, tt := range tests {
		assert.InDelta(t, tt.want, similar(tt.a, tt.b), 1e-9, "%q %q", tt.a, tt.b)
	}
}

func TestYearOf(t *testing.T) {
	assert.Equal(t, 2019, yearOf(plan.Deadline{From: "2019-01-01", To: "2019-03-31"}))
	assert.Equal(t, 2020, yearOf(plan.Deadline{From: "2020-01-01"}))
	assert.Equal(t, 0, yearOf(plan.Deadline{Kind: plan.DeadlineVague}))
}

func TestCaret(t *testing.T) {
	tests := []struct {
		line string
		col  int
		want string
	}{
		{"abc", 1, "^"},
		{"abc", 3, "  ^"},
		{"责任单位", 3, "    ^"},
		{"ａ１x", 3, "    ^"}, // full-width letters and digits are wide
		{"“x”", 2, " ^"},    // curly quotes are ambiguous: one cell
		{"\tx", 2, "\t^"},   // a tab stays a tab
		{"年(", 2, "  ^"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, caret(tt.line, tt.col), "%q col %d", tt.line, tt.col)
	}
}

func TestLineCol(t *testing.T) {
	src := "len(a) == 0 &&\n  责任 == x"
	line, col, text := lineCol(src, 0)
	assert.Equal(t, []any{1, 1, "len(a) == 0 &&"}, []any{line, col, text})
	line, col, text = lineCol(src, 17) // after "\n" and two spaces: 责
	assert.Equal(t, []any{2, 3, "  责任 == x"}, []any{line, col, text})
}

func TestIndexTOML(t *testing.T) {
	src := strings.Join([]string{
		`extends = ["builtin"]`,   // 1
		`[[rule]]`,                // 2
		`id = "a"`,                // 3
		`check = """`,             // 4
		`id = "not a key"`,        // 5
		`[[rule]]`,                // 6: inside the string
		`"""`,                     // 7
		`  [[ rule ]]  # second`,  // 8
		`"id" = "b"`,              // 9
		`message = '''x'''`,       // 10
		`[override."deadline-*"]`, // 11
		`severity = "error"`,      // 12
	}, "\n")
	idx := indexTOML(src)
	require.Len(t, idx.rules, 2)
	assert.Equal(t, 2, idx.rules[0].line)
	assert.Equal(t, keyPos{line: 3, firstLine: 3}, idx.rules[0].key("id"))
	assert.Equal(t, keyPos{line: 4, firstLine: 5}, idx.rules[0].key("check"))
	assert.Equal(t, 8, idx.rules[1].line)
	assert.Equal(t, keyPos{line: 9, firstLine: 9}, idx.rules[1].key("id"))
	assert.Equal(t, keyPos{line: 10, firstLine: 10}, idx.rules[1].key("message"))
	assert.Equal(t, keyPos{line: 8, firstLine: 8}, idx.rules[1].key("missing"), "an absent key falls back to the header")
	assert.Equal(t, 11, idx.tables["override.deadline-*"].line)
	assert.Equal(t, 12, idx.tables["override.deadline-*"].key("severity").line)
	assert.Equal(t, 1, idx.firstLine("extends"))
	assert.Equal(t, 11, idx.firstLine("override"))
}

func TestNestingError(t *testing.T) {
	assert.Nil(t, nestingError(`f("((((", '[[[')`), "brackets in strings do not count")
	e := nestingError(strings.Repeat("(", maxNesting+1))
	require.NotNil(t, e)
	assert.Equal(t, maxNesting, e.from)
}

func TestFunctionDocs(t *testing.T) {
	docs := Functions()
	names := map[string]bool{}
	for _, d := range docs {
		names[d.Name] = true
		assert.NotEmpty(t, d.Doc, d.Name)
		assert.NotEmpty(t, d.Example, d.Name)
		assert.NotEmpty(t, d.Signature, d.Name)
		assert.False(t, strings.HasPrefix(d.Name, "_"), "internal function %s is documented", d.Name)
	}
	for _, want := range []string{"has_any", "find_any", "find", "count", "cn2int", "int2cn", "norm", "span", "title_span", "text_span", "year_of", "similar"} {
		assert.True(t, names[want], "missing function %s", want)
	}
	// Signatures come from the Go types, without the run state.
	for _, d := range docs {
		switch d.Name {
		case "has_any":
			assert.Equal(t, "has_any(string, []string) bool", d.Signature)
		case "find":
			assert.Equal(t, "find(unit, string) []match\nfind(sentence, string) []match\nfind(row, string) []match\nfind(match, string) []match", d.Signature)
		}
	}
}

// TestFunctionExamplesCompile keeps the documentation honest: every
// example compiles as a check, a when or a template part in some scope.
func TestFunctionExamplesCompile(t *testing.T) {
	lists := map[string][]string{"vague_verbs": {"进一步加强"}, "vague_deadlines": {"年内"}, "typos": {"选拨→选拔"}, "outdated_names": {"卫生计生委→卫生健康委@2019"}}
	c := newCompiler(lists)
	for _, d := range Functions() {
		ok := false
		var last []exprError
		for _, s := range Scopes() {
			for _, mode := range []exprMode{modeCheck, modeWhen, modeTemplate} {
				prog, errs := c.compile(d.Example, s, mode)
				if prog != nil {
					ok = true
				}
				if errs != nil {
					last = errs
				}
			}
		}
		assert.True(t, ok, "example of %s does not compile: %s: %v", d.Name, d.Example, last)
	}
}

func TestSplitEntry(t *testing.T) {
	for _, tc := range []struct {
		entry, key, value string
		year              int
	}{
		{"选拨→选拔", "选拨", "选拔", 0},
		{"卫生计生委→卫生健康委@2019", "卫生计生委", "卫生健康委", 2019},
		{"待补", "待补", "", 0},
	} {
		k, v, y := splitEntry(tc.entry)
		assert.Equal(t, []any{tc.key, tc.value, tc.year}, []any{k, v, y}, tc.entry)
	}
}

func TestUnpaired(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // the unpaired marks with their columns
	}{
		{"（一）加强“管理”。", nil},
		{"加强（管理。", []string{"（@3"}},
		{"加强）管理“。", []string{"）@3", "“@6"}},
		{"《甲〈乙〉》》", []string{"》@7"}},
	} {
		src, err := plan.NewSource("t", []byte(tc.text))
		require.NoError(t, err)
		got, err := unpaired(NewRun(src), src, 0, len(src.Text), newMarkPairs([]rune("（）“”《》〈〉")))
		require.NoError(t, err)
		var have []string
		for _, m := range got {
			have = append(have, fmt.Sprintf("%s@%d", m.Text, m.Start.Col))
		}
		assert.Equal(t, tc.want, have, tc.text)
	}
}

// findWords finds what the longest-first alternation of the words finds.
func TestFindWordsMatchesAlternation(t *testing.T) {
	c := newCaches()
	for _, tc := range []struct {
		words []string
		texts []string
	}{
		{[]string{"进一步加强", "加强", "进一步", "一步", "大幅提高", "提高", "大幅", "一批", "若干", ""}, []string{
			"进一步加强管理，大幅提高水平，新建一批若干设施。",
			"加强加强进一步进一步加强",
			"无关的文字",
			"大幅大幅提高提高",
		}},
		// A word that overlaps one found before it must still be found
		// after it: "xa" then "aa" in "xaaa".
		{[]string{"aa", "xa"}, []string{"xaaa", "aaaaa", "axa"}},
		{[]string{"𠀀𠀁", "𠀁"}, []string{"甲𠀀𠀁𠀁乙"}},
	} {
		alt := alternation(tc.words)
		for _, text := range tc.texts {
			src, err := plan.NewSource("t", []byte(text))
			require.NoError(t, err)
			want, err := findAll(NewRun(src), plan.NewMatch(src, 0, len(src.Text)), &pattern{re: alt, plan: newRegexpPlan(alt.String())})
			require.NoError(t, err)
			got, err := findWords(NewRun(src), plan.NewMatch(src, 0, len(src.Text)), c.words(tc.words))
			require.NoError(t, err)
			assert.Equal(t, want, got, text)
			assert.Equal(t, alt.MatchString(text), c.words(tc.words).Contains(text), text)
		}
	}
}

// alternation is the regexp the word functions stand for: the words
// trimmed and quoted, longest first.
func alternation(words []string) *regexp.Regexp {
	var quoted []string
	for _, w := range words {
		if w = strings.TrimSpace(w); w != "" {
			quoted = append(quoted, w)
		}
	}
	slices.SortFunc(quoted, func(a, b string) int {
		return cmp.Or(utf8.RuneCountInString(b)-utf8.RuneCountInString(a), strings.Compare(a, b))
	})
	quoted = slices.Compact(quoted)
	for i, w := range quoted {
		quoted[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(quoted, "|"))
}

// A [vocab] list and its keys are found by identity, and a copy of the
// list by content, with the same matcher behaviour.
func TestKnownLists(t *testing.T) {
	lists := map[string][]string{"typos": {"帐号→账号", "部暑→部署@2000"}}
	c := newCaches()
	c.register(lists)
	k := c.lookup(lists["typos"])
	require.NotNil(t, k)
	assert.Equal(t, []string{"帐号", "部暑"}, k.keys)
	assert.NotNil(t, c.lookup(k.keys), "keys of a known list are known")
	assert.Nil(t, c.lookup(slices.Clone(lists["typos"])), "a copy is not the list")
	assert.True(t, c.words(slices.Clone(k.keys)).Contains("请部暑"))
	assert.True(t, c.words(k.keys).Contains("请部暑"))
}

// The word matcher finds what the alternation finds in any string, valid
// UTF-8 or not.
func FuzzWordMatcher(f *testing.F) {
	words := []string{"进一步加强", "加强", "a", "ab", "中", "\ufffd", "𠀀"}
	m := plan.NewWords(words)
	alt := alternation(words)
	f.Add("进一步加强中ab\xe4\xb8a\xed\xa0\x80加强𠀀")
	f.Fuzz(func(t *testing.T, s string) {
		var got [][]int
		m.Each(s, func(start, end int) bool {
			got = append(got, []int{start, end})
			return true
		})
		if want := alt.FindAllStringIndex(s, -1); !slices.EqualFunc(want, got, slices.Equal[[]int]) {
			t.Fatalf("%q: got %v, want %v", s, got, want)
		}
	})
}

func TestClipRunes(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{"", 0, ""}, {"", 3, ""}, {"加强管理", 0, "…"}, {"加强管理", 2, "加强…"},
		{"加强管理", 4, "加强管理"}, {"加强管理", 9, "加强管理"}, {"ab加强", 3, "ab加…"},
	} {
		assert.Equal(t, c.want, clipRunes(c.s, c.n), "%q %d", c.s, c.n)
		if rs := []rune(c.s); len(rs) > c.n { // the definition it replaces
			assert.Equal(t, string(rs[:c.n])+"…", clipRunes(c.s, c.n))
		}
	}
}
