package plan

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// targetUnits are the units of measure a target's value may carry. They
// are grammar, not vocabulary; 万/亿/千 may precede any of them (万人, 亿元).
var targetUnits = []string{
	"个百分点", "百分点", "平方米", "人次", "小时", "分钟", "公里", "毫米", "厘米",
	"%", "％", "‰", "元", "家", "个", "台", "张", "名", "人", "所", "项", "岁", "次",
	"床", "天", "辆", "件", "例", "份", "批", "种", "户", "座", "套", "倍", "吨", "米",
	"支", "篇", "期", "场次", "场", "轮", "班", "堂", "课时", "学时",
	// Durations and dates: matched so that 6个月 is not read as 6个, then dropped.
	"个工作日", "个月", "周年", "年", "月", "周", "日",
}

// timeUnits are the units that make a duration or a date, not a target.
var timeUnits = map[string]bool{"个工作日": true, "个月": true, "周年": true, "年": true, "月": true, "周": true, "日": true}

// targetQualifiers follow a value: 95%以上, 控制在10%以内.
var targetQualifiers = []string{"及以上", "及以下", "以上", "以下", "以内", "之内", "左右"}

// unitTrie and qualifierTrie read the units and qualifiers of a value.
var (
	unitTrie      = newRuneTrie(targetUnits)
	qualifierTrie = newRuneTrie(targetQualifiers)
)

// valueMatch is a target value found at a number, as offsets into
// Source.Text: the whole, and its parts; v2 (the end of a range) and q
// (a qualifier) are {-1, -1} when absent.
type valueMatch struct {
	start, end      int
	v1, v2, unit, q [2]int
}

// matchValue reads the value that starts at the digit text[i], before
// hi: a number (2, 8.5, full-width digits), an optional range (2-3,
// 63%～68%, 16—24), at most two padding characters, a unit with an
// optional multiplier and rate (个, 万元, %, /10万, 件/千人口, 万) and an
// optional qualifier (以上, 以内).
//
// It reads as the regexp targetSpec in extract_target_test.go would,
// leftmost-first: each part begins with characters that cannot continue
// the part before it, so reading every part as far as it goes is what the
// backtracking regexp ends up with; the one choice left is a range with
// no unit after it, given up for the first number alone (5%-8% is a
// range, 5%-8东 is 5%).
func matchValue(text string, i, hi int) (valueMatch, bool) {
	text = text[:hi]
	m := valueMatch{start: i, v1: [2]int{i, numberEnd(text, i)}, v2: [2]int{-1, -1}}
	if v2, ok := valueRange(text, m.v1[1]); ok {
		if unit, q, ok := valueUnit(text, v2[1]); ok {
			m.v2, m.unit, m.q = v2, unit, q
			m.end = max(unit[1], q[1])
			return m, true
		}
	}
	unit, q, ok := valueUnit(text, m.v1[1])
	if !ok {
		return valueMatch{}, false
	}
	m.unit, m.q = unit, q
	m.end = max(unit[1], q[1])
	return m, true
}

// numberEnd returns the end of the number at text[i]: digits, and a
// decimal part when a dot and a digit follow them.
func numberEnd(text string, i int) int {
	i = digitsEnd(text, i)
	if r := runeAt(text, i); r == '.' || r == '．' {
		if j := i + utf8.RuneLen(r); isDigitRune(runeAt(text, j)) {
			return digitsEnd(text, j)
		}
	}
	return i
}

// digitsEnd skips ASCII and full-width digits.
func digitsEnd(text string, i int) int {
	for {
		r := runeAt(text, i)
		if !isDigitRune(r) {
			return i
		}
		i += utf8.RuneLen(r)
	}
}

// valueRange reads, at text[i] after a number, the rest of a range: ％
// (63%～68%), padding, a dash (—, ——, －, -, ～, ~, 至, 到), padding and the
// second number, whose offsets it returns.
func valueRange(text string, i int) ([2]int, bool) {
	if r := runeAt(text, i); r == '%' || r == '％' || r == '‰' {
		i += utf8.RuneLen(r)
	}
	i = skipPad(text, i)
	switch r := runeAt(text, i); r {
	case '—':
		i += len("—")
		if runeAt(text, i) == '—' {
			i += len("—")
		}
	case '－', '-', '～', '~', '至', '到':
		i += utf8.RuneLen(r)
	default:
		return [2]int{}, false
	}
	i = skipPad(text, i)
	if !isDigitRune(runeAt(text, i)) {
		return [2]int{}, false
	}
	return [2]int{i, numberEnd(text, i)}, true
}

