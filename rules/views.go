package rules

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/plancheck/plancheck/plan"
)

// The views are what rule expressions see of a plan. They are built once
// per document (NewDoc), not per rule, and their field names (expr tags)
// are the vocabulary rule authors write: keep them stable.

// UnitView is a heading, item, paragraph or preamble paragraph.
type UnitView struct {
	Kind   string `expr:"kind"`
	Label  string `expr:"label"`
	Style  string `expr:"style"`
	Form   string `expr:"form"`
	Number int    `expr:"number"`
	Level  int    `expr:"level"`
	// Text is the unit's own text; Title its lead sentence (items) or
	// heading text, the whole text for other units.
	Text  string `expr:"text"`
	Title string `expr:"title"`
	// Path is the section path; Section the same joined with " › ".
	Path      []string        `expr:"path"`
	Section   string          `expr:"section"`
	Line      int             `expr:"line"`
	Owners    []plan.Owner    `expr:"owners"`
	Deadlines []plan.Deadline `expr:"deadlines"`
	Targets   []plan.Target   `expr:"targets"`
	Vague     []plan.Match    `expr:"vague"`
	Terms     []plan.Term     `expr:"terms"`
	// IsTask is true for an item outside the sections named by the
	// non_task_sections list (指导思想, 保障措施…).
	IsTask bool `expr:"is_task"`
	// Children are the unit's headings, items and paragraphs; Paragraphs
	// the texts of its unnumbered continuation paragraphs.
	Children      []*UnitView `expr:"children"`
	ChildrenCount int         `expr:"children_count"`
	Paragraphs    []string    `expr:"paragraphs"`
	// ItemsCount counts the numbered units below this one, at any depth.
	ItemsCount  int  `expr:"items_count"`
	HasSubItems bool `expr:"has_sub_items"`
	// Prev and Next are the numbering neighbours (plan.Unit.Prev/Next):
	// the units of the same style and level under the same grandparent,
	// so numbering continued across sections can be checked; nil at the
	// ends. FirstInParent is true for the first unit of its style under
	// its parent, where numbering may also restart at 1.
	Prev          *UnitView       `expr:"prev"`
	Next          *UnitView       `expr:"next"`
	FirstInParent bool            `expr:"first_in_parent"`
	Parent        *UnitView       `expr:"parent"`
	ParentLabel   string          `expr:"parent_label"`
	Sentences     []*SentenceView `expr:"sentences"`

	// U is the unit itself, for functions.
	U *plan.Unit `expr:"-"`
	// span is DefaultSpan(U), where a true check on the unit is reported;
	// plain its text without the label, for fingerprints.
	span  plan.Match
	plain string
}

// SentenceView is one sentence of an item, paragraph or preamble: text up
// to and including 。！？ or ；, or to the end of a line.
type SentenceView struct {
	Text  string     `expr:"text"`
	Span  plan.Match `expr:"span"`
	Index int        `expr:"index"` // 0-based, within the unit
	Line  int        `expr:"line"`
	Unit  *UnitView  `expr:"unit"`
	// The unit's extractions that lie inside the sentence.
	Owners    []plan.Owner    `expr:"owners"`
	Deadlines []plan.Deadline `expr:"deadlines"`
	Targets   []plan.Target   `expr:"targets"`
	Vague     []plan.Match    `expr:"vague"`
	Terms     []plan.Term     `expr:"terms"`
}

// TableView is a table such as a 责任分解表.
type TableView struct {
	Columns []string   `expr:"columns"`
	Rows    []*RowView `expr:"rows"`
	Line    int        `expr:"line"`
	Path    []string   `expr:"path"`
	U       *plan.Unit `expr:"-"`
}

