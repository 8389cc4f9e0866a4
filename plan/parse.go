package plan

import (
	"cmp"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// labelStyles recognise a numbering label at the start of a line (after
// indentation). Order matters: longer, more specific forms first. Each
// reads its form by hand, as the regexp of labelSpecs in spec_test.go
// would (a regexp per style and line was most of the parser's time): a
// numeral, padding and the punctuation around it are disjoint classes, so
// a match takes each run whole and no backtracking can find another.
// match returns the numeral's range and the label's end.
var labelStyles = []struct {
	style string
	match func(text string) (num [2]int, end int, ok bool)
}{
	{StyleCnParen, func(t string) ([2]int, int, bool) { return parenLabel(t, isLabelCN, 0) }},
	{StyleArabicParen, func(t string) ([2]int, int, bool) { return parenLabel(t, isDigitRune, 3) }},
	{StyleCnComma, func(t string) ([2]int, int, bool) { return closedLabel(t, isLabelCN, 0, true, "、，,") }},
	{StyleCnShi, func(t string) ([2]int, int, bool) { return closedLabel(t, isLabelCN, 3, false, "是") }},
	{StyleArabicComma, func(t string) ([2]int, int, bool) { return closedLabel(t, isDigitRune, 3, true, "、") }},
	{StyleArabicDot, func(t string) ([2]int, int, bool) { return closedLabel(t, isDigitRune, 3, true, ".．") }},
	{StyleArabicHalf, func(t string) ([2]int, int, bool) { return closedLabel(t, isDigitRune, 3, false, ")）") }},
	{StyleCircled, circledLabel},
}

// isLabelCN reports the Chinese numerals of labels: 一二三四五六七八九十百零〇○两.
func isLabelCN(r rune) bool {
	switch r {
	case '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '零', '〇', '○', '两':
		return true
	}
	return false
}

// skipRegexpSpace skips what \s matches in a Go regexp: ASCII space, tab,
// LF, FF and CR.
func skipRegexpSpace(t string, i int) int {
	for i < len(t) && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\f' || t[i] == '\r') {
		i++
	}
	return i
}

// numeralRun returns the end of the run of numerals (is) at t[i] and its
// length in characters.
func numeralRun(t string, i int, is func(rune) bool) (end, count int) {
	for i < len(t) {
		r, n := utf8.DecodeRuneInString(t[i:])
		if !is(r) {
			break
		}
		i += n
		count++
	}
	return i, count
}

// parenLabel reads [（(] \s* numerals \s* [）)] at the start of t: at most
// most numerals, unbounded when most is 0.
func parenLabel(t string, is func(rune) bool, most int) ([2]int, int, bool) {
	r, n := utf8.DecodeRuneInString(t)
	if r != '（' && r != '(' {
		return [2]int{}, 0, false
	}
	ns := skipRegexpSpace(t, n)
	ne, count := numeralRun(t, ns, is)
	if count == 0 || most > 0 && count > most {
		return [2]int{}, 0, false
	}
	i := skipRegexpSpace(t, ne)
	r, n = utf8.DecodeRuneInString(t[i:])
	if r != '）' && r != ')' {
		return [2]int{}, 0, false
	}
	return [2]int{ns, ne}, i + n, true
}

// closedLabel reads numerals, \s* when space is set, and one of the runes
// of closers at the start of t: at most most numerals, unbounded when most
// is 0.
func closedLabel(t string, is func(rune) bool, most int, space bool, closers string) ([2]int, int, bool) {
	ne, count := numeralRun(t, 0, is)
	if count == 0 || most > 0 && count > most {
		return [2]int{}, 0, false
	}
	i := ne
	if space {
		i = skipRegexpSpace(t, i)
	}
	r, n := utf8.DecodeRuneInString(t[i:])
	if n == 0 || !strings.ContainsRune(closers, r) {
		return [2]int{}, 0, false
	}
	return [2]int{0, ne}, i + n, true
}