// valueUnit reads, at text[i] after a value's number(s), padding, the
// unit and an optional qualifier; q is {-1, -1} when there is none.
func valueUnit(text string, i int) (unit, q [2]int, ok bool) {
	i = skipPad(text, i)
	e := -1
	r := runeAt(text, i)
	if r == '万' || r == '亿' || r == '千' { // 万人, 亿元
		if n := unitTrie.longestAt(text, i+len("万")); n > 0 {
			e = i + len("万") + n
		}
	}
	if e < 0 {
		if n := unitTrie.longestAt(text, i); n > 0 {
			e = i + n
		}
	}
	switch {
	case e >= 0:
		e = rateEnd(text, e)
	case rateEnd(text, i) > i: // 8/10万
		e = rateEnd(text, i)
	case r == '万' || r == '亿':
		e = i + len("万")
	default:
		return unit, q, false
	}
	q = [2]int{-1, -1}
	j := skipPad(text, e)
	if n := qualifierTrie.longestAt(text, j); n > 0 {
		q = [2]int{j, j + n}
	}
	return [2]int{i, e}, q, true
}

// rateEnd returns the end of a rate at text[i] (/10万, ／千人口: a slash,
// digits, 十百千万 and 人口 or 人), or i when there is none.
func rateEnd(text string, i int) int {
	r := runeAt(text, i)
	if r != '/' && r != '／' {
		return i
	}
	j := digitsEnd(text, i+utf8.RuneLen(r))
	k := j
	for r := runeAt(text, k); r == '十' || r == '百' || r == '千' || r == '万'; r = runeAt(text, k) {
		k += len("十")
	}
	switch {
	case k == j:
		return i
	case strings.HasPrefix(text[k:], "人口"):
		return k + len("人口")
	case strings.HasPrefix(text[k:], "人"):
		return k + len("人")
	}
	return k
}

// Targets returns the quantitative indicators in [start, end) of src: a
// value with its unit (95%以上, 低于8/10万, 提高到506元, 2-3个, 1000台), or a
// comparator and a reference instead of a value (不低于省要求, 达到国家标准:
// ByReference). Comparator is the word before the value (Vocab.
// TargetComparators), the qualifier after it (以上, 以内), or both joined by
// "…" (达到…以上). A comparator of two characters or more may stand before
// the indicator (新增家庭医生签约人数30万人以上). Indicator is the phrase
// between the start of the clause (or the comparator) and the comparator or
// value. Years, dates and durations (2012年, 6个月), ordinals (第3), item
// numbers, document numbers and anything inside 《》 are not targets.
func (x *Extractor) Targets(src *Source, start, end int) []Target {
	found := newScanned()
	defer found.release()
	out := found.room().Targets
	for _, seg := range found.paragraphs(src.Text, start, end) {
		x.targetWords.scan(src.Text, seg[0], seg[1], found)
		out = x.targetsIn(src, seg[0], seg[1], found, out)
	}
	found.cands.Targets = out
	return pickLongest(out)
}

// targetsIn appends to out the target candidates of the paragraph
// text[lo:hi], given what a scan found there.
func (x *Extractor) targetsIn(src *Source, lo, hi int, found *scanned, out []Target) []Target {
	text := src.Text
	titles := found.titles()
	prevEnd := lo
	// A value never holds a clause separator and starts with a digit, and
	// when a number starts none, no later digit of that number does.
	cs, pos := lo, lo // the start of the clause; the end of the last value
	for _, m := range found.marks {
		i := m.at
		if i < pos {
			continue
		}
		if !isDigitRune(m.r) {
			if isClauseSep(m.r) {
				cs = i + utf8.RuneLen(m.r)
			}
			continue
		}
		if i != cs && isDigitRune(runeBefore(text, i)) {
			continue
		}
		v, ok := matchValue(text, i, hi)
		if !ok {
			continue
		}
		if t, ok := x.target(src, cs, hi, prevEnd, v, titles); ok {
			out = append(out, t)
			_, prevEnd = t.Offsets()
		}
		pos = v.end
	}
	for _, w := range found.words[wordsReference] {
		rs, re := w[0], w[1]
		p := skipPadBack(text, lo, rs)
		n := x.comparators.longestBefore(text, lo, p)
		if n == 0 || within(titles, p-n, re) {
			continue
		}
		// 达到国家标准的比例提高到60%: the reference qualifies an
		// indicator whose value follows; it is not a target by itself.
		if strings.HasPrefix(text[re:], "的") {
			continue
		}
		s := p - n
		out = append(out, Target{
			Match:       NewMatch(src, s, re),
			Indicator:   indicator(text, clauseStart(text, lo, s), s),
			Comparator:  text[s:p],
			ByReference: true,
		})
	}
	return out
}

