package plan

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestSourcePositions(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		find       string // the span to look up (first occurrence)
		want       Span
	}{
		{"lf", "一、总体要求\n1.加强管理。\n", "加强", Span{Position{Line: 2, Col: 3, Offset: 21}, Position{Line: 2, Col: 5, Offset: 27}}},
		{"crlf", "一、总体要求\r\n1.加强管理。\r\n", "加强", Span{Position{Line: 2, Col: 3, Offset: 22}, Position{Line: 2, Col: 5, Offset: 28}}},
		{"cr", "一、总体要求\r1.加强管理。\r", "加强", Span{Position{Line: 2, Col: 3, Offset: 21}, Position{Line: 2, Col: 5, Offset: 27}}},
		{"ideographic space keeps columns", "\u3000\u3000加强", "加强", Span{Position{Line: 1, Col: 3, Offset: 6}, Position{Line: 1, Col: 5, Offset: 12}}},
		{"full-width digits", "达到９５％以上", "９５％", Span{Position{Line: 1, Col: 3, Offset: 6}, Position{Line: 1, Col: 6, Offset: 15}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := NewSource(tc.name, []byte(tc.text))
			require.NoError(t, err)
			i := strings.Index(src.Text, tc.find)
			require.GreaterOrEqual(t, i, 0)
			assert.Equal(t, tc.want, src.Span(i, i+len(tc.find)))
		})
	}
}

func TestSourceLines(t *testing.T) {
	src, err := NewSource("t", []byte("a\r\nb\rc\n\nd"))
	require.NoError(t, err)
	assert.Equal(t, 5, src.LineCount())
	for n, want := range []string{"a", "b", "c", "", "d"} {
		assert.Equal(t, want, src.LineText(n+1))
	}
}

// utf16LE encodes s as UTF-16 little endian with a BOM, as Notepad's "Unicode".
func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func utf16BE(s string) []byte {
	out := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}

func gb18030(t testing.TB, s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

func TestSourceEncodings(t *testing.T) {
	const text = "2012年全市卫生工作要点\r\n（一）婴儿死亡率低于6‰。\r\n𠀀\n"
	for _, tc := range []struct {
		name string
		data []byte
		enc  string
	}{
		{"utf8", []byte(text), EncUTF8},
		{"utf8 bom", append([]byte{0xEF, 0xBB, 0xBF}, text...), EncUTF8BOM},
		{"gb18030", gb18030(t, text), EncGB18030},
		{"utf16le", utf16LE(text), EncUTF16LE},
		{"utf16be", utf16BE(text), EncUTF16BE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := NewSource(tc.name, tc.data)
			require.NoError(t, err)
			assert.Equal(t, tc.enc, src.Encoding)
			assert.Equal(t, text, src.Text)
			i := strings.Index(src.Text, "低于6‰")
			sp := src.Span(i, i+len("低于6‰"))
			assert.Equal(t, Position{Line: 2, Col: 9}, Position{Line: sp.Start.Line, Col: sp.Start.Col})
			assert.Equal(t, 13, sp.End.Col)
			// The offsets address the same characters in the original bytes.
			assert.Equal(t, "低于6‰", decodeAs(t, tc.enc, tc.data[sp.Start.Offset:sp.End.Offset]))
			j := strings.Index(src.Text, "𠀀")
			sp = src.Span(j, j+len("𠀀"))
			assert.Equal(t, "𠀀", decodeAs(t, tc.enc, tc.data[sp.Start.Offset:sp.End.Offset]))
			assert.Equal(t, len(tc.data), src.Pos(len(src.Text)).Offset)
		})
	}
}

// decodeAs decodes a slice of original bytes with the named encoding.
func decodeAs(t testing.TB, enc string, b []byte) string {
	switch enc {
	case EncGB18030:
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		require.NoError(t, err)
		return string(out)
	case EncUTF16LE, EncUTF16BE:
		units := make([]uint16, len(b)/2)
		for i := range units {
			if enc == EncUTF16LE {
				units[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
			} else {
				units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
			}
		}
		return string(utf16.Decode(units))
	}
	return string(b)
}

func TestSourceBadInput(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	elf := []byte("\x7fELF\x02\x01\x01\x00\x00\x00")
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"png", png, ErrBinary},
		{"elf", elf, ErrBinary},
		{"nul in text", []byte("一、总体\x00要求"), ErrBinary},
		{"invalid bytes", []byte("一、总体要求\xff\xfe\xfd"), ErrEncoding},
		{"utf16 odd length", []byte{0xFF, 0xFE, 0x41}, ErrEncoding},
		{"utf16 lone surrogate", []byte{0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00}, ErrEncoding},
		{"control characters", []byte("abc\x01\x02def"), ErrBinary},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewSource(tc.name, tc.data)
			assert.True(t, errors.Is(err, tc.want), "got %v, want %v", err, tc.want)
		})
	}
}

func TestReadSourceLimit(t *testing.T) {
	data := bytes.Repeat([]byte("加强管理。\n"), 100)
	_, err := ReadSource("big", bytes.NewReader(data), int64(len(data)-1))
	assert.ErrorIs(t, err, ErrTooLarge)
	src, err := ReadSource("fits", bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	assert.Equal(t, 101, len(src.lineStarts))
}

func TestSourceLongLine(t *testing.T) {
	line := strings.Repeat("加", 1<<20/3)
	src, err := NewSource("long", []byte(line+"\n"))
	require.NoError(t, err)
	end := src.Pos(len(line))
	assert.Equal(t, Position{Line: 1, Col: 1<<20/3 + 1, Offset: len(line)}, end)
}

// Found by FuzzExtract: a four-byte GB18030 form outside the mapped
// ranges once decoded to more runes than characters and broke the index.
func TestSourceGB18030Unmapped(t *testing.T) {
	_, err := NewSource("x", []byte("\xef0\x890"))
	assert.ErrorIs(t, err, ErrEncoding)
}
