package plan

import (
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Date grammar shared by the deadline patterns. Digits may be full-width;
// months and days may be written in Chinese numerals (十二月底).
const (
	reYear    = `[12１２][0-9０-９]{3}`
	reMonth   = `(?:[0-9０-９]{1,2}|十[一二]?|[一二三四五六七八九])`
	reDay     = `(?:[0-9０-９]{1,2}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])`
	reDash    = `(?:—{1,2}|－|-|～|~|至|到)`
	reWeekday = `(?:（星期[一二三四五六日天]）|\(星期[一二三四五六日天]\))`
	// reThisYear names the plan's year (今年, 本年度) or the next (明年).
	reThisYear = `(?P<rel>今|本|当|明)年(?:度)?`
)

// aroundDays is how far 前后/左右 reach on either side of a day (10月1日前后).
const aroundDays = 3

// dateForm is one written form of a date deadline and how to resolve it.
type dateForm struct {
	re    *anchoredRegexp
	names []string // re's group names
	// bracketNames skips a match that fills a bracket: the years of
	// 行动计划（2018-2020年） belong to the name, not to a deadline.
	bracketNames bool
	// notBefore rejects a match followed by one of these runes: to 到2020年
	// the form of 到2020年底 is 2020年底, read by another form.
	notBefore string
	resolve   func(g submatch, year int) (dateValue, bool)
}

// dateValue is a resolved deadline: kind and inclusive YYYY-MM-DD bounds.
type dateValue struct{ kind, from, to string }

// submatch reads the named groups of one regexp match.
type submatch struct {
	text  string
	loc   []int
	names []string
}

// get returns the first non-empty group called name, "" if none matched.
func (g submatch) get(name string) string {
	for i, n := range g.names {
		if n == name && g.loc[2*i] >= 0 && g.loc[2*i+1] > g.loc[2*i] {
			return g.text[g.loc[2*i]:g.loc[2*i+1]]
		}
	}
	return ""
}

// year resolves the year of a match against the plan's year: written
// digits, 今年/本年度 (the plan's year), 明年 (the next), else the plan's.
// anchored reports whether the text names the year (or 每年) itself.
func (g submatch) year(plan int) (y int, anchored bool) {
	if s := g.get("y"); s != "" {
		n, _ := smallInt(s)
		return n, true
	}
	switch g.get("rel") {
	case "":
		return plan, g.get("every") != ""
	case "明":
		if plan == 0 {
			return 0, true
		}
		return plan + 1, true
	}
	return plan, true
}

// kind is DeadlineRecurring for 每年…, DeadlineDate otherwise.
func (g submatch) kind() string {
	if g.get("every") != "" {
		return DeadlineRecurring
	}
	return DeadlineDate
}

// dateForms are compiled once, on first use (or by Precompile): they are
// grammar, the same for every Vocab, and compiling them is most of the
// package's start-up cost, which commands that parse nothing need not pay.
var dateForms = sync.OnceValue(newDateForms)

// Precompile compiles the parser's date patterns now. A command about to
// spend a while on something else (loading rules) runs it on another
// goroutine, so that its first parse does not wait for them.
func Precompile() { dateForms() }

// newDateForms compiles the date forms. Each names the anchors one of
// which every match of its pattern contains, so that the pattern runs only
// around them: a paragraph without 年, 月, 季度 or 内 costs nothing.
func newDateForms() []dateForm {
	sp := reSpace
	forms := []dateForm{
		{ // 2019年1月1日至12月31日, 2019年1月1日至2020年12月31日
			re: newAnchoredRegexp(`(?:(?P<y>`+reYear+`)`+sp+`年`+sp+`)?(?P<m>`+reMonth+`)`+sp+`月(?:`+sp+`(?P<d>`+reDay+`)`+sp+`[日号])?`+
				sp+reDash+sp+`(?:(?P<y2>`+reYear+`)`+sp+`年`+sp+`)?(?P<m2>`+reMonth+`)`+sp+`月(?:`+sp+`(?P<d2>`+reDay+`)`+sp+`[日号])?(?:底|末)?`, false, "月"),
			resolve: resolveDateSpan,
		},
		{ // 2018-2020年, 2018年至2020年
			re:           newAnchoredRegexp(`(?P<y>`+reYear+`)`+sp+`(?:年`+sp+`)?`+reDash+sp+`(?P<y2>`+reYear+`)`+sp+`年(?:度)?`, false, "年"),
			bracketNames: true,
			resolve:      resolveYearSpan,
		},
		{ // 2012年6月前, 6月底, 12月23日（星期五）前, 10月1日前后, 每年2月底前, 7月1日起
			re: newAnchoredRegexp(`(?:(?P<every>每年)|(?P<y>`+reYear+`)`+sp+`年`+sp+`|`+reThisYear+`)?(?P<m>`+reMonth+`)`+sp+`月`+
				`(?:`+sp+`(?P<d>`+reDay+`)`+sp+`[日号]|(?P<part>上旬|中旬|下旬|初|底|末|份))?(?:`+sp+reWeekday+`)?(?:`+sp+`(?P<q>之前|以前|前后|左右|前|起))?`, false, "月"),
			resolve: resolveMonthDay,
		},
		{ // 年底前, 2018年底, 今年年底, 每年底
			re:      newAnchoredRegexp(`(?:(?P<every>每)|(?P<y>`+reYear+`)`+sp+`|(?P<rel>今|本|当|明)年?)?年(?:度)?(?P<part>底|末)(?P<q>之前|以前|前)?`, false, "年底", "年末", "年度底", "年度末"),
			resolve: resolveYearEnd,
		},
		{ // 上半年, 2019年下半年
			re:      newAnchoredRegexp(`(?:(?P<y>`+reYear+`)`+sp+`年(?:度)?`+sp+`|`+reThisYear+`)?(?P<half>上|下)半年`, false, "半年"),
			resolve: resolveHalf,
		},
		{ // 全年, 2019年全年: in an annual plan, the whole plan year
			re:      newAnchoredRegexp(`(?:(?P<y>`+reYear+`)`+sp+`年(?:度)?`+sp+`)?全年`, false, "全年"),
			resolve: resolveWholeYear,
		},
		{ // 第一季度, 一季度末前, 2019年第3季度
			re:      newAnchoredRegexp(`(?:(?P<every>每年)|(?P<y>`+reYear+`)`+sp+`年(?:度)?`+sp+`|`+reThisYear+`)?第?(?P<qn>[一二三四1-4１-４])季度(?P<part>末|底)?(?P<q>之前|以前|前)?`, false, "季度"),
			resolve: resolveQuarter,
		},
		{ // 到2020年, 2020年前, 2020年起
			re:        newAnchoredRegexp(`(?:(?P<pre>到|至|截至|截止到?)`+sp+`)?(?P<y>`+reYear+`)`+sp+`年(?:(?P<q>之前|以前|前)|(?P<open>起|开始))?`, false, "年"),
			notBefore: "底末上下第度0123456789０１２３４５６７８９",
			resolve:   resolveYear,
		},
		{ // 印发之日起30日内, 3个月内
			// The one 内 ends the match; the number before it is unbounded.
			re: newAnchoredRegexp(`(?:(?:印发|发布|实施|施行|下发|出台|公布)之日起`+sp+`)?(?:[0-9０-９]+|[一二三四五六七八九十两百]+)`+sp+
				`(?:个工作日|工作日|日|天|周|个月|月|年)(?:以内|之内|内)`, true, "内"),
			resolve: func(submatch, int) (dateValue, bool) { return dateValue{kind: DeadlineRelative}, true },
		},
	}
	for i := range forms {
		forms[i].names = forms[i].re.re.SubexpNames()
	}
	return forms
}

// maxDeferredGap is how many characters may stand between the authority
// and the term of a deferred deadline: 根据省 + 爱卫办考核 + 安排.
const maxDeferredGap = 8

// deferredIn calls add with the deferred deadlines of text[lo:hi] given
// what deadlineWords found there: the Vocab.DeferredDeadlines as written,
// and, so that variants match too, lead + authority + up to
// maxDeferredGap Chinese characters + term, the longest such run from
// each lead.
func (x *Extractor) deferredIn(text string, hi int, found *scanned, add func(s, e int)) {
	text = text[:hi]
	for _, w := range found.words[wordsDeferred] {
		add(w[0], w[1])
	}
	for _, w := range found.words[wordsLead] {
		s, e := w[0], w[1]
		n := x.deferredAuthority.longestAt(text, e)
		if n == 0 {
			continue
		}
		end := -1
		for j, k := e+n, 0; k <= maxDeferredGap && j < hi; k++ {
			if t := x.deferredTerms.longestAt(text, j); t > 0 {
				end = j + t
			}
			r, size := utf8.DecodeRuneInString(text[j:])
			if !isHan(r) {
				break
			}
			j += size
		}
		if end > 0 {
			add(s, end)
		}
	}
}

// Deadlines returns the time limits in [start, end) of src. Dates are
// resolved against year, the plan's year, when the text names none (0
// leaves such dates unresolved: Kind "date", From and To empty).
//
// From..To is the window within which the task is due, inclusive:
//   - a "by" deadline (6月前, 6月底, 2019年2月底前, 年底前, 到2020年) runs from
//     1 January of its year to its end: 6月底 → year-01-01..year-06-30;
//   - a period is itself: 上半年 → 01-01..06-30, 第三季度, 6月中旬, 2012年12月,
//     2018-2020年, 2019年1月1日至12月31日;
//   - a day is that day; 前后/左右 widen it by three days each way;
//   - a start (2020年起, 7月1日起) has From only: To is empty.
//
// 每年2月底前 is DeadlineRecurring, resolved in the plan's year. 印发之日起30日内
// is DeadlineRelative, 根据省里要求 DeadlineDeferred, 年内/适时 DeadlineVague:
// those have no From or To. Dates inside 《》 and year ranges filling a
// bracket (行动计划（2018-2020年）) are names, not deadlines.
func (x *Extractor) Deadlines(src *Source, start, end int, year int) []Deadline {
	found := newScanned()
	defer found.release()
	out := found.room().Deadlines
	for _, seg := range found.paragraphs(src.Text, start, end) {
		x.deadlineWords.scan(src.Text, seg[0], seg[1], found)
		out = x.deadlinesIn(src, seg[0], seg[1], year, found, out)
	}
	found.cands.Deadlines = out
	return pickLongest(out)
}

// deadlinesIn appends to out the deadline candidates of the paragraph
// text[lo:hi], given what a scan found there.
func (x *Extractor) deadlinesIn(src *Source, lo, hi, year int, found *scanned, out []Deadline) []Deadline {
	text := src.Text
	add := func(s, e int, v dateValue) {
		out = append(out, Deadline{Match: NewMatch(src, s, e), Kind: v.kind, From: v.from, To: v.to})
	}
	titles := found.titles()
	// The marks where an anchor stands: the 全 of 全面 is none, and each
	// form would test it for its own anchors.
	anchors := found.anchors[:0]
	for _, m := range found.marks {
		if x.anchorWords.first.has(m.r) && x.anchorWords.longestAt(text[:hi], m.at) > 0 {
			anchors = append(anchors, m)
		}
	}
	found.anchors = anchors
	for _, f := range dateForms() {
		f.re.each(text, lo, hi, anchors, func(loc []int) {
			s, e := loc[0], loc[1]
			if within(titles, s, e) || !numeralBoundary(text, s) || f.bracketNames && fillsBracket(text, s, e) {
				return
			}
			if f.notBefore != "" && nextRuneIn(text[:hi], e, f.notBefore) {
				return
			}
			if v, ok := f.resolve(submatch{text: text, loc: loc, names: f.names}, year); ok {
				add(s, e, v)
			}
		})
	}
	x.deferredIn(text, hi, found, func(s, e int) { add(s, e, dateValue{kind: DeadlineDeferred}) })
	for _, w := range found.words[wordsVagueTime] {
		add(w[0], w[1], dateValue{kind: DeadlineVague})
	}
	return out
}

// numeralBoundary rejects a match that starts in the middle of a number or
// of a date written in a form the patterns do not read: the 十二月十九日 of
// 二○一一年十二月十九日, the 2030年 of 20182030年, the 三季度 of 第三季度 read elsewhere.
func numeralBoundary(text string, s int) bool {
	r := runeAt(text, s)
	if !isDigitRune(r) && !isCNNumeral(r) && r != '年' {
		return true
	}
	p := runeBefore(text, s)
	// Not . or ．: 2.6月底前 is item 2 due by the end of June (no month is decimal).
	return !isDigitRune(p) && !isCNNumeral(p) && !strings.ContainsRune("年第/／-－—～~", p)
}

// isCNNumeral reports a Chinese numeral character.
func isCNNumeral(r rune) bool {
	return strings.ContainsRune("〇○零一二两三四五六七八九十百千", r)
}

// fillsBracket reports whether [s, e) is all the text of a bracket pair.
func fillsBracket(text string, s, e int) bool {
	b, a := runeBefore(text, s), runeAt(text, e)
	return (b == '（' || b == '(') && (a == '）' || a == ')')
}

// nextRuneIn reports whether the rune at text[i] is one of set.
func nextRuneIn(text string, i int, set string) bool {
	r := runeAt(text, i)
	return r != 0 && strings.ContainsRune(set, r)
}

func resolveDateSpan(g submatch, year int) (dateValue, bool) {
	y, _ := g.year(year)
	y2 := y
	if s := g.get("y2"); s != "" {
		y2, _ = smallInt(s)
	}
	m, ok1 := month(g.get("m"))
	m2, ok2 := month(g.get("m2"))
	if !ok1 || !ok2 {
		return dateValue{}, false
	}
	d, d2 := 1, daysIn(y2, m2)
	if s := g.get("d"); s != "" {
		d, _ = smallInt(s)
	}
	if s := g.get("d2"); s != "" {
		d2, _ = smallInt(s)
	}
	if !validDay(y, m, d) || !validDay(y2, m2, d2) {
		return dateValue{}, false
	}
	if y == 0 || y2 == 0 {
		return dateValue{kind: DeadlineDate}, true
	}
	from, to := ymd(y, m, d), ymd(y2, m2, d2)
	return dateValue{kind: DeadlineDate, from: from, to: to}, from <= to
}

func resolveYearSpan(g submatch, _ int) (dateValue, bool) {
	y, _ := smallInt(g.get("y"))
	y2, _ := smallInt(g.get("y2"))
	return dateValue{kind: DeadlineDate, from: ymd(y, 1, 1), to: ymd(y2, 12, 31)}, y <= y2
}

func resolveMonthDay(g submatch, year int) (dateValue, bool) {
	y, anchored := g.year(year)
	m, ok := month(g.get("m"))
	d, part, q := g.get("d"), g.get("part"), g.get("q")
	if !ok || !anchored && d == "" && part == "" && q == "" {
		// A bare 6月 is too often not a deadline (6月26日国际禁毒日 aside).
		return dateValue{}, false
	}
	lo, hi := 1, daysIn(y, m)
	if d != "" {
		n, _ := smallInt(d)
		if !validDay(y, m, n) {
			return dateValue{}, false
		}
		lo, hi = n, n
	}
	by := false
	switch part {
	case "上旬", "初":
		lo, hi = 1, 10
	case "中旬":
		lo, hi = 11, 20
	case "下旬":
		lo = 21
	case "底", "末":
		by = true
	}
	v := dateValue{kind: g.kind()}
	if y == 0 {
		return v, true
	}
	switch q {
	case "前", "之前", "以前":
		by = true
	case "前后", "左右":
		if d != "" {
			day := time.Date(y, time.Month(m), lo, 0, 0, 0, 0, time.UTC)
			v.from = day.AddDate(0, 0, -aroundDays).Format(time.DateOnly)
			v.to = day.AddDate(0, 0, aroundDays).Format(time.DateOnly)
			return v, true
		}
	case "起":
		v.from = ymd(y, m, lo)
		return v, true
	}
	if by {
		v.from, v.to = ymd(y, 1, 1), ymd(y, m, hi)
		return v, true
	}
	v.from, v.to = ymd(y, m, lo), ymd(y, m, hi)
	return v, true
}

func resolveYearEnd(g submatch, year int) (dateValue, bool) {
	y, _ := g.year(year)
	v := dateValue{kind: g.kind()}
	if y != 0 {
		v.from, v.to = ymd(y, 1, 1), ymd(y, 12, 31)
	}
	return v, true
}

func resolveHalf(g submatch, year int) (dateValue, bool) {
	y, _ := g.year(year)
	v := dateValue{kind: DeadlineDate}
	switch {
	case y == 0:
	case g.get("half") == "上":
		v.from, v.to = ymd(y, 1, 1), ymd(y, 6, 30)
	default:
		v.from, v.to = ymd(y, 7, 1), ymd(y, 12, 31)
	}
	return v, true
}

func resolveWholeYear(g submatch, year int) (dateValue, bool) {
	y, _ := g.year(year)
	v := dateValue{kind: DeadlineDate}
	if y != 0 {
		v.from, v.to = ymd(y, 1, 1), ymd(y, 12, 31)
	}
	return v, true
}

func resolveQuarter(g submatch, year int) (dateValue, bool) {
	y, _ := g.year(year)
	n, ok := smallInt(g.get("qn"))
	if !ok || n < 1 || n > 4 {
		return dateValue{}, false
	}
	v := dateValue{kind: g.kind()}
	if y == 0 {
		return v, true
	}
	first, last := 3*n-2, 3*n
	if g.get("part") != "" || g.get("q") != "" {
		first = 1
	}
	v.from, v.to = ymd(y, first, 1), ymd(y, last, daysIn(y, last))
	return v, true
}

func resolveYear(g submatch, _ int) (dateValue, bool) {
	y, _ := smallInt(g.get("y"))
	switch {
	case g.get("open") != "":
		return dateValue{kind: DeadlineDate, from: ymd(y, 1, 1)}, true
	case g.get("pre") != "" || g.get("q") != "":
		return dateValue{kind: DeadlineDate, from: ymd(y, 1, 1), to: ymd(y, 12, 31)}, true
	}
	// A bare year (2012年是…, 2018年评选…) says when, not by when.
	return dateValue{}, false
}

// month reads a month number, Arabic or Chinese, and checks it.
func month(s string) (int, bool) {
	m, ok := smallInt(s)
	return m, ok && m >= 1 && m <= 12
}

// daysIn returns the length of month m; a year of 0 (unknown) counts as
// a leap year so that 2月29日 stays valid.
func daysIn(y, m int) int {
	if y == 0 {
		y = 2000
	}
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func validDay(y, m, d int) bool { return d >= 1 && d <= daysIn(y, m) }

// ymd formats a date as YYYY-MM-DD, as fmt's "%04d-%02d-%02d" does for
// non-negative numbers, without fmt's cost.
func ymd(y, m, d int) string {
	b := make([]byte, 0, len("2006-01-02"))
	b = append(appendPadded(b, y, 4), '-')
	b = append(appendPadded(b, m, 2), '-')
	return string(appendPadded(b, d, 2))
}

// appendPadded appends n in decimal, zero-padded to width digits.
func appendPadded(b []byte, n, width int) []byte {
	for p := 10; width > 1; width, p = width-1, p*10 {
		if n < p {
			b = append(b, '0')
		}
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// chineseDigits are the values of the Chinese digits; 十, 百 and 千 are
// multipliers.
var chineseDigits = map[rune]int{'〇': 0, '○': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// smallInt reads a non-negative integer written in ASCII or full-width
// digits, or in Chinese numerals below ten thousand (十二, 二十三, 一百零五, 两).
func smallInt(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n, digits := 0, true
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n = n*10 + int(r-'0')
		case r >= '０' && r <= '９':
			n = n*10 + int(r-'０')
		default:
			digits = false
		}
	}
	if digits {
		return n, true
	}
	total, cur := 0, 0
	for _, r := range s {
		switch r {
		case '十', '百', '千':
			unit := map[rune]int{'十': 10, '百': 100, '千': 1000}[r]
			total += max(cur, 1) * unit // 十二: a bare 十 is one ten
			cur = 0
		default:
			d, ok := chineseDigits[r]
			if !ok {
				return 0, false
			}
			cur = d
		}
	}
	return total + cur, true
}
