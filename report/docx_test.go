package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	plancheck "github.com/plancheck/plancheck"
	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/docx"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// oneDocument lists the formats that write the document of a single input.
var oneDocument = map[string]bool{"docx": true}

// zipPart returns the named entry of a package, nil when absent.
func zipPart(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		require.NoError(t, err)
		defer rc.Close()
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		return b
	}
	return nil
}

// wordComment is one comment read back from a written package: its
// signature and text from comments.xml, and from document.xml where its
// range starts (1-based paragraph, characters of it before the range) and
// the text between its range markers, paragraphs joined by a line end.
type wordComment struct {
	ID, Author, Initials, Date string
	Text                       string
	Para, Char                 int
	Anchored                   string
}

// readWordComments reads the comments of a package and the text each one
// anchors. It walks document.xml as the docx reader does: text of w:t,
// w:tab and w:noBreakHyphen in runs, w:br and w:cr as line ends, deleted
// text, drawings and pictures skipped. Paragraphs are joined by a line
// end, as in the rendering.
func readWordComments(t *testing.T, data []byte) []wordComment {
	t.Helper()
	var cx struct {
		Comments []struct {
			ID       string `xml:"id,attr"`
			Author   string `xml:"author,attr"`
			Initials string `xml:"initials,attr"`
			Date     string `xml:"date,attr"`
			Paras    []struct {
				Texts []string `xml:"r>t"`
			} `xml:"p"`
		} `xml:"comment"`
	}
	part := zipPart(t, data, "word/comments.xml")
	require.NotNil(t, part, "no comments part")
	require.NoError(t, xml.Unmarshal(part, &cx))

	type open struct {
		para, char int
		text       strings.Builder
	}
	ranges := map[string]*open{}
	var active []*open
	para, char, skip := 0, 0, 0
	var stack []string
	add := func(s string, chars int) {
		char += chars
		for _, o := range active {
			o.text.WriteString(s)
		}
	}
	id := func(se xml.StartElement) string {
		for _, a := range se.Attr {
			if a.Name.Local == "id" {
				return a.Value
			}
		}
		return ""
	}
	dec := xml.NewDecoder(bytes.NewReader(zipPart(t, data, "word/document.xml")))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		switch tok := tok.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, tok.Name.Local)
			switch name := tok.Name.Local; {
			case skip > 0 || name == "drawing" || name == "pict" || name == "AlternateContent" || name == "del" || name == "moveFrom":
				skip++
			case name == "p":
				para, char = para+1, 0
			case name == "commentRangeStart":
				o := &open{para: para, char: char}
				ranges[id(tok)] = o
				active = append(active, o)
			case name == "commentRangeEnd":
				o := ranges[id(tok)]
				require.NotNil(t, o, "range %s ends before it starts", id(tok))
				for i, a := range active {
					if a == o {
						active = append(active[:i], active[i+1:]...)
						break
					}
				}
			case parent != "r":
			case name == "tab":
				add("\t", 1)
			case name == "noBreakHyphen":
				add("-", 1)
			case name == "br" || name == "cr":
				typ := ""
				for _, a := range tok.Attr {
					if a.Name.Local == "type" {
						typ = a.Value
					}
				}
				if typ == "" || typ == "textWrapping" {
					add("\v", 0)
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			switch {
			case skip > 0:
				skip--
			case tok.Name.Local == "p":
				add("\n", 0)
			}
		case xml.CharData:
			if skip == 0 && len(stack) > 0 && stack[len(stack)-1] == "t" {
				add(string(tok), utf8.RuneCount(tok))
			}
		}
	}

	var out []wordComment
	for _, c := range cx.Comments {
		var lines []string
		for _, p := range c.Paras {
			lines = append(lines, strings.Join(p.Texts, ""))
		}
		wc := wordComment{ID: c.ID, Author: c.Author, Initials: c.Initials, Date: c.Date, Text: strings.Join(lines, "\n")}
		if o := ranges[c.ID]; o != nil {
			// A break is no character of the paragraph: a range ending
			// just before one may end after it.
			wc.Para, wc.Char = o.para, o.char
			wc.Anchored = strings.ReplaceAll(strings.TrimRight(o.text.String(), "\v"), "\v", "\n")
		}
		out = append(out, wc)
	}
	return out
}

