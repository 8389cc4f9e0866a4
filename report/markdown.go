package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// maxExcerptRunes caps the 原文 column of the markdown table: a finding on a
// whole paragraph would otherwise swamp the table. Other formats keep the
// full excerpt.
const maxExcerptRunes = 80

// markdownFormatter writes a 修改意见 table per file, GitHub-flavoured
// Markdown a reviewer can paste into a reply or an issue.
type markdownFormatter struct{ *common }

func newMarkdown(c *common) Formatter { return &markdownFormatter{common: c} }

// markdownEscaper keeps cell text literal: ASCII punctuation that Markdown
// would read as markup is backslash-escaped, | would end the cell, and a
// line break inside a cell must be <br>.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "~", `\~`, "#", `\#`,
	"\r\n", "<br>", "\n", "<br>", "\r", "<br>",
)

func mdCell(s string) string { return markdownEscaper.Replace(s) }

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
	var b strings.Builder
	fmt.Fprintf(&b, "\n## 文件：%s\n\n", mdCell(f.Name))
	switch {
	case f.Err != nil:
		fmt.Fprintf(&b, "无法检查：%s\n", mdCell(errText(f.Err)))
	case len(f.Findings) == 0:
		b.WriteString("未发现问题。\n")
	default:
		b.WriteString("| 序号 | 位置（章节/条目/行） | 原文 | 问题 | 修改建议 |\n")
		b.WriteString("| ---: | --- | --- | --- | --- |\n")
		for i, fd := range f.Findings {
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %s |\n", i+1, mdCell(location(fd)),
				mdCell(clip(fd.Excerpt, maxExcerptRunes)), mdCell(fd.Message), mdCell(fd.Suggestion))
		}
	}
	_, err := io.WriteString(m.w, b.String())
	return err
}

func (m *markdownFormatter) Finish() error {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## 汇总\n\n%s。\n", m.tally.sentence())
	counts := m.tally.ruleCounts()
	if len(counts) > 0 {
		b.WriteByte('\n')
	}
	for _, rc := range counts {
		name := "`" + rc.id + "`"
		if t := m.title(rc.id); t != "" {
			name += " " + mdCell(t)
		}
		fmt.Fprintf(&b, "- %s：%d 条\n", name, rc.count)
	}
	_, err := io.WriteString(m.w, b.String())
	return err
}
