package docx

import (
	"archive/zip"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update regenerates the fixture packages and the fuzz seed corpus:
// go test ./docx -run TestMakeFixtures -update
var update = flag.Bool("update", false, "rewrite fixtures/docx and testdata/fuzz/FuzzRead")

const fixtureDir = "../fixtures/docx"

// entry is one part of a package built by a test.
type entry struct{ name, data string }

// buildZip writes entries as a zip, deterministically.
func buildZip(t testing.TB, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: time.Date(2024, 1, 2, 3, 4, 6, 0, time.UTC)})
		require.NoError(t, err)
		_, err = w.Write([]byte(e.data))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

const (
	xmlDecl  = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	wNS      = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	docNS    = wNS + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"`
	relsOpen = xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
)

// pkgParts builds a package around a document body: the content types,
// the package and document relationships, and the extra parts given
// (name → XML), each related to the document by its type.
func pkgParts(body string, extra map[string]string) []entry {
	types := map[string]string{
		"word/numbering.xml": "numbering",
		"word/styles.xml":    "styles",
		"word/header1.xml":   "header",
		"word/footnotes.xml": "footnotes",
		"word/comments.xml":  "comments",
	}
	ct := xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>`
	rels := relsOpen + `<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://example.com/" TargetMode="External"/>`
	var names []string
	for _, name := range []string{"word/styles.xml", "word/numbering.xml", "word/header1.xml", "word/footnotes.xml", "word/comments.xml"} {
		if _, ok := extra[name]; !ok {
			continue
		}
		names = append(names, name)
		typ := types[name]
		ct += `<Override PartName="/` + name + `" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.` + typ + `+xml"/>`
		rels += `<Relationship Id="rId` + strconv.Itoa(len(names)) + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/` + typ + `" Target="` + strings.TrimPrefix(name, "word/") + `"/>`
	}
	entries := []entry{
		{"[Content_Types].xml", ct + `</Types>`},
		{"_rels/.rels", relsOpen + `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", xmlDecl + `<w:document ` + docNS + `><w:body>` + body + `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`},
		{"word/_rels/document.xml.rels", rels + `</Relationships>`},
	}
	for _, name := range names {
		entries = append(entries, entry{name, extra[name]})
	}
	return entries
}

// p writes a paragraph of the given content; r a plain run of text.
func p(content string) string { return `<w:p>` + content + `</w:p>` }
func r(text string) string    { return `<w:r><w:t>` + text + `</w:t></w:r>` }

// pn writes a paragraph numbered by list numID at level lvl.
func pn(numID, lvl int, text string) string {
	return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + strconv.Itoa(lvl) + `"/><w:numId w:val="` + strconv.Itoa(numID) + `"/></w:numPr></w:pPr>` + r(text) + `</w:p>`
}

// ps writes a paragraph of style id.
func ps(style, text string) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>` + r(text) + `</w:p>`
}

// fixtureInline: runs in hyperlinks, fields, content controls, smart tags,
// tracked changes, breaks, symbols, entities, formatting, and content
// the reader skips (text boxes, alternate content, footnotes, headers).
func fixtureInline() []entry {
	body := p(r("目标：")+`<w:hyperlink r:id="rId9" w:history="1">`+r("到2025年")+`</w:hyperlink>`+r("，")+
		`<w:fldSimple w:instr=" MERGEFIELD 比例 ">`+r("95%")+`</w:fldSimple>`+r("以上，")+
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>`+
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r>`+r("3")+`<w:r><w:fldChar w:fldCharType="end"/></w:r>`+r("项。")) +
		p(r("由")+`<w:sdt><w:sdtPr><w:alias w:val="单位"/><w:text/></w:sdtPr><w:sdtContent>`+r("市卫健委")+`</w:sdtContent></w:sdt>`+
			r("牵头，")+`<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">`+r("平湖市")+`</w:smartTag>`+r("配合。")) +
		`<w:sdt><w:sdtPr><w:id w:val="7"/></w:sdtPr><w:sdtContent>` + p(r("内容控件中的段落。")) + `</w:sdtContent></w:sdt>` +
		p(r("加强")+`<w:del w:id="1" w:author="甲" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>督导</w:delText></w:r></w:del>`+
			`<w:ins w:id="2" w:author="甲" w:date="2024-01-01T00:00:00Z"><w:r><w:t>督查</w:t></w:r></w:ins>`+
			`<w:moveFrom w:id="3" w:author="甲"><w:r><w:t>旧位置</w:t></w:r></w:moveFrom>`+
			`<w:moveTo w:id="4" w:author="甲"><w:r><w:t>新位置</w:t></w:r></w:moveTo>`+r("工作。")) +
		p(`<w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:br w:type="page"/><w:t>续</w:t><w:cr/><w:t>第三行</w:t></w:r>`) +
		p(`<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:noBreakHyphen/><w:t>丙</w:t><w:sym w:font="Wingdings" w:char="F0FC"/><w:softHyphen/><w:t>丁</w:t></w:r>`) +
		p(`<w:r><w:t xml:space="preserve">A&amp;B &lt;C&gt; &#x4E00;&#20108;</w:t><w:t><![CDATA[x<y]]></w:t></w:r>`) +
		`<w:p/>` +
		p(`<w:r><w:rPr><w:b/></w:rPr><w:t>重点任务</w:t></w:r><w:r w:rsidR="00A1B2C3"><w:rPr><w:i/><w:color w:val="FF0000"/></w:rPr><w:t xml:space="preserve">按期 完成 </w:t></w:r>`+r("。")) +
		p(r("图")+`<w:r><w:pict><v:shape><v:textbox><w:txbxContent>`+p(r("文本框"))+`</w:txbxContent></v:textbox></v:shape></w:pict></w:r>`+
			`<mc:AlternateContent><mc:Choice Requires="wps">`+r("选择")+`</mc:Choice><mc:Fallback>`+r("后备")+`</mc:Fallback></mc:AlternateContent>`+
			`<w:r><w:footnoteReference w:id="1"/></w:r>`+r("示")) +
		p(`<w:customXml w:element="owner">`+r("自定义")+`</w:customXml>`+`<w:bookmarkStart w:id="0" w:name="b"/>`+r("书签")+`<w:bookmarkEnd w:id="0"/>`)
	return pkgParts(body, map[string]string{
		"word/header1.xml":   xmlDecl + `<w:hdr ` + wNS + `>` + p(r("页眉")) + `</w:hdr>`,
		"word/footnotes.xml": xmlDecl + `<w:footnotes ` + wNS + `><w:footnote w:id="1">` + p(r("脚注")) + `</w:footnote></w:footnotes>`,
	})
}

// inlineWant is the rendering of fixtureInline.
const inlineWant = "目标：到2025年，95%以上，3项。\n" +
	"由市卫健委牵头，平湖市配合。\n" +
	"内容控件中的段落。\n" +
	"加强督查新位置工作。\n" +
	"第一行\n第二行续\n第三行\n" +
	"甲\t乙-丙丁\n" +
	"A&B <C> 一二x<y\n" +
	"\n" +
	"重点任务按期 完成 。\n" +
	"图示\n" +
	"自定义书签\n"

// numberingXML defines the lists of fixtureNumbering.
const numberingXML = xmlDecl + `<w:numbering ` + wNS + `>` +
	`<w:abstractNum w:abstractNumId="0">` +
	`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>` +
	`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>` +
	`<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>` +
	`<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%4"/></w:lvl>` +
	`<w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%5、"/></w:lvl>` +
	`<w:lvl w:ilvl="5"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3.%6"/></w:lvl>` +
	`<w:lvl w:ilvl="6"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%7)"/></w:lvl>` +
	`<w:lvl w:ilvl="7"><w:start w:val="4"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%8."/></w:lvl>` +
	`<w:lvl w:ilvl="8"><w:start w:val="1"/><w:numFmt w:val="decimalFullWidth"/><w:lvlText w:val="%9．"/></w:lvl>` +
	`</w:abstractNum>` +
	`<w:abstractNum w:abstractNumId="1">` +
	`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCountingThousand"/><w:lvlText w:val="%1、"/></w:lvl>` +
	`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/><w:lvlRestart w:val="0"/></w:lvl>` +
	`<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>` +
	`<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="none"/><w:lvlText w:val="注："/></w:lvl>` +
	`</w:abstractNum>` +
	`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>` +
	`<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%1、"/></w:lvl></w:lvlOverride></w:num>` +
	`<w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>` +
	`<w:num w:numId="4"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"/><w:lvlOverride w:ilvl="2"><w:startOverride w:val="5"/></w:lvlOverride></w:num>` +
	`</w:numbering>`

// stylesXML numbers headings through their styles; Heading2 takes its
// list from Heading1 and only sets the level.
const stylesXML = xmlDecl + `<w:styles ` + wNS + `>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Heading1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>` +
	`</w:styles>`

// fixtureNumbering: list formats, multi-level text, restarts, overrides,
// numbering through styles.
func fixtureNumbering() []entry {
	body := ps("Heading1", "总体要求") +
		pn(1, 1, "第一节") +
		pn(1, 2, "甲项") + pn(1, 2, "乙项") +
		pn(1, 3, "圈一") + pn(1, 3, "圈二") +
		pn(1, 2, "丙项") + pn(1, 3, "圈一再起") +
		pn(1, 5, "多级") +
		ps("Heading2", "第二节") +
		pn(1, 2, "重新起") + pn(4, 2, "从五起") + pn(1, 2, "接着六") +
		pn(1, 4, "天干一") + pn(1, 4, "天干二") + pn(1, 4, "天干三") +
		ps("Heading1", "主要任务") +
		pn(2, 0, "覆盖级别") +
		`<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>` + r("不编号") + `</w:p>` +
		pn(3, 0, "甲组") + pn(3, 1, "事项") + pn(3, 1, "事项") + pn(3, 0, "乙组") + pn(3, 1, "不重起") +
		pn(3, 2, "项目符号") + pn(3, 3, "无格式") +
		pn(1, 6, "字母") + pn(1, 7, "罗马") + pn(1, 8, "全角") +
		pn(99, 0, "无此列表") +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr></w:pPr></w:p>`
	return pkgParts(body, map[string]string{"word/numbering.xml": numberingXML, "word/styles.xml": stylesXML})
}

// numberingWant is the rendering of fixtureNumbering.
const numberingWant = "一、总体要求\n" +
	"（一）第一节\n" +
	"1.甲项\n2.乙项\n" +
	"①圈一\n②圈二\n" +
	"3.丙项\n①圈一再起\n" +
	"3.1多级\n" +
	"（二）第二节\n" +
	"1.重新起\n5.从五起\n6.接着六\n" +
	"甲、天干一\n乙、天干二\n丙、天干三\n" +
	"二、主要任务\n" +
	"甲、覆盖级别\n" +
	"不编号\n" +
	"一、甲组\n1.事项\n2.事项\n二、乙组\n3.不重起\n" +
	"项目符号\n注：无格式\n" +
	"A)字母\niv.罗马\n１．全角\n" +
	"无此列表\n" +
	"1.\n"

// cell writes a table cell of paragraphs; props go into w:tcPr.
func cell(props string, paras ...string) string {
	return `<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/>` + props + `</w:tcPr>` + strings.Join(paras, "") + `</w:tc>`
}

// row writes a table row; header marks a heading row repeated on every page.
func row(header bool, cells ...string) string {
	pr := ""
	if header {
		pr = `<w:trPr><w:tblHeader/></w:trPr>`
	}
	return `<w:tr>` + pr + strings.Join(cells, "") + `</w:tr>`
}

func table(rows ...string) string {
	return `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="1000"/><w:gridCol w:w="1000"/><w:gridCol w:w="1000"/><w:gridCol w:w="1000"/></w:tblGrid>` +
		strings.Join(rows, "") + `</w:tbl>`
}

// fixtureTables: a 责任分解表 with a repeated header row, multi-paragraph
// and empty cells, merged cells, a nested table, a tab in a cell, then a
// second table straight after it, as a table split across pages is.
func fixtureTables() []entry {
	header := row(true, cell("", p(r("序号"))), cell("", p(r("工作任务"))), cell("", p(r("责任单位"))), cell("", p(r("完成时限"))))
	body := p(r("附件")) +
		table(header,
			row(false, cell("", p(r("1"))), cell("", p(r("制定方案。"))), cell("", p(r("办公室")), p(r("宣传处"))), cell("", p(r("6月底")))),
			row(false, cell("", p(r("2"))), cell("", p(r("开展培训。")), `<w:p/>`), cell("", `<w:p/>`), cell("", p(r("年底前")))),
			row(false, cell("", p(r("3"))), cell(`<w:gridSpan w:val="2"/>`, p(r("完成评估。"))), cell("", p(r("9月底")))),
			row(false, cell("", p(r("4"))), cell("", p(r("编制目录。"))), cell(`<w:vMerge w:val="restart"/>`, p(r("医政处"))), cell("", p(r("5月底")))),
			row(false, cell("", p(r("5"))), cell("", p(r("组织评审。"))), cell(`<w:vMerge/>`, `<w:p/>`), cell("", p(r("8月底")))),
			row(false, cell("", p(r("6"))), cell("", table(row(false, cell("", p(r("子任务一"))), cell("", p(r("子任务二")))))), cell("", p(r("科教处"))), cell("", p(r("12月底")))),
			row(false, cell("", p(r("7"))), cell("", p(`<w:r><w:t>任务</w:t><w:tab/><w:t>说明</w:t><w:br/><w:t>换行</w:t></w:r>`)), cell("", p(r("法规处"))), cell("", p(r("10月底"))))) +
		table(header,
			row(false, cell("", p(r("8"))), cell("", p(r("总结评估。"))), cell("", p(r("规划处"))), cell("", p(r("年底"))))) +
		p(r("以上任务按期完成。"))
	return pkgParts(body, nil)
}

// tablesWant is the rendering of fixtureTables.
const tablesWant = "附件\n\n" +
	"\t序号\n\t工作任务\n\t责任单位\n\t完成时限\n\n" +
	"\t1\n\t制定方案。\n\t办公室\n宣传处\n\t6月底\n\n" +
	"\t2\n\t开展培训。\n\t\n\t年底前\n\n" +
	"\t3\n\t完成评估。\n\t9月底\n\n" +
	"\t4\n\t编制目录。\n\t医政处\n\t5月底\n\n" +
	"\t5\n\t组织评审。\n\t\n\t8月底\n\n" +
	"\t6\n\t子任务一\n子任务二\n\t科教处\n\t12月底\n\n" +
	"\t7\n\t任务 说明\n换行\n\t法规处\n\t10月底\n\n" +
	"\t序号\n\t工作任务\n\t责任单位\n\t完成时限\n\n" +
	"\t8\n\t总结评估。\n\t规划处\n\t年底\n\n" +
	"以上任务按期完成。\n"

// fixtures are the packages under fixtures/docx, with their renderings.
var fixtures = []struct {
	name  string
	parts func() []entry
	want  string
}{
	{"inline.docx", fixtureInline, inlineWant},
	{"numbering.docx", fixtureNumbering, numberingWant},
	{"tables.docx", fixtureTables, tablesWant},
}

// fixture reads a committed fixture package.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, name))
	require.NoError(t, err, "run: go test ./docx -run TestMakeFixtures -update")
	return data
}

// TestMakeFixtures checks that the committed fixtures are what their
// definitions build, and rewrites them (and the fuzz seeds) with -update.
func TestMakeFixtures(t *testing.T) {
	for _, f := range fixtures {
		data := buildZip(t, f.parts())
		path := filepath.Join(fixtureDir, f.name)
		if *update {
			require.NoError(t, os.MkdirAll(fixtureDir, 0o755))
			require.NoError(t, os.WriteFile(path, data, 0o644))
		}
		have, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(data, have), "%s is stale: go test ./docx -run TestMakeFixtures -update", path)
	}
	seeds := fuzzSeeds(t)
	dir := filepath.Join("testdata", "fuzz", "FuzzRead")
	for name, data := range seeds {
		path := filepath.Join(dir, name)
		text := "go test fuzz v1\n[]byte(" + strconv.Quote(string(data)) + ")\n"
		if *update {
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
		}
		have, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, text, string(have), "%s is stale", path)
	}
}

// fuzzSeeds are the seed corpus of FuzzRead: the fixtures, a minimal
// package, and hostile packages.
func fuzzSeeds(t testing.TB) map[string][]byte {
	seeds := map[string][]byte{
		"minimal":  buildZip(t, pkgParts(p(r("一、总则"))+p(r("1.任务。")), nil)),
		"doctype":  buildZip(t, []entry{{"word/document.xml", `<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aa">]><w:document ` + wNS + `/>`}}),
		"deep":     buildZip(t, []entry{{"word/document.xml", `<w:document ` + wNS + `><w:body>` + strings.Repeat("<w:sdt>", 300) + `</w:body></w:document>`}}),
		"not-word": buildZip(t, []entry{{"a.txt", "plain"}}),
	}
	for _, f := range fixtures {
		seeds[strings.TrimSuffix(f.name, ".docx")] = buildZip(t, f.parts())
	}
	return seeds
}
