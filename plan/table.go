package plan

import (
	"strings"
)

// Tables reach plancheck flattened, in one of two layouts:
//
//   - one cell per line, as Word and web pages copy them: every cell starts
//     with a tab; a cell continues over untabbed lines, even across a blank
//     line (a cell of several paragraphs); an empty cell is a line with only
//     a tab; a blank line followed by a tab-led line starts the next row.
//     Rows are not checked against the header width: a merged cell leaves
//     a row one cell short.
//   - one row per line, cells separated by tabs, as HTML becomes when </td>
//     is turned into a tab (every cell then ends with a tab).
//
// Both begin with a header row naming at least two Vocab.TableColumns.

// tableShortRunes bounds the length of a cell that can be a header name or
// a group label: both are a few words, never a sentence.
const tableShortRunes = 12

// tableDeadlineWords are the calendar and scheduling words of a deadline
// cell (12月底, 第三季度, 10月1日前后, 根据省里要求, 按省统一进度安排).
var tableDeadlineWords = []string{"年", "月", "日", "前", "底", "季度", "要求", "进度", "安排"}

// tableLineKind classifies a line by where its tabs are.
type tableLineKind int

const (
	tableBlank  tableLineKind = iota // nothing but padding
	tableText                        // no tab
	tableTabLed                      // a tab before any other character
	tableTabbed                      // a tab after other characters
)

// tablePad reports the padding around cells: spaces, U+3000, NBSP and line
// ends, but not the tab, which separates cells.
func tablePad(r rune) bool { return r != '\t' && isWhiteSpace(r) }

// tableRange is a decoded byte range [s, e) of Source.Text.
type tableRange struct{ s, e int }

// tableLayout says how the rows of one table are written.
type tableLayout struct {
	perLine bool // one cell per line; else one row per line
	// lead and term: in a row-per-line table, cells are led by a tab (the
	// header starts with one) or terminated by one (the header ends with one).
	lead, term bool
}

// tableHeader is a header row found at a line.
type tableHeader struct {
	tableLayout
	cells []tableRange
	last  int        // the header's last line
	rng   tableRange // the header's own text
}

// tableScan is a table found by the scanner: its header and the line span
// of every row.
type tableScan struct {
	header tableHeader
	rows   []tableRange // first and last line of each row
}

// tableScanner reads lines 1..limit of src looking for tables.
type tableScanner struct {
	src   *Source
	limit int
	v     *Vocab
	// buf is room for the cells of the line being looked at, which
	// header and firstCell reuse; scan leaves it to its header's cells.
	buf []tableRange
}

func (sc *tableScanner) kind(n int) tableLineKind {
	text := sc.src.LineText(n)
	for _, r := range text {
		switch {
		case r == '\t':
			return tableTabLed
		case !tablePad(r):
			if strings.ContainsRune(text, '\t') {
				return tableTabbed
			}
			return tableText
		}
	}
	return tableBlank
}

// content returns line n's text range without its padding; a tab is
// content, so an empty cell's line keeps its tab.
func (sc *tableScanner) content(n int) tableRange {
	s, e := sc.src.lineBounds(n)
	return tableTrim(sc.src, s, e)
}

