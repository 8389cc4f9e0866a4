package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/plancheck/plancheck/rules"
)

// checkstyleFormatter writes Checkstyle 4.3 XML, the format reviewdog
// (-f=checkstyle) and Jenkins' warnings plugin read.
type checkstyleFormatter struct{ *common }

func newCheckstyle(c *common) Formatter { return &checkstyleFormatter{common: c} }

var checkstyleSeverities = map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Info: "info"}

// xmlAttr escapes s for a double-quoted attribute; newlines become &#xA;
// so that they survive attribute normalisation.
func xmlAttr(s string) string {
	var b strings.Builder
	// Writing to a strings.Builder never fails.
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (c *checkstyleFormatter) Start() error {
	_, err := io.WriteString(c.w, xml.Header+`<checkstyle version="4.3">`+"\n")
	return err
}

func (c *checkstyleFormatter) File(f File) error {
	c.tally.add(f)
	var b strings.Builder
	fmt.Fprintf(&b, "  <file name=\"%s\">\n", xmlAttr(f.Name))
	if f.Err != nil {
		fmt.Fprintf(&b, "    <error severity=\"error\" message=\"%s\" source=\"%s\"/>\n", xmlAttr(errText(f.Err)), toolName)
	}
	for _, fd := range f.Findings {
		b.WriteString("    <error")
		if fd.Start.Line > 0 {
			fmt.Fprintf(&b, " line=\"%d\" column=\"%d\"", fd.Start.Line, fd.Start.Col)
		}
		sev, ok := checkstyleSeverities[fd.Severity]
		if !ok {
			sev = "warning"
		}
		fmt.Fprintf(&b, " severity=\"%s\" message=\"%s\" source=\"%s\"/>\n",
			sev, xmlAttr(messageWithSuggestion(fd)), xmlAttr(toolName+"."+fd.RuleID))
	}
	b.WriteString("  </file>\n")
	_, err := io.WriteString(c.w, b.String())
	return err
}

func (c *checkstyleFormatter) Finish() error {
	_, err := io.WriteString(c.w, "</checkstyle>\n")
	return err
}
