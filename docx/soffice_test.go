package docx

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
)

// pdfWithNotes asks LibreOffice to export comments as PDF text
// annotations (LibreOffice 7.4 cannot print them in the margin).
const pdfWithNotes = `pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}`

// pdfTextAnnot matches a PDF text annotation (a comment) in the
// uncompressed object dictionaries LibreOffice writes.
var pdfTextAnnot = regexp.MustCompile(`/Subtype\s*/Text\b`)

// soffice converts in to format in outDir with LibreOffice, using a
// private profile so that runs do not collide, and returns the output.
func soffice(t *testing.T, bin, in, format, outDir string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	profile := "file://" + filepath.ToSlash(t.TempDir())
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation="+profile, "--headless", "--norestore",
		"--convert-to", format, "--outdir", outDir, in)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "soffice: %s", out)
	ext := strings.SplitN(format, ":", 2)[0]
	path := filepath.Join(outDir, strings.TrimSuffix(filepath.Base(in), filepath.Ext(in))+"."+ext)
	_, err = os.Stat(path)
	require.NoError(t, err, "soffice wrote no %s: %s", ext, out)
	return path
}

// TestLibreOffice opens commented packages in LibreOffice: they must
// render to PDF and survive a round trip through LibreOffice's own .docx
// export with every comment. It needs soffice (libreoffice-writer);
// DOCX_ARTIFACTS=dir keeps the files and, with pdftoppm (poppler-utils),
// a PNG of each first page.
func TestLibreOffice(t *testing.T) {
	bin, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not installed (apt-get install libreoffice-writer): LibreOffice check skipped")
	}
	if testing.Short() {
		t.Skip("LibreOffice conversions are slow: skipped with -short")
	}
	dir := os.Getenv("DOCX_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	inputs := map[string][]byte{"inline": fixture(t, "inline.docx"), "tables": fixture(t, "tables.docx")}
	if data, err := os.ReadFile(filepath.Join(sharedDocxDir, "003-pinghu-draft.docx")); err == nil {
		inputs["pinghu"] = data
	}
	if data, err := os.ReadFile(filepath.Join(corpusDir, "000_61405fd166fa8747.txt")); err == nil {
		src, err := plan.NewSource("000.txt", data)
		require.NoError(t, err)
		inputs["fromtext"], err = NewFromText(src, nil, "2018年全市卫生计生工作要点")
		require.NoError(t, err)
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			d, err := Read(name, data, DefaultLimits())
			require.NoError(t, err)
			// Two characters of every third paragraph, and a span over
			// two paragraphs.
			var cs []Comment
			for n := 1; n <= d.Paragraphs(); n += 3 {
				if text := []rune(d.ParaText(n)); len(text) >= 4 {
					cs = append(cs, Comment{Para: n, Start: 2, End: 4, Author: "plancheck", Text: "批注 " + string(text[1:3]) + "\n建议：核实。"})
				}
			}
			for n := 1; n < d.Paragraphs(); n++ {
				if len([]rune(d.ParaText(n))) >= 2 && d.ParaText(n+1) != "" {
					cs = append(cs, Comment{Para: n, Start: 2, EndPara: n + 1, End: 2, Author: "plancheck", Text: "跨段落"})
					break
				}
			}
			require.NotEmpty(t, cs)
			out, err := d.WithComments(cs)
			require.NoError(t, err)
			in := filepath.Join(dir, name+"-commented.docx")
			require.NoError(t, os.WriteFile(in, out, 0o644))
			want := len(readCommentsOrNil(t, d.comments)) + len(cs)

			pdf := soffice(t, bin, in, pdfWithNotes, dir)
			pdfData, err := os.ReadFile(pdf)
			require.NoError(t, err)
			assert.Len(t, pdfTextAnnot.FindAll(pdfData, -1), want, "every comment is a PDF annotation")
			if pdftoppm, err := exec.LookPath("pdftoppm"); err == nil {
				cmd := exec.Command(pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", pdf, filepath.Join(dir, name))
				out, err := cmd.CombinedOutput()
				assert.NoError(t, err, "pdftoppm: %s", out)
			}

			roundDir := filepath.Join(dir, "roundtrip")
			require.NoError(t, os.MkdirAll(roundDir, 0o755))
			back := soffice(t, bin, in, "docx:MS Word 2007 XML", roundDir)
			data, err := os.ReadFile(back)
			require.NoError(t, err)
			d2, err := Read(back, data, DefaultLimits())
			require.NoError(t, err)
			assert.Len(t, readCommentsOrNil(t, d2.comments), want, "every comment survives LibreOffice")
			ranged := 0
			for _, a := range d2.anchors {
				if a.hasStart && a.hasEnd {
					ranged++
				}
			}
			assert.Equal(t, len(cs), ranged, "every new comment keeps its range")
		})
	}
}
