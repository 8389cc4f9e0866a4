package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/rules"
)

// TestLoadBrokenGolden loads a file with five different mistakes and
// checks that all five are reported, positioned, in one list.
func TestLoadBrokenGolden(t *testing.T) {
	_, err := rules.LoadFile("testdata/broken.toml", nil)
	require.Error(t, err)
	var list rules.ErrorList
	require.ErrorAs(t, err, &list)
	require.Len(t, list, 5)
	got := err.Error() + "\n"
	golden := "testdata/broken.golden"
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), got)

	ids := []string{}
	for _, e := range list {
		ids = append(ids, e.RuleID)
	}
	assert.Equal(t, []string{"severity-bad", "key-unknown", "syntax-bad", "type-bad", "key-unknown"}, ids)
	// The caret sits under ")" after five wide characters: 20 narrow
	// characters, 5 wide ones (10 cells), a quote and a space.
	syntax := list[2]
	assert.Equal(t, 28, syntax.Col)
	assert.Equal(t, `item.text contains "责任单位：" )`, syntax.Expr)
	assert.Contains(t, syntax.Error(), "\n    "+strings.Repeat(" ", 32)+"^")
}

func TestLoadErrors(t *testing.T) {
	vocab := "[vocab]\nvague_verbs = [\"进一步加强\"]\n\n"
	tests := []struct {
		name    string
		content string
		want    []string
	}{
		{
			name:    "unknown keys go to their own rule",
			content: ruleTOML(map[string]string{"id": `"a-rule"`}) + ruleTOML(map[string]string{"id": `"b-rule"`, "note": `"x"`}),
			want:    []string{`r.toml:15: b-rule: unknown key "note"`},
		},
		{
			name:    "wrong TOML types",
			content: ruleTOML(map[string]string{"tags": `"one"`, "enabled": `"yes"`}),
			want: []string{
				`r.toml:8: x-rule: tags: want an array of strings, not string`,
				`r.toml:9: x-rule: enabled: want true or false, not string`,
			},
		},
		{
			name:    "severity that is not a string",
			content: ruleTOML(map[string]string{"severity": `3`}),
			want:    []string{`r.toml:4: x-rule: severity: unknown severity "3" (want error, warning or info)`},
		},
		{
			name:    "bad scope and id",
			content: ruleTOML(map[string]string{"id": `"Owner_Missing"`, "scope": `"items"`}),
			want: []string{
				`r.toml:2: Owner_Missing: id: id "Owner_Missing" is not kebab-case (area first, e.g. deadline-vague)`,
				`r.toml:5: Owner_Missing: scope: unknown scope "items" (want document, section, item, numbered, task, text, theme, paragraph, table_row, sentence)`,
			},
		},
		{
			name:    "missing fields",
			content: "[[rule]]\nid = \"x-rule\"\n",
			want: []string{
				`r.toml:1: x-rule: check: missing check`,
				`r.toml:1: x-rule: message: missing message`,
				`r.toml:1: x-rule: scope: missing scope`,
				`r.toml:1: x-rule: severity: missing severity`,
				`r.toml:1: x-rule: title: missing title`,
			},
		},
		{
			name:    "name of another scope",
			content: ruleTOML(map[string]string{"scope": `"section"`, "check": `"len(item.owners) == 0"`}),
			want:    []string{"r.toml:6: x-rule: check: item is not available in a rule of scope section (use section)\n    len(item.owners) == 0\n        ^"},
		},
		{
			name:    "match outside templates",
			content: ruleTOML(map[string]string{"check": `"match.text == \"\""`}),
			want:    []string{"r.toml:6: x-rule: check: match is only set in message and suggestion\n    match.text == \"\"\n    ^"},
		},
		{
			name:    "unknown vocab list",
			content: vocab + ruleTOML(map[string]string{"check": `"has_any(item.text, vocab.vague_verb)"`}),
			want:    []string{"r.toml:9: x-rule: check: unknown vocab list \"vague_verb\"\n    has_any(item.text, vocab.vague_verb)\n                             ^"},
		},
		{
			name:    "bad constant regexp",
			content: ruleTOML(map[string]string{"check": `'find(item, "年(")'`}),
			want:    []string{"r.toml:6: x-rule: check: bad regexp: missing closing )\n    find(item, \"年(\")\n               ^"},
		},
		{
			name:    "when that is not a bool",
			content: ruleTOML(map[string]string{"when": `"item.title"`}),
			want:    []string{"r.toml:6: x-rule: when: expected bool, but got string"},
		},
		{
			name:    "check that returns a list of strings",
			content: ruleTOML(map[string]string{"check": `"item.path"`}),
			want:    []string{"r.toml:6: x-rule: check: check must return a bool or a list of matches, not []string"},
		},
		{
			name:    "unknown template field, caret inside the template",
			content: ruleTOML(map[string]string{"message": `"第{{ item.label }}项“{{ item.titel }}”"`}),
			want:    []string{"r.toml:7: x-rule: message: type rules.UnitView has no field titel\n    第{{ item.label }}项“{{ item.titel }}”\n                                 ^"},
		},
		{
			name:    "unclosed template part",
			content: ruleTOML(map[string]string{"message": `"缺少{{ item.label"`}),
			want:    []string{"r.toml:7: x-rule: message: {{ without }}\n    缺少{{ item.label\n        ^"},
		},
		{
			name:    "template part that cannot be printed",
			content: ruleTOML(map[string]string{"message": `"{{ item }}"`}),
			want:    []string{"r.toml:7: x-rule: message: cannot write a value of type unit into a message (use a string field such as .text)\n    {{ item }}\n       ^"},
		},
		{
			name:    "error on the third line of a multi-line check",
			content: ruleTOML(map[string]string{"check": "'''\nlen(item.owners) == 0 &&\n  itm.text != \"\"\n'''"}),
			want:    []string{"r.toml:8: x-rule: check: unknown name itm\n      itm.text != \"\"\n      ^"},
		},
		{
			name:    "TOML syntax error",
			content: "[[rule]]\nid = \"x\nx\"\n",
			want:    []string{`r.toml:2: strings cannot contain newlines`},
		},
		{
			name:    "override and disable of unknown rules",
			content: ruleTOML(nil) + "\n[override.x-rul]\nseverity = \"error\"\n\n[override.\"y-*\"]\nseverity = \"error\"\n",
			want:    []string{`r.toml:9: x-rul: override: unknown rule "x-rul"`},
		},
		{
			name:    "bad override severity and unknown override key",
			content: ruleTOML(nil) + "\n[override.x-rule]\nseverity = \"fatal\"\nlevel = 1\n",
			want: []string{
				`r.toml:10: x-rule: override: unknown severity "fatal" (want error, warning or info)`,
				`r.toml:11: x-rule: override: unknown key "level"`,
			},
		},
		{
			name:    "unknown top-level key and table",
			content: "disabled = [\"x\"]\n[overide.x]\nseverity = \"info\"\n",
			want: []string{
				`r.toml:1: unknown key "disabled"`,
				`r.toml:2: unknown key "overide"`,
			},
		},
		{
			name:    "lists that are not arrays of strings",
			content: "extends = \"builtin\"\ndisable = [\"x-rule\", \"y-rule\"]\n[vocab]\nvague_verbs = \"进一步加强\"\n[vocab_replace]\nowner_labels = [1]\n" + ruleTOML(nil),
			want: []string{
				`r.toml:1: extends: want an array of strings, not string`,
				`r.toml:2: disable: unknown rule "y-rule"`,
				`r.toml:4: vocab.vague_verbs: want an array of strings, not string`,
				`r.toml:6: vocab_replace.owner_labels: want an array of strings, not array`,
			},
		},
		{
			name:    "operands of + of unknown type",
			content: ruleTOML(map[string]string{"check": `'item.text + get({"a": 1}, "a") == ""'`}),
			want:    []string{"r.toml:6: x-rule: check: the operands of + must have types known at load time (convert with string() or int())\n    item.text + get({\"a\": 1}, \"a\") == \"\"\n              ^"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, loadErrors(t, tt.content))
		})
	}
}

