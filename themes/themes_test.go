package themes

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/plancheck/plancheck/plan"
)

const parentText = `2020年全省卫生健康工作要点

一、深化医药卫生体制改革
1.加快县域医共体建设。推进“最多跑一次”改革，县域就诊率达到90%。
2.做实家庭医生签约服务。重点人群签约率达到70%以上。
二、传承发展中医药
3.推动中医药传承创新发展。建设名中医工作室。
（1）开展中医药适宜技术推广。
（2）建设基层中医馆。
`

const draftText = `2020年全县卫生健康工作要点

一、改革
1.推动医疗卫生服务共同体紧密运行。县人民医院牵头组建共同体。
2.深化责任医生签约。重点人群签约率达到72%。
二、中医药
3.县中医院建成名中医工作室，乡镇卫生院设中医馆。
三、其他
4.规范医疗废物集中处置，收运率达到100%。
`

func testMatcher(t testing.TB) *Matcher { return NewMatcher(testOptions(t)) }

// pos is a position written line:col, columns in characters.
func pos(p plan.Position) [2]int { return [2]int{p.Line, p.Col} }

func TestDerive(t *testing.T) {
	m := testMatcher(t)
	themes := m.Derive(parseText(t, "parent.txt", parentText), "p1")
	tests := []struct {
		id, kind, label, title string
		start, end             [2]int
		terms                  []string
	}{
		{"p1:一", KindHeading, "一、", "深化医药卫生体制改革", [2]int{3, 1}, [2]int{5, 29}, nil},
		{"p1:1", KindItem, "1.", "加快县域医共体建设", [2]int{4, 1}, [2]int{4, 36}, []string{"最多跑一次", "医共体"}},
		{"p1:2", KindItem, "2.", "做实家庭医生签约服务", [2]int{5, 1}, [2]int{5, 29}, []string{"家庭医生签约"}},
		{"p1:二", KindHeading, "二、", "传承发展中医药", [2]int{6, 1}, [2]int{9, 12}, nil},
		{"p1:3", KindItem, "3.", "推动中医药传承创新发展", [2]int{7, 1}, [2]int{9, 12}, nil},
		{"p1:(1)", KindItem, "（1）", "开展中医药适宜技术推广", [2]int{8, 1}, [2]int{8, 16}, nil},
		{"p1:(2)", KindItem, "（2）", "建设基层中医馆", [2]int{9, 1}, [2]int{9, 12}, nil},
	}
	require.Len(t, themes, len(tests))
	for i, tt := range tests {
		th := themes[i]
		t.Run(tt.id, func(t *testing.T) {
			assert.Equal(t, tt.id, th.ID)
			assert.Equal(t, "p1", th.Source)
			assert.Equal(t, tt.kind, th.Kind)
			assert.Equal(t, tt.label, th.Label)
			assert.Equal(t, tt.title, th.Title)
			assert.Equal(t, "parent.txt", th.File)
			assert.Equal(t, tt.start, pos(th.Start), "start")
			assert.Equal(t, tt.end, pos(th.End), "end")
			assert.Equal(t, tt.terms, th.Terms)
			assert.NotNil(t, th.Unit())
		})
	}
	// An item's text carries its sub-items; a heading's does not carry its items.
	assert.Contains(t, themes[4].Text, "建设基层中医馆")
	assert.NotContains(t, themes[3].Text, "名中医工作室")
}

func TestThemeIDsUnique(t *testing.T) {
	v := testVocab(t)
	m := testMatcher(t)
	for _, name := range []string{"000", "001", "002", "003", "004"} {
		t.Run(name, func(t *testing.T) {
			themes := m.Derive(parseCorpus(t, v, name), "p2")
			require.NotEmpty(t, themes)
			seen := map[string]bool{}
			for _, th := range themes {
				assert.False(t, seen[th.ID], "duplicate id %s", th.ID)
				seen[th.ID] = true
				assert.True(t, strings.HasPrefix(th.ID, "p2:"), th.ID)
			}
		})
	}
	// 003 has two headings numbered 一、 and items 1、 under two sections.
	themes := m.Derive(parseCorpus(t, v, "003"), "p1")
	ids := map[string]string{}
	for _, th := range themes {
		ids[th.ID] = th.Title
	}
	assert.Equal(t, "指导思想", ids["p1:一"])
	assert.Equal(t, "主要任务", ids["p1:一#2"])
	assert.Contains(t, ids["p1:一/1"], "认真贯彻落实党的十七届六中全会精神")
	assert.Contains(t, ids["p1:(一)/1"], "继续稳步推进医药卫生体制各项改革")
}

// find returns the result of a theme by id.
func find(t testing.TB, results []Result, id string) Result {
	t.Helper()
	for _, r := range results {
		if r.Theme.ID == id {
			return r
		}
	}
	require.Failf(t, "no result", "theme %s", id)
	return Result{}
}

