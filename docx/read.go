package docx

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/plancheck/plancheck/plan"
)

// Document is a parsed Word package. It keeps the original bytes and,
// for every character of every paragraph, the run and the bytes of
// word/document.xml it comes from, so comments can be anchored exactly.
type Document struct {
	name string
	data []byte
	pkg  *pkg

	docXML       []byte
	rels         []byte // word/_rels/document.xml.rels, nil when absent
	contentTypes []byte
	comments     []byte // the comments part, nil when absent
	commentsPath string // where the comments part is or will be

	wPrefix, wSpace string // how document.xml's root names the w namespace

	paras []paragraph
	runs  []run
	texts []textElem
	// maxCommentID is the largest comment id in use (comments part or
	// document markers), -1 when there is none.
	maxCommentID int
	// anchors are the comment ranges found in document.xml, by id.
	anchors map[string]*anchor

	src *plan.Source
}

// paragraph is one w:p.
type paragraph struct {
	start, tagEnd int // the w:p start tag in document.xml
	selfClosing   bool
	contentStart  int // after the start tag and w:pPr: where runs may go
	name          string
	label         string // rendered numbering
	chars         []char
	breaks        []int // character counts before each line break
	num           paraNumbering
}

// char is one character of a paragraph's text.
type char struct {
	r    rune
	run  int32 // index in Document.runs
	text int32 // index in Document.texts; -1 for w:tab, w:noBreakHyphen
	// off and end delimit the character's source in document.xml: the
	// escaped character inside w:t, or the whole w:tab element.
	off, end int32
}

// run is one w:r.
type run struct {
	start, tagEnd, end int // the start tag, and the end of </w:r>
	rPr                [2]int
	name               string
}

// textElem is one w:t.
type textElem struct {
	tagStart, tagEnd int
	name             string
	preserve         bool // xml:space="preserve"
}

// anchor is where a comment range starts and ends: a paragraph and the
// number of its characters before the marker.
type anchor struct {
	startPara, startChar int
	endPara, endChar     int
	hasStart, hasEnd     bool
}

// Read parses a .docx package. name is used in the rendering's Source and
// in errors. The package must hold word/document.xml; numbering and styles
// are read when present.
func Read(name string, data []byte, lim Limits) (*Document, error) {
	p, err := openPkg(data, lim)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	d := &Document{name: name, data: data, pkg: p, maxCommentID: -1, anchors: map[string]*anchor{}}
	if err := d.load(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return d, nil
}

// Relationship types the reader follows.
const (
	relBase      = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	relComments  = relBase + "comments"
	relNumbering = relBase + "numbering"
	relStyles    = relBase + "styles"
)

func (d *Document) load() error {
	var err error
	if d.pkg.file(partDocument) == nil {
		return ErrNoDocument
	}
	if d.docXML, err = d.pkg.read(partDocument); err != nil {
		return err
	}
	if d.rels, err = d.pkg.read(partDocumentRels); err != nil {
		return err
	}
	if d.contentTypes, err = d.pkg.read(partContentTypes); err != nil {
		return err
	}
	targets, err := d.relTargets()
	if err != nil {
		return err
	}
	part := func(typ, def string) string {
		if t, ok := targets[typ]; ok {
			return t
		}
		return def
	}
	num := newNumbering()
	stylesPath := part(relStyles, partStyles)
	if data, err := d.pkg.read(stylesPath); err != nil {
		return err
	} else if data != nil {
		if err := num.parseStyles(newXMLReader(stylesPath, data, d.pkg.lim)); err != nil {
			return err
		}
	}
	numberingPath := part(relNumbering, partNumbering)
	if data, err := d.pkg.read(numberingPath); err != nil {
		return err
	} else if data != nil {
		if err := num.parseNumbering(newXMLReader(numberingPath, data, d.pkg.lim)); err != nil {
			return err
		}
	}
	d.commentsPath = part(relComments, partComments)
	if !writable(d.commentsPath) {
		// The writer must not overwrite the parts it edits, nor add an
		// entry outside the package (../x) for an unzipper to follow.
		d.commentsPath = partComments
	}
	if d.comments, err = d.pkg.read(d.commentsPath); err != nil {
		return err
	}
	if d.comments != nil {
		if err := d.scanComments(); err != nil {
			return err
		}
	}
	r := &docReader{d: d, x: newXMLReader(partDocument, d.docXML, d.pkg.lim), num: num}
	if err := r.read(); err != nil {
		return err
	}
	d.src = plan.NewDocSource(d.name, "DOCX", r.text.String(), d.data, r.lines)
	return nil
}

// relTargets maps relationship types of word/document.xml to the parts
// they name (internal targets only).
func (d *Document) relTargets() (map[string]string, error) {
	targets := map[string]string{}
	if d.rels == nil {
		return targets, nil
	}
	x := newXMLReader(partDocumentRels, d.rels, d.pkg.lim)
	if _, err := x.root(); err != nil {
		return nil, err
	}
	for {
		tok, err := x.next()
		if errors.Is(err, io.EOF) {
			return targets, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		var typ, target, mode string
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Type":
				typ = a.Value
			case "Target":
				target = a.Value
			case "TargetMode":
				mode = a.Value
			}
		}
		if mode == "External" || target == "" {
			continue
		}
		if _, seen := targets[typ]; !seen {
			targets[typ] = partName(target)
		}
	}
}

