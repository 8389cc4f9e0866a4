package plan

// Kind says what a unit of a plan is.
type Kind string

// Unit kinds. Wrapper, junk and closing units are kept so nothing is lost,
// but rules usually skip them.
const (
	KindWrapper   Kind = "wrapper"   // the notice around the plan, web-page metadata, 附: line
	KindTitle     Kind = "title"     // the plan's title (possibly over several lines)
	KindTitleInfo Kind = "titleinfo" // draft marker, issuer, date, document number under the title
	KindPreamble  Kind = "preamble"  // 指导思想/总体要求 paragraphs before the first heading
	KindHeading   Kind = "heading"   // a numbered section heading
	KindItem      Kind = "item"      // a numbered task item
	KindParagraph Kind = "paragraph" // an unnumbered paragraph (continuation of an item, or section text)
	KindTable     Kind = "table"     // a table such as a 责任分解表
	KindRow       Kind = "row"       // one row of a table
	KindClosing   Kind = "closing"   // the signature, date and （此件公开发布） after the body
	KindJunk      Kind = "junk"      // page furniture: 分享到, 关闭, 打印, 版权所有, 备案序号…
)

// Match is a piece of the input found by the reader or by a rule: its text
// as written and its exact place in the original input.
type Match struct {
	Text string `json:"text" expr:"text"`
	Span
	// start and end are byte offsets into Source.Text.
	start, end int
}

// Offsets returns the match's byte range in the decoded text.
func (m Match) Offsets() (int, int) { return m.start, m.end }

// NewMatch builds a match over the decoded byte range [start, end) of src.
func NewMatch(src *Source, start, end int) Match {
	return Match{Text: src.Text[start:end], Span: src.Span(start, end), start: start, end: end}
}

// Owner is a unit named as responsible for a task.
type Owner struct {
	Match
	// Name is the unit's name with markers stripped (e.g. 中医科).
	Name string `json:"name" expr:"name"`
	// Role is "lead" (牵头), "assist" (配合/协办) or "responsible".
	Role string `json:"role" expr:"role"`
	// Form is how it was written: "label" (责任单位：…), "trailing"
	// (…负责）), "sentence" (由X牵头, 请X…), or "table" (a table column).
	Form string `json:"form" expr:"form"`
	// Collective is true for 各地, 各有关部门 and the like: formally an
	// owner, but nobody in particular.
	Collective bool `json:"collective,omitempty" expr:"collective"`
}

// Deadline kinds.
const (
	DeadlineDate      = "date"      // a resolved calendar range, e.g. 2012年6月前, 6月底, 上半年
	DeadlineRecurring = "recurring" // 每年2月底前
	DeadlineRelative  = "relative"  // 印发之日起30日内
	DeadlineDeferred  = "deferred"  // 根据省里要求, 按省统一进度
	DeadlineVague     = "vague"     // 年内, 适时, 逐步, 近期
)

// Deadline is a time limit found in the text, resolved against the plan's
// year where it is a date.
type Deadline struct {
	Match
	Kind string `json:"kind" expr:"kind"`
	// From and To bound the date range as YYYY-MM-DD, inclusive; empty
	// when the deadline is not a date.
	From string `json:"from,omitempty" expr:"from"`
	To   string `json:"to,omitempty" expr:"to"`
}

// Target is a quantitative indicator: 达到85%以上, 低于8/10万, 提高到506元.
type Target struct {
	Match
	// Indicator is the phrase before the value (e.g. 流动人口儿童接种率).
	Indicator string `json:"indicator,omitempty" expr:"indicator"`
	// Comparator as written: 达到, 以上, 低于, 不低于, 提高到, 新增…
	Comparator string `json:"comparator,omitempty" expr:"comparator"`
	// Value and Value2 (the upper end of a range such as 2-3个).
	Value    float64 `json:"value" expr:"value"`
	Value2   float64 `json:"value2,omitempty" expr:"value2"`
	HasValue bool    `json:"has_value" expr:"has_value"`
	// Unit of the value: %, ‰, /10万, 元, 家, 个, 台…
	Unit string `json:"unit,omitempty" expr:"unit"`
	// ByReference is true for 不低于省要求, 达到国家标准: a target without a value.
	ByReference bool `json:"by_reference,omitempty" expr:"by_reference"`
}

// Term is a quoted term (“…” or 《…》) or a numeric slogan.
type Term struct {
	Match
	// Inner is the text between the marks.
	Inner string `json:"inner" expr:"inner"`
	// Quote is "“”", "《》" or "" for an unquoted slogan.
	Quote string `json:"quote,omitempty" expr:"quote"`
	// Slogan is true for numeric slogans: “三个年”, “1126”, 六统一.
	Slogan bool `json:"slogan,omitempty" expr:"slogan"`
	// Explained is true when an explanation (即…, （…）, ：…) follows.
	Explained bool `json:"explained" expr:"explained"`
	// First is true for the first use of the term in the document (by
	// Inner); ExplainedAnywhere is true when some use of it is explained.
	First             bool `json:"first,omitempty" expr:"first"`
	ExplainedAnywhere bool `json:"explained_anywhere,omitempty" expr:"explained_anywhere"`
}

