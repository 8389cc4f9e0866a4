package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
)

// spanText returns the document's text from (para, char) to (endPara,
// endChar), chars counted from 0, paragraphs joined by a line end.
func spanText(d *Document, para, char, endPara, endChar int) string {
	if para == endPara {
		return string([]rune(d.ParaText(para))[char:endChar])
	}
	parts := []string{string([]rune(d.ParaText(para))[char:])}
	for p := para + 1; p < endPara; p++ {
		parts = append(parts, d.ParaText(p))
	}
	parts = append(parts, string([]rune(d.ParaText(endPara))[:endChar]))
	return strings.Join(parts, "\n")
}

// wantText is the text a comment asks to anchor.
func wantText(d *Document, c Comment) string {
	end := c.EndPara
	if end == 0 {
		end = c.Para
	}
	return spanText(d, c.Para, c.Start-1, end, c.End-1)
}

// anchoredText re-reads the text between a comment's range markers.
func anchoredText(t *testing.T, d *Document, id int) string {
	t.Helper()
	a := d.anchors[strconv.Itoa(id)]
	require.NotNil(t, a, "comment %d has no range", id)
	require.True(t, a.hasStart && a.hasEnd, "comment %d range incomplete", id)
	return spanText(d, a.startPara, a.startChar, a.endPara, a.endChar)
}

// zipEntries returns a package's entries by name, in order.
func zipEntries(t *testing.T, data []byte) ([]string, map[string]*zip.File) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var names []string
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		files[f.Name] = f
	}
	return names, files
}

func entryBytes(t *testing.T, f *zip.File, raw bool) []byte {
	t.Helper()
	var rd io.Reader
	var err error
	if raw {
		rd, err = f.OpenRaw()
	} else {
		var rc io.ReadCloser
		rc, err = f.Open()
		rd = rc
	}
	require.NoError(t, err)
	data, err := io.ReadAll(rd)
	require.NoError(t, err)
	return data
}

// xmlComment is a w:comment as comments.xml holds it.
type xmlComment struct {
	ID       string `xml:"id,attr"`
	Author   string `xml:"author,attr"`
	Initials string `xml:"initials,attr"`
	Date     string `xml:"date,attr"`
	Paras    []struct {
		Texts []string `xml:"r>t"`
	} `xml:"p"`
}

func readComments(t *testing.T, data []byte) []xmlComment {
	t.Helper()
	var doc struct {
		Comments []xmlComment `xml:"comment"`
	}
	require.NoError(t, xml.Unmarshal(data, &doc))
	return doc.Comments
}

// checkCommented checks a package written by WithComments: it reads back
// with the same rendering, each comment anchors exactly its span with
// fresh unique ids, and every entry but the ones allowed to change is
// copied byte for byte.
func checkCommented(t *testing.T, d *Document, cs []Comment, out []byte, mayChange ...string) *Document {
	t.Helper()
	d2, err := Read("out.docx", out, DefaultLimits())
	require.NoError(t, err)
	assert.Equal(t, d.Source().Text, d2.Source().Text, "comments do not change the text")
	checkMapping(t, d2)

	first := d.maxCommentID + 1
	for i, c := range cs {
		assert.Equal(t, wantText(d, c), anchoredText(t, d2, first+i), "comment %d", i+1)
	}
	assert.Equal(t, d.maxCommentID+len(cs), d2.maxCommentID)

	names, files := zipEntries(t, d.data)
	outNames, outFiles := zipEntries(t, out)
	require.GreaterOrEqual(t, len(outNames), len(names))
	assert.Equal(t, names, outNames[:len(names)], "entries keep their order")
	changes := map[string]bool{partDocument: true, d.commentsPath: true}
	for _, m := range mayChange {
		changes[m] = true
	}
	for _, name := range names {
		if changes[name] {
			continue
		}
		assert.Equal(t, entryBytes(t, files[name], true), entryBytes(t, outFiles[name], true), "%s copied raw", name)
		assert.Equal(t, files[name].CRC32, outFiles[name].CRC32, name)
	}

	comments := readComments(t, d2.comments)
	ids := map[string]bool{}
	for _, c := range comments {
		assert.False(t, ids[c.ID], "comment id %s used twice", c.ID)
		ids[c.ID] = true
	}
	require.Len(t, comments, len(cs)+len(readCommentsOrNil(t, d.comments)))
	for i, c := range cs {
		got := comments[len(comments)-len(cs)+i]
		assert.Equal(t, strconv.Itoa(first+i), got.ID)
		assert.Equal(t, c.Author, got.Author)
		assert.Equal(t, c.Date, got.Date)
		var lines []string
		for _, p := range got.Paras {
			lines = append(lines, strings.Join(p.Texts, ""))
		}
		assert.Equal(t, strings.Split(c.Text, "\n"), lines, "comment %d text, one paragraph per line", i+1)
	}
	return d2
}