// partName resolves a relationship target of word/document.xml to a
// package part name.
func partName(target string) string {
	if strings.HasPrefix(target, "/") {
		return path.Clean(target)[1:]
	}
	return path.Join(path.Dir(partDocument), target)
}

// writable reports whether a relationship target can be the comments
// part the writer creates or extends.
func writable(name string) bool {
	for _, p := range []string{partDocument, partDocumentRels, partContentTypes} {
		if strings.EqualFold(name, p) {
			return false
		}
	}
	return name != "" && name != ".." && !strings.HasPrefix(name, "../") && strings.HasSuffix(strings.ToLower(name), ".xml")
}

// scanComments finds the largest comment id of the comments part.
func (d *Document) scanComments() error {
	x := newXMLReader(d.commentsPath, d.comments, d.pkg.lim)
	for {
		tok, err := x.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok && wLocal(se) == "comment" {
			d.noteCommentID(se)
		}
	}
}

func (d *Document) noteCommentID(se xml.StartElement) {
	v, _ := attr(se, "id")
	if id := atoi(v, -1); id > d.maxCommentID {
		d.maxCommentID = id
	}
}

// Source returns the text rendering as a plan.Source: positions in it
// carry the paragraph and the character within the paragraph.
func (d *Document) Source() *plan.Source { return d.src }

// Paragraphs returns the number of paragraphs (body and table cells).
func (d *Document) Paragraphs() int { return len(d.paras) }

// ParaText returns the own text of 1-based paragraph n, without its
// numbering label and line breaks; "" when there is no such paragraph.
func (d *Document) ParaText(n int) string {
	if n < 1 || n > len(d.paras) {
		return ""
	}
	var b strings.Builder
	for _, c := range d.paras[n-1].chars {
		b.WriteRune(c.r)
	}
	return b.String()
}

// Label returns the numbering label rendered for 1-based paragraph n.
func (d *Document) Label(n int) string {
	if n < 1 || n > len(d.paras) {
		return ""
	}
	return d.paras[n-1].label
}

// docReader walks word/document.xml and builds the rendering.
type docReader struct {
	d   *Document
	x   *xmlReader
	num *numbering

	text  strings.Builder
	lines []plan.ParaLine

	para   *paragraph // the open paragraph
	run    int        // index of the open run, -1 outside runs
	textEl int        // index of the open w:t, -1 outside
	// fields holds the complex fields open (w:fldChar begin): true once
	// their result has begun (separate).
	fields []bool
	names  map[string]string // interned element names

	tables int        // open tables; 1 = a top-level table
	rows   int        // rows begun in the open top-level table
	cell   *cellState // the open top-level cell
}

// cellState tracks the lines a top-level table cell has rendered.
type cellState struct{ lines int }

