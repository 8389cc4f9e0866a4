package docx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// WordprocessingML namespaces: the transitional one Word and LibreOffice
// write, and ISO 29500 strict.
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsXML     = "http://www.w3.org/XML/1998/namespace"
)

// xmlReader reads the tokens of one part under the limits, keeping the
// byte offsets of every token so that a writer can splice the part.
type xmlReader struct {
	part   string
	data   []byte
	dec    *xml.Decoder
	lim    Limits
	depth  int
	tokens int
	// start and end delimit the last token in data; a self-closing
	// element's synthesised end token is empty, at the element's end.
	start, end int
}

func newXMLReader(part string, data []byte, lim Limits) *xmlReader {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	return &xmlReader{part: part, data: data, dec: d, lim: lim}
}

// next returns the next token; io.EOF at the end of the part.
func (x *xmlReader) next() (xml.Token, error) {
	x.start = int(x.dec.InputOffset())
	tok, err := x.dec.Token()
	x.end = int(x.dec.InputOffset())
	if err != nil {
		if errors.Is(err, io.EOF) {
			if x.depth > 0 {
				return nil, fmt.Errorf("%s: %w: unexpected end of part", x.part, ErrXML)
			}
			return nil, io.EOF
		}
		return nil, fmt.Errorf("%s: %w: %v", x.part, ErrXML, err)
	}
	if x.tokens++; x.tokens > x.lim.MaxXMLTokens {
		return nil, fmt.Errorf("%s: %w: more than %d", x.part, ErrXMLTokens, x.lim.MaxXMLTokens)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		if x.depth++; x.depth > x.lim.MaxXMLDepth {
			return nil, fmt.Errorf("%s: %w: more than %d levels at byte %d", x.part, ErrXMLDepth, x.lim.MaxXMLDepth, x.start)
		}
	case xml.EndElement:
		x.depth--
	case xml.Directive:
		// A DOCTYPE is the only directive XML allows; OOXML forbids it,
		// and refusing it rules out entity expansion of any kind.
		return nil, fmt.Errorf("%s: %w: %.40q at byte %d", x.part, ErrDoctype, string(t), x.start)
	}
	return tok, nil
}

// skip consumes the rest of the element just opened, up to its end tag.
func (x *xmlReader) skip() error {
	for d := x.depth; ; {
		tok, err := x.next()
		if err != nil {
			return err
		}
		if _, ok := tok.(xml.EndElement); ok && x.depth < d {
			return nil
		}
	}
}

// root reads up to the part's root element and returns it.
func (x *xmlReader) root() (xml.StartElement, error) {
	for {
		tok, err := x.next()
		if errors.Is(err, io.EOF) {
			return xml.StartElement{}, fmt.Errorf("%s: %w: no root element", x.part, ErrXML)
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se, nil
		}
	}
}

// selfClosing reports whether the start tag just read ends in "/>".
func (x *xmlReader) selfClosing() bool {
	return x.end-x.start >= 2 && x.data[x.end-2] == '/' && x.data[x.end-1] == '>'
}

// qname returns the element name as written at data[off:] ("w:r").
func qname(data []byte, off int) string {
	i := off + 1
	for i < len(data) && !isNameEnd(data[i]) {
		i++
	}
	return string(data[off+1 : i])
}

func isNameEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/' || c == '>'
}

// isW reports whether a name is in the WordprocessingML namespace.
func isW(n xml.Name) bool { return n.Space == nsW || n.Space == nsWStrict }

// wLocal returns the local name of a WordprocessingML element, "" for any other.
func wLocal(se xml.StartElement) string {
	if isW(se.Name) {
		return se.Name.Local
	}
	return ""
}

// attr returns the value of the attribute local (w:val, or an unprefixed val).
func attr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local && (isW(a.Name) || a.Name.Space == "") {
			return a.Value, true
		}
	}
	return "", false
}

// wPrefix returns the prefix the root element binds to the WordprocessingML
// namespace, and that namespace; "" when the root binds none.
func wPrefix(se xml.StartElement) (prefix, space string) {
	for _, a := range se.Attr {
		if a.Name.Space == "xmlns" && (a.Value == nsW || a.Value == nsWStrict) {
			return a.Name.Local, a.Value
		}
	}
	if isW(se.Name) {
		return "", se.Name.Space
	}
	return "", nsW
}

// rawChars calls fn for every character of a character-data token written
// as raw (an escaped text or a CDATA section) at offset base of the part,
// with the byte range the character takes there. It reports false if the
// raw text does not decode to want, which cannot happen for text that
// encoding/xml accepted.
func rawChars(raw []byte, base int, want []byte, fn func(r rune, s, e int)) bool {
	if bytes.HasPrefix(raw, []byte("<![CDATA[")) && bytes.HasSuffix(raw, []byte("]]>")) {
		return eachRune(raw[9:len(raw)-3], base+9, fn) == utf8.RuneCount(want)
	}
	n := 0
	for i := 0; i < len(raw); {
		var r rune
		size := 0
		switch c := raw[i]; {
		case c == '&':
			j := bytes.IndexByte(raw[i:], ';')
			if j < 0 {
				return false
			}
			r = entity(string(raw[i+1 : i+j]))
			if r < 0 {
				return false
			}
			size = j + 1
		case c == '\r':
			// XML turns CR LF and a lone CR into LF.
			r, size = '\n', 1
			if i+1 < len(raw) && raw[i+1] == '\n' {
				size = 2
			}
		default:
			r, size = utf8.DecodeRune(raw[i:])
		}
		fn(r, base+i, base+i+size)
		i += size
		n++
	}
	return n == utf8.RuneCount(want)
}

// eachRune calls fn for each rune of b, returning how many there were.
func eachRune(b []byte, base int, fn func(r rune, s, e int)) int {
	n := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == '\r' {
			r = '\n'
			if i+1 < len(b) && b[i+1] == '\n' {
				size = 2
			}
		}
		fn(r, base+i, base+i+size)
		i += size
		n++
	}
	return n
}

// entity decodes the name of a predefined entity or a character reference
// (without & and ;), or returns -1.
func entity(name string) rune {
	switch name {
	case "lt":
		return '<'
	case "gt":
		return '>'
	case "amp":
		return '&'
	case "apos":
		return '\''
	case "quot":
		return '"'
	}
	if !strings.HasPrefix(name, "#") {
		return -1
	}
	var r rune
	digits := name[1:]
	base := rune(10)
	if strings.HasPrefix(digits, "x") {
		digits, base = digits[1:], 16
	}
	if digits == "" || len(digits) > 8 {
		return -1
	}
	for _, c := range digits {
		var d rune
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case base == 16 && c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return -1
		}
		r = r*base + d
	}
	return r
}
