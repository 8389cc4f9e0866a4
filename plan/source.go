package plan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Position is a point in the ORIGINAL input.
//
// Line and Col are 1-based; Col counts characters (Unicode code points, as
// SARIF's "unicodeCodePoints" column kind does), not bytes and not display
// cells. Offset is the byte offset in the original, undecoded input, so a
// GB18030 or UTF-16 file gets offsets into its own bytes.
//
// For a Word document the text is a rendering (one line per paragraph,
// automatic numbering written out); Offset then counts bytes of that
// rendering, and Para and ParaChar locate the character in the document
// itself: the 1-based paragraph index (body and table-cell paragraphs in
// document order) and the 1-based character within the paragraph's own
// text. Both are 0 for plain-text input.
type Position struct {
	Line     int `json:"line" expr:"line"`
	Col      int `json:"col" expr:"col"`
	Offset   int `json:"offset" expr:"offset"`
	Para     int `json:"para,omitempty" expr:"para"`
	ParaChar int `json:"para_char,omitempty" expr:"para_char"`
}

// ParaLine ties one line of a document's text rendering to its paragraph.
type ParaLine struct {
	// Para is the 1-based paragraph index; 0 for a line that is not a
	// paragraph's text (e.g. the blank line between table rows).
	Para int
	// Prefix counts the characters at the start of the line that are not
	// in the paragraph (rendered numbering, a tab marking a table cell).
	Prefix int
	// Base counts the paragraph's characters on earlier lines (a paragraph
	// with a line break is rendered over several lines).
	Base int
}

// Span is a half-open range [Start, End) of the original input: End is the
// position just after the last character, as in SARIF regions.
type Span struct {
	Start Position `json:"start" expr:"start"`
	End   Position `json:"end" expr:"end"`
}

// Encodings the reader recognises, as reported by inspect.
const (
	EncUTF8    = "UTF-8"
	EncUTF8BOM = "UTF-8 (BOM)"
	EncGB18030 = "GB18030"
	EncUTF16LE = "UTF-16LE (BOM)"
	EncUTF16BE = "UTF-16BE (BOM)"
)

// DefaultMaxBytes is the largest input read unless the caller says otherwise.
const DefaultMaxBytes = 50 << 20

// Input errors. They are wrapped with detail; test with errors.Is.
var (
	ErrEmpty    = errors.New("empty input")
	ErrBinary   = errors.New("binary input, not a text document")
	ErrEncoding = errors.New("undecodable text: neither UTF-8, UTF-16 with BOM nor GB18030")
	ErrTooLarge = errors.New("input too large")
)

// Source is a decoded input together with everything needed to map an
// offset in the decoded text back to the original bytes. The original bytes
// are kept so nothing of the input is lost.
type Source struct {
	Name     string
	Encoding string
	// Text is the input decoded to UTF-8, line ends kept as written.
	Text string
	orig []byte
	// lineStarts[i] is the decoded byte offset where line i+1 starts;
	// origLineStarts[i] the same line's start in the original bytes;
	// lineRunes[i] counts the characters of Text before it.
	lineStarts     []int
	origLineStarts []int
	lineRunes      []int
	// marks[k] is the first character boundary at or after byte k<<posShift
	// of Text, so that Pos walks at most a block, however long the line.
	marks []posMark
	// countRunes is true when Text is valid UTF-8 and its offsets are the
	// original's: Pos then counts characters instead of decoding them.
	countRunes bool
	// paraLines maps each line to its paragraph for document sources.
	paraLines []ParaLine
}

// NewDocSource makes a source from a document's text rendering: text has
// one line per paragraph (LF line ends) and lines[i] says which paragraph
// line i+1 renders. orig is the document file, kept unchanged.
func NewDocSource(name, encoding, text string, orig []byte, lines []ParaLine) *Source {
	s := &Source{Name: name, Encoding: encoding, Text: text, orig: orig, paraLines: lines}
	s.index()
	return s
}