// circledLabel reads a circled number ①–⑳ at the start of t.
func circledLabel(t string) ([2]int, int, bool) {
	r, n := utf8.DecodeRuneInString(t)
	if r < '①' || r > '⑳' {
		return [2]int{}, 0, false
	}
	return [2]int{0, n}, n, true
}

// dateAfter reports whether t starts with a day or month (9月, 15 日) or a
// year (2018年), which a dot label may be followed by.
func dateAfter(t string) bool {
	end, count := numeralRun(t, 0, isDigitRune)
	r, _ := utf8.DecodeRuneInString(t[skipRegexpSpace(t, end):])
	return (count == 1 || count == 2) && (r == '月' || r == '日') || count == 4 && r == '年'
}

var (
	titleGenre = regexp.MustCompile(`(工作要点|要点|工作计划|计划|实施方案|工作方案|方案|意见|通知|规划|办法|纲要|安排)\s*$`)
	draftRe    = regexp.MustCompile(`[（(]?\s*(征求意见稿|讨论稿|送审稿|修改稿|草案|代拟稿)\s*[）)]?`)
	dateRe     = regexp.MustCompile(`[0-9０-９〇○零一二三四五六七八九]{4}\s*年\s*[0-9０-９一二三四五六七八九十]{1,3}\s*月(\s*[0-9０-９一二三四五六七八九十]{1,3}\s*日)?`)
	yearRe     = regexp.MustCompile(`([12][0-9]{3})\s*年`)
	scopeRe    = regexp.MustCompile(`全(市|省|县|区|国|州|镇|系统)`)
	docNumRe   = regexp.MustCompile(`〔[0-9]{4}〕[0-9]+号|\[[0-9]{4}\][0-9]+号`)
	issuerRe   = regexp.MustCompile(`^[\p{Han}（）()]{2,30}(局|委|委员会|厅|部|政府|办公室|办公厅|院|中心|办)$`)
	publicRe   = regexp.MustCompile(`^[（(]此件.{0,8}[）)]$|^[（(]信息公开形式`)
	salutation = regexp.MustCompile(`[：:]$`)
)

// isAnnex reports a line that starts an annex (附件, 附件2：).
func isAnnex(t string) bool { return strings.HasPrefix(t, "附件") }

// isSpace reports the padding real texts use: ASCII space and tab, U+3000, NBSP.
func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0' || isWhiteSpace(r)
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
	for _, p := range labelStyles {
		numeral, end, ok := p.match(text)
		if !ok {
			continue
		}
		lt, rest := text[:end], text[end:]
		// A dot label must not be a decimal number or a date (2.5,
		// 2018.3), but may be followed by a date (2.9月底前完成…).
		if p.style == StyleArabicDot && isDigitRune(runeAt(rest, 0)) && !dateAfter(rest) {
			continue
		}
		num := parseNumber(text[numeral[0]:numeral[1]])
		if num <= 0 {
			continue
		}
		// The rest of the line must say something: a bare "2、" inside
		// a table cell or a stray digit is not a label.
		if p.style == StyleCnShi && strings.TrimLeftFunc(rest, isSpace) == "" {
			continue
		}
		return label{style: p.style, form: labelForm(p.style, lt), text: lt, number: num, end: end}, true
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
	ascii := make([]byte, 0, 8) // on the stack unless the number is long
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			ascii = append(ascii, byte(r))
		case r >= '０' && r <= '９':
			ascii = append(ascii, byte(r-'０'+'0'))
		}
	}
	if len(ascii) > 0 {
		n, err := strconv.Atoi(string(ascii))
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
	workers := 1
	if len(src.Text) >= parallelBytes {
		workers = runtime.GOMAXPROCS(0)
	}
	return parseWith(src, v, x, workers)
}

// parseWith is ParseWith extracting facts on workers goroutines.
func parseWith(src *Source, v *Vocab, x *Extractor, workers int) *Plan {
	p := &parser{src: src, v: v, x: x, lines: splitLines(src)}
	return p.parse(workers)
}