func TestLoadErrorsNoPanicOnHostileRules(t *testing.T) {
	tests := []struct{ name, check, want string }{
		{"10,000 nested brackets", strings.Repeat("(", 10000) + "true" + strings.Repeat(")", 10000), "expression longer than"},
		{"brackets nested too deep", strings.Repeat("(", 200) + "true" + strings.Repeat(")", 200), "brackets nested more than 100 deep"},
		{"10,000 negations", strings.Repeat("!", 10000) + "true", "exceeds maximum allowed nodes"},
		{"a million brackets", strings.Repeat("[", 1_000_000), "expression longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := loadErrors(t, ruleTOML(map[string]string{"check": "'''" + tt.check + "'''"}))
			require.Len(t, errs, 1)
			assert.Contains(t, errs[0], tt.want)
		})
	}
	t.Run("rule file too large", func(t *testing.T) {
		errs := loadErrors(t, "a = "+strings.Repeat("[", 2<<20))
		require.Len(t, errs, 1)
		assert.Contains(t, errs[0], "rule file larger than")
	})
}

func TestLoadBuiltinNamesItsErrors(t *testing.T) {
	_, err := rules.LoadBuiltin([]byte(ruleTOML(map[string]string{"severity": `"fatal"`})), rules.BuiltinName)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "rules.toml (built-in):4: x-rule: severity:"), err.Error())

	_, err = rules.LoadBuiltin([]byte("extends = [\"other.toml\"]\n"), rules.BuiltinName)
	require.Error(t, err)
	assert.Equal(t, "rules.toml (built-in):1: extends: the built-in rule set cannot extend other files", err.Error())
}

