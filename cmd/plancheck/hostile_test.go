package main

// The hostile-input suite (issue 8): inputs made to crash, hang or exhaust
// plancheck. Every case has one exact outcome: its exit code, what stderr
// says (one line naming the file), no panic, the input left as it was, a
// bounded run time and, where it matters, bounded memory. Small inputs are
// committed in fixtures/hostile (README.md there has the table); large
// ones are generated here into t.TempDir().

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/plancheck/plancheck/docx"
	"github.com/plancheck/plancheck/plan"
)

const (
	hostileDir = "../../fixtures/hostile"
	// hostileLimit is the longest any single run may take: a run still
	// going after it counts as a hang.
	hostileLimit = 60 * time.Second
)

// hostileDraft is the well-formed plan the text fixtures are made from,
// so that the only thing wrong with each is what the fixture is about.
const hostileDraft = "关于2024年卫生健康工作要点\n" +
	"一、基层卫生\n" +
	"1.加强基层卫生服务能力建设，培训乡村医生100名（责任单位：基层卫生科；完成时限：2024年6月底前）。\n" +
	"2.推进家庭医生签约服务，重点人群签约率达到75%（责任单位：基层卫生科；完成时限：2024年9月底前）。\n"

// draftLines are hostileDraft's lines, line ends kept.
func draftLines() []string { return strings.SplitAfter(strings.TrimSuffix(hostileDraft, "\n"), "\n") }

// insertInLine3 puts b into hostileDraft after the first 6 bytes of its
// third line (after "1.加强"), so that the odd byte sits mid-file.
func insertInLine3(b string) []byte {
	ls := draftLines()
	ls[2] = ls[2][:len("1.加强")] + b + ls[2][len("1.加强"):]
	return []byte(strings.Join(ls, ""))
}

func gbk(t *testing.T, s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

// utf16NoBOM encodes s as UTF-16 without a byte order mark.
func utf16NoBOM(s string, bigEndian bool) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	if bigEndian {
		order = binary.BigEndian
	}
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = order.AppendUint16(b, u)
	}
	return b
}

// pngHeader is a PNG's signature and a complete IHDR chunk of a 16×16 image.
func pngHeader() []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, 16)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 16)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // depth, RGBA, compression, filter, interlace
	b = binary.BigEndian.AppendUint32(b, uint32(len(ihdr)-4))
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

// elfHeader is the 64-byte header of an x86-64 Linux executable.
func elfHeader() []byte {
	le := binary.LittleEndian
	b := []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	b = le.AppendUint16(b, 2)        // ET_EXEC
	b = le.AppendUint16(b, 0x3E)     // EM_X86_64
	b = le.AppendUint32(b, 1)        // EV_CURRENT
	b = le.AppendUint64(b, 0x401000) // entry
	b = le.AppendUint64(b, 64)       // program headers right after
	b = le.AppendUint64(b, 0)        // no section headers
	b = le.AppendUint32(b, 0)        // flags
	for _, v := range []uint16{64, 56, 1, 64, 0, 0} {
		b = le.AppendUint16(b, v)
	}
	return b
}

// numberingStyles are the eight numbering families, outermost first, as
// plan/parse.go knows them; numbering50 cycles through them.
var numberingStyles = []func(n int) string{
	func(n int) string { return cnNumeral(n) + "、" },
	func(n int) string { return "（" + cnNumeral(n) + "）" },
	func(n int) string { return strconv.Itoa(n) + "." },
	func(n int) string { return "（" + strconv.Itoa(n) + "）" },
	func(n int) string { return string(rune('①' + n - 1)) },
	func(n int) string { return strconv.Itoa(n) + "、" },
	func(n int) string { return strconv.Itoa(n) + ")" },
	func(n int) string { return cnNumeral(n) + "是" },
}

func cnNumeral(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return d[n]
	case n < 20:
		return "十" + d[n%10]
	}
	return d[n/10] + "十" + d[n%10]
}

// numbering50 is a plan whose numbering goes 50 levels down, cycling
// through the eight styles: line k+2 has style k%8, so every eighth line
// opens a new top-level section (二、, 三、…) and the others open one level
// deeper under the line before.
func numbering50() []byte {
	var b strings.Builder
	b.WriteString("关于2024年卫生健康工作要点\n")
	for k := range 50 {
		s, n := k%len(numberingStyles), 1
		if s == 0 {
			n = k/len(numberingStyles) + 1
		}
		fmt.Fprintf(&b, "%s加强第%d层工作（责任单位：医政科；完成时限：2024年6月底前）。\n", numberingStyles[s](n), k+1)
	}
	return []byte(b.String())
}