// RowView is one row of a table.
type RowView struct {
	// Cells maps a column's header to the cell's text ("" for an
	// unlabeled column); Missing names the columns the row lacks.
	Cells     map[string]string `expr:"cells"`
	CellList  []plan.Cell       `expr:"cell_list"`
	Missing   []string          `expr:"missing"`
	Short     bool              `expr:"short"`
	Label     string            `expr:"label"`
	Number    int               `expr:"number"`
	Text      string            `expr:"text"`
	Line      int               `expr:"line"`
	Owners    []plan.Owner      `expr:"owners"`
	Deadlines []plan.Deadline   `expr:"deadlines"`
	Targets   []plan.Target     `expr:"targets"`
	Table     *TableView        `expr:"table"`
	U         *plan.Unit        `expr:"-"`
	// span is DefaultSpan(U), plain its text without the label; task the
	// row presented as a task (rowTask).
	span  plan.Match
	plain string
	task  *UnitView
}

// DocView is the plan as a whole.
type DocView struct {
	Title       string         `expr:"title"`
	Year        int            `expr:"year"`
	Scope       string         `expr:"scope"`
	Draft       bool           `expr:"draft"`
	DraftMarker string         `expr:"draft_marker"`
	Issuer      string         `expr:"issuer"`
	Date        string         `expr:"date"`
	ReplyBy     *plan.Deadline `expr:"reply_by"`
	// StyleForms is each numbering style's usual form (plan.Plan.StyleForms).
	StyleForms map[string]string `expr:"style_forms"`
	File       string            `expr:"file"`
	Encoding   string            `expr:"encoding"`
	ItemsCount int               `expr:"items_count"`
	Headings   []*UnitView       `expr:"headings"`
	Items      []*UnitView       `expr:"items"`
	Paragraphs []*UnitView       `expr:"paragraphs"`
	// Units holds every heading, item and paragraph in document order.
	Units  []*UnitView  `expr:"units"`
	Tables []*TableView `expr:"tables"`
	Rows   []*RowView   `expr:"rows"`

	P *plan.Plan `expr:"-"`
	// dups is built on first use by duplicate_of, per threshold, under
	// dupsMu: a document's rules may run on several goroutines.
	dupsMu sync.Mutex
	dups   map[float64]*dupIndex
}

// Env is the environment every rule expression is compiled against. Only
// the fields of the rule's scope are set; using another scope's field is
// a load error (see scopeNames).
type Env struct {
	Plan      *DocView            `expr:"plan"`
	Vocab     map[string][]string `expr:"vocab"`
	Item      *UnitView           `expr:"item"`
	Section   *UnitView           `expr:"section"`
	Paragraph *UnitView           `expr:"paragraph"`
	// Unit is the heading or item a numbered-scope rule is looking at.
	Unit *UnitView `expr:"unit"`
	// Task is the item or table row a task-scope rule is looking at; a
	// row's title is its task cell.
	Task *UnitView `expr:"task"`
	// Theme is the theme a theme-scope rule is looking at.
	Theme    *ThemeView    `expr:"theme"`
	Row      *RowView      `expr:"row"`
	Table    *TableView    `expr:"table"`
	Sentence *SentenceView `expr:"sentence"`
	// Match is the finding's span in message and suggestion templates.
	Match plan.Match `expr:"match"`
	// Run is the evaluation's state, passed by the loader to every
	// function call; rules never name it.
	Run *Run `expr:"__run"`
}

// scopeNames are the env fields a rule of each scope may use besides plan
// and vocab.
var scopeNames = map[Scope][]string{
	ScopeDocument:  nil,
	ScopeSection:   {"section"},
	ScopeItem:      {"item"},
	ScopeNumbered:  {"unit"},
	ScopeTask:      {"task"},
	ScopeText:      {"unit"},
	ScopeTheme:     {"theme"},
	ScopeParagraph: {"paragraph"},
	ScopeTableRow:  {"row", "table"},
	ScopeSentence:  {"sentence"},
}

// scopedNames are the env fields that belong to one scope only.
var scopedNames = map[string]bool{"theme": true, "task": true, "unit": true, "item": true, "section": true, "paragraph": true, "row": true, "table": true, "sentence": true}