const builtinTOML = `
[vocab]
vague_verbs = ["进一步加强", "不断完善"]
vague_deadlines = ["年内"]
owner_labels = ["责任单位"]

[[rule]]
id = "deadline-missing"
title = "缺少时限"
severity = "warning"
scope = "item"
check = "len(item.deadlines) == 0"
message = "未写时限"

[[rule]]
id = "deadline-vague"
title = "时限模糊"
severity = "info"
scope = "item"
check = "find_any(item, vocab.vague_deadlines)"
message = "“{{ match.text }}”"

[[rule]]
id = "owner-missing"
title = "缺少责任单位"
severity = "warning"
scope = "item"
check = "len(item.owners) == 0"
message = "未写责任单位"
`

func TestLoadComposition(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"other.toml": `extends = []
[vocab]
vague_verbs = ["大力推进", "进一步加强"]

[[rule]]
id = "local-rule"
title = "本地规则"
severity = "info"
scope = "document"
check = "plan.year == 0"
message = "x"
`,
		"sub/.plancheck.toml": `extends = ["builtin", "../other.toml"]
disable = ["owner-*"]

[vocab]
vague_verbs = ["积极开展", "不断完善"]

[vocab_replace]
owner_labels = ["责任科室"]

[override."deadline-*"]
severity = "error"

[override.local-rule]
enabled = false

[[rule]]
id = "deadline-missing"
title = "缺少时限（本地）"
severity = "info"
scope = "item"
check = "len(item.deadlines) == 0 && item.is_task"
message = "未写时限"
`,
	})
	config := filepath.Join(dir, "sub", ".plancheck.toml")
	set, err := rules.LoadFile(config, []byte(builtinTOML))
	require.NoError(t, err)

	assert.Equal(t, []string{rules.BuiltinName, filepath.Join(dir, "other.toml"), config}, set.Files)
	var ids, sevs []string
	var enabled []bool
	for _, r := range set.Rules {
		ids = append(ids, r.ID)
		sevs = append(sevs, r.Severity.String())
		enabled = append(enabled, r.Enabled)
	}
	// deadline-missing is replaced in place; the override of the same file
	// applies to the replacement.
	assert.Equal(t, []string{"deadline-missing", "deadline-vague", "owner-missing", "local-rule"}, ids)
	assert.Equal(t, []string{"error", "error", "warning", "info"}, sevs)
	assert.Equal(t, []bool{true, true, false, false}, enabled)
	assert.Equal(t, "缺少时限（本地）", set.Rules[0].Title)
	assert.Equal(t, config, set.Rules[0].File)
	assert.Equal(t, 16, set.Rules[0].Line)

	assert.Equal(t, []string{"进一步加强", "不断完善", "大力推进", "积极开展"}, set.Lists["vague_verbs"])
	assert.Equal(t, []string{"责任科室"}, set.Lists["owner_labels"])
	assert.Equal(t, set.Lists["vague_verbs"], set.Vocab.VagueVerbs)
	assert.Equal(t, []string{"责任科室"}, set.Vocab.OwnerLabels)
	assert.Equal(t, []string{"年内"}, set.Vocab.VagueDeadlines)

	enabledIDs := []string{}
	for _, r := range set.Enabled() {
		enabledIDs = append(enabledIDs, r.ID)
	}
	assert.Equal(t, []string{"deadline-missing", "deadline-vague"}, enabledIDs)
}