// bytesText is b as a string without copying it: the input can be tens
// of megabytes, and a source never modifies it (NewSource).
func bytesText(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// NewSource decodes data and indexes its lines. It rejects empty, binary
// and undecodable input with a wrapped sentinel error that names the byte
// offset of the problem. The source keeps data (Original, and the text of
// UTF-8 input, which is not copied): the caller must not modify it.
func NewSource(name string, data []byte) (*Source, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w", ErrEmpty)
	}
	s := &Source{Name: name, orig: data}
	var err error
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		s.Encoding = EncUTF8BOM
		if !validUTF8(data[3:]) {
			return nil, fmt.Errorf("%w: invalid UTF-8 at byte %d", ErrEncoding, firstInvalidUTF8(data[3:])+3)
		}
		s.Text = bytesText(data[3:])
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		s.Encoding = EncUTF16LE
		if data[0] == 0xFE {
			s.Encoding = EncUTF16BE
		}
		s.Text, err = decodeUTF16(data[2:], data[0] == 0xFE)
		if err != nil {
			return nil, err
		}
	default:
		if off := firstNUL(data); off >= 0 {
			return nil, fmt.Errorf("%w: NUL byte at offset %d", ErrBinary, off)
		}
		if validUTF8(data) {
			s.Encoding = EncUTF8
			s.Text = bytesText(data)
			break
		}
		s.Encoding = EncGB18030
		s.Text, err = decodeGB18030(data)
		if err != nil {
			// Neither encoding fits: name where each stops, since either
			// may be the one the file was meant to be in.
			return nil, fmt.Errorf("%w: invalid UTF-8 at byte %d; as GB18030, %v", ErrEncoding, firstInvalidUTF8(data), strings.TrimPrefix(err.Error(), ErrEncoding.Error()+": "))
		}
	}
	if strings.TrimFunc(s.Text, isSpace) == "" {
		return nil, fmt.Errorf("%w: only white space", ErrEmpty)
	}
	off := -1
	if s.identity() {
		// Valid UTF-8: one pass indexes lines and finds control characters.
		off = s.indexUTF8(data[s.bomLen():])
	} else if off = firstControl(s.Text); off < 0 {
		s.index()
	}
	if off >= 0 {
		return nil, fmt.Errorf("%w: control character at decoded offset %d", ErrBinary, off)
	}
	return s, nil
}

func firstNUL(b []byte) int { return bytes.IndexByte(b, 0) }

// validUTF8 is utf8.Valid for text that is mostly Chinese. A long input
// is checked in two halves at once, cut where a character starts: no
// character then crosses the cut, so the whole is valid when both are.
func validUTF8(b []byte) bool {
	if len(b) < parallelBytes {
		return validUTF8Run(b)
	}
	mid := len(b) / 2
	for k := 0; k < utf8.UTFMax && !utf8.RuneStart(b[mid]); k++ {
		mid++
	}
	if !utf8.RuneStart(b[mid]) {
		return false // more continuation bytes in a row than a character has
	}
	var second bool
	done := make(chan struct{})
	go func() {
		second = validUTF8Run(b[mid:])
		close(done)
	}()
	first := validUTF8Run(b[:mid])
	<-done
	return first && second
}

// validUTF8Run checks b on one goroutine: runs of three-byte characters
// in a loop of their own, ASCII eight bytes at a time, the rest by
// utf8.DecodeRune.
func validUTF8Run(b []byte) bool {
	for len(b) > 0 {
		if len(b) >= 8 && binary.LittleEndian.Uint64(b)&0x8080808080808080 == 0 {
			b = b[8:]
			continue
		}
		for len(b) >= 3 && b[0]&0xF0 == 0xE0 && validThreeBytes(b[0], b[1], b[2]) {
			b = b[3:]
		}
		if len(b) == 0 {
			break
		}
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			return false
		}
		b = b[n:]
	}
	return true
}

