package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Comment is a Word comment (批注) to anchor in a document.
//
// Para and ParaChar are those of plan.Position: the 1-based paragraph and
// the 1-based character within the paragraph's own text. For NewFromText
// a paragraph is a line, so Para is the line and Start and End columns.
type Comment struct {
	// Para is the paragraph of the span's first character, Start that
	// character's ParaChar and End the ParaChar just after the span's
	// last character (End exclusive). Start == End anchors a point.
	Para, Start, End int
	// EndPara is the paragraph End counts in when the span runs over
	// several paragraphs; 0 means Para.
	EndPara int
	// Author, Initials and Date (ISO 8601, e.g. 2024-03-01T09:00:00Z) are
	// left out of the comment when empty.
	Author, Initials, Date string
	// Text is the comment; each line becomes a paragraph of it.
	Text string
}

// Package plumbing: content types and relationships.
const (
	nsRels         = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsContentTypes = "http://schemas.openxmlformats.org/package/2006/content-types"
	ctComments     = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
	ctDocument     = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	// ctDefaults are the content types of every .rels and .xml part.
	ctDefaults = `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>`
)

// boundary is where a comment marker goes in document.xml.
type boundary struct {
	off  int
	kind boundaryKind
	run  int // the run split (splitText, splitRun)
	text int // the w:t split (splitText)
	para int // the paragraph opened (openPara)
}

type boundaryKind int

const (
	between   boundaryKind = iota // between two elements: insert as is
	splitRun                      // between two children of a run
	splitText                     // inside the text of a w:t
	openPara                      // inside a self-closing <w:p/>
)

// marker is one piece of XML to insert at a boundary; order sorts the
// pieces at one boundary: range ends, then points, then range starts, so
// adjacent spans do not overlap.
type marker struct {
	at    boundary
	order int
	index int // the comment's index, for a stable order
	xml   string
}

// WithComments returns a copy of the package with one Word comment per
// Comment, anchored to exactly its span. Runs are split where a span
// starts or ends inside one, both halves keeping the run's properties.
// Existing comments are kept and new ids follow the largest in use. Only
// word/document.xml and the comments part change, plus the document's
// relationships and [Content_Types].xml when the comments part is new;
// every other entry is copied compressed, byte for byte.
func (d *Document) WithComments(cs []Comment) ([]byte, error) {
	if len(cs) == 0 {
		return append([]byte(nil), d.data...), nil
	}
	for i, c := range cs {
		if err := d.check(c); err != nil {
			return nil, fmt.Errorf("%s: comment %d: %w", d.name, i+1, err)
		}
	}
	w := namesFor(d.wPrefix, d.wSpace)
	first := d.maxCommentID + 1
	var markers []marker
	var tagFixes []int // w:t elements whose start tag must preserve spaces
	for i, c := range cs {
		id := strconv.Itoa(first + i)
		start := w.empty("commentRangeStart", id)
		end := w.empty("commentRangeEnd", id) + w.reference(id)
		endPara := c.EndPara
		if endPara == 0 {
			endPara = c.Para
		}
		if endPara == c.Para && c.Start == c.End {
			at := d.point(c.Para, c.Start-1)
			markers = append(markers, marker{at: at, order: 1, index: i, xml: start + end})
			tagFixes = appendFix(tagFixes, at)
			continue
		}
		s := d.startAt(c.Para, c.Start-1)
		e := d.endAt(endPara, c.End-1)
		markers = append(markers, marker{at: s, order: 2, index: i, xml: start}, marker{at: e, order: 0, index: i, xml: end})
		tagFixes = appendFix(appendFix(tagFixes, s), e)
	}
	doc := d.splice(markers, tagFixes)

	changed := map[string][]byte{partDocument: doc}
	var added []string
	comments, err := d.commentsPart(cs, first)
	if err != nil {
		return nil, err
	}
	changed[d.commentsPath] = comments
	if d.comments == nil {
		added = append(added, d.commentsPath)
		rels, err := d.relsWithComments()
		if err != nil {
			return nil, err
		}
		if rels != nil {
			changed[partDocumentRels] = rels
			if d.rels == nil {
				added = append(added, partDocumentRels)
			}
		}
		ct, err := d.contentTypesWithComments()
		if err != nil {
			return nil, err
		}
		if ct != nil {
			changed[partContentTypes] = ct
			if d.contentTypes == nil {
				added = append(added, partContentTypes)
			}
		}
	}
	return d.rewrite(changed, added)
}

