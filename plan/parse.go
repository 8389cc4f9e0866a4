package plan

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Numbering styles: the families that decide levels. Form keeps the exact
// punctuation within a family (（一） vs (一), 1. vs 1．).
const (
	StyleCnComma     = "一、"
	StyleCnParen     = "（一）"
	StyleArabicComma = "1、"
	StyleArabicDot   = "1."
	StyleArabicParen = "（1）"
	StyleArabicHalf  = "1)"
	StyleCircled     = "①"
	StyleCnShi       = "一是"
)

const cnDigits = `[一二三四五六七八九十百零〇○两]`

// labelPatterns recognise a numbering label at the start of a line (after
// indentation). Order matters: longer, more specific forms first.
var labelPatterns = []struct {
	style string
	re    *regexp.Regexp
}{
	{StyleCnParen, regexp.MustCompile(`^[（(]\s*(` + cnDigits + `+)\s*[）)]`)},
	{StyleArabicParen, regexp.MustCompile(`^[（(]\s*([0-9０-９]{1,3})\s*[）)]`)},
	{StyleCnComma, regexp.MustCompile(`^(` + cnDigits + `+)\s*[、，,]`)},
	{StyleCnShi, regexp.MustCompile(`^(` + cnDigits + `{1,3})是`)},
	{StyleArabicComma, regexp.MustCompile(`^([0-9０-９]{1,3})\s*、`)},
	{StyleArabicDot, regexp.MustCompile(`^([0-9０-９]{1,3})\s*[.．]`)},
	{StyleArabicHalf, regexp.MustCompile(`^([0-9０-９]{1,3})[)）]`)},
	{StyleCircled, regexp.MustCompile(`^([①-⑳])`)},
}

var (
	// A dot label must not be a decimal number or a date (2.5, 2018.3),
	// but may be followed by a date (2.9月底前完成…).
	digitAfter = regexp.MustCompile(`^[0-9０-９]`)
	dateAfter  = regexp.MustCompile(`^[0-9０-９]{1,2}\s*[月日]|^[0-9０-９]{4}\s*年`)
	titleGenre = regexp.MustCompile(`(工作要点|要点|工作计划|计划|实施方案|工作方案|方案|意见|通知|规划|办法|纲要|安排)\s*$`)
	draftRe    = regexp.MustCompile(`[（(]?\s*(征求意见稿|讨论稿|送审稿|修改稿|草案|代拟稿)\s*[）)]?`)
	dateRe     = regexp.MustCompile(`[0-9０-９〇○零一二三四五六七八九]{4}\s*年\s*[0-9０-９一二三四五六七八九十]{1,3}\s*月(\s*[0-9０-９一二三四五六七八九十]{1,3}\s*日)?`)
	yearRe     = regexp.MustCompile(`([12][0-9]{3})\s*年`)
	scopeRe    = regexp.MustCompile(`全(市|省|县|区|国|州|镇|系统)`)
	docNumRe   = regexp.MustCompile(`〔[0-9]{4}〕[0-9]+号|\[[0-9]{4}\][0-9]+号`)
	annexRe    = regexp.MustCompile(`^附件\s*[0-9一二三四五六七八九十]*\s*[：:]?`)
	issuerRe   = regexp.MustCompile(`^[\p{Han}（）()]{2,30}(局|委|委员会|厅|部|政府|办公室|办公厅|院|中心|办)$`)
	publicRe   = regexp.MustCompile(`^[（(]此件.{0,8}[）)]$|^[（(]信息公开形式`)
	salutation = regexp.MustCompile(`[：:]$`)
)

// isSpace reports the padding real texts use: ASCII space and tab, U+3000, NBSP.
func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0' || unicode.IsSpace(r)
}

// line is one input line with its content trimmed of padding.
type line struct {
	n          int // 1-based
	start, end int // decoded byte range of the trimmed content
	text       string
	tabLed     bool
}

func (l line) blank() bool { return l.start == l.end }