type parser struct {
	src   *Source
	v     *Vocab
	x     *Extractor
	lines []line
	plan  *Plan
	junk  *regexp.Regexp
}

func (p *parser) parse(workers int) *Plan {
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
	// Section paths and numbering neighbours need no facts: they are
	// linked while the facts are extracted.
	p.extract(workers, p.link)
	p.documentFacts()
	return p.plan
}

// documentFacts records what only the whole document tells: each
// numbering style's usual form, and the first use of every quoted term.
func (p *parser) documentFacts() {
	// A style has a few forms (its punctuation variants): a list in the
	// order first seen serves, ties going to the first.
	type formCount struct {
		style, form string
		n           int
	}
	var forms []formCount
	// Each term is looked up once: uses lists, in document order, every
	// term with the index of its entry in terms.
	type termFacts struct{ explained, seen bool }
	index := map[string]int{}
	var terms []termFacts
	type use struct {
		t *Term
		k int
	}
	var uses []use
	p.plan.Walk(func(u *Unit) bool {
		if u.Style != "" {
			k := slices.IndexFunc(forms, func(f formCount) bool { return f.style == u.Style && f.form == u.Form })
			if k < 0 {
				k = len(forms)
				forms = append(forms, formCount{style: u.Style, form: u.Form})
			}
			forms[k].n++
		}
		for i := range u.Terms {
			t := &u.Terms[i]
			k, ok := index[t.Inner]
			if !ok {
				k = len(terms)
				index[t.Inner] = k
				terms = append(terms, termFacts{})
			}
			terms[k].explained = terms[k].explained || t.Explained
			uses = append(uses, use{t, k})
		}
		return true
	})
	p.plan.StyleForms = map[string]string{}
	best := map[string]int{}
	for _, f := range forms {
		if n, ok := best[f.style]; !ok || f.n > n {
			p.plan.StyleForms[f.style], best[f.style] = f.form, f.n
		}
	}
	for _, us := range uses {
		us.t.ExplainedAnywhere = terms[us.k].explained
		if !terms[us.k].seen {
			us.t.First, terms[us.k].seen = true, true
		}
	}
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

// maxIssuerRunes is the longest name issuerRe matches: 30 characters
// and a suffix of 3.
const maxIssuerRunes = 33

// isIssuer reports whether t, without its padding, names an issuing body
// (嘉兴市卫生和计划生育委员会).
func isIssuer(t string) bool {
	// Most lines are too long to be a name: count before joining.
	n := 0
	for _, r := range t {
		if !isSpace(r) {
			if n++; n > maxIssuerRunes {
				return false
			}
		}
	}
	return issuerRe.MatchString(strings.Join(strings.FieldsFunc(t, isSpace), ""))
}

func (p *parser) isTitleInfo(t string) bool {
	if utf8.RuneCountInString(t) > 40 {
		return false
	}
	plain := strings.Trim(t, "（）() ")
	return draftRe.MatchString(t) || dateRe.MatchString(t) && utf8.RuneCountInString(plain) <= 16 ||
		isIssuer(t) ||
		docNumRe.MatchString(t) || publicRe.MatchString(t) || salutation.MatchString(t) && strings.HasPrefix(t, "各")
}

// trailerStart finds where closing lines and page junk begin at the end.
func (p *parser) trailerStart(bodyStart int) int {
	end := len(p.lines)
	for end > bodyStart {
		l := p.lines[end-1]
		switch {
		case l.blank():
		case p.junk != nil && utf8.RuneCountInString(l.text) <= 40 && p.junk.MatchString(l.text):
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
				// The cheap tests go first: wrappers are long paragraphs.
				if pl.DraftMarker == nil && k != KindWrapper {
					if loc := draftRe.FindStringIndex(u.Text); loc != nil {
						m := NewMatch(p.src, u.bodyStart+loc[0], u.bodyStart+loc[1])
						pl.DraftMarker = &m
					}
				}
				if pl.Date == nil && utf8.RuneCountInString(u.Text) <= 40 {
					if loc := dateRe.FindStringIndex(u.Text); loc != nil {
						m := NewMatch(p.src, u.bodyStart+loc[0], u.bodyStart+loc[1])
						pl.Date = &m
					}
				}
				if pl.Issuer == nil && isIssuer(u.Text) {
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
		if isAnnex(l.text) {
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

// classify decides, for every numbered unit, whether it is a heading or
// an item, fixes item bodies to include their continuation paragraphs and
// sets titles. A unit whose text has a sentence end is an item (the lead
// sentence is its title); one without is a heading when it, or a sibling
// of its style, contains numbered units.
func (p *parser) classify() {
	var decide func(siblings []*Unit)
	decide = func(siblings []*Unit) {
		// What the siblings of each style say, found once: kindOf would
		// otherwise look at every sibling for every unit. A few styles
		// stand among siblings, so a list serves where a map would cost
		// more to build.
		ends := make([]bool, len(siblings))
		var styles []styleFacts
		for i, u := range siblings {
			if u.Style == "" {
				continue
			}
			f := factsOf(&styles, u.Style)
			ends[i] = p.hasSentenceEnd(u)
			f.sentenceEnd = f.sentenceEnd || ends[i]
			f.numberedChild = f.numberedChild || hasNumberedChild(u)
		}
		for i, u := range siblings {
			decide(u.Children)
			if u.Style == "" {
				continue
			}
			u.Kind = kindOf(u, ends[i], factsOf(&styles, u.Style))
		}
	}
	decide(p.plan.Units)
	p.plan.Walk(func(u *Unit) bool {
		if u.Kind != KindItem {
			return true
		}
		// Continuation paragraphs extend the item's own text.
		for _, c := range u.Children {
			if c.Kind != KindParagraph || isAnnex(c.Text) {
				break
			}
			u.bodyEnd = c.bodyEnd
		}
		return true
	})
	var titles []Match
	p.plan.Walk(func(u *Unit) bool {
		if u.Style == "" {
			return true
		}
		firstLineEnd := u.bodyEnd
		if nl := indexLineEnd(p.src.Text[u.titleStart:u.bodyEnd]); nl >= 0 {
			firstLineEnd = u.titleStart + nl
		}
		end := firstLineEnd
		if u.Kind == KindItem {
			if i := indexSentenceEnd(p.src.Text[u.titleStart:firstLineEnd]); i >= 0 {
				end = u.titleStart + i
			}
		}
		// Titles are cut from shared blocks, one allocation for many.
		if len(titles) == 0 {
			titles = make([]Match, 64)
		}
		titles[0] = NewMatch(p.src, u.titleStart, end)
		u.Title, titles = &titles[0], titles[1:]
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
	if nl := indexLineEnd(text); nl >= 0 {
		text = text[:nl]
	}
	return indexSentenceEnd(text) >= 0
}

// indexLineEnd returns the offset of the first CR or LF in s, or -1: two
// IndexByte calls, which skip whole words at a time, where IndexAny
// would test every byte.
func indexLineEnd(s string) int {
	lf := strings.IndexByte(s, '\n')
	if lf < 0 {
		lf = len(s)
	}
	if cr := strings.IndexByte(s[:lf], '\r'); cr >= 0 {
		return cr
	}
	if lf == len(s) {
		return -1
	}
	return lf
}

// sentenceEnds are the marks that end a sentence.
var sentenceEnds = []string{"。", "！", "？", "!", "?"}

// indexSentenceEnd returns the offset of the first 。！？!? in s, or -1: the
// earliest of a search for each, every search but the first bounded by
// what came before, since strings.IndexAny decodes every character when
// the set is not ASCII.
func indexSentenceEnd(s string) int {
	end := len(s)
	for _, mark := range sentenceEnds {
		if i := strings.Index(s[:end], mark); i >= 0 {
			end = i
		}
	}
	if end == len(s) {
		return -1
	}
	return end
}

// styleFacts says whether some unit of a style among siblings has a
// sentence end, and whether one has numbered children.
type styleFacts struct {
	style                      string
	sentenceEnd, numberedChild bool
}

// factsOf returns the facts of style in list, adding them when missing.
func factsOf(list *[]styleFacts, style string) *styleFacts {
	for i := range *list {
		if (*list)[i].style == style {
			return &(*list)[i]
		}
	}
	*list = append(*list, styleFacts{style: style})
	return &(*list)[len(*list)-1]
}

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
	// Paths are cut from shared blocks, one allocation for many; each
	// ends its block's slice, so that appending to one copies it.
	var block []string
	newPath := func(parts ...[]string) []string {
		n := 0
		for _, part := range parts {
			n += len(part)
		}
		if n == 0 {
			return nil
		}
		if cap(block)-len(block) < n {
			block = make([]string, 0, max(n, 256))
		}
		start := len(block)
		for _, part := range parts {
			block = append(block, part...)
		}
		return block[start:len(block):len(block)]
	}
	var walk func(us []*Unit, path []string)
	walk = func(us []*Unit, path []string) {
		for _, u := range us {
			u.Path = path
			if u.Style != "" {
				u.Path = newPath(path, []string{pathLabel(u)})
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
					var label []string
					if r.Label != "" {
						label = []string{r.Label}
					}
					r.Path = newPath(path, r.Path, label)
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
	// A title of more than 12 characters is cut to 12 and an ellipsis.
	n := 0
	for i := range title {
		if n == 12 {
			return u.Label + string([]rune(title[:i])) + "…"
		}
		n++
	}
	return u.Label + title
}

// ownerColumnWords and timeColumnWords recognise the table columns that
// name owners and deadlines.
var (
	ownerColumnWords = []string{"责任", "牵头", "配合", "协办", "承办", "主办"}
	timeColumnWords  = []string{"时限", "时间", "进度", "期限"}
)

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// parallelBytes is the length of text from which Parse extracts facts on
// several goroutines: a long plan would otherwise leave all but one core
// idle, while short ones are many and read side by side by the caller.
const parallelBytes = 512 << 10

// extractTask is the extraction of one unit's facts: what says which.
type extractTask struct {
	u    *Unit
	what Kind // KindItem for All over [s, e), else the unit's own kind
	s, e int
}

// extract fills in every unit's facts on workers goroutines, and runs
// meanwhile, which must touch no facts, alongside. Units are independent:
// what depends on several (a section's deadlines, the reply date) is
// gathered afterwards, in document order.
func (p *parser) extract(workers int, meanwhile func()) {
	year := p.plan.Year
	// The notice around a draft is dated before the plan's year (a 2012
	// plan circulated in December 2011): its reply date is in that year.
	wrapperYear := year
	if p.plan.Date != nil {
		if y := parseNumber(strings.TrimSpace(strings.SplitN(p.plan.Date.Text, "年", 2)[0])); y > 1900 && y < 2200 {
			wrapperYear = y
		}
	}
	run := func(t extractTask) {
		u := t.u
		switch t.what {
		case KindItem:
			f := p.x.All(p.src, t.s, t.e, year)
			u.Owners, u.Deadlines, u.Targets, u.Vague, u.Terms = f.Owners, f.Deadlines, f.Targets, f.Vague, f.Terms
		case KindWrapper:
			u.Deadlines = p.x.Deadlines(p.src, u.bodyStart, u.bodyEnd, wrapperYear)
		case KindTitle:
			u.Terms = p.x.Terms(p.src, u.bodyStart, u.bodyEnd)
		case KindRow:
			p.extractRow(u, year)
		}
	}
	// One worker runs each task as the walk finds it; several share the
	// list of them afterwards.
	var tasks []extractTask
	add := func(t extractTask) {
		if workers <= 1 {
			run(t)
		} else {
			tasks = append(tasks, t)
		}
	}
	if workers <= 1 {
		meanwhile()
	}
	var headings, wrappers []*Unit
	fill := func(u *Unit, s, e int) { add(extractTask{u, KindItem, s, e}) }
	p.plan.Walk(func(u *Unit) bool {
		switch u.Kind {
		case KindItem, KindPreamble:
			fill(u, u.bodyStart, u.bodyEnd)
		case KindHeading:
			fill(u, u.titleStart, u.bodyEnd)
			for _, c := range u.Children {
				if c.Kind == KindParagraph {
					fill(c, c.bodyStart, c.bodyEnd)
				}
			}
			headings = append(headings, u)
		case KindParagraph:
			if u.Parent == nil || u.Parent.Kind != KindItem && u.Parent.Kind != KindHeading {
				fill(u, u.bodyStart, u.bodyEnd)
			}
		case KindWrapper:
			add(extractTask{u: u, what: KindWrapper})
			wrappers = append(wrappers, u)
		case KindTitle:
			add(extractTask{u: u, what: KindTitle})
		case KindRow:
			add(extractTask{u: u, what: KindRow})
			return false
		}
		return true
	})
	if workers > 1 {
		// Workers take the tasks in chunks, in order, as they finish.
		const chunk = 16
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for {
					i := int(next.Add(chunk)) - chunk
					if i >= len(tasks) {
						return
					}
					for _, t := range tasks[i:min(i+chunk, len(tasks))] {
						run(t)
					}
				}
			})
		}
		meanwhile()
		wg.Wait()
	}
	// A deadline stated once in a section's own text applies to the whole
	// section.
	for _, u := range headings {
		for _, c := range u.Children {
			if c.Kind == KindParagraph {
				u.Deadlines = append(u.Deadlines, c.Deadlines...)
			}
		}
	}
	for _, u := range wrappers {
		if len(u.Deadlines) > 0 && strings.Contains(u.Text, "意见") {
			d := u.Deadlines[0]
			p.plan.ReplyBy = &d
			break
		}
	}
}

func (p *parser) extractRow(u *Unit, year int) {
	for _, c := range u.Cells {
		if c.Missing || c.Text == "" {
			continue
		}
		s, e := c.Offsets()
		switch {
		case containsAny(c.Column, ownerColumnWords):
			u.Owners = append(u.Owners, p.cellOwners(c, s, e)...)
		case containsAny(c.Column, timeColumnWords):
			u.Deadlines = append(u.Deadlines, p.x.Deadlines(p.src, s, e, year)...)
		default:
			// What Targets, Vague and Terms would find, in one reading.
			f := p.x.facts(p.src, s, e, year, factTargets|factVague|factTerms)
			u.Targets = append(u.Targets, f.Targets...)
			u.Vague = append(u.Vague, f.Vague...)
			u.Terms = append(u.Terms, f.Terms...)
		}
	}
}

// isOwnerSep reports the runes that separate the names of an owner cell.
func isOwnerSep(r rune) bool {
	switch r {
	case '、', '，', ',', '；', ';', '\r', '\n':
		return true
	}
	return false
}

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
	text := p.src.Text
	for ns := s; ns < e; {
		// The name runs to the next separator; the separators after it
		// are skipped together.
		ne := ns
		for ne < e {
			r, n := decodeRune(text[:e], ne)
			if isOwnerSep(r) {
				break
			}
			ne += n
		}
		next := ne
		for next < e {
			r, n := decodeRune(text[:e], next)
			if !isOwnerSep(r) {
				break
			}
			next += n
		}
		for ns < ne {
			r, n := decodeRune(text[:ne], ns)
			if !isSpace(r) {
				break
			}
			ns += n
		}
		for ne > ns {
			r, n := decodeLastRune(text, ns, ne)
			if !isSpace(r) {
				break
			}
			ne -= n
		}
		if ne > ns {
			m := NewMatch(p.src, ns, ne)
			out = append(out, Owner{Match: m, Name: m.Text, Role: role, Form: "table"})
		}
		ns = next
	}
	return out
}