// check validates a comment's span against the document.
func (d *Document) check(c Comment) error {
	endPara := c.EndPara
	if endPara == 0 {
		endPara = c.Para
	}
	n := len(d.paras)
	switch {
	case c.Para < 1 || c.Para > n:
		return fmt.Errorf("paragraph %d out of range 1–%d", c.Para, n)
	case endPara < c.Para || endPara > n:
		return fmt.Errorf("end paragraph %d out of range %d–%d", endPara, c.Para, n)
	case c.Start < 1 || c.Start > len(d.paras[c.Para-1].chars)+1:
		return fmt.Errorf("start character %d out of range 1–%d of paragraph %d", c.Start, len(d.paras[c.Para-1].chars)+1, c.Para)
	case c.End < 1 || c.End > len(d.paras[endPara-1].chars)+1:
		return fmt.Errorf("end character %d out of range 1–%d of paragraph %d", c.End, len(d.paras[endPara-1].chars)+1, endPara)
	case endPara == c.Para && c.End < c.Start:
		return fmt.Errorf("span ends (%d) before it starts (%d)", c.End, c.Start)
	}
	return nil
}

// appendFix notes the w:t a boundary splits: its start tag must then keep
// spaces.
func appendFix(fixes []int, b boundary) []int {
	if b.kind == splitText {
		fixes = append(fixes, b.text)
	}
	return fixes
}

// empty is where markers go in a paragraph without characters.
func (d *Document) empty(para int) boundary {
	p := &d.paras[para-1]
	if p.selfClosing {
		return boundary{off: p.start, kind: openPara, para: para - 1}
	}
	return boundary{off: p.contentStart, kind: between}
}

// before returns the boundary just before character k of a paragraph,
// splitting its run when character k-1 is in the same run.
func (d *Document) before(para, k int) boundary {
	cs := d.paras[para-1].chars
	b := cs[k]
	if k == 0 || cs[k-1].run != b.run {
		return boundary{off: d.runs[b.run].start, kind: between}
	}
	if b.text >= 0 && cs[k-1].text == b.text {
		return boundary{off: int(b.off), kind: splitText, run: int(b.run), text: int(b.text)}
	}
	off := int(b.off)
	if b.text >= 0 {
		off = d.texts[b.text].tagStart
	}
	return boundary{off: off, kind: splitRun, run: int(b.run)}
}

// startAt is the boundary before character k (0-based) of a paragraph,
// or after its last character when k is its length.
func (d *Document) startAt(para, k int) boundary {
	cs := d.paras[para-1].chars
	switch {
	case len(cs) == 0:
		return d.empty(para)
	case k < len(cs):
		return d.before(para, k)
	}
	return boundary{off: d.runs[cs[len(cs)-1].run].end, kind: between}
}

// endAt is the boundary after k characters of a paragraph: after the run
// of character k-1 unless character k is in the same run.
func (d *Document) endAt(para, k int) boundary {
	cs := d.paras[para-1].chars
	switch {
	case len(cs) == 0:
		return d.empty(para)
	case k == 0:
		return boundary{off: d.runs[cs[0].run].start, kind: between}
	case k < len(cs) && cs[k].run == cs[k-1].run:
		return d.before(para, k)
	}
	return boundary{off: d.runs[cs[k-1].run].end, kind: between}
}

// point is the boundary of an empty span before character k.
func (d *Document) point(para, k int) boundary {
	if k < len(d.paras[para-1].chars) {
		return d.startAt(para, k)
	}
	return d.endAt(para, k)
}