// validThreeBytes reports whether c0 c1 c2, c0 being 0xE0–0xEF, is a
// valid three-byte UTF-8 character: continuation bytes, not overlong, not
// a surrogate.
func validThreeBytes(c0, c1, c2 byte) bool {
	return (c1^0x80)|(c2^0x80) < 0x40 && (c0 != 0xE0 || c1 >= 0xA0) && (c0 != 0xED || c1 < 0xA0)
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// firstControl finds control characters that never occur in a text
// document (everything below U+0020 except tab, LF, CR, form feed).
func firstControl(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			return i
		}
	}
	return -1
}

// gb18030Len returns the byte length of the GB18030 character at b[0], or
// 0 when the bytes there are not a well-formed GB18030 character.
func gb18030Len(b []byte) int {
	c := b[0]
	switch {
	case c < 0x80:
		return 1
	case c == 0x80 || c == 0xFF:
		return 0
	case len(b) >= 2 && (b[1] >= 0x40 && b[1] <= 0x7E || b[1] >= 0x80 && b[1] <= 0xFE):
		return 2
	case len(b) >= 4 && b[1] >= 0x30 && b[1] <= 0x39 && b[2] >= 0x81 && b[2] <= 0xFE && b[3] >= 0x30 && b[3] <= 0x39:
		return 4
	}
	return 0
}

// decodeGB18030 decodes character by character, so that every character
// of the input becomes exactly one rune: the position index relies on it
// to walk the original bytes in step with the decoded text.
func decodeGB18030(b []byte) (string, error) {
	dec := simplifiedchinese.GB18030.NewDecoder()
	out := make([]byte, 0, len(b)*3/2)
	var buf [8]byte
	for i := 0; i < len(b); {
		n := gb18030Len(b[i:])
		if n == 0 {
			return "", fmt.Errorf("%w: invalid byte 0x%02X at offset %d", ErrEncoding, b[i], i)
		}
		if n == 1 {
			out = append(out, b[i])
			i++
			continue
		}
		dec.Reset()
		w, _, err := dec.Transform(buf[:], b[i:i+n], true)
		r, size := utf8.DecodeRune(buf[:w])
		if err != nil || size != w || r == utf8.RuneError {
			return "", fmt.Errorf("%w: invalid GB18030 sequence at offset %d", ErrEncoding, i)
		}
		out = append(out, buf[:w]...)
		i += n
	}
	return string(out), nil
}

func decodeUTF16(b []byte, bigEndian bool) (string, error) {
	if len(b)%2 != 0 {
		return "", fmt.Errorf("%w: UTF-16 input has an odd number of bytes", ErrEncoding)
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case u == 0:
			return "", fmt.Errorf("%w: NUL character at offset %d", ErrBinary, 2+2*i)
		case utf16.IsSurrogate(rune(u)):
			if u >= 0xDC00 || i+1 >= len(units) || units[i+1] < 0xDC00 || units[i+1] > 0xDFFF {
				return "", fmt.Errorf("%w: unpaired UTF-16 surrogate at offset %d", ErrEncoding, 2+2*i)
			}
			i++
		}
	}
	return string(utf16.Decode(units)), nil
}

// origWidth returns the byte length in the original encoding of the
// character that decodes to r, found at orig[off:].
func (s *Source) origWidth(r rune, off int) int {
	switch s.Encoding {
	case EncGB18030:
		return gb18030Len(s.orig[off:])
	case EncUTF16LE, EncUTF16BE:
		if r >= 0x10000 {
			return 4
		}
		return 2
	default:
		return utf8.RuneLen(r)
	}
}

func (s *Source) bomLen() int {
	switch s.Encoding {
	case EncUTF8BOM:
		return 3
	case EncUTF16LE, EncUTF16BE:
		return 2
	}
	return 0
}

