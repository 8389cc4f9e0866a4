package report

import (
	"strconv"
	"unicode/utf8"
)

// jsonWriter lays out JSON byte for byte as json.MarshalIndent(v, "", "  ")
// lays it out, strings escaped as a json.Encoder with SetEscapeHTML(false)
// escapes them. The json and sarif formats write their documents through
// it piece by piece: building values for encoding/json and re-indenting
// them cost more than the rest of a run's rendering.
//
// Like strconv's Append functions, its methods append to a slice and
// return it, and it holds no pointer itself: a formatter keeps the bytes
// in a local variable while it writes, where storing them needs no GC
// write barrier (appending through a field cost a third of the time).
type jsonWriter struct {
	// depth counts the objects and arrays open; bit d of nonEmpty is set
	// when the one at depth d+1 has an element.
	depth    int
	nonEmpty uint64
	// afterKey is true between a key and its value, which then needs no
	// separator.
	afterKey bool
}

// maxJSONDepth is as deep as jsonWriter nests, far deeper than the
// formats go.
const maxJSONDepth = 64

// indents is a line end and the indent of the deeper levels the formats
// reach.
const indents = "\n                    "

// next starts a value: after a key nothing, inside an object or array a
// comma after the previous element, then a new line and the indent.
func (w *jsonWriter) next(b []byte) []byte {
	if w.afterKey {
		w.afterKey = false
		return b
	}
	if w.depth == 0 {
		return b
	}
	bit := uint64(1) << (w.depth - 1)
	if w.nonEmpty&bit != 0 {
		b = append(b, ',')
	}
	w.nonEmpty |= bit
	return appendNewline(b, w.depth)
}

func appendNewline(b []byte, depth int) []byte {
	if n := 1 + 2*depth; n <= len(indents) {
		return append(b, indents[:n]...)
	}
	b = append(b, indents...)
	for range depth - (len(indents)-1)/2 {
		b = append(b, "  "...)
	}
	return b
}

func (w *jsonWriter) begin(b []byte, c byte) []byte {
	b = w.next(b)
	if w.depth == maxJSONDepth {
		panic("jsonWriter: nested too deep")
	}
	w.depth++
	w.nonEmpty &^= 1 << (w.depth - 1)
	return append(b, c)
}

// end closes the innermost object or array; an empty one stays on the
// line it opened on ("[]", "{}").
func (w *jsonWriter) end(b []byte, c byte) []byte {
	if w.nonEmpty&(1<<(w.depth-1)) != 0 {
		b = appendNewline(b, w.depth-1)
	}
	w.depth--
	return append(b, c)
}

func (w *jsonWriter) beginObject(b []byte) []byte { return w.begin(b, '{') }
func (w *jsonWriter) endObject(b []byte) []byte   { return w.end(b, '}') }
func (w *jsonWriter) beginArray(b []byte) []byte  { return w.begin(b, '[') }
func (w *jsonWriter) endArray(b []byte) []byte    { return w.end(b, ']') }

// key writes an object member's name; the value comes next.
func (w *jsonWriter) key(b []byte, k string) []byte {
	b = w.next(b)
	b = appendJSONString(b, k)
	w.afterKey = true
	return append(b, ": "...)
}

func (w *jsonWriter) string(b []byte, s string) []byte {
	return appendJSONString(w.next(b), s)
}

func (w *jsonWriter) int(b []byte, n int) []byte {
	return strconv.AppendInt(w.next(b), int64(n), 10)
}

func (w *jsonWriter) bool(b []byte, v bool) []byte {
	return strconv.AppendBool(w.next(b), v)
}

func (w *jsonWriter) stringField(b []byte, k, s string) []byte {
	return w.string(w.key(b, k), s)
}

func (w *jsonWriter) intField(b []byte, k string, n int) []byte {
	return w.int(w.key(b, k), n)
}

// stringArray writes ss as an array, "[]" when empty (nil included).
func (w *jsonWriter) stringArray(b []byte, ss []string) []byte {
	b = w.beginArray(b)
	for _, s := range ss {
		b = w.string(b, s)
	}
	return w.endArray(b)
}

// appendJSONString appends s quoted as encoding/json quotes it without
// HTML escaping: '"' and '\\' backslashed, control characters as \b \f \n
// \r \t or \u00XX, U+2028 and U+2029 as \u2028 and \u2029 (JSONP breaks
// on them), each byte of invalid UTF-8 as \ufffd; everything else as is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendJSONEscaped(b, s)
	return append(b, '"')
}

// appendJSONEscaped appends s escaped for a JSON string, unquoted.
func appendJSONEscaped(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			// Most of the text is Chinese: three-byte characters that
			// are valid and none of U+2028, U+2029 (E2 80 A8, E2 80 A9)
			// whatever their continuation bytes (E0 and ED restrict
			// those and take the general path).
			if 0xe1 <= c && c <= 0xef && c != 0xed && i+2 < len(s) &&
				s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80 && (c != 0xe2 || s[i+1] != 0x80 || s[i+2]&^1 != 0xa8) {
				i += 3
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b = append(b, s[start:i]...)
				b = append(b, `\ufffd`...)
			case r == '\u2028' || r == '\u2029':
				b = append(b, s[start:i]...)
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			default:
				i += size
				continue
			}
			i += size
			start = i
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		i++
		start = i
	}
	return append(b, s[start:]...)
}
