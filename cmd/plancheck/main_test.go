package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(append([]string{"plancheck"}, args...), bytes.NewBufferString(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

// README's rule table is generated from the rule records; it must not drift.
func TestReadmeRuleTable(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(data)
	begin := strings.Index(readme, "<!-- rules:begin -->\n")
	end := strings.Index(readme, "<!-- rules:end -->")
	require.True(t, begin >= 0 && end > begin, "README has no rules:begin/end markers")
	out, errOut, code := runCLI(t, "", "rules", "list", "--markdown")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, out, readme[begin+len("<!-- rules:begin -->\n"):end], "regenerate README's table with `plancheck rules list --markdown`")
}