const (
	docXMLHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`
	docXMLTail   = `</w:body></w:document>`
	contentTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`
	// bombBytes is what zip-bomb.docx's document inflates to: just over
	// the 50 MiB a part may have. Deflate compresses at most about 1000:1,
	// so the smallest package that inflates past the limit is ~50 KB.
	bombBytes = 52 << 20
)

// zipPart is one entry of a package made by buildPackage; body writes its
// data, so that a bomb is never held in memory.
type zipPart struct {
	name string
	body func(w io.Writer) error
}

func stringPart(name, s string) zipPart {
	return zipPart{name, func(w io.Writer) error { _, err := io.WriteString(w, s); return err }}
}

// buildPackage deflates parts at the best compression into a zip.
func buildPackage(t *testing.T, parts ...zipPart) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate})
		require.NoError(t, err)
		require.NoError(t, p.body(w))
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// lyingPackage holds a document part whose header declares declared bytes
// while it inflates to all of data.
func lyingPackage(t *testing.T, data []byte, declared uint64) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, fw.Close())
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(data), CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared})
	require.NoError(t, err)
	_, err = w.Write(comp.Bytes())
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// ruleFile is a one-rule file; check and message are TOML literal strings.
func ruleFile(id, scope, check, message string) string {
	return fmt.Sprintf("[[rule]]\nid = %q\ntitle = \"hostile\"\nseverity = \"warning\"\nscope = %q\ncheck = '%s'\nmessage = '%s'\n", id, scope, check, message)
}

// hostileFixtures makes the committed files of fixtures/hostile. The
// packages are large to make (a bomb inflates to 52 MiB), so they are
// made only when asked for.
func hostileFixtures(t *testing.T, withPackages bool) map[string][]byte {
	t.Helper()
	ls := draftLines()
	fx := map[string][]byte{
		"empty.txt":             {},
		"whitespace.txt":        []byte("  \u3000\u3000\n\n\t \n\u3000\r\n   "),
		"png-header.txt":        pngHeader(),
		"elf-header.txt":        elfHeader(),
		"nul-in-text.txt":       insertInLine3("\x00"),
		"escape-in-text.txt":    insertInLine3("\x1b[31m"),
		"invalid-utf8.txt":      insertInLine3("\xff"),
		"mixed-utf8-gbk.txt":    append([]byte(ls[0]+ls[1]), gbk(t, ls[2]+ls[3])...),
		"mixed-gbk-utf8.txt":    append(gbk(t, ls[0]+ls[1]), ls[2]+ls[3]...),
		"utf16le-no-bom.txt":    utf16NoBOM(hostileDraft, false),
		"utf16be-no-bom.txt":    utf16NoBOM(hostileDraft, true),
		"numbering-50-deep.txt": numbering50(),
		"deep-expression-brackets.toml": []byte(ruleFile("hostile-deep-brackets", "document",
			strings.Repeat("(", 10_000)+"true"+strings.Repeat(")", 10_000), "x")),
		"deep-expression-not.toml": []byte(ruleFile("hostile-deep-not", "document", strings.Repeat("!", 10_000)+"true", "x")),
		"backtracking-regexp.toml": []byte(ruleFile("hostile-backtrack", "paragraph", `paragraph.text matches "(a+)+$"`, "段落以一串a结尾")),
		"budget-rules.toml": []byte(ruleFile("hostile-template-1gb", "document", "true", `{{ repeat("x", 1000000000) }}`) + "\n" +
			ruleFile("hostile-check-1gb", "document", `len(repeat("ab", 600000000)) > 0`, "x") + "\n" +
			ruleFile("hostile-array-1e8", "document", `len(join(map(1..100000000, "xxxxxxxxxx"), "")) > 0`, "x")),
		"toml-deep-inline.toml": []byte("x = " + strings.Repeat("{a=", 10_000) + "1" + strings.Repeat("}", 10_000) + "\n"),
		"toml-long-key.toml":    []byte(strings.Repeat("a.", 16_000) + "a = 1\n"),
	}
	if withPackages {
		fx["zip-bomb.docx"] = buildPackage(t, stringPart("[Content_Types].xml", contentTypes), zipPart{"word/document.xml", func(w io.Writer) error {
			if _, err := io.WriteString(w, docXMLHead); err != nil {
				return err
			}
			chunk := bytes.Repeat([]byte(" "), 1<<20)
			for range bombBytes >> 20 {
				if _, err := w.Write(chunk); err != nil {
					return err
				}
			}
			_, err := io.WriteString(w, docXMLTail)
			return err
		}})
		laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">`
		for i := 1; i <= 9; i++ {
			prev := "lol"
			if i > 1 {
				prev = "lol" + strconv.Itoa(i-1)
			}
			laughs += `<!ENTITY lol` + strconv.Itoa(i) + ` "` + strings.Repeat("&"+prev+";", 10) + `">`
		}
		laughs += `]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`
		fx["billion-laughs.docx"] = buildPackage(t, stringPart("[Content_Types].xml", contentTypes), stringPart("word/document.xml", laughs))
		fx["deep-xml.docx"] = buildPackage(t, stringPart("[Content_Types].xml", contentTypes), stringPart("word/document.xml",
			docXMLHead+strings.Repeat("<w:sdt>", 100_000)+strings.Repeat("</w:sdt>", 100_000)+docXMLTail))
	}
	return fx
}