func (r *docReader) read() error {
	r.run, r.textEl = -1, -1
	r.names = map[string]string{}
	root, err := r.x.root()
	if err != nil {
		return err
	}
	if root.Name.Local != "document" || !isW(root.Name) {
		return fmt.Errorf("%w: %s: root element is %s, not w:document", ErrNoDocument, partDocument, root.Name.Local)
	}
	r.d.wPrefix, r.d.wSpace = wPrefix(root)
	if err := r.content(); err != nil {
		return err
	}
	for {
		// Only comments and processing instructions may follow the root.
		if _, err := r.x.next(); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// name returns the element name written at off, interned.
func (r *docReader) name(off int) string {
	n := qname(r.x.data, off)
	if s, ok := r.names[n]; ok {
		return s
	}
	r.names[n] = n
	return n
}

// content reads the children of the element just opened, up to its end.
func (r *docReader) content() error {
	for {
		tok, err := r.x.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if err := r.element(t); err != nil {
				return err
			}
		case xml.CharData:
			if r.textEl >= 0 {
				if err := r.chars(t); err != nil {
					return err
				}
			}
		}
	}
}

// keep reports whether text read now shows: not inside a field code.
func (r *docReader) keep() bool {
	for _, result := range r.fields {
		if !result {
			return false
		}
	}
	return r.para != nil && r.run >= 0
}

// element handles one child element, consuming it.
func (r *docReader) element(se xml.StartElement) error {
	start, end := r.x.start, r.x.end
	switch wLocal(se) {
	case "body", "sdt", "sdtContent", "customXml", "smartTag", "hyperlink", "ins", "moveTo", "fldSimple", "dir", "bdo":
		return r.content()
	case "p":
		return r.paragraph(start, end)
	case "pPr":
		if r.para != nil && r.run < 0 {
			return r.pPr()
		}
	case "tbl":
		return r.table()
	case "tr":
		if r.tables == 1 {
			if r.rows > 0 {
				r.line("", plan.ParaLine{})
			}
			r.rows++
		}
		return r.content()
	case "tc":
		return r.tableCell()
	case "r":
		if r.para != nil && r.run < 0 {
			return r.runElem(start, end)
		}
	case "rPr":
		if r.run >= 0 {
			if err := r.x.skip(); err != nil {
				return err
			}
			r.d.runs[r.run].rPr = [2]int{start, r.x.end}
			return nil
		}
	case "t":
		if r.run >= 0 && r.textEl < 0 {
			return r.textElement(se, start, end)
		}
	case "tab", "ptab":
		return r.symbol('\t', start)
	case "noBreakHyphen":
		return r.symbol('-', start)
	case "br", "cr":
		if typ, _ := attr(se, "type"); typ == "" || typ == "textWrapping" || wLocal(se) == "cr" {
			if r.keep() {
				r.para.breaks = append(r.para.breaks, len(r.para.chars))
			}
		}
	case "fldChar":
		switch typ, _ := attr(se, "fldCharType"); typ {
		case "begin":
			r.fields = append(r.fields, false)
		case "separate":
			if n := len(r.fields); n > 0 {
				r.fields[n-1] = true
			}
		case "end":
			if n := len(r.fields); n > 0 {
				r.fields = r.fields[:n-1]
			}
		}
	case "commentRangeStart", "commentRangeEnd", "commentReference":
		r.d.noteCommentID(se)
		r.noteAnchor(se)
	}
	// Everything else is skipped whole: properties, field codes, deleted
	// text, drawings, and elements of other namespaces.
	return r.x.skip()
}

// noteAnchor records where an existing comment range starts or ends.
func (r *docReader) noteAnchor(se xml.StartElement) {
	id, _ := attr(se, "id")
	a := r.d.anchors[id]
	if a == nil {
		a = &anchor{}
		r.d.anchors[id] = a
	}
	para, n := len(r.d.paras)+1, 0
	if r.para != nil {
		para, n = len(r.d.paras), len(r.para.chars)
	}
	switch se.Name.Local {
	case "commentRangeStart":
		a.startPara, a.startChar, a.hasStart = para, n, true
	case "commentRangeEnd":
		a.endPara, a.endChar, a.hasEnd = para, n, true
	}
}

func (r *docReader) paragraph(start, end int) error {
	if r.para != nil {
		// A paragraph inside a paragraph (only in content this reader
		// skips) adds its text to the open one.
		return r.content()
	}
	p := paragraph{start: start, tagEnd: end, contentStart: end, name: r.name(start), selfClosing: r.x.selfClosing()}
	r.d.paras = append(r.d.paras, p)
	r.para = &r.d.paras[len(r.d.paras)-1]
	err := r.content()
	if err == nil {
		r.render(r.para)
	}
	r.para = nil
	return err
}

// pPr reads the numbering properties of the open paragraph.
func (r *docReader) pPr() error {
	p := &r.para.num
	err := children(r.x, func(se xml.StartElement) error {
		switch wLocal(se) {
		case "pStyle":
			p.style, _ = attr(se, "val")
		case "numPr":
			return parseNumPr(r.x, &p.numID, &p.hasNum, &p.ilvl, &p.hasIlvl)
		}
		return r.x.skip()
	})
	r.para.contentStart = r.x.end
	return err
}

func (r *docReader) table() error {
	r.tables++
	top := r.tables == 1
	if top {
		r.blank()
		r.rows = 0
	}
	err := r.content()
	if top {
		r.blank()
	}
	r.tables--
	return err
}

func (r *docReader) tableCell() error {
	if r.tables != 1 || r.cell != nil {
		return r.content()
	}
	r.cell = &cellState{}
	err := r.content()
	if err == nil && r.cell.lines == 0 {
		// A cell without paragraphs (invalid, but seen) is still a cell.
		r.line("\t", plan.ParaLine{Prefix: 1})
	}
	r.cell = nil
	return err
}

func (r *docReader) runElem(start, end int) error {
	r.d.runs = append(r.d.runs, run{start: start, tagEnd: end, rPr: [2]int{end, end}, name: r.name(start)})
	r.run = len(r.d.runs) - 1
	err := r.content()
	r.d.runs[r.run].end = r.x.end
	r.run = -1
	return err
}

func (r *docReader) textElement(se xml.StartElement, start, end int) error {
	preserve := false
	for _, a := range se.Attr {
		if a.Name.Space == nsXML && a.Name.Local == "space" {
			preserve = a.Value == "preserve"
		}
	}
	r.d.texts = append(r.d.texts, textElem{tagStart: start, tagEnd: end, name: r.name(start), preserve: preserve})
	r.textEl = len(r.d.texts) - 1
	err := r.content()
	r.textEl = -1
	return err
}

// chars adds the characters of a text token inside w:t.
func (r *docReader) chars(t xml.CharData) error {
	if !r.keep() {
		return nil
	}
	start, end := r.x.start, r.x.end
	p := r.para
	ok := rawChars(r.x.data[start:end], start, t, func(c rune, s, e int) {
		p.chars = append(p.chars, char{r: c, run: int32(r.run), text: int32(r.textEl), off: int32(s), end: int32(e)})
	})
	if !ok {
		return fmt.Errorf("%s: %w: cannot map the text at byte %d", partDocument, ErrXML, start)
	}
	return nil
}

// symbol adds the character an element such as w:tab stands for.
func (r *docReader) symbol(c rune, start int) error {
	if err := r.x.skip(); err != nil {
		return err
	}
	if r.keep() {
		r.para.chars = append(r.para.chars, char{r: c, run: int32(r.run), text: -1, off: int32(start), end: int32(r.x.end)})
	}
	return nil
}

// line appends one line of the rendering.
func (r *docReader) line(s string, pl plan.ParaLine) {
	r.text.WriteString(s)
	r.text.WriteByte('\n')
	r.lines = append(r.lines, pl)
}

// blank appends an empty line unless the rendering is empty or already
// ends with one.
func (r *docReader) blank() {
	n := r.text.Len()
	if n == 0 || n >= 2 && r.text.String()[n-2] == '\n' {
		return
	}
	r.line("", plan.ParaLine{})
}

// render writes the lines of a finished paragraph: its label, then its
// text, a new line at each line break.
func (r *docReader) render(p *paragraph) {
	if numID, lvl, ok := r.num.resolve(p.num); ok {
		p.label = r.num.label(numID, lvl)
	}
	para := len(r.d.paras)
	if r.cell != nil && r.cell.lines > 0 && len(p.chars) == 0 && p.label == "" && len(p.breaks) == 0 {
		return // an empty line would end the table row
	}
	cuts := append(append([]int{0}, p.breaks...), len(p.chars))
	for i := 0; i+1 < len(cuts); i++ {
		var b strings.Builder
		if i == 0 {
			if r.cell != nil && r.cell.lines == 0 {
				b.WriteByte('\t')
			}
			b.WriteString(p.label)
		}
		prefix := utf8.RuneCountInString(b.String())
		for _, c := range p.chars[cuts[i]:cuts[i+1]] {
			b.WriteRune(shown(c.r, r.cell != nil))
		}
		r.line(b.String(), plan.ParaLine{Para: para, Prefix: prefix, Base: cuts[i]})
		if r.cell != nil {
			r.cell.lines++
		}
	}
}

// shown is how a character appears in the rendering: line ends and other
// control characters would break the line structure, and a tab inside a
// table would start a new cell, so they show as a space, one character
// for one.
func shown(c rune, inTable bool) rune {
	switch {
	case c == '\t' && !inTable:
		return c
	case c < 0x20, c == 0x7F, c == 0x85, c == 0x2028, c == 0x2029:
		return ' '
	}
	return c
}