// splice writes document.xml with the markers inserted and the start
// tags of split w:t elements made to preserve spaces.
func (d *Document) splice(markers []marker, tagFixes []int) []byte {
	sort.SliceStable(markers, func(i, j int) bool {
		a, b := markers[i], markers[j]
		if a.at.off != b.at.off {
			return a.at.off < b.at.off
		}
		if a.at.kind != b.at.kind {
			return a.at.kind < b.at.kind
		}
		if a.order != b.order {
			return a.order < b.order
		}
		return a.index < b.index
	})
	fixed := map[int]bool{}
	for _, t := range tagFixes {
		if !d.texts[t].preserve {
			fixed[t] = true
		}
	}
	var fixList []int
	for t := range fixed {
		fixList = append(fixList, t)
	}
	sort.Ints(fixList)

	src := d.docXML
	var out bytes.Buffer
	out.Grow(len(src) + 256*len(markers))
	pos := 0
	copyTo := func(off int) {
		out.Write(src[pos:off])
		pos = off
	}
	for i, f := 0, 0; i < len(markers) || f < len(fixList); {
		// Zero-length insertions at an offset come before a tag rewrite
		// starting there.
		if i < len(markers) && (f == len(fixList) || markers[i].at.off <= d.texts[fixList[f]].tagStart) {
			j := i
			for j < len(markers) && markers[j].at == markers[i].at {
				j++
			}
			copyTo(markers[i].at.off)
			d.writeBoundary(&out, markers[i].at, markers[i:j])
			if markers[i].at.kind == openPara {
				pos = d.paras[markers[i].at.para].tagEnd
			}
			i = j
			continue
		}
		t := d.texts[fixList[f]]
		copyTo(t.tagStart)
		out.WriteString(preserveTag(t.name))
		pos = t.tagEnd
		f++
	}
	out.Write(src[pos:])
	return out.Bytes()
}

// writeBoundary writes the markers of one boundary, closing and reopening
// the run (and w:t) it splits.
func (d *Document) writeBoundary(out *bytes.Buffer, at boundary, ms []marker) {
	var r run
	if at.kind == splitRun || at.kind == splitText {
		r = d.runs[at.run]
	}
	// A split inside a CDATA section closes it and opens it again.
	cdata := at.kind == splitText && inCDATA(d.docXML[d.texts[at.text].tagEnd:at.off])
	switch at.kind {
	case splitText:
		if cdata {
			out.WriteString("]]>")
		}
		out.WriteString("</" + d.texts[at.text].name + "></" + r.name + ">")
	case splitRun:
		out.WriteString("</" + r.name + ">")
	case openPara:
		tag := d.docXML[d.paras[at.para].start:d.paras[at.para].tagEnd]
		out.Write(bytes.TrimRight(tag[:len(tag)-2], " \t\r\n"))
		out.WriteString(">")
	}
	for _, m := range ms {
		out.WriteString(m.xml)
	}
	switch at.kind {
	case splitText, splitRun:
		out.Write(d.docXML[r.start:r.tagEnd])
		out.Write(d.docXML[r.rPr[0]:r.rPr[1]])
		if at.kind == splitText {
			out.WriteString(preserveTag(d.texts[at.text].name))
		}
		if cdata {
			out.WriteString("<![CDATA[")
		}
	case openPara:
		out.WriteString("</" + d.paras[at.para].name + ">")
	}
}

// inCDATA reports whether the end of text lies inside a CDATA section.
func inCDATA(text []byte) bool {
	i := bytes.LastIndex(text, []byte("<![CDATA["))
	return i >= 0 && !bytes.Contains(text[i:], []byte("]]>"))
}

// preserveTag is a w:t start tag that keeps leading and trailing spaces,
// which a split may leave at either end of the text.
func preserveTag(name string) string { return "<" + name + ` xml:space="preserve">` }

// xmlNames writes WordprocessingML elements for insertion into a part
// whose root binds prefix to space; when the root binds no prefix, every
// element declares its own.
type xmlNames struct{ prefix, decl string }

func namesFor(prefix, space string) xmlNames {
	if prefix == "" {
		return xmlNames{prefix: "w", decl: ` xmlns:w="` + space + `"`}
	}
	return xmlNames{prefix: prefix}
}

func (n xmlNames) q(local string) string { return n.prefix + ":" + local }

// empty writes an element with only a w:id.
func (n xmlNames) empty(local, id string) string {
	return "<" + n.q(local) + n.decl + " " + n.q("id") + `="` + id + `"/>`
}

