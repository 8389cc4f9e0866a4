package report

import (
	"io"
	"strconv"
	"unicode/utf8"
)

// maxExcerptRunes caps the 原文 column of the markdown table: a finding on a
// whole paragraph would otherwise swamp the table. Other formats keep the
// full excerpt.
const maxExcerptRunes = 80

// markdownFormatter writes a 修改意见 table per file, GitHub-flavoured
// Markdown a reviewer can paste into a reply or an issue.
type markdownFormatter struct {
	*common
	// buf is kept between files for its capacity.
	buf []byte
}

func newMarkdown(c *common) Formatter { return &markdownFormatter{common: c} }

// mdSpecial marks the bytes appendMDCell rewrites: ASCII punctuation that
// Markdown would read as markup, | that would end the cell, line ends.
var mdSpecial = [256]bool{
	'\\': true, '|': true, '*': true, '_': true, '`': true, '[': true, ']': true,
	'<': true, '>': true, '~': true, '#': true, '\r': true, '\n': true,
}

// appendMDCell appends s as literal cell text: markup characters are
// backslash-escaped and a line break (CRLF, LF or CR) becomes <br>, since
// a cell holds one line.
func appendMDCell(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !mdSpecial[c] {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '\r', '\n':
			b = append(b, "<br>"...)
			if c == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		default:
			b = append(b, '\\', c)
		}
		start = i + 1
	}
	return append(b, s[start:]...)
}

// clip shortens s to at most n characters, marking the cut with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for range n - 1 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + ellipsis
}

func (m *markdownFormatter) Start() error {
	_, err := io.WriteString(m.w, "# 修改意见\n")
	return err
}

func (m *markdownFormatter) File(f File) error {
	m.tally.add(f)
	b := append(m.buf[:0], "\n## 文件："...)
	b = appendMDCell(b, f.Name)
	b = append(b, "\n\n"...)
	switch {
	case f.Err != nil:
		b = append(b, "无法检查："...)
		b = appendMDCell(b, errText(f.Err))
		b = append(b, '\n')
	case len(f.Findings) == 0:
		b = append(b, "未发现问题。\n"...)
	default:
		b = append(b, "| 序号 | 位置（章节/条目/行） | 原文 | 问题 | 修改建议 |\n"...)
		b = append(b, "| ---: | --- | --- | --- | --- |\n"...)
		for i := range f.Findings {
			fd := &f.Findings[i]
			b = append(b, "| "...)
			b = strconv.AppendInt(b, int64(i+1), 10)
			b = append(b, " | "...)
			b = appendMDCell(b, location(*fd))
			b = append(b, " | "...)
			b = appendMDCell(b, clip(fd.Excerpt, maxExcerptRunes))
			b = append(b, " | "...)
			b = appendMDCell(b, fd.Message)
			b = append(b, " | "...)
			b = appendMDCell(b, fd.Suggestion)
			b = append(b, " |\n"...)
			if len(b) >= flushSize {
				if _, err := m.w.Write(b); err != nil {
					return err
				}
				b = b[:0]
			}
		}
	}
	m.buf = b
	_, err := m.w.Write(b)
	return err
}

func (m *markdownFormatter) Finish() error {
	b := append(m.buf[:0], "\n## 汇总\n\n"...)
	b = append(b, m.tally.sentence()...)
	b = append(b, "。\n"...)
	counts := m.tally.ruleCounts()
	if len(counts) > 0 {
		b = append(b, '\n')
	}
	for _, rc := range counts {
		b = append(b, "- `"...)
		b = append(b, rc.id...)
		b = append(b, '`')
		if t := m.title(rc.id); t != "" {
			b = append(b, ' ')
			b = appendMDCell(b, t)
		}
		b = append(b, "："...)
		b = strconv.AppendInt(b, int64(rc.count), 10)
		b = append(b, " 条\n"...)
	}
	_, err := m.w.Write(b)
	return err
}