func readCommentsOrNil(t *testing.T, data []byte) []xmlComment {
	if data == nil {
		return nil
	}
	return readComments(t, data)
}

// span makes a comment from a rendering's byte range, as the command
// line will from a finding.
func span(src *plan.Source, s, e int, text string) Comment {
	sp := src.Span(s, e)
	c := Comment{Para: sp.Start.Para, Start: sp.Start.ParaChar, End: sp.End.ParaChar, Author: "plancheck", Initials: "pc", Date: "2024-03-01T09:00:00Z", Text: text}
	if sp.End.Para != sp.Start.Para {
		c.EndPara = sp.End.Para
	}
	return c
}

// at finds the nth occurrence of text in the rendering (test set-up only).
func at(t *testing.T, src *plan.Source, text string, nth int) (int, int) {
	t.Helper()
	off := -1
	for i := 0; i < nth; i++ {
		j := strings.Index(src.Text[off+1:], text)
		require.GreaterOrEqual(t, j, 0, "%q #%d", text, nth)
		off += 1 + j
	}
	return off, off + len(text)
}

func TestWithCommentsInline(t *testing.T) {
	d, err := Read("inline.docx", fixture(t, "inline.docx"), DefaultLimits())
	require.NoError(t, err)
	src := d.Source()
	mk := func(text string, nth int, msg string) Comment {
		s, e := at(t, src, text, nth)
		return span(src, s, e, msg)
	}
	cs := []Comment{
		mk("到2025年", 1, "a whole run in a hyperlink"),
		mk("2025", 1, "inside a run in a hyperlink"),
		mk("年，95%以", 1, "across runs, into a simple field"),
		mk("3", 1, "a complex field's result"),
		mk("市卫健委牵头", 1, "out of a content control"),
		mk("督查新位置", 1, "over tracked changes"),
		mk("行\n第二", 1, "across a line break"),
		mk("\t乙-", 1, "a tab and a hyphen element"),
		mk("&B <", 1, "between entities"),
		mk("x<", 1, "inside CDATA"),
		mk("任务按期 完", 1, "splitting two formatted runs"),
		mk("完成 ", 1, "ends with a space"),
		mk("由", 1, "a paragraph's first character"),
		mk("。", 3, "a paragraph's last character"),
		mk("图示", 1, "around skipped content"),
		mk("自定义书签", 1, "custom XML and bookmarks"),
		// Adjacent and identical spans at one split.
		mk("重点", 1, "first half"),
		mk("任务", 1, "second half"),
		mk("任务", 1, "the same span again\nwith a second line"),
	}
	// A span over two paragraphs, points, and an empty paragraph.
	s, _ := at(t, src, "以上", 1)
	_, e := at(t, src, "牵头", 1)
	cs = append(cs, span(src, s, e, "over two paragraphs"))
	p1, _ := at(t, src, "目标", 1)
	cs = append(cs, span(src, p1, p1, "a point at a paragraph's start"))
	_, p2 := at(t, src, "工作。", 1)
	cs = append(cs, span(src, p2, p2, "a point at a paragraph's end"))
	cs = append(cs, Comment{Para: 8, Start: 1, End: 1, Author: "plancheck", Text: "an empty paragraph"})
	cs = append(cs, Comment{Para: 2, Start: 4, End: 4, Author: "plancheck", Text: "a point inside a run"})

	out, err := d.WithComments(cs)
	require.NoError(t, err)
	d2 := checkCommented(t, d, cs, out, partDocumentRels, partContentTypes)

	// The new comments part is declared and related.
	_, files := zipEntries(t, out)
	require.Contains(t, files, "word/comments.xml")
	ct := string(entryBytes(t, files[partContentTypes], false))
	assert.Contains(t, ct, `<Override PartName="/word/comments.xml" ContentType="`+ctComments+`"/>`)
	rels := string(entryBytes(t, files[partDocumentRels], false))
	assert.Contains(t, rels, `Type="`+relComments+`" Target="comments.xml"`)
	assert.Contains(t, rels, `Id="rId10"`, "a fresh relationship id after rId9")

	// Split runs keep their formatting in both halves.
	text := []rune(d2.ParaText(9))
	for _, w := range []struct {
		char rune
		rPr  string
	}{{'重', "<w:b/>"}, {'点', "<w:b/>"}, {'任', "<w:b/>"}, {'务', "<w:b/>"}, {'按', `<w:color w:val="FF0000"/>`}, {'完', "<w:i/>"}, {'成', "<w:i/>"}} {
		k := slices.Index(text, w.char)
		require.GreaterOrEqual(t, k, 0)
		rn := d2.runs[d2.paras[8].chars[k].run]
		assert.Contains(t, string(d2.docXML[rn.rPr[0]:rn.rPr[1]]), w.rPr, "%c keeps its run properties", w.char)
	}
	// Points anchor where asked.
	for i, want := range []anchor{{1, 0, 1, 0, true, true}, {4, 10, 4, 10, true, true}, {8, 0, 8, 0, true, true}, {2, 3, 2, 3, true, true}} {
		id := strconv.Itoa(d.maxCommentID + 1 + len(cs) - 4 + i)
		assert.Equal(t, &want, d2.anchors[id], "point %d", i+1)
	}
}

