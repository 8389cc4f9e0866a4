package docx

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// maxLevels is the number of list levels Word defines (w:ilvl 0–8).
const maxLevels = 9

// Bounds on what a label can grow to: every numbered paragraph repeats it
// in the rendering, so a hostile numbering part could otherwise inflate
// the rendering far beyond the package's size. Real labels are a few
// characters.
const (
	maxLevelText    = 64 // characters of w:lvlText kept
	maxLetterRepeat = 10 // letters in an upperLetter/lowerLetter number
)

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// level is one w:lvl of a list definition.
type level struct {
	start   int
	format  string // w:numFmt
	text    string // w:lvlText, with %1…%9 standing for the levels' numbers
	restart int    // w:lvlRestart; -1 when absent
	legal   bool   // w:isLgl: every number in the label is decimal
}

// abstractNum is a w:abstractNum: a list definition.
type abstractNum struct {
	levels    [maxLevels]*level
	styleLink string // w:numStyleLink: the definition lives in a numbering style
}

// override is a w:lvlOverride of one level of a w:num.
type override struct {
	start    int
	hasStart bool
	lvl      *level
}

// num is a w:num: a list instance pointing at a definition.
type num struct {
	abstract  string
	overrides [maxLevels]override
}

// style is what a paragraph style says about numbering.
type style struct {
	basedOn string
	numID   string
	ilvl    int
	hasNum  bool // the style has w:numPr with a w:numId
	hasIlvl bool
}

// counters is the state of one abstract list: the current number of each
// level and whether the level has been used since it last restarted.
type counters struct {
	val  [maxLevels]int
	used [maxLevels]bool
}

// numbering renders automatic numbering labels in document order.
type numbering struct {
	abstracts    map[string]*abstractNum
	nums         map[string]*num
	styles       map[string]*style
	defaultStyle string // the default paragraph style's id
	state        map[string]*counters
	// overridden records the (w:num, level) pairs whose startOverride has
	// been applied.
	overridden map[string]bool
}

func newNumbering() *numbering {
	return &numbering{
		abstracts:  map[string]*abstractNum{},
		nums:       map[string]*num{},
		styles:     map[string]*style{},
		state:      map[string]*counters{},
		overridden: map[string]bool{},
	}
}

// parseNumbering reads numbering.xml.
func (n *numbering) parseNumbering(x *xmlReader) error {
	if _, err := x.root(); err != nil {
		return err
	}
	for {
		tok, err := x.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch wLocal(se) {
		case "abstractNum":
			id, _ := attr(se, "abstractNumId")
			a := &abstractNum{}
			if err := n.parseAbstract(x, a); err != nil {
				return err
			}
			n.abstracts[id] = a
		case "num":
			id, _ := attr(se, "numId")
			m := &num{}
			if err := n.parseNum(x, m); err != nil {
				return err
			}
			n.nums[id] = m
		default:
			if err := x.skip(); err != nil {
				return err
			}
		}
	}
}

func (n *numbering) parseAbstract(x *xmlReader, a *abstractNum) error {
	return children(x, func(se xml.StartElement) error {
		switch wLocal(se) {
		case "lvl":
			i, lv, err := parseLevel(x, se)
			if err == nil && i >= 0 {
				a.levels[i] = lv
			}
			return err
		case "numStyleLink":
			a.styleLink, _ = attr(se, "val")
		}
		return x.skip()
	})
}

func (n *numbering) parseNum(x *xmlReader, m *num) error {
	return children(x, func(se xml.StartElement) error {
		switch wLocal(se) {
		case "abstractNumId":
			m.abstract, _ = attr(se, "val")
		case "lvlOverride":
			i := ilvl(se)
			var o override
			err := children(x, func(c xml.StartElement) error {
				switch wLocal(c) {
				case "startOverride":
					v, _ := attr(c, "val")
					o.start, o.hasStart = atoi(v, 0), true
				case "lvl":
					_, lv, err := parseLevel(x, c)
					o.lvl = lv
					return err
				}
				return x.skip()
			})
			if i >= 0 {
				m.overrides[i] = o
			}
			return err
		}
		return x.skip()
	})
}

// parseLevel reads a w:lvl whose start tag is se; the index is -1 when
// w:ilvl is out of range.
func parseLevel(x *xmlReader, se xml.StartElement) (int, *level, error) {
	lv := &level{start: 0, format: "decimal", restart: -1}
	err := children(x, func(c xml.StartElement) error {
		v, _ := attr(c, "val")
		switch wLocal(c) {
		case "start":
			lv.start = atoi(v, 0)
		case "numFmt":
			lv.format = v
		case "lvlText":
			lv.text = truncateRunes(v, maxLevelText)
		case "lvlRestart":
			lv.restart = atoi(v, -1)
		case "isLgl":
			lv.legal = v == "" || v == "1" || v == "true" || v == "on"
		}
		return x.skip()
	})
	return ilvl(se), lv, err
}