func splitLines(src *Source) []line {
	count := src.LineCount()
	lines := make([]line, count)
	for n := 1; n <= count; n++ {
		s, e := src.lineBounds(n)
		raw := src.Text[s:e]
		tabLed := strings.HasPrefix(strings.TrimLeft(raw, " "), "\t")
		trimmedLeft := strings.TrimLeftFunc(raw, isSpace)
		s += len(raw) - len(trimmedLeft)
		trimmed := strings.TrimRightFunc(trimmedLeft, isSpace)
		e = s + len(trimmed)
		lines[n-1] = line{n: n, start: s, end: e, text: trimmed, tabLed: tabLed}
	}
	return lines
}

// label is a numbering label found at the start of a line.
type label struct {
	style, form, text string
	number            int
	end               int // byte length of the label in the line text
}

func findLabel(text string) (label, bool) {
	for _, p := range labelPatterns {
		m := p.re.FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		lt := text[:m[1]]
		if p.style == StyleArabicDot && digitAfter.MatchString(text[m[1]:]) && !dateAfter.MatchString(text[m[1]:]) {
			continue
		}
		num := parseNumber(text[m[2]:m[3]])
		if num <= 0 {
			continue
		}
		// The rest of the line must say something: a bare "2、" inside
		// a table cell or a stray digit is not a label.
		rest := strings.TrimLeftFunc(text[m[1]:], isSpace)
		if p.style == StyleCnShi && rest == "" {
			continue
		}
		return label{style: p.style, form: labelForm(p.style, lt), text: lt, number: num, end: m[1]}, true
	}
	return label{}, false
}

// labelForm is the label with its numeral replaced by the style's first
// numeral and padding dropped, keeping the punctuation as written:
// "(十一)" → "(一)", "33." → "1.", "1．" → "1．".
func labelForm(style, text string) string {
	canonical := "1"
	switch style {
	case StyleCnComma, StyleCnParen, StyleCnShi:
		canonical = "一"
	case StyleCircled:
		canonical = "①"
	}
	var b strings.Builder
	inNumeral := false
	for _, r := range text {
		switch {
		case isNumeralRune(r):
			if !inNumeral {
				b.WriteString(canonical)
			}
			inNumeral = true
		case isSpace(r):
		default:
			inNumeral = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isNumeralRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= '０' && r <= '９' || strings.ContainsRune("一二三四五六七八九十百零〇○两", r) || r >= '①' && r <= '⑳'
}

// parseNumber reads Arabic (half or full width), circled or Chinese numerals.
func parseNumber(s string) int {
	if s == "" {
		return 0
	}
	if r, _ := utf8.DecodeRuneInString(s); r >= '①' && r <= '⑳' {
		return int(r-'①') + 1
	}
	var ascii strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			ascii.WriteRune(r)
		case r >= '０' && r <= '９':
			ascii.WriteRune(r - '０' + '0')
		}
	}
	if ascii.Len() > 0 {
		n, err := strconv.Atoi(ascii.String())
		if err != nil {
			return 0
		}
		return n
	}
	return ChineseNumber(s)
}