func TestMatchEvidence(t *testing.T) {
	m := testMatcher(t)
	parent := parseText(t, "parent.txt", parentText)
	draft := parseText(t, "draft.txt", draftText)
	results := m.Match(m.Derive(parent, "p1"), nil, draft)

	tests := []struct {
		id       string
		verdict  string
		unit     string // label of the best unit
		phrase   string // one evidence phrase of the best unit
		text     string // as written in the draft
		start    plan.Position
		endCol   int
		notOther string // a phrase that must not be evidence
	}{
		// 医疗卫生服务共同体 is rewritten to 医共体.
		{"p1:1", Covered, "1.", "医共体", "医疗卫生服务共同体", plan.Position{Line: 4, Col: 5}, 14, "推动"},
		// 责任医生签约 is rewritten to 家庭医生签约.
		{"p1:2", Covered, "2.", "家庭医生签约", "责任医生签约", plan.Position{Line: 5, Col: 5}, 11, ""},
		// 工作 is filler: the phrase stops before it.
		{"p1:3", Covered, "3.", "名中医", "名中医", plan.Position{Line: 7, Col: 9}, 12, "工作室"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			r := find(t, results, tt.id)
			assert.Equal(t, tt.verdict, r.Verdict, "score %.3f", r.Score)
			require.NotEmpty(t, r.Matches)
			best := r.Matches[0]
			assert.Equal(t, tt.unit, best.Unit.Label)
			assert.Equal(t, r.Score, best.Score)
			var ev *Evidence
			for i, e := range best.Evidence {
				if e.Phrase == tt.phrase {
					ev = &best.Evidence[i]
				}
				assert.NotEqual(t, tt.notOther, e.Phrase)
			}
			require.NotNil(t, ev, "no evidence %q in %+v", tt.phrase, best.Evidence)
			assert.Equal(t, tt.text, ev.Match.Text)
			assert.Equal(t, tt.start.Line, ev.Match.Start.Line)
			assert.Equal(t, tt.start.Col, ev.Match.Start.Col)
			assert.Equal(t, tt.endCol, ev.Match.End.Col)
			assert.Equal(t, tt.start.Line, ev.Match.End.Line)
			s, e := ev.Match.Offsets()
			assert.Equal(t, tt.text, draft.Source.Text[s:e])
			assert.Equal(t, s, ev.Match.Start.Offset, "UTF-8: original offset = decoded offset")
		})
	}
	// Evidence is in document order.
	for _, r := range results {
		for _, um := range r.Matches {
			for i := 1; i < len(um.Evidence); i++ {
				assert.LessOrEqual(t, um.Evidence[i-1].Match.Start.Offset, um.Evidence[i].Match.Start.Offset)
			}
		}
	}
}

// TestEvidenceOffsetsGB18030 checks that evidence spans count bytes of the
// original GB18030 input, not of the decoded text.
func TestEvidenceOffsetsGB18030(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(draftText)
	require.NoError(t, err)
	src, err := plan.NewSource("draft-gb.txt", []byte(gb))
	require.NoError(t, err)
	require.Equal(t, plan.EncGB18030, src.Encoding)
	draft := plan.Parse(src, testVocab(t))
	m := testMatcher(t)
	r := find(t, m.Match(m.Derive(parseText(t, "parent.txt", parentText), "p1"), nil, draft), "p1:3")
	require.NotEmpty(t, r.Matches)
	var ev *Evidence
	for i, e := range r.Matches[0].Evidence {
		if e.Phrase == "名中医" {
			ev = &r.Matches[0].Evidence[i]
		}
	}
	require.NotNil(t, ev)
	want, err := simplifiedchinese.GB18030.NewEncoder().String("名中医")
	require.NoError(t, err)
	assert.Equal(t, strings.Index(gb, want), ev.Match.Start.Offset)
	assert.Equal(t, strings.Index(gb, want)+len(want), ev.Match.End.Offset)
	assert.Equal(t, 7, ev.Match.Start.Line)
	assert.Equal(t, 9, ev.Match.Start.Col)
}

func TestSynonyms(t *testing.T) {
	parent := parseText(t, "parent.txt", parentText)
	draft := parseText(t, "draft.txt", draftText)
	with := testMatcher(t)
	opt := testOptions(t)
	opt.Synonyms = nil
	without := NewMatcher(opt)
	for _, id := range []string{"p1:1", "p1:2"} {
		rw := find(t, with.Match(with.Derive(parent, "p1"), nil, draft), id)
		ro := find(t, without.Match(without.Derive(parent, "p1"), nil, draft), id)
		assert.Greater(t, rw.Score, ro.Score, "%s: the synonym table raises the score", id)
	}
	// A later group does not steal a member of an earlier one.
	m := NewMatcher(Options{Synonyms: [][]string{{"医共体", "医疗共同体"}, {"共同体X", "医疗共同体"}, {}, {""}}})
	cs := m.normalize(nil, "医疗共同体", 0, len("医疗共同体"))
	assert.Equal(t, "医共体", phrase(cs))
	require.Len(t, cs, 4, "three characters and the closing break")
	for _, c := range cs[:len(cs)-1] {
		assert.Equal(t, int32(0), c.start)
		assert.Equal(t, int32(len("医疗共同体")), c.end)
		assert.NotZero(t, c.flags&flagNamed)
	}
}