func TestDocxPlainText(t *testing.T) {
	f := testFiles(t)[0]
	cases := []struct {
		name                   string
		opt                    Options
		author, initials, date string
	}{
		{"defaults", Options{}, "plancheck", "PC", ""},
		{"signed", Options{Author: "市卫生健康委办公室", Initials: "WJW", Date: "2024-03-01"}, "市卫生健康委办公室", "WJW", "2024-03-01T00:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, "docx", tc.opt, []File{f})
			d, err := docx.Read("out.docx", out, docx.DefaultLimits())
			require.NoError(t, err)
			require.Equal(t, f.Source.LineCount(), d.Paragraphs())
			for n := 1; n <= d.Paragraphs(); n++ {
				assert.Equal(t, f.Source.LineText(n), d.ParaText(n), "paragraph %d is line %d", n, n)
			}
			cs := readWordComments(t, out)
			require.Len(t, cs, len(f.Findings))
			for i, c := range cs {
				fd := f.Findings[i]
				assert.Equal(t, fd.Excerpt, c.Anchored, "comment %d anchors its finding's span", i+1)
				assert.Equal(t, fd.Start.Line, c.Para, "comment %d", i+1)
				assert.Equal(t, fd.Start.Col-1, c.Char, "comment %d", i+1)
				assert.Equal(t, messageWithSuggestion(fd)+"\n["+fd.RuleID+"]", c.Text)
				assert.Equal(t, tc.author, c.Author)
				assert.Equal(t, tc.initials, c.Initials)
				assert.Equal(t, tc.date, c.Date)
			}
		})
	}
}

// TestDocxLineAnchors covers spans the text's paragraphs cannot hold as
// they are: at the very end of a text ending in a line end, and without a
// position at all.
func TestDocxLineAnchors(t *testing.T) {
	src, err := plan.NewSource("a.txt", []byte("一、任务\n推进改革。\n"))
	require.NoError(t, err)
	end := len(src.Text)
	s, e := spanOf(t, src, "改革。\n")
	fds := []rules.Finding{
		{RuleID: "doc-a", Message: "no position"},
		finding(t, src, s, e, "x-b", rules.Info, "through the last line end", ""),
		finding(t, src, end, end, "x-c", rules.Info, "at the end", ""),
	}
	cs := readWordComments(t, render(t, "docx", Options{}, []File{{Name: src.Name, Source: src, Findings: fds}}))
	require.Len(t, cs, 3)
	assert.Equal(t, wordComment{Para: 1, Char: 0, Anchored: ""}, wordComment{Para: cs[0].Para, Char: cs[0].Char, Anchored: cs[0].Anchored})
	assert.Equal(t, wordComment{Para: 2, Char: 2, Anchored: "改革。"}, wordComment{Para: cs[1].Para, Char: cs[1].Char, Anchored: cs[1].Anchored})
	assert.Equal(t, wordComment{Para: 2, Char: 5, Anchored: ""}, wordComment{Para: cs[2].Para, Char: cs[2].Char, Anchored: cs[2].Anchored})
}

// wordFinding makes a finding on a Word rendering's decoded range.
func wordFinding(t *testing.T, src *plan.Source, s, e int, msg string) rules.Finding {
	return finding(t, src, s, e, "x-word", rules.Warning, msg, "改")
}

// ownText is the document's own text from one position to another
// (paragraph text only: no numbering labels, no table layout), paragraphs
// joined by a line end: what a comment on the span can anchor.
func ownText(d *docx.Document, s, e plan.Position) string {
	if s.Para == e.Para {
		return string([]rune(d.ParaText(s.Para))[s.ParaChar-1 : e.ParaChar-1])
	}
	parts := []string{string([]rune(d.ParaText(s.Para))[s.ParaChar-1:])}
	for p := s.Para + 1; p < e.Para; p++ {
		parts = append(parts, d.ParaText(p))
	}
	return strings.Join(append(parts, string([]rune(d.ParaText(e.Para))[:e.ParaChar-1])), "\n")
}

