package report

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/plancheck/plancheck/docx"
	"github.com/plancheck/plancheck/plan"
)

// Defaults for the comments' signature when Options leave them empty.
const (
	defaultAuthor   = "plancheck"
	defaultInitials = "PC"
)

// errOneDocument is returned when the docx format gets no input or more
// than one: a Word file holds one draft.
var errOneDocument = errors.New("the docx format writes one document: give one input")

// docxFormatter writes the input back as a Word document with one comment
// (批注) per finding: a copy of the draft for a Word input, a new document
// of the text, one paragraph per line, for a plain-text input.
type docxFormatter struct {
	*common
	wrote bool
}

func newDocx(c *common) Formatter { return &docxFormatter{common: c} }

func (d *docxFormatter) Start() error {
	_, err := parseDate(d.opt.Date)
	return err
}

func (d *docxFormatter) File(f File) error {
	if d.wrote {
		return errOneDocument
	}
	d.wrote = true
	if f.Err != nil {
		return fmt.Errorf("%s: cannot write a commented document: %w", f.Name, f.Err)
	}
	src := f.Source
	if src == nil && f.Doc != nil {
		src = f.Doc.Source()
	}
	if src == nil {
		return fmt.Errorf("%s: no source to write a commented document from", f.Name)
	}
	sig, err := d.signature()
	if err != nil {
		return err
	}
	cs := make([]docx.Comment, 0, len(f.Findings))
	for _, fd := range f.Findings {
		c := sig
		if f.Doc != nil {
			c.Para, c.Start, c.EndPara, c.End, err = paraAnchor(src, fd.Span)
			if err != nil {
				return fmt.Errorf("%s: %w", f.Name, err)
			}
		} else {
			c.Para, c.Start, c.EndPara, c.End = lineAnchor(src, fd.Span)
		}
		if c.EndPara == c.Para {
			c.EndPara = 0
		}
		c.Text = messageWithSuggestion(fd) + "\n[" + fd.RuleID + "]"
		cs = append(cs, c)
	}
	var out []byte
	if f.Doc != nil {
		out, err = f.Doc.WithComments(cs)
	} else {
		out, err = docx.NewFromText(src, cs, f.Title)
	}
	if err != nil {
		return err
	}
	_, err = d.w.Write(out)
	return err
}

func (d *docxFormatter) Finish() error {
	if !d.wrote {
		return errOneDocument
	}
	return nil
}

// signature is a comment with only the author, initials and date set.
func (d *docxFormatter) signature() (docx.Comment, error) {
	c := docx.Comment{Author: d.opt.Author, Initials: d.opt.Initials}
	if c.Author == "" {
		c.Author = defaultAuthor
	}
	if c.Initials == "" {
		c.Initials = defaultInitials
	}
	day, err := parseDate(d.opt.Date)
	if err != nil {
		return c, err
	}
	if !day.IsZero() {
		c.Date = day.Format(time.RFC3339)
	}
	return c, nil
}

// parseDate reads Options.Date (YYYY-MM-DD); "" gives the zero time.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return t, nil
}

// lineAnchor places a span of a plain-text source in the document
// docx.NewFromText makes of it, where paragraph n is line n and characters
// are columns. A span without a position anchors at the start of the
// text; one past the last line (the end of a text ending in a line end)
// is pulled back to the end of the last line.
func lineAnchor(src *plan.Source, sp plan.Span) (para, start, endPara, end int) {
	n := src.LineCount()
	clamp := func(p plan.Position) (int, int) {
		switch {
		case p.Line < 1:
			return 1, 1
		case p.Line > n:
			return n, utf8.RuneCountInString(src.LineText(n)) + 1
		}
		return p.Line, p.Col
	}
	para, start = clamp(sp.Start)
	endPara, end = clamp(sp.End)
	if sp.End.Line < 1 || endPara < para || endPara == para && end < start {
		endPara, end = para, start
	}
	return para, start, endPara, end
}

// paraAnchor places a span of a Word document's rendering on the
// document's paragraphs. Lines that are no paragraph's text (the blank
// lines around table rows) have no place in the document: a span starting
// on one becomes a point at the nearest paragraph start, and a span ending
// on one ends at the end of the last paragraph before it.
func paraAnchor(src *plan.Source, sp plan.Span) (para, start, endPara, end int, err error) {
	s := sp.Start
	if s.Para == 0 {
		p, ok := nearestParaStart(src, max(s.Line, 1))
		if !ok {
			return 0, 0, 0, 0, errors.New("the document has no paragraph to anchor a comment in")
		}
		return p.Para, p.ParaChar, p.Para, p.ParaChar, nil
	}
	e := sp.End
	if e.Para == 0 {
		// Walk back from the end to the last line end inside a paragraph:
		// the start's line is one, so the walk stops there at the latest.
		e = s
		for l := min(sp.End.Line, src.LineCount()+1) - 1; l >= s.Line; l-- {
			if p := src.Pos(src.LineStart(l) + len(src.LineText(l))); p.Para > 0 {
				e = p
				break
			}
		}
	}
	if e.Para < s.Para || e.Para == s.Para && e.ParaChar < s.ParaChar {
		e = s
	}
	return s.Para, s.ParaChar, e.Para, e.ParaChar, nil
}

// nearestParaStart is the first character of the first paragraph line at
// or after line, or failing that before it.
func nearestParaStart(src *plan.Source, line int) (plan.Position, bool) {
	n := src.LineCount()
	for l := line; l <= n; l++ {
		if p := src.Pos(src.LineStart(l)); p.Para > 0 {
			return p, true
		}
	}
	for l := min(line, n+1) - 1; l >= 1; l-- {
		if p := src.Pos(src.LineStart(l)); p.Para > 0 {
			return p, true
		}
	}
	return plan.Position{}, false
}
