package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/plancheck/plancheck/rules"
)

// tabWidth is the tab stop the text format expands tabs to, in both the
// source line and the underline, so that they stay aligned.
const tabWidth = 8

// ellipsis marks where a windowed line was cut. It is East Asian
// Ambiguous, one cell like every ambiguous character here.
const ellipsis = "…"

// ANSI sequences for the text format.
const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiMark  = "\x1b[1;32m"
)

var severityColors = map[rules.Severity]string{
	rules.Error:   "\x1b[1;31m",
	rules.Warning: "\x1b[1;33m",
	rules.Info:    "\x1b[1;36m",
}

// textFormatter writes compiler-style diagnostics with the source line
// underlined, then a summary.
type textFormatter struct {
	*common
	// wrote is true once a block is out, so the next one is set off by a blank line.
	wrote bool
	// buf gathers output until flushSize; lay and marks are reused
	// between findings.
	buf   []byte
	lay   lineLayout
	marks []byte
}

func newText(c *common) Formatter { return &textFormatter{common: c} }

func (t *textFormatter) Start() error { return nil }

// colorOn and colorOff bracket text shown in color, when the options ask
// for colour.
func (t *textFormatter) colorOn(b []byte, color string) []byte {
	if t.opt.Color && color != "" {
		b = append(b, color...)
	}
	return b
}

func (t *textFormatter) colorOff(b []byte, color string) []byte {
	if t.opt.Color && color != "" {
		b = append(b, ansiReset...)
	}
	return b
}

func (t *textFormatter) separate(b []byte) []byte {
	if t.wrote {
		b = append(b, '\n')
	}
	t.wrote = true
	return b
}

func (t *textFormatter) flush() error {
	_, err := t.w.Write(t.buf)
	t.buf = t.buf[:0]
	return err
}

func (t *textFormatter) File(f File) error {
	t.tally.add(f)
	if f.Err != nil {
		b := t.separate(t.buf)
		b = t.colorOn(b, ansiBold)
		b = append(b, f.Name...)
		b = append(b, ':')
		b = t.colorOff(b, ansiBold)
		b = append(b, ' ')
		b = t.colorOn(b, severityColors[rules.Error])
		b = append(b, "error:"...)
		b = t.colorOff(b, severityColors[rules.Error])
		b = append(b, ' ')
		b = append(b, errText(f.Err)...)
		t.buf = append(b, '\n')
	}
	for i := range f.Findings {
		t.buf = t.separate(t.buf)
		t.finding(&f, &f.Findings[i])
		if len(t.buf) >= flushSize {
			if err := t.flush(); err != nil {
				return err
			}
		}
	}
	return t.flush()
}

