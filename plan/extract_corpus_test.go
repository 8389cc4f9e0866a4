package plan

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exCorpusDir holds the real plans (see /work/shared/corpus/INDEX.md).
const exCorpusDir = "../../shared/corpus"

func exSkipNoCorpus(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(exCorpusDir); err != nil {
		t.Skip("corpus: ../shared absent")
	}
}

// exCorpus reads one corpus file.
func exCorpus(t testing.TB, name string) *Source {
	t.Helper()
	exSkipNoCorpus(t)
	data, err := os.ReadFile(filepath.Join(exCorpusDir, name))
	require.NoError(t, err)
	src, err := NewSource(name, data)
	require.NoError(t, err)
	return src
}

// exCorpusAll reads every plan of the corpus (not the .source.txt notes).
func exCorpusAll(t testing.TB) []*Source {
	t.Helper()
	exSkipNoCorpus(t)
	var srcs []*Source
	for _, pat := range []string{"*.txt", "national/*.txt"} {
		names, err := filepath.Glob(filepath.Join(exCorpusDir, pat))
		require.NoError(t, err)
		for _, n := range names {
			if strings.HasSuffix(n, ".source.txt") {
				continue
			}
			rel, err := filepath.Rel(exCorpusDir, n)
			require.NoError(t, err)
			srcs = append(srcs, exCorpus(t, rel))
		}
	}
	require.NotEmpty(t, srcs)
	return srcs
}

// exLine returns the byte range of line n, without its line end.
func exLine(src *Source, n int) (int, int) {
	s := src.LineStart(n)
	return s, s + len(src.LineText(n))
}

func exTexts[T offsetter](ms []T, text func(T) string) []string {
	var out []string
	for _, m := range ms {
		out = append(out, text(m))
	}
	return out
}