var cnDigitValue = map[rune]int{'零': 0, '〇': 0, '○': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// ChineseNumber converts a Chinese numeral to an integer: counting forms
// (十一, 二十四, 一百零五) and digit-by-digit forms (二〇一一). It returns 0
// for anything that is not a numeral.
func ChineseNumber(s string) int {
	if s == "" {
		return 0
	}
	if !strings.ContainsAny(s, "十百") {
		n := 0
		for _, r := range s {
			d, ok := cnDigitValue[r]
			if !ok {
				return 0
			}
			n = n*10 + d
		}
		return n
	}
	total, cur := 0, 0
	for _, r := range s {
		switch r {
		case '十':
			total += max(cur, 1) * 10
			cur = 0
		case '百':
			total += max(cur, 1) * 100
			cur = 0
		default:
			d, ok := cnDigitValue[r]
			if !ok {
				return 0
			}
			cur = d
		}
	}
	return total + cur
}

// Parse reads the structure of a decoded plan: wrapper, title block,
// preamble, headed sections, numbered items with their continuation
// paragraphs, tables, closing and page junk; then extracts owners,
// deadlines, targets, vague wording and quoted terms for every unit.
// It never fails: text it cannot place becomes a paragraph.
func Parse(src *Source, v *Vocab) *Plan {
	return ParseWith(src, v, NewExtractor(v))
}

// ParseWith is Parse with an Extractor built once and shared across
// documents (building one compiles the vocabulary's patterns).
func ParseWith(src *Source, v *Vocab, x *Extractor) *Plan {
	p := &parser{src: src, v: v, x: x, lines: splitLines(src)}
	return p.parse()
}

type parser struct {
	src   *Source
	v     *Vocab
	x     *Extractor
	lines []line
	plan  *Plan
	junk  *regexp.Regexp
}

func (p *parser) parse() *Plan {
	p.plan = &Plan{Source: p.src, File: p.src.Name, Encoding: p.src.Encoding}
	p.junk = p.x.junk
	bodyStart := p.firstLabel()
	bodyEnd := p.trailerStart(bodyStart)
	titleFirst, titleLast := p.findTitle(bodyStart)

	var units []*Unit
	next := 0
	if titleFirst >= 0 {
		for i := 0; i < titleFirst; i++ {
			units = p.appendLine(units, KindWrapper, i)
		}
		units = append(units, p.titleUnit(titleFirst, titleLast))
		next = titleLast + 1
	}
	for i := next; i < bodyStart && i < bodyEnd; i++ {
		// A plan without numbered sections may still carry a table.
		if last, ok := tableAt(p.src, p.lines[i].n, p.v); ok && last <= bodyEnd {
			if t := parseTable(p.src, p.lines[i].n, last, p.v); t != nil {
				if n := len(units); n > 0 && units[n-1].Kind == KindTable && slices.Equal(units[n-1].Columns, t.Columns) {
					joinTables(units[n-1], t)
				} else {
					units = append(units, t)
				}
			}
			i = last - 1
			continue
		}
		kind := KindPreamble
		if p.isTitleInfo(p.lines[i].text) {
			kind = KindTitleInfo
		}
		units = p.appendLine(units, kind, i)
	}
	units = append(units, p.body(max(bodyStart, next), bodyEnd)...)
	for i := bodyEnd; i < len(p.lines); i++ {
		kind := KindClosing
		if p.junk != nil && p.junk.MatchString(p.lines[i].text) {
			kind = KindJunk
		}
		units = p.appendLine(units, kind, i)
	}
	p.plan.Units = units
	p.titleBlock()
	p.classify()
	p.link()
	p.extract()
	p.documentFacts()
	return p.plan
}

// documentFacts records what only the whole document tells: each
// numbering style's usual form, and the first use of every quoted term.
func (p *parser) documentFacts() {
	counts := map[string]map[string]int{}
	var order []string
	explained := map[string]bool{}
	p.plan.Walk(func(u *Unit) bool {
		if u.Style != "" {
			if counts[u.Style] == nil {
				counts[u.Style] = map[string]int{}
			}
			if counts[u.Style][u.Form] == 0 {
				order = append(order, u.Style+"\x00"+u.Form)
			}
			counts[u.Style][u.Form]++
		}
		for _, t := range u.Terms {
			explained[t.Inner] = explained[t.Inner] || t.Explained
		}
		return true
	})
	p.plan.StyleForms = map[string]string{}
	for _, key := range order {
		style, form, _ := strings.Cut(key, "\x00")
		if best, ok := p.plan.StyleForms[style]; !ok || counts[style][form] > counts[style][best] {
			p.plan.StyleForms[style] = form
		}
	}
	seen := map[string]bool{}
	p.plan.Walk(func(u *Unit) bool {
		for i := range u.Terms {
			t := &u.Terms[i]
			t.ExplainedAnywhere = explained[t.Inner]
			if !seen[t.Inner] {
				t.First, seen[t.Inner] = true, true
			}
		}
		return true
	})
}

// wordsRegexp builds one alternation from a word list, longest first.
func wordsRegexp(words []string) *regexp.Regexp {
	if len(words) == 0 {
		return nil
	}
	quoted := make([]string, 0, len(words))
	for _, w := range sortedLongestFirst(words) {
		quoted = append(quoted, regexp.QuoteMeta(w))
	}
	return regexp.MustCompile(strings.Join(quoted, "|"))
}

// sortedLongestFirst orders words longest first, then lexically, so an
// alternation prefers the longest match and never depends on input order.
func sortedLongestFirst(words []string) []string {
	out := append([]string(nil), words...)
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b))
	})
	return slices.Compact(out)
}

