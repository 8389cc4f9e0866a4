package rules

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRequiredRunes(t *testing.T) {
	for _, tc := range []struct{ pattern, want string }{
		{`\p{Han}([,;:!?])|([,;:!?])\p{Han}|(\()[\p{Han}“]|[\p{Han}”](\))`, ",:;!?,:;!?()"},
		{`(?:^|[^0-9])([0-2][0-9]年)(?:[^0-9来]|$)`, "年"},
		{`[0-9]+[-~－][0-9]+`, "-~－"},
		{`(?m)([^。！？])\s*$`, ""},
		{`进一步加强|不断完善`, "进不"},
		{`a*b?`, ""},
	} {
		got := required(tc.pattern)
		assert.ElementsMatch(t, []rune(tc.want), []rune(got), tc.pattern)
	}
}

// The prefilter never hides a match: for every pattern, a text the
// regexp matches passes mayMatch.
func TestMayMatchNeverHidesAMatch(t *testing.T) {
	texts := []string{"中文,中文", "在18年试点", "2-3个", "加强管理", "（一）加强", "进一步加强宣传"}
	for _, p := range []string{`\p{Han}([,;:!?])`, `([0-2][0-9]年)`, `[0-9]+[-~－][0-9]+`, `进一步加强|不断完善`, `(?m)([^。])$`} {
		re := regexp.MustCompile(p)
		for _, text := range texts {
			if re.MatchString(text) {
				assert.True(t, mayMatch(re, text), "%s on %q", p, text)
			}
		}
	}
}