// TestCorpusFacts checks facts a reviewer reads in the real plans, each on
// the line where it is written.
func TestCorpusFacts(t *testing.T) {
	x := NewExtractor(testVocab(t))

	t.Run("003 deadlines", func(t *testing.T) {
		src := exCorpus(t, "003_b8266a3591212cdf.txt")
		s, e := exLine(src, 53) // item 2
		ds := x.Deadlines(src, s, e, 2012)
		byText := map[string]Deadline{}
		for _, d := range ds {
			byText[d.Text] = d
		}
		require.Contains(t, byText, "2012年6月前")
		assert.Equal(t, "2012-06-30", byText["2012年6月前"].To)
		assert.Equal(t, DeadlineDate, byText["2012年6月前"].Kind)
		require.Contains(t, byText, "上半年")
		assert.Equal(t, "2012-01-01", byText["上半年"].From)
		assert.Equal(t, "2012-06-30", byText["上半年"].To)

		// The notice of December 2011 asks for comments by a Friday.
		s, e = exLine(src, 5)
		ds = x.Deadlines(src, s, e, 2011)
		require.Len(t, ds, 1)
		assert.Equal(t, "12月23日（星期五）前", ds[0].Text)
		day, err := time.Parse(time.DateOnly, ds[0].To)
		require.NoError(t, err)
		assert.Equal(t, time.Friday, day.Weekday())
	})

	t.Run("003 targets", func(t *testing.T) {
		src := exCorpus(t, "003_b8266a3591212cdf.txt")
		targets := func(n int) []Target {
			s, e := exLine(src, n)
			return x.Targets(src, s, e)
		}
		ts := targets(68) // item 8
		require.Len(t, ts, 2)
		assert.Equal(t, "低于8/10万", ts[0].Text)
		assert.Equal(t, "孕产妇年死亡率", ts[0].Indicator)
		assert.Equal(t, "/10万", ts[0].Unit)
		assert.InDelta(t, 8, ts[0].Value, 1e-9)
		assert.Equal(t, "低于6‰", ts[1].Text)
		assert.Equal(t, "‰", ts[1].Unit)

		ts = targets(64)
		require.Len(t, ts, 2)
		assert.True(t, strings.HasSuffix(ts[0].Text, "95%以上"), ts[0].Text)
		assert.Equal(t, "达到85%以上", ts[1].Text)
		assert.Equal(t, "流动人口儿童接种率", ts[1].Indicator)

		ts = targets(76)
		assert.Equal(t, []string{"提高到506元", "346元", "80%", "35%"}, exTexts(ts, func(t Target) string { return t.Text }))
		assert.Equal(t, "城乡居民人均筹资总额", ts[0].Indicator)

		ts = targets(78)
		require.NotEmpty(t, ts)
		assert.Equal(t, "不低于省要求", ts[0].Text)
		assert.True(t, ts[0].ByReference)
		assert.False(t, ts[0].HasValue)
		assert.Equal(t, "体检率", ts[0].Indicator)
	})

	t.Run("003 has no owners", func(t *testing.T) {
		// INDEX.md: "no owners anywhere"; 由卫生局牵头的公共卫生组 is not one.
		src := exCorpus(t, "003_b8266a3591212cdf.txt")
		assert.Empty(t, x.Owners(src, 0, len(src.Text)))
	})

	t.Run("000 table deadlines", func(t *testing.T) {
		src := exCorpus(t, "000_61405fd166fa8747.txt")
		for _, n := range []int{158, 317, 357, 365} {
			s, e := exLine(src, n)
			ds := x.Deadlines(src, s, e, 2018)
			require.Len(t, ds, 1, "line %d", n)
			assert.Equal(t, DeadlineDeferred, ds[0].Kind, "line %d", n)
			assert.Equal(t, strings.TrimSpace(src.LineText(n)), ds[0].Text, "line %d", n)
		}
		s, e := exLine(src, 309)
		ds := x.Deadlines(src, s, e, 2018)
		require.Len(t, ds, 1)
		assert.Equal(t, "10月1日前后", ds[0].Text)
		assert.True(t, ds[0].From < "2018-10-01" && ds[0].To > "2018-10-01", "%s..%s", ds[0].From, ds[0].To)
		// Every other cell of the 完成时限 column (lines ending in 月底) is a date.
		for n := 81; n <= src.LineCount(); n++ {
			if cell := strings.TrimSpace(src.LineText(n)); strings.HasSuffix(cell, "月底") {
				s, e := exLine(src, n)
				ds := x.Deadlines(src, s, e, 2018)
				require.Len(t, ds, 1, "line %d", n)
				assert.Equal(t, cell, ds[0].Text, "line %d", n)
				assert.True(t, strings.HasPrefix(ds[0].To, "2018-"), "line %d", n)
			}
		}
	})

	t.Run("001 labelled owner", func(t *testing.T) {
		src := exCorpus(t, "001_ac02b3254bada0ac.txt")
		s, e := exLine(src, 107)
		os := x.Owners(src, s, e)
		require.Len(t, os, 1)
		assert.Equal(t, "中医科", os[0].Name)
		assert.Equal(t, formLabel, os[0].Form)
		assert.Equal(t, roleResponsible, os[0].Role)
		assert.Equal(t, 107, os[0].Start.Line)
	})

	t.Run("national 02 trailing owners", func(t *testing.T) {
		src := exCorpus(t, "national/02_guofa-2018-39-employment-yijian.txt")
		s, e := exLine(src, 8)
		os := x.Owners(src, s, e)
		assert.Equal(t, []string{"人力资源社会保障部", "财政部"}, exTexts(os, func(o Owner) string { return o.Name }))
		for _, o := range os {
			assert.Equal(t, formTrailing, o.Form)
			assert.Equal(t, roleResponsible, o.Role)
		}
		// Every numbered task item of this 意见 ends with its owners.
		item := regexp.MustCompile(`^（[一二三四五六七八九十]+）`)
		items := 0
		for n := 1; n <= src.LineCount(); n++ {
			if item.MatchString(src.LineText(n)) {
				items++
				s, e := exLine(src, n)
				assert.NotEmpty(t, x.Owners(src, s, e), "line %d", n)
			}
		}
		assert.Equal(t, 15, items)
	})

	t.Run("national 05 lead and assists", func(t *testing.T) {
		src := exCorpus(t, "national/05_guobanfa-2018-128-wufei-city-fangan.txt")
		s, e := exLine(src, 25)
		roles := map[string]string{}
		for _, o := range x.Owners(src, s, e) {
			roles[o.Name] = o.Role
		}
		assert.Equal(t, roleLead, roles["生态环境部"])
		assert.Equal(t, roleAssist, roles["国家统计局"])
	})

	t.Run("national 08 owners in a sentence", func(t *testing.T) {
		src := exCorpus(t, "national/08_guobanfa-2018-127-research-autonomy-tongzhi.txt")
		var n int
		for n = 1; n <= src.LineCount(); n++ {
			if strings.Contains(src.LineText(n), "请科技部") {
				break
			}
		}
		s, e := exLine(src, n)
		os := x.Owners(src, s, e)
		assert.Equal(t, []string{"科技部", "工业和信息化部", "农业农村部", "卫生健康委"}, exTexts(os, func(o Owner) string { return o.Name }))
		for _, o := range os {
			assert.Equal(t, formSentence, o.Form)
		}
		ds := x.Deadlines(src, s, e, 2019)
		require.Len(t, ds, 1)
		assert.Equal(t, "2019年2月底前", ds[0].Text)
		assert.Equal(t, "2019-02-28", ds[0].To)
	})
}