// firstLabel is the index of the first line that starts a numbered unit
// at the outermost style, or len(lines) when there is none.
func (p *parser) firstLabel() int {
	for i, l := range p.lines {
		if lb, ok := findLabel(l.text); ok && lb.style != StyleCnShi && !l.tabLed {
			// A numbered line inside a notice (the wrapper) would need a
			// title after it; keep the earliest label after the last
			// genre title line instead.
			if j := p.titleAfter(i); j >= 0 {
				continue
			}
			return i
		}
	}
	return len(p.lines)
}

// titleAfter returns a title-like line after i that precedes any further
// label, i.e. evidence that line i belongs to a wrapper.
func (p *parser) titleAfter(i int) int {
	for j := i + 1; j < len(p.lines); j++ {
		t := p.lines[j].text
		if _, ok := findLabel(t); ok {
			return -1
		}
		if p.isTitleLine(t) {
			return j
		}
	}
	return -1
}

func (p *parser) isTitleLine(t string) bool {
	if t == "" || utf8.RuneCountInString(t) > 50 || strings.HasPrefix(t, "附") || strings.ContainsAny(t, "。：:，,") {
		return false
	}
	if strings.HasPrefix(t, "（") || strings.HasPrefix(t, "(") || strings.Contains(t, "》") && !strings.Contains(t, "关于") {
		return false
	}
	return titleGenre.MatchString(draftRe.ReplaceAllString(t, ""))
}

// findTitle looks upwards from the body for the plan's title, joining a
// title split over adjacent lines. It returns -1, -1 when there is none.
func (p *parser) findTitle(bodyStart int) (int, int) {
	for i := min(bodyStart, len(p.lines)) - 1; i >= 0; i-- {
		if !p.isTitleLine(p.lines[i].text) {
			continue
		}
		first := i
		for first > 0 {
			prev := p.lines[first-1]
			if prev.blank() || utf8.RuneCountInString(prev.text) > 40 || strings.ContainsAny(prev.text, "。：:，,、（(") ||
				dateRe.MatchString(prev.text) || issuerRe.MatchString(prev.text) || p.isTitleLine(prev.text) {
				break
			}
			first--
		}
		return first, i
	}
	return -1, -1
}

func (p *parser) isTitleInfo(t string) bool {
	if utf8.RuneCountInString(t) > 40 {
		return false
	}
	plain := strings.Trim(t, "（）() ")
	return draftRe.MatchString(t) || dateRe.MatchString(t) && utf8.RuneCountInString(plain) <= 16 ||
		issuerRe.MatchString(strings.Join(strings.FieldsFunc(t, isSpace), "")) ||
		docNumRe.MatchString(t) || publicRe.MatchString(t) || salutation.MatchString(t) && strings.HasPrefix(t, "各")
}

// trailerStart finds where closing lines and page junk begin at the end.
func (p *parser) trailerStart(bodyStart int) int {
	end := len(p.lines)
	for end > bodyStart {
		l := p.lines[end-1]
		switch {
		case l.blank():
		case p.junk != nil && p.junk.MatchString(l.text) && utf8.RuneCountInString(l.text) <= 40:
		case !l.tabLed && p.isClosingLine(l.text):
		default:
			return end
		}
		end--
	}
	return end
}

func (p *parser) isClosingLine(t string) bool {
	if _, ok := findLabel(t); ok || utf8.RuneCountInString(t) > 30 {
		return false
	}
	compact := strings.Join(strings.FieldsFunc(t, isSpace), "")
	if d := dateRe.FindString(compact); d != "" && utf8.RuneCountInString(compact) <= utf8.RuneCountInString(d)+2 {
		return true
	}
	return issuerRe.MatchString(compact) || publicRe.MatchString(compact)
}

