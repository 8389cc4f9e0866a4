package report

import (
	"encoding/xml"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/plancheck/plancheck/rules"
)

// checkstyleFormatter writes Checkstyle 4.3 XML, the format reviewdog
// (-f=checkstyle) and Jenkins' warnings plugin read.
type checkstyleFormatter struct {
	*common
	// buf is kept between files for its capacity.
	buf []byte
}

func newCheckstyle(c *common) Formatter { return &checkstyleFormatter{common: c} }

var checkstyleSeverities = map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Info: "info"}

// appendXMLAttr appends s escaped for a double-quoted attribute exactly as
// xml.EscapeText escapes it: the five markup characters as entities, tab,
// LF and CR as character references (so that newlines survive attribute
// normalisation), and what XML cannot hold (other control characters,
// U+FFFE, U+FFFF, invalid UTF-8) as U+FFFD.
func appendXMLAttr(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		size := 1
		var esc string
		switch {
		case c >= utf8.RuneSelf:
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
				esc = "\uFFFD"
			}
		case c == '"':
			esc = "&#34;"
		case c == '\'':
			esc = "&#39;"
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '\t':
			esc = "&#x9;"
		case c == '\n':
			esc = "&#xA;"
		case c == '\r':
			esc = "&#xD;"
		case c < 0x20:
			esc = "\uFFFD"
		}
		if esc != "" {
			b = append(b, s[start:i]...)
			b = append(b, esc...)
			start = i + size
		}
		i += size
	}
	return append(b, s[start:]...)
}

func (c *checkstyleFormatter) Start() error {
	_, err := io.WriteString(c.w, xml.Header+`<checkstyle version="4.3">`+"\n")
	return err
}

func (c *checkstyleFormatter) File(f File) error {
	c.tally.add(f)
	b := append(c.buf[:0], "  <file name=\""...)
	b = appendXMLAttr(b, f.Name)
	b = append(b, "\">\n"...)
	if f.Err != nil {
		b = append(b, "    <error severity=\"error\" message=\""...)
		b = appendXMLAttr(b, errText(f.Err))
		b = append(b, "\" source=\""+toolName+"\"/>\n"...)
	}
	for i := range f.Findings {
		fd := &f.Findings[i]
		b = append(b, "    <error"...)
		if fd.Start.Line > 0 {
			b = append(b, " line=\""...)
			b = strconv.AppendInt(b, int64(fd.Start.Line), 10)
			b = append(b, "\" column=\""...)
			b = strconv.AppendInt(b, int64(fd.Start.Col), 10)
			b = append(b, '"')
		}
		sev, ok := checkstyleSeverities[fd.Severity]
		if !ok {
			sev = "warning"
		}
		b = append(b, " severity=\""...)
		b = append(b, sev...)
		// Message and suggestion escaped one after the other: no
		// character spans the two (the separator begins with ASCII and
		// ends with a whole character).
		b = append(b, "\" message=\""...)
		b = appendXMLAttr(b, fd.Message)
		if fd.Suggestion != "" {
			b = appendXMLAttr(b, suggestionSep)
			b = appendXMLAttr(b, fd.Suggestion)
		}
		b = append(b, "\" source=\""+toolName+"."...)
		b = appendXMLAttr(b, fd.RuleID)
		b = append(b, "\"/>\n"...)
		if len(b) >= flushSize {
			if _, err := c.w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	b = append(b, "  </file>\n"...)
	c.buf = b
	_, err := c.w.Write(b)
	return err
}

func (c *checkstyleFormatter) Finish() error {
	_, err := io.WriteString(c.w, "</checkstyle>\n")
	return err
}