// tableTrim narrows [s, e) to exclude padding at both ends.
func tableTrim(src *Source, s, e int) tableRange {
	for s < e {
		r, n := decodeRune(src.Text[:e], s)
		if !tablePad(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := decodeLastRune(src.Text, s, e)
		if !tablePad(r) {
			break
		}
		e -= n
	}
	return tableRange{s, e}
}

// split cuts the range [s, e) into cells at its tabs, dropping an empty
// piece before a leading tab (lead) or after a trailing one (term), and
// trims each cell. An empty cell is an empty range where its text would be.
func (l tableLayout) split(src *Source, rg tableRange) []tableRange {
	return l.splitInto(nil, src, rg)
}

// splitInto is split writing the cells over buf, so that checking line
// after line reuses one buffer.
func (l tableLayout) splitInto(buf []tableRange, src *Source, rg tableRange) []tableRange {
	pieces := buf[:0]
	start := rg.s
	for i := rg.s; i < rg.e; i++ {
		if src.Text[i] == '\t' {
			pieces = append(pieces, tableRange{start, i})
			start = i + 1
		}
	}
	pieces = append(pieces, tableRange{start, rg.e})
	empty := func(p tableRange) bool { t := tableTrim(src, p.s, p.e); return t.s == t.e }
	if (l.perLine || l.lead) && len(pieces) > 1 && empty(pieces[0]) {
		pieces = append(pieces[:0], pieces[1:]...)
	}
	if l.term && len(pieces) > 1 && empty(pieces[len(pieces)-1]) {
		pieces = pieces[:len(pieces)-1]
	}
	for i, p := range pieces {
		t := tableTrim(src, p.s, p.e)
		if t.s == t.e {
			t = tableRange{p.s, p.s}
		}
		pieces[i] = t
	}
	return pieces
}

// tableSqueeze removes all whitespace: header names and group labels are
// compared without the padding and line breaks of their cells (责 任 人,
// 服务\n提升年).
func tableSqueeze(s string) string {
	return strings.Map(func(r rune) rune {
		if isWhiteSpace(r) {
			return -1
		}
		return r
	}, s)
}

// squeezedRunes counts the characters of tableSqueeze(s), up to limit+1:
// enough to tell an empty or a long cell without building its squeeze.
func squeezedRunes(s string, limit int) int {
	n := 0
	for _, r := range s {
		if !isWhiteSpace(r) {
			if n++; n > limit {
				break
			}
		}
	}
	return n
}

// namesColumn reports whether a cell reads as a header name: short and
// containing one of the configured column names.
func (sc *tableScanner) namesColumn(text string) bool {
	// Most cells are too long to be a name: count before squeezing.
	if n := squeezedRunes(text, tableShortRunes); n == 0 || n > tableShortRunes {
		return false
	}
	name := tableSqueeze(text)
	for _, c := range sc.v.TableColumns {
		if c != "" && strings.Contains(name, c) {
			return true
		}
	}
	return false
}

// inTabRun reports whether line n continues a run of tab-led lines: the
// line before it is tab-led, or untabbed text hanging from one.
func (sc *tableScanner) inTabRun(n int) bool {
	m := n - 1
	for m >= 1 && sc.kind(m) == tableText {
		m--
	}
	return m >= 1 && sc.kind(m) != tableBlank
}

// header reports whether a header row starts at line n.
func (sc *tableScanner) header(n int) (tableHeader, bool) {
	if n < 1 || n > sc.limit {
		return tableHeader{}, false
	}
	h := tableHeader{last: n}
	c := sc.content(n)
	switch sc.kind(n) {
	case tableTabLed:
		if strings.Count(sc.src.Text[c.s:c.e], "\t") > 1 {
			if n > 1 && sc.kind(n-1) >= tableTabLed {
				return tableHeader{}, false
			}
			h.lead = true
			h.term = strings.HasSuffix(sc.src.Text[c.s:c.e], "\t")
			break
		}
		if sc.inTabRun(n) {
			return tableHeader{}, false
		}
		h.perLine = true
		for h.last < sc.limit {
			k := sc.kind(h.last + 1)
			if k == tableText || k == tableTabLed && strings.Count(sc.src.LineText(h.last+1), "\t") == 1 {
				h.last++
				continue
			}
			break
		}
		c.e = sc.content(h.last).e
	case tableTabbed:
		if n > 1 && sc.kind(n-1) >= tableTabLed {
			return tableHeader{}, false
		}
		h.term = strings.HasSuffix(sc.src.Text[c.s:c.e], "\t")
	default:
		return tableHeader{}, false
	}
	h.rng = c
	h.cells = h.splitInto(sc.buf, sc.src, c)
	sc.buf = h.cells
	named := 0
	for _, cell := range h.cells {
		if sc.namesColumn(sc.src.Text[cell.s:cell.e]) {
			named++
		}
	}
	return h, named >= 2
}

// scan reads the table whose header starts at line n.
func (sc *tableScanner) scan(n int) (*tableScan, bool) {
	h, ok := sc.header(n)
	if !ok {
		return nil, false
	}
	sc.buf = nil // the header keeps its cells; later lines are split elsewhere
	t := &tableScan{header: h}
	if h.perLine {
		t.rows = sc.cellPerLineRows(h)
	} else {
		t.rows = sc.rowPerLineRows(h)
	}
	return t, len(t.rows) > 0
}

// firstCell returns the text of the first cell written on line n.
func (sc *tableScanner) firstCell(l tableLayout, n int) string {
	sc.buf = l.splitInto(sc.buf, sc.src, sc.content(n))
	return sc.src.Text[sc.buf[0].s:sc.buf[0].e]
}

// startsRow reports whether line n can start a row after rows: not a new
// table's header and, when the rows are numbered, numbered or unnumbered
// (a merged 序号 cell) rather than a stray tab-indented paragraph.
func (sc *tableScanner) startsRow(l tableLayout, n int, rows []tableRange) bool {
	if _, ok := sc.header(n); ok {
		return false
	}
	if len(rows) == 0 {
		return true
	}
	if _, numbered := tableInt(sc.firstCell(l, rows[0].s)); !numbered {
		return true
	}
	first := sc.firstCell(l, n)
	_, isInt := tableInt(first)
	return first == "" || isInt
}

// nextNonBlank returns the first non-blank line from n on, or limit+1.
func (sc *tableScanner) nextNonBlank(n int) int {
	for n <= sc.limit && sc.kind(n) == tableBlank {
		n++
	}
	return n
}

// cellPerLineRows collects the rows after a one-cell-per-line header. A
// blank line then a tab-led line starts a row; untabbed text after a blank
// line continues the last cell only if the table goes on after it (a later
// tab-led line continuing the row or starting a valid one): otherwise it is
// the text after the table.
func (sc *tableScanner) cellPerLineRows(h tableHeader) []tableRange {
	var rows []tableRange
	for i := h.last + 1; i <= sc.limit; {
		switch sc.kind(i) {
		case tableBlank:
			j := sc.nextNonBlank(i)
			switch {
			case j > sc.limit:
				return rows
			case sc.kind(j) == tableTabLed && sc.startsRow(h.tableLayout, j, rows):
				rows = append(rows, tableRange{j, j})
				i = j + 1
			case sc.kind(j) == tableText && len(rows) > 0 && sc.continues(h.tableLayout, j, rows):
				i = j
			default:
				return rows
			}
		case tableTabLed, tableText:
			if len(rows) == 0 {
				return rows
			}
			rows[len(rows)-1].e = i
			i++
		default:
			return rows
		}
	}
	return rows
}

// continues reports whether the untabbed text at line j, after a blank
// line, still belongs to the table.
func (sc *tableScanner) continues(l tableLayout, j int, rows []tableRange) bool {
	m := j
	for m <= sc.limit && (sc.kind(m) == tableText || sc.kind(m) == tableBlank) {
		m++
	}
	if m > sc.limit || sc.kind(m) != tableTabLed {
		return false
	}
	if sc.kind(m-1) == tableBlank {
		return sc.startsRow(l, m, rows)
	}
	return true
}

// rowPerLineRows collects the rows after a one-row-per-line header: every
// line with a tab, blank lines between them allowed; untabbed text ends
// the table.
func (sc *tableScanner) rowPerLineRows(h tableHeader) []tableRange {
	var rows []tableRange
	for i := h.last + 1; i <= sc.limit; {
		switch sc.kind(i) {
		case tableTabLed, tableTabbed:
			if !sc.startsRow(h.tableLayout, i, rows) {
				return rows
			}
			rows = append(rows, tableRange{i, i})
			i++
		case tableBlank:
			j := sc.nextNonBlank(i)
			if j > sc.limit || sc.kind(j) < tableTabLed {
				return rows
			}
			i = j
		default:
			return rows
		}
	}
	return rows
}

// tableInt reads a cell holding only an integer in ASCII or full-width digits.
func tableInt(s string) (int, bool) {
	n, digits := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n = n*10 + int(r-'0')
		case r >= '０' && r <= '９':
			n = n*10 + int(r-'０')
		default:
			return 0, false
		}
		if digits++; digits > 9 {
			return 0, false
		}
	}
	return n, digits > 0
}

