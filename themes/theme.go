package themes

import (
	"strconv"
	"strings"

	"github.com/plancheck/plancheck/plan"
)

// Theme kinds, the values of Theme.Kind.
const (
	KindHeading  = "heading"  // a section heading of a parent plan
	KindItem     = "item"     // a numbered task item of a parent plan, at any level
	KindDeclared = "declared" // a theme declared in a rule file
)

// SourceDeclared is the Source of declared themes.
const SourceDeclared = "declared"

// Theme is one task of a higher-level plan that a draft should take up.
type Theme struct {
	// ID is stable for a given parent: the source, a colon and the
	// shortest tail of the numbering chain that is unique in the parent
	// ("p1:4", "p1:二", "p1:(一)/1"), or a declared theme's id.
	ID string `json:"id" expr:"id"`
	// Source is the prefix given to Derive ("p1") or "declared".
	Source string `json:"source" expr:"source"`
	// Kind is "heading", "item" or "declared".
	Kind string `json:"kind" expr:"kind"`
	// Label is the numbering as written in the parent ("4.", "（三）").
	Label string `json:"label,omitempty" expr:"label"`
	// Title is the item's lead sentence or the heading's text; a
	// declared theme's name.
	Title string `json:"title" expr:"title"`
	// Text is what is matched: an item's text with its sub-items, a
	// heading's text with its own paragraphs (not its items' text).
	Text string `json:"text" expr:"text"`
	// File is the parent's file name; Span is where the unit is in it
	// (columns in characters, offsets in bytes of the original input).
	// Both are zero for a declared theme.
	File string `json:"file,omitempty" expr:"file"`
	plan.Span
	// Path is the parent's section path to the unit.
	Path []string `json:"path,omitempty" expr:"path"`
	// Terms are the quoted terms (the text inside “” and 《》) and the
	// named programmes of the synonym table (by canonical form) that the
	// theme mentions, in order of first use; for a declared theme, its
	// phrases.
	Terms []string `json:"terms,omitempty" expr:"terms"`

	unit *plan.Unit
}

// Unit returns the parent's unit the theme was derived from, nil for a
// declared theme.
func (t Theme) Unit() *plan.Unit { return t.unit }

// Derive makes a theme of every heading and every numbered item of
// parent, at any level, in document order. A sub-item is a theme and so
// is the item above it, whose Text includes the sub-items' text: a draft
// may take up the whole task or one part of it. Table rows of the parent
// are not themes: a 责任分解表 restates the items. source prefixes the ids
// ("p1" for the first parent).
func (m *Matcher) Derive(parent *plan.Plan, source string) []Theme {
	var units []*plan.Unit
	parent.Walk(func(u *plan.Unit) bool {
		if u.Kind == plan.KindTable {
			return false
		}
		if (u.Kind == plan.KindItem || u.Kind == plan.KindHeading) && u.Style != "" {
			units = append(units, u)
		}
		return true
	})
	ids := themeIDs(units)
	out := make([]Theme, 0, len(units))
	for i, u := range units {
		t := Theme{
			ID:     source + ":" + ids[i],
			Source: source,
			Kind:   KindItem,
			Label:  u.Label,
			Text:   themeText(u),
			File:   parent.File,
			Span:   u.Span,
			Path:   u.Path,
			unit:   u,
		}
		if u.Kind == plan.KindHeading {
			t.Kind = KindHeading
		}
		if u.Title != nil {
			t.Title = u.Title.Text
		}
		t.Terms = m.terms(u)
		out = append(out, t)
	}
	return out
}

// themeText is an item's text with its sub-items', or a heading's title
// with its own paragraphs.
func themeText(u *plan.Unit) string {
	var b strings.Builder
	if u.Kind == plan.KindHeading {
		if u.Title != nil {
			b.WriteString(u.Title.Text)
		}
		for _, c := range u.Children {
			if c.Kind == plan.KindParagraph {
				b.WriteString("\n")
				b.WriteString(c.Text)
			}
		}
		return b.String()
	}
	b.WriteString(u.Text)
	var sub func(*plan.Unit)
	sub = func(p *plan.Unit) {
		for _, c := range p.Children {
			if c.Kind == plan.KindItem {
				b.WriteString("\n")
				b.WriteString(c.Text)
			}
			if c.Kind != plan.KindTable {
				sub(c)
			}
		}
	}
	sub(u)
	return b.String()
}

// terms lists the quoted terms of the units whose text is the theme's
// (see themeText), then the canonical forms of the named programmes it
// mentions, each once.
func (m *Matcher) terms(u *plan.Unit) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	var walk func(*plan.Unit)
	walk = func(p *plan.Unit) {
		for _, t := range p.Terms {
			add(t.Inner)
		}
		for _, c := range p.Children {
			switch {
			case u.Kind == plan.KindHeading && p == u && c.Kind == plan.KindParagraph,
				u.Kind == plan.KindItem && c.Kind == plan.KindItem:
				walk(c)
			}
		}
	}
	walk(u)
	text := themeText(u)
	cs := m.normalize(nil, text, 0, len(text))
	for i := 0; i < len(cs); {
		if cs[i].flags&flagNamed == 0 {
			i++
			continue
		}
		j := i
		for j < len(cs) && cs[j].flags&flagNamed != 0 && cs[j].start == cs[i].start {
			j++
		}
		add(phrase(cs[i:j]))
		i = j
	}
	return out
}

// themeIDs gives each unit the shortest tail of its numbering chain that
// no other unit shares; a chain that is not unique even whole (two
// headings both numbered 一、) gets "#2", "#3"… on its later uses.
func themeIDs(units []*plan.Unit) []string {
	chains := make([][]string, len(units))
	for i, u := range units {
		for p := u; p != nil; p = p.Parent {
			if p.Style != "" {
				chains[i] = append([]string{idLabel(p.Label)}, chains[i]...)
			}
		}
	}
	tail := func(c []string, k int) string { return strings.Join(c[max(len(c)-k, 0):], "/") }
	ids := make([]string, len(units))
	for i, c := range chains {
		for k := 1; k <= len(c); k++ {
			id := tail(c, k)
			unique := true
			for j, d := range chains {
				if j != i && tail(d, k) == id {
					unique = false
					break
				}
			}
			ids[i] = id
			if unique {
				break
			}
		}
	}
	seen := map[string]int{}
	for i, id := range ids {
		seen[id]++
		if n := seen[id]; n > 1 {
			ids[i] = id + "#" + strconv.Itoa(n)
		}
	}
	return ids
}

// idLabel writes a label for an id: punctuation after the numeral
// dropped, brackets half-width, digits half-width: "4．" → "4",
// "（三）" → "(三)", "一、" → "一", "一是" stays.
func idLabel(label string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(label) {
		switch {
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		case r >= '０' && r <= '９':
			r -= 0xFEE0
		}
		b.WriteRune(r)
	}
	return strings.TrimRight(b.String(), "、.．,，")
}
