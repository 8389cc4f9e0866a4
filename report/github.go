package report

import (
	"strconv"

	"github.com/plancheck/plancheck/rules"
)

// githubFormatter writes GitHub Actions workflow commands, which the runner
// turns into annotations on the pull request.
type githubFormatter struct {
	*common
	// buf is kept between files for its capacity.
	buf []byte
}

func newGitHub(c *common) Formatter { return &githubFormatter{common: c} }

var githubCommands = map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Info: "notice"}

// appendGitHubData appends s escaped for a workflow command's message:
// %, CR and LF are percent-encoded.
func appendGitHubData(b []byte, s string) []byte {
	return appendGitHubEscaped(b, s, false)
}

// appendGitHubProperty appends s escaped for a property value, where : and
// , would also end the value.
func appendGitHubProperty(b []byte, s string) []byte {
	return appendGitHubEscaped(b, s, true)
}

func appendGitHubEscaped(b []byte, s string, property bool) []byte {
	const hex = "0123456789ABCDEF"
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' && c != '\r' && c != '\n' && (!property || c != ':' && c != ',') {
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, '%', hex[c>>4], hex[c&0xF])
		start = i + 1
	}
	return append(b, s[start:]...)
}

func (g *githubFormatter) Start() error { return nil }

func (g *githubFormatter) File(f File) error {
	g.tally.add(f)
	b := g.buf[:0]
	if f.Err != nil {
		b = append(b, "::error file="...)
		b = appendGitHubProperty(b, f.Name)
		b = append(b, "::"...)
		b = appendGitHubData(b, errText(f.Err))
		b = append(b, '\n')
	}
	for i := range f.Findings {
		fd := &f.Findings[i]
		cmd, ok := githubCommands[fd.Severity]
		if !ok {
			cmd = "warning"
		}
		b = append(b, "::"...)
		b = append(b, cmd...)
		b = append(b, " file="...)
		b = appendGitHubProperty(b, f.Name)
		if fd.Start.Line > 0 {
			// GitHub reads columns only for a span on one line.
			oneLine := fd.End.Line == fd.Start.Line
			b = append(b, ",line="...)
			b = strconv.AppendInt(b, int64(fd.Start.Line), 10)
			if oneLine {
				b = append(b, ",col="...)
				b = strconv.AppendInt(b, int64(fd.Start.Col), 10)
			}
			b = append(b, ",endLine="...)
			b = strconv.AppendInt(b, int64(fd.End.Line), 10)
			if oneLine {
				b = append(b, ",endColumn="...)
				b = strconv.AppendInt(b, int64(fd.End.Col), 10)
			}
		}
		// The title "[rule-id] Title", escaped piece by piece: the
		// escaping is byte by byte.
		b = append(b, ",title=["...)
		b = appendGitHubProperty(b, fd.RuleID)
		b = append(b, ']')
		if t := g.title(fd.RuleID); t != "" {
			b = append(b, ' ')
			b = appendGitHubProperty(b, t)
		}
		b = append(b, "::"...)
		b = appendGitHubData(b, fd.Message)
		if fd.Suggestion != "" {
			b = appendGitHubData(b, suggestionSep)
			b = appendGitHubData(b, fd.Suggestion)
		}
		b = append(b, '\n')
		if len(b) >= flushSize {
			if _, err := g.w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	g.buf = b
	_, err := g.w.Write(b)
	return err
}

func (g *githubFormatter) Finish() error { return nil }