// blankLine is a line of nothing but white space inside a match.
var blankLine = regexp.MustCompile(`[\n\r][ \t\x{3000}\x{00A0}]*(\r\n|\n|\r)`)

// TestCorpusPositions runs every extractor over every corpus file whole
// and checks each span against the original bytes: the text at the
// reported offsets, the line and the column counted again from the bytes.
// It also checks that each kind comes sorted and without overlaps, and
// that no match runs across a blank line.
func TestCorpusPositions(t *testing.T) {
	x := NewExtractor(testVocab(t))
	checked := 0
	for _, src := range exCorpusAll(t) {
		n := len(src.Text)
		kinds := map[string][]Match{
			"owner":    exMatches(x.Owners(src, 0, n), func(o Owner) Match { return o.Match }),
			"deadline": exMatches(x.Deadlines(src, 0, n, 2018), func(d Deadline) Match { return d.Match }),
			"target":   exMatches(x.Targets(src, 0, n), func(t Target) Match { return t.Match }),
			"vague":    x.Vague(src, 0, n),
			"term":     exMatches(x.Terms(src, 0, n), func(t Term) Match { return t.Match }),
		}
		orig := src.Original()
		for kind, ms := range kinds {
			prevEnd := -1
			for _, m := range ms {
				s, e := m.Offsets()
				require.Equal(t, src.Text[s:e], m.Text, "%s %s", src.Name, kind)
				require.Equal(t, m.Text, string(orig[m.Start.Offset:m.End.Offset]), "%s %s %q", src.Name, kind, m.Text)
				line, col := exLineCol(orig, m.Start.Offset)
				require.Equal(t, [2]int{line, col}, [2]int{m.Start.Line, m.Start.Col}, "%s %s %q", src.Name, kind, m.Text)
				line, col = exLineCol(orig, m.End.Offset)
				require.Equal(t, [2]int{line, col}, [2]int{m.End.Line, m.End.Col}, "%s %s %q end", src.Name, kind, m.Text)
				require.GreaterOrEqual(t, s, prevEnd, "%s %s %q overlaps or is out of order", src.Name, kind, m.Text)
				require.False(t, blankLine.MatchString(m.Text), "%s %s %q crosses a blank line", src.Name, kind, m.Text)
				prevEnd = e
				checked++
			}
		}
	}
	assert.Greater(t, checked, 500)
}

func exMatches[T any](vs []T, match func(T) Match) []Match {
	out := make([]Match, len(vs))
	for i, v := range vs {
		out[i] = match(v)
	}
	return out
}

// exLineCol counts the 1-based line and character column of a byte offset
// of a UTF-8 input, independently of Source.
func exLineCol(b []byte, off int) (int, int) {
	head := b[:off]
	line := 1 + strings.Count(string(head), "\n")
	lastNL := strings.LastIndexByte(string(head), '\n')
	return line, 1 + utf8.RuneCount(head[lastNL+1:])
}

// TestExtractConcurrent runs one Extractor from several goroutines (run
// with -race) and checks that they all agree with a sequential run.
func TestExtractConcurrent(t *testing.T) {
	x := NewExtractor(testVocab(t))
	srcs := exCorpusAll(t)
	run := func(src *Source) []any {
		n := len(src.Text)
		return []any{x.Owners(src, 0, n), x.Deadlines(src, 0, n, 2018), x.Targets(src, 0, n), x.Vague(src, 0, n), x.Terms(src, 0, n)}
	}
	want := make([][]any, len(srcs))
	for i, s := range srcs {
		want[i] = run(s)
	}
	got := make([][]any, len(srcs))
	var wg sync.WaitGroup
	for i, s := range srcs {
		wg.Go(func() { got[i] = run(s) })
	}
	wg.Wait()
	assert.Equal(t, want, got)
}

// BenchmarkExtract runs every extractor over every corpus file whole.
func BenchmarkExtract(b *testing.B) {
	x := NewExtractor(testVocab(b))
	srcs := exCorpusAll(b)
	var size int64
	for _, s := range srcs {
		size += int64(len(s.Text))
	}
	b.SetBytes(size)
	for b.Loop() {
		for _, src := range srcs {
			n := len(src.Text)
			x.Owners(src, 0, n)
			x.Deadlines(src, 0, n, 2018)
			x.Targets(src, 0, n)
			x.Vague(src, 0, n)
			x.Terms(src, 0, n)
		}
	}
}