func (p *parser) lineUnit(kind Kind, i int) *Unit {
	l := p.lines[i]
	return &Unit{Kind: kind, Span: p.src.Span(l.start, l.end), Text: l.text, src: p.src, bodyStart: l.start, bodyEnd: l.end}
}

func (p *parser) appendLine(units []*Unit, kind Kind, i int) []*Unit {
	if p.lines[i].blank() {
		return units
	}
	return append(units, p.lineUnit(kind, i))
}

func (p *parser) titleUnit(first, last int) *Unit {
	s, e := p.lines[first].start, p.lines[last].end
	u := &Unit{Kind: KindTitle, Span: p.src.Span(s, e), Text: p.src.Text[s:e], src: p.src, bodyStart: s, bodyEnd: e}
	m := NewMatch(p.src, s, e)
	u.Title = &m
	p.plan.Title = &m
	return u
}

// titleBlock fills the plan's year, scope, draft marker, issuer and date
// from the title, the lines under it and, failing those, the wrapper.
func (p *parser) titleBlock() {
	pl := p.plan
	if pl.Title != nil {
		if m := yearRe.FindStringSubmatch(pl.Title.Text); m != nil {
			pl.Year, _ = strconv.Atoi(m[1])
		}
		pl.Scope = scopeRe.FindString(pl.Title.Text)
	}
	pick := func(kinds ...Kind) {
		for _, k := range kinds {
			for _, u := range pl.Units {
				if u.Kind != k {
					continue
				}
				if pl.DraftMarker == nil {
					if loc := draftRe.FindStringIndex(u.Text); loc != nil && k != KindWrapper {
						m := NewMatch(p.src, u.bodyStart+loc[0], u.bodyStart+loc[1])
						pl.DraftMarker = &m
					}
				}
				if pl.Date == nil {
					if loc := dateRe.FindStringIndex(u.Text); loc != nil && utf8.RuneCountInString(u.Text) <= 40 {
						m := NewMatch(p.src, u.bodyStart+loc[0], u.bodyStart+loc[1])
						pl.Date = &m
					}
				}
				if pl.Issuer == nil && issuerRe.MatchString(strings.Join(strings.FieldsFunc(u.Text, isSpace), "")) {
					m := NewMatch(p.src, u.bodyStart, u.bodyEnd)
					pl.Issuer = &m
				}
			}
		}
	}
	pick(KindTitleInfo, KindClosing, KindWrapper)
	if pl.Year == 0 && pl.Date != nil {
		if y := parseNumber(strings.SplitN(pl.Date.Text, "年", 2)[0]); y > 1900 && y < 2200 {
			pl.Year = y
		}
	}
}

// frame is an open numbered unit on the nesting stack.
type frame struct {
	style string
	unit  *Unit
}

// body parses lines [from, to) into headings, items, paragraphs and tables.
// Levels come from the order styles open: a style already open closes
// everything nested in it, a new style nests under the innermost open unit.
func (p *parser) body(from, to int) []*Unit {
	var top []*Unit
	var stack []frame
	// lastTable is the table just read, while nothing but blank lines
	// follows it.
	var lastTable *Unit
	add := func(u *Unit) {
		if len(stack) == 0 {
			top = append(top, u)
			return
		}
		parent := stack[len(stack)-1].unit
		u.Parent = parent
		parent.Children = append(parent.Children, u)
	}
	for i := from; i < to; i++ {
		l := p.lines[i]
		if l.blank() {
			continue
		}
		if last, ok := tableAt(p.src, l.n, p.v); ok && last-1 < to {
			t := parseTable(p.src, l.n, last, p.v)
			i = last - 1
			if t == nil {
				continue
			}
			// A table split across pages (its header repeated, or two
			// tables one after the other) is one table.
			if lastTable != nil && slices.Equal(lastTable.Columns, t.Columns) {
				joinTables(lastTable, t)
				continue
			}
			// A table belongs to the innermost open heading, not to an item.
			for len(stack) > 0 && stack[len(stack)-1].unit.Kind == KindItem {
				stack = stack[:len(stack)-1]
			}
			add(t)
			lastTable = t
			continue
		}
		lastTable = nil
		if annexRe.MatchString(l.text) {
			// An annex starts afresh: its notes and tables are not part
			// of the last item.
			stack = stack[:0]
			add(p.lineUnit(KindParagraph, i))
			continue
		}
		lb, ok := findLabel(l.text)
		if !ok || l.tabLed {
			add(p.lineUnit(KindParagraph, i))
			continue
		}
		depth := len(stack)
		for j, f := range stack {
			if f.style == lb.style {
				depth = j
				break
			}
		}
		stack = stack[:depth]
		u := p.numbered(lb, i, to)
		u.Level = depth + 1
		add(u)
		stack = append(stack, frame{lb.style, u})
		if u.bodyEnd > l.end {
			i++ // the heading's text was on the next line
		}
	}
	return top
}