// reference writes the run that shows a comment's mark.
func (n xmlNames) reference(id string) string {
	return "<" + n.q("r") + n.decl + ">" + n.empty("commentReference", id) + "</" + n.q("r") + ">"
}

// comment writes one w:comment.
func (n xmlNames) comment(c Comment, id int) string {
	var b strings.Builder
	b.WriteString("<" + n.q("comment") + n.decl + " " + n.q("id") + `="` + strconv.Itoa(id) + `"`)
	for _, a := range []struct{ name, val string }{{"author", c.Author}, {"date", c.Date}, {"initials", c.Initials}} {
		if a.val != "" {
			b.WriteString(" " + n.q(a.name) + `="` + escape(a.val) + `"`)
		}
	}
	b.WriteString(">")
	for i, line := range strings.Split(strings.ReplaceAll(c.Text, "\r\n", "\n"), "\n") {
		b.WriteString("<" + n.q("p") + ">")
		if i == 0 {
			b.WriteString("<" + n.q("r") + "><" + n.q("annotationRef") + "/></" + n.q("r") + ">")
		}
		if line != "" {
			b.WriteString("<" + n.q("r") + ">" + textRun(n, line) + "</" + n.q("r") + ">")
		}
		b.WriteString("</" + n.q("p") + ">")
	}
	b.WriteString("</" + n.q("comment") + ">")
	return b.String()
}

// textRun writes the content of a run holding s: text in w:t, each tab as
// w:tab, so that every character of s is one character of the run.
func textRun(n xmlNames, s string) string {
	var b strings.Builder
	for i, part := range strings.Split(s, "\t") {
		if i > 0 {
			b.WriteString("<" + n.q("tab") + "/>")
		}
		if part != "" {
			b.WriteString("<" + n.q("t") + ` xml:space="preserve">` + escape(part) + "</" + n.q("t") + ">")
		}
	}
	return b.String()
}

// escape escapes text for XML, writing characters XML 1.0 cannot hold as
// spaces (one for one).
func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
			return r
		}
		return ' '
	}, s)))
	return b.String()
}

// commentsPart returns the comments part with the new comments added.
func (d *Document) commentsPart(cs []Comment, first int) ([]byte, error) {
	if d.comments == nil {
		n := xmlNames{prefix: "w"}
		var b strings.Builder
		b.WriteString(xml.Header[:len(xml.Header)-1])
		b.WriteString(`<w:comments xmlns:w="` + d.wSpace + `">`)
		for i, c := range cs {
			b.WriteString(n.comment(c, first+i))
		}
		b.WriteString("</w:comments>")
		return []byte(b.String()), nil
	}
	x := newXMLReader(d.commentsPath, d.comments, d.pkg.lim)
	root, err := x.root()
	if err != nil {
		return nil, err
	}
	prefix, space := wPrefix(root)
	n := namesFor(prefix, space)
	var b strings.Builder
	for i, c := range cs {
		b.WriteString(n.comment(c, first+i))
	}
	return appendToRoot(x, b.String())
}

// appendToRoot returns the part x reads with fragment inserted as the
// last children of its root element; x has just read the root's start tag.
func appendToRoot(x *xmlReader, fragment string) ([]byte, error) {
	rootStart, rootEnd := x.start, x.end
	if x.selfClosing() {
		tag := x.data[rootStart:rootEnd]
		var b bytes.Buffer
		b.Write(x.data[:rootStart])
		b.Write(bytes.TrimRight(tag[:len(tag)-2], " \t\r\n"))
		b.WriteString(">" + fragment + "</" + qname(x.data, rootStart) + ">")
		b.Write(x.data[rootEnd:])
		return b.Bytes(), nil
	}
	if err := x.skip(); err != nil {
		return nil, err
	}
	end := x.start // the root's end tag
	var b bytes.Buffer
	b.Write(x.data[:end])
	b.WriteString(fragment)
	b.Write(x.data[end:])
	return b.Bytes(), nil
}

// prefixOf returns "p:" for an element written p:name, "" for name.
func prefixOf(qn string) string {
	if i := strings.IndexByte(qn, ':'); i >= 0 {
		return qn[:i+1]
	}
	return ""
}

