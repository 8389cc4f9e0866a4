package report

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/plancheck/plancheck/docx"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// Layout of the 修改意见.
const (
	// feedbackExcerptRunes caps a quoted 原文.
	feedbackExcerptRunes = 60
	// summaryRules is how many rules the 总体意见 names; the rest are
	// counted together.
	summaryRules = 5
	// letterWidth is a line of a 公文 page in characters (GB/T 9704-2012
	// 7.1: 28 per line), to which the sender line is padded.
	letterWidth = 28
	// themePrefix marks the rules that check a draft against a higher-level
	// plan: their findings get a part of their own.
	themePrefix = "theme-"
)

// Placeholders for what Options leave empty, for the reviewer to fill in.
const (
	placeholderSender = "××单位"
	placeholderDate   = "××××年××月××日"
	contactLine       = "联系人：________　联系电话：________"
	noComments        = "经研究，我单位无修改意见。"
	otherSection      = "其他"
)

var (
	// draftSuffix is a draft marker closing a title, as plan's parser
	// recognises the markers; draftWord finds one anywhere in it.
	draftSuffix = regexp.MustCompile(`\s*[（(]\s*(征求意见稿|讨论稿|送审稿|修改稿|草案|代拟稿)\s*[）)]\s*$`)
	draftWord   = regexp.MustCompile(`征求意见稿|讨论稿|送审稿|修改稿|草案|代拟稿`)
	// itemLabel is a section-path element naming an item by its number
	// alone (plan's pathLabel); headings carry their title after the label.
	itemLabel = regexp.MustCompile(`^(?:[（(]?[0-9０-９]+[）)]?|[（(]?[一二三四五六七八九十〇零百]+[）)]?|[①-⑳])$`)
	// mdBlockStart is what would make a line start a Markdown list, a
	// thematic break or a setext heading (*, > and # are escaped anywhere).
	mdBlockStart = regexp.MustCompile(`^(?:[0-9]+[.)](?:\s|$)|[-+=])`)
)

// feedbackFormatter writes the 修改意见 a reviewer sends back: 总体意见
// counted by rule, then every finding as a numbered 具体修改意见, grouped by
// section. It holds the rendered letters until Finish, because one input
// makes the letter the whole document while several are gathered under
// one heading.
type feedbackFormatter struct {
	*common
	// asDocx writes a Word document instead of Markdown.
	asDocx  bool
	date    string
	letters [][]block
}

func newFeedbackMarkdown(c *common) Formatter { return &feedbackFormatter{common: c} }

func newFeedbackDocx(c *common) Formatter { return &feedbackFormatter{common: c, asDocx: true} }

func (fb *feedbackFormatter) Start() error {
	day, err := parseDate(fb.opt.Date)
	if err != nil {
		return err
	}
	fb.date = placeholderDate
	if !day.IsZero() {
		fb.date = fmt.Sprintf("%d年%d月%d日", day.Year(), day.Month(), day.Day())
	}
	return nil
}

func (fb *feedbackFormatter) File(f File) error {
	fb.letters = append(fb.letters, fb.letter(f))
	return nil
}

func (fb *feedbackFormatter) Finish() error {
	var doc []block
	title := "修改意见"
	switch len(fb.letters) {
	case 1:
		title = fb.letters[0][0].text
		doc = append(doc, fb.letters[0][0], fb.sender())
		doc = append(doc, fb.letters[0][1:]...)
	default:
		// Several drafts: one heading over them, each letter a level down.
		doc = append(doc, block{kind: heading, level: 1, text: title}, fb.sender())
		for _, l := range fb.letters {
			for _, b := range l {
				if b.kind == heading {
					b.level++
				}
				doc = append(doc, b)
			}
		}
	}
	if !fb.asDocx {
		_, err := io.WriteString(fb.w, renderMarkdown(doc))
		return err
	}
	src, err := plan.NewSource(title+".txt", []byte(renderPlain(doc)))
	if err != nil {
		return err
	}
	out, err := docx.NewFromText(src, nil, title)
	if err != nil {
		return err
	}
	_, err = fb.w.Write(out)
	return err
}

// sender is the line the reviewer signs and dates, with the contact line.
func (fb *feedbackFormatter) sender() block {
	who := oneLine(fb.opt.Author)
	if who == "" {
		who = placeholderSender
	}
	who += "（盖章）"
	pad := max(2, letterWidth-utf8.RuneCountInString(who)-utf8.RuneCountInString(fb.date))
	return block{kind: para, text: who + strings.Repeat("　", pad) + fb.date, next: &block{kind: para, text: contactLine, verbatim: true}}
}

// blockKind says how a block of the 修改意见 is laid out.
type blockKind int

const (
	para    blockKind = iota
	heading           // level 1 the letter's title, 2 its parts, 3 groups
	item              // a numbered comment
)

