package plan

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Cases found while writing the rule fixtures.
func TestExtractFixtureRegressions(t *testing.T) {
	x := NewExtractor(testVocab(t))
	facts := func(text string) Facts {
		src := mustSource(t, "t.txt", []byte(text))
		return x.All(src, 0, len(src.Text), 2019)
	}

	// 场次 is a unit: 50场次以上 is a target.
	f := facts("组织健康科普巡讲，全年开展巡讲50场次以上。")
	var targets []string
	for _, tg := range f.Targets {
		targets = append(targets, tg.Text)
	}
	assert.Contains(t, targets, "50场次以上")

	// 全年 in a table's 完成时限 cell is the plan year.
	f = facts("全年")
	if assert.Len(t, f.Deadlines, 1) {
		assert.Equal(t, "2019-01-01", f.Deadlines[0].From)
		assert.Equal(t, "2019-12-31", f.Deadlines[0].To)
	}

	// 达到国家标准的比例提高到60%: the reference qualifies the indicator.
	f = facts("年底前基层医疗卫生机构服务能力达到国家标准的比例提高到60%。")
	for _, tg := range f.Targets {
		assert.False(t, tg.ByReference, "%q is not a target by reference", tg.Text)
	}
	f = facts("体检率不低于省要求。")
	if assert.Len(t, f.Targets, 1) {
		assert.True(t, f.Targets[0].ByReference)
	}
}

// Owners whose names hold a bracket with a list inside.
func TestExtractOwnersNestedBrackets(t *testing.T) {
	x := NewExtractor(testVocab(t))
	for text, want := range map[string][]string{
		"加强管理。（各县（市、区）卫生健康局负责）":       {"各县（市、区）卫生健康局"},
		"加强管理。（市疾控中心、各县（市、区）卫生健康局负责）": {"市疾控中心", "各县（市、区）卫生健康局"},
		"加强管理。（各县（市、区）卫生健康局、市疾控中心负责）": {"各县（市、区）卫生健康局", "市疾控中心"},
	} {
		src := mustSource(t, "t", []byte(text))
		var got []string
		for _, o := range x.All(src, 0, len(src.Text), 2019).Owners {
			got = append(got, o.Name)
			assert.Equal(t, o.Text, string(src.Original()[o.Start.Offset:o.End.Offset]))
		}
		assert.Equal(t, want, got, text)
	}
}

// A slogan explained after a short head noun is explained.
func TestExtractSloganExplainedAfterNoun(t *testing.T) {
	x := NewExtractor(testVocab(t))
	src := mustSource(t, "t", []byte("以“1126”工作思路（即一个目标、一条主线、两大任务、六项举措）为统领，落实“六统一”要求。"))
	terms := x.All(src, 0, len(src.Text), 2019).Terms
	require.Len(t, terms, 2)
	assert.True(t, terms[0].Slogan)
	assert.True(t, terms[0].Explained, "“1126”工作思路（即…）")
	assert.False(t, terms[1].Explained, "“六统一”要求 has no explanation")
}
