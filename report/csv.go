package report

import (
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/plancheck/plancheck/rules"
)

// utf8BOM lets Excel recognise the csv as UTF-8; without it Excel reads
// the Chinese as the system code page.
const utf8BOM = "\uFEFF"

var csvHeader = []string{"文件", "序号", "位置（章节/条目/行）", "原文", "问题", "修改建议", "规则", "级别"}

// csvFormatter writes one row per finding, numbered across the run, and one
// row per file that could not be checked.
type csvFormatter struct {
	*common
	cw  *csv.Writer
	row int
}

func newCSV(c *common) Formatter {
	cw := csv.NewWriter(c.w)
	cw.UseCRLF = true
	return &csvFormatter{common: c, cw: cw}
}

// csvCell guards a cell Excel would take for a formula (one starting with
// = + - @, or a tab or CR) by a leading apostrophe, which Excel hides.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (c *csvFormatter) write(cells ...string) {
	for i := range cells {
		cells[i] = csvCell(cells[i])
	}
	// Errors stick in the csv.Writer; flush reports them.
	_ = c.cw.Write(cells)
}

func (c *csvFormatter) flush() error {
	c.cw.Flush()
	return c.cw.Error()
}

func (c *csvFormatter) Start() error {
	if _, err := c.w.Write([]byte(utf8BOM)); err != nil {
		return err
	}
	c.write(csvHeader...)
	return c.flush()
}

func (c *csvFormatter) File(f File) error {
	c.tally.add(f)
	if f.Err != nil {
		c.row++
		c.write(f.Name, strconv.Itoa(c.row), "", "", "无法检查："+errText(f.Err), "", "", severityLabel(rules.Error))
	}
	for _, fd := range f.Findings {
		c.row++
		c.write(f.Name, strconv.Itoa(c.row), location(fd), fd.Excerpt, fd.Message, fd.Suggestion,
			fd.RuleID, severityLabel(fd.Severity))
	}
	return c.flush()
}

func (c *csvFormatter) Finish() error { return nil }