// target checks and completes one value; cs is the start of its clause,
// hi ends the paragraph, prevEnd the last target.
func (x *Extractor) target(src *Source, cs, hi, prevEnd int, v valueMatch, titles [][2]int) (Target, bool) {
	text := src.Text
	s, e := v.start, v.end
	unit := text[v.unit[0]:v.unit[1]]
	switch {
	case within(titles, s, e), timeUnits[strings.TrimLeft(unit, "万亿千")]:
		return Target{}, false
	case unit == "岁" && isHan(runeAt(text[:hi], e)):
		// 3岁以下婴幼儿, 16—24岁失业青年: an age that qualifies a population.
		return Target{}, false
	case strings.HasPrefix(unit, "天") || strings.HasPrefix(unit, "小时") || strings.HasPrefix(unit, "分钟"):
		// 30天内 is a relative deadline.
		if strings.HasPrefix(text[e:hi], "内") || strings.HasPrefix(text[e:hi], "以内") {
			return Target{}, false
		}
	}
	t := Target{HasValue: true, Unit: halfWidth(unit)}
	p := skipPadBack(text, cs, s)
	if n := x.comparators.longestBefore(text, cs, p); n > 0 {
		t.Comparator = text[p-n : p]
		s = p - n
	} else if !valueBoundary(runeBefore(text, s)) {
		return Target{}, false
	}
	t.Value, _ = decimal(text[v.v1[0]:v.v1[1]])
	if v.v2[0] >= 0 {
		t.Value2, _ = decimal(text[v.v2[0]:v.v2[1]])
	}
	clause := clauseStart(text, max(cs, prevEnd), s)
	t.Indicator = indicator(text, clause, s)
	if t.Comparator == "" {
		// A comparator a few words before: 新增病床2000张, 新增配置除颤仪（AED）1000台.
		fs, fe := -1, -1
		x.farCmp.each(text, clause, s, func(ws, we int) { fs, fe = ws, we })
		if fs >= 0 && !strings.ContainsFunc(text[fe:s], isDigitRune) {
			t.Comparator = text[fs:fe]
			t.Indicator = indicator(text, fe, s)
			s = fs
		}
	}
	if v.q[0] >= 0 {
		q := text[v.q[0]:v.q[1]]
		if t.Comparator != "" {
			t.Comparator += "…"
		}
		t.Comparator += q
	}
	t.Match = NewMatch(src, s, e)
	return t, true
}

// valueBoundary reports whether a value may start after rune p: not in
// the middle of a number, a code (H7N9, 浙ICP备19049905号-1) or an ordinal (第3).
func valueBoundary(p rune) bool {
	return !isDigitRune(p) && !(p < utf8.RuneSelf && (p >= 'A' && p <= 'Z' || p >= 'a' && p <= 'z')) &&
		!strings.ContainsRune(".．/／+＋-－#第", p)
}

// clauseStart walks back from i to the start of its clause: a line start,
// a ，。；：、！？ or an opening bracket or quote that is not closed before i,
// but never before lo.
func clauseStart(text string, lo, i int) int {
	depth := 0
	for j := i; j > lo; {
		r, n := decodeLastRune(text, lo, j)
		switch r {
		case '）', ')', '】', '」', '”', '》':
			depth++
		case '（', '(', '【', '「', '“', '《':
			if depth == 0 {
				return j
			}
			depth--
		case '\n', '\r':
			return j
		case '，', ',', '。', '；', ';', '：', ':', '！', '!', '？', '?', '、', '．', '.':
			if depth == 0 {
				return j
			}
		}
		j -= n
	}
	return lo
}

// indicator is text[s:e] without the white space around it.
func indicator(text string, s, e int) string {
	s, e = trimSpan(text, s, e)
	return text[s:e]
}

// decimal parses a number written with ASCII or full-width digits and dot.
func decimal(s string) (float64, error) {
	return strconv.ParseFloat(halfWidth(s), 64)
}

// halfWidth maps full-width digits, ．, ％ and ／ to their ASCII forms.
func halfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '．':
			return '.'
		case r == '％':
			return '%'
		case r == '／':
			return '/'
		}
		return r
	}, s)
}
