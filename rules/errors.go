package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/width"
)

// RuleError is one problem in a rule file, positioned at the TOML line of
// the key it concerns. For an expression, Expr is the line of the
// expression the problem is on and Col the column in it, counted in
// characters (1-based), so that Error can draw a caret under it.
type RuleError struct {
	File   string
	Line   int // 1-based TOML line; 0 when unknown
	RuleID string
	Field  string
	Col    int // 1-based, in characters of Expr; 0 when not about an expression
	Expr   string
	Msg    string
}

// Error prints "file:line: rule-id: field: message" and, for an
// expression, the expression line with a caret under the column.
func (e *RuleError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.RuleID != "" {
		b.WriteString(e.RuleID + ": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	if e.Expr != "" && e.Col > 0 {
		b.WriteString("\n    ")
		b.WriteString(e.Expr)
		b.WriteString("\n    ")
		b.WriteString(caret(e.Expr, e.Col))
	}
	return b.String()
}

// caret returns the padding and "^" that put the caret under character col
// of line on a terminal. expr's own snippet writes one dot per character,
// which lands halfway under a line of Chinese: wide and full-width
// characters take two cells. Tabs are copied so they expand alike.
func caret(line string, col int) string {
	var b strings.Builder
	i := 1
	for _, r := range line {
		if i >= col {
			break
		}
		switch {
		case r == '\t':
			b.WriteByte('\t')
		case isWide(r):
			b.WriteString("  ")
		default:
			b.WriteByte(' ')
		}
		i++
	}
	b.WriteByte('^')
	return b.String()
}

func isWide(r rune) bool {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return true
	}
	return false
}

// ErrorList collects every problem found while loading rule files, like
// go/scanner.ErrorList, so that all of them are reported at once.
type ErrorList []*RuleError

// Add appends an error.
func (l *ErrorList) Add(e *RuleError) { *l = append(*l, e) }

// Sort orders the list by file, line, column, rule and message.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *RuleError) int {
		return cmp.Or(
			strings.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			strings.Compare(a.RuleID, b.RuleID),
			strings.Compare(a.Field, b.Field),
			strings.Compare(a.Msg, b.Msg),
		)
	})
}

// Error prints one error per line (an expression error takes three).
func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}
