package rules_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// parse reads text as a plan with the set's vocabulary.
func parse(t testing.TB, set *rules.Set, text string) *plan.Plan {
	t.Helper()
	src, err := plan.NewSource("draft.txt", []byte(text))
	require.NoError(t, err)
	return plan.Parse(src, &set.Vocab)
}

// writeFiles writes name → content into a new temporary directory.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

// loadErrors loads the rule file content and returns its errors, one
// string per error, with the temporary directory removed from paths.
func loadErrors(t testing.TB, content string) []string {
	t.Helper()
	dir := writeFiles(t, map[string]string{"r.toml": content})
	_, err := rules.LoadFile(filepath.Join(dir, "r.toml"), nil)
	if err == nil {
		return nil
	}
	var list rules.ErrorList
	require.ErrorAs(t, err, &list)
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = strings.ReplaceAll(e.Error(), dir+string(filepath.Separator), "")
	}
	return out
}

// ruleTOML writes one [[rule]] with the given fields over sane defaults.
func ruleTOML(fields map[string]string) string {
	base := map[string]string{
		"id": `"x-rule"`, "title": `"标题"`, "severity": `"warning"`, "scope": `"item"`,
		"check": `"true"`, "message": `"消息"`,
	}
	for k, v := range fields {
		base[k] = v
	}
	var b strings.Builder
	b.WriteString("[[rule]]\n")
	for _, k := range []string{"id", "title", "severity", "scope", "when", "check", "message", "suggestion", "tags", "enabled", "note"} {
		if v, ok := base[k]; ok && v != "" {
			b.WriteString(k + " = " + v + "\n")
		}
	}
	return b.String()
}
