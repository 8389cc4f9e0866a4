package plan

import (
	"regexp"
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
	"支", "篇", "期",
	// Durations and dates: matched so that 6个月 is not read as 6个, then dropped.
	"个工作日", "个月", "周年", "年", "月", "周", "日",
}

// timeUnits are the units that make a duration or a date, not a target.
var timeUnits = map[string]bool{"个工作日": true, "个月": true, "周年": true, "年": true, "月": true, "周": true, "日": true}

// targetQualifiers follow a value: 95%以上, 控制在10%以内.
const targetQualifiers = `及以上|及以下|以上|以下|以内|之内|左右`

// targetValue is a value, range and unit with an optional qualifier:
// 85%以上, 8/10万, 2-3个, 63%～68%, 2个百分点, 1 件/千人口. The comparator
// before it is read backwards from the value with a rune trie, so that the
// regexp does not try sixty comparators at every character.
var targetValue = regexp.MustCompile(func() string {
	num := `[0-9０-９]+(?:[.．][0-9０-９]+)?`
	rate := `[/／][0-9０-９]*[十百千万]+(?:人口|人)?`
	unit := `(?:[万亿千]?` + alternation(targetUnits) + `(?:` + rate + `)?|` + rate + `|[万亿])`
	return `(?P<v1>` + num + `)(?:(?P<u1>[%％‰])?` + reSpace + reDash + reSpace + `(?P<v2>` + num + `))?` +
		reSpace + `(?P<unit>` + unit + `)(?:` + reSpace + `(?P<q>` + targetQualifiers + `))?`
}())

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
	text := src.Text
	names := targetValue.SubexpNames()
	var out []Target
	for _, seg := range paragraphSpans(text, start, end) {
		lo, hi := seg[0], seg[1]
		titles := titleSpans(text, lo, hi)
		prevEnd := lo
		clauses(text, lo, hi, isDigitRune, func(cs, ce int) {
			for _, loc := range targetValue.FindAllStringSubmatchIndex(text[cs:ce], -1) {
				g := submatch{text: text[cs:ce], loc: loc, names: names}
				if t, ok := x.target(src, cs, hi, prevEnd, g, titles); ok {
					out = append(out, t)
					_, prevEnd = t.Offsets()
				}
			}
		})
		x.references.each(text, lo, hi, func(rs, re int) {
			p := skipPadBack(text, lo, rs)
			n := x.comparators.longestBefore(text, lo, p)
			if n == 0 || within(titles, p-n, re) {
				return
			}
			s := p - n
			out = append(out, Target{
				Match:       NewMatch(src, s, re),
				Indicator:   indicator(text, clauseStart(text, lo, s), s),
				Comparator:  text[s:p],
				ByReference: true,
			})
		})
	}
	return pickLongest(out)
}

// target checks and completes one match of targetValue found in the
// clause starting at cs; hi ends the paragraph, prevEnd the last target.
func (x *Extractor) target(src *Source, cs, hi, prevEnd int, g submatch, titles [][2]int) (Target, bool) {
	text := src.Text
	s, e := cs+g.loc[0], cs+g.loc[1]
	unit := g.get("unit")
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
	t.Value, _ = decimal(g.get("v1"))
	if v2 := g.get("v2"); v2 != "" {
		t.Value2, _ = decimal(v2)
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
	if q := g.get("q"); q != "" {
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
		r, n := utf8.DecodeLastRuneInString(text[lo:j])
		switch {
		case strings.ContainsRune("）)】」”》", r):
			depth++
		case strings.ContainsRune("（(【「“《", r):
			if depth == 0 {
				return j
			}
			depth--
		case r == '\n' || r == '\r' || depth == 0 && strings.ContainsRune("，,。；;：:！!？?、．.", r):
			return j
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
