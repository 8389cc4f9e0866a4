package plancheck_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck"
	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// update rewrites the .want files of fixtures/rules from the current
// findings (go test . -update). Review every rewritten line by hand: an
// expectation copied from the output proves nothing.
var update = flag.Bool("update", false, "rewrite fixtures/rules/*.want from the current findings")

// ruleFixtures holds, for every rule of the default set, ID.txt (a draft
// on which the rule fires) and ID-ok.txt (a near miss on which it must
// not), each with its .want.
const ruleFixtures = "fixtures/rules"

// defaultSet loads the embedded rule set and the parser the fixtures use.
func defaultSet(t *testing.T) (*rules.Set, func(string, []byte) (*plan.Plan, error)) {
	t.Helper()
	set, err := rules.LoadBuiltin(plancheck.DefaultRules, plancheck.DefaultRulesName)
	require.NoError(t, err)
	parse := func(name string, data []byte) (*plan.Plan, error) {
		src, err := plan.NewSource(name, data)
		if err != nil {
			return nil, err
		}
		return plan.Parse(src, &set.Vocab), nil
	}
	return set, parse
}

func TestRuleFixtures(t *testing.T) {
	set, parse := defaultSet(t)
	if *update {
		require.NoError(t, checker.UpdateFixtures(ruleFixtures, set, parse))
	}
	results, err := checker.RunFixtures(ruleFixtures, set, parse)
	require.NoError(t, err)
	require.NotEmpty(t, results)
	for _, r := range results {
		assert.True(t, r.OK(), "%s:\n%s", r.Name, strings.Join(r.Problems, "\n"))
	}
}

// TestEveryRuleHasFixtures keeps a rule from going untested: each enabled
// rule has a draft that makes it fire, limited to it by the .want header,
// and a near miss whose .want expects nothing of it.
func TestEveryRuleHasFixtures(t *testing.T) {
	set, _ := defaultSet(t)
	enabled := set.Enabled()
	require.NotEmpty(t, enabled)
	for _, r := range enabled {
		t.Run(r.ID, func(t *testing.T) {
			for _, name := range []string{r.ID, r.ID + "-ok"} {
				_, err := os.Stat(filepath.Join(ruleFixtures, name+".txt"))
				assert.NoError(t, err, "%s.txt", name)
				header, findings := readWantFile(t, filepath.Join(ruleFixtures, name+".want"))
				assert.Equal(t, []string{r.ID}, header, "%s.want: the # rules: header names the rule alone", name)
				if name == r.ID {
					assert.NotEmpty(t, findings, "%s.want expects no finding of %s", name, r.ID)
				} else {
					assert.Empty(t, findings, "%s.want: a near miss expects no finding", name)
				}
				for _, f := range findings {
					assert.Equal(t, r.ID, f, "%s.want expects a finding of another rule", name)
				}
			}
		})
	}
}

// readWantFile returns the rule ids of a .want file's "# rules:" header
// and the rule id of each expectation line.
func readWantFile(t *testing.T, path string) (header, findings []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if !assert.NoError(t, err) {
		return nil, nil
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if ids, ok := strings.CutPrefix(line, "# rules:"); ok {
			header = append(header, strings.Fields(ids)...)
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		// LINE:COL-ENDLINE:ENDCOL rule-id "excerpt": RunFixtures checks
		// the rest of the line.
		if fields := strings.Fields(line); assert.GreaterOrEqual(t, len(fields), 3, "%s: %q", path, line) {
			findings = append(findings, fields[1])
		}
	}
	return header, findings
}
