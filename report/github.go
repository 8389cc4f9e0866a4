package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/plancheck/plancheck/rules"
)

// githubFormatter writes GitHub Actions workflow commands, which the runner
// turns into annotations on the pull request.
type githubFormatter struct{ *common }

func newGitHub(c *common) Formatter { return &githubFormatter{common: c} }

var githubCommands = map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Info: "notice"}

// Workflow commands escape %, CR and LF in the message, and also : and ,
// in property values, where they would end the value.
var (
	githubDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func (g *githubFormatter) Start() error { return nil }

func (g *githubFormatter) File(f File) error {
	g.tally.add(f)
	var b strings.Builder
	file := "file=" + githubPropertyEscaper.Replace(f.Name)
	if f.Err != nil {
		fmt.Fprintf(&b, "::error %s::%s\n", file, githubDataEscaper.Replace(errText(f.Err)))
	}
	for _, fd := range f.Findings {
		cmd, ok := githubCommands[fd.Severity]
		if !ok {
			cmd = "warning"
		}
		props := []string{file}
		if fd.Start.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", fd.Start.Line))
			if fd.End.Line == fd.Start.Line {
				// GitHub reads columns only for a span on one line.
				props = append(props, fmt.Sprintf("col=%d", fd.Start.Col))
			}
			props = append(props, fmt.Sprintf("endLine=%d", fd.End.Line))
			if fd.End.Line == fd.Start.Line {
				props = append(props, fmt.Sprintf("endColumn=%d", fd.End.Col))
			}
		}
		title := "[" + fd.RuleID + "]"
		if t := g.title(fd.RuleID); t != "" {
			title += " " + t
		}
		props = append(props, "title="+githubPropertyEscaper.Replace(title))
		fmt.Fprintf(&b, "::%s %s::%s\n", cmd, strings.Join(props, ","),
			githubDataEscaper.Replace(messageWithSuggestion(fd)))
	}
	_, err := io.WriteString(g.w, b.String())
	return err
}

func (g *githubFormatter) Finish() error { return nil }