// TestHostileFixtures keeps fixtures/hostile what its generator and its
// README say: -update rewrites the files, else the text files must be the
// generator's bytes and the packages must have the properties they are
// there for (a compressed encoding may change with the Go version). Every
// file has a README row and a test case.
func TestHostileFixtures(t *testing.T) {
	fx := hostileFixtures(t, *update)
	if *update {
		require.NoError(t, os.MkdirAll(hostileDir, 0o755))
		for name, data := range fx {
			require.NoError(t, os.WriteFile(filepath.Join(hostileDir, name), data, 0o644))
		}
	}
	for name, data := range fx {
		have, err := os.ReadFile(filepath.Join(hostileDir, name))
		require.NoError(t, err)
		assert.Equal(t, data, have, "%s is stale: run go test ./cmd/plancheck -run TestHostileFixtures -update", name)
	}

	lim := docx.DefaultLimits()
	part := func(name string) (*zip.File, []byte) {
		data, err := os.ReadFile(filepath.Join(hostileDir, name))
		require.NoError(t, err)
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		require.NoError(t, err)
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				return f, data
			}
		}
		require.FailNow(t, name+" has no word/document.xml")
		return nil, nil
	}
	bomb, data := part("zip-bomb.docx")
	assert.Less(t, len(data), 64<<10, "the bomb is small")
	assert.Greater(t, bomb.UncompressedSize64, uint64(lim.MaxEntryBytes), "the bomb inflates past the limit")
	readPart := func(f *zip.File) string {
		rc, err := f.Open()
		require.NoError(t, err)
		defer rc.Close()
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		return string(b)
	}
	laughs, _ := part("billion-laughs.docx")
	assert.Contains(t, readPart(laughs), "<!ENTITY lol9")
	deep, _ := part("deep-xml.docx")
	assert.Greater(t, strings.Count(readPart(deep), "<w:sdt>"), lim.MaxXMLDepth)

	// Every file is in the README and has a case.
	readme, err := os.ReadFile(filepath.Join(hostileDir, "README.md"))
	require.NoError(t, err)
	tested := map[string]bool{"numbering-50-deep.txt": true}
	for _, c := range hostileInputs {
		tested[c.file] = true
	}
	for _, c := range hostileRuleFiles {
		tested[c.config] = true
	}
	entries, err := os.ReadDir(hostileDir)
	require.NoError(t, err)
	for _, e := range entries {
		if e.Name() == "README.md" {
			continue
		}
		_, generated := fx[e.Name()]
		assert.True(t, generated || strings.HasSuffix(e.Name(), ".docx"), "%s is not made by hostileFixtures", e.Name())
		assert.Contains(t, string(readme), "`"+e.Name()+"`", "README.md has no row for %s", e.Name())
		assert.True(t, tested[e.Name()], "no test case for %s", e.Name())
	}
}

// hostileRun is the outcome of one bounded run.
type hostileRun struct {
	out, errOut string
	code        int
	elapsed     time.Duration
	// allocated is what the process allocated during the run
	// (MemStats.TotalAlloc), meaningful because these tests are serial.
	allocated uint64
}

// runBounded runs the command line like runCLI, but fails the test when it
// takes longer than hostileLimit, panics, or writes panic text.
//
// Memory is measured as the bytes allocated during the run, not by
// sampling the heap: the cumulative count is exact, includes buffers that
// live for less than any sampling period, and bounds every peak from above.
func runBounded(t *testing.T, stdin string, args ...string) hostileRun {
	t.Helper()
	type result struct {
		hostileRun
		panicked any
	}
	done := make(chan result, 1)
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	go func() {
		var out, errOut bytes.Buffer
		code := -1
		defer func() {
			elapsed := time.Since(start)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			done <- result{hostileRun{out.String(), errOut.String(), code, elapsed, after.TotalAlloc - before.TotalAlloc}, recover()}
		}()
		code = run(append([]string{"plancheck"}, args...), strings.NewReader(stdin), &out, &errOut)
	}()
	select {
	case r := <-done:
		require.Nil(t, r.panicked, "plancheck %s panicked", strings.Join(args, " "))
		for _, s := range []string{r.out, r.errOut} {
			assert.NotContains(t, s, "panic:")
			assert.NotContains(t, s, "goroutine ")
		}
		return r.hostileRun
	case <-time.After(hostileLimit):
		t.Fatalf("plancheck %s did not finish within %v", strings.Join(args, " "), hostileLimit)
		return hostileRun{}
	}
}