func (t *textFormatter) finding(f *File, fd *rules.Finding) {
	b := t.colorOn(t.buf, ansiBold)
	b = append(b, f.Name...)
	switch {
	case fd.Start.Para > 0:
		// A Word document has no lines to jump to: name the paragraph
		// and the character, as a reader finds them in Word.
		b = append(b, ": 段落 "...)
		b = strconv.AppendInt(b, int64(fd.Start.Para), 10)
		b = append(b, ", 第"...)
		b = strconv.AppendInt(b, int64(fd.Start.ParaChar), 10)
		b = append(b, "字"...)
	case fd.Start.Line > 0:
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(fd.Start.Line), 10)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(fd.Start.Col), 10)
	}
	b = append(b, ':')
	b = t.colorOff(b, ansiBold)
	b = append(b, ' ')
	color := severityColors[fd.Severity]
	b = t.colorOn(b, color)
	b = append(b, fd.Severity.String()...)
	b = append(b, ':')
	b = t.colorOff(b, color)
	b = append(b, ' ')
	b = append(b, fd.Message...)
	b = append(b, " ["...)
	b = append(b, fd.RuleID...)
	b = append(b, "]\n"...)
	if f.Source != nil && fd.Start.Line >= 1 && fd.Start.Line <= f.Source.LineCount() {
		end := fd.End.Col - 1
		if fd.End.Line != fd.Start.Line {
			// A span over several lines is underlined to the end of its first line.
			end = -1
		}
		// The line number right-aligned in five columns ("%5d"), then
		// the line; under them a gutter as wide, then the marks.
		var digits [20]byte
		num := strconv.AppendInt(digits[:0], int64(fd.Start.Line), 10)
		for range 5 - len(num) {
			b = append(b, ' ')
		}
		b = append(b, num...)
		b = append(b, " | "...)
		b, t.marks = t.lay.underline(b, t.marks[:0], f.Source.LineText(fd.Start.Line), fd.Start.Col-1, end, t.opt.MaxWidth)
		b = append(b, '\n')
		for range max(len(num), 5) {
			b = append(b, ' ')
		}
		b = append(b, " | "...)
		b = t.colorOn(b, ansiMark)
		b = append(b, t.marks...)
		b = t.colorOff(b, ansiMark)
		b = append(b, '\n')
	}
	if fd.Suggestion != "" {
		b = append(b, "  建议："...)
		b = append(b, fd.Suggestion...)
		b = append(b, '\n')
	}
	t.buf = b
}