// joinTables appends the rows of next, the continuation of a table split
// across pages, to t.
func joinTables(t, next *Unit) {
	rows := next.Children
	if n := len(t.Children); n > 0 && len(rows) > 0 {
		t.Children[n-1].Next, rows[0].Prev = rows[0], t.Children[n-1]
	}
	for _, r := range rows {
		r.Parent = t
	}
	t.Children = append(t.Children, rows...)
	t.End = next.End
	t.bodyEnd = next.bodyEnd
}

// numbered builds a heading or item unit for a labelled line. Kind is
// decided later, once children are known (see classify).
func (p *parser) numbered(lb label, i, to int) *Unit {
	l := p.lines[i]
	u := &Unit{Kind: KindItem, Label: lb.text, Style: lb.style, Form: lb.form, Number: lb.number, src: p.src, bodyStart: l.start, bodyEnd: l.end}
	restStart := l.start + lb.end
	for restStart < l.end {
		r, n := utf8.DecodeRuneInString(p.src.Text[restStart:])
		if !isSpace(r) {
			break
		}
		restStart += n
	}
	// A marker alone on its line takes the next line as its text.
	if restStart == l.end && i+1 < to && !p.lines[i+1].blank() {
		if _, ok := findLabel(p.lines[i+1].text); !ok {
			restStart = p.lines[i+1].start
			u.bodyEnd = p.lines[i+1].end
		}
	}
	u.titleStart = restStart
	return u
}

var sentenceEnd = regexp.MustCompile(`[。！？!?]`)

// classify decides, for every numbered unit, whether it is a heading or
// an item, fixes item bodies to include their continuation paragraphs and
// sets titles. A unit whose text has a sentence end is an item (the lead
// sentence is its title); one without is a heading when it, or a sibling
// of its style, contains numbered units.
func (p *parser) classify() {
	var decide func(siblings []*Unit)
	decide = func(siblings []*Unit) {
		// What the siblings of each style say, found once: kindOf would
		// otherwise look at every sibling for every unit.
		ends := make(map[*Unit]bool, len(siblings))
		styles := map[string]*styleFacts{}
		for _, u := range siblings {
			if u.Style == "" {
				continue
			}
			f := styles[u.Style]
			if f == nil {
				f = &styleFacts{}
				styles[u.Style] = f
			}
			ends[u] = p.hasSentenceEnd(u)
			f.sentenceEnd = f.sentenceEnd || ends[u]
			f.numberedChild = f.numberedChild || hasNumberedChild(u)
		}
		for _, u := range siblings {
			decide(u.Children)
			if u.Style == "" {
				continue
			}
			u.Kind = kindOf(u, ends[u], styles[u.Style])
		}
	}
	decide(p.plan.Units)
	p.plan.Walk(func(u *Unit) bool {
		if u.Kind != KindItem {
			return true
		}
		// Continuation paragraphs extend the item's own text.
		for _, c := range u.Children {
			if c.Kind != KindParagraph || annexRe.MatchString(c.Text) {
				break
			}
			u.bodyEnd = c.bodyEnd
		}
		return true
	})
	p.plan.Walk(func(u *Unit) bool {
		if u.Style == "" {
			return true
		}
		firstLineEnd := u.bodyEnd
		if nl := strings.IndexAny(p.src.Text[u.titleStart:u.bodyEnd], "\r\n"); nl >= 0 {
			firstLineEnd = u.titleStart + nl
		}
		end := firstLineEnd
		if u.Kind == KindItem {
			if loc := sentenceEnd.FindStringIndex(p.src.Text[u.titleStart:firstLineEnd]); loc != nil {
				end = u.titleStart + loc[0]
			}
		}
		m := NewMatch(p.src, u.titleStart, end)
		u.Title = &m
		u.Text = p.src.Text[u.bodyStart:u.bodyEnd]
		last := u
		for len(last.Children) > 0 {
			last = last.Children[len(last.Children)-1]
		}
		u.Span = p.src.Span(u.bodyStart, max(u.bodyEnd, last.bodyEnd))
		return true
	})
}

