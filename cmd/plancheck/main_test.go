package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
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

func TestCompletion(t *testing.T) {
	out, _, code := runCLI(t, "", "completion", "bash")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "complete -o bashdefault -o default -F _plancheck_complete plancheck")
	_, _, code = runCLI(t, "", "completion", "fish")
	assert.Equal(t, 2, code)
}

// urfave/cli reads --generate-bash-completion from os.Args, not from the
// arguments given to Run: the words are checked on the built binary.
func TestCompletionWords(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "plancheck")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	words, err := exec.Command(bin, "--generate-bash-completion").Output()
	require.NoError(t, err)
	for _, cmd := range []string{"check", "inspect", "rules", "trace", "serve", "completion"} {
		assert.Contains(t, strings.Fields(string(words)), cmd)
	}
}