// tableAt reports whether a table starts at 1-based line n of src (a header
// row of tab-led or tab-separated cells naming at least two Vocab.TableColumns,
// followed by at least one row), and returns the last line that belongs to it.
func tableAt(src *Source, n int, v *Vocab) (last int, ok bool) {
	// A header line has a tab: most lines are ruled out here.
	if n < 1 || n > len(src.lineStarts) || strings.IndexByte(src.LineText(n), '\t') < 0 {
		return 0, false
	}
	sc := &tableScanner{src: src, limit: src.LineCount(), v: v}
	t, ok := sc.scan(n)
	if !ok {
		return 0, false
	}
	return t.rows[len(t.rows)-1].e, true
}

// parseTable builds a KindTable unit for lines first..last: Columns = header
// names in order (with "" for an unlabeled column), Children = KindRow units.
// It returns nil when no table starts at line first.
func parseTable(src *Source, first, last int, v *Vocab) *Unit {
	sc := &tableScanner{src: src, limit: min(last, src.LineCount()), v: v}
	t, ok := sc.scan(first)
	if !ok {
		return nil
	}
	h := t.header
	names := make([]string, len(h.cells))
	for i, c := range h.cells {
		names[i] = tableSqueeze(src.Text[c.s:c.e])
	}
	rows := make([][]tableRange, len(t.rows))
	bodies := make([]tableRange, len(t.rows))
	for i, r := range t.rows {
		bodies[i] = tableRange{sc.content(r.s).s, sc.content(r.e).e}
		rows[i] = h.split(src, bodies[i])
	}
	group := tableGroupColumn(src, rows, len(names))
	columns := names
	if group >= 0 {
		columns = append(append(append([]string{}, names[:group]...), ""), names[group:]...)
	} else {
		// A header with an empty cell (a Word table whose group column
		// has no heading) names the group column itself.
		for i, n := range names {
			if n == "" && i > 0 {
				group = i
				break
			}
		}
	}
	end := bodies[len(bodies)-1].e
	table := &Unit{
		Kind:      KindTable,
		Span:      src.Span(h.rng.s, end),
		Text:      strings.Join(names, "\t"),
		Columns:   columns,
		src:       src,
		bodyStart: h.rng.s,
		bodyEnd:   end,
	}
	timeLast := containsAny(columns[len(columns)-1], timeColumnWords)
	var prev *Unit
	current := ""
	for i, cells := range rows {
		row := &Unit{
			Kind:      KindRow,
			Span:      src.Span(bodies[i].s, bodies[i].e),
			Parent:    table,
			Prev:      prev,
			src:       src,
			bodyStart: bodies[i].s,
			bodyEnd:   bodies[i].e,
		}
		row.Cells, row.Short = tableAlign(src, cells, columns, timeLast && tableDeadline(src, cells, v))
		texts := make([]string, len(row.Cells))
		for j, c := range row.Cells {
			texts[j] = c.Text
		}
		row.Text = strings.Join(texts, "\t")
		if group >= 0 && group < len(row.Cells) {
			if g := tableSqueeze(row.Cells[group].Text); g != "" {
				current = g
			}
			if current != "" {
				row.Path = []string{current}
			}
		}
		if prev != nil {
			prev.Next = row
		}
		prev = row
		table.Children = append(table.Children, row)
	}
	tableLabels(table)
	return table
}