func TestLoadExtends(t *testing.T) {
	t.Run("no extends key means the built-in set", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{"c.toml": "disable = [\"owner-missing\"]\n"})
		set, err := rules.LoadFile(filepath.Join(dir, "c.toml"), []byte(builtinTOML))
		require.NoError(t, err)
		assert.Len(t, set.Rules, 3)
		assert.False(t, set.Rule("owner-missing").Enabled)
	})
	t.Run("an empty extends stands alone", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{"c.toml": "extends = []\n" + ruleTOML(nil)})
		set, err := rules.LoadFile(filepath.Join(dir, "c.toml"), []byte(builtinTOML))
		require.NoError(t, err)
		require.Len(t, set.Rules, 1)
		assert.Equal(t, "x-rule", set.Rules[0].ID)
	})
	t.Run("a file extended twice is merged once", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{
			"a.toml": "extends = [\"builtin\", \"b.toml\", \"builtin\"]\n",
			"b.toml": "extends = [\"builtin\"]\n",
		})
		set, err := rules.LoadFile(filepath.Join(dir, "a.toml"), []byte(builtinTOML))
		require.NoError(t, err)
		assert.Equal(t, []string{rules.BuiltinName, filepath.Join(dir, "b.toml"), filepath.Join(dir, "a.toml")}, set.Files)
	})
	t.Run("cycle and missing file", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{
			"a.toml": "extends = [\"b.toml\"]\n",
			"b.toml": "\n\nextends = [\"a.toml\", \"missing.toml\"]\n",
		})
		_, err := rules.LoadFile(filepath.Join(dir, "a.toml"), nil)
		require.Error(t, err)
		msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
		lines := strings.Split(msg, "\n")
		require.Len(t, lines, 2)
		assert.Equal(t, "b.toml:3: extends: "+filepath.Join(dir, "a.toml")+" extends itself", strings.Replace(lines[0], "a.toml extends", filepath.Join(dir, "a.toml")+" extends", 1))
		assert.True(t, strings.HasPrefix(lines[1], "b.toml:3: extends: cannot read rule file:"), lines[1])
	})
	t.Run("builtin without built-in data", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{"a.toml": "extends = [\"builtin\"]\n"})
		_, err := rules.LoadFile(filepath.Join(dir, "a.toml"), nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "a.toml:1: extends: no built-in rule set")
	})
}

func TestFindConfig(t *testing.T) {
	dir := writeFiles(t, map[string]string{"proj/.plancheck.toml": "", "proj/a/b/draft.txt": "x"})
	got, ok := rules.FindConfig(filepath.Join(dir, "proj", "a", "b"))
	require.True(t, ok)
	assert.Equal(t, filepath.Join(dir, "proj", ".plancheck.toml"), got)

	_, ok = rules.FindConfig(t.TempDir())
	assert.False(t, ok, "no config above a fresh temporary directory")
}

func TestSelect(t *testing.T) {
	tests := []struct {
		name             string
		enable, disable  []string
		wantEnabled      []string
		wantErrSubstring string
	}{
		{name: "disable by glob", disable: []string{"deadline-*"}, wantEnabled: []string{"owner-missing"}},
		{name: "enable wins over default, disable wins over enable", enable: []string{"*"}, disable: []string{"owner-missing"}, wantEnabled: []string{"deadline-missing", "deadline-vague"}},
		{name: "a glob may match nothing", disable: []string{"punct-*"}, wantEnabled: []string{"deadline-missing", "deadline-vague", "owner-missing"}},
		{name: "an unknown id is an error", disable: []string{"deadline-missng"}, wantErrSubstring: `unknown rule "deadline-missng"`},
		{name: "a bad pattern is an error", enable: []string{"[x"}, wantErrSubstring: `bad pattern "[x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := rules.LoadBuiltin([]byte(builtinTOML), rules.BuiltinName)
			require.NoError(t, err)
			err = set.Select(tt.enable, tt.disable)
			if tt.wantErrSubstring != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErrSubstring)
				return
			}
			require.NoError(t, err)
			var got []string
			for _, r := range set.Enabled() {
				got = append(got, r.ID)
			}
			assert.Equal(t, tt.wantEnabled, got)
		})
	}
}

func TestScopeUnmarshalText(t *testing.T) {
	var s rules.Scope
	require.NoError(t, s.UnmarshalText([]byte("table_row")))
	assert.Equal(t, rules.ScopeTableRow, s)
	assert.Error(t, s.UnmarshalText([]byte("row")))
}

// BenchmarkLoadBuiltinLike loads a set the size of the built-in one; the
// target is well under 20 ms.
func BenchmarkLoadBuiltinLike(b *testing.B) {
	for b.Loop() {
		if _, err := rules.LoadFile("testdata/builtin_like.toml", nil); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzLoadBuiltin: a rule file, however broken, is an error list, never a
// panic.
func FuzzLoadBuiltin(f *testing.F) {
	for _, name := range []string{"testdata/basic.toml", "testdata/broken.toml", "testdata/builtin_like.toml"} {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(ruleTOML(map[string]string{"check": `"find(item, \"(\") + 1"`, "message": `"{{ {{ }}"`})))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := rules.LoadBuiltin(data, "fuzz.toml")
		if err == nil {
			require.NotNil(t, set)
			return
		}
		var list rules.ErrorList
		require.ErrorAs(t, err, &list)
		require.NotEmpty(t, list)
	})
}
