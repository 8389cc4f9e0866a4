package docx

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		format string
		v      int
		want   string
	}{
		{"decimal", 7, "7"},
		{"chineseCounting", 1, "一"},
		{"chineseCounting", 10, "十"},
		{"chineseCounting", 11, "十一"},
		{"chineseCounting", 20, "二十"},
		{"chineseCountingThousand", 36, "三十六"},
		{"taiwaneseCountingThousand", 99, "九十九"},
		{"chineseCounting", 100, "一百"},
		{"chineseCounting", 101, "一百零一"},
		{"chineseCounting", 110, "一百一十"},
		{"chineseCounting", 1005, "一千零五"},
		{"chineseCounting", 9999, "九千九百九十九"},
		{"chineseCounting", 0, "〇"},
		{"chineseCounting", 10000, "10000"},
		{"ideographTraditional", 1, "甲"},
		{"ideographTraditional", 10, "癸"},
		{"ideographTraditional", 11, "甲"},
		{"ideographZodiac", 12, "亥"},
		{"decimalEnclosedCircle", 1, "①"},
		{"decimalEnclosedCircle", 20, "⑳"},
		{"decimalEnclosedCircle", 21, "㉑"},
		{"decimalEnclosedCircle", 36, "㊱"},
		{"decimalEnclosedCircle", 50, "㊿"},
		{"decimalEnclosedCircle", 51, "51"},
		{"decimalEnclosedParen", 3, "⑶"},
		{"decimalEnclosedFullstop", 3, "⒊"},
		{"decimalFullWidth", 12, "１２"},
		{"decimalZero", 5, "05"},
		{"decimalZero", 12, "12"},
		{"upperLetter", 1, "A"},
		{"upperLetter", 26, "Z"},
		{"lowerLetter", 27, "aa"},
		{"upperLetter", 260, strings.Repeat("Z", 10)},
		{"upperLetter", 261, "261"},
		{"upperRoman", 1994, "MCMXCIV"},
		{"lowerRoman", 4, "iv"},
		{"lowerRoman", 4000, "4000"},
		{"none", 3, ""},
		{"ordinal", 3, "3"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, formatNumber(tt.v, tt.format), "%s %d", tt.format, tt.v)
	}
}

// TestNumberingBounds: a hostile list definition cannot blow up the
// rendering: labels are bounded whatever the start value and level text.
func TestNumberingBounds(t *testing.T) {
	numbering := xmlDecl + `<w:numbering ` + wNS + `><w:abstractNum w:abstractNumId="0">` +
		`<w:lvl w:ilvl="0"><w:start w:val="2000000000"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1` + strings.Repeat("长", 10000) + `"/></w:lvl>` +
		`</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`
	body := strings.Repeat(pn(1, 0, "项"), 100)
	d, err := Read("bounds.docx", buildZip(t, pkgParts(body, map[string]string{"word/numbering.xml": numbering})), DefaultLimits())
	require.NoError(t, err)
	assert.Equal(t, "2000000000"+strings.Repeat("长", maxLevelText-2), d.Label(1))
	assert.Less(t, len(d.Source().Text), 100*(4*maxLevelText+20))
}
