package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/plancheck/plancheck/plan"
)

// The parts of a new document.
const (
	newContentTypes = `<Types xmlns="` + nsContentTypes + `">` + ctDefaults +
		`<Override PartName="/` + partDocument + `" ContentType="` + ctDocument + `"/>` +
		`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
		`</Types>`
	newPackageRels = `<Relationships xmlns="` + nsRels + `">` +
		`<Relationship Id="rId1" Type="` + relBase + `officeDocument" Target="word/document.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
		`</Relationships>`
	newDocumentRels = `<Relationships xmlns="` + nsRels + `">` +
		`<Relationship Id="rId1" Type="` + relStyles + `" Target="styles.xml"/>` +
		`</Relationships>`
	// newStyles sets a Chinese body font (SimSun, 12 pt) so the draft
	// reads as it did as text.
	newStyles = `<w:styles xmlns:w="` + nsW + `"><w:docDefaults><w:rPrDefault><w:rPr>` +
		`<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="SimSun" w:cs="Times New Roman"/>` +
		`<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>`
	newSection = `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>` +
		`<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`
)

// dosEpoch dates the parts of a new document: the same draft always
// gives the same bytes.
var dosEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// NewFromText makes a new .docx of a plain-text draft, with the comments
// anchored in it. Every line of src becomes one paragraph holding exactly
// the line's characters (a tab as w:tab), so Comment.Para is a line
// number and Start and End are columns, as in src's positions. title
// becomes the document's title property when not empty.
func NewFromText(src *plan.Source, cs []Comment, title string) ([]byte, error) {
	names := namesFor("w", nsW)
	var body strings.Builder
	for n := 1; n <= src.LineCount(); n++ {
		line := src.LineText(n)
		if line == "" {
			body.WriteString("<w:p/>")
			continue
		}
		body.WriteString("<w:p><w:r>" + textRun(names, line) + "</w:r></w:p>")
	}
	if src.LineCount() == 0 {
		body.WriteString("<w:p/>")
	}
	var core strings.Builder
	core.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">`)
	if title != "" {
		core.WriteString("<dc:title>" + escape(title) + "</dc:title>")
	}
	core.WriteString("</cp:coreProperties>")

	decl := xml.Header[:len(xml.Header)-1]
	parts := []struct{ name, data string }{
		{partContentTypes, newContentTypes},
		{"_rels/.rels", newPackageRels},
		{"docProps/core.xml", core.String()},
		{partDocument, `<w:document xmlns:w="` + nsW + `"><w:body>` + body.String() + newSection + `</w:body></w:document>`},
		{partDocumentRels, newDocumentRels},
		{partStyles, newStyles},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: dosEpoch})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(decl + p.data)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return buf.Bytes(), nil
	}
	d, err := Read(src.Name, buf.Bytes(), DefaultLimits())
	if err != nil {
		return nil, fmt.Errorf("%s: reading the new document: %w", src.Name, err)
	}
	return d.WithComments(cs)
}