// parseStyles reads styles.xml for the numbering of paragraph styles.
func (n *numbering) parseStyles(x *xmlReader) error {
	if _, err := x.root(); err != nil {
		return err
	}
	for {
		tok, err := x.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if wLocal(se) != "style" {
			if err := x.skip(); err != nil {
				return err
			}
			continue
		}
		id, _ := attr(se, "styleId")
		typ, _ := attr(se, "type")
		if def, _ := attr(se, "default"); (def == "1" || def == "true") && typ == "paragraph" {
			n.defaultStyle = id
		}
		st := &style{}
		err = children(x, func(c xml.StartElement) error {
			switch wLocal(c) {
			case "basedOn":
				st.basedOn, _ = attr(c, "val")
			case "pPr":
				return children(x, func(p xml.StartElement) error {
					if wLocal(p) != "numPr" {
						return x.skip()
					}
					return parseNumPr(x, &st.numID, &st.hasNum, &st.ilvl, &st.hasIlvl)
				})
			}
			return x.skip()
		})
		if err != nil {
			return err
		}
		n.styles[id] = st
	}
}

// parseNumPr reads the children of a w:numPr.
func parseNumPr(x *xmlReader, numID *string, hasNum *bool, lvl *int, hasIlvl *bool) error {
	return children(x, func(c xml.StartElement) error {
		v, _ := attr(c, "val")
		switch wLocal(c) {
		case "numId":
			*numID, *hasNum = v, true
		case "ilvl":
			*lvl, *hasIlvl = atoi(v, 0), true
		}
		return x.skip()
	})
}