// Target is one unit a rule is evaluated on: the view its scope's
// variable names, and where and how a true check is reported. Targets are
// made one at a time into the same value (Doc.Each) and the rule's
// environment is filled in per evaluation (fill): a document costs no
// list of targets and no copies of Env.
type Target struct {
	base     *Env // plan and vocab, shared by the document's targets
	scope    Scope
	unit     *UnitView // section, item, paragraph, unit or task
	row      *RowView
	sentence *SentenceView
	theme    *ThemeView
	// Span is where a true check is reported (DefaultSpan).
	Span plan.Match
	// Text is the unit's text, for fingerprints.
	Text    string
	Section []string
}

// fill sets env to what a rule of the target's scope sees.
func (t *Target) fill(env *Env) {
	*env = *t.base
	switch t.scope {
	case ScopeSection:
		env.Section = t.unit
	case ScopeItem:
		env.Item = t.unit
	case ScopeParagraph:
		env.Paragraph = t.unit
	case ScopeNumbered, ScopeText:
		env.Unit = t.unit
	case ScopeTask:
		env.Task = t.unit
	case ScopeTableRow:
		env.Row, env.Table = t.row, t.row.Table
	case ScopeSentence:
		env.Sentence = t.sentence
	case ScopeTheme:
		env.Theme = t.theme
	}
}

// text is the text functions such as find see of the target's view: a
// sentence's, a unit's or a row's.
func (t *Target) text(run *Run) (string, bool) {
	var x any
	switch {
	case t.sentence != nil:
		x = t.sentence
	case t.unit != nil:
		x = t.unit
	case t.row != nil:
		x = t.row
	default:
		return "", false
	}
	src, s, e, err := region(run, x)
	if err != nil {
		return "", false
	}
	return src.Text[s:e], true
}

// Subject identifies what the target is about, for counting findings per
// unit: a sentence's unit, else the target's own view (the document's
// view for the document).
func (t *Target) Subject() any {
	switch {
	case t.sentence != nil:
		return t.sentence.Unit
	case t.unit != nil:
		return t.unit
	case t.row != nil:
		return t.row
	case t.theme != nil:
		return t.theme
	}
	return t.base.Plan
}

// Doc holds the views of one plan. It belongs to one goroutine (one
// Check).
type Doc struct {
	Plan   *DocView
	Src    *plan.Source
	base   *Env
	themes []Target // from AddThemes
}

// Each calls fn with every target of scope s, in document order, until
// fn returns false. The target is only valid during the call.
func (d *Doc) Each(s Scope, fn func(*Target) bool) {
	dv := d.Plan
	t := Target{base: d.base, scope: s}
	unit := func(v *UnitView) bool {
		t.unit, t.Span, t.Text, t.Section = v, v.span, v.plain, v.Path
		return fn(&t)
	}
	units := func(vs []*UnitView) {
		for _, v := range vs {
			if !unit(v) {
				return
			}
		}
	}
	switch s {
	case ScopeDocument:
		t.Span, t.Text = documentSpan(dv.P), dv.Title
		fn(&t)
	case ScopeSection:
		units(dv.Headings)
	case ScopeItem:
		units(dv.Items)
	case ScopeParagraph:
		units(dv.Paragraphs)
	case ScopeText:
		units(dv.Units)
	case ScopeNumbered:
		for _, v := range dv.Units {
			if k := plan.Kind(v.Kind); (k == plan.KindHeading || k == plan.KindItem) && !unit(v) {
				return
			}
		}
	case ScopeTask:
		for _, v := range dv.Items {
			if !unit(v) {
				return
			}
		}
		for _, r := range dv.Rows {
			t.unit, t.Span, t.Text, t.Section = r.task, r.span, r.plain, r.U.Path
			if !fn(&t) {
				return
			}
		}
	case ScopeTableRow:
		for _, r := range dv.Rows {
			t.row, t.Span, t.Text, t.Section = r, r.span, r.plain, r.U.Path
			if !fn(&t) {
				return
			}
		}
	case ScopeSentence:
		for _, v := range dv.Units {
			for _, sv := range v.Sentences {
				t.sentence, t.Span, t.Text, t.Section = sv, sv.Span, sv.Text, v.Path
				if sv.Span.Start.Offset == v.U.Start.Offset {
					t.Text = strings.TrimPrefix(sv.Text, v.U.Label)
				}
				if !fn(&t) {
					return
				}
			}
		}
	case ScopeTheme:
		for i := range d.themes {
			if !fn(&d.themes[i]) {
				return
			}
		}
	}
}

