package plan

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Owner roles and forms, the values of Owner.Role and Owner.Form.
const (
	roleLead        = "lead"
	roleAssist      = "assist"
	roleResponsible = "responsible"

	formLabel    = "label"
	formTrailing = "trailing"
	formSentence = "sentence"
)

// maxNameRunes bounds an owner's name: the longest real names
// (国务院国有资产监督管理委员会) have 14 characters; longer runs are clauses.
const maxNameRunes = 16

// maxAnnotationBytes bounds a bracketed owner annotation, so that a stray
// opening bracket does not pair with one paragraphs away.
const maxAnnotationBytes = 600

// nameBreakWords end an owner name inside a sentence (请财政部在…, 请人力资源
// 社会保障部会同…): prepositions and conjunctions, grammar rather than vocabulary.
var nameBreakWords = []string{"在", "于", "会同", "要", "按", "根据", "对", "将", "把", "与", "及", "等"}

// etcTail is the 等/等部门/等有关部门和单位 that closes a list of owners.
var etcTail = regexp.MustCompile(`^等(?:[有相]关)?(?:部门|单位|机构)?(?:和(?:部门|单位|机构))?`)

// Owners returns the units named as responsible in [start, end) of src:
//   - labelled, Form "label": （责任单位：A、B）, (责任科室:中医科), 牵头单位：A；配合单位：B;
//     the label gives the role (Vocab.LeadLabels, Vocab.AssistLabels);
//   - a bracketed annotation, Form "trailing": （A、B负责）, （A牵头，B、C配合）,
//     （各省级人民政府负责）; every name must end with a Vocab.OwnerSuffixes
//     suffix or be a collective owner, and the verb (Vocab.OwnerVerbs) that
//     closes a run of names gives their role;
//   - in a sentence, Form "sentence": 请A、B等部门在…, 由A牵头/负责 (but not
//     由A牵头的…, an attribute rather than an assignment).
//
// There is one Owner per name; its Match is the name alone, without 等… .
func (x *Extractor) Owners(src *Source, start, end int) []Owner {
	found := newScanned()
	defer found.release()
	out := found.room().Owners
	for _, seg := range found.paragraphs(src.Text, start, end) {
		x.ownerWords.scan(src.Text, seg[0], seg[1], found)
		out = x.ownersIn(src, seg[0], seg[1], found, out)
	}
	found.cands.Owners = out
	return pickLongest(out)
}

// ownersIn appends to out the owner candidates of the paragraph
// text[lo:hi], given what a scan found there.
func (x *Extractor) ownersIn(src *Source, lo, hi int, found *scanned, out []Owner) []Owner {
	out = x.labelOwners(src, hi, x.withColon(src.Text, hi, found.words[wordsLabel]), out)
	out = x.annotationOwners(src, hi, found.marks, out)
	return x.sentenceOwners(src, lo, hi, found.marks, out)
}

// role says what a label or verb makes of the names it introduces.
func (x *Extractor) role(word string) string {
	for _, l := range x.leads {
		if strings.HasPrefix(word, l) {
			return roleLead
		}
	}
	for _, a := range x.assists {
		if strings.HasPrefix(word, a) {
			return roleAssist
		}
	}
	return roleResponsible
}

func (x *Extractor) newOwner(src *Source, s, e int, role, form string) Owner {
	name := src.Text[s:e]
	return Owner{Match: NewMatch(src, s, e), Name: name, Role: role, Form: form, Collective: x.collective.isWord(name)}
}

// labelOwners reads the names after each owner label of a paragraph
// ending at hi: up to a closing bracket, ；, 。, the next label or the end
// of the line. A label right after an opening bracket may continue over
// line breaks up to its closing bracket.
func (x *Extractor) labelOwners(src *Source, hi int, labels []ownerLabel, out []Owner) []Owner {
	text := src.Text
	for k, l := range labels {
		role := x.role(text[l.start:l.end])
		regionEnd := hi
		if k+1 < len(labels) {
			regionEnd = labels[k+1].start
		}
		prev := runeBefore(text, l.start)
		inBracket := prev == '（' || prev == '('
		depth := 0
		i := l.names
	scan:
		for i < regionEnd {
			r, n := decodeRune(text, i)
			switch {
			case r == '（' || r == '(':
				depth++
			case r == '）' || r == ')':
				if depth == 0 {
					break scan
				}
				depth--
			case r == '；' || r == ';' || r == '。' || r == '】':
				break scan
			case (r == '\n' || r == '\r') && !inBracket:
				break scan
			}
			i += n
		}
		for _, t := range x.tokens(text, l.names, i, "、，,\n\r") {
			s, e := trimSpan(text, t[0], t[1])
			e = s + len(stripEtc(text[s:e]))
			if s == e || utf8.RuneCountInString(text[s:e]) > maxNameRunes {
				continue
			}
			out = append(out, x.newOwner(src, s, e, role, formLabel))
		}
	}
	return out
}