// TestDocxWordFixtures comments every paragraph of the fixture documents:
// the end of each line, a point at each line start, a span over each pair
// of paragraphs, and spans on the lines of a table's layout that are no
// paragraph. Every finding gets a comment, anchored on its exact span.
func TestDocxWordFixtures(t *testing.T) {
	paths, err := filepath.Glob("../fixtures/docx/*.docx")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			d, err := docx.Read(path, data, docx.DefaultLimits())
			require.NoError(t, err)
			src := d.Source()

			var fds []rules.Finding
			// want is the text each comment must anchor, by finding.
			want := map[string]string{}
			key := func(fd rules.Finding) string { return fmt.Sprint(fd.Span, fd.Message) }
			add := func(fd rules.Finding, anchored string) {
				fds = append(fds, fd)
				want[key(fd)] = anchored
			}
			lineEnd := func(l int) int { return src.LineStart(l) + len(src.LineText(l)) }
			nonPara := 0
			for l := 1; l <= src.LineCount(); l++ {
				ls, le := src.LineStart(l), lineEnd(l)
				if src.Pos(ls).Para == 0 {
					// A point on a table's blank line lands at the start of
					// the next paragraph; a span ending on it, at the end
					// of the paragraph before.
					nonPara++
					add(wordFinding(t, src, ls, ls, "blank line"), "")
					if l > 1 && src.Pos(src.LineStart(l-1)).Para > 0 && src.LineText(l-1) != "" {
						_, size := utf8.DecodeLastRuneInString(src.LineText(l - 1))
						fd := wordFinding(t, src, lineEnd(l-1)-size, ls, "into a blank line")
						add(fd, strings.TrimRight(fd.Excerpt, "\r\n"))
					}
					continue
				}
				add(wordFinding(t, src, ls, ls, "line start"), "")
				// The last three characters of the line.
				s := le
				for k := 0; k < 3 && s > ls; k++ {
					_, size := utf8.DecodeLastRuneInString(src.Text[ls:s])
					s -= size
				}
				if fd := wordFinding(t, src, s, le, "line end"); fd.Excerpt != "" && fd.Excerpt == ownText(d, fd.Start, fd.End) {
					add(fd, fd.Excerpt)
				}
				// From the line's last character into the next line's second.
				if l < src.LineCount() && le > ls && src.Pos(src.LineStart(l+1)).Para > 0 {
					_, size := utf8.DecodeLastRuneInString(src.Text[ls:le])
					e := src.LineStart(l + 1)
					for k := 0; k < 2 && e < lineEnd(l+1); k++ {
						_, n := utf8.DecodeRuneInString(src.Text[e:])
						e += n
					}
					if fd := wordFinding(t, src, le-size, e, "two lines"); fd.Excerpt == ownText(d, fd.Start, fd.End) {
						add(fd, fd.Excerpt)
					}
				}
			}
			require.NotEmpty(t, fds)
			f := File{Name: path, Source: src, Doc: d, Findings: rules.SortFindings(fds)}
			out := render(t, "docx", Options{}, []File{f})
			d2, err := docx.Read("out.docx", out, docx.DefaultLimits())
			require.NoError(t, err)
			assert.Equal(t, src.Text, d2.Source().Text, "comments do not change the text")
			cs := readWordComments(t, out)
			require.Len(t, cs, len(f.Findings))
			blank := 0
			for i, c := range cs {
				fd := f.Findings[i]
				assert.Equal(t, want[key(fd)], c.Anchored, "comment %d (%s at %d:%d)", i+1, fd.Message, fd.Start.Line, fd.Start.Col)
				switch {
				case fd.Message == "blank line":
					// A point at the start of the next paragraph.
					blank++
					next := fd.Start.Line + 1
					for src.Pos(src.LineStart(next)).Para == 0 {
						next++
					}
					assert.Equal(t, src.Pos(src.LineStart(next)).Para, c.Para, "comment %d", i+1)
					assert.Equal(t, 0, c.Char, "comment %d", i+1)
				case fd.Excerpt == c.Anchored:
					assert.Equal(t, fd.Start.Para, c.Para, "comment %d", i+1)
					assert.Equal(t, fd.Start.ParaChar-1, c.Char, "comment %d", i+1)
				}
			}
			assert.Equal(t, nonPara, blank)
		})
	}
}