// assertRefused checks the outcome of an input plancheck must refuse:
// exit 2, one stderr line naming the file once and saying each of want,
// and in a json report the file with its error and no findings.
func assertRefused(t *testing.T, path string, args []string, want ...string) {
	t.Helper()
	for _, format := range []string{"text", "json"} {
		r := runBounded(t, "", append(append([]string{"check", "--format", format}, args...), path)...)
		assert.Equal(t, exitError, r.code, "%s: stderr %q", format, r.errOut)
		errLines := lines(r.errOut)
		if assert.Len(t, errLines, 1, "%s: one line on stderr, got %q", format, r.errOut) {
			assert.True(t, strings.HasPrefix(errLines[0], "plancheck: "+path+": "), "%s: the line starts with the file: %q", format, errLines[0])
			assert.Equal(t, 1, strings.Count(errLines[0], path), "%s: the line names the file once: %q", format, errLines[0])
			for _, w := range want {
				assert.Contains(t, errLines[0], w, format)
			}
		}
		if format == "json" {
			var rep Report
			require.NoError(t, json.Unmarshal([]byte(r.out), &rep), "stdout: %s", r.out)
			if assert.Len(t, rep.Files, 1) {
				assert.Equal(t, path, rep.Files[0].File)
				assert.NotEmpty(t, rep.Files[0].Error)
				assert.Empty(t, rep.Files[0].Findings)
			}
			assert.Equal(t, 1, rep.Summary.Failed)
		}
	}
}

// hostileInput is a committed input fixture and what check must do with it.
type hostileInput struct {
	name string
	file string // in fixtures/hostile
	// want gives the substrings of the stderr line, from the file's bytes:
	// offsets are computed, never typed in.
	want func(data []byte) []string
	bug  string
}

func nulAt(data []byte) []string {
	return []string{plan.ErrBinary.Error(), fmt.Sprintf("NUL byte at offset %d", bytes.IndexByte(data, 0))}
}

// firstBadUTF8 is the offset of the first byte that is not valid UTF-8.
func firstBadUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

var hostileInputs = []hostileInput{
	{"empty", "empty.txt", func([]byte) []string { return []string{plan.ErrEmpty.Error()} }, ""},
	{"only whitespace", "whitespace.txt", func([]byte) []string { return []string{plan.ErrEmpty.Error()} }, ""},
	{"PNG header", "png-header.txt", nulAt, ""},
	{"ELF header", "elf-header.txt", nulAt, ""},
	{"NUL byte in text", "nul-in-text.txt", nulAt, ""},
	{"terminal escape in text", "escape-in-text.txt", func(data []byte) []string {
		return []string{plan.ErrBinary.Error(), fmt.Sprintf("control character at decoded offset %d", bytes.IndexByte(data, 0x1b))}
	}, ""},
	// UTF-16 without a byte order mark cannot be told from binary: its
	// ASCII and CJK characters have NUL bytes.
	{"UTF-16LE without BOM", "utf16le-no-bom.txt", nulAt, ""},
	{"UTF-16BE without BOM", "utf16be-no-bom.txt", nulAt, ""},
	{"invalid UTF-8 mid-file", "invalid-utf8.txt", func([]byte) []string { return []string{plan.ErrEncoding.Error()} }, ""},
	{"UTF-8 then GBK", "mixed-utf8-gbk.txt", func([]byte) []string { return []string{plan.ErrEncoding.Error()} }, ""},
	{"GBK then UTF-8", "mixed-gbk-utf8.txt", func([]byte) []string { return []string{plan.ErrEncoding.Error()} }, ""},
	{"invalid UTF-8 mid-file: offset of the bad byte", "invalid-utf8.txt", func(data []byte) []string {
		return []string{plan.ErrEncoding.Error(), fmt.Sprintf("UTF-8 at byte %d", firstBadUTF8(data))}
	}, ""},
	{"UTF-8 then GBK: offset of the first GBK byte", "mixed-utf8-gbk.txt", func(data []byte) []string {
		return []string{plan.ErrEncoding.Error(), fmt.Sprintf("UTF-8 at byte %d", firstBadUTF8(data))}
	}, ""},
	{"zip bomb", "zip-bomb.docx", func([]byte) []string {
		return []string{docx.ErrTooLarge.Error(), fmt.Sprintf("declares %d bytes, at most %d", bombBytes+len(docXMLHead)+len(docXMLTail), docx.DefaultLimits().MaxEntryBytes)}
	}, ""},
	{"billion laughs", "billion-laughs.docx", func([]byte) []string { return []string{docx.ErrDoctype.Error()} }, ""},
	{"XML 100,000 deep", "deep-xml.docx", func([]byte) []string {
		return []string{docx.ErrXMLDepth.Error(), strconv.Itoa(docx.DefaultLimits().MaxXMLDepth)}
	}, ""},
}