// ownerLabel is an owner label found in the text: the label is
// text[start:end], and the names start after its colon at names.
type ownerLabel struct{ start, end, names int }

// labelsIn finds the owner labels of text[lo:hi] that a colon follows.
func (x *Extractor) labelsIn(text string, lo, hi int) []ownerLabel {
	if !strings.Contains(text[lo:hi], ":") && !strings.Contains(text[lo:hi], "：") {
		return nil // most brackets hold no colon, so no label
	}
	var words [][2]int
	x.labels.each(text, lo, hi, func(s, e int) { words = append(words, [2]int{s, e}) })
	return x.withColon(text, hi, words)
}

// withColon keeps the label words (found before hi) that a colon follows.
func (x *Extractor) withColon(text string, hi int, words [][2]int) []ownerLabel {
	var out []ownerLabel
	for _, w := range words {
		j := skipPad(text[:hi], w[1])
		if r := runeAt(text[:hi], j); r == ':' || r == '：' {
			out = append(out, ownerLabel{w[0], w[1], j + utf8.RuneLen(r)})
		}
	}
	return out
}

// stripEtc drops a closing 等, 等部门, 等有关部门和单位 from a name.
func stripEtc(s string) string {
	if i := strings.LastIndex(s, "等"); i > 0 {
		if loc := etcTail.FindStringIndex(s[i:]); loc != nil && loc[1] == len(s)-i {
			return s[:i]
		}
	}
	return s
}

// tokens splits [lo, hi) at the separators seps outside brackets; a
// collective owner at the start of a token (各省、自治区、直辖市人民政府) is
// never split.
func (x *Extractor) tokens(text string, lo, hi int, seps string) [][2]int {
	var toks [][2]int
	start, depth := lo, 0
	for i := lo; i < hi; {
		if i == start {
			s, _ := trimSpan(text, i, hi)
			if n := x.collective.longestAt(text[:hi], s); n > 0 {
				i = s + n
				continue
			}
		}
		r, n := decodeRune(text, i)
		switch {
		case r == '（' || r == '(':
			depth++
		case r == '）' || r == ')':
			depth = max(depth-1, 0)
		case depth == 0 && strings.ContainsRune(seps, r):
			toks = append(toks, [2]int{start, i})
			start = i + n
		}
		i += n
	}
	return append(toks, [2]int{start, hi})
}

// isOwnerName accepts a collective owner, or a short run of Chinese
// characters (brackets allowed: 各县（市、区）卫生健康局) that ends with an
// owner suffix and is not a clause (no 的).
func (x *Extractor) isOwnerName(s string) bool {
	if x.collective.isWord(s) {
		return true
	}
	n := utf8.RuneCountInString(s)
	if n < 2 || n > maxNameRunes || strings.Contains(s, "的") {
		return false
	}
	depth := 0
	for _, r := range s {
		switch {
		case r == '（' || r == '(':
			depth++
		case r == '）' || r == ')':
			depth--
		case r == '、' && depth > 0: // 各县（市、区）卫生健康局
		case !isHan(r):
			return false
		}
	}
	for _, suf := range x.suffixes {
		if strings.HasSuffix(s, suf) && len(s) > len(suf) {
			return true
		}
	}
	return false
}

// verbSuffix returns the byte length of the owner verb closing s, 0 if none.
func (x *Extractor) verbSuffix(s string) int {
	for _, v := range x.ownerVerbs {
		if strings.HasSuffix(s, v) {
			return len(v)
		}
	}
	return 0
}