// NewDoc builds the views of p. lists are the [vocab] lists rules see;
// non_task_sections among them decides is_task.
func NewDoc(p *plan.Plan, lists map[string][]string) *Doc {
	b := &docBuilder{nonTask: lists["non_task_sections"], views: map[*plan.Unit]*UnitView{}}
	dv := &DocView{File: p.File, Encoding: p.Encoding, Year: p.Year, Scope: p.Scope, ReplyBy: p.ReplyBy, StyleForms: p.StyleForms, P: p}
	if p.Title != nil {
		dv.Title = p.Title.Text
	}
	if p.DraftMarker != nil {
		dv.Draft, dv.DraftMarker = true, p.DraftMarker.Text
	}
	if p.Issuer != nil {
		dv.Issuer = p.Issuer.Text
	}
	if p.Date != nil {
		dv.Date = p.Date.Text
	}
	b.doc = dv
	b.children(p.Units, nil, false)
	for u, v := range b.views {
		v.Prev, v.Next = b.views[u.Prev], b.views[u.Next]
	}
	dv.ItemsCount = len(dv.Items)
	return &Doc{Plan: dv, Src: p.Source, base: &Env{Plan: dv, Vocab: lists}}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

type docBuilder struct {
	// sentences is where sentence views are allocated, many at a time.
	sentences []SentenceView
	nonTask   []string
	doc       *DocView
	views     map[*plan.Unit]*UnitView
}

// children builds the views of us (the children of parent, nil at the top)
// and links siblings of the same style. nonTask says whether an ancestor
// is a non-task section.
func (b *docBuilder) children(us []*plan.Unit, parent *UnitView, nonTask bool) []*UnitView {
	var out []*UnitView
	last := map[string]*UnitView{}
	for _, u := range us {
		switch u.Kind {
		case plan.KindHeading, plan.KindItem, plan.KindParagraph, plan.KindPreamble:
		case plan.KindTable:
			b.table(u)
			continue
		default:
			// Title, title block, wrapper, closing and junk are not the
			// plan's content; nothing below them is either.
			continue
		}
		v := b.unit(u, parent)
		b.views[u] = v
		b.doc.Units = append(b.doc.Units, v)
		switch u.Kind {
		case plan.KindHeading:
			b.doc.Headings = append(b.doc.Headings, v)
		case plan.KindItem:
			b.doc.Items = append(b.doc.Items, v)
		default:
			b.doc.Paragraphs = append(b.doc.Paragraphs, v)
		}
		v.IsTask = u.Kind == plan.KindItem && !nonTask
		under := nonTask || u.Kind == plan.KindHeading && containsAny(v.Title, b.nonTask)
		v.Children = b.children(u.Children, v, under)
		v.ChildrenCount = len(v.Children)
		for _, c := range v.Children {
			v.ItemsCount += c.ItemsCount + boolInt(c.Label != "")
			if c.Kind == string(plan.KindItem) {
				v.HasSubItems = true
			}
			if c.Kind == string(plan.KindParagraph) {
				v.Paragraphs = append(v.Paragraphs, c.Text)
			}
		}
		if v.Style != "" {
			v.FirstInParent = last[v.Style] == nil
			last[v.Style] = v
		}
		out = append(out, v)
	}
	return out
}

func (b *docBuilder) unit(u *plan.Unit, parent *UnitView) *UnitView {
	v := &UnitView{
		Kind: string(u.Kind), Label: u.Label, Style: u.Style, Form: u.Form, Number: u.Number, Level: u.Level,
		Text: u.Text, Title: u.Text, Path: u.Path, Section: strings.Join(u.Path, " › "), Line: u.Start.Line,
		Owners: u.Owners, Deadlines: u.Deadlines, Targets: u.Targets, Vague: u.Vague, Terms: u.Terms,
		Parent: parent, U: u,
	}
	if u.Title != nil {
		v.Title = u.Title.Text
	}
	if parent != nil {
		v.ParentLabel = parent.Label
	}
	if u.Kind != plan.KindHeading && u.Source() != nil {
		v.Sentences = sentences(u, v, &b.sentences)
	}
	v.span, v.plain = DefaultSpan(u), unlabelled(u)
	return v
}

func (b *docBuilder) table(u *plan.Unit) {
	t := &TableView{Columns: u.Columns, Line: u.Start.Line, Path: u.Path, U: u}
	for _, c := range u.Children {
		if c.Kind != plan.KindRow {
			continue
		}
		r := &RowView{
			Cells: map[string]string{}, CellList: c.Cells, Short: c.Short, Label: c.Label, Number: c.Number,
			Text: c.Text, Line: c.Start.Line, Owners: c.Owners, Deadlines: c.Deadlines, Targets: c.Targets,
			Table: t, U: c,
		}
		for _, cell := range c.Cells {
			if cell.Missing {
				r.Missing = append(r.Missing, cell.Column)
				continue
			}
			if _, dup := r.Cells[cell.Column]; !dup {
				r.Cells[cell.Column] = cell.Text
			}
		}
		r.span, r.plain, r.task = DefaultSpan(c), unlabelled(c), rowTask(r)
		t.Rows = append(t.Rows, r)
		b.doc.Rows = append(b.doc.Rows, r)
	}
	b.doc.Tables = append(b.doc.Tables, t)
}

// taskColumn names the column of a row that states its task.
var taskColumn = regexp.MustCompile(`任务|内容|措施|事项|工作`)

// rowTask presents a table row as a task, so one rule can check the
// owners and deadlines of items and of 责任分解表 rows alike.
func rowTask(r *RowView) *UnitView {
	u := r.U
	v := &UnitView{
		Kind: string(u.Kind), Label: u.Label, Number: u.Number, Text: u.Text, Title: u.Text,
		Path: u.Path, Section: strings.Join(u.Path, " › "), Line: u.Start.Line,
		Owners: u.Owners, Deadlines: u.Deadlines, Targets: u.Targets, Vague: u.Vague, Terms: u.Terms,
		IsTask: true, U: u,
	}
	for _, c := range u.Cells {
		if !c.Missing && taskColumn.MatchString(c.Column) && !timeOrOwner.MatchString(c.Column) {
			v.Title = c.Text
			break
		}
	}
	return v
}

// timeOrOwner keeps columns such as 完成时间 and 工作责任人 from being
// taken for the task column.
var timeOrOwner = regexp.MustCompile(`时|责任|牵头|配合|领导`)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// isSentenceEnd says whether r ends a sentence; isCloser whether r,
// following an end, stays with its sentence. (Switches: this runs on every
// character of the plan.)
func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '”', '’', '）', '》', '」', '』', '〕', '】':
		return true
	}
	return false
}