func TestWithCommentsTables(t *testing.T) {
	d, err := Read("tables.docx", fixture(t, "tables.docx"), DefaultLimits())
	require.NoError(t, err)
	src := d.Source()
	var cs []Comment
	for _, w := range []struct {
		text string
		nth  int
	}{{"宣传处", 1}, {"评估", 1}, {"任务 说明\n换", 1}, {"子任务二", 1}, {"年底", 2}} {
		s, e := at(t, src, w.text, w.nth)
		cs = append(cs, span(src, s, e, "缺少完成时限。\n建议：写明完成时限。"))
	}
	// The empty cell: its paragraph is <w:p/>.
	cs = append(cs, Comment{Para: 14, Start: 1, End: 1, Text: "空单元格"})
	out, err := d.WithComments(cs)
	require.NoError(t, err)
	checkCommented(t, d, cs, out, partDocumentRels, partContentTypes)
}

func TestWithCommentsPinghu(t *testing.T) {
	d := readShared(t, "003-pinghu-draft.docx")
	require.Equal(t, 0, d.maxCommentID, "the draft holds comment 0")
	src := d.Source()
	var cs []Comment
	for _, w := range []struct {
		text string
		nth  int
	}{{"督查", 1}, {"2012年6月前", 1}, {"95%以上", 1}, {"上半年", 1}, {"区域卫生信息平台", 1}, {"\n1、认真", 1}} {
		s, e := at(t, src, w.text, w.nth)
		cs = append(cs, span(src, s, e, "提示："+w.text))
	}
	out, err := d.WithComments(cs)
	require.NoError(t, err)
	d2 := checkCommented(t, d, cs, out)
	again, err := d.WithComments(cs)
	require.NoError(t, err)
	assert.Equal(t, out, again, "the same comments give the same bytes")
	comments := readComments(t, d2.comments)
	require.NotEmpty(t, comments)
	assert.Equal(t, "0", comments[0].ID)
	assert.Equal(t, "建议明确区域卫生信息平台的建成时限。", strings.Join(comments[0].Paras[0].Texts, ""), "the existing comment is kept")
	assert.True(t, bytes.HasPrefix(d2.comments, d.comments[:bytes.LastIndex(d.comments, []byte("</w:comments>"))]), "the existing comments part is extended, not rewritten")

	// A second round adds after the first.
	out2, err := d2.WithComments(cs[:1])
	require.NoError(t, err)
	checkCommented(t, d2, cs[:1], out2)
}