func hasNumberedChild(u *Unit) bool {
	for _, c := range u.Children {
		if c.Style != "" {
			return true
		}
	}
	return false
}

func (p *parser) hasSentenceEnd(u *Unit) bool {
	text := p.src.Text[u.titleStart:u.bodyEnd]
	if nl := strings.IndexAny(text, "\r\n"); nl >= 0 {
		text = text[:nl]
	}
	return strings.ContainsAny(text, "。！？!?")
}

// styleFacts says whether some unit of a style among siblings has a
// sentence end, and whether one has numbered children.
type styleFacts struct{ sentenceEnd, numberedChild bool }

// kindOf decides whether u is an item or a heading: an item when it or a
// sibling of its style has a sentence end, a heading when it or such a
// sibling has numbered children, or when it has children at all.
func kindOf(u *Unit, end bool, style *styleFacts) Kind {
	switch {
	case end, style.sentenceEnd && !hasNumberedChild(u):
		return KindItem
	case hasNumberedChild(u), style.numberedChild, len(u.Children) > 0:
		return KindHeading
	}
	return KindItem
}

// link sets section paths and the numbering neighbours: Prev and Next
// join units of one style and level under the same grandparent, so that
// numbering continued across sections (items 1–36 under （一）…（九）) and
// numbering restarted per section can both be checked.
func (p *parser) link() {
	type key struct {
		style string
		level int
		scope *Unit
	}
	last := map[key]*Unit{}
	var walk func(us []*Unit, path []string)
	walk = func(us []*Unit, path []string) {
		for _, u := range us {
			u.Path = path
			if u.Style != "" {
				u.Path = append(append([]string(nil), path...), pathLabel(u))
				var scope *Unit
				if u.Parent != nil {
					scope = u.Parent.Parent
				}
				k := key{u.Style, u.Level, scope}
				if prev := last[k]; prev != nil {
					u.Prev, prev.Next = prev, u
				}
				last[k] = u
			}
			if u.Kind == KindTable {
				for _, r := range u.Children {
					r.Path = append(append([]string(nil), path...), r.Path...)
					if r.Label != "" {
						r.Path = append(r.Path, r.Label)
					}
				}
				continue
			}
			walk(u.Children, u.Path)
		}
	}
	walk(p.plan.Units, nil)
}

// pathLabel names a unit in a section path: a heading by its label and a
// shortened title, an item by its number as written.
func pathLabel(u *Unit) string {
	if u.Kind == KindItem {
		return strings.TrimRight(u.Label, "、.．")
	}
	title := ""
	if u.Title != nil {
		title = u.Title.Text
	}
	if r := []rune(title); len(r) > 12 {
		title = string(r[:12]) + "…"
	}
	return u.Label + title
}

// ownerColumn and timeColumn recognise the table columns that name owners
// and deadlines.
var (
	ownerColumn = regexp.MustCompile(`责任|牵头|配合|协办|承办|主办`)
	timeColumn  = regexp.MustCompile(`时限|时间|进度|期限`)
)