// TestHostileInputs checks each committed hostile input alone: refused
// with exit 2 and one clear line, in both check and inspect.
func TestHostileInputs(t *testing.T) {
	for _, tt := range hostileInputs {
		t.Run(tt.name, func(t *testing.T) {
			if tt.bug != "" {
				t.Skip(tt.bug)
			}
			path := filepath.Join(hostileDir, tt.file)
			protectInputs(t, path)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			want := tt.want(data)
			assertRefused(t, path, nil, want...)

			r := runBounded(t, "", "inspect", path)
			assert.Equal(t, exitError, r.code)
			assert.Empty(t, r.out)
			if errLines := lines(r.errOut); assert.Len(t, errLines, 1, "inspect: %q", r.errOut) {
				assert.Contains(t, errLines[0], path)
				assert.Contains(t, errLines[0], want[0])
			}
		})
	}
}

// A package whose header declares a small size but inflates past it is
// cut off at the declared size: corrupt, not a bomb that runs.
func TestHostileLyingPackage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lying.docx")
	body := append([]byte(docXMLHead), bytes.Repeat([]byte(" "), 10<<20)...)
	require.NoError(t, os.WriteFile(path, lyingPackage(t, append(body, docXMLTail...), 1024), 0o644))
	protectInputs(t, path)
	assertRefused(t, path, nil, docx.ErrCorrupt.Error())
}

