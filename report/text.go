package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"

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
}

func newText(c *common) Formatter { return &textFormatter{common: c} }

func (t *textFormatter) Start() error { return nil }

func (t *textFormatter) paint(color, s string) string {
	if !t.opt.Color || color == "" {
		return s
	}
	return color + s + ansiReset
}

func (t *textFormatter) separate(b *strings.Builder) {
	if t.wrote {
		b.WriteByte('\n')
	}
	t.wrote = true
}

func (t *textFormatter) File(f File) error {
	t.tally.add(f)
	var b strings.Builder
	if f.Err != nil {
		t.separate(&b)
		fmt.Fprintf(&b, "%s %s %s\n", t.paint(ansiBold, f.Name+":"),
			t.paint(severityColors[rules.Error], "error:"), errText(f.Err))
	}
	for _, fd := range f.Findings {
		t.separate(&b)
		t.finding(&b, f, fd)
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (t *textFormatter) finding(b *strings.Builder, f File, fd rules.Finding) {
	loc := f.Name
	switch {
	case fd.Start.Para > 0:
		// A Word document has no lines to jump to: name the paragraph
		// and the character, as a reader finds them in Word.
		loc = fmt.Sprintf("%s: 段落 %d, 第%d字", f.Name, fd.Start.Para, fd.Start.ParaChar)
	case fd.Start.Line > 0:
		loc = fmt.Sprintf("%s:%d:%d", f.Name, fd.Start.Line, fd.Start.Col)
	}
	fmt.Fprintf(b, "%s %s %s [%s]\n", t.paint(ansiBold, loc+":"),
		t.paint(severityColors[fd.Severity], fd.Severity.String()+":"), fd.Message, fd.RuleID)
	if f.Source != nil && fd.Start.Line >= 1 && fd.Start.Line <= f.Source.LineCount() {
		line := f.Source.LineText(fd.Start.Line)
		end := fd.End.Col - 1
		if fd.End.Line != fd.Start.Line {
			// A span over several lines is underlined to the end of its first line.
			end = -1
		}
		src, marks := underline(line, fd.Start.Col-1, end, t.opt.MaxWidth)
		num := fmt.Sprintf("%5d", fd.Start.Line)
		gutter := strings.Repeat(" ", len(num))
		fmt.Fprintf(b, "%s | %s\n%s | %s\n", num, src, gutter, t.paint(ansiMark, marks))
	}
	if fd.Suggestion != "" {
		fmt.Fprintf(b, "  建议：%s\n", fd.Suggestion)
	}
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

// glyph is how one character of a source line is displayed: the text to
// print and the cells it takes.
type glyph struct {
	text  string
	cells int
}

// layout lays a line out for a terminal. East Asian Wide and Fullwidth
// characters take two cells, combining marks and format characters none,
// everything else one; tabs expand to the next multiple of tabWidth and
// other control characters show as a space.
func layout(line string) []glyph {
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
	return gs
}

func runeCells(r rune) int {
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// underline returns line as displayed and, under it, the marks for the
// characters [start, end) (0-based character indexes; end < 0 means the end
// of the line): '^' under the first cell, '~' under the rest, a single '^'
// for an empty span. A line wider than maxWidth cells is cut to a window
// around the span, the cuts shown as "…".
func underline(line string, start, end, maxWidth int) (string, string) {
	gs := layout(line)
	start = min(max(start, 0), len(gs))
	if end < 0 || end > len(gs) {
		end = len(gs)
	}
	end = max(end, start)
	// offs[i] is the cell where glyph i starts; offs[len(gs)] the line's width.
	offs := make([]int, len(gs)+1)
	for i, g := range gs {
		offs[i+1] = offs[i] + g.cells
	}
	lo, hi := window(offs[start], max(offs[end], offs[start]+1), offs[len(gs)], maxWidth)
	// The window always holds the span's start, so first <= start.
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