func (t *textFormatter) Finish() error {
	var b strings.Builder
	if t.wrote {
		b.WriteByte('\n')
	}
	b.WriteString(t.tally.sentence())
	b.WriteByte('\n')
	counts := t.tally.ruleCounts()
	idWidth, numWidth := 0, 0
	for _, rc := range counts {
		idWidth = max(idWidth, len(rc.id))
		numWidth = max(numWidth, len(fmt.Sprint(rc.count)))
	}
	for _, rc := range counts {
		line := fmt.Sprintf("  %*d  %-*s  %s", numWidth, rc.count, idWidth, rc.id, t.title(rc.id))
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// lineLayout lays a source line out for a terminal, glyph by glyph, only
// as far as a finding's excerpt needs: lines of Chinese plans are whole
// paragraphs, often far wider than the window shown. East Asian Wide and
// Fullwidth characters take two cells, combining marks and format
// characters none, everything else one; tabs expand to the next multiple
// of tabWidth and other control characters show as a space. The slices
// are reused from line to line.
type lineLayout struct {
	line string
	// at[i] is the byte offset in line of glyph i, cell[i] the cell it
	// starts at; both have an entry more, for the end of the last glyph
	// laid out.
	at, cell []int
	// done is true once the whole line is laid out; plain while every
	// glyph laid out shows as written (no tab, control character or
	// invalid UTF-8).
	done, plain bool
}

func (l *lineLayout) reset(line string) {
	l.line = line
	l.at = append(l.at[:0], 0)
	l.cell = append(l.cell[:0], 0)
	l.plain = true
}

// glyphs is how many glyphs are laid out.
func (l *lineLayout) glyphs() int { return len(l.at) - 1 }

// extend lays out glyphs until there are n of them and they fill cells
// cells, or the line ends.
func (l *lineLayout) extend(n, cells int) {
	// Locals, stored back once: appending through l's fields would cost
	// a GC write barrier a glyph.
	at, cell, plain := l.at, l.cell, l.plain
	end, col := at[len(at)-1], cell[len(cell)-1]
	for end < len(l.line) && (len(at)-1 < n || col < cells) {
		r, size := utf8.DecodeRuneInString(l.line[end:])
		switch {
		case r == '\t':
			col += tabWidth - col%tabWidth
			plain = false
		case r < 0x20 || r == 0x7f:
			col++
			plain = false
		case r == utf8.RuneError && size == 1:
			col += runeCells(r)
			plain = false
		default:
			col += runeCells(r)
		}
		end += size
		at = append(at, end)
		cell = append(cell, col)
	}
	l.at, l.cell, l.plain = at, cell, plain
	l.done = end == len(l.line)
}

// appendGlyphs appends glyphs [from, to) as displayed.
func (l *lineLayout) appendGlyphs(b []byte, from, to int) []byte {
	if l.plain {
		return append(b, l.line[l.at[from]:l.at[to]]...)
	}
	for i := from; i < to; i++ {
		g := l.line[l.at[i]:l.at[i+1]]
		switch r, size := utf8.DecodeRuneInString(g); {
		case r == '\t':
			for range l.cell[i+1] - l.cell[i] {
				b = append(b, ' ')
			}
		case r < 0x20 || r == 0x7f:
			b = append(b, ' ')
		case r == utf8.RuneError && size == 1:
			b = utf8.AppendRune(b, r)
		default:
			b = append(b, g...)
		}
	}
	return b
}

func runeCells(r rune) int {
	switch {
	// The bulk of a Chinese plan, checked against the general case by
	// TestRuneCells: printable ASCII; CJK Unified Ideographs, and the CJK
	// and fullwidth punctuation, all Wide or Fullwidth.
	case r < 0x7f:
		return 1
	case 0x4e00 <= r && r <= 0x9fff, 0x3000 <= r && r <= 0x3029, 0xff01 <= r && r <= 0xff60:
		return 2
	}
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// underline appends line as displayed to src and, to marks, the marks for
// the characters [start, end) (0-based character indexes; end < 0 means
// the end of the line): '^' under the first cell, '~' under the rest, a
// single '^' for an empty span. A line wider than maxWidth cells is cut to
// a window around the span, the cuts shown as "…".
func (l *lineLayout) underline(src, marks []byte, line string, start, end, maxWidth int) ([]byte, []byte) {
	l.reset(line)
	start = max(start, 0)
	if end < 0 {
		l.extend(math.MaxInt, 0)
	} else {
		l.extend(max(start, end), 0)
	}
	n := l.glyphs()
	start = min(start, n)
	if end < 0 || end > n {
		end = n
	}
	end = max(end, start)
	a := l.cell[start]
	// The window starts at or before the span (a) and is maxWidth cells
	// wide: laid out this far, the line is either all there or known to
	// be wider than any window, and window's answer is the same as for
	// the whole line.
	l.extend(0, a+maxWidth+1)
	n = l.glyphs()
	lo, hi := window(a, max(l.cell[end], a+1), l.cell[n], maxWidth)
	// The window always holds the span's start, so first <= start.
	first := 0
	for first < n && l.cell[first] < lo {
		first++
	}
	last := first
	for last < n && l.cell[last+1] <= hi {
		last++
	}

	if first > 0 {
		src = append(src, ellipsis...)
		marks = append(marks, ' ')
	}
	src = l.appendGlyphs(src, first, last)
	for range l.cell[min(start, last)] - l.cell[first] {
		marks = append(marks, ' ')
	}
	if last < n || !l.done { // glyphs beyond the window, laid out or not
		src = append(src, ellipsis...)
	}
	// '^' under the span's first cell, or alone for a span of no cells.
	marks = append(marks, '^')
	for range l.cell[min(end, last)] - l.cell[min(start, last)] - 1 {
		marks = append(marks, '~')
	}
	return src, marks
}

// window chooses the cells [lo, hi) of a line total cells wide to show
// for a span over the cells [a, b): the whole line when it fits, else
// maxWidth cells with the span centred, or starting a little before the
// span when the span itself is too wide.
func window(a, b, total, maxWidth int) (int, int) {
	if total <= maxWidth {
		return 0, total
	}
	const lead = 10 // cells of context before a span wider than the window
	lo := a - (maxWidth-(b-a))/2
	if b-a >= maxWidth {
		lo = a - lead
	}
	lo = max(lo, 0)
	hi := lo + maxWidth
	if hi > total {
		hi = total
		lo = total - maxWidth
	}
	return lo, hi
}
