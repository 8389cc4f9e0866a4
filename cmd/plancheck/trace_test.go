package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The JSON of plancheck trace is a documented contract.
func TestTraceJSONContract(t *testing.T) {
	out, errOut, code := runCLI(t, "", "trace", "--parent", "../../fixtures/rules/theme-not-covered.parent.txt", "--format", "json", "../../fixtures/rules/theme-not-covered.txt")
	require.Equal(t, 0, code, errOut)
	var m struct {
		Themes []struct {
			ID, Source, Text, File, Verdict string
			Line                            int
			Score                           float64
			Matches                         []struct {
				File, Text string
				Line, Col  int
				Score      float64
				Evidence   []string
			}
		}
		Unmatched []struct {
			File, Text string
			Line       int
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &m))
	verdicts := map[string]string{}
	for _, th := range m.Themes {
		assert.Equal(t, "parent", th.Source)
		assert.Positive(t, th.Line)
		verdicts[th.Text] = th.Verdict
		if th.Verdict == "covered" {
			require.NotEmpty(t, th.Matches, th.Text)
			assert.NotEmpty(t, th.Matches[0].Evidence, th.Text)
		}
	}
	assert.Equal(t, "missing", verdicts["推进“互联网+医疗健康”"])
	assert.Equal(t, "covered", verdicts["推进县域医共体建设"])
	assert.Equal(t, "covered", verdicts["完善家庭医生签约服务"])
}

func TestTraceFormats(t *testing.T) {
	for _, format := range []string{"text", "markdown", "csv"} {
		out, errOut, code := runCLI(t, "", "trace", "--parent", "../../fixtures/rules/theme-not-covered.parent.txt", "--format", format, "../../fixtures/rules/theme-not-covered.txt")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "互联网+医疗健康", format)
		assert.Contains(t, out, "未落实", format)
		if format == "csv" {
			assert.True(t, strings.HasPrefix(out, "\uFEFF"), "CSV starts with a BOM for Excel")
		}
	}
	_, errOut, code := runCLI(t, "", "trace", "../../fixtures/rules/theme-not-covered.txt")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "higher-level plan")
}