// tableDeadline reports whether a row's last cell reads as a deadline.
func tableDeadline(src *Source, cells []tableRange, v *Vocab) bool {
	last := cells[len(cells)-1]
	text := src.Text[last.s:last.e]
	if containsAny(text, tableDeadlineWords) {
		return true
	}
	for _, w := range v.DeferredDeadlines {
		if w != "" && strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// tableGroupColumn finds the unlabeled column of a table whose rows are
// one cell wider than its header: a merged column of group labels, such
// as 改革创新年 spanning the rows of one year. It is the column, among rows
// of the full width, whose cells are mostly empty and otherwise short; it
// returns -1 when there is none.
func tableGroupColumn(src *Source, rows [][]tableRange, width int) int {
	var full [][]tableRange
	for _, r := range rows {
		if len(r) == width+1 {
			full = append(full, r)
		}
	}
	if len(full)*2 < len(rows) {
		return -1
	}
	best, bestEmpty := -1, 0
	for j := 0; j <= width; j++ {
		empty, short := 0, true
		for _, r := range full {
			switch n := squeezedRunes(src.Text[r[j].s:r[j].e], tableShortRunes); {
			case n == 0:
				empty++
			case n > tableShortRunes:
				short = false
			}
		}
		if short && empty*2 > len(full) && empty > bestEmpty {
			best, bestEmpty = j, empty
		}
	}
	return best
}

// tableAlign places a row's cells under the columns. A full row maps one
// to one; cells beyond the columns are kept with Column "". A short row
// fills from the left, except that a last cell that reads as a deadline
// under a time column (deadlineRight) stays under it, so the gap falls in
// the middle, where merged cells leave it. A gap is a Missing cell with an
// empty span just after the cell before it.
func tableAlign(src *Source, cells []tableRange, columns []string, deadlineRight bool) ([]Cell, bool) {
	w := len(columns)
	short := len(cells) < w
	place := make([]int, len(cells))
	for i := range place {
		place[i] = i
	}
	if short && deadlineRight {
		place[len(place)-1] = w - 1
	}
	out := make([]Cell, 0, max(w, len(cells)))
	k := 0
	for c := 0; c < w; c++ {
		if k < len(cells) && place[k] == c {
			out = append(out, Cell{Match: NewMatch(src, cells[k].s, cells[k].e), Column: columns[c]})
			k++
			continue
		}
		p := cells[0].s
		if k > 0 {
			p = cells[k-1].e
		}
		out = append(out, Cell{Match: NewMatch(src, p, p), Column: columns[c], Missing: true})
	}
	for ; k < len(cells); k++ {
		out = append(out, Cell{Match: NewMatch(src, cells[k].s, cells[k].e)})
	}
	return out, short
}

// tableLabels numbers the rows from their sequence column: the leftmost
// column filled in at least half of the rows with integers only (序号).
func tableLabels(t *Unit) {
	for c := range t.Columns {
		filled, ints := 0, true
		for _, row := range t.Children {
			text := row.Cells[c].Text
			if text == "" {
				continue
			}
			filled++
			// A number broken over lines ("1", "0" in two paragraphs of
			// a Word cell) is still one number.
			if _, ok := tableInt(tableSqueeze(text)); !ok {
				ints = false
				break
			}
		}
		if !ints || filled*2 < len(t.Children) {
			continue
		}
		for _, row := range t.Children {
			row.Label = tableSqueeze(row.Cells[c].Text)
			row.Number, _ = tableInt(row.Label)
		}
		return
	}
}

// Cell returns the row's cell under the named column ("" for an unlabeled
// column), and false when the row has no such column.
func (u *Unit) Cell(column string) (Cell, bool) {
	for _, c := range u.Cells {
		if c.Column == column {
			return c, true
		}
	}
	return Cell{}, false
}