func TestNormalize(t *testing.T) {
	m := NewMatcher(Options{Filler: []string{"加强", "工作"}, Synonyms: [][]string{{"双随机一公开", "双随机、一公开"}}})
	tests := []struct {
		in, want string // want: characters, '|' for a break (none leading)
		filler   string // characters flagged filler, in order
		quoted   string // characters flagged quoted, in order
	}{
		{"加强ＡＢＣ工作。", "加强abc工作|", "加强工作", ""},
		{"推行“双随机、一公开”监管", "推行|双随机一公开|监管|", "", "双随机一公开"},
		{"2019年完成《规划》编制", "年完成|规划|编制|", "", "规划"},
		{"“未闭合\n下一行", "未闭合|下一行|", "", "未闭合"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			cs := m.normalize(nil, tt.in, 0, len(tt.in))
			var got, filler, quoted strings.Builder
			for _, c := range cs {
				if c.r == brk {
					got.WriteByte('|')
					continue
				}
				got.WriteRune(c.r)
				if c.flags&flagFiller != 0 {
					filler.WriteRune(c.r)
				}
				if c.flags&flagQuoted != 0 {
					quoted.WriteRune(c.r)
				}
				assert.Less(t, c.start, c.end)
			}
			assert.Equal(t, tt.want, got.String())
			assert.Equal(t, tt.filler, filler.String())
			assert.Equal(t, tt.quoted, quoted.String())
		})
	}
}

func TestFillerWeighedDown(t *testing.T) {
	parent := parseText(t, "p.txt", "一、重点工作\n1.加强推进落实医疗废物处置。全面开展集中收运。\n")
	draft := parseText(t, "d.txt", "一、重点工作\n1.加强推进落实全面开展工作。\n2.规范医疗废物处置。\n")
	m := NewMatcher(Options{Filler: []string{"加强", "推进", "落实", "全面", "开展", "工作"}})
	plain := NewMatcher(Options{})
	r := find(t, m.Match(m.Derive(parent, "p1"), nil, draft), "p1:1")
	rp := find(t, plain.Match(plain.Derive(parent, "p1"), nil, draft), "p1:1")
	require.Len(t, r.Matches, 2)
	assert.Equal(t, "2.", r.Matches[0].Unit.Label, "the unit sharing the subject comes first")
	// The unit sharing only filler words scores less than without the list,
	// and shows no filler phrase as evidence.
	var fillerOnly, fillerOnlyPlain float64
	for _, um := range r.Matches {
		if um.Unit.Label == "1." {
			fillerOnly = um.Score
			assert.Empty(t, um.Evidence)
		}
	}
	for _, um := range rp.Matches {
		if um.Unit.Label == "1." {
			fillerOnlyPlain = um.Score
			assert.NotEmpty(t, um.Evidence)
		}
	}
	assert.Less(t, fillerOnly, fillerOnlyPlain)
	assert.Equal(t, []Evidence{r.Matches[0].Evidence[0]}, r.Matches[0].Evidence)
	assert.Equal(t, "医疗废物处置", r.Matches[0].Evidence[0].Phrase)
}