func (p *parser) extract() {
	year := p.plan.Year
	// The notice around a draft is dated before the plan's year (a 2012
	// plan circulated in December 2011): its reply date is in that year.
	wrapperYear := year
	if p.plan.Date != nil {
		if y := parseNumber(strings.TrimSpace(strings.SplitN(p.plan.Date.Text, "年", 2)[0])); y > 1900 && y < 2200 {
			wrapperYear = y
		}
	}
	fill := func(u *Unit, s, e int) {
		f := p.x.All(p.src, s, e, year)
		u.Owners, u.Deadlines, u.Targets, u.Vague, u.Terms = f.Owners, f.Deadlines, f.Targets, f.Vague, f.Terms
	}
	p.plan.Walk(func(u *Unit) bool {
		switch u.Kind {
		case KindItem, KindPreamble:
			fill(u, u.bodyStart, u.bodyEnd)
		case KindHeading:
			fill(u, u.titleStart, u.bodyEnd)
			// A deadline stated once in a section's own text applies to
			// the whole section.
			for _, c := range u.Children {
				if c.Kind == KindParagraph {
					fill(c, c.bodyStart, c.bodyEnd)
					u.Deadlines = append(u.Deadlines, c.Deadlines...)
				}
			}
		case KindParagraph:
			if u.Parent == nil || u.Parent.Kind != KindItem && u.Parent.Kind != KindHeading {
				fill(u, u.bodyStart, u.bodyEnd)
			}
		case KindWrapper:
			u.Deadlines = p.x.Deadlines(p.src, u.bodyStart, u.bodyEnd, wrapperYear)
			if p.plan.ReplyBy == nil && len(u.Deadlines) > 0 && strings.Contains(u.Text, "意见") {
				d := u.Deadlines[0]
				p.plan.ReplyBy = &d
			}
		case KindTitle:
			u.Terms = p.x.Terms(p.src, u.bodyStart, u.bodyEnd)
		case KindRow:
			p.extractRow(u, year)
			return false
		}
		return true
	})
}

func (p *parser) extractRow(u *Unit, year int) {
	for _, c := range u.Cells {
		if c.Missing || c.Text == "" {
			continue
		}
		s, e := c.Offsets()
		switch {
		case ownerColumn.MatchString(c.Column):
			u.Owners = append(u.Owners, p.cellOwners(c, s, e)...)
		case timeColumn.MatchString(c.Column):
			u.Deadlines = append(u.Deadlines, p.x.Deadlines(p.src, s, e, year)...)
		default:
			u.Targets = append(u.Targets, p.x.Targets(p.src, s, e)...)
			u.Vague = append(u.Vague, p.x.Vague(p.src, s, e)...)
			u.Terms = append(u.Terms, p.x.Terms(p.src, s, e)...)
		}
	}
}

var ownerSep = regexp.MustCompile(`[、，,；;\r\n]+`)

// cellOwners splits an owner cell on 、，； and line breaks: every name is
// an owner, the column saying its role.
func (p *parser) cellOwners(c Cell, s, e int) []Owner {
	role := "responsible"
	switch {
	case strings.Contains(c.Column, "牵头"):
		role = "lead"
	case strings.Contains(c.Column, "配合") || strings.Contains(c.Column, "协办"):
		role = "assist"
	}
	var out []Owner
	text := p.src.Text[s:e]
	pos := 0
	for _, sep := range append(ownerSep.FindAllStringIndex(text, -1), []int{len(text), len(text)}) {
		ns, ne := s+pos, s+sep[0]
		for ns < ne {
			r, n := utf8.DecodeRuneInString(p.src.Text[ns:])
			if !isSpace(r) {
				break
			}
			ns += n
		}
		for ne > ns {
			r, n := utf8.DecodeLastRuneInString(p.src.Text[:ne])
			if !isSpace(r) {
				break
			}
			ne -= n
		}
		if ne > ns {
			m := NewMatch(p.src, ns, ne)
			out = append(out, Owner{Match: m, Name: m.Text, Role: role, Form: "table"})
		}
		pos = sep[1]
	}
	return out
}
