package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck"
	"github.com/plancheck/plancheck/rules"
)

func builtinRules(t *testing.T) *rules.Set {
	t.Helper()
	set, err := rules.LoadBuiltin(plancheck.DefaultRules, plancheck.DefaultRulesName)
	require.NoError(t, err)
	require.NotEmpty(t, set.Rules)
	return set
}

// rules list: one line per rule, in the order of the rule file.
func TestRulesList(t *testing.T) {
	set := builtinRules(t)
	out, errOut, code := runCLI(t, "", "rules", "list")
	require.Equal(t, exitOK, code, errOut)
	ls := lines(out)
	require.Len(t, ls, len(set.Rules))
	for i, r := range set.Rules {
		f := strings.Fields(ls[i])
		require.GreaterOrEqual(t, len(f), 4, ls[i])
		assert.Equal(t, []string{r.ID, r.Severity.String(), string(r.Scope)}, f[:3])
		assert.Contains(t, ls[i], r.Title)
	}
	// A --config file's rules are listed with the built-in ones.
	out, errOut, code = runCLI(t, "", "rules", "list", "--config", "testdata/extra-rules.toml")
	require.Equal(t, exitOK, code, errOut)
	assert.Len(t, lines(out), len(set.Rules)+1)
	assert.Contains(t, out, "owner-internal-unit")
}

// rules list --verbose: every rule's expressions and where it was
// defined, then the vocabulary lists with their words.
func TestRulesListVerbose(t *testing.T) {
	set := builtinRules(t)
	out, errOut, code := runCLI(t, "", "rules", "list", "--verbose")
	require.Equal(t, exitOK, code, errOut)
	for _, r := range set.Rules {
		// The first line of the expression is printed as written.
		check, _, _ := strings.Cut(strings.TrimSpace(r.Check), "\n")
		assert.Contains(t, out, "check:      "+check, r.ID)
		if r.When != "" {
			when, _, _ := strings.Cut(strings.TrimSpace(r.When), "\n")
			assert.Contains(t, out, "when:       "+when, r.ID)
		}
		assert.Contains(t, out, fmt.Sprintf("defined:    %s:%d", r.File, r.Line), r.ID)
	}
	_, vocab, ok := strings.Cut(out, "\nvocabulary:\n")
	require.True(t, ok, "the vocabulary follows the rules")
	require.NotEmpty(t, set.Lists)
	for name, words := range set.Lists {
		assert.Contains(t, vocab, fmt.Sprintf("  %s (%d): %s\n", name, len(words), strings.Join(words, " ")))
	}
}

// rules functions: every function with its signature and example.
func TestRulesFunctions(t *testing.T) {
	out, errOut, code := runCLI(t, "", "rules", "functions")
	require.Equal(t, exitOK, code, errOut)
	fns := rules.Functions()
	require.NotEmpty(t, fns)
	for _, f := range fns {
		assert.Contains(t, out, f.Signature+"\n")
		assert.Contains(t, out, "e.g. "+f.Example+"\n")
	}
	assert.Regexp(t, `(?m)^find_any\(`, out)
}

// rules test on the project's fixtures: all pass.
func TestRulesTestFixtures(t *testing.T) {
	const dir = "../../fixtures/rules"
	wants, _ := filepath.Glob(filepath.Join(dir, "*.want"))
	if len(wants) == 0 {
		t.Skip("fixtures/rules has no fixtures yet")
	}
	out, errOut, code := runCLI(t, "", "rules", "test", dir)
	assert.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
	m := regexp.MustCompile(`(?m)^(\d+) passed, 0 failed$`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	n, _ := strconv.Atoi(m[1])
	assert.Equal(t, len(wants), n, "every fixture with a .want is run")
}

// A fixture whose expectation is wrong fails with the problem named
// file:line:col, and exit 1.
func TestRulesTestFailing(t *testing.T) {
	const dir = "testdata/failing-fixture"
	protectInputs(t, dir+"/owner.txt", dir+"/owner.want")
	want, err := os.ReadFile(dir + "/owner.want")
	require.NoError(t, err)
	// The expectation that does not hold: LINE:COL-ENDLINE:ENDCOL rule "excerpt".
	m := regexp.MustCompile(`(?m)^(\d+):(\d+)-\d+:\d+ (\S+) (".*")$`).FindStringSubmatch(string(want))
	require.NotNil(t, m, "owner.want has an expectation")

	out, errOut, code := runCLI(t, "", "rules", "test", dir)
	assert.Equal(t, exitFindings, code, errOut)
	assert.Contains(t, out, fmt.Sprintf("owner.txt:%s:%s: missing %s %s\n", m[1], m[2], m[3], m[4]))
	assert.Regexp(t, `(?m)^owner\.txt:\d+:\d+: unexpected owner-missing ".+"$`, out)
	assert.True(t, strings.HasSuffix(out, "0 passed, 1 failed\n"), out)
}