// sentences splits the unit's own text, after its label, into sentences
// with exact spans.
func sentences(u *plan.Unit, v *UnitView, slab *[]SentenceView) []*SentenceView {
	src := u.Source()
	start, end := u.Body()
	if u.Title != nil {
		if ts, _ := u.Title.Offsets(); ts > start && ts <= end {
			start = ts
		}
	}
	var out []*SentenceView
	text := src.Text
	add := func(s, e int) {
		for s < e {
			r, n := utf8.DecodeRuneInString(text[s:])
			if !plan.IsSpace(r) {
				break
			}
			s += n
		}
		for e > s {
			r, n := utf8.DecodeLastRuneInString(text[:e])
			if !plan.IsSpace(r) {
				break
			}
			e -= n
		}
		if s == e {
			return
		}
		m := plan.NewMatch(src, s, e)
		if len(*slab) == cap(*slab) {
			*slab = make([]SentenceView, 0, 128) // allocated by the hundred
		}
		*slab = append(*slab, SentenceView{Text: m.Text, Span: m, Index: len(out), Line: m.Start.Line, Unit: v})
		sv := &(*slab)[len(*slab)-1]
		sv.Owners = within(u.Owners, s, e, func(o *plan.Owner) plan.Match { return o.Match })
		sv.Deadlines = within(u.Deadlines, s, e, func(o *plan.Deadline) plan.Match { return o.Match })
		sv.Targets = within(u.Targets, s, e, func(o *plan.Target) plan.Match { return o.Match })
		sv.Vague = within(u.Vague, s, e, func(o *plan.Match) plan.Match { return *o })
		sv.Terms = within(u.Terms, s, e, func(o *plan.Term) plan.Match { return o.Match })
		out = append(out, sv)
	}
	// A byte scan: line ends are ASCII, and the sentence ends all start
	// with byte E3 (。) or EF (！？；), which never occur inside another
	// character's encoding.
	from := start
	for i := start; i < end; {
		switch c := text[i]; c {
		case '\n', '\r':
			i++
			add(from, i)
			from = i
			continue
		case 0xE3, 0xEF:
			if r, n := utf8.DecodeRuneInString(text[i:]); isSentenceEnd(r) {
				i += n
				for i < end {
					c, cn := utf8.DecodeRuneInString(text[i:])
					if !isCloser(c) {
						break
					}
					i += cn
				}
				add(from, i)
				from = i
				continue
			}
		}
		i++
	}
	add(from, end)
	return out
}