// children calls fn for every child element of the element just opened;
// fn must consume the child (x.skip or a parser of its own).
func children(x *xmlReader, fn func(xml.StartElement) error) error {
	for {
		tok, err := x.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

func ilvl(se xml.StartElement) int {
	v, _ := attr(se, "ilvl")
	i := atoi(v, -1)
	if i < 0 || i >= maxLevels {
		return -1
	}
	return i
}

func atoi(s string, def int) int {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return v
}

// paraNumbering is what a paragraph's own w:pPr says about numbering.
type paraNumbering struct {
	style   string
	numID   string
	ilvl    int
	hasNum  bool
	hasIlvl bool
}

// resolve finds a paragraph's list and level, from its own w:numPr or
// its style's (following w:basedOn). ok is false for an unnumbered
// paragraph; w:numId 0 removes the numbering a style gives.
func (n *numbering) resolve(p paraNumbering) (numID string, lvl int, ok bool) {
	numID, lvl = p.numID, p.ilvl
	id := p.style
	if id == "" {
		id = n.defaultStyle
	}
	// w:numId and w:ilvl are inherited one by one along w:basedOn.
	for hops := 0; id != "" && hops < 32 && !(p.hasNum && p.hasIlvl); hops++ {
		st := n.styles[id]
		if st == nil {
			break
		}
		if st.hasNum && !p.hasNum {
			numID, p.hasNum = st.numID, true
		}
		if st.hasIlvl && !p.hasIlvl {
			lvl, p.hasIlvl = st.ilvl, true
		}
		id = st.basedOn
	}
	if !p.hasNum || numID == "" || numID == "0" || lvl < 0 || lvl >= maxLevels {
		return "", 0, false
	}
	return numID, lvl, true
}

// definition follows a list instance to its abstract list, through a
// numbering style's w:numStyleLink when there is one.
func (n *numbering) definition(m *num) (string, *abstractNum) {
	id := m.abstract
	for hops := 0; hops < 8; hops++ {
		a := n.abstracts[id]
		if a == nil || a.styleLink == "" {
			return id, a
		}
		st := n.styles[a.styleLink]
		if st == nil || n.nums[st.numID] == nil {
			return id, a
		}
		id = n.nums[st.numID].abstract
	}
	return id, n.abstracts[id]
}

// levelOf returns the definition of level i as list instance m sees it.
func levelOf(m *num, a *abstractNum, i int) *level {
	if lv := m.overrides[i].lvl; lv != nil {
		return lv
	}
	return a.levels[i]
}

// label advances the counters for a paragraph of list numID at level lvl
// and returns the label it shows ("" when the level shows none).
func (n *numbering) label(numID string, lvl int) string {
	m := n.nums[numID]
	if m == nil {
		return ""
	}
	absID, a := n.definition(m)
	if a == nil {
		return ""
	}
	def := levelOf(m, a, lvl)
	if def == nil {
		return ""
	}
	st := n.state[absID]
	if st == nil {
		st = &counters{}
		n.state[absID] = st
	}
	key := numID + "/" + strconv.Itoa(lvl)
	switch o := m.overrides[lvl]; {
	case o.hasStart && !n.overridden[key]:
		st.val[lvl] = o.start
		n.overridden[key] = true
	case o.lvl != nil && !n.overridden[key]:
		st.val[lvl] = o.lvl.start
		n.overridden[key] = true
	case !st.used[lvl]:
		st.val[lvl] = def.start
	default:
		st.val[lvl]++
	}
	st.used[lvl] = true
	for j := lvl + 1; j < maxLevels; j++ {
		restart := j
		if lv := levelOf(m, a, j); lv != nil && lv.restart >= 0 {
			restart = lv.restart
		}
		if lvl < restart {
			st.used[j] = false
		}
	}
	if def.format == "bullet" {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(def.text); i++ {
		c := def.text[i]
		if c == '%' && i+1 < len(def.text) && def.text[i+1] >= '1' && def.text[i+1] <= '9' {
			k := int(def.text[i+1] - '1')
			i++
			lv := levelOf(m, a, k)
			if lv == nil {
				continue
			}
			v := lv.start
			if st.used[k] {
				v = st.val[k]
			}
			format := lv.format
			if def.legal {
				format = "decimal"
			}
			b.WriteString(formatNumber(v, format))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Numerals of the list number formats.
var (
	cnDigits     = []rune("〇一二三四五六七八九")
	cnUnits      = []rune("十百千")
	ideographs   = []rune("甲乙丙丁戊己庚辛壬癸")
	zodiac       = []rune("子丑寅卯辰巳午未申酉戌亥")
	romanValues  = []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	romanSymbols = []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
)

// formatNumber writes v in a w:numFmt. Formats it does not know, and
// numbers a format cannot write, come out in decimal, as Word does.
func formatNumber(v int, format string) string {
	switch format {
	case "none":
		return ""
	case "chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand":
		if v >= 0 && v < 10000 {
			return chineseNumber(v)
		}
	case "ideographTraditional":
		if v > 0 {
			return string(ideographs[(v-1)%len(ideographs)])
		}
	case "ideographZodiac":
		if v > 0 {
			return string(zodiac[(v-1)%len(zodiac)])
		}
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		switch {
		case v >= 1 && v <= 20:
			return string(rune(0x2460 + v - 1))
		case v >= 21 && v <= 35:
			return string(rune(0x3251 + v - 21))
		case v >= 36 && v <= 50:
			return string(rune(0x32B1 + v - 36))
		}
	case "decimalEnclosedParen":
		if v >= 1 && v <= 20 {
			return string(rune(0x2474 + v - 1))
		}
	case "decimalEnclosedFullstop":
		if v >= 1 && v <= 20 {
			return string(rune(0x2488 + v - 1))
		}
	case "decimalFullWidth", "decimalFullWidth2":
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r - '0' + '０'
			}
			return r
		}, strconv.Itoa(v))
	case "decimalZero":
		if v >= 0 && v < 10 {
			return "0" + strconv.Itoa(v)
		}
	case "upperLetter", "lowerLetter":
		// Z is followed by AA, BB…: bounded, so that a hostile start value
		// cannot make a label of a million letters.
		if v > 0 && v <= 26*maxLetterRepeat {
			c := rune('A' + (v-1)%26)
			if format == "lowerLetter" {
				c += 'a' - 'A'
			}
			return strings.Repeat(string(c), (v-1)/26+1)
		}
	case "upperRoman", "lowerRoman":
		if v > 0 && v < 4000 {
			s := roman(v)
			if format == "lowerRoman" {
				s = strings.ToLower(s)
			}
			return s
		}
	}
	return strconv.Itoa(v)
}

// chineseNumber writes 0 ≤ v < 10000 as it is counted: 十一, 二十, 一百零五.
func chineseNumber(v int) string {
	if v == 0 {
		return string(cnDigits[0])
	}
	if v >= 10 && v < 20 {
		// 十, 十一…十九: the leading 一 is not said.
		s := string(cnUnits[0])
		if v > 10 {
			s += string(cnDigits[v-10])
		}
		return s
	}
	var b strings.Builder
	zero := false
	for unit, div := 3, 1000; div > 0; unit, div = unit-1, div/10 {
		d := v / div % 10
		switch {
		case d == 0:
			zero = b.Len() > 0
		default:
			if zero {
				b.WriteRune('零')
				zero = false
			}
			b.WriteRune(cnDigits[d])
			if unit > 0 {
				b.WriteRune(cnUnits[unit-1])
			}
		}
	}
	return b.String()
}

func roman(v int) string {
	var b strings.Builder
	for i, rv := range romanValues {
		for v >= rv {
			b.WriteString(romanSymbols[i])
			v -= rv
		}
	}
	return b.String()
}