// block is one paragraph of the 修改意见, as plain text.
type block struct {
	kind  blockKind
	level int
	n     int // an item's number
	text  string
	// verbatim text is written to Markdown unescaped (the contact line's
	// underscores are blanks to fill in, not emphasis).
	verbatim bool
	// next is a line that follows this one in the same Markdown paragraph
	// (the sender block); in Word it is a paragraph of its own.
	next *block
}

// letter renders one input's 修改意见: the title, then the parts.
func (fb *feedbackFormatter) letter(f File) []block {
	bs := []block{{kind: heading, level: 1, text: letterTitle(f)}}
	if f.Err != nil {
		return append(bs, block{kind: para, text: "无法检查：" + errText(f.Err)})
	}
	var themes, specific []rules.Finding
	for _, fd := range f.Findings {
		if strings.HasPrefix(fd.RuleID, themePrefix) {
			themes = append(themes, fd)
		} else {
			specific = append(specific, fd)
		}
	}
	part := 0
	addPart := func(name string) {
		part++
		bs = append(bs, block{kind: heading, level: 2, text: hanNumber(part) + "、" + name})
	}
	if len(themes) > 0 {
		addPart("上级部署落实情况")
		for i, fd := range themes {
			bs = append(bs, block{kind: item, n: i + 1, text: comment(fd)})
		}
	}
	addPart("总体意见")
	bs = append(bs, block{kind: para, text: fb.summary(len(themes), specific)})
	if len(specific) == 0 {
		return bs
	}
	addPart("具体修改意见")
	n := 0
	for i, g := range groupBySection(specific) {
		bs = append(bs, block{kind: heading, level: 3, text: "（" + hanNumber(i+1) + "）" + g.name})
		for _, fd := range g.findings {
			n++
			bs = append(bs, block{kind: item, n: n, text: comment(fd)})
		}
	}
	return bs
}

// letterTitle is "关于《标题》（征求意见稿）的修改意见". A draft marker
// closing the title moves after it; one elsewhere in the title is not
// doubled. Without a title the file's name stands in.
func letterTitle(f File) string {
	t := strings.TrimSpace(oneLine(f.Title))
	if t == "" {
		base := filepath.Base(f.Name)
		t = strings.TrimSuffix(base, filepath.Ext(base))
	}
	marker := "（征求意见稿）"
	if m := draftSuffix.FindStringSubmatchIndex(t); m != nil {
		marker = "（" + t[m[2]:m[3]] + "）"
		t = t[:m[0]]
	} else if draftWord.MatchString(t) {
		marker = ""
	}
	return "关于《" + t + "》" + marker + "的修改意见"
}

// summary is the 总体意见: how many comments, and the most frequent
// problems counted by rule title.
func (fb *feedbackFormatter) summary(themes int, specific []rules.Finding) string {
	if themes == 0 && len(specific) == 0 {
		return noComments
	}
	var b strings.Builder
	if themes > 0 {
		fmt.Fprintf(&b, "对照上级部署，提出落实方面的意见%d条，见第一部分。", themes)
	}
	if len(specific) == 0 {
		b.WriteString("其他方面无修改意见。")
		return b.String()
	}
	fmt.Fprintf(&b, "共提出具体修改意见%d条。其中：", len(specific))
	counts := map[string]int{}
	for _, fd := range specific {
		counts[fd.RuleID]++
	}
	ids := slices.SortedFunc(func(yield func(string) bool) {
		for id := range counts {
			if !yield(id) {
				return
			}
		}
	}, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(a, b)) })
	var parts []string
	rest := 0
	for i, id := range ids {
		if i >= summaryRules {
			rest += counts[id]
			continue
		}
		parts = append(parts, strconv.Itoa(counts[id])+"处"+fb.ruleTitle(id))
	}
	if rest > 0 {
		parts = append(parts, fmt.Sprintf("另有其他问题%d处", rest))
	}
	b.WriteString(strings.Join(parts, "，"))
	b.WriteString("。请逐项研究修改。")
	return b.String()
}

// section is the comments under one heading of 具体修改意见.
type section struct {
	name     string
	findings []rules.Finding
}

// groupBySection groups findings by their section path, an item's
// findings under the item's heading, in the order the sections first
// occur; findings outside any section come last, under 其他.
func groupBySection(fds []rules.Finding) []section {
	var out []section
	index := map[string]int{}
	var other []rules.Finding
	for _, fd := range fds {
		path := fd.Section
		if len(path) > 0 && itemLabel.MatchString(path[len(path)-1]) {
			path = path[:len(path)-1]
		}
		if len(path) == 0 {
			other = append(other, fd)
			continue
		}
		name := oneLine(strings.Join(path, " › "))
		i, ok := index[name]
		if !ok {
			i = len(out)
			index[name] = i
			out = append(out, section{name: name})
		}
		out[i].findings = append(out[i].findings, fd)
	}
	if len(other) > 0 {
		out = append(out, section{name: otherSection, findings: other})
	}
	return out
}