// within returns the elements of xs whose match lies inside [s, e): a
// slice of xs when they are consecutive there (the usual case: facts come
// in text order), else a copy.
func within[T any](xs []T, s, e int, m func(*T) plan.Match) []T {
	first, last, n := -1, -1, 0
	for i := range xs {
		if ms, me := m(&xs[i]).Offsets(); ms >= s && me <= e && me > ms {
			if first < 0 {
				first = i
			}
			last = i
			n++
		}
	}
	switch {
	case n == 0:
		return nil
	case last-first+1 == n:
		return xs[first : last+1 : last+1]
	}
	out := make([]T, 0, n)
	for i := range xs {
		if ms, me := m(&xs[i]).Offsets(); ms >= s && me <= e && me > ms {
			out = append(out, xs[i])
		}
	}
	return out
}

// DefaultSpan is where a finding on u is reported when its check returns
// true: an item's lead sentence or a heading's text (Title), a row's first
// cell, the whole own text of anything else.
func DefaultSpan(u *plan.Unit) plan.Match {
	if (u.Kind == plan.KindItem || u.Kind == plan.KindHeading) && u.Title != nil {
		return *u.Title
	}
	if u.Kind == plan.KindRow {
		for _, c := range u.Cells {
			if !c.Missing && c.Text != "" {
				return c.Match
			}
		}
	}
	return textSpan(u)
}

// textSpan is the whole of u's own text.
func textSpan(u *plan.Unit) plan.Match {
	if u.Source() == nil {
		return plan.Match{Text: u.Text, Span: u.Span}
	}
	s, e := u.Body()
	return plan.NewMatch(u.Source(), s, e)
}

// documentSpan is where a document-scope finding is reported: the title,
// else the first unit of the body, else the start of the input.
func documentSpan(p *plan.Plan) plan.Match {
	if p.Title != nil {
		return *p.Title
	}
	var first *plan.Unit
	p.Walk(func(u *plan.Unit) bool {
		if first == nil && u.Kind != plan.KindWrapper && u.Kind != plan.KindJunk {
			first = u
		}
		return first == nil
	})
	if first != nil {
		return DefaultSpan(first)
	}
	if p.Source != nil {
		return plan.NewMatch(p.Source, 0, 0)
	}
	return plan.Match{}
}

// unlabelled is a unit's text without its numbering label, for
// fingerprints: renumbering a list after inserting a task must not make
// the findings of the tasks after it new.
func unlabelled(u *plan.Unit) string { return strings.TrimPrefix(u.Text, u.Label) }