// posShift sets the spacing of Source.marks: 256 bytes, so a position
// costs a walk over 128 bytes on average (16 eight-byte steps in UTF-8),
// and the marks (32 bytes each) add an eighth to the input's size in
// memory, not half of it.
const posShift = 8

// posMark is a point of Text whose position is known: its decoded
// offset, the characters before it, its original offset and its 0-based line.
type posMark struct{ dec, runes, orig, line int }

// index records every line start in both the decoded and the original
// text, and a mark every 1<<posShift bytes. Lines end at LF, CR LF or a
// lone CR.
func (s *Source) index() {
	if s.identity() && utf8.ValidString(s.Text) {
		s.indexUTF8([]byte(s.Text))
		return
	}
	s.lineStarts = []int{0}
	o := s.bomLen()
	s.origLineStarts = []int{o}
	s.lineRunes = []int{0}
	identity := s.identity()
	text := s.Text
	runes := 0
	for i := 0; i < len(text); {
		if i >= len(s.marks)<<posShift {
			s.marks = append(s.marks, posMark{dec: i, runes: runes, orig: o, line: len(s.lineStarts) - 1})
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if identity {
			o = i + s.bomLen() + n
		} else {
			o += s.origWidth(r, o)
		}
		i += n
		runes++
		if r == '\n' || r == '\r' && (i >= len(text) || text[i] != '\n') {
			s.lineStarts = append(s.lineStarts, i)
			s.origLineStarts = append(s.origLineStarts, o)
			s.lineRunes = append(s.lineRunes, runes)
		}
	}
	if len(s.marks) == 0 {
		s.marks = []posMark{{orig: s.bomLen()}}
	}
}

// indexUTF8 is index for valid UTF-8 whose offsets are the original's; b
// holds the bytes of Text. It reads eight bytes at a time, counting
// characters by their first bytes instead of decoding them, and returns
// the offset of the first control character firstControl would find, -1
// if none.
func (s *Source) indexUTF8(b []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	bom := s.bomLen()
	s.countRunes = true
	// Counting the LFs first sizes the line index once, instead of
	// growing it a line at a time (a lone CR still appends).
	lines := bytes.Count(b, []byte{'\n'}) + 1
	s.lineStarts = append(make([]int, 0, lines), 0)
	s.origLineStarts = append(make([]int, 0, lines), bom)
	s.lineRunes = append(make([]int, 0, lines), 0)
	s.marks = make([]posMark, 0, len(b)>>posShift+1)
	runes, ctrl := 0, -1 // runes counts the characters of b[:i]
	// slow handles byte i of a word holding a byte below 0x20.
	slow := func(i int) {
		c := b[i]
		if c&0xC0 != 0x80 {
			runes++
		}
		switch {
		case c >= 0x20:
		case c == '\n' || c == '\r' && (i+1 >= len(b) || b[i+1] != '\n'):
			s.lineStarts = append(s.lineStarts, i+1)
			s.origLineStarts = append(s.origLineStarts, i+1+bom)
			s.lineRunes = append(s.lineRunes, runes)
		case c != '\t' && c != '\r' && c != '\f' && ctrl < 0:
			ctrl = i
		}
	}
	for i := 0; i < len(b); i += 8 {
		if i&(1<<posShift-1) == 0 {
			dec := i
			for dec < len(b) && !utf8.RuneStart(b[dec]) {
				dec++
			}
			s.marks = append(s.marks, posMark{dec: dec, runes: runes, orig: dec + bom, line: len(s.lineStarts) - 1})
		}
		if i+8 > len(b) {
			for ; i < len(b); i++ {
				slow(i)
			}
			break
		}
		x := binary.LittleEndian.Uint64(b[i:])
		if (x-0x20*ones)&^x&highs != 0 { // a byte below 0x20
			for j := i; j < i+8; j++ {
				slow(j)
			}
			continue
		}
		runes += 8 - bits.OnesCount64(x&^(x<<1)&highs) // less continuation bytes
	}
	if len(s.marks) == 0 {
		s.marks = []posMark{{orig: bom}}
	}
	return ctrl
}

// runeCount counts the characters of valid UTF-8 by their first bytes,
// eight bytes at a time, faster than decoding them.
func runeCount(s string) int {
	const highs = 0x8080808080808080
	n, i := len(s), 0
	for ; i+8 <= len(s); i += 8 {
		x := load64(s, i)
		n -= bits.OnesCount64(x &^ (x << 1) & highs) // continuation bytes
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// load64 reads s[i:i+8] little-endian; the compiler makes it one load.
func load64(s string, i int) uint64 {
	s = s[i : i+8] // fixed offsets from one base, which the compiler merges
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// Original returns the input bytes exactly as read.
func (s *Source) Original() []byte { return s.orig }

// LineCount is the number of lines, counting a last line without a line end.
func (s *Source) LineCount() int {
	n := len(s.lineStarts)
	if n > 1 && s.lineStarts[n-1] == len(s.Text) {
		n--
	}
	return n
}

// LineStart returns the decoded offset where 1-based line n starts.
func (s *Source) LineStart(n int) int { return s.lineStarts[n-1] }

// LineText returns line n (1-based) without its line end.
func (s *Source) LineText(n int) string {
	start, end := s.lineBounds(n)
	return s.Text[start:end]
}

// lineBounds returns the decoded start of line n and the offset of its line end.
func (s *Source) lineBounds(n int) (int, int) {
	start := s.lineStarts[n-1]
	end := len(s.Text)
	if n < len(s.lineStarts) {
		end = s.lineStarts[n]
	}
	for end > start && (s.Text[end-1] == '\n' || s.Text[end-1] == '\r') {
		end--
	}
	return start, end
}

// Pos converts a byte offset in Text into a Position in the original
// input. An offset inside a character counts that character as before it.
func (s *Source) Pos(off int) Position {
	k := min(off>>posShift, len(s.marks)-1)
	for k > 0 && s.marks[k].dec > off {
		k--
	}
	m := s.marks[k]
	line := m.line
	for line+1 < len(s.lineStarts) && s.lineStarts[line+1] <= off {
		line++
	}
	// Walk from the line start or from the mark, whichever is later.
	i, col, o := s.lineStarts[line], 1, s.origLineStarts[line]
	if m.dec > i {
		i, col, o = m.dec, 1+m.runes-s.lineRunes[line], m.orig
	}
	if s.countRunes {
		col += runeCount(s.Text[i:off])
		o = off + s.bomLen()
	} else {
		identity := s.identity()
		for i < off {
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
	}
	p := Position{Line: line + 1, Col: col, Offset: o}
	if line < len(s.paraLines) {
		if pl := s.paraLines[line]; pl.Para > 0 {
			p.Para = pl.Para
			p.ParaChar = max(col-pl.Prefix, 1) + pl.Base
		}
	}
	return p
}

// identity is true when decoded offsets are the original's (less a BOM):
// UTF-8 input, and document renderings whose offsets are their own.
func (s *Source) identity() bool {
	return s.Encoding == EncUTF8 || s.Encoding == EncUTF8BOM || s.paraLines != nil
}

// IsDocument reports whether the source is a rendering of a Word document.
func (s *Source) IsDocument() bool { return s.paraLines != nil }

// Span converts the decoded byte range [start, end) into a Span.
func (s *Source) Span(start, end int) Span {
	return Span{Start: s.Pos(start), End: s.Pos(end)}
}

// ReadSource reads at most maxBytes from r (DefaultMaxBytes when maxBytes
// <= 0) and decodes it. A larger input is refused, not truncated.
func ReadSource(name string, r io.Reader, maxBytes int64) (*Source, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes (raise the limit with --max-size)", ErrTooLarge, maxBytes)
	}
	return NewSource(name, data)
}