func TestDeclared(t *testing.T) {
	draft := parseText(t, "draft.txt", draftText)
	m := testMatcher(t)
	tests := []struct {
		name     string
		d        Declared
		verdict  string
		score    float64
		unit     string
		evidence []string // texts as written in the best unit
	}{
		{"name only", Declared{ID: "d1", Name: "名中医工作室"}, Covered, 1, "3.", []string{"名中医工作室"}},
		{"any via synonym", Declared{ID: "d2", Name: "医共体", Any: []string{"医共体", "医疗共同体", "医联体"}}, Covered, 1, "1.", []string{"医疗卫生服务共同体"}},
		{"declared synonyms", Declared{ID: "d3", Name: "医废", Any: []string{"医废"}, Synonyms: []string{"医疗废物"}}, Covered, 1, "4.", []string{"医疗废物"}},
		{"all in one unit", Declared{ID: "d4", Name: "中医", All: []string{"中医院", "中医馆"}}, Covered, 1, "3.", []string{"中医院", "中医馆"}},
		{"all scattered", Declared{ID: "d5", Name: "x", All: []string{"签约率", "中医馆"}}, Weak, 0.75, "2.", []string{"签约率"}},
		{"all partly", Declared{ID: "d6", Name: "x", All: []string{"签约率", "健康浙江"}}, Missing, 0.75, "2.", []string{"签约率"}},
		{"any and all", Declared{ID: "d7", Name: "x", Any: []string{"医疗废物"}, All: []string{"收运率"}}, Covered, 1, "4.", []string{"医疗废物", "收运率"}},
		{"absent", Declared{ID: "d8", Name: "健康浙江"}, Missing, 0, "", nil},
	}
	var declared []Declared
	for _, tt := range tests {
		declared = append(declared, tt.d)
	}
	results := m.Match(nil, declared, draft)
	require.Len(t, results, len(tests))
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := results[i]
			assert.Equal(t, tt.d.ID, r.Theme.ID)
			assert.Equal(t, KindDeclared, r.Theme.Kind)
			assert.Equal(t, SourceDeclared, r.Theme.Source)
			assert.Equal(t, tt.verdict, r.Verdict)
			assert.InDelta(t, tt.score, r.Score, 1e-9)
			if tt.unit == "" {
				assert.Empty(t, r.Matches)
				return
			}
			require.NotEmpty(t, r.Matches)
			best := r.Matches[0]
			assert.Equal(t, tt.unit, best.Unit.Label)
			var got []string
			for _, e := range best.Evidence {
				got = append(got, e.Match.Text)
				s, e2 := e.Match.Offsets()
				assert.Equal(t, e.Match.Text, draft.Source.Text[s:e2])
			}
			assert.Equal(t, tt.evidence, got)
		})
	}
}

func TestUnmatchedAndNearestSection(t *testing.T) {
	m := testMatcher(t)
	parent := parseText(t, "parent.txt", parentText)
	draft := parseText(t, "draft.txt", draftText)
	themes := m.Derive(parent, "p1")
	results := m.Match(themes, nil, draft)
	var labels []string
	for _, u := range m.Unmatched(results, draft) {
		labels = append(labels, u.Label)
	}
	assert.Equal(t, []string{"4."}, labels, "the local item on medical waste takes up no theme")

	// A declared theme found in item 4 takes it up; a not-applicable one does not count.
	withDeclared := m.Match(themes, []Declared{{ID: "d", Name: "医疗废物"}}, draft)
	assert.Empty(t, m.Unmatched(withDeclared, draft))
	withDeclared[len(withDeclared)-1].Verdict = NotApplicable
	assert.Len(t, m.Unmatched(withDeclared, draft), 1)

	tcm := find(t, results, "p1:(2)").Theme
	sec := m.NearestSection(tcm, draft)
	require.NotNil(t, sec)
	assert.Equal(t, "二、", sec.Label)
	assert.Nil(t, m.NearestSection(tcm, parseText(t, "flat.txt", "没有标题的一段话。\n")))
}

// TestDeterministic runs the same trace twice, and once more with a fresh
// matcher, on real plans: the results must be identical.
func TestDeterministic(t *testing.T) {
	v := testVocab(t)
	parent, draft := parseCorpus(t, v, "004"), parseCorpus(t, v, "000")
	m := testMatcher(t)
	themes := m.Derive(parent, "p1")
	declared := []Declared{{ID: "d", Name: "医共体"}}
	first := m.Match(themes, declared, draft)
	require.Len(t, first, len(themes)+1)
	for i, r := range first[:len(themes)] {
		assert.Equal(t, themes[i].ID, r.Theme.ID, "results in theme order")
	}
	assert.Equal(t, first, m.Match(themes, declared, draft))
	m2 := testMatcher(t)
	assert.Equal(t, first, m2.Match(m2.Derive(parent, "p1"), declared, draft))
	assert.Equal(t, m.Unmatched(first, draft), m2.Unmatched(first, draft))

	// One matcher shared by goroutines gives each the same results (run
	// with -race to check the sharing itself).
	done := make(chan []Result)
	for range 2 {
		go func() { done <- m.Match(themes, declared, draft) }()
	}
	for range 2 {
		assert.Equal(t, first, <-done)
	}
}

func TestOptionsDefaults(t *testing.T) {
	m := NewMatcher(Options{})
	assert.Equal(t, DefaultCoveredAt, m.opt.CoveredAt)
	assert.Equal(t, DefaultWeakAt, m.opt.WeakAt)
	m = NewMatcher(Options{CoveredAt: 0.5, WeakAt: 0.2})
	for _, tt := range []struct {
		score float64
		want  string
	}{{0.6, Covered}, {0.5, Covered}, {0.3, Weak}, {0.2, Weak}, {0.1, Missing}, {0, Missing}} {
		assert.Equal(t, tt.want, m.verdict(tt.score), "%.2f", tt.score)
	}
}
