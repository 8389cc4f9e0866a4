package plan

import (
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// walkPos is Source.Pos as first written: find the line, then decode it
// from its start. Pos must agree with it at every offset, character
// boundary or not.
func walkPos(s *Source, off int) Position {
	line := sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off })
	start := s.lineStarts[line-1]
	o := s.origLineStarts[line-1]
	col := 1
	identity := s.identity()
	for i := start; i < off; {
		r, n := utf8.DecodeRuneInString(s.Text[i:])
		if !identity {
			o += s.origWidth(r, o)
		}
		i += n
		col++
	}
	if identity {
		o = off + s.bomLen()
	}
	p := Position{Line: line, Col: col, Offset: o}
	if line-1 < len(s.paraLines) {
		if pl := s.paraLines[line-1]; pl.Para > 0 {
			p.Para = pl.Para
			p.ParaChar = max(col-pl.Prefix, 1) + pl.Base
		}
	}
	return p
}

func TestPosAtEveryOffset(t *testing.T) {
	// Lines shorter and far longer than a mark's block, every line end,
	// ASCII, Chinese, a four-byte character, blank lines.
	long := strings.Repeat("加强a管理𠀀，", 60)
	text := "一、总体要求\r\n1.加强管理。\r2." + long + "\n\n\t序号\r\n" + long + "x"
	sources := map[string]*Source{}
	for name, data := range map[string][]byte{
		"utf8": []byte(text), "bom": append([]byte{0xEF, 0xBB, 0xBF}, text...),
		"gb18030": gb18030(t, text), "utf16le": utf16LE(text), "utf16be": utf16BE(text),
		"one long line": []byte(long + long),
	} {
		src, err := NewSource(name, data)
		require.NoError(t, err)
		sources[name] = src
	}
	doc := strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := make([]ParaLine, strings.Count(doc, "\n")+1)
	for i := range lines {
		lines[i] = ParaLine{Para: i + 1, Prefix: i % 2, Base: i % 3}
	}
	sources["document"] = NewDocSource("doc", "DOCX", doc, nil, lines)
	sources["document, invalid UTF-8"] = NewDocSource("bad", "DOCX", "加强\xff管\x80理\n"+long+"\xe5", nil, []ParaLine{{Para: 1}, {Para: 2}})
	for name, src := range sources {
		for off := 0; off <= len(src.Text); off++ {
			require.Equal(t, walkPos(src, off), src.Pos(off), "%s at %d", name, off)
		}
	}
}

// TestPosLongLine checks that a position costs a walk of at most one
// block, whatever the line's length: every block of a 1 MB line has its
// mark.
func TestPosLongLine(t *testing.T) {
	line := strings.Repeat("加强管理a", 1<<20/13)
	src, err := NewSource("long", []byte(line))
	require.NoError(t, err)
	require.Len(t, src.marks, (len(line)-1)>>posShift+1)
	for k, m := range src.marks {
		require.GreaterOrEqual(t, m.dec, k<<posShift)
		require.Less(t, m.dec, k<<posShift+utf8.UTFMax)
		require.True(t, utf8.RuneStart(line[m.dec]) || m.dec == len(line))
	}
	require.Equal(t, Position{Line: 1, Col: utf8.RuneCountInString(line) + 1, Offset: len(line)}, src.Pos(len(line)))
}
