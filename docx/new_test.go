package docx

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
)

// lineComment makes a comment for NewFromText from a text source's byte
// range: lines are paragraphs, columns characters.
func lineComment(src *plan.Source, s, e int, text string) Comment {
	sp := src.Span(s, e)
	c := Comment{Para: sp.Start.Line, Start: sp.Start.Col, End: sp.End.Col, Author: "plancheck", Text: text}
	if sp.End.Line != sp.Start.Line {
		c.EndPara = sp.End.Line
	}
	return c
}

func TestNewFromText(t *testing.T) {
	text := "2024年工作要点\r\n一、总则\r\n1.任务\t说明：A&B <c>。\r\n\r\n2.完成\f。\r\n"
	src, err := plan.NewSource("draft.txt", []byte(text))
	require.NoError(t, err)
	var cs []Comment
	for _, w := range []string{"任务", "A&B <c>", "完成\f。", "总则\r\n1."} {
		s := strings.Index(src.Text, w)
		cs = append(cs, lineComment(src, s, s+len(w), "提示："+w))
	}
	cs = append(cs, Comment{Para: 4, Start: 1, End: 1, Text: "空行"})
	out, err := NewFromText(src, cs, "2024年工作要点 <草稿>")
	require.NoError(t, err)

	d, err := Read("draft.docx", out, DefaultLimits())
	require.NoError(t, err)
	// One paragraph per line, the form feed (not allowed in XML) a space.
	assert.Equal(t, "2024年工作要点\n一、总则\n1.任务\t说明：A&B <c>。\n\n2.完成 。\n", d.Source().Text)
	checkMapping(t, d)
	// Each comment anchors its span of the text (the form feed now a space).
	for i, w := range []string{"任务", "A&B <c>", "完成 。", "总则\n1.", ""} {
		assert.Equal(t, w, anchoredText(t, d, i), "comment %d", i+1)
	}
	core, err := d.pkg.read("docProps/core.xml")
	require.NoError(t, err)
	assert.Contains(t, string(core), "<dc:title>2024年工作要点 &lt;草稿&gt;</dc:title>")

	again, err := NewFromText(src, cs, "2024年工作要点 <草稿>")
	require.NoError(t, err)
	assert.Equal(t, out, again, "the same draft gives the same bytes")

	plain, err := NewFromText(src, nil, "")
	require.NoError(t, err)
	d, err = Read("plain.docx", plain, DefaultLimits())
	require.NoError(t, err)
	assert.Nil(t, d.comments)
	assert.Equal(t, 5, d.Paragraphs())
}
