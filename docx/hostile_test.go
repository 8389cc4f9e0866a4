package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docXML wraps body in a w:document.
func docXML(body string) string {
	return xmlDecl + `<w:document ` + wNS + `><w:body>` + body + `</w:body></w:document>`
}

// lyingZip holds one deflated entry whose header declares size bytes,
// whatever data inflates to.
func lyingZip(t *testing.T, name string, data []byte, size uint64) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, fw.Close())
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: size})
	require.NoError(t, err)
	_, err = w.Write(comp.Bytes())
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// TestReadHostile feeds Read broken and malicious packages: each must be
// refused with its own error, quickly, without inflating what the limits
// forbid.
func TestReadHostile(t *testing.T) {
	small := DefaultLimits()
	small.MaxEntryBytes = 1 << 20
	total := small
	total.MaxTotalBytes = 2 << 20
	// 10 MB of one byte deflates to about 10 KB.
	bomb := bytes.Repeat([]byte("<"), 10<<20)
	good := buildZip(t, pkgParts(p(r("一、总则")), nil))
	many := make([]entry, 1001)
	for i := range many {
		many[i] = entry{"media/" + strconv.Itoa(i), "x"}
	}
	many[0] = entry{partDocument, docXML("")}
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>` +
		`<w:document ` + wNS + `><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>`
	tokens := small
	tokens.MaxXMLTokens = 1000

	tests := []struct {
		name string
		data []byte
		lim  Limits
		want error
		msg  string
	}{
		{"empty", nil, DefaultLimits(), ErrNotZip, ""},
		{"text", []byte("一、总则\n1.任务。"), DefaultLimits(), ErrNotZip, ""},
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), DefaultLimits(), ErrNotZip, ""},
		{"truncated", good[:len(good)/2], DefaultLimits(), ErrCorrupt, ""},
		{"truncated end", good[:len(good)-8], DefaultLimits(), ErrCorrupt, ""},
		{"no document", buildZip(t, []entry{{"word/styles.xml", "<w:styles/>"}}), DefaultLimits(), ErrNoDocument, ""},
		{"not a document root", buildZip(t, []entry{{partDocument, `<w:styles ` + wNS + `/>`}}), DefaultLimits(), ErrNoDocument, "w:document"},
		{"too many entries", buildZip(t, many), DefaultLimits(), ErrTooManyEntries, "1001 entries"},
		{"duplicate entry", buildZip(t, []entry{{partDocument, docXML("")}, {partDocument, docXML("")}}), DefaultLimits(), ErrCorrupt, "twice"},
		{"bomb declared", buildZip(t, []entry{{partDocument, string(bomb)}}), small, ErrTooLarge, "word/document.xml declares 10485760 bytes"},
		{"bomb in styles", buildZip(t, append(pkgParts(p(r("x")), nil), entry{"word/styles.xml", string(bomb)})), small, ErrTooLarge, ""},
		{"bomb total", buildZip(t, []entry{{partDocument, docXML("")}, {"a", string(bomb[:900<<10])}, {"b", string(bomb[:900<<10])}, {"c", string(bomb[:900<<10])}}), total, ErrTooLarge, "entries declare more than 2097152"},
		{"bomb lying header", lyingZip(t, partDocument, bomb, 100), small, ErrCorrupt, ""},
		{"deep", buildZip(t, []entry{{partDocument, docXML(strings.Repeat("<w:sdt>", 100_000) + strings.Repeat("</w:sdt>", 100_000))}}), DefaultLimits(), ErrXMLDepth, "256"},
		{"deep numbering", buildZip(t, append(pkgParts(p(r("x")), nil), entry{"word/numbering.xml", `<w:numbering ` + wNS + `>` + strings.Repeat("<a>", 100_000)})), DefaultLimits(), ErrXMLDepth, "numbering.xml"},
		{"billion laughs", buildZip(t, []entry{{partDocument, laughs}}), DefaultLimits(), ErrDoctype, "DOCTYPE"},
		{"doctype in styles", buildZip(t, append(pkgParts(p(r("x")), nil), entry{"word/styles.xml", `<!DOCTYPE s SYSTEM "http://example.com/x.dtd"><w:styles ` + wNS + `/>`})), DefaultLimits(), ErrDoctype, "styles.xml"},
		{"too many tokens", buildZip(t, []entry{{partDocument, docXML(strings.Repeat(p(r("任务")), 500))}}), tokens, ErrXMLTokens, "1000"},
		{"malformed", buildZip(t, []entry{{partDocument, docXML("<w:p><w:r></w:p>")}}), DefaultLimits(), ErrXML, ""},
		{"cut short", buildZip(t, []entry{{partDocument, docXML(p(r("任务")))[:120]}}), DefaultLimits(), ErrXML, ""},
		{"undefined entity", buildZip(t, []entry{{partDocument, docXML(p(r("&nbsp;")))}}), DefaultLimits(), ErrXML, ""},
		{"foreign encoding", buildZip(t, []entry{{partDocument, `<?xml version="1.0" encoding="GB2312"?><w:document ` + wNS + `/>`}}), DefaultLimits(), ErrXML, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			d, err := Read("hostile.docx", tt.data, tt.lim)
			require.Error(t, err)
			assert.Nil(t, d)
			assert.True(t, errors.Is(err, tt.want), "want %v, got %v", tt.want, err)
			assert.Contains(t, err.Error(), "hostile.docx: ")
			assert.Contains(t, err.Error(), tt.msg)
			assert.Less(t, time.Since(start), 2*time.Second)
		})
	}
	assert.Less(t, len(buildZip(t, []entry{{partDocument, string(bomb)}})), 40<<10, "the bomb is small")

	_, err := Read("zero.docx", good, Limits{})
	assert.NoError(t, err, "zero limits are the defaults")
}

func TestIsDocx(t *testing.T) {
	assert.True(t, IsDocx(fixture(t, "inline.docx")))
	assert.False(t, IsDocx(nil))
	assert.False(t, IsDocx([]byte("PK\x03\x04 truncated")))
	assert.False(t, IsDocx(buildZip(t, []entry{{"xl/workbook.xml", "<workbook/>"}})))
	assert.True(t, IsDocx(buildZip(t, []entry{{"Word/Document.xml", "<w:document/>"}})), "part names ignore case")
}

// fuzzLimits keep fuzzed inputs small.
var fuzzLimits = Limits{MaxEntries: 64, MaxEntryBytes: 1 << 20, MaxTotalBytes: 4 << 20, MaxXMLDepth: 64, MaxXMLTokens: 200_000}

// FuzzRead feeds Read arbitrary packages (seeds in testdata/fuzz/FuzzRead:
// the fixtures and a few hostile packages).
func FuzzRead(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzCheck(t, data)
	})
}

// FuzzDocumentXML fuzzes the XML of the document and numbering parts,
// which mutations of a whole package (deflated, checksummed) rarely reach.
func FuzzDocumentXML(f *testing.F) {
	for _, fx := range fixtures {
		for _, e := range fx.parts() {
			if e.name == partDocument {
				f.Add(e.data, numberingXML)
			}
		}
	}
	f.Fuzz(func(t *testing.T, doc, numbering string) {
		fuzzCheck(t, buildZip(t, []entry{{partDocument, doc}, {partNumbering, numbering}}))
	})
}

// fuzzCheck reads a package; whatever Read accepts must map every
// character of its rendering back to the document and take a comment
// that anchors exactly.
func fuzzCheck(t *testing.T, data []byte) {
	d, err := Read("fuzz.docx", data, fuzzLimits)
	if err != nil {
		return
	}
	checkMapping(t, d)
	for n := 1; n <= d.Paragraphs(); n++ {
		text := []rune(d.ParaText(n))
		if len(text) == 0 {
			continue
		}
		c := Comment{Para: n, Start: 1, End: len(text) + 1, Text: "fuzz"}
		out, err := d.WithComments([]Comment{c})
		require.NoError(t, err)
		d2, err := Read("out.docx", out, fuzzLimits)
		require.NoError(t, err)
		assert.Equal(t, d.Source().Text, d2.Source().Text)
		assert.Equal(t, string(text), anchoredText(t, d2, d.maxCommentID+1))
		return
	}
}
