package report

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/width"
)

// underline runs lineLayout.underline on a fresh layout.
func underline(line string, start, end, maxWidth int) (string, string) {
	var l lineLayout
	src, marks := l.underline(nil, nil, line, start, end, maxWidth)
	return string(src), string(marks)
}

func TestUnderline(t *testing.T) {
	cases := []struct {
		name            string
		line            string
		start, end, max int
		src, marks      string
	}{
		{"ascii", "abc def", 4, 7, 100, "abc def", "    ^~~"},
		{"chinese", "　　1.推进，年内完成。", 7, 9, 100, "　　1.推进，年内完成。", "            ^~~~"},
		{"tab expands in both lines", "\t3.年内", 3, 5, 100, "        3.年内", "          ^~~~"},
		{"tab inside the span", "ab\tc", 1, 3, 100, "ab      c", " ^~~~~~~"},
		{"mid-line tab", "年\t内", 2, 3, 100, "年      内", "        ^~"},
		{"empty span", "年内完成。", 2, 2, 100, "年内完成。", "    ^"},
		{"empty span at line end", "年内完成。", 5, 5, 100, "年内完成。", "          ^"},
		{"to end of line", "年内完成。", 2, -1, 100, "年内完成。", "    ^~~~~~"},
		{"zero-width char in prefix", "a\u200b年内", 2, 4, 100, "a\u200b年内", " ^~~~"},
		{"control char", "a\fb", 2, 3, 100, "a b", "  ^"},
		{"window centres the span", "一二三四五六七八九十", 5, 6, 6, "…五六七…", "   ^~"},
		{"window at the start", "一二三四五六七八九十", 0, 1, 6, "一二三…", "^~"},
		{"window at the end", "一二三四五六七八九十", 9, 10, 6, "…八九十", "     ^~"},
		{"span wider than window", "abcdefghijklmnopqrstuvwxyz", 12, 26, 12, "…cdefghijklmn…", "           ^~"},
		{"empty span at end of a long line", "一二三四五六七八九十", 10, 10, 6, "…八九十", "       ^"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src, marks := underline(tc.line, tc.start, tc.end, tc.max)
			assert.Equal(t, tc.src, src)
			assert.Equal(t, tc.marks, marks)
		})
	}
}

// glyph is a character as underlineWhole displays it.
type glyph struct {
	text  string
	cells int
}

// underlineWhole is the straightforward underline that lineLayout's
// must agree with: it lays out the whole line, however long, before
// choosing the window.
func underlineWhole(line string, start, end, maxWidth int) (string, string) {
	var gs []glyph
	col := 0
	for _, r := range line {
		var g glyph
		switch {
		case r == '\t':
			n := tabWidth - col%tabWidth
			g = glyph{strings.Repeat(" ", n), n}
		case r < 0x20 || r == 0x7f:
			g = glyph{" ", 1}
		default:
			g = glyph{string(r), runeCells(r)}
		}
		col += g.cells
		gs = append(gs, g)
	}
	start = min(max(start, 0), len(gs))
	if end < 0 || end > len(gs) {
		end = len(gs)
	}
	end = max(end, start)
	offs := make([]int, len(gs)+1)
	for i, g := range gs {
		offs[i+1] = offs[i] + g.cells
	}
	lo, hi := window(offs[start], max(offs[end], offs[start]+1), offs[len(gs)], maxWidth)
	first := 0
	for first < len(gs) && offs[first] < lo {
		first++
	}
	last := first
	for last < len(gs) && offs[last+1] <= hi {
		last++
	}
	var src, marks strings.Builder
	if first > 0 {
		src.WriteString(ellipsis)
		marks.WriteByte(' ')
	}
	for i := first; i < last; i++ {
		src.WriteString(gs[i].text)
		if i < start {
			marks.WriteString(strings.Repeat(" ", gs[i].cells))
		}
	}
	if last < len(gs) {
		src.WriteString(ellipsis)
	}
	caret := false
	for i := start; i < min(end, last); i++ {
		for range gs[i].cells {
			if !caret {
				marks.WriteByte('^')
				caret = true
			} else {
				marks.WriteByte('~')
			}
		}
	}
	if !caret {
		marks.WriteByte('^')
	}
	return src.String(), marks.String()
}

// TestUnderlineLaysOutOnlyWhatItShows checks the windowed underline
// against underlineWhole for every span of lines around the window's
// width, with one layout reused throughout as the formatter reuses it.
func TestUnderlineLaysOutOnlyWhatItShows(t *testing.T) {
	lines := []string{
		"",
		"年",
		"一二三四五六七八九十",
		"\t3.健全公共卫生体系，加强疾病预防控制机构能力建设,完善“重大疫情”监测预警机制",
		"a\u0301b\u200b年\t内\f完\x7f成。ｘ…—\u3000",
		"年\xe5\xb9内\xff",
	}
	var l lineLayout
	for _, line := range lines {
		n := utf8.RuneCountInString(line)
		for _, maxWidth := range []int{1, 2, 5, 6, 12, 40, 100} {
			for start := -1; start <= n+1; start++ {
				for end := -1; end <= n+1; end++ {
					wantSrc, wantMarks := underlineWhole(line, start, end, maxWidth)
					src, marks := l.underline(nil, nil, line, start, end, maxWidth)
					if !assert.Equal(t, wantSrc+"\n"+wantMarks, string(src)+"\n"+string(marks), "%q [%d,%d) in %d", line, start, end, maxWidth) {
						return
					}
				}
			}
		}
	}
}