// comment is one numbered comment: where, the 原文 quoted, the problem
// and the suggestion.
func comment(fd rules.Finding) string {
	var b strings.Builder
	switch {
	case fd.Start.Para > 0:
		fmt.Fprintf(&b, "（段落%d，第%d字）", fd.Start.Para, fd.Start.ParaChar)
	case fd.Start.Line > 0:
		fmt.Fprintf(&b, "（第%d行第%d列）", fd.Start.Line, fd.Start.Col)
	}
	if ex := clip(excerptLine.Replace(fd.Excerpt), feedbackExcerptRunes); ex != "" {
		b.WriteString("原文：“" + ex + "”。")
	}
	b.WriteString("问题：" + sentence(fd.Message))
	if fd.Suggestion != "" {
		b.WriteString("建议：" + sentence(fd.Suggestion))
	}
	return b.String()
}

// excerptLine puts an excerpt on one line: a line break inside a span of
// Chinese text is where the draft was wrapped, so it joins without a space.
var excerptLine = strings.NewReplacer("\r\n", "", "\n", "", "\r", "", "\t", " ")

// oneLine joins the lines of s.
func oneLine(s string) string { return excerptLine.Replace(s) }

// sentence ends s with one full stop: kept after 。！？…, put in place of a
// trailing comma or semicolon, added otherwise.
func sentence(s string) string {
	s = strings.TrimSpace(oneLine(s))
	r, size := utf8.DecodeLastRuneInString(s)
	switch r {
	case '。', '！', '？', '…', '!', '?':
		return s
	case '，', '；', '、', ',', ';', '.', '：', ':':
		s = s[:len(s)-size]
	}
	return s + "。"
}

// ruleTitle names a rule in the 总体意见: its title, or its id when the
// options do not describe it.
func (fb *feedbackFormatter) ruleTitle(id string) string {
	if t := fb.title(id); t != "" {
		return t
	}
	return id
}

// hanNumber writes n (1–99) in Chinese numerals as 公文 headings number
// their parts: 一, 十, 十一, 二十一. Larger numbers stay in digits.
func hanNumber(n int) string {
	const digits = "〇一二三四五六七八九"
	d := []rune(digits)
	switch {
	case n < 1 || n > 99:
		return strconv.Itoa(n)
	case n < 10:
		return string(d[n])
	}
	s := "十"
	if n/10 > 1 {
		s = string(d[n/10]) + s
	}
	if n%10 > 0 {
		s += string(d[n%10])
	}
	return s
}

// mdEscaper keeps text literal in Markdown: ASCII punctuation Markdown
// reads as inline markup is backslash-escaped.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "~", `\~`, "#", `\#`, "|", `\|`,
)

// mdLine escapes one line of text, including what would start a block
// (a list number, a quote) at its beginning.
func mdLine(b block) string {
	if b.verbatim {
		return b.text
	}
	s := mdEscaper.Replace(b.text)
	if loc := mdBlockStart.FindStringSubmatchIndex(s); loc != nil {
		// Escape the marker's last punctuation: "1\. ", "\-".
		i := strings.LastIndexAny(s[:loc[1]], ".)-+=")
		s = s[:i] + `\` + s[i:]
	}
	return s
}

// renderMarkdown writes the blocks as Markdown: headings with #, a blank
// line between blocks except inside a list, hard line breaks inside a
// paragraph.
func renderMarkdown(doc []block) string {
	var b strings.Builder
	for i, bl := range doc {
		if i > 0 {
			if !(bl.kind == item && doc[i-1].kind == item) {
				b.WriteByte('\n')
			}
		}
		switch bl.kind {
		case heading:
			b.WriteString(strings.Repeat("#", bl.level) + " " + mdLine(bl))
		case item:
			fmt.Fprintf(&b, "%d. %s", bl.n, mdLine(bl))
		default:
			b.WriteString(mdLine(bl))
			for next := bl.next; next != nil; next = next.next {
				b.WriteString("\\\n" + mdLine(*next))
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// renderPlain writes the blocks one paragraph a line, as the Word
// document gets them: no markup, an item's number written as 1.
func renderPlain(doc []block) string {
	var b strings.Builder
	line := func(s string) {
		b.WriteString(strings.Map(plainRune, s))
		b.WriteByte('\n')
	}
	for _, bl := range doc {
		switch bl.kind {
		case item:
			line(strconv.Itoa(bl.n) + "." + bl.text)
		default:
			line(bl.text)
			for next := bl.next; next != nil; next = next.next {
				line(next.text)
			}
		}
	}
	return b.String()
}

// plainRune keeps control characters out of the text a Source is made
// of (plan.NewSource refuses them); a tab stays.
func plainRune(r rune) rune {
	if r < 0x20 && r != '\t' || r == 0x7f {
		return ' '
	}
	return r
}