// relsWithComments returns the document's relationships with one to the
// comments part, or nil when they have it already.
func (d *Document) relsWithComments() ([]byte, error) {
	target := d.commentsPath
	if strings.HasPrefix(target, "word/") {
		target = strings.TrimPrefix(target, "word/")
	} else {
		target = "/" + target
	}
	if d.rels == nil {
		return []byte(xml.Header[:len(xml.Header)-1] + `<Relationships xmlns="` + nsRels + `">` +
			`<Relationship Id="rId1" Type="` + relComments + `" Target="` + escape(target) + `"/></Relationships>`), nil
	}
	x := newXMLReader(partDocumentRels, d.rels, d.pkg.lim)
	if _, err := x.root(); err != nil {
		return nil, err
	}
	rootPrefix := prefixOf(qname(d.rels, x.start))
	ids := map[string]bool{}
	top := 0 // the largest rIdN
	for {
		tok, err := x.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				ids[a.Value] = true
				if n, ok := strings.CutPrefix(a.Value, "rId"); ok {
					top = max(top, atoi(n, 0))
				}
			case "Type":
				if a.Value == relComments {
					return nil, nil
				}
			}
		}
	}
	id := "rId" + strconv.Itoa(top+1)
	for n := top + 2; ids[id]; n++ {
		id = "rId" + strconv.Itoa(n)
	}
	x = newXMLReader(partDocumentRels, d.rels, d.pkg.lim)
	if _, err := x.root(); err != nil {
		return nil, err
	}
	return appendToRoot(x, "<"+rootPrefix+`Relationship Id="`+id+`" Type="`+relComments+`" Target="`+escape(target)+`"/>`)
}

// contentTypesWithComments returns [Content_Types].xml declaring the
// comments part, or nil when it does already. A package without one (which
// Word would not open) gets one.
func (d *Document) contentTypesWithComments() ([]byte, error) {
	partName := "/" + d.commentsPath
	if d.contentTypes == nil {
		return []byte(xml.Header[:len(xml.Header)-1] + `<Types xmlns="` + nsContentTypes + `">` + ctDefaults +
			`<Override PartName="/` + partDocument + `" ContentType="` + ctDocument + `"/>` +
			`<Override PartName="` + escape(partName) + `" ContentType="` + ctComments + `"/></Types>`), nil
	}
	x := newXMLReader(partContentTypes, d.contentTypes, d.pkg.lim)
	if _, err := x.root(); err != nil {
		return nil, err
	}
	rootPrefix := prefixOf(qname(d.contentTypes, x.start))
	for {
		tok, err := x.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Override" {
			for _, a := range se.Attr {
				if a.Name.Local == "PartName" && strings.EqualFold(a.Value, partName) {
					return nil, nil
				}
			}
		}
	}
	x = newXMLReader(partContentTypes, d.contentTypes, d.pkg.lim)
	if _, err := x.root(); err != nil {
		return nil, err
	}
	return appendToRoot(x, "<"+rootPrefix+`Override PartName="`+escape(partName)+`" ContentType="`+ctComments+`"/>`)
}

// rewrite writes the package again: changed entries compressed anew in
// their place, every other entry copied raw, added entries at the end.
func (d *Document) rewrite(changed map[string][]byte, added []string) ([]byte, error) {
	byKey := map[string][]byte{}
	for name, data := range changed {
		byKey[strings.ToLower(name)] = data
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	write := func(fh zip.FileHeader, data []byte) error {
		fh.Method = zip.Deflate
		w, err := zw.CreateHeader(&fh)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	for _, f := range d.pkg.zr.File {
		var err error
		if data, ok := byKey[strings.ToLower(f.Name)]; ok {
			err = write(zip.FileHeader{Name: f.Name, Modified: f.Modified, Comment: f.Comment}, data)
		} else {
			err = zw.Copy(f)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: writing %s: %w", d.name, f.Name, err)
		}
	}
	// New parts take the main document's time: the output depends on the
	// input only.
	modified := d.pkg.file(partDocument).Modified
	for _, name := range added {
		if err := write(zip.FileHeader{Name: name, Modified: modified}, changed[name]); err != nil {
			return nil, fmt.Errorf("%s: writing %s: %w", d.name, name, err)
		}
	}
	if err := zw.SetComment(d.pkg.zr.Comment); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