// The numbering of numbering-50-deep.txt goes 50 lines down through the
// eight styles: each line is one unit, one level under the line before,
// until a style comes back and closes the levels under it. The run is
// clean: no numbering finding, no error.
func TestHostileDeepNumbering(t *testing.T) {
	path := filepath.Join(hostileDir, "numbering-50-deep.txt")
	protectInputs(t, path)
	r := runBounded(t, "", "check", "--enable", "numbering-*", path)
	assert.Equal(t, exitOK, r.code, r.errOut)
	assert.Empty(t, r.errOut)

	r = runBounded(t, "", "inspect", "--format", "json", path)
	require.Equal(t, exitOK, r.code, r.errOut)
	var doc struct {
		Units []*Unit `json:"units"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.out), &doc))
	type got struct{ line, level, depth int }
	var units []got
	var walk func(us []*Unit, depth int)
	walk = func(us []*Unit, depth int) {
		for _, u := range us {
			if u.Label != "" {
				units = append(units, got{u.Start.Line, u.Level, depth})
			}
			walk(u.Children, depth+1)
		}
	}
	walk(doc.Units, 1)
	var want []got
	for k := range 50 {
		l := k%len(numberingStyles) + 1
		want = append(want, got{k + 2, l, l})
	}
	assert.Equal(t, want, units, "line, level and depth in the tree of every numbered unit")
}

// Brackets nested 10,000 deep in one item: matched, they are no finding;
// one left open is reported at the outermost, the one without a partner.
func TestHostileDeepBrackets(t *testing.T) {
	const head = "一、总则\n1.加强"
	tail := "工作（责任单位：医政科；完成时限：2024年6月底前）。\n"
	tests := []struct {
		name   string
		closes int
		want   []string
	}{
		{"balanced", 10_000, nil},
		{"one open", 9_999, []string{fmt.Sprintf("2:%d-2:%d punct-unbalanced", utf8.RuneCountInString("1.加强")+1, utf8.RuneCountInString("1.加强")+2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "brackets.txt")
			text := head + strings.Repeat("（", 10_000) + "管理" + strings.Repeat("）", tt.closes) + tail
			require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
			protectInputs(t, path)
			r := runBounded(t, "", "check", "--format", "json", path)
			assert.Empty(t, r.errOut)
			var rep Report
			require.NoError(t, json.Unmarshal([]byte(r.out), &rep))
			var have []string
			for _, f := range allFindings(rep) {
				have = append(have, fmt.Sprintf("%d:%d-%d:%d %s", f.Start.Line, f.Start.Col, f.End.Line, f.End.Col, f.Rule))
			}
			assert.Equal(t, tt.want, have)
			wantCode := exitOK
			if len(tt.want) > 0 {
				wantCode = exitFindings
			}
			assert.Equal(t, wantCode, r.code)
		})
	}
}

// A 1 MB line is read and reported with exact positions: the one
// half-width comma near its end is found at its column and byte offset.
func TestHostileLongLine(t *testing.T) {
	body := strings.Repeat("加强基层卫生服务能力建设", 1_000_000/len("加强基层卫生服务能力建设"))
	line := "1." + body + ",培训乡村医生100名（责任单位：医政科；完成时限：2024年6月底前）。\n"
	text := "一、总则\n" + line
	path := filepath.Join(t.TempDir(), "long-line.txt")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	protectInputs(t, path)
	r := runBounded(t, "", "check", "--format", "json", path)
	t.Logf("1 MB line (%d bytes): %v, %d MB allocated", len(line), r.elapsed, r.allocated>>20)
	assert.Equal(t, exitFindings, r.code, r.errOut)
	assert.Empty(t, r.errOut)
	var rep Report
	require.NoError(t, json.Unmarshal([]byte(r.out), &rep))
	comma := strings.IndexByte(line, ',')
	col := utf8.RuneCountInString(line[:comma]) + 1
	off := len("一、总则\n") + comma
	want := ReportFinding{Rule: "punct-halfwidth", Start: ReportPos{2, col, off}, End: ReportPos{2, col + 1, off + 1}, Excerpt: ","}
	fs := allFindings(rep)
	if assert.Len(t, fs, 1) {
		assert.Equal(t, want.Rule, fs[0].Rule)
		assert.Equal(t, want.Start, fs[0].Start)
		assert.Equal(t, want.End, fs[0].End)
		assert.Equal(t, want.Excerpt, fs[0].Excerpt)
	}
}

// writeLazily writes size bytes of draft-like text to path a chunk at a
// time, never holding the file in memory.
func writeLazily(t *testing.T, path string, size int) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	w := bufio.NewWriterSize(f, 1<<20)
	_, err = w.WriteString("一、总则\n")
	require.NoError(t, err)
	line := "1.加强基层医疗卫生服务能力建设，培训乡村医生100名（责任单位：医政科）。\n"
	chunk := strings.Repeat(line, (1<<20)/len(line))
	for n := 0; n < size; n += len(chunk) {
		_, err = w.WriteString(chunk)
		require.NoError(t, err)
	}
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
}

// A 200 MB file is refused above the default limit without being read:
// its size says so (reading it whole would allocate its 200 MB; standard
// input, whose size is unknown, is cut at the limit: TestHostileMaxSize).
func TestHostileHugeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the 200 MB file")
	}
	const size = 200 << 20
	path := filepath.Join(t.TempDir(), "huge.txt")
	writeLazily(t, path, size)
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.GreaterOrEqual(t, st.Size(), int64(size))
	protectInputs(t, path)
	r := runBounded(t, "", "check", path)
	t.Logf("200 MB refused in %v, %d MB allocated", r.elapsed, r.allocated>>20)
	assert.Equal(t, exitError, r.code)
	if errLines := lines(r.errOut); assert.Len(t, errLines, 1, r.errOut) {
		assert.Equal(t, fmt.Sprintf("plancheck: %s: %v: more than %d bytes (raise the limit with --max-size)", path, plan.ErrTooLarge, plan.DefaultMaxBytes), errLines[0])
	}
	assert.Less(t, r.allocated, uint64(32<<20), "the file must not be read")
}

// --max-size lowers the limit: a file of exactly the limit is read, one
// byte more is refused, from a file or standard input.
func TestHostileMaxSize(t *testing.T) {
	protectInputs(t, sampleDraft)
	data, err := os.ReadFile(sampleDraft)
	require.NoError(t, err)
	size := strconv.Itoa(len(data))
	less := strconv.Itoa(len(data) - 1)
	want, _, wantCode := checkJSON(t, "", sampleDraft)

	got, errOut, code := checkJSON(t, "", "--max-size", size, sampleDraft)
	assert.Equal(t, wantCode, code)
	assert.Empty(t, errOut)
	assert.Equal(t, want, got, "a file of exactly --max-size bytes is checked as usual")

	assertRefused(t, sampleDraft, []string{"--max-size", less}, plan.ErrTooLarge.Error(), "more than "+less+" bytes", "--max-size")

	r := runBounded(t, string(data), "check", "--max-size", less, "-")
	assert.Equal(t, exitError, r.code)
	assert.Equal(t, []string{fmt.Sprintf("plancheck: <stdin>: %v: more than %s bytes (raise the limit with --max-size)", plan.ErrTooLarge, less)}, lines(r.errOut))

	for _, bad := range []string{"0", "-5"} {
		t.Run(bad, func(t *testing.T) {
			r := runBounded(t, "", "check", "--max-size", bad, sampleDraft)
			assert.Equal(t, exitError, r.code)
			assert.Empty(t, r.out, "a usage error writes nothing on stdout")
			assert.Contains(t, r.errOut, "--max-size")
		})
	}
}

// hundredK writes a plan of 100,000 numbered items (10 sections × 20
// subsections × 500 items), each with its owner and deadline except the
// items numbered in missing (1-based, over the whole plan). It returns
// the line and column where each of those items' text starts.
func hundredK(t *testing.T, path string, missing ...int) map[int]int {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	w := bufio.NewWriterSize(f, 1<<20)
	at := map[int]int{}
	line, n := 0, 0
	for s := 1; s <= 10; s++ {
		fmt.Fprintf(w, "%s第%d部分\n", numberingStyles[0](s), s)
		line++
		for ss := 1; ss <= 20; ss++ {
			fmt.Fprintf(w, "%s第%d方面\n", numberingStyles[1](ss), ss)
			line++
			for i := 1; i <= 500; i++ {
				n++
				line++
				owner := "责任单位：医政科；"
				if slices.Contains(missing, n) {
					owner = ""
					at[line] = utf8.RuneCountInString(strconv.Itoa(i)+".") + 1
				}
				fmt.Fprintf(w, "%d.完成第%d项任务，培训乡村医生%d名（%s完成时限：2024年6月底前）。\n", i, n, n, owner)
			}
		}
	}
	require.Equal(t, 100_000, n)
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
	return at
}

// 100,000 items finish in bounded time, and the result is right where it
// can be checked: the three items without an owner, at the start, the
// middle and the end, are reported at their positions, and nothing is
// reported on any other line.
func TestHostileHundredThousandItems(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the 100,000-item plan")
	}
	path := filepath.Join(t.TempDir(), "items.txt")
	planted := hundredK(t, path, 1, 50_000, 100_000)
	protectInputs(t, path)
	r := runBounded(t, "", "check", "--format", "json", path)
	t.Logf("100,000 items: %v, %d MB allocated", r.elapsed, r.allocated>>20)
	assert.Equal(t, exitFindings, r.code, r.errOut)
	assert.Empty(t, r.errOut)
	var rep Report
	require.NoError(t, json.Unmarshal([]byte(r.out), &rep))
	owners := map[int]int{}
	duplicates := 0
	for _, f := range allFindings(rep) {
		// The items differ only by their numbers: each is a near
		// duplicate of an earlier one, except the first two (the first
		// lacks its owner, so the second has no similar earlier item).
		if f.Rule == "item-duplicate" {
			duplicates++
			continue
		}
		assert.Contains(t, planted, f.Start.Line, "finding on an item that has its owner: %s", f.where())
		if f.Rule == "owner-missing" {
			owners[f.Start.Line] = f.Start.Col
		}
	}
	assert.Equal(t, planted, owners, "owner-missing at line → column")
	assert.Equal(t, 100_000-2, duplicates, "item-duplicate findings")
}

// hostileRuleFile is a committed rule file given with --config.
type hostileRuleFile struct {
	name   string
	config string // in fixtures/hostile
	draft  func(t *testing.T) string
	// code is the exit code; stderr what stderr must say. A load error
	// names the rule file and the line starting with at; a run-time error
	// names the draft and the rule, one line per rule.
	code     int
	atLoad   bool // a load error: stdout empty
	at       string
	stderr   []string
	errLines int // lines on stderr: a load error draws the expression and a caret
	findings []string
	bug      string
}

// longAs is a draft with two lines of 100,000 a's, one ending in "!": the
// input on which (a+)+$ backtracks for ever in a backtracking engine.
func longAs(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "aaa.txt")
	a := strings.Repeat("a", 100_000)
	require.NoError(t, os.WriteFile(path, []byte("一、总则\n"+a+"!\n"+a+"\n"), 0o644))
	return path
}

func sample(*testing.T) string { return sampleDraft }

var hostileRuleFiles = []hostileRuleFile{
	{name: "expression 10,000 brackets deep", config: "deep-expression-brackets.toml", draft: sample, code: exitError, atLoad: true, at: "check =",
		stderr: []string{"hostile-deep-brackets: check: expression longer than 16384 bytes"}, errLines: 1},
	{name: "expression 10,000 operators deep", config: "deep-expression-not.toml", draft: sample, code: exitError, atLoad: true, at: "check =",
		stderr: []string{"hostile-deep-not: check:", "maximum allowed nodes"}, errLines: 3},
	{name: "catastrophic backtracking", config: "backtracking-regexp.toml", draft: longAs, code: exitFindings,
		findings: []string{"3:1-3:100001 hostile-backtrack"}},
	{name: "1 GB template, 1.2 GB string, 10^8 array", config: "budget-rules.toml", draft: sample, code: exitError,
		stderr: []string{"hostile-template-1gb: message", "hostile-check-1gb: check", "work budget", "hostile-array-1e8: check", "memory budget exceeded"}, errLines: 3},
	{name: "TOML inline tables 10,000 deep", config: "toml-deep-inline.toml", draft: sample, code: exitError, atLoad: true, at: "x =", errLines: 1},
	{name: "TOML key of 16,000 parts", config: "toml-long-key.toml", draft: sample, code: exitError, atLoad: true, at: "a.a.", errLines: 1},
}

// Hostile rule files are refused at load, or fail at run time with a
// bounded error per rule; never a hang or a crash.
func TestHostileRuleFiles(t *testing.T) {
	for _, tt := range hostileRuleFiles {
		t.Run(tt.name, func(t *testing.T) {
			if tt.bug != "" {
				t.Skip(tt.bug)
			}
			cfg := filepath.Join(hostileDir, tt.config)
			draft := tt.draft(t)
			protectInputs(t, cfg, draft)
			// Only the hostile rules run: the built-in ones would add their
			// findings to the draft's.
			r := runBounded(t, "", "check", "--format", "json", "--config", cfg, "--enable", "hostile-*", draft)
			t.Logf("%v, %d MB allocated", r.elapsed, r.allocated>>20)
			assert.Equal(t, tt.code, r.code, r.errOut)
			errLines := lines(r.errOut)
			assert.Len(t, errLines, tt.errLines, "stderr: %.500q", r.errOut)
			if tt.atLoad {
				assert.Empty(t, r.out, "nothing is checked with a broken rule file")
				if assert.NotEmpty(t, errLines) {
					assert.True(t, strings.HasPrefix(errLines[0], fmt.Sprintf("plancheck: %s:%d: ", cfg, lineOf(t, cfg, tt.at))),
						"the first line names the rule file and the line at fault: %.300q", errLines[0])
				}
				// A rule file is at most 1 MB: refusing it is quick and cheap.
				assert.Less(t, r.elapsed, 2*time.Second)
				assert.Less(t, r.allocated, uint64(64<<20))
			} else {
				var rep Report
				require.NoError(t, json.Unmarshal([]byte(r.out), &rep))
				var have []string
				for _, f := range allFindings(rep) {
					have = append(have, fmt.Sprintf("%d:%d-%d:%d %s", f.Start.Line, f.Start.Col, f.End.Line, f.End.Col, f.Rule))
				}
				assert.Equal(t, tt.findings, have)
				// Each run-time error is one line naming the draft and the rule.
				for _, l := range errLines {
					assert.True(t, strings.HasPrefix(l, "plancheck: "+draft+":"), "%q", l)
					assert.Contains(t, l, ": hostile-")
				}
			}
			if len(errLines) > 0 {
				for _, s := range tt.stderr {
					assert.Contains(t, strings.Join(errLines, "\n"), s)
				}
			}
		})
	}
}

// One run over a folder holding a good draft and every refused hostile
// input: each bad file gets its one line, and the good draft's findings
// are those it has when checked alone.
func TestHostileFolder(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	copyFile(t, sampleDraft, good)
	var bad []string
	seen := map[string]bool{}
	for _, c := range hostileInputs {
		if c.bug != "" || seen[c.file] {
			continue
		}
		seen[c.file] = true
		p := filepath.Join(dir, c.file)
		copyFile(t, filepath.Join(hostileDir, c.file), p)
		bad = append(bad, p)
	}
	protectInputs(t, append([]string{good}, bad...)...)
	alone := map[string]hostileRun{}
	for _, format := range []string{"json", "text"} {
		alone[format] = runBounded(t, "", "check", "--format", format, good)
		require.Empty(t, alone[format].errOut)
	}
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			r := runBounded(t, "", "check", "--format", format, dir)
			assert.Equal(t, exitError, r.code)
			errLines := lines(r.errOut)
			assert.Len(t, errLines, len(bad), "one line per refused file: %q", r.errOut)
			for _, p := range bad {
				n := 0
				for _, l := range errLines {
					if strings.HasPrefix(l, "plancheck: "+p+": ") {
						n++
					}
				}
				assert.Equal(t, 1, n, "%s is named on one stderr line", p)
			}
			if format == "json" {
				var rep, a Report
				require.NoError(t, json.Unmarshal([]byte(r.out), &rep))
				require.NoError(t, json.Unmarshal([]byte(alone[format].out), &a))
				require.Len(t, rep.Files, len(bad)+1)
				i := slices.IndexFunc(rep.Files, func(f ReportFile) bool { return f.File == good })
				require.GreaterOrEqual(t, i, 0)
				require.NotEmpty(t, a.Files[0].Findings)
				assert.Equal(t, a.Files[0], rep.Files[i], "the good draft's findings are unchanged")
				assert.Equal(t, len(bad), rep.Summary.Failed)
				return
			}
			blocks := strings.Split(alone[format].out, "\n\n")
			require.Greater(t, len(blocks), 1)
			for _, b := range blocks[:len(blocks)-1] {
				assert.Contains(t, r.out, b)
			}
		})
	}
}
