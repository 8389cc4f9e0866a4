package plan

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// longLineUnit is a sentence with a deadline, targets and an owner; a
// megabyte of it on one line must read as fast as a megabyte of lines.
const longLineUnit = "到2020年底前，基本公共卫生服务补助标准提高到506元，孕产妇死亡率低于8/10万，完成率达到95%以上（责任单位：市卫生局）；"

// longLine repeats longLineUnit to about 1 MB, with no line break.
func longLine() (line string, copies int) {
	copies = 1 << 20 / len(longLineUnit)
	return strings.Repeat(longLineUnit, copies), copies
}

// facts collects what a plan's units hold.
func facts(p *Plan) (owners []Owner, deadlines []Deadline, targets []Target) {
	p.Walk(func(u *Unit) bool {
		owners = append(owners, u.Owners...)
		deadlines = append(deadlines, u.Deadlines...)
		targets = append(targets, u.Targets...)
		return true
	})
	return owners, deadlines, targets
}

// TestParseLongLine parses a 1 MB line holding thousands of targets and
// deadlines: each copy of the sentence gives what the sentence alone
// gives, at the right column. A position search or a regexp run from the
// start of the line for each match would make this take minutes.
func TestParseLongLine(t *testing.T) {
	v := testVocab(t)
	one, err := NewSource("one", []byte(longLineUnit))
	require.NoError(t, err)
	wantOwners, wantDeadlines, wantTargets := facts(Parse(one, v))
	require.NotEmpty(t, wantOwners)
	require.NotEmpty(t, wantDeadlines)
	require.NotEmpty(t, wantTargets)

	line, copies := longLine()
	src, err := NewSource("long", []byte(line))
	require.NoError(t, err)
	owners, deadlines, targets := facts(Parse(src, v))
	require.Len(t, owners, copies*len(wantOwners))
	require.Len(t, deadlines, copies*len(wantDeadlines))
	require.Len(t, targets, copies*len(wantTargets))

	// The last copy's facts sit one sentence's characters per copy further on.
	shift := (copies - 1) * utf8.RuneCountInString(longLineUnit)
	last := func(sp Span) [2]int { return [2]int{sp.Start.Col - shift, sp.End.Col - shift} }
	first := func(sp Span) [2]int { return [2]int{sp.Start.Col, sp.End.Col} }
	assert.Equal(t, first(wantOwners[len(wantOwners)-1].Span), last(owners[len(owners)-1].Span))
	assert.Equal(t, first(wantDeadlines[len(wantDeadlines)-1].Span), last(deadlines[len(deadlines)-1].Span))
	tg := targets[len(targets)-1]
	assert.Equal(t, first(wantTargets[len(wantTargets)-1].Span), last(tg.Span))
	assert.Equal(t, tg.Text, line[tg.Start.Offset:tg.End.Offset])
}