// Cell is one cell of a table row.
type Cell struct {
	Match
	// Column is the header name of the cell's column ("" for an unlabeled column).
	Column string `json:"column" expr:"column"`
	// Missing is true for a cell the row lacks: its Text is empty and its
	// span is empty, placed where the cell should have been.
	Missing bool `json:"missing,omitempty" expr:"missing"`
}

// Unit is one node of a parsed plan. Headings contain items and paragraphs;
// items contain their continuation paragraphs and sub-items; tables contain rows.
type Unit struct {
	Kind Kind `json:"kind" expr:"kind"`
	// Label is the numbering as written (e.g. "（三）", "33.", "一是"), "" when unnumbered.
	Label string `json:"label,omitempty" expr:"label"`
	// Style is the numbering family that decides levels: "一、", "（一）",
	// "1.", "1、", "（1）", "1)", "①", "一是". （一） and (一) are one family,
	// as are 1. and 1．; Form keeps the exact punctuation.
	Style string `json:"style,omitempty" expr:"style"`
	Form  string `json:"form,omitempty" expr:"form"`
	// Number is the label's value as an integer (0 when unnumbered).
	Number int `json:"number,omitempty" expr:"number"`
	// Level is the nesting depth among numbered units (1 = top heading).
	Level int `json:"level" expr:"level"`
	Span
	// Text is the unit's own text: for an item, its paragraph(s) without
	// sub-items; for a row, its cells joined by tabs.
	Text string `json:"text" expr:"text"`
	// Title is an item's lead sentence (up to the first 。) or a heading's text.
	Title *Match `json:"title,omitempty" expr:"title"`
	// Path is the section path, e.g. ["二、重点工作", "（三）以农村为重点…", "11"].
	Path      []string   `json:"path,omitempty" expr:"path"`
	Owners    []Owner    `json:"owners,omitempty" expr:"owners"`
	Deadlines []Deadline `json:"deadlines,omitempty" expr:"deadlines"`
	Targets   []Target   `json:"targets,omitempty" expr:"targets"`
	Vague     []Match    `json:"vague,omitempty" expr:"vague"`
	Terms     []Term     `json:"terms,omitempty" expr:"terms"`
	// Columns names a table's columns; Cells are a row's cells.
	Columns []string `json:"columns,omitempty" expr:"columns"`
	Cells   []Cell   `json:"cells,omitempty" expr:"cells"`
	// Short is true for a row with fewer cells than the table has columns.
	Short    bool    `json:"short,omitempty" expr:"short"`
	Children []*Unit `json:"children,omitempty" expr:"children"`

	Parent *Unit `json:"-" expr:"-"`
	Prev   *Unit `json:"-" expr:"-"` // previous sibling of the same kind
	Next   *Unit `json:"-" expr:"-"`

	src *Source
	// bodyStart and bodyEnd delimit the unit's own text in Source.Text;
	// titleStart is where a numbered unit's text begins after its label.
	bodyStart, bodyEnd, titleStart int
}

// Source returns the input the unit was read from.
func (u *Unit) Source() *Source { return u.src }

// Body returns the decoded byte range of the unit's own text.
func (u *Unit) Body() (int, int) { return u.bodyStart, u.bodyEnd }

// Plan is a parsed work plan.
type Plan struct {
	Source   *Source `json:"-" expr:"-"`
	File     string  `json:"file" expr:"file"`
	Encoding string  `json:"encoding" expr:"encoding"`
	Title    *Match  `json:"title,omitempty" expr:"title"`
	// Year is the plan's year, from the title (or the date when the title has none); 0 if unknown.
	Year int `json:"year,omitempty" expr:"year"`
	// Scope is 全市, 全省, 全县, 全国… when the title says so.
	Scope       string    `json:"scope,omitempty" expr:"scope"`
	DraftMarker *Match    `json:"draft_marker,omitempty" expr:"draft_marker"`
	Issuer      *Match    `json:"issuer,omitempty" expr:"issuer"`
	Date        *Match    `json:"date,omitempty" expr:"date"`
	ReplyBy     *Deadline `json:"reply_by,omitempty" expr:"reply_by"`
	// StyleForms gives, for each numbering style, the form most of its
	// labels use (e.g. "1．" for 1.), ties going to the first seen.
	StyleForms map[string]string `json:"style_forms,omitempty" expr:"style_forms"`
	Units      []*Unit           `json:"units" expr:"units"`
}

// Walk calls fn for every unit in document order, depth first; fn returns
// false to skip a unit's children.
func (p *Plan) Walk(fn func(*Unit) bool) {
	var walk func([]*Unit)
	walk = func(us []*Unit) {
		for _, u := range us {
			if fn(u) {
				walk(u.Children)
			}
		}
	}
	walk(p.Units)
}

// Items returns every task item in document order.
func (p *Plan) Items() []*Unit { return p.OfKind(KindItem) }

// OfKind returns every unit of kind k in document order.
func (p *Plan) OfKind(k Kind) []*Unit {
	var out []*Unit
	p.Walk(func(u *Unit) bool {
		if u.Kind == k {
			out = append(out, u)
		}
		return true
	})
	return out
}
