package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
	"github.com/plancheck/plancheck/themes"
)

const themeRules = `
[vocab]
theme_synonyms = ["医共体|医疗卫生服务共同体"]

[[rule]]
id = "theme-not-covered"
title = "上级部署未落实"
severity = "warning"
scope = "theme"
check = 'theme.verdict == "missing"'
message = "{{ theme.id }} {{ theme.title }}"

[[theme]]
id = "covid"
name = "新冠肺炎疫情防控"
any = ["新冠肺炎", "疫情防控"]
applies_when = "plan.year >= 2020"

[[theme]]
id = "chronic"
name = "慢病管理"
all = ["高血压", "糖尿病"]
`

func loadThemeConfig(t *testing.T, extra string) (*rules.Set, string) {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "parent.txt"), []byte("2020年全市卫生健康工作要点\n一、重点工作\n1.推进县域医共体建设。\n2.加强院前急救体系建设。\n"), 0o644))
	path := filepath.Join(dir, ".plancheck.toml")
	require.NoError(t, os.WriteFile(path, []byte("extends = []\nparent = [\"parent.txt\"]\n"+extra+themeRules), 0o644))
	set, err := rules.LoadFile(path, nil)
	require.NoError(t, err)
	return set, dir
}

func parseText(t *testing.T, set *rules.Set, name, text string) *plan.Plan {
	t.Helper()
	src, err := plan.NewSource(name, []byte(text))
	require.NoError(t, err)
	return plan.Parse(src, &set.Vocab)
}

// A configuration names its parents (relative to itself), declares themes
// with any/all phrases and applies_when, and marks themes not applicable.
func TestThemeConfiguration(t *testing.T) {
	set, dir := loadThemeConfig(t, "[not_applicable]\n\"p1:2\" = \"本县无院前急救中心\"\n")
	assert.Equal(t, []string{filepath.Join(dir, "parent.txt")}, set.Parents, "relative to the configuration file")
	require.Len(t, set.Themes, 2)
	assert.Equal(t, "本县无院前急救中心", set.NotApplicable["p1:2"])

	data, err := os.ReadFile(set.Parents[0])
	require.NoError(t, err)
	parent := parseText(t, set, "parent.txt", string(data))

	draft := func(body string) *plan.Plan {
		return parseText(t, set, "draft.txt", body)
	}
	// 2020: the covid theme applies and is missing; 医共体 is taken up in
	// other words (a synonym); 院前急救 is not applicable; 慢病 has only
	// one of its two required phrases.
	p := draft("2020年全县卫生健康工作要点\n一、重点工作\n1.建设县域医疗卫生服务共同体，年底前完成组建。\n2.做好高血压患者管理。\n")
	findings, coverage, errs := checker.New(set).CheckAgainst(p, []*plan.Plan{parent})
	require.Empty(t, errs)
	verdicts := map[string]string{}
	for _, r := range coverage {
		verdicts[r.Theme.ID] = r.Verdict
	}
	assert.Equal(t, themes.Covered, verdicts["p1:1"], "医共体 via its synonym")
	assert.Equal(t, themes.NotApplicable, verdicts["p1:2"])
	assert.Equal(t, themes.Missing, verdicts["covid"])
	assert.NotEqual(t, themes.Covered, verdicts["chronic"], "all = [高血压, 糖尿病] needs both")
	var reported []string
	for _, f := range findings {
		reported = append(reported, f.Message)
	}
	assert.Contains(t, reported, "covid 新冠肺炎疫情防控")
	for _, m := range reported {
		assert.NotContains(t, m, "p1:2", "a theme that does not apply is not reported")
	}

	// 2019: applies_when keeps the covid theme out.
	p = draft("2019年全县卫生健康工作要点\n一、重点工作\n1.建设县域医疗卫生服务共同体。\n")
	_, coverage, errs = checker.New(set).CheckAgainst(p, []*plan.Plan{parent})
	require.Empty(t, errs)
	for _, r := range coverage {
		assert.NotEqual(t, "covid", r.Theme.ID)
	}
}

// Mistakes in [[theme]] are reported like rule mistakes, with the file and line.
func TestThemeConfigurationErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.toml")
	require.NoError(t, os.WriteFile(path, []byte("extends = []\n[[theme]]\nid = \"x\"\n\n[[theme]]\nid = \"y\"\nname = \"Y\"\napplies_when = \"plan.year >=\"\n"), 0o644))
	_, err := rules.LoadFile(path, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "r.toml:2")
	assert.Contains(t, err.Error(), "needs an id and a name")
	assert.Contains(t, err.Error(), "r.toml:8")
}