// TestDocxRealFindings comments the findings of the built-in rules on
// Word drafts: every finding gets a comment, and a comment within one
// paragraph anchors the finding's excerpt less what the rendering adds
// before the paragraph's text (its numbering label, a table cell's tab).
func TestDocxRealFindings(t *testing.T) {
	set, err := rules.LoadBuiltin(plancheck.DefaultRules, plancheck.DefaultRulesName)
	require.NoError(t, err)
	ck := checker.New(set)
	paths, err := filepath.Glob("../fixtures/docx/*.docx")
	require.NoError(t, err)
	shared, err := filepath.Glob("../../shared/docx/*.docx")
	require.NoError(t, err)
	if len(shared) == 0 {
		t.Log("../shared/docx absent: fixtures only")
	}
	checked := 0
	for _, path := range append(paths, shared...) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			in, err := checker.ReadInput(path, data)
			require.NoError(t, err)
			require.NotNil(t, in.Doc)
			fds, _ := ck.Check(plan.Parse(in.Source, &set.Vocab))
			if len(fds) == 0 {
				t.Skip("no findings")
			}
			out := render(t, "docx", Options{}, []File{{Name: path, Source: in.Source, Doc: in.Doc, Findings: fds}})
			// Comments already in the draft come first.
			cs := readWordComments(t, out)
			require.GreaterOrEqual(t, len(cs), len(fds))
			cs = cs[len(cs)-len(fds):]
			for i, c := range cs {
				fd := fds[i]
				if fd.Start.Para == 0 || fd.Start.Para != fd.End.Para {
					continue
				}
				checked++
				label := utf8.RuneCountInString(in.Doc.Label(fd.Start.Para)) + 1
				assert.True(t, strings.HasSuffix(fd.Excerpt, c.Anchored), "comment %d: %q anchors %q", i+1, fd.Excerpt, c.Anchored)
				assert.LessOrEqual(t, utf8.RuneCountInString(fd.Excerpt)-utf8.RuneCountInString(c.Anchored), label, "comment %d: %q anchors %q", i+1, fd.Excerpt, c.Anchored)
			}
		})
	}
	assert.Positive(t, checked, "no finding within one paragraph")
}

func TestDocxOneInput(t *testing.T) {
	files := testFiles(t)
	start := func(t *testing.T, opt Options) Formatter {
		f, err := New("docx", &bytes.Buffer{}, opt)
		require.NoError(t, err)
		require.NoError(t, f.Start())
		return f
	}
	t.Run("none", func(t *testing.T) {
		assert.EqualError(t, start(t, Options{}).Finish(), errOneDocument.Error())
	})
	t.Run("two", func(t *testing.T) {
		f := start(t, Options{})
		require.NoError(t, f.File(files[0]))
		assert.EqualError(t, f.File(files[2]), "the docx format writes one document: give one input")
	})
	t.Run("unreadable", func(t *testing.T) {
		err := start(t, Options{}).File(files[1])
		require.Error(t, err)
		assert.ErrorIs(t, err, plan.ErrBinary)
		assert.Contains(t, err.Error(), files[1].Name)
	})
	t.Run("no source", func(t *testing.T) {
		assert.Error(t, start(t, Options{}).File(File{Name: "a.txt"}))
	})
	t.Run("bad date", func(t *testing.T) {
		f, err := New("docx", &bytes.Buffer{}, Options{Date: "2024/3/1"})
		require.NoError(t, err)
		assert.EqualError(t, f.Start(), `date "2024/3/1": want YYYY-MM-DD`)
	})
}

// TestDocxGolden keeps a text dump of the comments written for the golden
// input's text file (the zip itself is binary).
func TestDocxGolden(t *testing.T) {
	opt := testOptions
	opt.Author, opt.Initials, opt.Date = "市卫生健康委办公室", "WJW", "2024-03-01"
	out := render(t, "docx", opt, testFiles(t)[:1])
	var b strings.Builder
	for _, c := range readWordComments(t, out) {
		fmt.Fprintf(&b, "comment %s at paragraph %d after %d characters, by %s (%s) %s\n  anchored: %q\n  text: %q\n",
			c.ID, c.Para, c.Char, c.Author, c.Initials, c.Date, c.Anchored, c.Text)
	}
	checkGolden(t, "docx", []byte(b.String()))
}

// checkGolden compares got with testdata/golden/name.golden, or rewrites
// the file under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./report -update to create it")
	assert.Equal(t, string(want), string(got))
}