// FuzzUnderline compares the windowed underline with underlineWhole.
func FuzzUnderline(f *testing.F) {
	f.Add("\t3.健全公共卫生体系，加强疾病预防控制机构能力建设", 5, 9, 12)
	f.Add("a\u0301b\u200b年\t内", 0, -1, 3)
	f.Fuzz(func(t *testing.T, line string, start, end, maxWidth int) {
		if maxWidth < 1 || maxWidth > 1000 {
			t.Skip()
		}
		wantSrc, wantMarks := underlineWhole(line, start, end, maxWidth)
		src, marks := underline(line, start, end, maxWidth)
		assert.Equal(t, wantSrc, src)
		assert.Equal(t, wantMarks, marks)
	})
}

// TestRuneCells checks runeCells' shortcuts against the general rule for
// every character.
func TestRuneCells(t *testing.T) {
	for r := rune(0x20); r <= unicode.MaxRune; r++ {
		if r == 0x7f {
			continue // a control character: layout shows it as a space
		}
		want := 1
		if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
			want = 0
		} else if k := width.LookupRune(r).Kind(); k == width.EastAsianWide || k == width.EastAsianFullwidth {
			want = 2
		}
		if runeCells(r) != want {
			assert.Equal(t, want, runeCells(r), "U+%04X", r)
			return
		}
	}
}

// cells counts display cells the way a terminal does, independently of
// layout: Wide and Fullwidth are two cells, zero-width space none.
func cells(s string) int {
	n := 0
	for _, r := range s {
		switch k := width.LookupRune(r).Kind(); {
		case r == '\u200b':
		case k == width.EastAsianWide || k == width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// charAtCell returns the character of s displayed at cell c.
func charAtCell(s string, c int) (rune, bool) {
	at := 0
	for _, r := range s {
		w := cells(string(r))
		if c >= at && c < at+w {
			return r, true
		}
		at += w
	}
	return 0, false
}

// TestTextUnderlineAlignment reads the rendered text output back: under
// every finding the '^' must sit under the span's first character and the
// marks must cover exactly its display width.
func TestTextUnderlineAlignment(t *testing.T) {
	files := testFiles(t)
	out := string(render(t, "text", testOptions, files))
	lines := strings.Split(out, "\n")
	checked := 0
	for _, fd := range files[0].Findings {
		head := -1
		for i, l := range lines {
			if strings.HasPrefix(l, files[0].Name+":") && strings.Contains(l, fd.Message) {
				head = i
			}
		}
		require.GreaterOrEqual(t, head, 0, "no diagnostic for %s", fd.Message)
		require.Less(t, head+2, len(lines))
		_, src, ok := strings.Cut(lines[head+1], " | ")
		require.True(t, ok, lines[head+1])
		_, marks, ok := strings.Cut(lines[head+2], " | ")
		require.True(t, ok, lines[head+2])

		caret := strings.IndexByte(marks, '^')
		require.GreaterOrEqual(t, caret, 0)
		first, _, _ := strings.Cut(fd.Excerpt, "\n")
		if first == "" {
			// An empty span points just after the character before it.
			line := files[0].Source.LineText(fd.Start.Line)
			before := string([]rune(line)[:fd.Start.Col-1])
			assert.Equal(t, cells(before), caret, fd.Message)
			assert.Equal(t, "^", marks[caret:], fd.Message)
			checked++
			continue
		}
		r, ok := charAtCell(src, caret)
		require.True(t, ok, "caret beyond the line for %s", fd.Message)
		assert.Equal(t, []rune(first)[0], r, "caret under the wrong character for %s", fd.Message)
		assert.Equal(t, cells(first), len(marks)-caret, "underline width for %s", fd.Message)
		at := runeIndexAtCell(src, caret)
		assert.Equal(t, first, string([]rune(src)[at:at+len([]rune(first))]), fd.Message)
		checked++
	}
	assert.Equal(t, len(files[0].Findings), checked)
}

func runeIndexAtCell(s string, c int) int {
	at := 0
	for i, r := range []rune(s) {
		if at >= c {
			return i
		}
		at += cells(string(r))
	}
	return len([]rune(s))
}

// TestTextLongLineWindowed checks the long line of the fixture is cut to
// about MaxWidth cells around each of its spans.
func TestTextLongLineWindowed(t *testing.T) {
	files := testFiles(t)
	for _, maxWidth := range []int{40, 60, 100} {
		opt := testOptions
		opt.MaxWidth = maxWidth
		out := string(render(t, "text", opt, files))
		n := 0
		for l := range strings.SplitSeq(out, "\n") {
			if _, src, ok := strings.Cut(l, "    7 | "); ok {
				n++
				assert.True(t, strings.HasPrefix(src, "…") || strings.HasSuffix(src, "…"), src)
				// One cell for each ellipsis beyond the window.
				assert.LessOrEqual(t, cells(src), maxWidth+2, src)
				assert.GreaterOrEqual(t, cells(src), maxWidth-1, src)
			}
		}
		assert.Equal(t, 2, n, "two findings on line 7")
	}
}

func TestTextColor(t *testing.T) {
	files := testFiles(t)
	plain := string(render(t, "text", testOptions, files))
	assert.NotContains(t, plain, "\x1b[")
	opt := testOptions
	opt.Color = true
	coloured := string(render(t, "text", opt, files))
	assert.Contains(t, coloured, "\x1b[1;31merror:\x1b[0m")
	assert.Contains(t, coloured, "\x1b[1;33mwarning:\x1b[0m")
	assert.Contains(t, coloured, "\x1b[1;36minfo:\x1b[0m")
}