// annotationOwners reads bracketed annotations, given the offsets of the
// brackets (and other marks) of a paragraph ending at hi: tokens
// separated by 、，；。 that are owner names, each run closed by an owner
// verb. A token that is neither a name nor closed by a verb discards the
// names before it, so that ordinary bracketed text gives nothing.
func (x *Extractor) annotationOwners(src *Source, hi int, marks []mark, out []Owner) []Owner {
	text := src.Text
	next := 0 // annotations do not nest: skip the brackets inside the last
	for _, m := range marks {
		if m.at < next || m.r != '（' && m.r != '(' {
			continue
		}
		i := m.at + utf8.RuneLen(m.r)
		closing := closingBracket(text, i, min(hi, i+maxAnnotationBytes))
		if closing < 0 || len(x.labelsIn(text, i, closing)) > 0 {
			continue
		}
		var pending [][2]int
		for _, t := range x.tokens(text, i, closing, "、，,；;。\n\r") {
			s, e := trimSpan(text, t[0], t[1])
			vn := x.verbSuffix(text[s:e])
			ns, ne := trimSpan(text, s, e-vn)
			ne = ns + len(stripEtc(text[ns:ne]))
			ok := x.isOwnerName(text[ns:ne])
			switch {
			case !ok:
				pending = nil
			case vn == 0:
				pending = append(pending, [2]int{ns, ne})
			default:
				role := x.role(text[e-vn : e])
				for _, p := range append(pending, [2]int{ns, ne}) {
					out = append(out, x.newOwner(src, p[0], p[1], role, formTrailing))
				}
				pending = nil
			}
		}
		next = closing
	}
	return out
}

// closingBracket returns the offset of the bracket closing the one just
// before text[i], or -1 when it is not closed before hi.
func closingBracket(text string, i, hi int) int {
	// A byte scan: ( and ) are ASCII, and （ and ） begin with 0xEF,
	// which is never inside another character.
	depth := 0
	for j := i; j < hi; j++ {
		open, close := text[j] == '(', text[j] == ')'
		if text[j] == 0xEF {
			open, close = strings.HasPrefix(text[j:], "（"), strings.HasPrefix(text[j:], "）")
		}
		switch {
		case open:
			depth++
		case close:
			if depth == 0 {
				return j
			}
			depth--
		}
	}
	return -1
}

// sentenceOwners finds 请A、B… at the start of a clause and 由A、B牵头/负责
// not followed by 的 or 人 (由政府负责人牵头 names a person, 由卫生局牵头的X
// describes X), given the offsets of 请, 由 (and other marks) in
// text[lo:hi].
func (x *Extractor) sentenceOwners(src *Source, lo, hi int, marks []mark, out []Owner) []Owner {
	text := src.Text
	for _, m := range marks {
		n := utf8.RuneLen(m.r)
		i := m.at + n
		switch m.r {
		case '请':
			if p := runeBefore(text, i-n); i-n > lo && !unicode.IsPunct(p) && !unicode.IsSpace(p) {
				continue
			}
			names, _ := x.nameList(text, i, hi)
			for _, nm := range names {
				out = append(out, x.newOwner(src, nm[0], nm[1], roleResponsible, formSentence))
			}
		case '由':
			names, next := x.nameList(text, i, hi)
			vn := x.verbSet.longestAt(text[:hi], next)
			if len(names) == 0 || vn == 0 {
				continue
			}
			if after := runeAt(text[:hi], next+vn); after == '的' || after == '人' {
				continue
			}
			role := x.role(text[next : next+vn])
			for _, nm := range names {
				out = append(out, x.newOwner(src, nm[0], nm[1], role, formSentence))
			}
		}
	}
	return out
}

// nameList reads owner names separated by 、 from text[i:], and returns
// them with the offset after the list and its closing 等….
func (x *Extractor) nameList(text string, i, hi int) (names [][2]int, next int) {
	next = i
	for {
		e := x.nameAt(text, i, hi)
		if e < 0 {
			return names, next
		}
		names = append(names, [2]int{i, e})
		next = e
		if strings.HasPrefix(text[e:hi], "、") {
			i = e + len("、")
			continue
		}
		if loc := etcTail.FindStringIndex(text[e:hi]); loc != nil {
			next = e + loc[1]
		}
		return names, next
	}
}

// nameAt returns the end of the owner name starting at text[i], or -1: a
// collective owner, or the longest prefix ending with an owner suffix of
// the run of Chinese characters before the next punctuation or break
// word (请财政部落实… → 财政部).
func (x *Extractor) nameAt(text string, i, hi int) int {
	if n := x.collective.longestAt(text[:hi], i); n > 0 {
		return i + n
	}
	w, count := i, 0
	for w < hi && count < maxNameRunes {
		r, n := decodeRune(text, w)
		if !isHan(r) || w > i && x.nameBreaks.longestAt(text[:hi], w) > 0 {
			break
		}
		w += n
		count++
	}
	for e := w; e > i; {
		if x.isOwnerName(text[i:e]) {
			return e
		}
		_, n := decodeLastRune(text, i, e)
		e -= n
	}
	return -1
}