func TestWithCommentsJiaxing(t *testing.T) {
	d := readShared(t, "000-jiaxing-table.docx")
	src := d.Source()
	var cs []Comment
	for _, w := range []struct {
		text string
		nth  int
	}{{"根据省里要求", 1}, {"改革创新年", 2}, {"江 源", 1}, {"12月底", 3}} {
		s, e := at(t, src, w.text, w.nth)
		cs = append(cs, span(src, s, e, w.text))
	}
	out, err := d.WithComments(cs)
	require.NoError(t, err)
	checkCommented(t, d, cs, out, partDocumentRels, partContentTypes)
}

func TestWithCommentsErrors(t *testing.T) {
	d, err := Read("inline.docx", fixture(t, "inline.docx"), DefaultLimits())
	require.NoError(t, err)
	n := d.Paragraphs()
	tests := []struct {
		name string
		c    Comment
		want string
	}{
		{"no paragraph", Comment{Para: 0, Start: 1, End: 1}, "paragraph 0 out of range"},
		{"past the last paragraph", Comment{Para: n + 1, Start: 1, End: 1}, "out of range"},
		{"start past the end", Comment{Para: 1, Start: 40, End: 41}, "start character 40"},
		{"end before start", Comment{Para: 1, Start: 3, End: 2}, "ends (2) before it starts (3)"},
		{"end paragraph before", Comment{Para: 2, EndPara: 1, Start: 1, End: 1}, "end paragraph 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.WithComments([]Comment{{Para: 1, Start: 1, End: 2}, tt.c})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "comment 2: ")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	out, err := d.WithComments(nil)
	require.NoError(t, err)
	assert.Equal(t, d.data, out, "no comments, no change")
}

// TestWithCommentsHostileRels: a comments relationship pointing outside
// the package or at a part the writer edits is not followed.
func TestWithCommentsHostileRels(t *testing.T) {
	for _, target := range []string{"../../evil.xml", "document.xml", "/[Content_Types].xml", "_rels/document.xml.rels", "comments.bin"} {
		t.Run(target, func(t *testing.T) {
			parts := pkgParts(p(r("一、总则")), nil)
			for i, e := range parts {
				if e.name == partDocumentRels {
					parts[i].data = strings.Replace(e.data, "</Relationships>",
						`<Relationship Id="rId5" Type="`+relComments+`" Target="`+target+`"/></Relationships>`, 1)
				}
			}
			d, err := Read("rels.docx", buildZip(t, parts), DefaultLimits())
			require.NoError(t, err)
			assert.Equal(t, partComments, d.commentsPath)
			out, err := d.WithComments([]Comment{{Para: 1, Start: 1, End: 3, Text: "x"}})
			require.NoError(t, err)
			names, _ := zipEntries(t, out)
			assert.Contains(t, names, partComments)
			for _, n := range names {
				assert.NotContains(t, n, "..")
			}
			d2, err := Read("out.docx", out, DefaultLimits())
			require.NoError(t, err)
			assert.Equal(t, "一、", anchoredText(t, d2, 0))
		})
	}
}
